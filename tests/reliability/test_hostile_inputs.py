"""Hostile and broken inputs through the real CLI: each is rejected with its reason, or stored right.

The small corpus lives in tests/data/bad/ (see its README); big inputs are generated here
in tmp. Whatever the input, the batch goes on, exit code is 0 (1 with --strict), and each
rejection is one line naming the file (and record) and the problem, plus a row in
``rejected``.
"""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from ._support import BAD, query, run_veille, veille_cmd

#: file → (record, regular expression the reason matches); record ANY: whichever it names.
ANY = "*"
REJECTED = {
    "empty.txt": (None, "empty file"),
    "blank.txt": (None, "empty file"),
    "report.pdf": (None, "a PDF document"),
    "photo.png": (None, "a PNG image"),
    "archive.zip": (None, "a ZIP archive"),
    "disguised.txt": (None, "a PNG image"),
    "random.bin": (None, "binary data"),
    "truncated.txt.gz": (None, "truncated compressed data"),
    "truncated.jsonl.gz": ("line 9", "truncated compressed data"),
    "truncated.warc": ("record 3", "truncated WARC record"),
    "truncated.warc.gz": ("record 3", "truncated compressed data"),
    "garbage.warc": (ANY, "(?i)corrupt|truncated|warc reader failed"),
    "html-junk.html": (None, "no article text found"),
}
BROKEN_LINES = {"line 2": "invalid JSON", "line 4": "not a JSON object", "line 5": "no non-empty"}

#: file → fragments the stored text must contain (the encoding was decoded right).
DECODED = {
    "cp1252.txt": ("« L’été »", "Coût : 5 €", "ministre français"),
    "latin1.txt": ("À Genève", "Affaires étrangères"),
    "utf16-bom.txt": ("À Bruxelles", "énergétique"),
    "utf16le-nobom.txt": ("À Madrid", "énergétique"),
    "utf16be-nobom.txt": ("À Rome", "énergétique"),
    "mojibake.txt": ("À Varsovie", "ministre français", "énergétique"),
    "zero-width-names.txt": ("Emmanuel Macron", "Olaf Scholz", "Vladimir Poutine", "à Paris lundi pour discuter de"),
}
INVISIBLE_OR_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    """One ingest of the whole hostile corpus, shared by the per-file checks."""
    store = tmp_path_factory.mktemp("bad") / "store.duckdb"
    result = run_veille("ingest", store, BAD, "--no-code", timeout=300)
    return store, result


def _rejections(store: Path, name: str) -> list[tuple[str | None, str]]:
    return query(store, "SELECT record, reason FROM rejected WHERE file = ? ORDER BY record", [str(BAD / name)])


def _documents(store: Path, name: str) -> list[dict]:
    cols = ["id", "text", "lang", "lang_supported", "coded", "published", "date_precision", "record", "ext_id"]
    rows = query(store, f"SELECT {', '.join(cols)} FROM documents WHERE source = ? ORDER BY record",
                 [str(BAD / name)])
    return [dict(zip(cols, row)) for row in rows]


def test_bad_corpus_ingest_survives_and_exits_zero(bad_run) -> None:
    store, result = bad_run
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert run_veille("check", store).returncode == 0


@pytest.mark.parametrize("name", sorted(REJECTED))
def test_bad_input_rejected_with_reason_and_one_line_message(bad_run, name: str) -> None:
    store, result = bad_run
    record, fragment = REJECTED[name]
    found = _rejections(store, name)
    assert any(re.search(fragment, reason) and record in (ANY, rec) for rec, reason in found), found
    rec, reason = next((rec, reason) for rec, reason in found if re.search(fragment, reason))
    where = f"{BAD / name}:{rec}" if rec else str(BAD / name)
    assert f"rejected {where}: {reason}" in result.stderr.splitlines(), result.stderr


def test_bad_jsonl_one_broken_line_rejects_only_that_line(bad_run) -> None:
    store, _ = bad_run
    found = dict(_rejections(store, "one-broken-line.jsonl"))
    assert set(found) == set(BROKEN_LINES)
    for record, fragment in BROKEN_LINES.items():
        assert fragment in found[record]
    docs = _documents(store, "one-broken-line.jsonl")
    assert sorted(d["ext_id"] for d in docs) == ["good-1", "good-2", "good-3"]
    good3 = next(d for d in docs if d["ext_id"] == "good-3")
    assert good3["published"] is None  # "2022-13" is no date: stored undated, not misdated


