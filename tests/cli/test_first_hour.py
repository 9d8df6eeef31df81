"""Issue 15, "Commands and messages": the stumbles of a new user's first hour, each for real."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

VEILLE = str(Path(sys.executable).parent / "veille")
REPORT = "La France a condamné lundi les frappes russes contre l'Ukraine. Paris a convoqué l'ambassadeur russe."


def run(*args, check: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run([VEILLE, *map(str, args)], capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("first_hour")
    lines = [{"id": f"r{i}", "text": f"{REPORT} ({i})", "date": "2010" if i == 0 else "2022-03-07"}
             for i in range(4)]
    (folder / "in.jsonl").write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines),
                                     encoding="utf-8")
    path = folder / "s.duckdb"
    result = run("ingest", path, folder / "in.jsonl")
    assert result.returncode == 0, result.stderr
    return path


def test_a_mistyped_path_leaves_no_store(tmp_path: Path) -> None:
    result = run("ingest", tmp_path / "new.duckdb", tmp_path / "nope")
    assert result.returncode == 2 and "[V002]" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_one_progress_line(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text(REPORT, encoding="utf-8")
    result = run("ingest", tmp_path / "s.duckdb", tmp_path / "r.txt", "--no-code")
    assert result.returncode == 0
    lines = [line for line in (result.stdout + result.stderr).splitlines() if "read" in line]
    assert len(lines) == 1, lines


def test_unknown_type_and_language_are_usage_errors(store: Path, tmp_path: Path) -> None:
    result = run("events", store, "--type", "FOO")
    assert result.returncode == 2 and "accuse" in result.stderr.lower() and "assault" in result.stderr.lower()
    assert run("events", store, "--type", "accuse").returncode == 0
    result = run("ingest", tmp_path / "x.duckdb", store, "--lang", "xx")
    assert result.returncode == 2 and "'fr'" in result.stderr and "'en'" in result.stderr
    assert not (tmp_path / "x.duckdb").exists()


def test_events_say_what_the_limit_cut_and_show_dates_at_their_precision(store: Path) -> None:
    total = len(run("events", store, "--format", "jsonl").stdout.splitlines())
    assert total >= 4
    result = run("events", store, "--limit", "2", "--format", "csv")
    assert f"2 of {total} events shown" in result.stderr
    full = run("events", store, "--format", "csv", "--evidence").stdout
    assert "evidence" in full.splitlines()[0] and "convoqué l'ambassadeur" in full
    dates = {row.split(",")[0] for row in full.splitlines()[1:]}
    assert "2010" in dates and "2010-01-01" not in dates
    docs = run("documents", store, "--format", "csv").stdout
    assert ",2010,year," in docs


def test_evaluate_names_the_bad_line_of_a_malformed_gold_file(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "a", "text": "x", "events": []}\n{"id": "b", "events": [\n', encoding="utf-8")
    result = run("evaluate", gold)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "gold.jsonl:2" in result.stderr


def test_clean_and_extract_take_the_max_bytes_they_advise(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text(REPORT * 40, encoding="utf-8")
    for command in ("clean", "extract"):
        result = run(command, big, "--max-bytes", "100")
        assert "--max-bytes" in result.stderr or "bytes" in result.stderr, result.stderr
        assert run(command, big, "--max-bytes", "1000000").returncode == 0


def test_nothing_found_is_said(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    for command in ("extract", "clean"):
        result = run(command, tmp_path / "empty")
        assert result.returncode == 1 and "no report found" in result.stderr


def test_a_binary_file_read_as_jsonl_gives_one_line(tmp_path: Path) -> None:
    blob = tmp_path / "blob.jsonl"
    blob.write_bytes(bytes(range(256)) * 800)
    result = run("ingest", tmp_path / "s.duckdb", blob, "--no-code", "--reader", "jsonl")
    rejected = [line for line in result.stderr.splitlines() if line.startswith("rejected")]
    assert len(rejected) == 1 and "binary data" in rejected[0]


def test_titles_from_a_plain_first_line_and_past_a_junk_html_title(tmp_path: Path) -> None:
    text = tmp_path / "r.txt"
    text.write_text("date 2016-11-10 https://example.org/a\nTrump protest march in Seattle marred by shooting\n\n"
                    "A gunman opened fire in downtown Seattle on Wednesday night and wounded five people.\n",
                    encoding="utf-8")
    assert json.loads(run("clean", text).stdout)["title"] == "Trump protest march in Seattle marred by shooting"
    page = tmp_path / "p.html"
    body = "<p>" + "Russia and Ukraine agreed on Monday to swap prisoners after talks in Istanbul. " * 12 + "</p>"
    page.write_text(f'<html><head><title>escenic</title><meta property="og:title" content="Russia and Ukraine '
                    f'agree on a prisoner swap"></head><body><article>{body}</article></body></html>', encoding="utf-8")
    assert json.loads(run("clean", page).stdout)["title"] == "Russia and Ukraine agree on a prisoner swap"
