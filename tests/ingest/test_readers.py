import gzip
import json

import pytest

from veille.errors import InputNotFound
from veille.ingest import ReadOptions, read_inputs
from veille.ingest.sources import Source, expand_inputs
from veille.records import RawDocument, Rejection


def _all(paths, **kw):
    return list(read_inputs([str(p) for p in paths], **kw))


def test_readers_directory_is_walked_sorted_and_readme_skipped(seeds):
    out = _all([seeds])
    assert [r.source.rsplit("/", 1)[-1] for r in out] == ["000_9230cafe3ed7c3ae.txt", "001_df6c4fd0f17f4fad.txt"]
    assert all(isinstance(r, RawDocument) and r.kind == "text" for r in out)


def test_readers_glob_and_missing_input(seeds):
    assert len(_all([f"{seeds}/00*.txt"])) == 2
    with pytest.raises(InputNotFound):
        list(expand_inputs(["/nonexistent/nothing-*.txt"]))


def test_readers_gzip_is_transparent(tmp_path, seeds):
    data = (seeds / "000_9230cafe3ed7c3ae.txt").read_bytes()
    path = tmp_path / "report.txt.gz"
    path.write_bytes(gzip.compress(data))
    (raw,) = _all([path])
    assert raw.content == data and raw.kind == "text"


def test_readers_html_by_suffix_and_by_content(tmp_path):
    (tmp_path / "a.html").write_text("<html><body><p>Bonjour</p></body></html>")
    (tmp_path / "b.dat").write_text("<!DOCTYPE html><html><p>x</p></html>")
    kinds = [r.kind for r in _all([tmp_path / "a.html", tmp_path / "b.dat"])]
    assert kinds == ["html", "html"]


def test_readers_jsonl_fields_and_broken_line(tmp_path):
    lines = [
        json.dumps({"id": "r1", "text": "Un texte.", "url": "https://x.org/a", "date": "2022-01-07", "lang": "fr"}),
        "{not json",
        json.dumps({"id": "r3", "html": "<p>Hello</p>"}),
        json.dumps({"id": "r4"}),
        "[1, 2]",
    ]
    path = tmp_path / "reports.jsonl"
    path.write_text("\n".join(lines) + "\n")
    out = _all([path])
    assert isinstance(out[0], RawDocument) and out[0].declared.id == "r1" and out[0].declared.date == "2022-01-07"
    assert isinstance(out[1], Rejection) and out[1].record == "line 2" and "invalid JSON" in out[1].reason
    assert isinstance(out[2], RawDocument) and out[2].kind == "html"
    assert isinstance(out[3], Rejection) and "no non-empty" in out[3].reason
    assert isinstance(out[4], Rejection) and "not a JSON object" in out[4].reason


def test_readers_overlong_jsonl_line_is_skipped_not_kept(tmp_path):
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps({"text": "x" * 5000}) + "\n" + json.dumps({"text": "petit texte"}) + "\n")
    out = _all([path], options=ReadOptions(max_bytes=1000))
    assert isinstance(out[0], Rejection) and "longer than" in out[0].reason
    assert isinstance(out[1], RawDocument) and out[1].record == "line 2"


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "empty file"),
        (b"   \n\n", "empty file"),
        (b"%PDF-1.7 binary stuff", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
        (b"PK\x03\x04\x14\x00", "ZIP"),
        (b"\x00\x01\x02\x03" * 100, "binary"),
    ],
)
def test_readers_reject_unusable_files_with_reason(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    (rej,) = _all([path])
    assert isinstance(rej, Rejection) and reason in rej.reason and rej.source == str(path)
    assert str(path) in rej.message()


def test_readers_truncated_gzip_is_rejected(tmp_path):
    path = tmp_path / "cut.txt.gz"
    path.write_bytes(gzip.compress(b"Bonjour le monde. " * 1000)[:60])
    (rej,) = _all([path])
    assert isinstance(rej, Rejection) and "truncated" in rej.reason


def test_readers_too_large_file_is_rejected(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text("mot " * 1000)
    (rej,) = _all([path], options=ReadOptions(max_bytes=100))
    assert isinstance(rej, Rejection) and "too large" in rej.reason


def test_readers_utf16_text_is_not_binary(tmp_path):
    path = tmp_path / "u16.txt"
    path.write_bytes("Les États-Unis ont signé un accord.".encode("utf-16-le"))
    (raw,) = _all([path])
    assert isinstance(raw, RawDocument)


def test_sources_base_name_strips_compression():
    assert Source("a/B.JSONL.gz").base_name() == "a/b.jsonl"
