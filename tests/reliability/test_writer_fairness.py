"""Issue 17, item 7: heavy API reading must not starve the writer.

16 unpaced readers hammer the real server while this process opens the store for writing
again and again (the longest wait is measured), and while a real ingest runs.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime
from pathlib import Path

import pytest

from veille.store import Store

from ._support import Served, make_jsonl, query, run_veille

READERS = 16


@pytest.fixture()
def store(tmp_path: Path) -> Path:
    path = tmp_path / "s.duckdb"
    result = run_veille("ingest", path, make_jsonl(tmp_path / "first.jsonl", 30), "--quiet", "--no-code",
                        timeout=300)
    assert result.returncode == 0, result.stderr
    return path


class Load:
    """READERS threads requesting event pages from the server with no pause."""

    def __init__(self, server: Served) -> None:
        self.server = server
        self.stop = threading.Event()
        self.answers = 0
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(READERS)]

    def _run(self) -> None:
        while not self.stop.is_set():
            try:
                status, _, _ = self.server.get("/api/events?limit=50", timeout=30)
                if status == 200:
                    self.answers += 1
            except OSError:
                pass

    def __enter__(self) -> Load:
        for t in self.threads:
            t.start()
        time.sleep(1.0)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(timeout=30)


def test_writer_gets_in_under_16_unpaced_readers(store: Path) -> None:
    waits = []
    with Served(store) as server, Load(server) as load:
        for i in range(8):
            started = time.monotonic()
            with Store(store, lock_wait=60).writer() as con:
                waits.append(time.monotonic() - started)
                con.execute("INSERT INTO rejected VALUES (?, NULL, 'writer fairness probe', ?)",
                            [f"probe-{i}", datetime.now()])
            time.sleep(0.2)
        assert load.answers > 50  # the readers were really reading
    assert len(query(store, "SELECT * FROM rejected WHERE reason = 'writer fairness probe'")) == 8
    print(f"writer waits under {READERS} readers: max {max(waits):.3f} s, all {[round(w, 3) for w in waits]}")
    assert max(waits) < 5.0, waits


def test_ingest_completes_under_16_unpaced_readers(store: Path, tmp_path: Path) -> None:
    more = make_jsonl(tmp_path / "more.jsonl", 120, seed=11)
    with Served(store) as server, Load(server):
        started = time.monotonic()
        result = run_veille("ingest", store, more, "--quiet", "--no-code", "--workers", "1", timeout=600)
        elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert "V031" not in result.stderr
    assert query(store, "SELECT count(*) FROM documents")[0][0] == 150
    print(f"ingest of 120 reports under {READERS} readers: {elapsed:.1f} s")
