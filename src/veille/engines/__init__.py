"""Engines: run the pipeline on every core (``local``) or on a Dask cluster (``dask``).

Entry function: :func:`run`. Both engines submit the same task functions
(``engines.tasks``, which call ``pipeline.clean_batch`` / ``code_batch``), skip
documents the store already holds before any NLP, keep a bounded number of batches in
flight, and write through ``Store.write_batch`` from one process, so they store
exactly what ``pipeline.ingest`` stores. With ``parquet_out`` the workers write
Parquet partitions instead, and :func:`load` puts them in a store.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

from veille.engines.driver import EngineError, Progress
from veille.errors import UsageError
from veille.ingest.sources import check_inputs
from veille.pipeline import PipelineOptions
from veille.records import IngestStats, Rejection

__all__ = ["ENGINES", "EngineError", "Progress", "load", "run"]

ENGINES = ("local", "dask")


def run(store: str | os.PathLike, inputs: Sequence[str], engine: str = "local", scheduler: str | None = None,
        workers: int | None = None, options: PipelineOptions | None = None,
        parquet_out: str | os.PathLike | None = None,
        on_rejection: Callable[[Rejection], None] | None = None,
        on_progress: Callable[[Progress], None] | None = None) -> IngestStats:
    """Ingest ``inputs`` into ``store`` (or into Parquet partitions under ``parquet_out``).

    ``workers``: processes (local) or LocalCluster workers (dask); None = every core.
    ``scheduler``: a Dask scheduler address ("tcp://host:8786"); None starts a local cluster.
    """
    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if scheduler and engine != "dask":
        raise UsageError("--scheduler needs --engine dask")
    if workers is not None and workers < 1:
        raise UsageError("--workers must be at least 1")
    out = str(parquet_out) if parquet_out else None
    options = options or PipelineOptions()
    check_inputs(inputs)  # a mistyped path fails here, before any store file is created
    if engine == "dask":
        from veille.engines.dask import run_dask

        return run_dask(store, inputs, options, workers, scheduler, out, on_rejection, on_progress)
    from veille.engines.local import run_local

    return run_local(store, inputs, options, workers, out, on_rejection, on_progress)


def load(store: str | os.PathLike, directory: str | os.PathLike) -> dict[str, int]:
    """Load Parquet partitions written with ``parquet_out`` into a store; new rows per table."""
    from veille.engines.parquet import load as load_parquet
    from veille.store import Store

    return load_parquet(Store(store), directory)
