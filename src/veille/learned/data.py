"""Silver reports as training examples: parse once, cache the parses, map each silver event
to the spaCy sentence and tokens that state it.

The cache (``DocBin`` files under ``.cache/train/``) is only a speed-up for ``scripts/train.py``:
it is keyed by the spaCy model's name and version, so a new model re-parses.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from veille.records import Document
from veille.silver.files import read_text


@dataclass(frozen=True, slots=True)
class SilverReport:
    """One silver report: the text as coded, its date, and its events as the annotator wrote them."""

    id: str
    lang: str
    text: str
    published: dt.date | None
    events: tuple[dict, ...]

    def document(self) -> Document:
        return Document(id=self.id, text=self.text, lang=self.lang, lang_supported=True,
                        published=self.published, date_precision="day" if self.published else "unknown",
                        title=None, source="silver")


def read_split(path: Path) -> list[SilverReport]:
    """The reports of a silver split file (plain or gzip-compressed JSON Lines)."""
    out = []
    for line in read_text(path).splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        published = None
        if r.get("published"):
            try:
                published = dt.date.fromisoformat(r["published"][:10])
            except ValueError:
                published = None
        out.append(SilverReport(r["id"], r["lang"], r["text"], published, tuple(r.get("events") or ())))
    return out


def parsed(reports: list[SilverReport], lang: str, cache: Path | None) -> Iterator[tuple[SilverReport, object]]:
    """(report, spaCy Doc) for each report, parsed with veille's own pipeline for ``lang``."""
    from spacy.tokens import DocBin

    from veille.nlp import load, model_name

    nlp = load(lang)
    meta = nlp.meta
    tag = f"{model_name(lang)}-{meta.get('version', '0')}"
    path = None
    if cache is not None:
        ids_key = hashlib.sha1("\n".join(r.id for r in reports).encode()).hexdigest()[:12]
        path = cache / f"{lang}-{tag}-{ids_key}.spacy"
        if path.exists():
            docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
            if len(docs) == len(reports):
                yield from zip(reports, docs)
                return
    docs = list(nlp.pipe((r.text for r in reports), batch_size=32))
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        DocBin(store_user_data=False, docs=docs).to_disk(path)
    yield from zip(reports, docs)
