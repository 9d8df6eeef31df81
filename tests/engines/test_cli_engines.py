"""The ingest command's engine flags and ``veille load``, run as real commands."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from veille.engines.display import ProgressDisplay
from veille.engines.driver import Progress
from veille.records import IngestStats

VEILLE = str(Path(sys.executable).parent / "veille")


def veille(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run([VEILLE, *map(str, args)], capture_output=True, text=True, timeout=300,
                          check=False)


def test_cli_engines_workers_and_plain_progress(tmp_path: Path, seeds: Path) -> None:
    proc = veille("ingest", tmp_path / "s.duckdb", seeds, "--workers", "2", "--no-code")
    assert proc.returncode == 0, proc.stderr
    assert "2 reports read, 2 stored" in proc.stdout
    # stderr is not a terminal: plain lines (one every 10 s), no bar, and no progress line
    # repeating the summary that follows (issue 15: "one progress line")
    assert proc.stderr.count("docs/s") <= 1 and "\x1b[" not in proc.stderr


def test_cli_engines_dask_parquet_then_load(tmp_path: Path, seeds: Path) -> None:
    out = tmp_path / "parts"
    proc = veille("ingest", tmp_path / "unused.duckdb", seeds, "--engine", "dask", "--workers", "1",
                  "--parquet-out", out, "--no-code", "-q")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "" or "docs/s" not in proc.stderr
    proc = veille("load", tmp_path / "l.duckdb", out)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("2 documents, 0 events")
    assert veille("load", tmp_path / "l.duckdb", tmp_path / "nothing").returncode == 2


def test_cli_engines_usage_errors(tmp_path: Path, seeds: Path) -> None:
    assert veille("ingest", tmp_path / "s.duckdb", seeds, "--scheduler", "tcp://x:1").returncode == 2
    assert veille("ingest", tmp_path / "s.duckdb", seeds, "--workers", "0").returncode == 2


def test_display_plain_lines_at_interval_only() -> None:
    stream = io.StringIO()
    with ProgressDisplay(stream=stream, interval=0.0) as show:
        show(Progress(IngestStats(10, 8, 1, 1, 30, 2.0), words=5000, fraction=0.5))
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1  # none repeated at the end: the command's summary follows
    assert "5.0 docs/s, 15.0 events/s, 2,500 words/s; 50% of input, ETA 0:02" in lines[0]
    quiet = io.StringIO()
    with ProgressDisplay(quiet=True, stream=quiet) as show:
        show(Progress(IngestStats(1, 1, 0, 0, 0, 1.0)))
    assert quiet.getvalue() == ""
