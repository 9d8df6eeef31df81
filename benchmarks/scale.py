"""Throughput, speed-up and memory of the engines on replicated real reports.

Each configuration runs in a fresh child process (cold start included: worker start-up
and model loading) into a fresh store, while this process samples the resident memory
of the whole process tree (parent, workers, Dask nanny and workers).

    .venv/bin/python benchmarks/scale.py --docs 1000 --workers 1 2 --engines local dask
    .venv/bin/python benchmarks/scale.py --docs 10000 --workers 2 --engines local dask
    .venv/bin/python benchmarks/scale.py --docs 300 --workers 2 --batch-sizes 16 32 64 128
    .venv/bin/python benchmarks/scale.py --docs 300 --workers 1 --engines single local
    .venv/bin/python benchmarks/scale.py --docs 100000 --workers 2 --trace-every 300

With ``--trace-every S`` a long run also prints, every S seconds, the reports stored so
far, the rate over the last interval and the tree's resident memory: one run then shows
whether time is linear and memory flat along the way, not only at the end.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus

CHILD = """
import json, sys, time
from veille.engines import run
from veille.pipeline import PipelineOptions, ingest
def main():
    store, data, engine, workers, batch = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    trace = open(sys.argv[6], "a", buffering=1)
    last = []
    def progress(p):
        last[:] = [p]
        trace.write(json.dumps({"t": time.perf_counter() - t, "stored": p.stats.stored, "seen": p.stats.seen}) + "\\n")
    t = time.perf_counter()
    options = PipelineOptions(batch_size=batch)
    if engine == "single":  # pipeline.ingest in this process: the reference path
        stats = ingest(store, [data], options, on_progress=progress)
        last = []
    else:
        stats = run(store, [data], engine=engine, workers=workers, options=options, on_progress=progress)
    wall = time.perf_counter() - t
    print(json.dumps({"seen": stats.seen, "stored": stats.stored, "events": stats.events,
                      "rejected": stats.rejected, "words": last[-1].words if last else words(store), "wall": wall}))
def words(store):
    from veille.store import Store
    return Store(store).query("SELECT sum(words) FROM documents")[0][0]
if __name__ == "__main__":
    main()
"""


def tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def last_progress(trace: Path) -> dict | None:
    try:
        lines = trace.read_text().splitlines()
    except OSError:
        return None
    for line in reversed(lines):
        try:
            return json.loads(line)
        except ValueError:  # a line being written
            continue
    return None


def measure(data: Path, engine: str, workers: int, batch: int, trace_every: float = 0) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        trace = Path(tmp) / "progress.jsonl"
        cmd = [sys.executable, "-c", CHILD, f"{tmp}/s.duckdb", str(data), engine, str(workers), str(batch),
               str(trace)]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        watched = psutil.Process(proc.pid)
        peak = 0
        start = time.perf_counter()
        next_trace, before = trace_every, {"t": 0.0, "stored": 0}
        if trace_every:
            print("   elapsed_s   stored  docs/s(interval)  RSS_MB  peak_RSS_MB", flush=True)
        while proc.poll() is None:
            rss = tree_rss(watched)
            peak = max(peak, rss)
            if trace_every and time.perf_counter() - start >= next_trace:
                next_trace += trace_every
                now = last_progress(trace)
                if now and now["t"] > before["t"]:
                    rate = (now["stored"] - before["stored"]) / (now["t"] - before["t"])
                    print(f"   {now['t']:>9.0f} {now['stored']:>8} {rate:>17.1f} {rss / 2**20:>7.0f} "
                          f"{peak / 2**20:>12.0f}", flush=True)
                    before = now
            time.sleep(0.25)
        total = time.perf_counter() - start
        out = proc.stdout.read() if proc.stdout else ""
        if proc.returncode != 0:
            raise SystemExit(f"{engine}/{workers} failed ({proc.returncode})")
        result = json.loads(out.strip().splitlines()[-1])
        result.update(engine=engine, workers=workers, batch=batch, process_s=total, peak_rss_mb=peak / 2**20)
        return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, nargs="+", default=[1000])
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--engines", nargs="+", default=["local"], choices=["single", "local", "dask"],
                    help="single: pipeline.ingest in one process (workers ignored)")
    ap.add_argument("--batch-sizes", type=int, nargs="+", default=[64])
    ap.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "veille-bench")
    ap.add_argument("--json", type=Path, help="Also append results as JSON lines to this file.")
    ap.add_argument("--trace-every", type=float, default=0, metavar="S",
                    help="Print progress (stored, rate, RSS) every S seconds during each run.")
    args = ap.parse_args()
    print("docs  engine workers batch   wall_s  docs/s  words/s  events  peak_RSS_MB")
    for n in args.docs:
        data = args.data / f"n{n}"
        corpus.build(data, n)
        for engine in args.engines:
            for workers in args.workers:
                for batch in args.batch_sizes:
                    r = measure(data, engine, workers, batch, args.trace_every)
                    r["docs"] = n
                    print(f"{n:<5} {engine:<6} {workers:>7} {batch:>5} {r['wall']:>8.1f} "
                          f"{r['stored'] / r['wall']:>7.1f} {r['words'] / r['wall']:>8.0f} {r['events']:>7} "
                          f"{r['peak_rss_mb']:>11.0f}", flush=True)
                    if args.json:
                        with args.json.open("a") as out:
                            out.write(json.dumps(r) + "\n")


if __name__ == "__main__":
    main()
