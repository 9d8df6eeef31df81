"""WARC reader: real pages in an archive built here become documents; damage is rejected."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from veille.ingest import ReadOptions, Source, read_inputs
from veille.ingest.warc import read_warc
from veille.pipeline import PipelineOptions, ingest
from veille.records import RawDocument, Rejection
from veille.store import Store

PAGES = ("bbc.com.52241221.html", "axios.com.future.html", "californiaglobe.com.amazon.html")


def url(name: str) -> str:
    return f"https://example.org/{name}"


def write_warc(path: Path, pages: Path, gzip: bool = False) -> list[tuple[str, str]]:
    """A crawl-like archive: warcinfo, then per page a request and a response; plus an image
    and a 404. Returns (url, date) of the HTML pages."""
    expected = []
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        for i, name in enumerate(PAGES):
            date = f"2020-04-0{i + 1}T08:00:00Z"
            http = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.org")], is_http_request=True)
            writer.write_record(writer.create_warc_record(url(name), "request", http_headers=http,
                                                          warc_headers_dict={"WARC-Date": date}))
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            body = io.BytesIO((pages / name).read_bytes())
            writer.write_record(writer.create_warc_record(url(name), "response", payload=body, http_headers=http,
                                                          warc_headers_dict={"WARC-Date": date}))
            expected.append((url(name), date[:10]))
        for status, ctype, body in (("200 OK", "image/png", b"\x89PNG...."), ("404 Not Found", "text/html", b"<p>gone</p>")):
            http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url("other"), "response", payload=io.BytesIO(body),
                                                          http_headers=http))
    return expected


@pytest.mark.parametrize("gzip", [False, True], ids=["plain", "gzip"])
def test_warc_ingest_documents_urls_dates(tmp_path: Path, shared: Path, gzip: bool) -> None:
    archive = tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc")
    expected = write_warc(archive, shared / "corpus" / "pages", gzip=gzip)
    stats = ingest(tmp_path / "s.duckdb", [str(archive)], PipelineOptions(code=False))
    assert (stats.seen, stats.stored, stats.rejected) == (3, 3, 0)
    rows = Store(tmp_path / "s.duckdb").query("SELECT url, published, date_source, record FROM documents ORDER BY url")
    assert sorted((r[0], r[1].isoformat()) for r in rows) == sorted(expected)
    assert all(r[2] == "declared" for r in rows)
    # record numbers count every record: warcinfo=1, then request/response pairs
    assert sorted(r[3] for r in rows) == ["record 3", "record 5", "record 7"]


def test_warc_skips_non_pages_and_counts_them(tmp_path: Path, shared: Path, caplog) -> None:
    archive = tmp_path / "crawl.warc"
    write_warc(archive, shared / "corpus" / "pages")
    with caplog.at_level("INFO", logger="veille.ingest.warc"):
        items = list(read_warc(Source(str(archive)), ReadOptions()))
    assert [type(i) for i in items] == [RawDocument] * 3
    assert "9 records read, 6 skipped" in caplog.text
    assert "3 request" in caplog.text and "1 HTTP 404" in caplog.text and "1 not HTML" in caplog.text


@pytest.mark.parametrize("gzip", [False, True], ids=["plain", "gzip"])
def test_warc_truncated_record_rejected_rest_kept(tmp_path: Path, shared: Path, gzip: bool) -> None:
    whole = tmp_path / "whole.warc"
    write_warc(whole, shared / "corpus" / "pages", gzip=gzip)
    data = whole.read_bytes()
    # Cut inside the third page's response: the two first pages must survive.
    items = list(read_warc(Source(str(whole)), ReadOptions()))
    assert len(items) == 3
    cut = tmp_path / ("cut.warc.gz" if gzip else "cut.warc")
    marker = url(PAGES[2]).encode()
    if gzip:
        cut.write_bytes(data[: int(len(data) * 0.8)])
    else:
        third = data.index(b"WARC-Type: response", data.index(marker))
        cut.write_bytes(data[: third + 3000])
    items = list(read_inputs([str(cut)]))
    docs = [i for i in items if isinstance(i, RawDocument)]
    rejections = [i for i in items if isinstance(i, Rejection)]
    assert [d.declared.url for d in docs] == [url(PAGES[0]), url(PAGES[1])]
    assert len(rejections) == 1
    assert "truncated" in rejections[0].reason and rejections[0].record is not None

    stats = ingest(tmp_path / "s.duckdb", [str(cut)], PipelineOptions(code=False))
    assert (stats.stored, stats.rejected) == (2, 1)
    assert Store(tmp_path / "s.duckdb").counts()["rejected"] == 1


def test_warc_garbage_after_header_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "bad.warc"
    bad.write_bytes(b"WARC/1.0\r\nthis is not a header\r\n\r\n" + b"\x00" * 100)
    items = list(read_warc(Source(str(bad)), ReadOptions()))
    assert len(items) == 1 and isinstance(items[0], Rejection)
    assert "WARC" in items[0].reason
