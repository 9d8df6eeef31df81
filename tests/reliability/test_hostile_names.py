"""Issue 17, items 1–5: names, fields and file kinds that crashed or hung an ingest.

Each test builds the hostile input with real files (a non-UTF-8 name, a FIFO, a symlink
loop) and runs the real CLI with a timeout: the batch must finish, keep every valid
report, and record what it could not use.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ._support import query, run_veille

GOOD = "The Japanese government criticised Russia over the strikes on Monday."


def _ingest(store: Path, *inputs: object, timeout: float = 120):
    result = run_veille("ingest", store, *inputs, "--no-code", "--quiet", timeout=timeout)
    assert result.returncode == 0, result.stderr
    return result


def test_non_utf8_file_name_is_stored_escaped_and_the_rest_proceeds(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    bad = os.fsencode(folder) + b"/bad_\xff\xfe.txt"
    with open(bad, "wb") as fh:
        fh.write(b"The United States accused China of spying.")
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    store = tmp_path / "s.duckdb"
    _ingest(store, folder)
    sources = sorted(row[0] for row in query(store, "SELECT source FROM documents"))
    assert len(sources) == 2
    assert sources[0].endswith("bad_\\xff\\xfe.txt")  # lossless: the bytes can be read back
    _ingest(store, folder)  # a rerun is idempotent, not a crash
    assert query(store, "SELECT count(*) FROM documents")[0][0] == 2


def test_lone_surrogates_in_jsonl_fields_do_not_abort(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    lines = [
        '{"text": "France condemned the attack on Ukraine.", "title": "\\ud800 x", '
        '"url": "https://example.org/\\udfff", "id": "\\ud801"}',
        json.dumps({"text": GOOD, "id": "ok"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = tmp_path / "s.duckdb"
    _ingest(store, path)
    rows = query(store, "SELECT ext_id, title, url FROM documents ORDER BY ext_id")
    assert len(rows) == 2
    assert rows[0] == ("ok", None, None)
    assert rows[1][1] == "\ufffd x" and rows[1][2] == "https://example.org/\ufffd"


def test_jsonl_with_a_bom_keeps_its_first_record(tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    body = json.dumps({"text": "Germany praised Poland on Tuesday.", "id": "first"}) + "\n"
    body += json.dumps({"text": GOOD, "id": "second"}) + "\n"
    path.write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8"))
    store = tmp_path / "s.duckdb"
    _ingest(store, path)
    assert sorted(r[0] for r in query(store, "SELECT ext_id FROM documents")) == ["first", "second"]
    assert query(store, "SELECT count(*) FROM rejected")[0][0] == 0


def test_fifo_is_rejected_without_blocking_alone_or_in_a_directory(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    os.mkfifo(folder / "pipe")
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    store = tmp_path / "s.duckdb"
    result = _ingest(store, folder, folder / "pipe", timeout=60)
    assert query(store, "SELECT count(*) FROM documents")[0][0] == 1
    rejected = query(store, "SELECT file, reason FROM rejected")
    assert len(rejected) == 1  # named twice (walk and argument), opened never, rejected once
    assert rejected[0][0].endswith("pipe") and "not a regular file" in rejected[0][1]
    assert "pipe" in result.stderr


def test_recursive_glob_through_a_symlink_loop_ends(tmp_path: Path) -> None:
    loop = tmp_path / "loop"
    loop.mkdir()
    (loop / "a.txt").write_text(GOOD, encoding="utf-8")
    (loop / "sub").mkdir()
    (loop / "sub" / "b.txt").write_text("Russia shelled Kharkiv on Sunday.", encoding="utf-8")
    os.symlink(".", loop / "self")
    os.symlink("..", loop / "sub" / "up")
    store = tmp_path / "s.duckdb"
    _ingest(store, f"{loop}/**", timeout=60)
    assert query(store, "SELECT count(*) FROM documents")[0][0] == 2
    _ingest(store, loop, f"{loop}/**/*.txt", timeout=60)
    assert query(store, "SELECT count(*) FROM documents")[0][0] == 2
