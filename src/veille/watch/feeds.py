"""Feed lists and feeds: which URLs to watch, and the articles each feed lists.

A feed list (``feeds.txt``) holds one RSS/Atom feed or sitemap URL a line; ``#`` starts a
comment. RSS and Atom are read with feedparser; sitemaps (``<urlset>``, Google News
sitemaps, and one level of ``<sitemapindex>``) with the standard XML parser, which does not
expand external entities.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from veille.errors import UsageError
from veille.watch.fetch import Refused, check_scheme

#: Entries taken from one feed poll at most (a sitemap of a whole site can list millions).
MAX_ENTRIES = 500


class FeedListError(UsageError):
    code = "V082"


class MalformedFeed(ValueError):
    """The body is neither RSS, Atom nor a sitemap that can be read."""


@dataclass(frozen=True)
class Entry:
    """One article a feed lists."""

    url: str
    title: str | None = None
    published: str | None = None  # ISO date or timestamp as far as the feed states it


@dataclass(frozen=True)
class Parsed:
    entries: tuple[Entry, ...]
    sitemaps: tuple[str, ...] = ()  # child sitemaps of a sitemap index
    kind: str = "rss"  # rss | atom | sitemap | sitemapindex


def read_feed_list(path: str | Path) -> list[str]:
    """The feed URLs of a feed list, in order, without duplicates; raises FeedListError."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise FeedListError(f"no feed list at {path}: write one feed URL per line") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise FeedListError(f"cannot read feed list {path}: {exc}") from exc
    urls: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        url = line.split()[0]  # "URL  # a comment": the URL
        try:
            check_scheme(url)
        except Refused as exc:
            raise FeedListError(f"{path}:{number}: {exc.reason}") from exc
        if url not in urls:
            urls.append(url)
    if not urls:
        raise FeedListError(f"feed list {path} holds no URL: write one feed URL per line (# for comments)")
    return urls


def parse_feed(body: bytes, base_url: str) -> Parsed:
    """The entries of an RSS/Atom feed or a sitemap; raises MalformedFeed."""
    head = body[:2048].lstrip().lower()
    if b"<urlset" in head or b"<sitemapindex" in head:
        return _sitemap(body)
    return _rss_or_atom(body, base_url)


def _rss_or_atom(body: bytes, base_url: str) -> Parsed:
    import feedparser

    # A file-like object: feedparser never fetches anything from it (a str could be taken for a URL).
    parsed = feedparser.parse(io.BytesIO(body), response_headers={"content-location": base_url})
    version = parsed.get("version") or ""
    if not parsed.entries and (parsed.bozo or not version):
        problem = parsed.get("bozo_exception")
        raise MalformedFeed(f"not an RSS, Atom or sitemap feed ({problem or 'no feed element'})")
    entries = []
    for item in parsed.entries[:MAX_ENTRIES]:
        link = item.get("link") or next((x.get("href") for x in item.get("links", []) if x.get("href")), None)
        link = _http_url(link, base_url)
        if not link:
            continue
        stamp = item.get("published_parsed") or item.get("updated_parsed")
        published = datetime(*stamp[:6], tzinfo=UTC).isoformat() if stamp else None
        entries.append(Entry(link, (item.get("title") or "").strip() or None, published))
    return Parsed(tuple(entries), kind="atom" if version.startswith("atom") else "rss")


def _http_url(link: str | None, base_url: str) -> str | None:
    """An entry's link made absolute; None unless it is http(s) (a feed may list urn: ids, mailto:…)."""
    if not link or not link.strip():
        return None
    url = urljoin(base_url, link.strip()) if base_url else link.strip()
    return url if urlsplit(url).scheme.lower() in ("http", "https") else None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sitemap(body: bytes) -> Parsed:
    try:
        root = ET.fromstring(body)  # noqa: S314 (expat: no external entities; size capped by the fetch)
    except ET.ParseError as exc:
        raise MalformedFeed(f"sitemap is not well-formed XML ({exc})") from exc
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise MalformedFeed(f"not a sitemap (root element <{kind}>)")
    entries: list[Entry] = []
    children: list[str] = []
    for node in root:
        values = {_local(child.tag): child for child in node.iter()}
        loc = values.get("loc")
        if loc is None or not (loc.text or "").strip():
            continue
        url = _http_url(loc.text, "")
        if not url:
            continue
        if kind == "sitemapindex":
            children.append(url)
            continue
        title = values.get("title")  # Google News sitemaps: <news:title>, <news:publication_date>
        date = values.get("publication_date")
        if date is None:  # an Element without children is falsy: no `or` here
            date = values.get("lastmod")
        entries.append(Entry(url, (title.text or "").strip() or None if title is not None else None,
                             (date.text or "").strip() or None if date is not None else None))
        if len(entries) >= MAX_ENTRIES:
            break
    return Parsed(tuple(entries), tuple(children[:50]), kind)
