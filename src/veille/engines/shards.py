"""Split the inputs into units of work: batches of raw reports, or shards of files.

The local engine reads in the parent and sends batches of raw reports (so one large
WARC or JSON Lines file is spread over every worker); Dask workers, which may run on
other machines, read shards of files themselves (paths must then be visible to them).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from veille.engines.tasks import Shard
from veille.errors import UsageError
from veille.ingest import ReadOptions, Source, expand_inputs, read_source, readers
from veille.pipeline import batches
from veille.records import RawDocument, Rejection


def _size(source: Source) -> int:
    try:
        return 0 if source.is_stdin else os.path.getsize(source.name)
    except OSError:
        return 0  # unreadable: the reader rejects it with the reason


def _is_container(source: Source, forced: str | None) -> bool:
    """WARC and JSON Lines files hold many reports: each is a shard of its own."""
    if forced:
        return forced in ("warc", "jsonl")
    table = readers()
    name = source.base_name()
    return any(name.endswith(table[r].suffixes) for r in ("warc", "jsonl") if table[r].suffixes)


@dataclass
class Position:
    """Bytes of input handed out so far, against the total (for the ETA)."""

    done: int = 0
    total: int = 0

    def fraction(self) -> float | None:
        return min(1.0, self.done / self.total) if self.total else None


def plan_shards(inputs: Sequence[str], files_per_shard: int, reader: str | None,
                position: Position) -> list[Shard]:
    """Group the input files into shards (containers alone, other files by ``files_per_shard``)."""
    shards: list[Shard] = []
    group: list[Source] = []

    def flush() -> None:
        if group:
            shards.append(Shard(len(shards), tuple(s.name for s in group), sum(_size(s) for s in group)))
            group.clear()

    for source in expand_inputs(inputs):
        if source.is_stdin:
            raise UsageError("standard input cannot be split across workers; "
                             "save it to a file or use --engine local")
        if _is_container(source, reader):
            flush()
            shards.append(Shard(len(shards), (source.name,), _size(source)))
            continue
        group.append(source)
        if len(group) >= files_per_shard:
            flush()
    flush()
    position.total = sum(s.size for s in shards)
    return shards


def track_shards(shards: Iterable[Shard], position: Position) -> Iterator[Shard]:
    """Yield shards, counting their bytes as handed out."""
    for shard in shards:
        position.done += shard.size
        yield shard


def raw_batches(inputs: Sequence[str], options: ReadOptions, reader: str | None, size: int,
                position: Position) -> Iterator[list[RawDocument | Rejection]]:
    """Batches of raw reports read here (local engine), counting the bytes of finished files."""
    sources = list(expand_inputs(inputs))
    sizes = [_size(s) for s in sources]
    position.total = sum(sizes)

    def stream() -> Iterator[RawDocument | Rejection]:
        for source, nbytes in zip(sources, sizes):
            yield from read_source(source, options, reader)
            position.done += nbytes

    return batches(stream(), size)
