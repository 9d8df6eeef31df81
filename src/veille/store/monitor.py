"""The store's monitoring tables: feeds polled, article URLs fetched, alerts fired.

``veille watch`` keeps all its state here, so a restart picks up where it stopped: a URL
in ``fetched`` is never fetched again (unless its last try failed for a passing reason and
fewer than ``MAX_ATTEMPTS`` were made), a feed's ETag/Last-Modified make the next poll a
conditional GET, and an alert id in ``alerts`` never fires again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

import duckdb

from veille.store import Store, _has_table, _run

#: Tries of an article URL whose fetch failed for a passing reason (timeout, 5xx) before giving up.
MAX_ATTEMPTS = 3


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class FeedState:
    url: str
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Fetched:
    """What became of one article URL."""

    url: str
    feed: str
    outcome: str  # stored | duplicate | rejected | refused | failed
    doc_id: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class AlertRow:
    id: str
    rule: str
    window_start: date
    window_end: date
    count: int
    event_ids: tuple[str, ...]
    payload: str
    delivered: str = ""


def _rows(store: Store, table: str, sql: str, params: Sequence[object]) -> list[tuple]:
    """Rows of a query on a monitoring table; none when the store or the table does not exist yet
    (a store an ingest made, or a watch's first poll)."""
    if not store.path.exists():
        return []
    with store.reader() as con:
        if not _has_table(con, table):
            return []
        return con.execute(sql, list(params)).fetchall()


def feed_state(store: Store, url: str) -> FeedState:
    rows = _rows(store, "feeds", "SELECT etag, last_modified FROM feeds WHERE url = ?", [url])
    return FeedState(url, *rows[0]) if rows else FeedState(url)


def skip_urls(store: Store, urls: Sequence[str]) -> set[str]:
    """The URLs not to fetch: done before, or failed ``MAX_ATTEMPTS`` times."""
    if not urls:
        return set()
    return {r[0] for r in _rows(store, "fetched", "SELECT url FROM fetched WHERE list_contains(?, url) AND "
                                "(outcome <> 'failed' OR attempts >= ?)", [list(urls), MAX_ATTEMPTS])}


def record_fetched(con: duckdb.DuckDBPyConnection, rows: Sequence[Fetched]) -> None:
    """Remember article URLs (inside a writer's transaction); a failed URL counts its attempts."""
    stamp = now()
    for row in rows:
        _run(con, "INSERT INTO fetched VALUES (?, ?, ?, ?, ?, 1, ?) ON CONFLICT (url) DO UPDATE SET "
                  "time = excluded.time, outcome = excluded.outcome, doc_id = excluded.doc_id, "
                  "attempts = fetched.attempts + 1, error = excluded.error",
             [row.url, row.feed, stamp, row.outcome, row.doc_id, row.error])
        if row.outcome == "stored":
            _run(con, "UPDATE feeds SET articles = coalesce(articles, 0) + 1 WHERE url = ?", [row.feed])


def record_poll(store: Store, url: str, error: str | None, etag: str | None = None,
                last_modified: str | None = None, entries: int | None = None) -> None:
    """One poll of a feed: its outcome, and the validators for the next conditional GET."""
    stamp = now()
    with store.writer() as con:
        _run(con, "INSERT INTO feeds (url, polls, errors, articles) VALUES (?, 0, 0, 0) ON CONFLICT DO NOTHING",
             [url])
        if error is None:
            _run(con, "UPDATE feeds SET last_poll = ?, last_ok = ?, last_error = NULL, polls = polls + 1, "
                      "etag = coalesce(?, etag), last_modified = coalesce(?, last_modified), "
                      "entries = coalesce(?, entries) WHERE url = ?",
                 [stamp, stamp, etag, last_modified, entries, url])
        else:
            _run(con, "UPDATE feeds SET last_poll = ?, last_error = ?, polls = polls + 1, errors = errors + 1 "
                      "WHERE url = ?", [stamp, error, url])


def known_alerts(store: Store, ids: Sequence[str]) -> set[str]:
    if not ids:
        return set()
    return {r[0] for r in _rows(store, "alerts", "SELECT id FROM alerts WHERE list_contains(?, id)", [list(ids)])}


def add_alert(store: Store, alert: AlertRow) -> bool:
    """Store an alert; False when it was already there (it fired before)."""
    with store.writer() as con:
        before = con.execute("SELECT count(*) FROM alerts WHERE id = ?", [alert.id]).fetchone()[0]
        if before:
            return False
        _run(con, "INSERT INTO alerts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
             [alert.id, alert.rule, now(), alert.window_start, alert.window_end, alert.count,
              "|".join(alert.event_ids), alert.payload, alert.delivered])
    return True


def set_delivered(store: Store, alert_id: str, outcome: str) -> None:
    with store.writer() as con:
        _run(con, "UPDATE alerts SET delivered = ? WHERE id = ?", [outcome, alert_id])


def status(store: Store, days: int = 14) -> dict:
    """Feeds with their last poll and errors; documents and events per day of arrival; alerts."""
    with store.reader() as con:
        feeds = []
        if _has_table(con, "feeds"):
            feeds = [dict(zip(("url", "last_poll", "last_ok", "polls", "errors", "last_error", "entries",
                               "articles"), row))
                     for row in con.execute("SELECT url, last_poll, last_ok, polls, errors, last_error, entries, "
                                            "articles FROM feeds ORDER BY url").fetchall()]
        per_day = con.execute(
            "SELECT CAST(d.ingested_at AS DATE) AS day, count(DISTINCT d.id), count(e.id) FROM documents d "
            "LEFT JOIN events e ON e.doc_id = d.id GROUP BY day ORDER BY day DESC LIMIT ?", [days]).fetchall()
        fetched = {}
        if _has_table(con, "fetched"):
            fetched = dict(con.execute("SELECT outcome, count(*) FROM fetched GROUP BY outcome").fetchall())
        alerts = 0
        if _has_table(con, "alerts"):
            alerts = con.execute("SELECT count(*) FROM alerts").fetchone()[0]
    return {"feeds": feeds, "per_day": [{"day": str(d), "documents": n, "events": e} for d, n, e in per_day],
            "fetched": fetched, "alerts": alerts}


def list_alerts(store: Store, limit: int = 200) -> list[dict]:
    """The latest alerts, newest first (the dashboard and `veille status`)."""
    with store.reader() as con:
        if not _has_table(con, "alerts"):
            return []
        rows = con.execute("SELECT id, rule, fired_at, window_start, window_end, count, event_ids, delivered "
                           "FROM alerts ORDER BY fired_at DESC, id LIMIT ?", [limit]).fetchall()
    return [{"id": r[0], "rule": r[1], "fired_at": str(r[2]), "window_start": str(r[3]), "window_end": str(r[4]),
             "count": r[5], "event_ids": r[6].split("|") if r[6] else [], "delivered": r[7]} for r in rows]


@dataclass(frozen=True)
class AlertEvent:
    id: str
    date: date
    type: str
    quad_class: int
    goldstein: float | None
    actors: tuple[str, ...]
    recipients: tuple[str, ...]
    evidence: str
    doc_id: str


def _prefix_sql(column: str) -> str:
    """A regular expression matching a "|"-joined code list holding a code with one of the prefixes."""
    return f"regexp_matches(coalesce({column}, ''), ?)"


def _prefix_pattern(prefixes: Sequence[str]) -> str:
    return "(^|\\|)(" + "|".join(p.replace("-", "\\-") for p in prefixes) + ")"


def alert_events(store: Store, actor: Sequence[str] = (), recipient: Sequence[str] = (), either: bool = False,
                 types: Sequence[str] = (), goldstein_below: float | None = None) -> list[AlertEvent]:
    """Dated, non-negated events whose actor and recipient codes start with the prefixes given
    (either way round with ``either``), of the types given, below a Goldstein value; by date."""
    where = ["e.date IS NOT NULL", "coalesce(e.factuality, '') <> 'negated'"]
    params: list[object] = []

    def sides(a: Sequence[str], r: Sequence[str]) -> tuple[str, list[object]]:
        parts, values = [], []
        if a:
            parts.append(_prefix_sql("e.actor_codes"))
            values.append(_prefix_pattern(a))
        if r:
            parts.append(_prefix_sql("e.recipient_codes"))
            values.append(_prefix_pattern(r))
        return " AND ".join(parts) or "TRUE", values

    one, one_params = sides(actor, recipient)
    if either and (actor or recipient):
        other, other_params = sides(recipient, actor)
        where.append(f"(({one}) OR ({other}))")
        params += one_params + other_params
    else:
        where.append(one)
        params += one_params
    if types:
        where.append("list_contains(?, e.type)")
        params.append(list(types))
    if goldstein_below is not None:
        where.append("e.goldstein < ?")
        params.append(goldstein_below)
    sql = ("SELECT e.id, e.date, e.type, e.quad_class, e.goldstein, e.actor_codes, e.recipient_codes, "
           "e.evidence, e.doc_id FROM events e WHERE " + " AND ".join(where) + " ORDER BY e.date, e.id")
    with store.reader() as con:
        rows = con.execute(sql, params).fetchall()
    return [AlertEvent(r[0], r[1], r[2], r[3] or 0, r[4], tuple(filter(None, (r[5] or "").split("|"))),
                       tuple(filter(None, (r[6] or "").split("|"))), r[7] or "", r[8]) for r in rows]
