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
from collections.abc import Sequence
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from veille.actors import find_actors, load_tables
from veille.actors.implicit import with_implicit
from veille.events.coder import code_document
from veille.events.tables import load_coder_tables
from veille.records import Document, Event

__all__ = ["CODERS", "code_events", "code_events_batch", "coder_for"]

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
    return code_events_batch([(document, doc)], actor_file, coder)[0]


def code_events_batch(parsed: Sequence[tuple[Document, object]], actor_file: Path | None = None,
                      coder: str = "auto") -> list[list[Event]]:
    """Events of each parsed document, in order; the learned coder's models run once per
    language over the whole batch."""
    out: list[list[Event]] = []
    learned: dict[str, list[int]] = {}
    items = []
    for n, (document, doc) in enumerate(parsed):
        actors = find_actors(doc, document.lang, document.published, load_tables(document.lang, actor_file))
        actors = with_implicit(doc, actors, document.lang)
        events = code_document(document, doc, actors, load_coder_tables(document.lang))
        out.append(events)
        items.append((document, doc, actors, events))
        if coder_for(document.lang, coder) == "learned":
            learned.setdefault(document.lang, []).append(n)
    if learned:
        from veille.learned import code_documents_learned, load_model

        for lang, positions in learned.items():
            coded = code_documents_learned([items[i] for i in positions], load_coder_tables(lang), load_model(lang))
            for i, events in zip(positions, coded):
                out[i] = events
    return out
