"""Summary tables kept up to date at ingest, so whole-store views answer at once.

``/api/actors`` (every code with its counts and partners) and ``/api/network`` over the whole
store read every row of ``event_actors``: over a second on a million events. These tables
hold the same aggregates; each batch adds its new events' counts in the same transaction
(the counts are sums over events, so they add up), and a store written before them is
filled once by :func:`rebuild`. Filtered views still read the event tables.

- ``actor_stats(code, name, events, as_actor, as_recipient)``: distinct events per code.
- ``partner_stats(code, partner, n)``: events where ``partner`` had the other role.
- ``edge_stats(level, src, dst, joint, n, coop, conflict, goldstein_sum)``: the network's edges
  per event, at the code and the country level (as ``queries.network`` counts them).
"""

from __future__ import annotations

import duckdb

TABLES = ("actor_stats", "partner_stats", "edge_stats")

SCHEMA = """
CREATE TABLE IF NOT EXISTS actor_stats (
    code VARCHAR PRIMARY KEY, name VARCHAR, events BIGINT, as_actor BIGINT, as_recipient BIGINT);
CREATE TABLE IF NOT EXISTS partner_stats (
    code VARCHAR, partner VARCHAR, n BIGINT, PRIMARY KEY (code, partner));
CREATE TABLE IF NOT EXISTS edge_stats (
    level VARCHAR, src VARCHAR, dst VARCHAR, joint BOOLEAN, n BIGINT, coop BIGINT, conflict BIGINT,
    goldstein_sum DOUBLE, goldstein_n BIGINT, PRIMARY KEY (level, src, dst, joint));
"""


def edge_ctes(key: str) -> str:
    """CTEs ``k`` and ``j`` after a CTE ``ea`` of actor rows: the network's edges per event.

    ``j`` holds (event, src, dst, joint): actor → recipient edges, and undirected ``joint`` edges
    between the co-actors of an event with no recipient. ``key`` is a fixed SQL expression of
    ``code`` (the code, or its country). Shared by these tables and ``veille.web.queries.network``.
    """
    return (f"k AS (SELECT event_id, role, {key} AS node FROM ea),"
            " j AS (SELECT DISTINCT s.event_id, s.node AS src, t.node AS dst, false AS joint FROM k s JOIN k t"
            " ON s.event_id = t.event_id AND s.role = 'actor' AND t.role = 'recipient' AND s.node <> t.node"
            " UNION ALL"
            " SELECT DISTINCT s.event_id, s.node, t.node, true FROM k s JOIN k t"
            " ON s.event_id = t.event_id AND s.role = 'actor' AND t.role = 'actor' AND s.node < t.node"
            " JOIN events r ON r.id = s.event_id AND coalesce(r.recipient_codes, '') = '')")


def _add(con: duckdb.DuckDBPyConnection, ids_sql: str) -> None:
    """Add the counts of the events whose ids ``ids_sql`` selects (a fixed SQL fragment)."""
    ea = (f"SELECT a.event_id, a.role, a.code, a.name FROM event_actors a "
          f"WHERE a.code <> '' AND a.event_id IN ({ids_sql})")
    con.execute(
        f"INSERT INTO actor_stats WITH ea AS ({ea}) SELECT code, min(name), count(DISTINCT event_id),"
        " count(DISTINCT event_id) FILTER (WHERE role = 'actor'),"
        " count(DISTINCT event_id) FILTER (WHERE role = 'recipient') FROM ea GROUP BY code"
        " ON CONFLICT (code) DO UPDATE SET events = events + excluded.events,"
        " as_actor = as_actor + excluded.as_actor, as_recipient = as_recipient + excluded.as_recipient,"
        " name = coalesce(actor_stats.name, excluded.name)").fetchall()
    con.execute(
        f"INSERT INTO partner_stats WITH ea AS ({ea}) SELECT m.code, o.code, count(DISTINCT m.event_id)"
        " FROM ea m JOIN ea o ON o.event_id = m.event_id AND o.role <> m.role AND o.code <> m.code"
        " GROUP BY m.code, o.code ON CONFLICT (code, partner) DO UPDATE SET n = n + excluded.n").fetchall()
    for level, key in (("code", "code"), ("country", "substr(code, 1, 3)")):
        con.execute(
            f"INSERT INTO edge_stats WITH ea AS ({ea}), {edge_ctes(key)}"
            f" SELECT '{level}', j.src, j.dst, j.joint, count(*),"
            " count(*) FILTER (WHERE e.quad_class IN (1, 2)), count(*) FILTER (WHERE e.quad_class IN (3, 4)),"
            " sum(e.goldstein), count(e.goldstein) FROM j JOIN events e ON e.id = j.event_id GROUP BY ALL"
            " ON CONFLICT (level, src, dst, joint) DO UPDATE SET n = n + excluded.n,"
            " coop = coop + excluded.coop, conflict = conflict + excluded.conflict,"
            " goldstein_sum = coalesce(goldstein_sum, 0) + coalesce(excluded.goldstein_sum, 0),"
            " goldstein_n = goldstein_n + excluded.goldstein_n").fetchall()


def add_batch(con: duckdb.DuckDBPyConnection, new_ids_table: str) -> None:
    """Inside a batch's transaction: add the events listed in the table ``new_ids_table(id)``."""
    _add(con, f"SELECT id FROM {new_ids_table}")


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute every summary table from the event tables (a migration, a Parquet load)."""
    con.execute(SCHEMA).fetchall()
    for table in TABLES:
        con.execute(f"DELETE FROM {table}").fetchall()  # noqa: S608 (fixed names)
    _add(con, "SELECT id FROM events")


def ready(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether this store keeps the summary tables (a store from an older veille may not)."""
    row = con.execute("SELECT value FROM meta WHERE key = 'stats'").fetchone() if _has_meta(con) else None
    return row is not None and row[0] == "on"


def _has_meta(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'")
                .fetchone()[0])
