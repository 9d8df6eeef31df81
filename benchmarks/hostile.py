"""Issue 17's figures: /api/extract cost and time limit, and an ingest under heavy reading.

Everything runs for real: `veille serve` in a subprocess, 16 reader threads requesting
event pages with no pause, and `veille ingest` in another subprocess.

    .venv/bin/python benchmarks/hostile.py extract            # 100 KB, 500 KB, 1 MB bodies
    .venv/bin/python benchmarks/hostile.py ingest --docs 1000  # unloaded, then under 16 readers

`extract` posts unpunctuated text (the worst case: no sentence ends) and real report text
of each size, with the default time limit (30 s) and with a generous one, so both the
cost and the limit show. `ingest` reports the wall time of the same ingest into a fresh
store without and with the reader load, and the longest wait of a writer probe
(`Store.writer()` opened every 0.5 s during the loaded ingest).
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

VEILLE = str(Path(sys.executable).with_name("veille"))
READERS = 16


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, store: Path, *args: str) -> None:
        self.port = _port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen([VEILLE, "serve", str(store), "--port", str(self.port), *args],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(600):
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    def request(self, path: str, body: bytes | None = None, timeout: float = 600) -> tuple[int, bytes]:
        req = urllib.request.Request(self.url + path, data=body, headers={"content-type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=20)


def _texts(size: int) -> dict[str, str]:
    rng = random.Random(size)
    words = [w for _, t in corpus.base_texts(("fr",))[:50] for w in t.split()]
    unpunctuated = " ".join(rng.choice(words).strip(".;:!?") for _ in range(size // 6))
    real = "\n".join(t for _, t in corpus.base_texts(("fr", "en")))
    while len(real) < size:
        real += "\n" + real
    return {"unpunctuated": unpunctuated[:size], "real reports": real[:size]}


def bench_extract(store: Path, quick: bool = False) -> None:
    for limit in ("30", "600")[:1 if quick else 2]:
        server = Server(store, "--extract-timeout", limit)
        try:
            server.request("/api/extract", json.dumps({"text": "France condemned Russia."}).encode())  # warm
            for size in (100_000, 500_000, 999_000):  # body bytes; 1 MB (1,000,000) is the cap
                for kind, text in _texts(size).items():
                    body = json.dumps({"text": text}, ensure_ascii=False).encode()
                    while len(body) > size:
                        text = text[:len(text) - (len(body) - size) - 1]
                        body = json.dumps({"text": text}, ensure_ascii=False).encode()
                    started = time.monotonic()
                    status, _ = server.request("/api/extract", body)
                    print(f"limit {limit:>3} s  {len(body) / 1e3:7.0f} KB  {kind:<13} -> {status}  "
                          f"{time.monotonic() - started:6.1f} s", flush=True)
        finally:
            server.close()


def _ingest(store: Path, data: list[Path]) -> float:
    started = time.monotonic()
    result = subprocess.run([VEILLE, "ingest", str(store), *map(str, data), "--quiet"], capture_output=True,
                            text=True)
    if result.returncode:
        raise RuntimeError(result.stderr)
    return time.monotonic() - started


def bench_ingest(docs: int, work: Path, unloaded: float | None = None) -> None:
    from veille.store import Store

    data = corpus.build(work / "data", docs)
    if unloaded is None:
        unloaded = _ingest(work / "unloaded.duckdb", data)
        print(f"ingest of {docs} reports, unloaded: {unloaded:.1f} s", flush=True)

    loaded_store = work / "loaded.duckdb"
    _ingest(loaded_store, data[:1])
    server = Server(loaded_store)
    stop = threading.Event()
    answers = [0]

    def read() -> None:
        while not stop.is_set():
            try:
                if server.request("/api/events?limit=50", timeout=60)[0] == 200:
                    answers[0] += 1
            except OSError:
                pass

    waits: list[float] = []

    def probe() -> None:
        while not stop.is_set():
            started = time.monotonic()
            with Store(loaded_store, lock_wait=120).writer():
                waits.append(time.monotonic() - started)
            time.sleep(0.5)

    threads = [threading.Thread(target=read, daemon=True) for _ in range(READERS)]
    threads.append(threading.Thread(target=probe, daemon=True))
    for t in threads:
        t.start()
    try:
        loaded = _ingest(loaded_store, data)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=120)
        server.close()
    print(f"ingest of {docs} reports under {READERS} unpaced readers: {loaded:.1f} s "
          f"({loaded / unloaded:.2f}x unloaded); {answers[0]} pages served; writer probe waits: "
          f"max {max(waits):.3f} s, median {sorted(waits)[len(waits) // 2]:.3f} s over {len(waits)}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["extract", "ingest"])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--quick", action="store_true", help="extract: the default limit only")
    parser.add_argument("--unloaded", type=float, help="ingest: seconds of an earlier unloaded run (skip it)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.what == "extract":
            store = work / "s.duckdb"
            _ingest(store, corpus.build(work / "data", 10))
            bench_extract(store, args.quick)
        else:
            bench_ingest(args.docs, work, args.unloaded)


if __name__ == "__main__":
    main()
