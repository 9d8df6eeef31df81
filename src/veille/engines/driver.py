"""The client side of a parallel run: a bounded window of tasks, one writer.

Engine-neutral: a :class:`Pool` (local processes, or a Dask client) runs the tasks of
``veille.engines.tasks``; this module decides what to submit and writes the results.

Store mode, per unit of input (a batch of raw reports, or a shard of files):
1. a worker cleans it (``clean_task`` / ``read_clean_task``);
2. here, **in input order**, its document ids are checked against the store and
   against documents already on their way to it, so a document already stored (or
   repeated) is never parsed, and the first occurrence wins as in the single-process
   path (same documents, events and ids, whatever the number of workers);
3. a worker parses and codes the fresh documents (``code_task``);
4. here, the batch is written in one transaction (``Store.write_batch``).
At most ``window`` units are between steps 1 and 4, so memory stays flat.

A pool whose results can stay on its workers (``remote = True``: Dask) keeps each cleaned
batch where it was cleaned: the client receives only its ids and rejections
(``summarise_task``), and the coding runs on that worker (``code_held_task``), which sends the
new documents and their events once. Cleaned text crosses the network once instead of three
times (worker → client → worker → client).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from veille.engines.tasks import (
    Cleaned,
    Coded,
    ShardSummary,
    code_held_task,
    code_task,
    summarise_task,
)
from veille.errors import EngineError, VeilleError
from veille.pipeline import PipelineOptions
from veille.records import IngestStats, Rejection
from veille.store import Store


class Pool(Protocol):
    """What the driver needs from an executor."""

    def submit(self, fn: Callable[..., Any], *args: Any) -> Any: ...

    def wait_any(self, futures: list[Any]) -> set[Any]: ...


def _keeps_results(pool: Pool) -> bool:
    """Whether a future's result can stay on the worker and feed a later task there (Dask)."""
    return bool(getattr(pool, "remote", False))


