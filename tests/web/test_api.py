"""In-process tests of every API endpoint and error case (FastAPI TestClient)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient

from veille.web import create_app, is_loopback
from veille.web.filters import SORTS


def ids(body: dict) -> list[str]:
    return [item["id"] for item in body["items"]]


# -- the one error shape --------------------------------------------------------------


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "code", "message"}
    assert body["error"]["status"] == status
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


@pytest.mark.parametrize(
    ("method", "url", "status", "code"),
    [
        ("get", "/api/nowhere", 404, "not_found"),
        ("get", "/api/events/nope", 404, "not_found"),
        ("get", "/api/documents/nope", 404, "not_found"),
        ("post", "/api/events", 405, "method_not_allowed"),
        ("delete", "/api/events/ev01", 405, "method_not_allowed"),
        ("get", "/api/events?limit=1001", 422, "validation_error"),
        ("get", "/api/events?limit=0", 422, "validation_error"),
        ("get", "/api/events?offset=-1", 422, "validation_error"),
        ("get", "/api/events?actor=usa", 422, "validation_error"),
        ("get", "/api/events?actor=US", 422, "validation_error"),
        ("get", "/api/events?actor=USA%27%20OR%201%3D1", 422, "validation_error"),
        ("get", "/api/events?type=HUG", 422, "validation_error"),
        ("get", "/api/events?quad_class=5", 422, "validation_error"),
        ("get", "/api/events?factuality=maybe", 422, "validation_error"),
        ("get", "/api/events?since=yesterday", 422, "validation_error"),
        ("get", "/api/events?sort=evidence", 422, "validation_error"),
        ("get", "/api/events?sort=date;DROP%20TABLE%20events", 422, "validation_error"),
        ("get", "/api/events?format=xml", 422, "validation_error"),
        ("get", "/api/events?domain=exa%25mple.com", 422, "validation_error"),
        ("get", "/api/dyads/USA/jpn/timeline", 422, "validation_error"),
        ("get", "/api/dyads/USA/JPN/timeline?by=hour", 422, "validation_error"),
        ("get", "/api/network?level=planet", 422, "validation_error"),
        ("get", "/api/actors?prefix=u", 422, "validation_error"),
    ],
)
def test_api_error_shape(client: TestClient, method: str, url: str, status: int, code: str) -> None:
    assert_error(getattr(client, method)(url), status, code)


def test_api_error_shape_500(sample_store) -> None:
    app = create_app(sample_store)

    @app.get("/api/boom")
    def boom() -> None:
        raise RuntimeError("secret detail")

    error = assert_error(
        TestClient(app, raise_server_exceptions=False).get("/api/boom"), 500, "internal_error"
    )
    assert "secret" not in error["message"]


def test_api_missing_store_is_503(tmp_path) -> None:
    client = TestClient(create_app(tmp_path / "absent.duckdb"), raise_server_exceptions=False)
    error = assert_error(client.get("/api/events"), 503, "store_unavailable")
    assert "veille ingest" in error["message"]


def test_api_openapi_lists_endpoints(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/events",
        "/api/events/{event_id}",
        "/api/documents/{doc_id}",
        "/api/dyads/{a}/{b}/timeline",
        "/api/actors",
        "/api/network",
        "/api/extract",
        "/api/alerts",
    ):
        assert path in paths


# -- /api/events ----------------------------------------------------------------------


def test_events_list_shape(client: TestClient) -> None:
    body = client.get("/api/events").json()
    assert set(body) == {"total", "items", "limit", "offset", "next_cursor"}
    assert body["total"] == 9 and body["limit"] == 50 and body["offset"] == 0
    assert body["next_cursor"] is None  # everything fits in one page
    item = body["items"][0]
    for key in (
        "id",
        "doc_id",
        "date",
        "event",
        "actor",
        "recipient",
        "factuality",
        "quad_class",
        "goldstein",
        "text_info",
        "cite_info",
        "location",
    ):
        assert key in item
    assert item["date"] == "2025-01-07"  # default sort: newest first


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("actor=USA", {"ev01", "ev02", "ev03", "ev05", "ev06"}),
        ("actor=USAGOV", {"ev01", "ev02", "ev03", "ev05"}),
        ("actor=USA&recipient=JPN", {"ev02", "ev03", "ev05", "ev06"}),
        ("actor=USA&recipient=JPN&undirected=true", {"ev02", "ev03", "ev05", "ev06", "ev08"}),
        ("recipient=CHN", {"ev01"}),
        ("type=CONSULT", {"ev02", "ev05", "ev08"}),
        ("type=CONSULT,AGREE", {"ev02", "ev03", "ev05", "ev08"}),
        ("quad_class=3", {"ev01", "ev04", "ev09"}),
        ("factuality=future", {"ev03"}),
        ("since=2025-01-07", {"ev06", "ev07"}),
        ("until=2022-12-31&lang=en", {"ev08", "ev09"}),
        ("lang=fr&since=2025-01-01", {"ev05", "ev06", "ev07"}),
        ("domain=euronews.com", {"ev05", "ev06", "ev07"}),
        ("domain=www.euronews.com", {"ev05", "ev06", "ev07"}),
        ("domain=news.com", set()),
        ("q=missile", {"ev06", "ev07"}),
        ("q=MISSILE", {"ev06", "ev07"}),
        ("q=100%25", set()),
        ("q=__xss", {"ev09"}),
        ("q=x_s", set()),  # "_" is literal, not a LIKE wildcard
        ("q=%27%3B%20DROP%20TABLE%20events%3B--", set()),
    ],
)
def test_events_filters(client: TestClient, query: str, expected: set[str]) -> None:
    body = client.get(f"/api/events?{query}").json()
    assert set(ids(body)) == expected
    assert body["total"] == len(expected)


def test_events_paging_and_sort(client: TestClient) -> None:
    page1 = client.get("/api/events?limit=4&sort=goldstein").json()
    page2 = client.get("/api/events?limit=4&offset=4&sort=goldstein").json()
    page3 = client.get("/api/events?limit=4&offset=8&sort=goldstein").json()
    assert page1["total"] == 9 and len(page1["items"]) == 4 and len(page3["items"]) == 1
    golds = [i["goldstein"] for p in (page1, page2, page3) for i in p["items"]]
    assert golds == sorted(golds)
    assert len(set(ids(page1) + ids(page2) + ids(page3))) == 9
    assert client.get("/api/events?offset=100").json()["items"] == []
    dates = [i["date"] for i in client.get("/api/events?sort=date").json()["items"]]
    assert dates == sorted(dates)


def test_events_csv_download(client: TestClient) -> None:
    response = client.get("/api/events?format=csv&actor=USA&recipient=JPN")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert {r["id"] for r in rows} == {"ev02", "ev03", "ev05", "ev06"}
    assert rows[0]["actor_codes"] and rows[0]["evidence"]


def test_events_jsonl_download(client: TestClient) -> None:
    response = client.get("/api/events?format=jsonl&q=missile")
    assert response.headers["content-type"].startswith("application/x-ndjson")
    records = [json.loads(line) for line in response.text.splitlines()]
    assert {r["id"] for r in records} == {"ev06", "ev07"}
    assert records[0] == client.get("/api/events?q=missile&sort=-date").json()["items"][0]


def test_events_export_streams_in_chunks(sample_store) -> None:
    from veille.store import Store
    from veille.web import queries
    from veille.web.filters import EventFilters

    chunks = list(
        queries.export_chunks(Store(sample_store).reader, EventFilters(), "date", chunk=4)
    )
    assert [len(c) for c in chunks] == [4, 4, 1]


# -- /api/events/{id} -----------------------------------------------------------------


def test_event_detail(client: TestClient) -> None:
    body = client.get("/api/events/ev02").json()
    assert body["id"] == "ev02" and body["event"] == ["CONSULT"]
    assert body["document"]["id"] == "doc1sputnik00001"
    assert body["document"]["url"].startswith("https://fr.sputniknews.com")
    evidence = body["evidence"]
    assert evidence["text"].startswith("Washington et Tokyo")
    roles = {(a["role"], a["code"], a["text"]) for a in evidence["actors"]}
    assert roles == {("actor", "USAGOV", "Washington"), ("recipient", "JPNGOV", "Tokyo")}
    doc = client.get("/api/documents/doc1sputnik00001").json()
    for a in evidence["actors"]:
        assert doc["text"][a["start"] : a["end"]] == a["text"]
    # ev08 (English, JPN→USA) is not the same direction; mentions keep direction
    assert body["mentions"] == []


def test_event_mentions_merge_reports(client: TestClient) -> None:
    # ev05 (Blinken meets Ishiba, USAGOV→JPNGOV, 2025-01-06) has no twin; ev06 neither.
    assert client.get("/api/events/ev05").json()["mentions"] == []
    # ev01 and ev09 are both ACCUSE on 2022-01-07 but with different country prefixes
    assert client.get("/api/events/ev09").json()["mentions"] == []


def test_event_mentions_found(tmp_path) -> None:
    from dataclasses import replace

    from veille.store import Store

    from .sample import sample_records

    docs, events = sample_records()
    twin = replace(events[1], id="ev02b", doc_id=docs[2].id, sentence=5)
    Store(tmp_path / "s.duckdb").write_batch(docs, [*events, twin])
    client = TestClient(create_app(tmp_path / "s.duckdb"))
    mentions = client.get("/api/events/ev02").json()["mentions"]
    assert [m["id"] for m in mentions] == ["ev02b"]
    assert mentions[0]["cite_info"]["url"].startswith("https://apnews.com")


# -- /api/documents/{id} --------------------------------------------------------------


def test_document_detail_spans(client: TestClient) -> None:
    doc = client.get("/api/documents/doc2euronews0002").json()
    assert (
        doc["title"] == "Blinken à Tokyo"
        and doc["lang"] == "fr"
        and doc["published"] == "2025-01-07"
    )
    assert [e["id"] for e in doc["events"]] == ["ev05", "ev06", "ev07"]
    for e in doc["events"]:
        assert doc["text"][e["start"] : e["end"]].endswith(("Ishiba.", "Japon.", "balistique."))
    texts = {doc["text"][a["start"] : a["end"]] for a in doc["actors"]}
    assert texts == {"Antony Blinken", "Shigeru Ishiba", "Etats-Unis", "Japon", "Corée du Nord"}
    assert len(doc["entities"]) == len(texts)


# -- /api/dyads/{a}/{b}/timeline ------------------------------------------------------


def test_dyad_timeline_month(client: TestClient) -> None:
    body = client.get("/api/dyads/USA/JPN/timeline?by=month").json()
    assert body["a"] == "USA" and body["b"] == "JPN" and body["by"] == "month"
    periods = {p["period"]: p for p in body["periods"]}
    assert list(periods) == ["2022-01-01", "2025-01-01"]
    jan22 = periods["2022-01-01"]
    assert jan22["total"] == 3 and jan22["by_type"] == {"CONSULT": 2, "AGREE": 1}
    assert jan22["a_to_b"] == 2 and jan22["b_to_a"] == 1
    assert jan22["cooperation"] == 3 and jan22["conflict"] == 0
    assert jan22["goldstein_mean"] == pytest.approx((1 + 3 + 1) / 3, abs=1e-3)
    jan25 = periods["2025-01-01"]
    assert jan25["by_quad"] == {"1": 1, "2": 1}
    assert body["total"] == 5


def test_dyad_timeline_either_order_and_conflict(client: TestClient) -> None:
    forward = client.get("/api/dyads/USA/CHN/timeline?by=day").json()
    backward = client.get("/api/dyads/CHN/USA/timeline?by=day").json()
    assert forward["total"] == backward["total"] == 3
    day = forward["periods"][0]
    assert day["period"] == "2022-01-07" and day["conflict"] == 3 and day["by_quad"] == {"3": 3}


def test_dyad_timeline_week_and_filters(client: TestClient) -> None:
    body = client.get("/api/dyads/USA/JPN/timeline?by=week&factuality=asserted").json()
    assert [p["period"] for p in body["periods"]] == ["2022-01-03", "2025-01-06"]
    assert body["total"] == 4


# -- /api/actors, /api/network, /api/locations, /api/summary ---------------------------


def test_actors(client: TestClient) -> None:
    items = client.get("/api/actors").json()["items"]
    by_code = {i["code"]: i for i in items}
    assert by_code["USAGOV"]["events"] == 6
    assert by_code["USAGOV"]["as_actor"] == 4 and by_code["USAGOV"]["as_recipient"] == 2
    assert by_code["USAGOV"]["partners"][0] == {"code": "JPNGOV", "events": 3}
    assert items[0]["code"] == "USAGOV"
    only = client.get("/api/actors?prefix=JPN").json()["items"]
    assert {i["code"] for i in only} == {"JPN", "JPNGOV"}
    assert client.get("/api/actors?limit=1").json()["items"][0]["code"] == "USAGOV"


def test_network(client: TestClient) -> None:
    body = client.get("/api/network?actor=USA&recipient=JPN&undirected=true").json()
    edges = {(e["source"], e["target"]): e for e in body["edges"]}
    assert edges[("USAGOV", "JPNGOV")]["weight"] == 3
    assert edges[("USAGOV", "JPNGOV")]["cooperation"] == 3
    assert ("JPN", "USA") in edges and ("USA", "JPN") in edges
    assert {n["id"] for n in body["nodes"]} == {"USAGOV", "JPNGOV", "USA", "JPN"}
    names = {n["id"]: n["name"] for n in body["nodes"]}
    assert names["JPN"] == "Japan"
    country = client.get("/api/network?level=country").json()
    cedges = {(e["source"], e["target"]): e["weight"] for e in country["edges"]}
    assert cedges[("USA", "JPN")] == 4 and cedges[("CHN", "USA")] == 2
    assert client.get("/api/network?max_edges=1").json()["edges"][0]["weight"] == 3


def test_locations(client: TestClient) -> None:
    body = client.get("/api/locations").json()
    countries = {c["country"]: c["events"] for c in body["countries"]}
    assert countries == {"USA": 3, "JPN": 3, "CHN": 1, "PRK": 1}
    assert body["points"][0]["lat"] is not None
    only = client.get("/api/locations?type=MOBILIZE").json()
    assert [c["country"] for c in only["countries"]] == ["PRK"]


def test_summary(client: TestClient) -> None:
    body = client.get("/api/summary").json()
    assert body == {
        "documents": 3,
        "events": 9,
        "languages": ["en", "fr"],
        "first_date": "2022-01-07",
        "last_date": "2025-01-07",
    }


# -- dashboard, headers ---------------------------------------------------------------


def test_dashboard_served_with_csp(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    csp = page.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    for asset in ("/static/app.js", "/static/style.css", "/static/world.json"):
        assert client.get(asset).status_code == 200, asset
    assert "http://" not in page.text.replace("http://www.w3.org", "")
    assert "https://" not in page.text


def test_no_cdn_docs(client: TestClient) -> None:
    assert client.get("/docs").status_code == 404


def test_dashboard_assets_have_no_remote_urls(client: TestClient) -> None:
    js = client.get("/static/app.js").text
    assert "innerHTML" not in js
    for text in (js, client.get("/static/style.css").text):
        assert "https://" not in text and "http://" not in text.replace(
            "http://www.w3.org/2000/svg", ""
        )


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("192.168.1.5", False),
        ("example.org", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_records_match_store_contract(sample_store) -> None:
    """The API's page reader gives exactly what veille.store.read's contract SQL gives."""
    from veille.store import Store
    from veille.store.read import iter_event_records
    from veille.web import queries

    with Store(sample_store).reader() as con:
        expected = list(iter_event_records(con, order="e.id"))
        got = queries.records_by_ids(con, [r["id"] for r in expected])
    assert got == expected


def test_dyad_joint_and_undated_events(tmp_path) -> None:
    """Co-actors with no recipient ("Washington et Tokyo ont discuté") belong to the dyad."""
    from dataclasses import replace

    from veille.store import Store

    from .sample import sample_records

    docs, events = sample_records()
    joint = replace(events[1], id="joint", recipients=(), actors=events[0].actors)  # USAGOV|JPNGOV
    undated = replace(events[5], id="undated", date=None)
    Store(tmp_path / "j.duckdb").write_batch(docs, [*events, joint, undated])
    client = TestClient(create_app(tmp_path / "j.duckdb"))
    body = client.get("/api/dyads/USA/JPN/timeline").json()
    jan22 = body["periods"][0]
    assert jan22["joint"] == 1 and jan22["total"] == 4
    assert body["undated"] == 1
    listed = ids(client.get("/api/events?actor=USA&recipient=JPN&undirected=true").json())
    assert "joint" in listed and "undated" in listed
    assert "joint" not in ids(client.get("/api/events?actor=USA&recipient=JPN").json())
    edges = client.get("/api/network?actor=USA&recipient=JPN&undirected=true").json()["edges"]
    joint_edges = [(e["source"], e["target"], e["weight"]) for e in edges if e["joint"]]
    assert joint_edges == [("JPNGOV", "USAGOV", 1)]


@pytest.mark.parametrize("domain", ["euronews.com", "www.euronews.com", "news.com"])
def test_domain_filter_same_from_host_column_and_from_urls(sample_store, domain: str) -> None:
    """The fast path (documents.host) and the fallback for un-upgraded stores agree."""
    from veille.store import Store
    from veille.web import queries
    from veille.web.filters import EventFilters

    with Store(sample_store).reader() as con:
        fast = queries.count_events(con, EventFilters(domain=domain))
        slow = queries.count_events(con, EventFilters(domain=domain, host_column=False))
    assert fast == slow


def test_server_upgrades_a_store_written_before_documents_host(tmp_path) -> None:
    import duckdb

    from veille.web import create_app

    from .sample import build_store

    path = build_store(tmp_path / "old.duckdb")
    con = duckdb.connect(str(path))
    con.execute("ALTER TABLE documents DROP COLUMN host")
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    con.close()
    with TestClient(create_app(path)) as client:
        assert client.app.state.host_column
        assert set(ids(client.get("/api/events?domain=euronews.com").json())) == {"ev05", "ev06", "ev07"}


@pytest.mark.parametrize("sort", sorted(SORTS))
@pytest.mark.parametrize("limit", [1, 2, 4])
def test_cursor_pages_walk_the_same_order_as_offsets(client: TestClient, sort: str, limit: int) -> None:
    """Keyset pages (NULL dates and goldsteins included) give exactly the offset order."""
    everything = ids(client.get(f"/api/events?sort={sort}&limit=100").json())
    walked: list[str] = []
    cursor = None
    for _ in range(20):
        url = f"/api/events?sort={sort}&limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(url).json()
        walked += ids(body)
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert walked == everything


def test_cursor_keeps_filters_and_rejects_bad_cursors(client: TestClient) -> None:
    first = client.get("/api/events?actor=USA&limit=2").json()
    rest = client.get(f"/api/events?actor=USA&limit=10&cursor={first['next_cursor']}").json()
    assert set(ids(first)) | set(ids(rest)) == {"ev01", "ev02", "ev03", "ev05", "ev06"}
    for bad in ("nonsense", first["next_cursor"] + "x", "W10", "WyJkYXRlIiwxLDJd"):
        response = client.get(f"/api/events?cursor={bad}")
        assert response.status_code == 422, bad
        assert response.json()["error"]["code"] == "validation_error"
    wrong_sort = client.get(f"/api/events?sort=goldstein&cursor={first['next_cursor']}")
    assert wrong_sort.status_code == 422
    both = client.get(f"/api/events?offset=2&cursor={first['next_cursor']}")
    assert both.status_code == 422


def test_cursor_walk_with_null_dates_and_ties(tmp_path) -> None:
    """Many equal and NULL sort keys: keyset pages still match the offset order exactly."""
    from dataclasses import replace
    from datetime import date

    from veille.store import Store
    from veille.web import create_app

    from .sample import sample_records

    docs, events = sample_records()
    dates = [None, date(2022, 1, 7), date(2023, 5, 1)]
    many = [replace(events[i % len(events)], id=f"x{i:03d}", date=dates[i % 3],
                    goldstein=float(i % 4), confidence=0.5) for i in range(40)]
    path = tmp_path / "ties.duckdb"
    Store(path).write_batch(docs, many)
    with TestClient(create_app(path)) as client:
        for sort in SORTS:
            everything = ids(client.get(f"/api/events?sort={sort}&limit=100").json())
            walked, cursor = [], None
            while True:
                body = client.get(f"/api/events?sort={sort}&limit=7" + (f"&cursor={cursor}" if cursor else "")).json()
                walked += ids(body)
                cursor = body["next_cursor"]
                if cursor is None:
                    break
            assert walked == everything and len(walked) == 40, sort


@pytest.mark.parametrize(
    ("sort", "plain"),
    [
        ("-date", '["-date","2024W011","ev01"]'),
        ("-date", '["-date","20240101","ev01"]'),
        ("quad_class", '["quad_class",99999999999,"2022-01-07","ev01"]'),
        ("goldstein", '["goldstein",1e999,"ev01"]'),
        ("-date", "[" * 1500),
        ("-date", '["-date",["2022-01-07"],"ev01"]'),
    ],
)
def test_edited_cursors_are_422_not_500(client: TestClient, sort: str, plain: str) -> None:
    import base64

    cursor = base64.urlsafe_b64encode(plain.encode()).decode().rstrip("=")
    response = client.get(f"/api/events?sort={sort}&cursor={cursor}")
    assert response.status_code == 422, response.text


def test_last_full_page_has_no_next_cursor(client: TestClient) -> None:
    first = client.get("/api/events?limit=3").json()
    assert first["next_cursor"]
    second = client.get(f"/api/events?limit=6&cursor={first['next_cursor']}").json()
    assert len(second["items"]) == 6 and second["next_cursor"] is None


def test_alerts_empty_then_with_their_events(client: TestClient, sample_store, tmp_path) -> None:
    assert client.get("/api/alerts").json() == {"total": 0, "items": []}
    from veille.alerts import Rule, check_alerts

    store = tmp_path / "alerts.duckdb"
    store.write_bytes(sample_store.read_bytes())
    fired = check_alerts(store, [Rule("any accusation", types=("ACCUSE",))], lambda _line: None)
    with TestClient(create_app(store)) as other:
        body = other.get("/api/alerts?limit=5").json()
    assert body["total"] == len(fired) >= 1
    item = body["items"][0]
    assert item["rule"] == "any accusation" and item["count"] == len(item["events"])
    assert all(e["type"] == "ACCUSE" and e["evidence"] for e in item["events"])
    assert set(item) == {"id", "rule", "fired_at", "window", "count", "delivered", "events"}
    assert client.get("/api/alerts?limit=0").status_code == 422
