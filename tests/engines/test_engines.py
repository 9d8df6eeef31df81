"""Engines: every core, or Dask, store exactly what the single-process ingest stores."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from veille import engines
from veille.pipeline import PipelineOptions, ingest
from veille.store import Store

#: Small batches, so that a handful of reports still makes several units in flight.
OPTIONS = PipelineOptions(batch_size=3)


def snapshot(path: Path) -> dict[str, list[tuple]]:
    """Everything an engine decides (not the ingestion timestamps)."""
    store = Store(path)
    return {
        "documents": store.query("SELECT * EXCLUDE (ingested_at) FROM documents ORDER BY id"),
        "events": store.query("SELECT * FROM events ORDER BY id"),
        "event_actors": store.query("SELECT * FROM event_actors ORDER BY ALL"),
        "rejected": store.query("SELECT file, record, reason FROM rejected ORDER BY ALL"),
    }


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, shared: Path) -> list[str]:
    """The seeds, 5 French reports, then a repeat of one of them and an empty file."""
    news = sorted((shared / "corpus" / "news" / "fr").glob("*.txt"))[:5]
    extra = tmp_path_factory.mktemp("extra")
    shutil.copy(news[1], extra / "repeat.txt")
    (extra / "zz_empty.txt").write_bytes(b"")
    return [str(shared / "seeds"), *map(str, news), str(extra)]


@pytest.fixture(scope="module")
def reference(tmp_path_factory, corpus: list[str]) -> dict[str, list[tuple]]:
    path = tmp_path_factory.mktemp("ref") / "single.duckdb"
    stats = ingest(path, corpus, OPTIONS)
    assert (stats.seen, stats.stored, stats.duplicates, stats.rejected) == (9, 7, 1, 1)
    result = snapshot(path)
    assert result["events"], "the corpus must give events for the comparison to mean something"
    return result


@pytest.mark.parametrize("engine,workers", [("local", 1), ("local", 2), ("dask", 2)])
def test_engines_identical_to_single_process(tmp_path, corpus, reference, engine, workers) -> None:
    path = tmp_path / "s.duckdb"
    stats = engines.run(path, corpus, engine=engine, workers=workers, options=OPTIONS)
    assert (stats.seen, stats.stored, stats.duplicates, stats.rejected) == (9, 7, 1, 1)
    assert stats.events == len(reference["events"])
    assert snapshot(path) == reference
    # the repeat lost to the first occurrence, as in the single-process path
    assert not any(row[3].endswith("repeat.txt") for row in snapshot(path)["documents"])


def test_engines_dask_parquet_out_then_load(tmp_path, corpus, reference) -> None:
    out = tmp_path / "parts"
    stats = engines.run(tmp_path / "unused.duckdb", corpus, engine="dask", workers=2, options=OPTIONS,
                        parquet_out=out)
    assert stats.seen == 9 and stats.rejected == 1
    assert not (tmp_path / "unused.duckdb").exists()
    months = {p.name for p in (out / "documents").iterdir()}
    assert "month=2022-01" in months and all(m.startswith("month=") for m in months)
    path = tmp_path / "loaded.duckdb"
    counts = engines.load(path, out)
    assert counts["documents"] == 7 and counts["events"] == len(reference["events"])
    assert snapshot(path) == reference
    assert engines.load(path, out) == {"documents": 0, "events": 0, "event_actors": 0, "rejected": 0}


def _worker_environ() -> dict[str, str | None]:
    import os

    return {k: os.environ.get(k) for k in ("MALLOC_TRIM_THRESHOLD_", "OMP_NUM_THREADS")}


def test_dask_local_cluster_workers_keep_glibc_mmap_threshold() -> None:
    """MALLOC_TRIM_THRESHOLD_ in a worker's environment costs spaCy ~20% CPU (fixed mmap threshold)."""
    pytest.importorskip("distributed")
    import os

    from veille.engines.dask import DaskPool

    if "MALLOC_TRIM_THRESHOLD_" in os.environ:  # workers inherit this process's environment
        pytest.skip("MALLOC_TRIM_THRESHOLD_ is set in the test's own environment")

    pool = DaskPool(None, 1)
    try:
        (environ,) = pool.client.run(_worker_environ).values()
    finally:
        pool.close()
    assert environ == {"MALLOC_TRIM_THRESHOLD_": None, "OMP_NUM_THREADS": "1"}