def test_bad_truncated_archives_keep_the_records_before_the_cut(bad_run) -> None:
    store, _ = bad_run
    assert [d["record"] for d in _documents(store, "truncated.warc")] == ["record 1", "record 2"]
    # the same two pages, cut in the third record of the .gz copy: kept (already stored), then rejected
    assert tuple(r for r, _ in _rejections(store, "truncated.warc.gz")) == ("record 3", )
    assert len(_documents(store, "truncated.jsonl.gz")) == 8


@pytest.mark.parametrize("name", sorted(DECODED))
def test_bad_encoding_decoded_and_invisible_characters_removed(bad_run, name: str) -> None:
    store, _ = bad_run
    docs = _documents(store, name)
    assert len(docs) == 1, f"{name} not stored"
    text = docs[0]["text"]
    for fragment in DECODED[name]:
        assert fragment in text, f"{name}: {fragment!r} missing from {text[:200]!r}"
    assert "Ã" not in text and "\ufffd" not in text
    assert not INVISIBLE_OR_CONTROL.search(text), repr(INVISIBLE_OR_CONTROL.search(text))


@pytest.mark.parametrize("name", ["impossible-date.txt", "impossible-day.txt"])
def test_bad_impossible_header_date_stores_document_undated(bad_run, name: str) -> None:
    store, _ = bad_run
    (doc,) = _documents(store, name)
    assert doc["published"] is None or doc["date_precision"] != "day"
    assert doc["lang"] == "fr"


def test_bad_unsupported_language_stored_flagged_and_not_coded(tmp_path: Path) -> None:
    """Run with the coder on: German and Russian are stored, flagged unsupported, never coded."""
    store = tmp_path / "store.duckdb"
    result = run_veille("ingest", store, BAD / "german.txt", BAD / "russian.txt", "-q")
    assert result.returncode == 0, result.stderr
    rows = query(store, "SELECT lang, lang_supported, coded FROM documents ORDER BY lang")
    assert rows == [("de", False, False), ("ru", False, False)]
    assert query(store, "SELECT count(*) FROM events")[0][0] == 0


def test_bad_strict_makes_rejections_fatal(tmp_path: Path) -> None:
    result = run_veille("ingest", tmp_path / "s.duckdb", BAD / "empty.txt", BAD / "cp1252.txt",
                        "--no-code", "--strict", "-q")
    assert result.returncode == 1
    assert query(tmp_path / "s.duckdb", "SELECT count(*) FROM documents")[0][0] == 1


# -- generated pathological inputs ------------------------------------------------------------

ARTICLE = ("<p>Le ministre des Affaires étrangères a rencontré lundi à Paris son homologue allemand "
           "pour discuter de la crise énergétique et des sanctions contre la Russie.</p>")


def _deep_html(depth: int) -> str:
    return "<html><body>" + "<div>" * depth + ARTICLE + "</div>" * depth + "</body></html>"


def _giant_attribute_html() -> str:
    return f'<html><body><div data-junk="{"A" * 5_000_000}"><article>{ARTICLE * 3}</article></div></body></html>'


def _endless_table_html() -> str:
    # 20,000 rows: enough to expose super-linear extraction (justext's fallback is cubic here).
    rows = "".join(f"<tr><td>{i}</td><td>cellule {i}</td></tr>" for i in range(20_000))
    return f"<html><body><article>{ARTICLE * 3}</article><table>{rows}</table></body></html>"


def _unclosed_tags_html() -> str:
    return "<html><body>" + "<p><b><i><span>" * 25_000 + ARTICLE + "</body></html>"


