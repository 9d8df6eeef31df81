"""Readers and a writer in real processes: readers never fail nor see half a batch; the writer goes on.

The ingest subprocess writes unique reports, BATCH per transaction, so the committed
document count is always a multiple of BATCH (until the last, shorter batch). Meanwhile
one process runs ``veille documents`` / ``veille events`` in a loop and another opens
the store through ``Store.reader`` in a loop; every read must succeed (readers retry
while the writer holds the file) and see only whole batches, and no event without its
document.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from veille.store import Store

from ._support import BATCH, make_jsonl, run_veille, veille_cmd

N_DOCS = 1600  # 25 batches

READER_LOOP = textwrap.dedent("""
    import json, sys, time
    from veille.store import Store
    store, stop = Store(sys.argv[1], lock_wait=60), sys.argv[2]
    import os
    seen, failures = [], []
    while not os.path.exists(stop):
        try:
            with store.reader() as con:
                docs = con.execute("SELECT count(*) FROM documents").fetchall()[0][0]
                orphans = con.execute(
                    "SELECT count(*) FROM events e WHERE NOT EXISTS "
                    "(SELECT 1 FROM documents d WHERE d.id = e.doc_id)").fetchall()[0][0]
            seen.append([docs, orphans])
        except Exception as exc:  # noqa: BLE001 - the test reports any failure
            failures.append(f"{type(exc).__name__}: {exc}")
        time.sleep(0.01)
    print(json.dumps({"seen": seen, "failures": failures}))
""")


def test_concurrency_readers_never_fail_nor_see_half_a_batch(tmp_path: Path) -> None:
    inputs = make_jsonl(tmp_path / "reports.jsonl", N_DOCS, seed=5)
    store, stop = tmp_path / "store.duckdb", tmp_path / "stop"
    Store(store).create()  # readers start before the first batch lands

    python_reader = subprocess.Popen([sys.executable, "-c", READER_LOOP, str(store), str(stop)],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    started = time.monotonic()
    writer = subprocess.Popen(veille_cmd("ingest", store, inputs, "--no-code", "-q"),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    cli_failures: list[tuple[int, str]] = []
    try:
        # the CLI loop runs in this process until the writer is done
        while writer.poll() is None:
            cli_failures += _cli_reader_loop_once(store)
        writer_seconds = time.monotonic() - started
    finally:
        stop.touch()
        out, err = python_reader.communicate(timeout=120)
    w_out, w_err = writer.communicate(timeout=10)
    assert writer.returncode == 0, w_err
    assert not cli_failures, cli_failures
    report = json.loads(out.strip().splitlines()[-1])
    assert not report["failures"], report["failures"][:5]
    counts = [docs for docs, _ in report["seen"]]
    assert len(counts) >= 5, "the Python reader hardly ran"
    assert all(c % BATCH == 0 or c == N_DOCS for c in counts), sorted(set(counts))
    assert all(orphans == 0 for _, orphans in report["seen"])
    assert counts == sorted(counts), "a reader saw the document count go down"
    assert len(set(counts)) > 2, f"readers saw no progress between batches: {sorted(set(counts))}"
    assert run_veille("check", store).returncode == 0
    # the writer was not starved: far below the 30 s a lock wait would take per batch
    assert writer_seconds < 25 * 10, writer_seconds


def _cli_reader_loop_once(store: Path) -> list[tuple[int, str]]:
    failures = []
    for command in ("documents", "events"):
        result = run_veille(command, store, "--format", "csv", "--limit", "100000", timeout=120)
        if result.returncode != 0:
            failures.append((result.returncode, result.stderr[-300:]))
        elif command == "documents":
            count = len(list(csv.DictReader(io.StringIO(result.stdout))))
            if count % BATCH and count != N_DOCS:
                failures.append((0, f"veille documents saw {count} documents: half a batch"))
    return failures
