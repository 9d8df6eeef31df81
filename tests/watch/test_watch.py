"""`veille watch` against real local HTTP servers serving feeds and articles made from real reports."""

from __future__ import annotations

import pytest

from tests.watch.server import Route, article, rss
from veille.store import Store
from veille.watch import WatchOptions, watch
from veille.watch.fetch import FetchOptions

DATES = ("Fri, 07 Jan 2022 10:00:00 GMT", "Mon, 03 Jan 2022 10:00:00 GMT", "Tue, 04 Jan 2022 10:00:00 GMT")


def options(feeds, **fetch) -> WatchOptions:
    base = dict(allow_private=True, retries=0, backoff=0.01, host_delay=0.0, timeout=1.0)
    return WatchOptions(feeds=tuple(feeds), once=True, fetch=FetchOptions(**{**base, **fetch}))


def publish(site, reports, names=("/a/1", "/a/2"), feed="/feed"):
    """Articles at ``names`` made from the reports, listed by an RSS feed at ``feed``."""
    items = []
    for i, (name, text) in enumerate(zip(names, reports)):
        title = text.split("\n", 1)[0][:80]
        site.routes[name] = Route(article(title, text))
        items.append((site.url(name), title, DATES[i % len(DATES)]))
    site.routes[feed] = Route(rss(items), content_type="application/rss+xml", etag=f'"{len(items)}"')
    return items


def run(store, opts):
    said: list[str] = []
    polls = watch(store, opts, said.append)
    return polls, said


def test_a_poll_stores_codes_and_remembers_each_article(tmp_path, site, reports):
    publish(site, reports)
    store = tmp_path / "w.duckdb"
    (poll,), said = run(store, options([site.url("/feed")]))
    assert (poll.stored, poll.fetched, poll.feed_errors) == (2, 2, 0), said
    assert poll.events > 5
    rows = Store(store).query("SELECT url, title, published, source FROM documents ORDER BY published")
    assert [r[0] for r in rows] == [site.url("/a/2"), site.url("/a/1")]
    assert str(rows[1][2]) == "2022-01-07"  # the feed's date
    fetched = Store(store).query("SELECT url, outcome, attempts FROM fetched ORDER BY url")
    assert fetched == [(site.url("/a/1"), "stored", 1), (site.url("/a/2"), "stored", 1)]
    feed = Store(store).query("SELECT polls, errors, entries, articles, etag FROM feeds")
    assert feed == [(1, 0, 2, 2, '"2"')]


def test_a_restart_fetches_nothing_twice_and_a_changed_feed_brings_only_the_new(tmp_path, site, reports, sample_texts):
    publish(site, reports)
    store = tmp_path / "w.duckdb"
    run(store, options([site.url("/feed")]))
    # A new process: unchanged feed answers 304, no article is fetched again.
    (poll,), _ = run(store, options([site.url("/feed")]))
    assert poll.fetched == 0 and poll.stored == 0
    assert site.gets("/a/1") == 1 and site.gets("/a/2") == 1
    feed_gets = [h for h in site.hits if h.path == "/feed"]
    assert feed_gets[-1].headers.get("If-None-Match") == '"2"'
    # The feed changes: a third article appears.
    publish(site, [*reports, sample_texts[0]], names=("/a/1", "/a/2", "/a/3"))
    (poll,), _ = run(store, options([site.url("/feed")]))
    assert (poll.fetched, poll.stored) == (1, 1)
    assert [site.gets(f"/a/{i}") for i in (1, 2, 3)] == [1, 1, 1]
    assert Store(store).counts()["documents"] == 3


