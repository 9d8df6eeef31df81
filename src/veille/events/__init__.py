"""Events: parsed documents in, PLOVER events out (with dates, factuality, evidence spans).

Entry function: :func:`code_events`. Two coders share it:

* ``rules``: the trigger lexicon and dependency roles (``lang/<code>/triggers.tsv``,
  ``deps.tsv``, ``control.tsv``, ``lang/_base/plover.tsv``), the baseline;
* ``learned``: models trained on the silver data (``veille.learned``) that take the rule
  coder's decisions as features and decide types, roles and factuality.

``auto`` (the default) uses the learned coder for the languages where it beat the rules on
every dev set (``veille/data/models/defaults.json``), the rules elsewhere.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from veille.actors import find_actors, load_tables
from veille.actors.implicit import with_implicit
from veille.events.coder import code_document
from veille.events.tables import load_coder_tables
from veille.records import Document, Event

__all__ = ["CODERS", "code_events", "coder_for"]

#: Values of ``--coder``.
CODERS = ("auto", "learned", "rules")


@lru_cache(maxsize=1)
def _defaults() -> dict[str, str]:
    path = files("veille").joinpath("data", "models", "defaults.json")
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8")).get("default", {})


def coder_for(lang: str, coder: str = "auto") -> str:
    """Which coder codes ``lang``: "learned" or "rules"."""
    if coder not in CODERS:
        raise ValueError(f"unknown coder {coder!r}; use one of {', '.join(CODERS)}")
    if coder == "auto":
        from veille.learned.model import available

        return "learned" if _defaults().get(lang) == "learned" and available(lang) else "rules"
    return coder


def code_events(document: Document, doc, actor_file: Path | None = None, coder: str = "auto") -> list[Event]:
    """Events of one document parsed by spaCy (``doc``)."""
    actors = find_actors(doc, document.lang, document.published, load_tables(document.lang, actor_file))
    actors = with_implicit(doc, actors, document.lang)
    tables = load_coder_tables(document.lang)
    events = code_document(document, doc, actors, tables)
    if coder_for(document.lang, coder) == "rules":
        return events
    from veille.learned import code_document_learned, load_model

    return code_document_learned(document, doc, actors, events, tables, load_model(document.lang))
