"""End to end in a real browser (Debian chromium via Playwright) on a store made by the pipeline.

The store is ingested by ``veille.pipeline.ingest`` from the two seed reports and a few
French corpus reports; the server is a real uvicorn on a free loopback port. Each view
is screenshotted into artifacts/screenshots/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / "artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CORPUS_FR = ("031.txt", "045.txt", "071.txt")

XSS_REPORT = (
    "Les Etats-Unis et le Japon ont signé vendredi un accord de défense à Tokyo. "
    "<script>window.__xss=1</script> "
    "Le secrétaire d'Etat américain Antony Blinken a rencontré le Premier ministre japonais. "
    '<img src=x onerror="window.__xss=1"> '
    "Pékin a critiqué Washington."
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def pipeline_store(tmp_path_factory: pytest.TempPathFactory, seeds: Path, shared: Path) -> Path:
    from veille.pipeline import ingest

    path = tmp_path_factory.mktemp("browser") / "e2e.duckdb"
    inputs = [str(p) for p in sorted(seeds.glob("*.txt"))]
    inputs += [str(shared / "corpus" / "news" / "fr" / name) for name in CORPUS_FR]
    stats = ingest(path, inputs)
    assert stats.events > 0, stats
    from veille.alerts import Rule, check_alerts

    fired = check_alerts(path, [Rule("Accusations against China", types=("ACCUSE",), recipient=("CHN",))],
                         lambda _line: None)
    assert fired, "no ACCUSE → CHN event for the alerts view"
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(pipeline_store: Path) -> Iterator[str]:
    import uvicorn

    from veille.web import create_app

    port = _free_port()
    config = uvicorn.Config(
        create_app(pipeline_store), host="127.0.0.1", port=port, log_level="warning"
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def page(server: str):
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), "install Debian's chromium: apt-get install -y chromium"
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        outside: list[str] = []
        context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith(server) or route.request.url.startswith("data:")
                else (outside.append(route.request.url), route.abort())
            ),
        )
        pg = context.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
        pg.goto(server + "/")
        pg.wait_for_selector("#events tbody tr")
        yield pg
        assert not outside, f"requests outside the server's origin: {outside}"
        assert not errors, f"JavaScript errors: {errors}"
        browser.close()


def _apply_dyad(page, a: str = "USA", b: str = "JPN") -> None:
    page.click("#tabs button[data-view=events]")
    page.fill("#filters input[name=actor]", a)
    page.fill("#filters input[name=recipient]", b)
    page.check("#filters input[name=undirected]")
    page.click("#apply")
    page.wait_for_selector("#view-events[aria-busy=false]")


def test_browser_events_filtered_to_dyad(page) -> None:
    _apply_dyad(page)
    rows = page.locator("#events tbody tr[data-id]")
    assert rows.count() >= 1, "no USA–JPN events in the pipeline store"
    for code_cells in rows.locator("td.code").all_text_contents():
        assert code_cells == "—" or "USA" in code_cells or "JPN" in code_cells  # "—": no recipient
    text = " ".join(rows.locator("td.code").all_text_contents())
    assert "USA" in text and "JPN" in text
    assert "actor=USA" in page.url
    page.screenshot(path=str(SHOTS / "events.png"), full_page=True)


def test_browser_event_opens_document_with_evidence(page) -> None:
    _apply_dyad(page)
    row = page.locator("#events tbody tr[data-id]").first
    evidence = row.locator("td.evidence").text_content()
    row.click()
    page.wait_for_selector("#doc-panel:not([hidden]) #doc-text .evidence")
    highlighted = "".join(page.locator("#doc-text .evidence").all_text_contents())
    assert highlighted == evidence
    assert page.locator("#doc-text .evidence.actor, #doc-text .actor").count() >= 1
    page.screenshot(path=str(SHOTS / "document.png"), full_page=False)
    page.click("#doc-close")
    assert page.locator("#doc-panel").is_hidden()


def test_browser_timeline_renders(page) -> None:
    _apply_dyad(page)
    page.click("#tabs button[data-view=timeline]")
    page.wait_for_selector("#timeline g.bar rect")
    assert page.locator("#timeline g.bar").count() >= 1
    assert "USA ↔ JPN" in page.locator("#timeline-title").text_content()
    page.select_option("#by", "day")
    page.wait_for_selector("#timeline g.bar rect")
    page.screenshot(path=str(SHOTS / "timeline.png"), full_page=True)


def test_browser_network_renders(page) -> None:
    _apply_dyad(page)
    page.click("#tabs button[data-view=network]")
    page.wait_for_selector("#network g.node")
    assert page.locator("#network g.node").count() >= 2
    assert page.locator("#network line.edge").count() >= 1
    page.screenshot(path=str(SHOTS / "network.png"), full_page=True)


def test_browser_map_renders(page) -> None:
    page.click("#reset")
    page.click("#tabs button[data-view=map]")
    page.wait_for_selector("#map path.country")
    assert page.locator("#map path.country").count() > 150
    assert page.locator("#map path.country.has").count() >= 1  # countries with located events
    page.screenshot(path=str(SHOTS / "map.png"), full_page=True)


def test_browser_alerts_list_their_events_and_open_them(page) -> None:
    page.click("#tabs button[data-view=alerts]")
    page.wait_for_selector("#alerts li.alert")
    alert = page.locator("#alerts li.alert").first
    assert "Accusations against China" in alert.locator("strong").text_content()
    link = alert.locator(".event-list li a").first
    assert "CHN" in link.text_content()
    link.click()
    page.wait_for_selector("#doc-panel:not([hidden]) #doc-text .evidence")
    assert "ACCUSE" in page.locator("#doc-event").text_content()
    page.screenshot(path=str(SHOTS / "alerts.png"), full_page=True)
    page.click("#doc-close")


def test_browser_paste_report_shows_events_and_runs_no_script(page) -> None:
    page.click("#tabs button[data-view=extract]")
    page.fill("#extract-text", XSS_REPORT)
    page.select_option("#extract-lang", "fr")
    page.fill("#extract-date", "2022-01-07")
    page.click("#extract-run")
    page.wait_for_selector("#extract-status[data-state=done]", timeout=60_000)
    assert page.locator("#extract-events li .type").count() >= 1
    assert page.locator("#extract-doc .evidence").count() >= 1
    doc_text = page.locator("#extract-doc").text_content()
    assert (
        "<script>window.__xss=1</script>" in doc_text
        or "window.__xss" in doc_text
        or "Pékin" in doc_text
    )
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("#extract-doc script, #extract-doc img, #events img").count() == 0
    page.locator("#extract-events li").first.click()
    page.screenshot(path=str(SHOTS / "extract.png"), full_page=True)
    assert page.evaluate("typeof window.__xss") == "undefined"


def test_browser_timeline_encodes_page_parameters(page, server: str) -> None:
    """Issue 17: the dyad codes from the page's URL go into the API path encoded, so a crafted
    link cannot point the dashboard at another endpoint ("USA/../../summary?")."""
    tab = page.context.new_page()
    requested: list[str] = []
    tab.on("request", lambda req: requested.append(req.url))
    crafted = "USA/../../summary?x=1#"
    from urllib.parse import urlencode

    tab.goto(server + "/?" + urlencode({"view": "timeline", "actor": crafted, "recipient": "JPN"}))
    tab.wait_for_function("document.querySelector('#timeline-title') !== null")
    tab.wait_for_timeout(500)
    dyads = [u for u in requested if "/api/dyads/" in u]
    assert dyads, requested
    # the form upper-cases codes; what matters is that "/", "?" and "#" stay inside the path segment
    assert all("/api/dyads/usa%2f..%2f..%2fsummary%3fx%3d1%23/jpn/timeline" in u.lower() for u in dyads), dyads
    tab.close()


@pytest.mark.parametrize("size", [(1400, 900), (1024, 768)], ids=["1400x900", "1024x768"])
def test_browser_views_fit_at_two_sizes(page, server: str, size: tuple[int, int]) -> None:
    """Issue 15's dashboard stumbles, checked at both sizes, with a screenshot of each view."""
    import urllib.request

    with urllib.request.urlopen(server + "/favicon.ico", timeout=10) as resp:
        assert resp.status == 200 and resp.headers["content-type"].startswith("image/")
    context = page.context.browser.new_context(viewport={"width": size[0], "height": size[1]})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tag = f"{size[0]}x{size[1]}"
    tab.goto(server + "/")
    tab.wait_for_selector("#events tbody tr[data-id]")
    # the date column does not wrap
    heights = tab.eval_on_selector_all("#events tbody td.date", "cells => cells.map(c => c.scrollWidth <= c.clientWidth + 1)")
    assert heights and all(heights)
    assert tab.eval_on_selector_all("#events tbody td.date", "cells => cells.every(c => getComputedStyle(c).whiteSpace === 'nowrap')")
    assert "→ ?" not in tab.inner_text("body")
    tab.screenshot(path=str(SHOTS / f"events-{tag}.png"))
    # the document panel's title is not clipped
    tab.click("#events tbody tr[data-id]")
    tab.wait_for_selector("#doc-panel:not([hidden])")
    assert tab.eval_on_selector("#doc-title", "h => h.scrollWidth <= h.clientWidth + 1")
    assert "→ ?" not in tab.inner_text("#doc-panel")
    tab.screenshot(path=str(SHOTS / f"document-{tag}.png"))
    tab.click("#doc-close")
    # the timeline has a time axis: tick labels in order, bars placed by date
    tab.fill("#filters input[name=actor]", "USA")
    tab.fill("#filters input[name=recipient]", "JPN")
    tab.check("#filters input[name=undirected]")
    tab.click("#tabs button[data-view=timeline]")
    tab.click("#apply")
    tab.wait_for_selector("#timeline g.bar rect")
    labels = tab.eval_on_selector_all("#timeline .tick-label", "ts => ts.map(t => t.textContent)")
    assert labels == sorted(labels) and len(labels) >= 2
    tab.screenshot(path=str(SHOTS / f"timeline-{tag}.png"))
    # the network keeps every node and label inside the picture
    tab.fill("#filters input[name=actor]", "")
    tab.fill("#filters input[name=recipient]", "")
    tab.click("#tabs button[data-view=network]")
    tab.click("#apply")
    tab.wait_for_selector("#network g.node")
    outside = tab.evaluate("""() => {
        const svg = document.querySelector('#network'); const vb = svg.viewBox.baseVal;
        const bad = [];
        for (const g of svg.querySelectorAll('g.node')) {
            const b = g.getBBox(); const m = g.transform.baseVal.consolidate().matrix;
            if (b.x + m.e < vb.x - 1 || b.x + b.width + m.e > vb.x + vb.width + 1) bad.push(g.dataset.id);
        }
        return bad;
    }""")
    assert not outside, outside
    tab.screenshot(path=str(SHOTS / f"network-{tag}.png"))
    # the map has a legend
    tab.click("#tabs button[data-view=map]")
    tab.wait_for_selector("#map .map-legend")
    tab.screenshot(path=str(SHOTS / f"map-{tag}.png"))
    assert not errors, errors
    context.close()
