"""The whole job: read → clean → (skip known) → parse → code → store, in bounded batches.

Library functions behind the CLI and the API. Stage functions are pure (records in,
records out) so that the local and distributed engines run the same code.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from veille.clean import CleanOptions, clean
from veille.ingest import ReadOptions, read_inputs
from veille.output import event_dict
from veille.records import Declared, Document, Event, IngestStats, RawDocument, Rejection
from veille.store import Store

BATCH_DOCS = 64


@dataclass(frozen=True)
class PipelineOptions:
    lang: str | None = None  # None/"auto": detect
    max_bytes: int = 20_000_000
    batch_size: int = BATCH_DOCS
    reader: str | None = None
    actor_file: Path | None = None
    code: bool = True  # run the event coder
    coder: str = "auto"  # auto | learned | rules (see veille.events.coder_for)

    def read_options(self) -> ReadOptions:
        return ReadOptions(max_bytes=self.max_bytes, lang=self.lang)

    def clean_options(self) -> CleanOptions:
        lang = None if not self.lang or self.lang == "auto" else self.lang
        return CleanOptions(lang=lang)


@dataclass
class BatchResult:
    documents: list[Document] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    coded: set[str] = field(default_factory=set)


def clean_batch(raws: Iterable[RawDocument | Rejection], options: PipelineOptions) -> tuple[list[Document], list[Rejection]]:
    docs: list[Document] = []
    rejections: list[Rejection] = []
    for raw in raws:
        out = raw if isinstance(raw, Rejection) else clean(raw, options.clean_options())
        (rejections if isinstance(out, Rejection) else docs).append(out)
    return docs, rejections


def code_batch(documents: Sequence[Document], options: PipelineOptions) -> tuple[list[Event], set[str]]:
    """Parse and code documents in supported languages; returns events and the ids coded."""
    events: list[Event] = []
    coded: set[str] = set()
    if not options.code:
        return events, coded
    from veille.events import code_events_batch
    from veille.nlp import parse

    parsed = list(parse([d for d in documents if d.lang_supported]))
    for (document, _doc), found in zip(parsed, code_events_batch(parsed, options.actor_file, options.coder)):
        events.extend(found)
        coded.add(document.id)
    return events, coded


def process(raws: Sequence[RawDocument | Rejection], options: PipelineOptions,
            skip: Callable[[Sequence[str]], set[str]] | None = None) -> BatchResult:
    """One batch through every stage; ``skip`` says which document ids are already stored."""
    docs, rejections = clean_batch(raws, options)
    unique: dict[str, Document] = {}
    for d in docs:
        unique.setdefault(d.id, d)
    known = skip(list(unique)) if skip else set()
    fresh = [d for i, d in unique.items() if i not in known]
    events, coded = code_batch(fresh, options)
    return BatchResult(fresh, events, rejections, coded)


def batches(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def ingest(store_path: str | Path, inputs: Sequence[str], options: PipelineOptions = PipelineOptions(),
           on_rejection: Callable[[Rejection], None] | None = None,
           on_progress: Callable[[IngestStats], None] | None = None, workers: int | None = 1) -> IngestStats:
    """Ingest inputs into the store; idempotent, one transaction per batch, streaming.

    ``workers`` > 1 (or None: every core) hands the run to ``veille.engines`` (same results).
    """
    if workers != 1:
        from veille.engines import run

        show = (lambda p: on_progress(p.stats)) if on_progress else None
        return run(store_path, inputs, workers=workers, options=options, on_rejection=on_rejection,
                   on_progress=show)
    store = Store(store_path)
    store.create()
    start = time.perf_counter()
    seen = stored = rejected = n_events = duplicates = 0
    for raws in batches(read_inputs(inputs, options.read_options(), options.reader), options.batch_size):
        result = process(raws, options, skip=store.known_ids)
        new = store.write_batch(result.documents, result.events, result.rejections, result.coded)
        seen += len(raws)
        stored += new
        rejected += len(result.rejections)
        duplicates += len(raws) - len(result.rejections) - new
        n_events += len(result.events)
        if on_rejection:
            for rej in result.rejections:
                on_rejection(rej)
        if on_progress:
            on_progress(IngestStats(seen, stored, duplicates, rejected, n_events, time.perf_counter() - start))
    return IngestStats(seen, stored, duplicates, rejected, n_events, time.perf_counter() - start)


def extract(inputs: Sequence[str], options: PipelineOptions = PipelineOptions(),
            on_rejection: Callable[[Rejection], None] | None = None,
            counter: dict[str, int] | None = None) -> Iterator[dict]:
    """Events of the inputs as contract records, without a store (``counter["reports"]`` counts
    the reports read, rejected ones included)."""
    for raws in batches(read_inputs(inputs, options.read_options(), options.reader), options.batch_size):
        if counter is not None:
            counter["reports"] = counter.get("reports", 0) + len(raws)
        result = process(raws, options)
        if on_rejection:
            for rej in result.rejections:
                on_rejection(rej)
        by_id = {d.id: d for d in result.documents}
        for event in result.events:
            yield event_dict(event, by_id[event.doc_id])


def extract_events(text: str, kind: str = "text", lang: str | None = None, date: str | None = None,
                   url: str | None = None, title: str | None = None, coder: str = "auto",
                   options: PipelineOptions = PipelineOptions()) -> tuple[Document | Rejection, list[dict]]:
    """Code one pasted report (the web API's /api/extract)."""
    raw = RawDocument(source="-", record=None, content=text, kind=kind,
                      declared=Declared(url=url, date=date, title=title, lang=lang))
    result = process([raw], PipelineOptions(lang=lang, actor_file=options.actor_file, coder=coder))
    if result.rejections:
        return result.rejections[0], []
    document = result.documents[0]
    return document, [event_dict(e, document) for e in result.events]
