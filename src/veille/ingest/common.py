"""Helpers shared by the whole-file readers (text, HTML)."""

from __future__ import annotations

import zlib
from collections.abc import Iterator

from veille.ingest.registry import ReadOptions
from veille.ingest.sniff import binary_kind
from veille.ingest.sources import Source
from veille.records import RawDocument, Rejection

#: What decompressors raise on truncated or corrupt data.
READ_ERRORS = (OSError, EOFError, zlib.error, ValueError)


def read_capped(source: Source, options: ReadOptions) -> bytes | Rejection:
    """The whole content of a source, or a Rejection saying why it cannot be used."""
    try:
        with source.open() as stream:
            data = stream.read(options.max_bytes + 1)
            if len(data) <= options.max_bytes:
                stream.read(1)  # at the end: a truncated compressed file raises only now
    except READ_ERRORS as exc:
        return Rejection(source.name, None, f"cannot read: {describe(exc)}")
    if len(data) > options.max_bytes:
        return Rejection(
            source.name,
            None,
            f"too large (over {options.max_bytes:,} bytes); split it or raise --max-bytes",
        )
    if not data.strip():
        return Rejection(source.name, None, "empty file")
    kind = binary_kind(data[:4096])
    if kind:
        return Rejection(source.name, None, f"not a news report: {kind}")
    return data


def whole_file(source: Source, options: ReadOptions, kind: str) -> Iterator[RawDocument | Rejection]:
    data = read_capped(source, options)
    if isinstance(data, Rejection):
        yield data
    else:
        yield RawDocument(source=source.name, record=None, content=data, kind=kind)


def describe(exc: BaseException) -> str:
    """Short human description of a low-level read error."""
    if isinstance(exc, EOFError):
        return "truncated compressed data (unexpected end of file)"
    text = str(exc) or exc.__class__.__name__
    return text.splitlines()[0][:200]