#: A unit of work for the first stage: the function and its arguments.
Unit = tuple[Callable[..., Any], tuple[Any, ...]]


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a run stands: counts, words, and the share of the input read so far."""

    stats: IngestStats
    words: int = 0
    fraction: float | None = None  # share of input bytes read (None: unknown, e.g. stdin)

    def eta(self) -> float | None:
        """Seconds left, extrapolated from the share of the input done (None when unknown)."""
        f = self.fraction
        if not f or f <= 0 or self.stats.seconds <= 0:
            return None
        return max(0.0, self.stats.seconds * (1 - f) / f)


@dataclass
class _Totals:
    seen: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    events: int = 0
    words: int = 0

    def stats(self, start: float) -> IngestStats:
        return IngestStats(self.seen, self.stored, self.duplicates, self.rejected, self.events,
                           time.perf_counter() - start)


class Reporter:
    """Collects counts and calls the progress and rejection callbacks."""

    def __init__(self, on_rejection: Callable[[Rejection], None] | None,
                 on_progress: Callable[[Progress], None] | None,
                 fraction: Callable[[], float | None]) -> None:
        self.totals = _Totals()
        self.start = time.perf_counter()
        self.on_rejection = on_rejection
        self.on_progress = on_progress
        self.fraction = fraction

    def rejections(self, rejections: list[Rejection] | tuple[Rejection, ...]) -> None:
        self.totals.rejected += len(rejections)
        if self.on_rejection:
            for rej in rejections:
                self.on_rejection(rej)

    def progress(self) -> None:
        if self.on_progress:
            self.on_progress(Progress(self.totals.stats(self.start), self.totals.words, self.fraction()))

    def stats(self) -> IngestStats:
        return self.totals.stats(self.start)


def _result(future: Any) -> Any:
    try:
        return future.result()
    except VeilleError:
        raise
    except (OSError, RuntimeError) as exc:  # BrokenProcessPool, a killed Dask worker …
        raise EngineError(f"a worker failed: {exc.__class__.__name__}: {exc}; "
                          "rerun to resume (stored batches are kept)") from exc


def drive_store(pool: Pool, units: Iterator[Unit], store: Store, options: PipelineOptions, window: int,
                reporter: Reporter) -> IngestStats:
    """Run units through clean → skip known → code → write, at most ``window`` in flight."""
    cleaning: dict[Any, int] = {}  # future -> sequence number
    ready: dict[int, Cleaned] = {}  # cleaned, waiting for their turn (input order)
    coding: dict[Any, tuple[Cleaned, list | None]] = {}  # future -> (cleaned batch, fresh documents)
    held: dict[int, Any] = {}  # remote pools: sequence number -> future of the cleaned batch on its worker
    remote = _keeps_results(pool)
    in_flight: set[str] = set()  # ids sent to coding, not yet written
    submitted = turn = 0
    exhausted = False
    totals = reporter.totals

    def write(cleaned: Cleaned, fresh: list, coded: Coded) -> None:
        new = store.write_batch(fresh, coded.events, cleaned.rejections, coded.coded)
        in_flight.difference_update(d.id for d in fresh)
        totals.seen += cleaned.seen
        totals.stored += new
        totals.duplicates += cleaned.seen - len(cleaned.rejections) - new
        totals.events += len(coded.events)
        totals.words += sum(d.words for d in fresh)
        reporter.rejections(cleaned.rejections)
        reporter.progress()

    while True:
        while not exhausted and len(cleaning) + len(ready) + len(coding) < window:
            unit = next(units, None)
            if unit is None:
                exhausted = True
                break
            fn, args = unit
            future = pool.submit(fn, *args)
            if remote:
                held[submitted] = future
                future = pool.submit(summarise_task, future)
            cleaning[future] = submitted
            submitted += 1
        if not (cleaning or coding):
            break
        for future in pool.wait_any(list(cleaning) + list(coding)):
            if future in cleaning:
                ready[cleaning.pop(future)] = _result(future)
            else:
                cleaned, fresh = coding.pop(future)
                result = _result(future)
                if fresh is None:  # coded where it was cleaned: the documents come with the events
                    fresh, result = result
                write(cleaned, fresh, result)
        while turn in ready:
            cleaned = ready.pop(turn)
            source = held.pop(turn, None)
            turn += 1
            candidates = [d for d in cleaned.documents if d.id not in in_flight]
            known = store.known_ids([d.id for d in candidates]) if candidates else set()
            fresh = [d for d in candidates if d.id not in known]
            if remote and fresh:
                in_flight.update(d.id for d in fresh)
                coding[pool.submit(code_held_task, source, [d.id for d in fresh], options)] = (cleaned, None)
            elif options.code and any(d.lang_supported for d in fresh):
                in_flight.update(d.id for d in fresh)
                coding[pool.submit(code_task, fresh, options)] = (cleaned, fresh)
            else:
                write(cleaned, fresh, Coded())
    return reporter.stats()


def drive_parquet(pool: Pool, units: Iterator[Unit], window: int, reporter: Reporter) -> IngestStats:
    """Run shard tasks that write Parquet themselves; only counts come back."""
    running: set[Any] = set()
    totals = reporter.totals
    exhausted = False
    while True:
        while not exhausted and len(running) < window:
            unit = next(units, None)
            if unit is None:
                exhausted = True
                break
            fn, args = unit
            running.add(pool.submit(fn, *args))
        if not running:
            break
        for future in pool.wait_any(list(running)):
            running.discard(future)
            summary: ShardSummary = _result(future)
            totals.seen += summary.seen
            totals.stored += summary.documents
            totals.duplicates += summary.seen - len(summary.rejections) - summary.documents
            totals.events += summary.events
            totals.words += summary.words
            reporter.rejections(summary.rejections)
            reporter.progress()
    return reporter.stats()
