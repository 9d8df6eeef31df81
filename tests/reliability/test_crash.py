"""Crash test: an ingest killed with SIGKILL at random points, then resumed, loses nothing.

The design promises one transaction per batch and idempotent ingest (content-hash ids):
after any number of kills and one run to completion, every report is stored exactly
once, no batch is half-written, the store opens cleanly and ``veille check`` passes.
"""

from __future__ import annotations

import random
import signal
import subprocess
import time
from pathlib import Path

import duckdb
import pytest

from ._support import BATCH, make_jsonl, markers_stored, query, run_veille, veille_cmd

N_DOCS = 1200
KILLS = 3


def _stored(store: Path) -> int:
    try:
        return query(store, "SELECT count(*) FROM documents")[0][0]
    except duckdb.Error:  # not created yet, or held by the writer this instant
        return -1


def _kill_at_random(store: Path, inputs: Path, rng: random.Random, extra: tuple[str, ...] = (),
                    total: int = N_DOCS) -> int:
    """Start an ingest, SIGKILL it at a random point after it stored more; returns documents then stored."""
    before = max(_stored(store), 0)
    target = before + rng.randint(1, max(1, (total - before) // (2 * BATCH))) * BATCH
    proc = subprocess.Popen(veille_cmd("ingest", store, inputs, "-q", *extra),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    try:
        # Progress-based, not time-based: on a loaded machine start-up alone can take seconds.
        while proc.poll() is None and time.monotonic() < deadline and _stored(store) < target:
            time.sleep(0.1)
        time.sleep(rng.uniform(0.0, 0.5))  # land anywhere inside the next batch
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    return max(_stored(store), 0)


def test_crash_sigkill_then_resume_stores_every_document_once(tmp_path: Path) -> None:
    inputs = make_jsonl(tmp_path / "reports.jsonl", N_DOCS)
    store = tmp_path / "store.duckdb"
    rng = random.Random(20240607)
    counts = []
    for _ in range(KILLS):
        stored = _kill_at_random(store, inputs, rng, ("--no-code",))
        counts.append(stored)
        # One transaction per batch of BATCH reports: a kill never leaves part of a batch.
        assert stored % BATCH == 0 or stored == N_DOCS, f"partial batch after SIGKILL: {counts}"
        assert run_veille("check", store).returncode == 0, f"store unsound after SIGKILL: {counts}"
    assert counts[-1] > 0, f"no kill happened after the first commit; counts {counts}"

    done = run_veille("ingest", store, inputs, "--no-code", "-q", timeout=300)
    assert done.returncode == 0, done.stderr
    markers = markers_stored(store)
    assert len(markers) == N_DOCS, f"{N_DOCS - len(markers)} documents lost (kills left {counts})"
    assert set(markers.values()) == {1}, "a document was stored more than once"
    assert query(store, "SELECT count(DISTINCT ext_id), count(*) FROM documents")[0] == (N_DOCS, N_DOCS)
    check = run_veille("check", store)
    assert check.returncode == 0, check.stdout + check.stderr


def _event_sets(store: Path) -> dict[str, tuple[str, ...]]:
    rows = query(store, "SELECT d.ext_id, list(e.id ORDER BY e.id) FROM documents d "
                        "LEFT JOIN events e ON e.doc_id = d.id GROUP BY d.ext_id")
    return {ext: tuple(x for x in ids if x is not None) for ext, ids in rows}


@pytest.mark.slow
def test_crash_with_coding_keeps_documents_and_their_events_together(tmp_path: Path) -> None:
    """With the coder on: after kills and resume, each document has exactly the events of a clean run."""
    inputs = make_jsonl(tmp_path / "reports.jsonl", 400, seed=11)
    reference = tmp_path / "reference.duckdb"
    ref = run_veille("ingest", reference, inputs, "-q", timeout=600)
    assert ref.returncode == 0, ref.stderr
    expected = _event_sets(reference)
    assert sum(map(len, expected.values())) > 0, "the coder found no events at all; nothing to test"

    store = tmp_path / "store.duckdb"
    rng = random.Random(3)
    for _ in range(3):
        _kill_at_random(store, inputs, rng, total=400)
        if store.exists():
            partial = _event_sets(store)
            assert all(partial[k] == expected[k] for k in partial), "a document lost or gained events"
    assert run_veille("ingest", store, inputs, "-q", timeout=600).returncode == 0
    assert _event_sets(store) == expected
    assert run_veille("check", store).returncode == 0
