"""Security: nothing from a report is used as a path, evaluated or spliced into SQL; no network.

Static checks pin the reviewed places where SQL text is built (a new one fails the test
until reviewed); dynamic checks ingest hostile metadata through the real CLI and check
what was opened, what was written, and that the tables survive.
"""

from __future__ import annotations

import ast
import builtins
import io
import json
import os
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from veille.cli import main

from ._support import REPO, query, run_veille

SRC = REPO / "src" / "veille"
SQL_CALLS = ("execute", "executemany", "query", "query_df", "sql")
#: Reviewed interpolations into SQL text, per file: fixed identifiers or fixed fragments only.
#: ``sql`` names are library parameters whose callers pass constant SQL (checked below).
REVIEWED = {
    "store/__init__.py": {"sql", "t"},  # t iterates over the fixed TABLES
    "store/check.py": {"sql", "SAMPLE", "table"},
    # ea, key, level, table and SCHEMA: fixed fragments and names of the module
    "store/stats.py": {"ea", "SCHEMA", "key", "level", "table", "edge_ctes(key)"},
    "cli.py": {"count_sql"},  # fixed fragments, values as ? parameters  # sql from the module's fixed _SQL_CHECKS; table in TABLES
    "store/export.py": {"table", "_quoted(target)", "FORMATS[fmt]"},  # table in TABLES, fmt checked
    "store/read.py": {"sql"},  # built from fixed fragments, int(limit), int(offset)
    "store/monitor.py": {"sql"},  # alert_events: fixed fragments and column names; codes, types as ? parameters
}


