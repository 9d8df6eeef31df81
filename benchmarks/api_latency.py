"""Latency of the web API on a store of at least a million events.

Builds (or reuses) a large store by replicating real events through DuckDB SQL: every
copy gets new ids, dates shifted across ten years and actor countries rotated through
a list of 48 countries (so a dyad filter selects a realistic share, not half the
store). Then it times the API endpoints in process (FastAPI TestClient: routing,
validation, a fresh read-only connection per request, JSON) and prints p50/p95.

    python benchmarks/api_latency.py                       # sample events, /tmp store
    python benchmarks/api_latency.py --source STORE.duckdb --out big.duckdb --events 2000000

Target: p95 < 200 ms for the dyad timeline and event queries.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parent.parent
COUNTRIES = [
    "USA",
    "JPN",
    "CHN",
    "RUS",
    "FRA",
    "DEU",
    "GBR",
    "ITA",
    "ESP",
    "UKR",
    "PRK",
    "KOR",
    "IND",
    "PAK",
    "IRN",
    "IRQ",
    "ISR",
    "PSE",
    "SYR",
    "TUR",
    "EGY",
    "SAU",
    "ARM",
    "AZE",
    "BRA",
    "ARG",
    "MEX",
    "CAN",
    "AUS",
    "NZL",
    "ZAF",
    "NGA",
    "ETH",
    "KEN",
    "DZA",
    "MAR",
    "TUN",
    "LBY",
    "SDN",
    "MLI",
    "NER",
    "TCD",
    "VNM",
    "PHL",
    "IDN",
    "THA",
    "MMR",
    "AFG",
]
ROTATIONS = len(COUNTRIES)


def source_store(path: Path | None, workdir: Path) -> Path:
    """The store whose events get replicated: the one given, else the web tests' sample."""
    if path is not None:
        return path
    sys.path.insert(0, str(REPO))
    from tests.web.sample import build_store

    target = workdir / "api_latency_seed.duckdb"
    target.unlink(missing_ok=True)
    return build_store(target)


def _rotate(code: str, shift: int) -> str:
    """``USAGOV`` shifted by 2 → ``CHNGOV``: the country prefix moves along COUNTRIES."""
    prefix = code[:3]
    if prefix not in COUNTRIES or shift == 0:
        return code
    return COUNTRIES[(COUNTRIES.index(prefix) + shift) % ROTATIONS] + code[3:]


def build(source: Path, out: Path, n_events: int) -> None:
    """Replicate the source's events (and their documents and actors) into ``out``."""
    from veille.store import Store  # the schema comes from the store package

    out.unlink(missing_ok=True)
    Store(out).create()
    con = duckdb.connect(str(out))
    con.execute(f"ATTACH '{source}' AS src (READ_ONLY)")
    base = con.execute("SELECT count(*) FROM src.events").fetchone()[0]
    if not base:
        raise SystemExit(f"{source} has no events to replicate")
    copies = math.ceil(n_events / base)
    # code → rotated code, for every code string (joined lists too) and every shift
    joined = {
        r[0]
        for r in con.execute(
            "SELECT actor_codes FROM src.events UNION SELECT recipient_codes FROM src.events"
            " UNION SELECT code FROM src.event_actors"
        ).fetchall()
        if r[0] is not None
    }
    rows = [
        (s, k, "|".join(_rotate(c, k) for c in s.split("|")))
        for s in joined
        for k in range(ROTATIONS)
    ]
    con.execute("CREATE TEMP TABLE rot (codes VARCHAR, shift INTEGER, rotated VARCHAR)")
    con.executemany("INSERT INTO rot VALUES (?, ?, ?)", rows)
    con.execute(f"CREATE TEMP TABLE copies AS SELECT range AS i FROM range({copies})")
    t = time.perf_counter()
    con.execute("BEGIN")
    con.execute(
        "INSERT INTO documents SELECT d.id || '-' || c.i, NULL, d.url || '?copy=' || c.i, d.source, d.record,"
        " d.title, d.published + CAST(c.i % 3650 AS INTEGER) - 1825, d.date_precision, d.date_source, d.lang,"
        " d.lang_supported, d.coded, d.words, d.text, d.ingested_at, d.host FROM src.documents d, copies c"
    )
    con.execute(
        "INSERT INTO events SELECT e.id || '-' || c.i, e.doc_id || '-' || c.i,"
        " e.date + CAST(c.i % 3650 AS INTEGER) - 1825, e.date_precision, e.type, e.mode, e.context,"
        " e.factuality, e.confidence, e.cameo_root, e.quad_class, e.goldstein, e.sentence, e.start_char,"
        " e.end_char, e.evidence, e.trigger, e.location_name, e.location_country, e.lat, e.lon,"
        " ra.rotated, rr.rotated FROM src.events e CROSS JOIN copies c"
        f" JOIN rot ra ON ra.codes = e.actor_codes AND ra.shift = c.i % {ROTATIONS}"
        f" JOIN rot rr ON rr.codes = e.recipient_codes AND rr.shift = c.i % {ROTATIONS}"
    )
    con.execute(
        "INSERT INTO event_actors SELECT a.event_id || '-' || c.i, a.role, a.position, r.rotated, a.name,"
        " a.text, a.start_char, a.end_char FROM src.event_actors a CROSS JOIN copies c"
        f" JOIN rot r ON r.codes = a.code AND r.shift = c.i % {ROTATIONS}"
    )
    con.execute("COMMIT")
    from veille.store import stats  # the summary tables an ingest keeps up to date

    s = time.perf_counter()
    con.execute("BEGIN")
    stats.rebuild(con)
    con.execute("COMMIT")
    print(f"summary tables rebuilt in {time.perf_counter() - s:.1f} s")
    con.execute("CHECKPOINT")
    n = con.execute("SELECT count(*) FROM events").fetchone()[0]
    con.close()
    print(
        f"built {out}: {n:,} events ({copies:,} copies of {base}) in {time.perf_counter() - t:.1f} s"
    )


