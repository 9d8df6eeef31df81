"""JSON Lines: one report a line, ``{"text"|"html": …, "id", "url", "date", "title", "lang"}``.

Read as a stream, one line at a time with a length cap, so a huge file or a huge line
never sits in memory. A broken line is rejected on its own; the other lines go on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import BinaryIO

from veille.ingest.common import READ_ERRORS, describe
from veille.ingest.registry import Reader, ReadOptions
from veille.ingest.sources import Source
from veille.records import Declared, RawDocument, Rejection

CHUNK = 1 << 20
FIELDS = ("id", "url", "date", "title", "lang")


def _binary(source: Source) -> bool:
    """True when the file's first bytes are not text (NUL bytes, or not UTF-8): not JSON Lines."""
    if source.is_stdin:
        return False
    with source.open() as stream:
        head = stream.read(8192)
    if b"\x00" in head:
        return True
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start < len(head) - 4  # a character cut at the end of the sample is fine
    return False


def read_jsonl(source: Source, options: ReadOptions) -> Iterator[RawDocument | Rejection]:
    try:
        if _binary(source):  # one line for the file, not one "invalid JSON" per line of it
            yield Rejection(source.name, None, "binary data, not JSON Lines (one JSON object per line)")
            return
        stream = source.open()
    except OSError as exc:
        yield Rejection(source.name, None, f"cannot read: {describe(exc)}")
        return
    with stream:
        number = 0
        try:
            for number, line in _lines(stream, options.max_bytes):
                if line is None:
                    yield Rejection(
                        source.name, f"line {number}",
                        f"line longer than {options.max_bytes:,} bytes; skipped",
                    )
                    continue
                if line.strip():
                    yield parse_line(source.name, number, line)
        except READ_ERRORS as exc:
            yield Rejection(source.name, f"line {number + 1}", f"cannot read further: {describe(exc)}")


def _lines(stream: BinaryIO, cap: int) -> Iterator[tuple[int, bytes | None]]:
    """Numbered lines; None for a line over the cap (whose bytes are skipped, not kept)."""
    number = 0
    while True:
        line = stream.readline(cap + 1)
        if not line:
            return
        number += 1
        if len(line) > cap and not line.endswith(b"\n"):
            while True:  # drain the rest of the overlong line in bounded chunks
                rest = stream.readline(CHUNK)
                if not rest or rest.endswith(b"\n"):
                    break
            yield number, None
        else:
            yield number, line


def parse_line(name: str, number: int, line: bytes) -> RawDocument | Rejection:
    where = f"line {number}"
    line = line.removeprefix(b"\xef\xbb\xbf")  # a UTF-8 BOM (editors on Windows write one)
    try:
        obj = json.loads(line.decode("utf-8", errors="replace"))
    except json.JSONDecodeError as exc:
        return Rejection(name, where, f"invalid JSON ({exc.msg} at column {exc.colno})")
    if not isinstance(obj, dict):
        return Rejection(name, where, "not a JSON object; expected {\"text\": …} or {\"html\": …}")
    body, kind = obj.get("text"), "text"
    if not isinstance(body, str) or not body.strip():
        body, kind = obj.get("html"), "html"
    if not isinstance(body, str) or not body.strip():
        return Rejection(name, where, "no non-empty \"text\" or \"html\" field")
    values = {k: (str(obj[k]) if obj.get(k) is not None else None) for k in FIELDS}
    return RawDocument(source=name, record=where, content=body, kind=kind, declared=Declared(**values))


def looks_jsonl(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


READER = Reader(
    name="jsonl", suffixes=(".jsonl", ".ndjson", ".jsonlines"), read=read_jsonl, sniff=looks_jsonl
)
