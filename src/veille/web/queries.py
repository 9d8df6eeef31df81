"""The SQL behind each API endpoint. Every function takes an open (read-only) connection.

Event lists pick the page of ids from ``events`` alone first (filters use the
denormalised ``actor_codes``/``recipient_codes`` columns), then shape only those rows
as contract records (the shape of :data:`veille.store.read.EVENT_CONTRACT_SQL`), so a
page costs about the same on a store of ten events or ten million.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import duckdb

from veille.actors.tables import code_name
from veille.store import stats
from veille.store.read import contract_record
from veille.web import keyset
from veille.web.filters import SORTS, EventFilters, code_match, code_param, dyad_match

#: ``by`` values of the dyad timeline and the DuckDB date_trunc part each means.
PERIODS = {"day": "day", "week": "week", "month": "month", "year": "year"}

#: GDELT QuadClass: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.
COOPERATION = (1, 2)
CONFLICT = (3, 4)

MAX_MENTIONS = 50


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[object]) -> list[tuple]:
    return con.execute(sql, params).fetchall()


_EVENT_COLUMNS = (
    "id, doc_id, date, date_precision, type, mode, context, factuality, confidence, cameo_root,"
    " quad_class, goldstein, location_name, location_country, lat, lon, sentence, start_char, end_char,"
    " evidence, trigger"
)
#: Up to this many keys a literal ``IN (?, ?, …)`` list; beyond, one list parameter.
_LITERAL_IN_MAX = 500


def _in(values: list[str]) -> tuple[str, list[Any]]:
    """``(sql, params)`` testing membership in ``values`` (always bound as parameters).

    For a page (≤ 500 keys) a literal list of placeholders, which DuckDB probes ~4–8× faster
    than ``IN (SELECT unnest(?))`` on a million rows; for export chunks binding thousands of
    parameters costs more than it saves, so one list parameter.
    """
    if len(values) <= _LITERAL_IN_MAX:
        return "IN (" + ", ".join("?" for _ in values) + ")", list(values)
    return "IN (SELECT unnest(?::VARCHAR[]))", [list(values)]


def records_by_ids(con: duckdb.DuckDBPyConnection, ids: list[str]) -> list[dict[str, Any]]:
    """Contract records for these event ids, in the order given.

    Same records as ``EVENT_CONTRACT_SQL`` + ``contract_record``, read in three keyed
    look-ups (events, their documents, their actors) instead of one query whose join
    and correlated sub-queries DuckDB runs over whole tables (~0.5 s on a million
    events). Events and documents use their primary keys; the actor look-up is fast
    when event_actors has an index on event_id (proposed for schema.sql), a scan otherwise.
    """
    if not ids:
        return []
    in_ids, id_params = _in(list(ids))
    events = _rows(con, f"SELECT {_EVENT_COLUMNS} FROM events WHERE id {in_ids}", id_params)
    if not events:
        return []
    doc_ids = sorted({r[1] for r in events})
    in_docs, doc_params = _in(doc_ids)
    docs = {
        r[0]: r[1:]
        for r in _rows(
            con,
            f"SELECT id, coalesce(ext_id, id), url, title, lang, published, date_precision FROM documents"
            f" WHERE id {in_docs}",
            doc_params,
        )
    }
    people: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for event_id, role, code, name, text, via in _rows(
        con,
        f"SELECT event_id, role, code, name, text, coalesce(via, '') FROM event_actors WHERE event_id {in_ids}"
        " ORDER BY event_id, role, position",
        id_params,
    ):
        people[(event_id, role)].append({"code": code, "name": name, "text": text, "via": via})
    by_id = {}
    for eid, doc_id, *rest in events:
        if doc_id not in docs:  # the contract query is an inner join: no document, no record
            continue
        shown_id, url, title, lang, published, precision = docs[doc_id]
        row = (
            eid,
            shown_id,
            *rest,
            url,
            title,
            lang,
            published,
            precision,
            people.get((eid, "actor")),
            people.get((eid, "recipient")),
        )
        by_id[eid] = contract_record(row)
    return [by_id[i] for i in ids if i in by_id]


def count_events(con: duckdb.DuckDBPyConnection, f: EventFilters) -> int:
    where, params = f.where()
    sql = f"SELECT count(*) {f.from_clause()}" + (f" WHERE {where}" if where else "")
    return int(con.execute(sql, params).fetchone()[0])


def page_ids(
    con: duckdb.DuckDBPyConnection, f: EventFilters, sort: str, limit: int, offset: int = 0,
    after: list[Any] | None = None,
) -> tuple[list[str], str | None]:
    """Ids of one page of matching events in ``sort`` order (a key of SORTS), and the cursor
    of the page after it (None when this page is the last).

    ``after``: key values decoded from a cursor (see veille.web.keyset); the page starts
    after that row instead of skipping ``offset`` rows.
    """
    where, params = f.where()
    clauses = [where] if where else []
    if after is not None:
        keyset_sql, keyset_params = keyset.after(sort, after)
        clauses.append(keyset_sql)
        params = params + keyset_params
    sql = (
        f"SELECT {keyset.select_keys(sort)} {f.from_clause()}"
        + (" WHERE " + " AND ".join(clauses) if clauses else "")
        + f" ORDER BY {SORTS[sort]} LIMIT ? OFFSET ?"
    )
    rows = _rows(con, sql, params + [limit + 1, offset])  # one more: is there a next page?
    following = keyset.encode(sort, tuple(rows[limit - 1])) if len(rows) > limit else None
    return [r[-1] for r in rows[:limit]], following


def page_events(
    con: duckdb.DuckDBPyConnection, f: EventFilters, sort: str, limit: int, offset: int = 0,
    after: list[Any] | None = None,
) -> list[dict]:
    return page_with_cursor(con, f, sort, limit, offset, after)[0]


def page_with_cursor(
    con: duckdb.DuckDBPyConnection, f: EventFilters, sort: str, limit: int, offset: int = 0,
    after: list[Any] | None = None,
) -> tuple[list[dict], str | None]:
    """One page of contract records and the cursor of the next page."""
    ids, following = page_ids(con, f, sort, limit, offset, after)
    return records_by_ids(con, ids), following


# -- one event ------------------------------------------------------------------------


def _prefixes(codes: str | None) -> frozenset[str]:
    """Country prefixes (first three letters) of a ``|``-joined code list."""
    return frozenset(c[:3] for c in (codes or "").split("|") if c)


def event_detail(con: duckdb.DuckDBPyConnection, event_id: str) -> dict[str, Any] | None:
    """Contract record + evidence with actor spans + document summary + merged mentions."""
    records = records_by_ids(con, [event_id])
    if not records:
        return None
    record = records[0]
    typ, day, actor_codes, recipient_codes, start, end, evidence, trigger, sentence, doc_key = (
        con.execute(
            "SELECT type, date, actor_codes, recipient_codes, start_char, end_char, evidence, trigger, sentence,"
            " doc_id FROM events WHERE id = ?",
            [event_id],
        ).fetchone()
    )
    doc_id, ext_id, title, url, source, published, precision, lang, words = con.execute(
        "SELECT id, ext_id, title, url, source, published, date_precision, lang, words FROM documents"
        " WHERE id = ?",
        [doc_key],
    ).fetchone()
    actors = _rows(
        con,
        "SELECT role, position, code, name, text, start_char, end_char, coalesce(via, '') FROM event_actors"
        " WHERE event_id = ? ORDER BY role, position",
        [event_id],
    )
    record["evidence"] = {
        "sentence": sentence,
        "start": start,
        "end": end,
        "text": evidence,
        "trigger": trigger,
        "actors": [
            {"role": r, "position": p, "code": c, "name": n, "text": t, "start": s, "end": e, "via": v}
            for r, p, c, n, t, s, e, v in actors
        ],
    }
    record["document"] = {
        "id": doc_id,
        "ext_id": ext_id,
        "title": title,
        "url": url,
        "source": source,
        "published": published.isoformat() if published else None,
        "date_precision": precision,
        "lang": lang,
        "words": words,
    }
    record["mentions"] = mentions(con, event_id, typ, day, actor_codes, recipient_codes)
    return record


def mentions(
    con: duckdb.DuckDBPyConnection,
    event_id: str,
    typ: str,
    day: date | None,
    actor_codes: str | None,
    recipient_codes: str | None,
) -> list[dict[str, Any]]:
    """Other events reporting the same thing: same type, same date, same country prefixes."""
    actors, recipients = _prefixes(actor_codes), _prefixes(recipient_codes)
    if day is None or not (actors or recipients):
        return []
    candidates = _rows(
        con,
        "SELECT id, actor_codes, recipient_codes FROM events WHERE type = ? AND date = ? AND id <> ?"
        " ORDER BY id",
        [typ, day, event_id],
    )
    same = [i for i, a, r in candidates if _prefixes(a) == actors and _prefixes(r) == recipients][
        :MAX_MENTIONS
    ]
    return records_by_ids(con, same)


# -- one document ---------------------------------------------------------------------

DOCUMENT_COLUMNS = (
    "id",
    "ext_id",
    "url",
    "source",
    "record",
    "title",
    "published",
    "date_precision",
    "date_source",
    "lang",
    "lang_supported",
    "coded",
    "words",
    "text",
    "ingested_at",
)


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def document_detail(con: duckdb.DuckDBPyConnection, doc_id: str) -> dict[str, Any] | None:
    """Cleaned text, metadata, and the character spans of its events and actors."""
    row = con.execute(
        f"SELECT {', '.join(DOCUMENT_COLUMNS)} FROM documents WHERE id = ? OR ext_id = ? ORDER BY id = ? DESC"
        " LIMIT 1",
        [doc_id, doc_id, doc_id],
    ).fetchone()
    if row is None:
        return None
    doc = {k: _iso(v) for k, v in zip(DOCUMENT_COLUMNS, row)}
    events = _rows(
        con,
        "SELECT id, type, quad_class, factuality, sentence, start_char, end_char, trigger, actor_codes,"
        " recipient_codes FROM events WHERE doc_id = ? ORDER BY start_char, id",
        [doc["id"]],
    )
    doc["events"] = [
        {
            "id": i,
            "type": t,
            "quad_class": q,
            "factuality": f,
            "sentence": s,
            "start": a,
            "end": b,
            "trigger": tr,
            "actor_codes": ac,
            "recipient_codes": rc,
        }
        for i, t, q, f, s, a, b, tr, ac, rc in events
    ]
    actors = _rows(
        con,
        "SELECT a.event_id, a.role, a.code, a.name, a.text, a.start_char, a.end_char, coalesce(a.via, '')"
        " FROM event_actors a JOIN events e ON e.id = a.event_id WHERE e.doc_id = ? AND a.start_char >= 0"
        " AND a.end_char > a.start_char ORDER BY a.start_char, a.end_char",
        [doc["id"]],
    )
    doc["actors"] = [
        {"event_id": ev, "role": role, "code": c, "name": n, "text": t, "start": s, "end": e, "via": v}
        for ev, role, c, n, t, s, e, v in actors
    ]
    entities: dict[tuple[int, int], dict[str, Any]] = {}
    for a in doc["actors"]:
        entities.setdefault(
            (a["start"], a["end"]), {k: a[k] for k in ("code", "name", "text", "start", "end")}
        )
    doc["entities"] = list(entities.values())
    return doc


# -- aggregates -----------------------------------------------------------------------


def dyad_timeline(
    con: duckdb.DuckDBPyConnection,
    a: str,
    b: str,
    by: str,
    f: EventFilters,
) -> dict[str, Any]:
    """Per period: counts by PLOVER type and quad class, mean Goldstein, for a–b either way.

    The pair matches as in :func:`veille.web.filters.dyad_match` (a→b, b→a, joint).
    Events without a date cannot be placed; they are counted in ``undated``.
    """
    where, params = f.where()
    pair, pair_params = dyad_match(a, b)
    forward = f"({code_match('e.actor_codes')} AND {code_match('e.recipient_codes')})"
    backward = forward
    pa, pb = code_param(a), code_param(b)
    sql = (
        f"SELECT CAST(date_trunc('{PERIODS[by]}', e.date) AS DATE) AS period, e.type, e.quad_class,"
        f" count(*), sum(e.goldstein), count(*) FILTER (WHERE {forward}), count(*) FILTER (WHERE {backward})"
        f" {f.from_clause()} WHERE {pair}"
        + (f" AND {where}" if where else "")
        + " GROUP BY ALL ORDER BY period NULLS LAST"
    )
    rows = _rows(con, sql, [pa, pb, pb, pa] + pair_params + params)
    periods: dict[date, dict[str, Any]] = {}
    sums: dict[date, float] = defaultdict(float)
    undated = 0
    for period, typ, quad, n, gold, n_forward, n_backward in rows:
        if period is None:
            undated += n
            continue
        p = periods.setdefault(
            period,
            {
                "period": period.isoformat(),
                "total": 0,
                "by_type": {},
                "by_quad": {},
                "cooperation": 0,
                "conflict": 0,
                "a_to_b": 0,
                "b_to_a": 0,
                "joint": 0,
                "goldstein_mean": None,
                "by_type_quad": [],
            },
        )
        p["by_type_quad"].append({"type": typ, "quad_class": quad, "events": n})
        p["total"] += n
        p["by_type"][typ] = p["by_type"].get(typ, 0) + n
        key = str(quad)
        p["by_quad"][key] = p["by_quad"].get(key, 0) + n
        if quad in COOPERATION:
            p["cooperation"] += n
        elif quad in CONFLICT:
            p["conflict"] += n
        p["a_to_b"] += n_forward
        p["b_to_a"] += n_backward
        p["joint"] += n - n_forward - n_backward
        sums[period] += gold or 0.0
    for period, p in periods.items():
        p["goldstein_mean"] = round(sums[period] / p["total"], 3) if p["total"] else None
    return {"periods": list(periods.values()), "undated": undated}


def _whole_store(con: duckdb.DuckDBPyConnection, f: EventFilters) -> bool:
    """No filter at all, and the store keeps its summary tables (veille.store.stats)."""
    ids_sql, _ = f.selected_ids_sql()
    return ids_sql.endswith("FROM events e") and stats.ready(con)


def _actors_from_stats(con: duckdb.DuckDBPyConnection, prefix: str | None, limit: int,
                       partners: int) -> list[dict[str, Any]]:
    """``actors`` for the whole store, read from the summary tables."""
    match = " WHERE starts_with(code, ?)" if prefix else ""
    top = _rows(con, f"SELECT code, name, events, as_actor, as_recipient FROM actor_stats{match}"
                     " ORDER BY events DESC, code LIMIT ?", ([prefix] if prefix else []) + [limit])
    codes = [r[0] for r in top]
    pairs = _rows(
        con,
        "SELECT code, partner, n FROM partner_stats WHERE list_contains(?::VARCHAR[], code)"
        " QUALIFY row_number() OVER (PARTITION BY code ORDER BY n DESC, partner) <= ?",
        [codes, partners],
    ) if codes else []
    by_code: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for code, other, n in sorted(pairs, key=lambda r: (r[0], -r[2], r[1])):
        by_code[code].append({"code": other, "events": n})
    return [{"code": c, "name": code_name(c) or n, "events": total, "as_actor": na, "as_recipient": nr,
             "partners": by_code[c]} for c, n, total, na, nr in top]


def _filtered_actors_cte(f: EventFilters) -> tuple[str, list[object]]:
    """CTE ``ea``: actor rows (coded, non-empty) of the events the filters select."""
    ids_sql, params = f.selected_ids_sql()
    if not ids_sql.endswith("FROM events e"):
        restrict = f" AND a.event_id IN ({ids_sql})"
    else:
        restrict, params = "", []
    return (
        "WITH ea AS (SELECT a.event_id, a.role, a.code, a.name FROM event_actors a"
        f" WHERE a.code <> ''{restrict})"
    ), params


def actors(
    con: duckdb.DuckDBPyConnection,
    f: EventFilters,
    prefix: str | None,
    limit: int,
    partners: int = 5,
) -> list[dict[str, Any]]:
    """Actor codes with their event counts and their most frequent partners."""
    if _whole_store(con, f):
        return _actors_from_stats(con, prefix, limit, partners)
    cte, params = _filtered_actors_cte(f)
    match = " WHERE starts_with(code, ?)" if prefix else ""
    top = _rows(
        con,
        f"{cte} SELECT code, mode(name), count(DISTINCT event_id),"
        " count(DISTINCT event_id) FILTER (WHERE role = 'actor'),"
        " count(DISTINCT event_id) FILTER (WHERE role = 'recipient')"
        f" FROM ea{match} GROUP BY code ORDER BY 3 DESC, code LIMIT ?",
        params + ([prefix] if prefix else []) + [limit],
    )
    codes = [r[0] for r in top]
    pairs = (
        _rows(
            con,
            f"{cte}, mine AS (SELECT * FROM ea WHERE list_contains(?::VARCHAR[], code))"
            " SELECT m.code, o.code, count(DISTINCT m.event_id) AS n FROM mine m JOIN ea o"
            " ON o.event_id = m.event_id AND o.role <> m.role AND o.code <> m.code"
            " GROUP BY m.code, o.code QUALIFY row_number() OVER (PARTITION BY m.code ORDER BY n DESC, o.code) <= ?",
            params + [codes, partners],
        )
        if codes
        else []
    )
    by_code: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for code, other, n in sorted(pairs, key=lambda r: (r[0], -r[2], r[1])):
        by_code[code].append({"code": other, "events": n})
    return [
        {
            "code": c,
            "name": code_name(c) or n,
            "events": total,
            "as_actor": na,
            "as_recipient": nr,
            "partners": by_code[c],
        }
        for c, n, total, na, nr in top
    ]


def network(
    con: duckdb.DuckDBPyConnection,
    f: EventFilters,
    level: str,
    max_edges: int,
) -> dict[str, Any]:
    """Actor graph: edges weighted by event counts, nodes by involvement.

    Edges go actor → recipient; events with co-actors and no recipient ("Washington et
    Tokyo ont discuté") add undirected ``joint`` edges between the co-actors.
    """
    if _whole_store(con, f):
        edges = _rows(
            con,
            "SELECT src, dst, joint, n, coop, conflict, goldstein_sum / nullif(goldstein_n, 0) FROM edge_stats"
            " WHERE level = ? ORDER BY n DESC, src, dst, joint LIMIT ?",
            [level, max_edges],
        )
        return _network_result(con, level, edges)
    cte, params = _filtered_actors_cte(f)
    key = "substr(code, 1, 3)" if level == "country" else "code"
    edges = _rows(
        con,
        f"{cte}, {stats.edge_ctes(key)}"
        " SELECT j.src, j.dst, j.joint, count(*) AS n,"
        " count(*) FILTER (WHERE e.quad_class IN (1, 2)), count(*) FILTER (WHERE e.quad_class IN (3, 4)),"
        " avg(e.goldstein) FROM j JOIN events e ON e.id = j.event_id"
        " GROUP BY ALL ORDER BY n DESC, j.src, j.dst, j.joint LIMIT ?",
        params + [max_edges],
    )
    return _network_result(con, level, edges)


def _network_result(con: duckdb.DuckDBPyConnection, level: str, edges: list[tuple]) -> dict[str, Any]:
    nodes: dict[str, dict[str, Any]] = {}
    for src, dst, _, n, *_ in edges:
        for code in (src, dst):
            nodes.setdefault(code, {"id": code, "name": code, "events": 0})["events"] += n
    if nodes and level == "code":
        sql = ("SELECT code, name FROM actor_stats WHERE list_contains(?::VARCHAR[], code)" if stats.ready(con)
               else "SELECT code, mode(name) FROM event_actors WHERE list_contains(?::VARCHAR[], code) GROUP BY code")
        names = _rows(con, sql, [list(nodes)])
        for code, name in names:
            nodes[code]["name"] = code_name(code) or name or code
    elif nodes:
        for code in nodes:
            nodes[code]["name"] = code_name(code) or code
    return {
        "level": level,
        "nodes": sorted(nodes.values(), key=lambda n: (-n["events"], n["id"])),
        "edges": [
            {
                "source": s,
                "target": t,
                "joint": joint,
                "weight": n,
                "cooperation": co,
                "conflict": cf,
                "goldstein_mean": round(g, 3) if g is not None else None,
            }
            for s, t, joint, n, co, cf, g in edges
        ],
    }


def locations(
    con: duckdb.DuckDBPyConnection, f: EventFilters, max_points: int = 500
) -> dict[str, Any]:
    """Event counts per location country, and per located place with coordinates."""
    where, params = f.where()
    base = f"{f.from_clause()} WHERE " + (f"{where} AND " if where else "")
    countries = _rows(
        con,
        f"SELECT e.location_country, count(*), avg(e.lat), avg(e.lon) {base} e.location_country IS NOT NULL"
        " GROUP BY 1 ORDER BY 2 DESC, 1",
        params,
    )
    points = _rows(
        con,
        f"SELECT e.location_name, e.location_country, e.lat, e.lon, count(*) {base}"
        " e.lat IS NOT NULL AND e.lon IS NOT NULL GROUP BY ALL ORDER BY 5 DESC, 1 LIMIT ?",
        params + [max_points],
    )
    return {
        "countries": [
            {"country": c, "events": n, "lat": la, "lon": lo} for c, n, la, lo in countries
        ],
        "points": [
            {"name": nm, "country": c, "lat": la, "lon": lo, "events": n}
            for nm, c, la, lo, n in points
        ],
    }


def summary(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Store-wide counts for the dashboard header."""
    docs, langs = con.execute(
        "SELECT count(*), list(DISTINCT lang ORDER BY lang) FROM documents"
    ).fetchone()
    events, first, last = con.execute(
        "SELECT count(*), min(date), max(date) FROM events"
    ).fetchone()
    return {
        "documents": docs,
        "events": events,
        "languages": [lang for lang in (langs or []) if lang],
        "first_date": _iso(first),
        "last_date": _iso(last),
    }


# -- exports --------------------------------------------------------------------------

CSV_COLUMNS = (
    "id",
    "doc_id",
    "date",
    "date_precision",
    "type",
    "mode",
    "context",
    "actor_codes",
    "actor_names",
    "recipient_codes",
    "recipient_names",
    "factuality",
    "confidence",
    "cameo_root",
    "quad_class",
    "goldstein",
    "location_name",
    "location_country",
    "lat",
    "lon",
    "sentence",
    "start",
    "end",
    "evidence",
    "trigger",
    "url",
    "title",
    "language",
    "published",
)


def flat_record(r: dict[str, Any]) -> list[Any]:
    """One contract record as a CSV row (CSV_COLUMNS order; actor lists joined by ``|``)."""
    loc = r.get("location") or {}
    ti, ci = r["text_info"], r["cite_info"]
    return [
        r["id"],
        r["doc_id"],
        r["date"],
        r["date_precision"],
        r["event"][0],
        r["mode"],
        r["context"],
        "|".join(a["code"] or "" for a in r["actor"]),
        "|".join(a["name"] or "" for a in r["actor"]),
        "|".join(a["code"] or "" for a in r["recipient"]),
        "|".join(a["name"] or "" for a in r["recipient"]),
        r["factuality"],
        r["confidence"],
        r["cameo_root"],
        r["quad_class"],
        r["goldstein"],
        loc.get("name"),
        loc.get("country"),
        loc.get("lat"),
        loc.get("lon"),
        ti["sentence"],
        ti["start"],
        ti["end"],
        ti["text"],
        ti["trigger"],
        ci["url"],
        ci["title"],
        ci["language"],
        ci["published"],
    ]


def export_chunks(
    open_reader: Any,
    f: EventFilters,
    sort: str,
    chunk: int = 5000,
) -> Iterator[list[dict[str, Any]]]:
    """Every matching record, ``chunk`` at a time, each chunk read over its own short connection.

    A download may take a while; holding one connection for all of it would keep an
    ingest from writing (see veille.store), so each chunk opens, reads and closes.
    """
    after: list[Any] | None = None
    while True:
        with open_reader() as con:
            records, following = page_with_cursor(con, f, sort, chunk, after=after)
        if records:
            yield records
        if following is None:
            return
        after = keyset.decode(sort, following)  # keyset paging: each chunk costs the same


def alerts(con: duckdb.DuckDBPyConnection, limit: int) -> dict[str, Any]:
    """The latest alerts (``veille watch --alerts``), newest first, each with its events."""
    has = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'alerts'").fetchone()[0]
    if not has:
        return {"total": 0, "items": []}
    total = con.execute("SELECT count(*) FROM alerts").fetchone()[0]
    rows = _rows(con, "SELECT id, rule, fired_at, window_start, window_end, count, event_ids, delivered "
                      "FROM alerts ORDER BY fired_at DESC, id LIMIT ?", [limit])
    wanted = sorted({e for r in rows for e in (r[6] or "").split("|") if e})
    events: dict[str, dict[str, Any]] = {}
    if wanted:
        for e in _rows(con, "SELECT id, date, type, quad_class, actor_codes, recipient_codes, evidence FROM events "
                            "WHERE list_contains(?, id)", [wanted]):
            events[e[0]] = {"id": e[0], "date": _iso(e[1]), "type": e[2], "quad_class": e[3],
                            "actor": e[4] or "", "recipient": e[5] or "", "evidence": e[6] or ""}
    items = []
    for r in rows:
        ids = [e for e in (r[6] or "").split("|") if e]
        items.append({"id": r[0], "rule": r[1], "fired_at": _iso(r[2]), "window": {"start": _iso(r[3]), "end": _iso(r[4])},
                      "count": r[5], "delivered": r[7] or "",
                      "events": [events.get(e, {"id": e, "missing": True}) for e in ids]})
    return {"total": total, "items": items}
