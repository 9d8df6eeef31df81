"""The command line for real: subprocesses running the installed ``veille`` script."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

VEILLE = str(Path(sys.executable).parent / "veille")


def run(*args, input=None, check=True):
    proc = subprocess.run([VEILLE, *map(str, args)], capture_output=True, text=True, input=input, timeout=600)
    if check and proc.returncode != 0:
        raise AssertionError(f"veille {args} exited {proc.returncode}: {proc.stderr}")
    return proc


@pytest.fixture(scope="module")
def store(tmp_path_factory, seeds):
    path = tmp_path_factory.mktemp("cli") / "reports.duckdb"
    out = run("ingest", path, seeds, "--lang", "auto", "--quiet")
    assert "2 stored" in out.stdout
    return path


def test_cli_ingest_is_idempotent(store, seeds):
    out = run("ingest", store, seeds, "--quiet")
    assert "0 stored" in out.stdout and "2 already stored" in out.stdout


def test_cli_documents_lists_dates_and_precision(store):
    rows = [json.loads(line) for line in run("documents", store, "--format", "jsonl").stdout.splitlines()]
    by_source = {Path(r["source"]).name: r for r in rows}
    seed0, seed1 = by_source["000_9230cafe3ed7c3ae.txt"], by_source["001_df6c4fd0f17f4fad.txt"]
    assert (seed0["date"], seed0["precision"], seed0["lang"]) == ("2022-01-07", "day", "fr")
    assert (seed1["date"], seed1["precision"], seed1["lang"]) == (None, "unknown", "fr")
    assert run("documents", store).stdout.count("fr") >= 2  # the table view works too


def test_cli_events_filters_by_dyad_and_date(store):
    lines = run("events", store, "--actor", "USA", "--recipient", "CHN", "--since", "2022-01-01", "--format", "jsonl").stdout.splitlines()
    records = [json.loads(line) for line in lines]
    assert records, "expected USA→CHN events in the seeds"
    for r in records:
        assert any(a["code"].startswith("USA") for a in r["actor"])
        assert any(a["code"].startswith("CHN") for a in r["recipient"])
        assert r["date"] >= "2022-01-01"


def test_cli_export_every_format(store, tmp_path):
    for fmt in ("parquet", "csv", "jsonl"):
        out = run("export", store, "--format", fmt, "-o", tmp_path / fmt).stdout
        for table in ("documents", "events", "event_actors", "rejected"):
            assert (tmp_path / fmt / f"{table}.{fmt}").exists(), out
    first = json.loads((tmp_path / "jsonl" / "events.jsonl").read_text().splitlines()[0])
    assert {"id", "doc_id", "date", "date_precision", "event", "mode", "context", "actor", "recipient",
            "factuality", "confidence", "cameo_root", "quad_class", "goldstein", "location", "text_info",
            "cite_info"} <= set(first)


def test_cli_clean_prints_one_object(seeds):
    obj = json.loads(run("clean", seeds / "001_df6c4fd0f17f4fad.txt").stdout)
    assert {"id", "text", "title", "date", "date_precision", "lang", "url"} <= set(obj)
    assert obj["title"].startswith("Japon : Antony Blinken")


def test_cli_extract_jsonl_input_id_becomes_doc_id(tmp_path):
    path = tmp_path / "reports.jsonl"
    path.write_text(json.dumps({"id": "my-report-1", "lang": "fr", "date": "2025-01-07",
                                "text": "Les États-Unis ont accusé mardi la Russie de fournir des armes à la Corée du Nord."}) + "\n"
                    + "{broken\n")
    proc = run("extract", path, "--format", "jsonl")
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert records and all(r["doc_id"] == "my-report-1" for r in records)
    assert "line 2" in proc.stderr and "invalid JSON" in proc.stderr


def test_cli_ingest_reports_rejections_and_strict_exit(tmp_path, seeds):
    bad = tmp_path / "in"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "doc.pdf").write_bytes(b"%PDF-1.4 ...")
    (bad / "ok.txt").write_text((seeds / "000_9230cafe3ed7c3ae.txt").read_text())
    store = tmp_path / "s.duckdb"
    proc = run("ingest", store, bad, "--no-code", "--quiet")
    assert "1 stored" in proc.stdout and "2 rejected" in proc.stdout
    assert "empty.txt: empty file" in proc.stderr and "doc.pdf: not a news report: a PDF document" in proc.stderr
    rows = run("rejected", store, "--format", "jsonl").stdout.splitlines()
    assert len(rows) == 2
    assert run("ingest", tmp_path / "t.duckdb", bad, "--no-code", "--quiet", "--strict", check=False).returncode == 1


def test_cli_stdin_and_usage_errors(tmp_path):
    text = "Le président français a rencontré lundi à Paris le chancelier allemand pour discuter de l'Ukraine."
    proc = run("extract", "-", input=text)
    assert proc.returncode == 0
    assert run("ingest", tmp_path / "x.duckdb", "/no/such/file.txt", check=False).returncode == 2
    assert run("documents", tmp_path / "missing.duckdb", check=False).returncode == 1


def test_cli_sample_is_bundled():
    from veille.cli import sample_dir

    files = sorted(p.name for p in sample_dir().rglob("*.txt"))
    assert "000_9230cafe3ed7c3ae.txt" in files and len(files) >= 10
    assert (sample_dir() / "ATTRIBUTION.md").read_text().count("CC BY-SA 4.0") >= 1