@pytest.mark.parametrize("name, build", [
    ("nested-100k.html", lambda: _deep_html(100_000)),
    ("giant-attribute.html", _giant_attribute_html),
    ("endless-table.html", _endless_table_html),
    ("unclosed-100k.html", _unclosed_tags_html),
])
def test_bad_pathological_html_handled_within_time(tmp_path: Path, name: str, build) -> None:
    path = tmp_path / name
    path.write_text(build(), encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text("date 2022-01-07\n" + ARTICLE[3:-4] + " Les deux responsables ont appelé au calme.\n")
    store = tmp_path / "s.duckdb"
    result = run_veille("ingest", store, path, good, "--no-code", "-q", timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    stored = query(store, "SELECT source FROM documents")
    rejected = query(store, "SELECT file, reason FROM rejected")
    assert (str(good),) in stored  # the rest of the batch went on
    assert (str(path),) in stored or any(f == str(path) for f, _ in rejected)


def _peak_rss_mib(args: list[str], timeout: float = 180) -> tuple[int, str, int]:
    """Run ``args`` under a fresh Python parent so RUSAGE_CHILDREN covers that command only."""
    probe = (
        "import resource, subprocess, sys;"
        "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE);"
        "sys.stderr.buffer.write(p.stderr);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024);"
        "sys.exit(p.returncode)"
    )
    out = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, timeout=timeout)
    return out.returncode, out.stderr, int(out.stdout.strip().splitlines()[-1])


GOOD_LINE = {"id": "after-huge", "text": "Le ministre des Affaires étrangères a rencontré lundi à Paris son "
             "homologue allemand pour discuter de la crise énergétique."}


def _write_huge_line(path: Path, size: int, jsonl: bool) -> None:
    chunk = ("mot " * 262_144).encode()  # 1 MiB
    with open(path, "wb") as fh:
        if jsonl:
            fh.write(json.dumps({"id": "before", "text": GOOD_LINE["text"] + " Avant."}).encode() + b"\n")
            fh.write(b'{"id": "huge", "text": "')
        for _ in range(size // len(chunk)):
            fh.write(chunk)
        if jsonl:
            fh.write(b'"}\n' + json.dumps(GOOD_LINE).encode() + b"\n")


@pytest.mark.parametrize("suffix", [".txt", ".jsonl"])
def test_bad_200mb_single_line_rejected_with_bounded_memory(tmp_path: Path, suffix: str) -> None:
    small = tmp_path / "small.txt"
    small.write_text(GOOD_LINE["text"] + " Les deux responsables ont appelé au calme.\n", encoding="utf-8")
    rc, _, baseline = _peak_rss_mib(veille_cmd("ingest", tmp_path / "base.duckdb", small, "--no-code", "-q"))
    assert rc == 0

    huge = tmp_path / f"huge{suffix}"
    _write_huge_line(huge, 200 * 1024 * 1024, jsonl=suffix == ".jsonl")
    store = tmp_path / "s.duckdb"
    rc, stderr, peak = _peak_rss_mib(veille_cmd("ingest", store, huge, small, "--no-code", "-q"))
    huge.unlink()
    assert rc == 0, stderr
    assert peak < baseline + 200, f"peak RSS {peak} MiB vs {baseline} MiB for a small input"
    record = "line 2" if suffix == ".jsonl" else None
    where = f"{huge}:{record}" if record else str(huge)
    assert any(line.startswith(f"rejected {where}: ") for line in stderr.splitlines()), stderr
    reasons = [r for (r,) in query(store, "SELECT reason FROM rejected WHERE file = ?", [str(huge)])]
    assert len(reasons) == 1 and ("too large" in reasons[0] or "longer than" in reasons[0]), reasons
    expected = 3 if suffix == ".jsonl" else 1  # the lines around the huge one, and small.txt
    assert query(store, "SELECT count(*) FROM documents")[0][0] == expected


def test_bad_gzip_bomb_stops_at_the_size_cap(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.txt.gz"
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip container
    with open(bomb, "wb") as fh:
        block = b"la " * (1 << 20)
        for _ in range(100):  # ~300 MB decompressed, ~300 KB on disk
            fh.write(compressor.compress(block))
        fh.write(compressor.flush())
    assert gzip.open(bomb).read(10) == b"la la la l"
    rc, stderr, peak = _peak_rss_mib(veille_cmd("ingest", tmp_path / "s.duckdb", bomb, "--no-code", "-q"))
    assert rc == 0, stderr
    assert f"rejected {bomb}: too large" in stderr
    assert peak < 1000


def test_bad_unreadable_inputs_do_not_stop_the_batch(tmp_path: Path) -> None:
    """A directory entry that vanished, a FIFO, a dangling link: each rejected, the rest stored."""
    good = tmp_path / "in" / "good.txt"
    good.parent.mkdir()
    good.write_text(GOOD_LINE["text"] + " Les deux responsables ont appelé au calme.\n", encoding="utf-8")
    (tmp_path / "in" / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "in" / "adir.txt").mkdir()
    store = tmp_path / "s.duckdb"
    result = run_veille("ingest", store, tmp_path / "in", "--no-code", "-q", timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert query(store, "SELECT count(*) FROM documents")[0][0] == 1
    assert "dangling.txt" in result.stderr
