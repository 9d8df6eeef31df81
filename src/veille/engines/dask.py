"""Dask engine: the same tasks on dask.distributed, locally or on a cluster.

Without a scheduler address a ``LocalCluster`` is started (one single-threaded
worker process per core; each loads a spaCy model once, through ``veille.nlp.load``'s
cache). Input files are grouped into shards that workers read themselves, so input
paths must be visible to every worker (a shared filesystem on a real cluster). At most
a window of futures is in flight. Results go either to the client, which writes them
to the store in one transaction per shard, or, with ``parquet_out``, to Parquet
partitions the workers write themselves (a directory or an fsspec URL every worker can
reach), which ``veille load`` puts into a store. On a real cluster every worker needs
veille installed (same version) — the tasks are veille's functions, not pickled code.
A WARC or JSON Lines file is one shard, read by one worker: split very large ones.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

from veille.engines.driver import EngineError, Progress, Reporter, drive_parquet, drive_store
from veille.engines.local import default_workers
from veille.engines.shards import Position, plan_shards, track_shards
from veille.engines.tasks import parquet_task, read_clean_task
from veille.pipeline import PipelineOptions
from veille.records import IngestStats, Rejection
from veille.store import Store

#: Futures in flight per worker thread.
WINDOW_PER_WORKER = 3


def local_cluster_config() -> dict[str, Any]:
    """Dask settings for the LocalCluster veille starts (on a cluster of yours, set them yourself).

    - The statistical profiler samples every worker thread's stack every 10 ms under the
      GIL: pure overhead for CPU-bound tasks nobody profiles.
    - Dask's nanny sets ``MALLOC_TRIM_THRESHOLD_`` in each worker's environment. Setting it
      at all turns off glibc's dynamic mmap threshold, so every array spaCy allocates
      above 128 KiB is mapped and unmapped afresh: 13 times more page faults and about
      20% more CPU per report than the same code in a plain process. Workers keep the
      nanny's other variables (one BLAS thread each). A value already in this process's own
      environment is still inherited: unset it before the run.
    """
    import dask

    environ = dict(dask.config.get("distributed.nanny.pre-spawn-environ", default={}) or {})
    environ.pop("MALLOC_TRIM_THRESHOLD_", None)
    return {"distributed.worker.profile.enabled": False, "distributed.nanny.pre-spawn-environ": environ}


class DaskPool:
    """A dask.distributed Client seen through the driver's Pool protocol."""

    def __init__(self, scheduler: str | None, workers: int | None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise EngineError("the Dask engine needs dask.distributed: pip install 'veille[dask]'") from exc
        self.cluster = None
        if scheduler:
            self.client = Client(scheduler)
        else:
            import dask

            with dask.config.set(local_cluster_config()):
                self.cluster = LocalCluster(n_workers=workers or default_workers(), threads_per_worker=1,
                                            processes=True, dashboard_address=":0")
            self.client = Client(self.cluster)

    #: Results stay on the workers and feed later tasks there (see ``driver.drive_store``).
    remote = True

    def threads(self) -> int:
        return max(1, sum(self.client.nthreads().values()))

    def submit(self, fn: Callable[..., Any], *args: Any) -> Any:
        return self.client.submit(fn, *args, pure=False)

    def wait_any(self, futures: list[Any]) -> set[Any]:
        from distributed import wait

        return set(wait(futures, return_when="FIRST_COMPLETED").done)

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def run_dask(store: str | os.PathLike, inputs: Sequence[str], options: PipelineOptions,
             workers: int | None = None, scheduler: str | None = None, parquet_out: str | None = None,
             on_rejection: Callable[[Rejection], None] | None = None,
             on_progress: Callable[[Progress], None] | None = None) -> IngestStats:
    """Ingest on a Dask cluster (a LocalCluster when ``scheduler`` is None)."""
    position = Position()
    reporter = Reporter(on_rejection, on_progress, position.fraction)  # the clock includes start-up
    shards = plan_shards(inputs, options.batch_size, options.reader, position)
    pool = DaskPool(scheduler, workers)
    try:
        window = WINDOW_PER_WORKER * pool.threads()
        tracked = track_shards(shards, position)
        if parquet_out:
            units = ((parquet_task, (s, options, str(parquet_out))) for s in tracked)
            return drive_parquet(pool, units, window, reporter)
        target = Store(store)
        target.create()
        return drive_store(pool, ((read_clean_task, (s, options)) for s in tracked), target, options,
                           window, reporter)
    finally:
        pool.close()