def test_failures_are_reported_and_none_stops_the_watch(tmp_path, site, reports):
    publish(site, reports)
    site.routes["/slow"] = Route(b"<rss/>", delay=2.0)
    site.routes["/error"] = Route(b"oops", status=500)
    site.routes["/loop"] = Route(status=302, headers={"Location": "/loop2"})
    site.routes["/loop2"] = Route(status=302, headers={"Location": "/loop"})
    site.routes["/huge"] = Route(huge=30_000_000)
    site.routes["/junk"] = Route(b"<html><body>This is a page, not a feed.</body></html>")
    feeds = [site.url(p) for p in ("/slow", "/error", "/loop", "/huge", "/junk", "/feed")]
    store = tmp_path / "w.duckdb"
    (poll,), said = run(store, WatchOptions(feeds=tuple(feeds), once=True, fetch=FetchOptions(
        allow_private=True, retries=1, backoff=0.01, host_delay=0.0, timeout=0.5, max_bytes=2_000_000)))
    assert poll.feed_errors == 5 and poll.stored == 2
    errors = dict(Store(store).query("SELECT url, last_error FROM feeds WHERE last_error IS NOT NULL"))
    assert "no answer within 0.5 s" in errors[site.url("/slow")]
    assert "HTTP 500" in errors[site.url("/error")]
    assert "redirect loop" in errors[site.url("/loop")]
    assert "over the limit" in errors[site.url("/huge")]
    assert "malformed feed" in errors[site.url("/junk")]
    assert site.gets("/error") == 2  # tried again once
    assert any(site.url("/loop") in line for line in said)


def test_a_private_address_is_refused_without_allow_private(tmp_path, site, reports):
    publish(site, reports)
    store = tmp_path / "w.duckdb"
    (poll,), said = run(store, options([site.url("/feed")], allow_private=False))
    assert poll.feed_errors == 1 and poll.fetched == 0
    assert site.hits == []
    assert "--allow-private" in Store(store).query("SELECT last_error FROM feeds")[0][0]


def test_article_failures_rejected_for_good_or_tried_again(tmp_path, site, reports):
    items = publish(site, reports)
    site.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    site.routes["/private/x"] = Route(article("x", reports[0]))
    site.routes["/later"] = Route(b"busy", status=503)
    site.routes["/image.png"] = Route(b"\x89PNG\r\n\x1a\n", content_type="image/png")
    site.routes["/copy"] = site.routes["/a/1"]  # the same page at a second URL
    extra = [(site.url(p), p, DATES[0]) for p in ("/private/x", "/later", "/image.png", "/copy")]
    site.routes["/feed"] = Route(rss(items + extra), content_type="application/rss+xml")
    store = tmp_path / "w.duckdb"
    (poll,), _ = run(store, options([site.url("/feed")]))
    outcomes = dict(Store(store).query("SELECT url, outcome FROM fetched"))
    assert outcomes[site.url("/private/x")] == "refused"
    assert outcomes[site.url("/later")] == "failed"
    assert outcomes[site.url("/image.png")] == "rejected"
    assert outcomes[site.url("/copy")] == "duplicate"
    assert site.gets("/private/x") == 0
    rejected = {r[0] for r in Store(store).query("SELECT file FROM rejected")}
    assert {site.url("/private/x"), site.url("/image.png")} <= rejected
    # The passing failure is tried again at the next poll; the others are not.
    site.routes["/later"] = Route(article("Later", reports[1] + "\nUne phrase de plus."))
    (poll,), _ = run(store, options([site.url("/feed")]))
    assert poll.fetched == 1 and poll.stored == 1
    assert site.gets("/later") == 2 and site.gets("/image.png") == 1 and site.gets("/copy") == 1


@pytest.mark.parametrize("kind", ["text/plain; charset=utf-8"])
def test_plain_text_articles_are_read_as_text(tmp_path, site, reports, kind):
    site.routes["/t"] = Route(reports[0].encode("utf-8"), content_type=kind)
    site.routes["/feed"] = Route(rss([(site.url("/t"), "Plain", DATES[0])]), content_type="application/rss+xml")
    store = tmp_path / "w.duckdb"
    (poll,), _ = run(store, options([site.url("/feed")]))
    assert poll.stored == 1 and poll.events > 0
