"""Events: parsed documents in, PLOVER events out (with dates, factuality, evidence spans).

Entry function: :func:`code_events`. Tables: ``lang/<code>/triggers.tsv`` (trigger
lexicon), ``deps.tsv`` (dependency labels per role), ``control.tsv`` (verbs whose
object is the subject of the embedded event), ``lang/_base/plover.tsv``.
"""

from __future__ import annotations

from pathlib import Path

from veille.actors import find_actors, load_tables
from veille.actors.implicit import with_implicit
from veille.events.coder import code_document
from veille.events.tables import load_coder_tables
from veille.records import Document, Event

__all__ = ["code_events"]


def code_events(document: Document, doc, actor_file: Path | None = None) -> list[Event]:
    """Events of one document parsed by spaCy (``doc``)."""
    actors = find_actors(doc, document.lang, document.published, load_tables(document.lang, actor_file))
    actors = with_implicit(doc, actors, document.lang)
    return code_document(document, doc, actors, load_coder_tables(document.lang))
