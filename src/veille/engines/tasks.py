"""The work a worker process does: top-level, picklable functions over records.

Both engines (local processes and Dask) submit these same functions, and they only
call the pipeline's stage functions (``clean_batch``, ``code_batch``), so every engine
produces what the single-process path produces. Models are loaded once per worker
process through ``veille.nlp.load``'s cache, on the first batch that needs them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from veille.pipeline import PipelineOptions, clean_batch, code_batch
from veille.records import Document, Event, RawDocument, Rejection


@dataclass(frozen=True, slots=True)
class Shard:
    """Input files a worker reads itself (Dask, Parquet output): paths as the user gave them.

    A container file (WARC, JSON Lines) is a shard of its own, read by one worker.
    """

    index: int
    sources: tuple[str, ...]
    size: int = 0  # bytes on disk, for progress

    @property
    def name(self) -> str:
        """Stable part name for output files: the same shard always writes the same files."""
        return f"part-{self.index:06d}"


@dataclass(slots=True)
class Cleaned:
    """A cleaned batch: unique documents in input order, rejections, and counts."""

    documents: list[Document] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    seen: int = 0  # raw reports read (documents + duplicates + rejections)


@dataclass(slots=True)
class Coded:
    """Events of a batch and the ids of the documents the coder parsed."""

    events: list[Event] = field(default_factory=list)
    coded: set[str] = field(default_factory=set)


def clean_task(raws: Sequence[RawDocument | Rejection], options: PipelineOptions) -> Cleaned:
    """Clean one batch and drop repeats inside it (the first occurrence wins, as in ``process``)."""
    docs, rejections = clean_batch(raws, options)
    unique: dict[str, Document] = {}
    for doc in docs:
        unique.setdefault(doc.id, doc)
    return Cleaned(list(unique.values()), rejections, len(raws))


def read_clean_task(shard: Shard, options: PipelineOptions) -> Cleaned:
    """Read a shard's files on the worker, then clean them (Dask: inputs never pass the client)."""
    return clean_task(list(read_shard(shard, options)), options)


def code_task(documents: Sequence[Document], options: PipelineOptions) -> Coded:
    """Parse and code documents the store does not hold yet."""
    events, coded = code_batch(documents, options)
    return Coded(events, coded)


@dataclass(frozen=True, slots=True)
class DocumentId:
    """A cleaned document as the client sees it while the document stays on its worker."""

    id: str


def summarise_task(cleaned: Cleaned) -> Cleaned:
    """The ids, rejections and counts of a cleaned batch that stays on the worker (Dask): the
    client decides which documents are new from these, without their text."""
    return Cleaned([DocumentId(d.id) for d in cleaned.documents], cleaned.rejections, cleaned.seen)  # type: ignore[misc]


def code_held_task(cleaned: Cleaned, fresh_ids: Sequence[str], options: PipelineOptions) -> tuple[list[Document], Coded]:
    """Code the new documents of a batch on the worker that cleaned it (Dask runs a task where
    its input is), and send them with their events to the client, which writes them."""
    wanted = set(fresh_ids)
    fresh = [d for d in cleaned.documents if d.id in wanted]
    return fresh, code_task(fresh, options)


def read_shard(shard: Shard, options: PipelineOptions) -> Iterator[RawDocument | Rejection]:
    """Raw reports of a shard's files, in order."""
    from veille.ingest import Source, read_source

    for name in shard.sources:
        yield from read_source(Source(name), options.read_options(), options.reader)


@dataclass(frozen=True, slots=True)
class ShardSummary:
    """What a Parquet-writing shard task did (the client only receives counts)."""

    seen: int
    documents: int
    events: int
    words: int
    rejections: tuple[Rejection, ...]


def parquet_task(shard: Shard, options: PipelineOptions, out: str) -> ShardSummary:
    """Read, clean and code a shard batch by batch, writing each batch's Parquet partitions.

    Memory holds one batch at a time. Repeats inside the shard are dropped here; repeats
    across shards are dropped when the partitions are loaded (``veille load``).
    """
    from veille.engines.parquet import write_partitions
    from veille.pipeline import batches

    seen_ids: set[str] = set()
    seen = n_docs = n_events = words = 0
    rejections: list[Rejection] = []
    for number, raws in enumerate(batches(read_shard(shard, options), options.batch_size)):
        cleaned = clean_task(raws, options)
        fresh = [d for d in cleaned.documents if d.id not in seen_ids]
        seen_ids.update(d.id for d in fresh)
        coded = code_task(fresh, options) if options.code and fresh else Coded()
        write_partitions(out, f"{shard.name}-b{number:05d}", fresh, coded.events,
                         cleaned.rejections, coded.coded)
        seen += cleaned.seen
        n_docs += len(fresh)
        n_events += len(coded.events)
        words += sum(d.words for d in fresh)
        rejections.extend(cleaned.rejections)
    return ShardSummary(seen, n_docs, n_events, words, tuple(rejections))
