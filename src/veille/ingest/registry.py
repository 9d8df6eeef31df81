"""The registry of readers: each input format is a named reader registered here.

Built-in readers (text, html, jsonl, warc) register through the same door as outside
packages, which can add readers with the ``veille.readers`` entry-point group.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import entry_points

from veille.ingest.sources import Source
from veille.records import RawDocument, Rejection

ReadFn = Callable[[Source, "ReadOptions"], Iterator[RawDocument | Rejection]]


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """Limits every reader applies."""

    max_bytes: int = 20_000_000  # per report (a file, a JSONL line, a WARC record)
    lang: str | None = None  # language forced by the user ("auto" = None)


@dataclass(frozen=True, slots=True)
class Reader:
    """A named input format: file name suffixes it claims, a content sniffer, a read function."""

    name: str
    suffixes: tuple[str, ...]
    read: ReadFn
    sniff: Callable[[bytes], bool] = field(default=lambda head: False)


@lru_cache(maxsize=1)
def readers() -> dict[str, Reader]:
    """All readers by name: built-ins first, then entry points (which may override)."""
    from veille.ingest import html, jsonl, text, warc

    found = {r.name: r for r in (text.READER, html.READER, jsonl.READER, warc.READER)}
    for ep in entry_points(group="veille.readers"):
        reader = ep.load()
        if isinstance(reader, Reader):
            found[reader.name] = reader
    return found


def reader_for(source: Source, head: bytes, forced: str | None = None) -> Reader:
    """Choose a reader by the user's choice, the file name, then the content; text by default."""
    table = readers()
    if forced:
        return table[forced]
    name = source.base_name()
    for reader in table.values():
        if reader.suffixes and name.endswith(reader.suffixes):
            return reader
    for reader in table.values():
        if reader.sniff(head):
            return reader
    return table["text"]
