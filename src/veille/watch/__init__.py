"""Live monitoring: poll feeds, fetch new articles politely, code and store each as it arrives.

Entry function: :func:`watch` (``veille watch``). One poll reads every feed of the list; a
feed's new articles are fetched, cleaned, coded and stored in small batches, and their URLs
are remembered in the same transaction (``store.monitor``), so a restart fetches nothing
twice. Any failure (a slow host, a 500, a redirect loop, a huge response, a malformed feed,
a refused address) is reported, recorded and skipped; none stops the watch. A stop request
(SIGINT/SIGTERM) is honoured between two articles: what was stored stays stored.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from veille.clean import clean
from veille.ingest.html import looks_html
from veille.pipeline import PipelineOptions, code_batch
from veille.records import Declared, Document, Event, RawDocument, Rejection
from veille.store import Store
from veille.store.monitor import Fetched, feed_state, record_fetched, record_poll, skip_urls
from veille.watch.feeds import MalformedFeed, Parsed, parse_feed
from veille.watch.fetch import Fetcher, FetchError, FetchOptions, Refused

#: Articles coded and stored together (one transaction); small, so a stop loses nothing.
ARTICLE_BATCH = 8
#: Largest feed or sitemap body read.
FEED_MAX_BYTES = 10_000_000
_HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class WatchOptions:
    feeds: tuple[str, ...]
    fetch: FetchOptions = field(default_factory=FetchOptions)
    pipeline: PipelineOptions = field(default_factory=PipelineOptions)
    interval: float = 900.0  # seconds between the starts of two polls
    once: bool = False
    rules: tuple = ()  # veille.alerts.Rule
    alerts_out: Path | None = None


@dataclass
class PollStats:
    poll: int = 0
    feeds: int = 0
    feed_errors: int = 0
    entries: int = 0
    fetched: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    failed: int = 0
    events: int = 0
    alerts: int = 0
    seconds: float = 0.0
    new_event_ids: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"poll {self.poll}: {self.feeds} feeds ({self.feed_errors} failed), {self.fetched} articles "
                f"fetched, {self.stored} stored, {self.duplicates} already stored, {self.rejected} rejected, "
                f"{self.failed} failed, {self.events} events, {self.alerts} alerts in {self.seconds:.1f} s")


class Watcher:
    """One watch over one store: the fetcher (pacing, robots.txt) lives as long as it does."""

    def __init__(self, store_path: str | Path, options: WatchOptions, say: Callable[[str], None],
                 progress: Callable[[str], None] | None = None, stop: threading.Event | None = None) -> None:
        self.store = Store(store_path)
        self.options = options
        self.say = say
        self.progress = progress or (lambda _text: None)
        self.stop = stop or threading.Event()
        self.fetcher = Fetcher(options.fetch, sleep=self.stop.wait)
        self.polls = 0

    def close(self) -> None:
        self.fetcher.close()

    def run(self) -> list[PollStats]:
        """Poll until stopped (or once); returns each poll's figures."""
        self.store.create()
        done: list[PollStats] = []
        while not self.stop.is_set():
            started = time.monotonic()
            stats = self.poll()
            done.append(stats)
            self.say(stats.line())
            if self.options.once or self.stop.is_set():
                break
            wait = max(0.0, self.options.interval - (time.monotonic() - started))
            self.progress(f"next poll in {wait:.0f} s (Ctrl-C stops)")
            self.stop.wait(wait)
        return done

    # -- one poll -------------------------------------------------------------------------
    def poll(self) -> PollStats:
        self.polls += 1
        stats = PollStats(poll=self.polls)
        start = time.perf_counter()
        for number, feed in enumerate(self.options.feeds, 1):
            if self.stop.is_set():
                break
            self.progress(f"poll {self.polls} · feed {number}/{len(self.options.feeds)} {feed} · "
                          f"{stats.stored} stored · {stats.events} events")
            stats.feeds += 1
            entries = self._read_feed(feed, stats)
            if entries is not None:
                self._fetch_articles(feed, entries, stats)
        if self.options.rules and stats.new_event_ids and not self.stop.is_set():
            from veille.alerts import check_alerts

            fired = check_alerts(self.store.path, list(self.options.rules), self.say, only=stats.new_event_ids,
                                 alerts_out=self.options.alerts_out)
            stats.alerts = len(fired)
        stats.seconds = time.perf_counter() - start
        return stats

    def _read_feed(self, feed: str, stats: PollStats) -> list | None:
        """The feed's entries (an empty list when unchanged since the last poll), None on failure."""
        state = feed_state(self.store, feed)
        try:
            response = self.fetcher.get(feed, state.etag, state.last_modified, max_bytes=FEED_MAX_BYTES)
            if response.not_modified:
                record_poll(self.store, feed, None)
                return []
            parsed = parse_feed(response.body, response.final_url)
            entries = list(parsed.entries) + self._children(parsed)
        except (FetchError, MalformedFeed) as exc:
            reason = exc.reason if isinstance(exc, FetchError) else f"malformed feed: {exc}"
            self.say(f"feed {feed}: {reason}")
            record_poll(self.store, feed, reason)
            stats.feed_errors += 1
            return None
        record_poll(self.store, feed, None, response.etag, response.last_modified, len(entries))
        stats.entries += len(entries)
        return entries

    def _children(self, parsed: Parsed) -> list:
        """The entries of the sitemaps a sitemap index lists (one level); failures are reported."""
        entries: list = []
        for url in parsed.sitemaps:
            if self.stop.is_set():
                break
            try:
                entries.extend(parse_feed(self.fetcher.get(url, max_bytes=FEED_MAX_BYTES).body, url).entries)
            except (FetchError, MalformedFeed) as exc:
                self.say(f"sitemap {url}: {exc.reason if isinstance(exc, FetchError) else exc}")
        return entries

    def _fetch_articles(self, feed: str, entries: list, stats: PollStats) -> None:
        unique = list(dict.fromkeys(e.url for e in entries))
        skip = skip_urls(self.store, unique)
        by_url = {}
        for entry in entries:
            by_url.setdefault(entry.url, entry)
        todo = [by_url[u] for u in unique if u not in skip]
        batch: list[tuple[str, RawDocument | Rejection | Fetched]] = []
        for entry in todo:
            if self.stop.is_set():
                break
            batch.append((entry.url, self._fetch_article(feed, entry, stats)))
            if len(batch) >= ARTICLE_BATCH:
                self._store(feed, batch, stats)
                batch = []
        if batch:
            self._store(feed, batch, stats)

    def _fetch_article(self, feed: str, entry, stats: PollStats) -> RawDocument | Fetched:
        stats.fetched += 1
        try:
            response = self.fetcher.get(entry.url)
        except FetchError as exc:
            outcome = "refused" if isinstance(exc, Refused) else ("failed" if exc.transient else "rejected")
            self.say(f"article {entry.url}: {exc.reason}")
            return Fetched(entry.url, feed, outcome, error=exc.reason)
        kind = _kind(response.content_type, response.body)
        if kind is None:
            reason = f"content type {response.content_type or '(none)'} is not an article (HTML or text)"
            self.say(f"article {entry.url}: {reason}")
            return Fetched(entry.url, feed, "rejected", error=reason)
        declared = Declared(url=entry.url, date=entry.published, title=entry.title)
        return RawDocument(entry.url, None, response.body, kind, declared)

    def _store(self, feed: str, batch: list, stats: PollStats) -> None:
        """Clean, code and store a batch of articles with the record of their URLs, in one transaction."""
        options: PipelineOptions = self.options.pipeline
        rows: list[Fetched] = []
        rejections: list[Rejection] = []
        docs: dict[str, Document] = {}
        for url, item in batch:
            if isinstance(item, Fetched):
                rows.append(item)
                if item.outcome != "failed":
                    rejections.append(Rejection(url, None, item.error or item.outcome))
                continue
            out = clean(item, options.clean_options())
            if isinstance(out, Rejection):
                rows.append(Fetched(url, feed, "rejected", error=out.reason))
                rejections.append(out)
                self.say(out.message())
                continue
            rows.append(Fetched(url, feed, "stored", doc_id=out.id))
            docs.setdefault(out.id, out)
        known = self.store.known_ids(list(docs))
        fresh = [d for i, d in docs.items() if i not in known]
        rows = [Fetched(r.url, r.feed, "duplicate", r.doc_id) if r.outcome == "stored" and r.doc_id in known
                else r for r in rows]
        seen_ids: set[str] = set()
        final = []
        for row in rows:  # two URLs of one batch with the same text: the second is a duplicate
            if row.outcome == "stored" and row.doc_id in seen_ids:
                row = Fetched(row.url, row.feed, "duplicate", row.doc_id)
            if row.outcome == "stored":
                seen_ids.add(row.doc_id)
            final.append(row)
        events: list[Event] = []
        coded: set[str] = set()
        if fresh:
            events, coded = code_batch(fresh, options)
        self.store.write_batch(fresh, events, rejections, coded, also=lambda con: record_fetched(con, final))
        for row in final:
            stats.stored += row.outcome == "stored"
            stats.duplicates += row.outcome == "duplicate"
            stats.rejected += row.outcome in ("rejected", "refused")
            stats.failed += row.outcome == "failed"
        stats.events += len(events)
        stats.new_event_ids.extend(e.id for e in events)


def _kind(content_type: str, body: bytes) -> str | None:
    """html or text for an article body, None for anything else (an image, a PDF…)."""
    media = content_type.split(";", 1)[0].strip().lower()
    if media in _HTML_TYPES or (not media and looks_html(body[:2048])):
        return "html"
    if media == "text/plain":
        return "text"
    if media in ("application/octet-stream", "") and looks_html(body[:2048]):
        return "html"
    return None


def watch(store_path: str | Path, options: WatchOptions, say: Callable[[str], None],
          progress: Callable[[str], None] | None = None, stop: threading.Event | None = None) -> list[PollStats]:
    """Watch the feeds until ``stop`` is set (or for one poll with ``options.once``)."""
    watcher = Watcher(store_path, options, say, progress, stop)
    try:
        return watcher.run()
    finally:
        watcher.close()
