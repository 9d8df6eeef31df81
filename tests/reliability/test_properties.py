"""Property-based tests of the readers and cleaners: never raise, never hang, bounded output.

Readers get arbitrary bytes under every file suffix (plain and gzip-compressed); the
cleaner gets arbitrary text and HTML. Each must return records (RawDocument, Document or
Rejection), never an exception, within a deadline, with output no bigger than a small
multiple of the input.
"""

from __future__ import annotations

import gzip
import io
import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from veille.clean import CleanOptions, clean
from veille.clean.encoding import decode, repair
from veille.clean.header import split_header
from veille.ingest import ReadOptions, read_source
from veille.ingest.jsonl import parse_line
from veille.ingest.sniff import binary_kind, looks_utf16
from veille.ingest.sources import GzipStream, Source, TruncatedInput
from veille.records import Declared, Document, RawDocument, Rejection

SETTINGS = settings(max_examples=60, deadline=timedelta(seconds=5),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
SUFFIXES = [".txt", ".html", ".jsonl", ".warc", ".bin", ".txt.gz", ".jsonl.gz", ".warc.gz"]

#: Bytes that look like the formats the readers know, so the strategies reach past the sniffers.
PREFIXES = [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"<html><body><p>", b'{"text": "', b"WARC/1.0\r\n",
            b"date 2022-13 http://x\n", b"%PDF", b"\x1f\x8b\x08\x00"]
hostile_bytes = st.builds(lambda p, b: p + b, st.sampled_from(PREFIXES), st.binary(max_size=3000))
hostile_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=2000
) | st.builds(lambda a, b: a + b, st.sampled_from(["<html><body>", "<div>" * 300, "Ã©tÃ© ", "date 2022-02-30\n"]),
              st.text(max_size=1000))

MAX_BYTES = 5000


def _read_all(data: bytes, suffix: str) -> list[RawDocument | Rejection]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(gzip.compress(data) if suffix.endswith(".gz") else data)
        return list(read_source(Source(str(path)), ReadOptions(max_bytes=MAX_BYTES)))


@SETTINGS
@given(data=hostile_bytes, suffix=st.sampled_from(SUFFIXES))
def test_properties_readers_never_raise_and_cap_each_report(data: bytes, suffix: str) -> None:
    for out in _read_all(data, suffix):
        assert isinstance(out, (RawDocument, Rejection))
        if isinstance(out, RawDocument):
            size = len(out.content) if isinstance(out.content, bytes) else len(out.content.encode("utf-8", "surrogatepass"))
            assert size <= MAX_BYTES * 4  # a JSON string may decode to more UTF-8 than its escapes
        else:
            assert out.reason and "\n" not in out.reason


@SETTINGS
@given(data=st.binary(max_size=20000), cut=st.integers(min_value=1, max_value=10_000))
def test_properties_gzip_stream_keeps_decoded_prefix_then_raises(data: bytes, cut: int) -> None:
    packed = gzip.compress(data)
    whole = GzipStream(io.BytesIO(packed)).read()
    assert whole == data
    if cut >= len(packed):
        return
    stream, out = GzipStream(io.BytesIO(packed[:cut])), bytearray()
    try:
        while chunk := stream.read(777):
            out += chunk
    except TruncatedInput:
        pass
    else:
        raise AssertionError("a truncated gzip stream ended without an error")
    assert data.startswith(bytes(out))


@SETTINGS
@given(line=hostile_bytes)
def test_properties_jsonl_line_parser_never_raises(line: bytes) -> None:
    assert isinstance(parse_line("f.jsonl", 1, line), (RawDocument, Rejection))


@SETTINGS
@given(data=hostile_bytes)
def test_properties_decode_and_repair_never_raise_and_stay_bounded(data: bytes) -> None:
    assert binary_kind(data) is None or isinstance(binary_kind(data), str)
    looks_utf16(data)
    for html in (False, True):
        text, encoding = decode(data, html=html)
        assert isinstance(text, str) and encoding
        assert len(text) <= len(data)
        fixed = repair(text)
        assert len(fixed) <= 3 * len(text) + 3  # NFC may expand a few characters, never more
        assert "\x00" not in fixed and "\u200b" not in fixed


@SETTINGS
@given(text=hostile_text)
def test_properties_repair_is_idempotent_enough_and_header_split_total(text: str) -> None:
    once = repair(text)
    assert repair(once) == repair(repair(once))
    header, rest = split_header(text)
    assert len(rest) <= len(text)


@SETTINGS
@given(text=hostile_text, kind=st.sampled_from(["text", "html"]),
       date=st.sampled_from([None, "2022-13", "2022-02-30", "0000-00-00", "99999-01-01", "yesterday", "2022-01-07"]))
def test_properties_clean_never_raises_and_keeps_spans_meaningful(text: str, kind: str, date: str | None) -> None:
    raw = RawDocument(source="s", record=None, content=text, kind=kind, declared=Declared(date=date))
    out = clean(raw, CleanOptions())
    assert isinstance(out, (Document, Rejection))
    if isinstance(out, Document):
        assert len(out.text) <= 3 * len(text) + 3
        assert out.date_precision in ("day", "month", "year", "unknown")
        assert out.text == out.text.strip()


@SETTINGS
@given(data=hostile_bytes, kind=st.sampled_from(["text", "html"]))
def test_properties_clean_bytes_never_raises(data: bytes, kind: str) -> None:
    out = clean(RawDocument(source="s", record=None, content=data, kind=kind))
    assert isinstance(out, (Document, Rejection))
