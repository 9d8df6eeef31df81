"""HTML files: one file, one report; the cleaner extracts its main content."""

from __future__ import annotations

import re
from collections.abc import Iterator

from veille.ingest.common import whole_file
from veille.ingest.registry import Reader, ReadOptions
from veille.ingest.sources import Source
from veille.records import RawDocument, Rejection

HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|div|article)\b", re.I | re.S)


def read_html(source: Source, options: ReadOptions) -> Iterator[RawDocument | Rejection]:
    yield from whole_file(source, options, "html")


def looks_html(head: bytes) -> bool:
    return bool(HTML_START.match(head.lstrip(b"\xef\xbb\xbf")[:2048]))


READER = Reader(name="html", suffixes=(".html", ".htm", ".xhtml"), read=read_html, sniff=looks_html)
