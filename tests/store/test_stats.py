"""The summary tables (veille.store.stats) give the whole-store actors and network exactly as
the event tables do, batch after batch, and survive re-runs and upgrades."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import duckdb

from veille.store import Store, stats
from veille.web import queries
from veille.web.filters import EventFilters

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from sample import sample_records  # noqa: E402  (the web tests' fixture data)


def _views(path: Path, use_stats: bool) -> dict:
    con = duckdb.connect(str(path))
    try:
        if not use_stats:
            con.execute("UPDATE meta SET value = 'off' WHERE key = 'stats'")
        assert stats.ready(con) is use_stats
        return {
            "actors": queries.actors(con, EventFilters(), None, 100),
            "actors_prefix": queries.actors(con, EventFilters(), "USA", 100),
            "network_code": queries.network(con, EventFilters(), "code", 500),
            "network_country": queries.network(con, EventFilters(), "country", 500),
        }
    finally:
        if not use_stats:
            con.execute("UPDATE meta SET value = 'on' WHERE key = 'stats'")
        con.close()


def _normalise(views: dict) -> dict:
    out = dict(views)
    for key in ("network_code", "network_country"):
        net = views[key]
        out[key] = {"nodes": net["nodes"], "edges": sorted(
            [{**e, "goldstein_mean": round(e["goldstein_mean"], 2) if e["goldstein_mean"] is not None else None}
             for e in net["edges"]], key=lambda e: (e["source"], e["target"], e["joint"]))}
    return out


def test_stats_equal_the_event_tables_batch_after_batch_and_on_rerun(tmp_path: Path) -> None:
    docs, events = sample_records()
    path = tmp_path / "s.duckdb"
    store = Store(path)
    half = len(events) // 2
    store.write_batch(docs, events[:half])
    store.write_batch(docs, events[half:])
    store.write_batch(docs, events)  # a resumed run brings them again: counted once
    with_stats = _normalise(_views(path, True))
    assert with_stats == _normalise(_views(path, False))
    assert with_stats["actors"] and with_stats["network_code"]["edges"]


def test_an_older_store_gets_its_stats_on_the_next_write(tmp_path: Path) -> None:
    docs, events = sample_records()
    path = tmp_path / "old.duckdb"
    Store(path).write_batch(docs, events)
    con = duckdb.connect(str(path))
    for table in stats.TABLES:
        con.execute(f"DROP TABLE {table}")
    con.execute("DELETE FROM meta WHERE key = 'stats'")
    con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    con.close()
    extra = dataclasses.replace(events[0], id="extra-event")
    Store(path).write_batch(docs, [extra])  # migrates (rebuild), then adds the new event
    assert _normalise(_views(path, True)) == _normalise(_views(path, False))
