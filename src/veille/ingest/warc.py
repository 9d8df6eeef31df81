"""WARC archives (e.g. CC-NEWS): HTTP responses with HTML become reports, streamed.

One record at a time is in memory (its body capped at ``max_bytes``), whatever the size
of the archive. Plain, gzip (record by record, as crawlers write them, or the whole
file) and zstd-compressed archives are read. The record's target URI and date become
declared metadata.

What does not become a report:
- records that are not HTML pages (requests, metadata, warcinfo, images, non-2xx
  responses, redirects) are skipped and counted, not rejected — an archive is mostly
  such records; the counts are logged (``veille.ingest.warc``, INFO) at the end;
- a record cut short (an archive truncated by a crash or a partial download) is
  rejected with the reason; the records before it are kept;
- a record whose headers cannot be parsed ends the archive with a rejection (there is
  no reliable way to find the next record), keeping what came before.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator

from veille.ingest.common import READ_ERRORS, describe
from veille.ingest.registry import Reader, ReadOptions
from veille.ingest.sources import Source
from veille.records import Declared, RawDocument, Rejection

log = logging.getLogger(__name__)

#: Record types whose body may be a page.
PAGE_TYPES = ("response", "resource")


def _remaining(record) -> int:
    """Bytes the record's header announced but the archive did not deliver (0 when complete)."""
    return int(getattr(record.raw_stream, "limit", 0) or 0)


def _skip_reason(record) -> str | None:
    """Why a record is not a page, or None when it is one."""
    if record.rec_type not in PAGE_TYPES:
        return record.rec_type
    if record.rec_type == "response":
        if not record.http_headers:
            return "response without HTTP headers"
        status = record.http_headers.get_statuscode() or ""
        if not status.startswith("2"):
            return f"HTTP {status or 'status missing'}"
        ctype = record.http_headers.get_header("Content-Type") or ""
    else:
        ctype = record.rec_headers.get_header("Content-Type") or ""
    if "html" not in ctype.lower():
        return "not HTML"
    return None


def read_warc(source: Source, options: ReadOptions) -> Iterator[RawDocument | Rejection]:
    """Stream the HTML pages of an archive as raw reports (see the module doc for the rest)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    number = at = 0
    skipped: Counter[str] = Counter()
    previous = None
    try:
        with source.open() as stream:
            records = iter(ArchiveIterator(stream, check_digests=False))
            while True:
                at = number + 1  # the record being read, for the message if reading fails
                record = next(records, None)
                if record is None:
                    break
                number = at
                # The iterator has read the previous record to its end by now.
                if previous is not None and _remaining(previous) > 0:
                    yield _truncated(source, number - 1, _remaining(previous))
                previous = None
                if not record.rec_type:
                    yield Rejection(source.name, f"record {number}",
                                    "record without a WARC-Type header: corrupt WARC, skipped")
                    continue
                reason = _skip_reason(record)
                if reason:
                    skipped[reason] += 1
                    previous = record
                    continue
                where = f"record {number}"
                body = record.content_stream().read(options.max_bytes + 1)
                if len(body) > options.max_bytes:
                    yield Rejection(source.name, where, f"response over {options.max_bytes:,} bytes; skipped")
                    continue
                if _remaining(record) > 0:
                    yield _truncated(source, number, _remaining(record))
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
            if previous is not None and _remaining(previous) > 0:
                yield _truncated(source, number, _remaining(previous))
    except (ArchiveLoadFailed, *READ_ERRORS) as exc:
        yield Rejection(source.name, f"record {at}", f"corrupt or truncated WARC: {describe(exc)}")
    if skipped:
        log.info("%s: %d records read, %d skipped (%s)", source.name, number, sum(skipped.values()),
                 ", ".join(f"{n} {why}" for why, n in skipped.most_common()))


def _truncated(source: Source, number: int, missing: int) -> Rejection:
    return Rejection(source.name, f"record {number}",
                     f"truncated WARC record ({missing:,} bytes missing); the archive was cut short, "
                     "re-download or re-copy it")


def looks_warc(head: bytes) -> bool:
    return head.startswith(b"WARC/")


READER = Reader(name="warc", suffixes=(".warc", ".arc"), read=read_warc, sniff=looks_warc)
