"""Plain-text reports: one file, one report (an optional "date … URL" header is parsed by clean)."""

from __future__ import annotations

from collections.abc import Iterator

from veille.ingest.common import whole_file
from veille.ingest.registry import Reader, ReadOptions
from veille.ingest.sources import Source
from veille.records import RawDocument, Rejection


def read_text(source: Source, options: ReadOptions) -> Iterator[RawDocument | Rejection]:
    yield from whole_file(source, options, "text")


READER = Reader(name="text", suffixes=(".txt", ".text", ".md"), read=read_text)
