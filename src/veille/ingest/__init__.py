"""Ingest: read inputs (files, directories, globs, stdin) into RawDocument records.

Entry function: :func:`read_inputs`. Each input is handled by a registered reader
(text, html, jsonl, warc, or one added through the ``veille.readers`` entry points).
A source that cannot be read gives a Rejection, never an exception.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from veille.ingest.common import READ_ERRORS, describe
from veille.ingest.registry import Reader, ReadOptions, reader_for, readers
from veille.ingest.sources import Source, expand_inputs, is_regular_file
from veille.records import RawDocument, Rejection

__all__ = ["ReadOptions", "Reader", "Source", "read_inputs", "read_source", "readers", "expand_inputs"]


def read_inputs(
    inputs: Iterable[str], options: ReadOptions = ReadOptions(), reader: str | None = None
) -> Iterator[RawDocument | Rejection]:
    """Stream raw reports (and rejections) from every input, in order."""
    for source in expand_inputs(inputs):
        yield from read_source(source, options, reader)


def read_source(
    source: Source, options: ReadOptions = ReadOptions(), reader: str | None = None
) -> Iterator[RawDocument | Rejection]:
    if not source.is_stdin and not is_regular_file(source.name):
        yield Rejection(source.name, None,
                        "not a regular file (a FIFO, socket or device); skipped: give files or directories")
        return
    try:
        if source.is_stdin:
            head = b""
        else:
            with source.open() as stream:
                head = stream.read(2048)
    except READ_ERRORS as exc:
        yield Rejection(source.name, None, f"cannot read: {describe(exc)}")
        return
    chosen = reader_for(source, head, reader)
    if source.is_stdin and chosen.name == "text":
        yield from _stdin(source, options)
        return
    try:
        yield from chosen.read(source, options)
    except READ_ERRORS as exc:
        yield Rejection(source.name, None, f"cannot read further: {describe(exc)}")
    except Exception as exc:  # noqa: BLE001 - a reader bug (ours or a plugin's) must not stop the batch
        yield Rejection(
            source.name, None,
            f"{chosen.name} reader failed ({exc.__class__.__name__}: {describe(exc)}); "
            "check the file, and report this as a bug if it looks valid",
        )


def _stdin(source: Source, options: ReadOptions) -> Iterator[RawDocument | Rejection]:
    """Standard input: sniff the format once the bytes are in."""
    from veille.ingest import jsonl
    from veille.ingest.common import read_capped
    from veille.ingest.html import looks_html

    data = read_capped(source, options)
    if isinstance(data, Rejection):
        yield data
        return
    if jsonl.looks_jsonl(data[:2048]):
        for number, line in enumerate(data.splitlines(), 1):
            if line.strip():
                yield jsonl.parse_line("-", number, line)
        return
    kind = "html" if looks_html(data[:2048]) else "text"
    yield RawDocument(source="-", record=None, content=data, kind=kind)
