"""A WARC of real web pages, end to end: reader throughput, then the whole ingest.

Builds a gzip WARC (one gzip member per record, as crawlers write them) from the 74
real pages of ../shared/corpus/pages, each copy with a marker sentence in its first
paragraph (new content hash) and, as in a crawl, a request record before each response
plus a few non-HTML responses (skipped and counted by the reader).

    .venv/bin/python benchmarks/warc.py --copies 3 --workers 2
"""

from __future__ import annotations

import argparse
import io
import logging
import re
import sys
import tempfile
import time
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

PAGES = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "pages"


def build(path: Path, copies: int) -> int:
    """Write the archive; returns the number of HTML responses."""
    pages = sorted(PAGES.glob("*.html"))
    n = 0
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for copy in range(copies):
            for page in pages:
                url = f"https://example.org/{copy}/{page.stem}"
                html = page.read_bytes()
                marker = f"Copie {copy}. ".encode()
                html = re.sub(rb"<p(\s[^>]*)?>", lambda m, tag=marker: m.group(0) + tag, html, count=1)
                req = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.org")], is_http_request=True)
                writer.write_record(writer.create_warc_record(url, "request", http_headers=req))
                http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(
                    url, "response", payload=io.BytesIO(html), http_headers=http,
                    warc_headers_dict={"WARC-Date": f"2020-0{1 + copy % 9}-15T12:00:00Z"}))
                n += 1
            img = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"https://example.org/{copy}/logo.png", "response",
                                                          payload=io.BytesIO(b"\x89PNG" * 100), http_headers=img))
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--engine", default="local", choices=["local", "dask"])
    args = ap.parse_args()

    from veille.engines import run
    from veille.ingest import ReadOptions, Source
    from veille.ingest.warc import read_warc

    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "pages.warc.gz"
        responses = build(archive, args.copies)
        size = archive.stat().st_size
        t = time.perf_counter()
        items = list(read_warc(Source(str(archive)), ReadOptions()))
        t_read = time.perf_counter() - t
        print(f"archive: {responses} HTML responses, {size / 2**20:.1f} MiB gzip")
        print(f"reader alone: {len(items)} reports in {t_read:.2f} s ({len(items) / t_read:,.0f} records/s)")
        last = []
        t = time.perf_counter()
        stats = run(f"{tmp}/s.duckdb", [str(archive)], engine=args.engine, workers=args.workers, on_progress=last.append)
        wall = time.perf_counter() - t
        words = last[-1].words if last else 0
        print(f"end to end ({args.engine}, {args.workers} workers): {stats.seen} read, {stats.stored} stored, "
              f"{stats.duplicates} repeats, {stats.rejected} rejected, {stats.events} events in {wall:.1f} s "
              f"({stats.stored / wall:.1f} docs/s, {words / wall:,.0f} words/s, start-up included)")


if __name__ == "__main__":
    main()
