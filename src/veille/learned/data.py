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
    """(report, spaCy Doc) for each report, parsed with veille's own pipeline for ``lang``.

    With a ``cache`` folder, a split's parses are kept in one ``DocBin`` file named by the spaCy
    model and the split's report ids, with a sidecar ``.ids`` file listing each report's id and a
    hash of its text. A split that changed (new batches) re-parses only the reports that no
    earlier file of the same model holds with the same text."""
    from spacy.tokens import DocBin

    from veille.nlp import load, model_name

    nlp = load(lang)
    meta = nlp.meta
    tag = f"{model_name(lang)}-{meta.get('version', '0')}"
    if cache is None:
        yield from zip(reports, nlp.pipe((r.text for r in reports), batch_size=32))
        return
    keys = [_report_key(r) for r in reports]
    ids_key = hashlib.sha1("\n".join(r.id for r in reports).encode()).hexdigest()[:12]
    path = cache / f"{lang}-{tag}-{ids_key}.spacy"
    if path.exists() and _read_ids(path) in (keys, None):
        docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
        if len(docs) == len(reports):
            yield from zip(reports, docs)
            return
    known = _cached_docs(cache, f"{lang}-{tag}-", set(keys), nlp.vocab)
    missing = [r for r, k in zip(reports, keys) if k not in known]
    known.update(zip((_report_key(r) for r in missing), nlp.pipe((r.text for r in missing), batch_size=32)))
    docs = [known[k] for k in keys]
    cache.mkdir(parents=True, exist_ok=True)
    DocBin(store_user_data=False, docs=docs).to_disk(path)
    path.with_suffix(".ids").write_text("\n".join(keys), encoding="utf-8")
    yield from zip(reports, docs)


def _report_key(report: SilverReport) -> str:
    """A report's id and a hash of its text: a cached parse is reused only for the same text."""
    return f"{report.id}\t{hashlib.sha1(report.text.encode()).hexdigest()[:16]}"


def _read_ids(path: Path) -> list[str] | None:
    """The report keys of a cache file (``None`` for a file written before the sidecar existed)."""
    side = path.with_suffix(".ids")
    return side.read_text(encoding="utf-8").split("\n") if side.exists() else None


def _cached_docs(cache: Path, prefix: str, wanted: set[str], vocab) -> dict[str, object]:
    """Parses of ``wanted`` report keys found in the cache's earlier files of the same model."""
    from spacy.tokens import DocBin

    by_id = {k.split("\t")[0]: k for k in wanted}  # sidecars of ids alone (older files) match by id
    out: dict[str, object] = {}
    for side in sorted(cache.glob(prefix + "*.ids")):
        keys = [k if "\t" in k else by_id.get(k, k) for k in _read_ids(side.with_suffix(".spacy")) or []]
        if not wanted.intersection(keys) or not side.with_suffix(".spacy").exists():
            continue
        docs = list(DocBin().from_disk(side.with_suffix(".spacy")).get_docs(vocab))
        if len(docs) == len(keys):
            out.update((k, d) for k, d in zip(keys, docs) if k in wanted)
    return out
