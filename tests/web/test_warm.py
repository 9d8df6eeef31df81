"""The warm reader: fast connections during bursts, never starving an ingest."""

from __future__ import annotations

import time
from dataclasses import replace

from fastapi.testclient import TestClient

from veille.store import Store
from veille.web import create_app
from veille.web.warm import WarmReader

from .sample import build_store, sample_records


def test_warm_pin_released_when_idle(tmp_path) -> None:
    path = build_store(tmp_path / "w.duckdb")
    warm = WarmReader(Store(path), linger=0.1, max_hold=5, cooldown=0.2)
    try:
        _check_release(warm, path)
    finally:
        warm.close()


def _check_release(warm: WarmReader, path) -> None:
    with warm.reader() as con:
        assert con.execute("SELECT count(*) FROM events").fetchone()[0] == 9
    assert warm.pinned
    time.sleep(0.4)
    assert not warm.pinned
    docs, events = sample_records()
    t = time.perf_counter()
    Store(path, lock_wait=1).write_batch(docs, [replace(events[0], id="new")])
    assert time.perf_counter() - t < 1


WRITER = """
import sys, time
from dataclasses import replace
sys.path.insert(0, sys.argv[2])
from tests.web.sample import sample_records
from veille.store import Store
docs, events = sample_records()
t = time.perf_counter()
Store(sys.argv[1], lock_wait=10).write_batch(docs, [replace(events[0], id="during")])
print(time.perf_counter() - t)
"""


def test_warm_writer_gets_in_during_steady_requests(tmp_path) -> None:
    """An ingest in another process waits at most about max_hold + its back-off while requests never stop."""
    path = build_store(tmp_path / "w.duckdb")
    with TestClient(create_app(path)) as client:
        _hammer_while_writing(client, path)


def _hammer_while_writing(client: TestClient, path) -> None:
    import subprocess
    import sys
    import threading
    from pathlib import Path

    app_warm = client.app.state.warm_reader
    app_warm.max_hold, app_warm.cooldown = 0.5, 0.75
    stop = threading.Event()
    statuses: list[int] = []

    def hammer() -> None:
        while not stop.is_set():
            statuses.append(client.get("/api/events?limit=5").status_code)

    thread = threading.Thread(target=hammer)
    thread.start()
    try:
        time.sleep(0.3)
        repo = str(Path(__file__).resolve().parents[2])
        done = subprocess.run(
            [sys.executable, "-c", WRITER, str(path), repo],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        waited = float(done.stdout.strip())
    finally:
        stop.set()
        thread.join()
    assert waited < 3, waited
    assert set(statuses) == {200} and len(statuses) > 10
    assert "during" in [i["id"] for i in client.get("/api/events?q=exprim").json()["items"]]


def test_warm_missing_store_is_503(tmp_path) -> None:
    app = create_app(tmp_path / "none.duckdb")
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/api/summary").status_code == 503
        assert not client.app.state.warm_reader.pinned
