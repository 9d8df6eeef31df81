"""WARC archives (e.g. CC-NEWS): HTTP responses with HTML become reports, streamed.

The record's target URI and date become declared metadata. Other records (requests,
metadata, non-HTML responses) are skipped and counted, not rejected.
"""

from __future__ import annotations

from collections.abc import Iterator

from veille.ingest.common import READ_ERRORS, describe
from veille.ingest.registry import ReadOptions, Reader
from veille.ingest.sources import Source
from veille.records import Declared, RawDocument, Rejection


def read_warc(source: Source, options: ReadOptions) -> Iterator[RawDocument | Rejection]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed
    from warcio.statusandheaders import StatusAndHeadersParserException

    number = 0
    try:
        with open(source.name, "rb") as stream:
            archive = ArchiveIterator(stream)
            for record in archive:
                number += 1
                if record.rec_type != "response":
                    continue
                ctype = (record.http_headers.get_header("Content-Type") or "") if record.http_headers else ""
                if "html" not in ctype.lower():
                    continue
                where = f"record {number}"
                body = record.content_stream().read(options.max_bytes + 1)
                if len(body) > options.max_bytes:
                    yield Rejection(source.name, where, f"response over {options.max_bytes:,} bytes; skipped")
                    continue
                missing = _missing_bytes(record)
                if missing:
                    yield Rejection(
                        source.name, where,
                        f"truncated WARC record ({missing:,} of {record.length:,} bytes missing); skipped",
                    )
                    continue
                if not body.strip():
                    yield Rejection(source.name, where, "empty HTTP response body")
                    continue
                headers = record.rec_headers
                yield RawDocument(
                    source=source.name,
                    record=where,
                    content=body,
                    kind="html",
                    declared=Declared(
                        url=headers.get_header("WARC-Target-URI"),
                        date=headers.get_header("WARC-Date"),
                    ),
                )
            tail = _unread_tail(stream, getattr(archive, "offset", None))
            if tail:
                yield Rejection(
                    source.name, f"record {number + 1}",
                    f"truncated or corrupt WARC: {tail:,} bytes at the end could not be read "
                    "(an interrupted download or copy?); the records before them were kept",
                )
    # warcio reports malformed headers as its own errors, and some (a record without a
    # target URI, a missing header block) as AttributeError/KeyError/IndexError/TypeError.
    except (ArchiveLoadFailed, StatusAndHeadersParserException, AttributeError, KeyError,
            IndexError, TypeError, *READ_ERRORS) as exc:
        yield Rejection(source.name, f"record {number + 1}", f"corrupt or truncated WARC: {describe(exc)}")


def _missing_bytes(record) -> int:
    """Bytes a record's Content-Length promises but the file does not hold (0 when whole)."""
    raw = record.raw_stream
    while raw.read(1 << 16):  # drain what is there, in bounded chunks
        pass
    return max(0, int(getattr(raw, "limit", 0) or 0))


def _unread_tail(stream, offset: int | None) -> int:
    """Non-blank bytes after the last record warcio could parse.

    warcio stops silently at a gzip member cut short, so a truncated .warc.gz would
    otherwise lose its last records without a word.
    """
    if offset is None:
        return 0
    stream.seek(0, 2)
    size = stream.tell()
    if offset >= size:
        return 0
    stream.seek(offset)
    return size - offset if stream.read(4096).strip(b" \t\r\n\x00") else 0


def looks_warc(head: bytes) -> bool:
    return head.startswith(b"WARC/")


READER = Reader(name="warc", suffixes=(".warc", ".arc"), read=read_warc, sniff=looks_warc)
