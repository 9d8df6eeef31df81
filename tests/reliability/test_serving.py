"""Issue 17, items 6 and 8 and "serving safely": the real `veille serve` in a subprocess.

- /api/extract: long unpunctuated text costs time in proportion to its length (sentences
  are capped in tokens), and a request past the time limit answers 503 and is stopped;
- SIGINT and SIGTERM stop the server within 2 s, even during an extraction;
- slow clients are cut after the read timeout, and the server still answers others;
- the Host header is checked (DNS rebinding), impossible dates are refused (422), and a
  port in use gives veille's own error and exit code.
"""

from __future__ import annotations

import json
import random
import signal
import socket
import threading
import time
from pathlib import Path

import pytest

from ._support import Served, free_port, run_veille

WORDS = ["le", "gouvernement", "français", "a", "annoncé", "des", "mesures", "contre", "la", "Russie", "et", "les", "manifestants", "de", "Paris", "ont", "critiqué", "la", "police", "à", "Lyon", "avec", "des", "forces", "armées"]


def _unpunctuated(n_words: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(n_words))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("serving")
    (folder / "r.txt").write_text("La France a condamné lundi les frappes russes contre l'Ukraine.", encoding="utf-8")
    path = folder / "s.duckdb"
    result = run_veille("ingest", path, folder / "r.txt", "--quiet", timeout=300)
    assert result.returncode == 0, result.stderr
    return path


def _post(server: Served, body: dict, timeout: float = 120) -> tuple[int, dict, float]:
    started = time.monotonic()
    status, _, raw = server.get("/api/extract", {"content-type": "application/json"},
                                json.dumps(body).encode(), timeout=timeout)
    return status, json.loads(raw), time.monotonic() - started


def test_extract_time_limit_and_linear_cost(store: Path) -> None:
    with Served(store, "--extract-timeout", "8") as server:
        status, body, _ = _post(server, {"text": "France condemned Russia on Monday.", "date": "2024-03-04"})
        assert status == 200, body  # warms the worker (models load outside the limit)
        timings = {}
        for words in (1500, 6000):
            status, body, seconds = _post(server, {"text": _unpunctuated(words)})
            assert status == 200, body
            timings[words] = seconds
        # 4x the text: at most about 4x the time (was superlinear: one sentence of thousands of tokens)
        assert timings[6000] < 6 * timings[1500] + 1.0, timings
        status, body, seconds = _post(server, {"text": _unpunctuated(100_000)})
        assert status == 503 and body["error"]["code"] == "extract_timeout", body
        assert seconds < 8 + 6, seconds
        status, body, _ = _post(server, {"text": "Germany praised Poland on Tuesday."})
        assert status == 200, body  # a new worker took over


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_server_stops_within_two_seconds_during_an_extraction(store: Path, sig: int) -> None:
    with Served(store, "--extract-timeout", "120") as server:
        answers: list[int] = []

        def long_request() -> None:
            try:
                answers.append(_post(server, {"text": _unpunctuated(100_000)}, timeout=60)[0])
            except OSError:
                answers.append(-1)

        worker = threading.Thread(target=long_request, daemon=True)
        worker.start()
        time.sleep(4)  # the extraction is under way (or its worker is loading models)
        started = time.monotonic()
        server.proc.send_signal(sig)
        server.proc.wait(timeout=10)
        assert time.monotonic() - started < 2.0
        worker.join(timeout=10)
        assert answers and answers[0] in (503, -1)


def test_slow_clients_are_cut_and_others_still_served(store: Path) -> None:
    with Served(store) as server:
        slow = []
        for _ in range(40):
            s = socket.create_connection(("127.0.0.1", server.port), timeout=5)
            s.sendall(b"GET /api/summary HTTP/1.1\r\nHost: localhost\r\n")
            slow.append(s)
        status, _, _ = server.get("/api/summary", timeout=10)
        assert status == 200  # not starved by the 40 trickling connections
        deadline = time.monotonic() + 16
        open_ = list(slow)
        while open_ and time.monotonic() < deadline:
            still = []
            for s in open_:
                try:
                    s.sendall(b"X")  # a byte every second: never a whole request
                    s.settimeout(0.01)
                    data = s.recv(4096)
                    if data == b"" or b"408" in data:
                        s.close()
                        continue
                except (TimeoutError, BlockingIOError):
                    pass
                except OSError:
                    s.close()
                    continue
                still.append(s)
            open_ = still
            time.sleep(1)
        for s in open_:
            s.close()
        assert not open_, f"{len(open_)} slow connections still open after 16 s"


def test_host_header_is_checked(store: Path) -> None:
    with Served(store, "--allow-host", "veille.internal") as server:
        for host, expected in (("evil.example", 421), ("evil.example:8000", 421),
                               (f"localhost:{server.port}", 200), (f"127.0.0.1:{server.port}", 200),
                               ("veille.internal", 200), ("[::1]:8000", 200)):
            status, _, body = server.get("/api/summary", headers={"Host": host})
            assert status == expected, (host, status, body[:200])
        status, _, body = server.get("/", headers={"Host": "rebound.attacker.test"})
        assert status == 421


def test_extract_refuses_impossible_dates(store: Path) -> None:
    with Served(store) as server:
        for bad in ("2024-13-45", "2024-02-30", "2023-00"):
            status, body, _ = _post(server, {"text": "France condemned Russia.", "date": bad})
            assert status == 422, (bad, body)
            assert bad in body["error"]["message"]


def test_port_in_use_gives_veilles_error_and_exit_code(store: Path) -> None:
    port = free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen(1)
        result = run_veille("serve", store, "--port", str(port), timeout=60)
    assert result.returncode == 4
    assert "[V070]" in result.stderr and f"port {port}" in result.stderr
    assert "Traceback" not in result.stderr
