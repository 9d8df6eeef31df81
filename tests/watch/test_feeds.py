"""Feed lists and feed parsing: RSS, Atom, sitemaps, and what is not a feed."""

from __future__ import annotations

import pytest

from tests.watch.server import rss
from veille.watch.feeds import FeedListError, MalformedFeed, parse_feed, read_feed_list

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>World</title><id>urn:x</id><updated>2024-03-02T10:00:00Z</updated>
<entry><title>Talks in Doha</title><id>urn:1</id><link href="https://news.example.org/doha" rel="alternate"/>
<updated>2024-03-02T09:30:00Z</updated></entry>
<entry><title>No link</title><id>urn:2</id><updated>2024-03-02T09:30:00Z</updated></entry>
</feed>"""

NEWS_SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://news.example.org/a</loc><news:news><news:publication><news:name>X</news:name>
<news:language>fr</news:language></news:publication><news:publication_date>2024-03-01T08:00:00+01:00</news:publication_date>
<news:title>Sommet à Bruxelles</news:title></news:news></url>
<url><loc> https://news.example.org/b </loc><lastmod>2024-03-02</lastmod></url>
</urlset>""".encode()

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://news.example.org/sitemap-1.xml</loc></sitemap></sitemapindex>"""


def test_rss_entries_with_titles_and_dates():
    parsed = parse_feed(rss([("https://n.example.org/1", "Summit", "Fri, 07 Jan 2022 10:00:00 GMT")]), "https://n.example.org/")
    assert parsed.kind == "rss"
    (entry,) = parsed.entries
    assert entry.url == "https://n.example.org/1" and entry.title == "Summit"
    assert entry.published.startswith("2022-01-07T10:00")


def test_atom_entries_without_a_link_are_skipped():
    parsed = parse_feed(ATOM, "https://news.example.org/atom")
    assert parsed.kind == "atom"
    assert [e.url for e in parsed.entries] == ["https://news.example.org/doha"]
    assert parsed.entries[0].published.startswith("2024-03-02")


def test_news_sitemap_and_plain_sitemap():
    parsed = parse_feed(NEWS_SITEMAP, "https://news.example.org/sitemap.xml")
    assert parsed.kind == "urlset"
    first, second = parsed.entries
    assert (first.url, first.title, first.published) == ("https://news.example.org/a", "Sommet à Bruxelles",
                                                         "2024-03-01T08:00:00+01:00")
    assert (second.url, second.title, second.published) == ("https://news.example.org/b", None, "2024-03-02")


def test_sitemap_index_lists_child_sitemaps():
    parsed = parse_feed(INDEX, "https://news.example.org/sitemap.xml")
    assert parsed.entries == () and parsed.sitemaps == ("https://news.example.org/sitemap-1.xml",)


@pytest.mark.parametrize("body", [
    b"<html><body><p>Not a feed at all</p></body></html>",
    b"\x89PNG\r\n\x1a\n\x00\x00",
    b"",
    b"<?xml version='1.0'?><urlset><url><loc>https://x/a</loc>",  # cut short
    b"<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'><!ENTITY lol2 '&lol;&lol;'>]><sitemapindex>&lol2;",
])
def test_what_is_not_a_feed_is_malformed(body):
    with pytest.raises(MalformedFeed):
        parse_feed(body, "https://x.example.org/feed")


def test_feed_list_comments_blank_lines_and_duplicates(tmp_path):
    path = tmp_path / "feeds.txt"
    path.write_text("# World news\n\nhttps://a.example.org/rss  # main feed\nhttps://a.example.org/rss\n"
                    "  http://b.example.org/sitemap.xml\n", encoding="utf-8")
    assert read_feed_list(path) == ["https://a.example.org/rss", "http://b.example.org/sitemap.xml"]


@pytest.mark.parametrize("text,message", [
    ("# only a comment\n", "holds no URL"),
    ("https://ok.example.org/rss\nfile:///etc/passwd\n", "feeds.txt:2: scheme 'file' refused"),
    ("news.example.org/rss\n", "feeds.txt:1: scheme '(none)' refused"),
])
def test_feed_list_errors_name_the_line(tmp_path, text, message):
    path = tmp_path / "feeds.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FeedListError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_feed_list(path)
    with pytest.raises(FeedListError, match="no feed list"):
        read_feed_list(tmp_path / "missing.txt")