def timed(client, url: str, runs: int) -> tuple[float, float, int]:
    """p50 and p95 in milliseconds over ``runs`` requests (after one warm-up)."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.text[:300])
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200
    times.sort()
    return (
        statistics.median(times),
        times[max(0, math.ceil(0.95 * len(times)) - 1)],
        len(response.content),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--source", type=Path, help="store whose events are replicated (default: test sample)"
    )
    parser.add_argument("--out", type=Path, default=Path("/tmp/veille_api_latency.duckdb"))
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument(
        "--rebuild", action="store_true", help="rebuild even if --out has enough events"
    )
    parser.add_argument(
        "--cold", action="store_true", help="no warm reader: every request opens the file cold"
    )
    parser.add_argument(
        "--index",
        action="store_true",
        help="add the proposed index event_actors(event_id) before timing",
    )
    args = parser.parse_args()

    from fastapi.testclient import TestClient

    from veille.web import create_app

    have = 0
    if args.out.exists() and not args.rebuild:
        with duckdb.connect(str(args.out), read_only=True) as con:
            have = con.execute("SELECT count(*) FROM events").fetchone()[0]
    if have < args.events:
        build(source_store(args.source, args.out.parent).resolve(), args.out, args.events)
    else:
        print(f"reusing {args.out}: {have:,} events")

    if args.index:
        with duckdb.connect(str(args.out)) as con:
            con.execute("CREATE INDEX IF NOT EXISTS event_actors_event ON event_actors (event_id)")
            con.execute("CHECKPOINT")
    with duckdb.connect(str(args.out), read_only=True) as con:
        indexes = [r[0] for r in con.execute("SELECT index_name FROM duckdb_indexes()").fetchall()]
    print(f"indexes: {', '.join(indexes) or 'none'} (besides primary keys)")

    client = TestClient(create_app(args.out, warm=not args.cold))
    print(
        f"reader: {'cold (a fresh instance per request)' if args.cold else 'warm (veille.web.warm)'}"
    )
    some_id = client.get("/api/events?limit=1&actor=USA").json()["items"][0]["id"]
    deep_cursor = client.get("/api/events?offset=499900&limit=100").json()["next_cursor"]
    cases = [
        ("timeline USA-JPN by month", "/api/dyads/USA/JPN/timeline?by=month", True),
        ("timeline USA-JPN by week", "/api/dyads/USA/JPN/timeline?by=week", True),
        (
            "timeline USA-JPN by day, since 2023",
            "/api/dyads/USA/JPN/timeline?by=day&since=2023-01-01",
            True,
        ),
        ("events, no filter, newest 50", "/api/events", True),
        ("events USA-JPN either way", "/api/events?actor=USA&recipient=JPN&undirected=true", True),
        ("events actor=USAGOV type=CONSULT", "/api/events?actor=USAGOV&type=CONSULT", True),
        (
            "events quad 4 since 2024, by goldstein",
            "/api/events?quad_class=4&since=2024-01-01&sort=goldstein",
            True,
        ),
        ("events lang=fr domain filter", "/api/events?lang=fr&domain=euronews.com", True),
        ("events q=missile (ILIKE)", "/api/events?q=missile", True),
        ("events page at offset 500000", "/api/events?offset=500000&limit=100", True),
        ("events page after 500000 (cursor)", f"/api/events?cursor={deep_cursor}&limit=100", True),
        ("one event + mentions", f"/api/events/{some_id}", True),
        ("network actor=USA", "/api/network?actor=USA", False),
        ("network, whole store, countries", "/api/network?level=country", False),
        ("actors, top 100", "/api/actors", False),
        ("locations, whole store", "/api/locations", False),
    ]
    print(f"\n{'query':42} {'p50 ms':>8} {'p95 ms':>8} {'bytes':>9}  target")
    failed = []
    for name, url, targeted in cases:
        p50, p95, size = timed(client, url, args.runs)
        mark = ("ok" if p95 < 200 else "SLOW") if targeted else "-"
        if targeted and p95 >= 200:
            failed.append(name)
        print(f"{name:42} {p50:8.1f} {p95:8.1f} {size:9,}  {mark}")
    print(
        "\nall targeted queries p95 < 200 ms"
        if not failed
        else f"\nover 200 ms at p95: {', '.join(failed)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
