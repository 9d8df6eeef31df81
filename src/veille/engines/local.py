"""Local engine: the parent reads and writes, N worker processes clean, parse and code.

reader (parent) → bounded window of batches → N processes (forkserver on Linux,
spawn elsewhere; each loads a spaCy model once, through ``veille.nlp.load``'s cache)
→ the parent writes each batch in one transaction. See ``driver`` for the order of
steps and why the results equal the single-process path's.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any

from veille.engines.driver import Progress, Reporter, drive_parquet, drive_store
from veille.engines.shards import Position, plan_shards, raw_batches, track_shards
from veille.engines.tasks import clean_task, parquet_task
from veille.pipeline import PipelineOptions
from veille.records import IngestStats, Rejection
from veille.store import Store

#: Units in flight per worker: enough to keep each busy while the parent writes.
WINDOW_PER_WORKER = 3


def default_workers() -> int:
    """Every core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _context() -> multiprocessing.context.BaseContext:
    """forkserver where available (fast starts, no inherited threads or DuckDB handles), else spawn."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["veille.engines.tasks"])
        return ctx
    return multiprocessing.get_context("spawn")


def _watch_parent(parent: int, every: float = 1.0) -> None:
    """Worker initializer: exit when the parent that started the run is gone.

    A killed parent (Ctrl-C twice, a job scheduler's SIGKILL, a test's timeout) would
    otherwise leave workers finishing long batches nobody will write.
    """
    import threading

    def watch() -> None:
        while True:
            time.sleep(every)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:  # the pid was reused by another user's process
                os._exit(1)

    threading.Thread(target=watch, name="veille-parent-watch", daemon=True).start()


class ProcessPool:
    """A ProcessPoolExecutor seen through the driver's Pool protocol."""

    def __init__(self, workers: int) -> None:
        self.executor = ProcessPoolExecutor(max_workers=workers, mp_context=_context(),
                                            initializer=_watch_parent, initargs=(os.getpid(),))

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        return self.executor.submit(fn, *args)

    def wait_any(self, futures: list[Future]) -> set[Future]:
        return wait(futures, return_when=FIRST_COMPLETED).done

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


def run_local(store: str | os.PathLike, inputs: Sequence[str], options: PipelineOptions,
              workers: int | None = None, parquet_out: str | None = None,
              on_rejection: Callable[[Rejection], None] | None = None,
              on_progress: Callable[[Progress], None] | None = None) -> IngestStats:
    """Ingest with worker processes on this machine (into the store, or to Parquet partitions)."""
    workers = workers or default_workers()
    position = Position()
    reporter = Reporter(on_rejection, on_progress, position.fraction)
    window = WINDOW_PER_WORKER * workers
    pool = ProcessPool(workers)
    try:
        if parquet_out:
            shards = plan_shards(inputs, options.batch_size, options.reader, position)
            units = ((parquet_task, (s, options, str(parquet_out))) for s in track_shards(shards, position))
            return drive_parquet(pool, units, window, reporter)
        target = Store(store)
        target.create()
        batches = raw_batches(inputs, options.read_options(), options.reader, options.batch_size, position)
        units = ((clean_task, (raws, options)) for raws in batches)
        return drive_store(pool, units, target, options, window, reporter)
    finally:
        pool.close()
