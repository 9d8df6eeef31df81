"""Issue 17, items 9 and 10: a truncated store and a foreign file given as the store.

Every command and the real server refuse them with one clear message (V033 damaged,
V034 not a store) and the right advice, instead of tracebacks, misleading answers or a
download attempt.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from ._support import Served, run_veille

REPORTS = [
    "La France a condamné lundi les frappes russes contre l'Ukraine.",
    "The United States accused China of cyber attacks on Tuesday.",
    "Le Japon et la Corée du Sud ont signé un accord de coopération militaire.",
]


@pytest.fixture(scope="module")
def sound_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("damaged")
    for i, text in enumerate(REPORTS * 4):
        (folder / f"r{i}.txt").write_text(f"{text} ({i})", encoding="utf-8")
    store = folder / "sound.duckdb"
    result = run_veille("ingest", store, folder, "--quiet", timeout=300)
    assert result.returncode == 0, result.stderr
    return store


@pytest.fixture()
def truncated(sound_store: Path, tmp_path: Path) -> Path:
    path = tmp_path / "cut.duckdb"
    shutil.copy(sound_store, path)
    os.truncate(path, path.stat().st_size - 100_000)
    return path


@pytest.fixture()
def sqlite_file(tmp_path: Path) -> Path:
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    return path


@pytest.mark.parametrize("command", [["events"], ["documents"], ["export", "--format", "csv", "-o", "OUT"],
                                     ["ingest", "INPUT"], ["events", "--format", "jsonl"]])
def test_truncated_store_is_refused_with_one_clear_message(truncated: Path, tmp_path: Path, command) -> None:
    (tmp_path / "in.txt").write_text(REPORTS[0], encoding="utf-8")
    args = [str(tmp_path / "out") if a == "OUT" else str(tmp_path / "in.txt") if a == "INPUT" else a
            for a in command]
    result = run_veille(command[0], truncated, *args[1:], timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "[V033]" in result.stderr and "damaged" in result.stderr
    assert "Restore it from a copy" in result.stderr and "veille check" in result.stderr
    assert "free disk space" not in result.stderr


def test_check_reports_the_damage(truncated: Path) -> None:
    result = run_veille("check", truncated, timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert "damaged" in result.stdout


def test_sqlite_file_is_not_a_store_and_nothing_is_downloaded(sqlite_file: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home)}  # an extension download would land in ~/.duckdb
    for command in (["events"], ["documents"], ["check"]):
        result = run_veille(command[0], sqlite_file, timeout=60, env=env)
        assert result.returncode == 1
        out = result.stderr + result.stdout
        assert "not a veille store" in out and "SQLite" in out, out
        assert "INSTALL" not in out and "extension" not in out.lower()
    assert not (home / ".duckdb").exists()


def test_server_answers_503_with_the_reason_on_a_truncated_store(truncated: Path) -> None:
    with Served(truncated) as server:
        for path in ("/api/summary", "/api/events", "/api/documents/x", "/api/events?format=csv"):
            status, _, body = server.get(path)
            assert status == 503, (path, status, body[:200])
            error = json.loads(body)["error"]
            assert "V033" in error["message"], error