def _sql_interpolations(path: Path) -> list[tuple[int, str]]:
    """(line, expression) for every non-constant piece of SQL text passed to an execute call."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in SQL_CALLS and node.args):
            continue
        arg = node.args[0]
        if isinstance(arg, ast.Constant):
            continue
        if isinstance(arg, ast.JoinedStr):
            found += [(node.lineno, ast.unparse(v.value)) for v in arg.values if isinstance(v, ast.FormattedValue)]
        elif isinstance(arg, ast.Name):
            found.append((node.lineno, arg.id))
        else:  # concatenation, % formatting, .format(): always flagged
            found.append((node.lineno, ast.unparse(arg)))
    return found


@pytest.mark.parametrize("path", sorted([*SRC.glob("store/*.py"), SRC / "cli.py"]), ids=lambda p: p.name)
def test_security_sql_text_only_interpolates_reviewed_names(path: Path) -> None:
    allowed = REVIEWED.get(str(path.relative_to(SRC)), set())
    unreviewed = [(line, expr) for line, expr in _sql_interpolations(path) if expr not in allowed]
    assert not unreviewed, (
        f"{path.name}: SQL built from {unreviewed}; pass values as ? parameters, or review that "
        "only fixed identifiers reach the SQL text and add them to REVIEWED in this test")


def test_security_read_sql_limits_are_integers() -> None:
    text = (SRC / "store" / "read.py").read_text(encoding="utf-8")
    assert "{int(limit)}" in text and "{int(offset)}" in text


def test_security_no_eval_exec_pickle_or_shell_in_the_package() -> None:
    banned = {"eval", "exec", "compile", "__import__"}
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else ""  # builtins, not re.compile
                assert name not in banned, f"{path}:{node.lineno} calls {name}"
                assert not any(k.arg == "shell" and getattr(k.value, "value", False) for k in node.keywords), \
                    f"{path}:{node.lineno} runs a shell"
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + [getattr(node, "module", "") or ""]
                assert not {"pickle", "marshal", "shelve"} & set(names), f"{path}:{node.lineno} imports {names}"


HOSTILE = "x'); DROP TABLE documents; --"
BODY = ("Le ministre des Affaires étrangères a rencontré lundi à Paris son homologue allemand pour "
        "discuter de la crise énergétique et des sanctions contre la Russie.")


def _hostile_inputs(folder: Path, sentinel: Path) -> Path:
    folder.mkdir()
    lines = [
        {"id": HOSTILE, "url": f"file://{sentinel}", "title": f"../../{sentinel.name}", "date": HOSTILE,
         "lang": "../../etc/passwd", "text": "Premier rapport. " + BODY},
        {"id": str(sentinel), "url": str(sentinel), "html":
            f'<html><head><base href="file://{sentinel}"><link rel="stylesheet" href="{sentinel}">'
            f'<meta http-equiv="refresh" content="0; url=file://{sentinel}"></head><body><article>'
            f'<p>Deuxième rapport. {BODY}</p><img src="{sentinel}"><iframe src="http://127.0.0.1:9/x"></iframe>'
            f'<script>__import__("os").system("touch {sentinel}.pwned")</script></article></body></html>'},
    ]
    path = folder / "it's; DROP TABLE $(touch pwned) `x`.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    (folder / "date.txt").write_text(f"date 2022-01-07 file://{sentinel}\n{BODY}\n", encoding="utf-8")
    return folder


def test_security_report_content_never_opened_evaluated_or_fetched(tmp_path: Path, monkeypatch) -> None:
    sentinel = tmp_path / "secret.txt"
    sentinel.write_text("secret")
    inputs = _hostile_inputs(tmp_path / "in", sentinel)
    opened: list[str] = []
    real_open, real_io_open = builtins.open, io.open

    def spy_open(file, *args, **kwargs):
        opened.append(os.fspath(file) if isinstance(file, (str, bytes, os.PathLike)) else repr(file))
        return real_open(file, *args, **kwargs)

    real_connect = socket.socket.connect

    def no_network(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6):  # local worker pipes (AF_UNIX) are fine
            raise AssertionError(f"network access attempted: {address}")
        return real_connect(sock, address)

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(io, "open", spy_open)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.chdir(tmp_path)
    store = tmp_path / "s.duckdb"
    result = CliRunner().invoke(main, ["ingest", str(store), str(inputs), "--no-code", "-q"],
                                catch_exceptions=False)
    monkeypatch.setattr(builtins, "open", real_open)
    monkeypatch.setattr(io, "open", real_io_open)
    assert result.exit_code == 0, result.output
    assert not [p for p in opened if "secret" in str(p)], opened
    assert not list(tmp_path.rglob("*.pwned")) and not list(tmp_path.rglob("pwned"))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["in", "s.duckdb", "secret.txt", "s.duckdb.intent.lock", "s.duckdb.read.lock"]  # the writer's turnstile
        + (["s.duckdb.wal"] if (tmp_path / "s.duckdb.wal").exists() else []))
    rows = query(store, "SELECT ext_id, url, lang FROM documents ORDER BY ext_id NULLS FIRST")
    assert (HOSTILE, f"file://{sentinel}") in [(r[0], r[1]) for r in rows]  # stored as data, verbatim
    assert all(len(r[2]) <= 3 for r in rows)  # a path in "lang" is not taken as a language


def test_security_export_and_queries_take_hostile_names_as_data(tmp_path: Path) -> None:
    inputs = _hostile_inputs(tmp_path / "in", tmp_path / "secret.txt")
    store = tmp_path / "it's a \"store\"; --.duckdb"
    assert run_veille("ingest", store, inputs, "--no-code", "-q").returncode == 0
    before = query(store, "SELECT count(*) FROM documents")[0][0]
    for flag in ("--actor", "--recipient"):
        result = run_veille("events", store, flag, "x' OR 1=1 --", "--format", "jsonl")
        assert result.returncode == 0 and result.stdout == "", result.stderr
    result = run_veille("events", store, "--type", "x' OR 1=1 --", "--format", "jsonl")
    assert result.returncode == 2 and result.stdout == ""  # not a PLOVER type: a usage error
    out = tmp_path / "out dir's; $(touch pwned) --"
    for fmt in ("csv", "parquet", "jsonl"):
        result = run_veille("export", store, "--format", fmt, "-o", out)
        assert result.returncode == 0, result.stderr
        assert (out / f"documents.{fmt}").exists()
    assert not list(tmp_path.rglob("pwned"))
    assert query(store, "SELECT count(*) FROM documents")[0][0] == before
    exported = [json.loads(line) for line in (out / "documents.jsonl").read_text().splitlines()]
    assert HOSTILE in {d["ext_id"] for d in exported}
