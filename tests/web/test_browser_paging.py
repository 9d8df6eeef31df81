"""The dashboard pages through events with the API's cursor (keyset paging), not the offset."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from veille.store import Store

from .sample import sample_records
from .test_browser import CHROMIUM, CHROMIUM_ARGS, _free_port

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    from veille.web import create_app

    docs, events = sample_records()
    many = [dataclasses.replace(events[i % len(events)], id=f"paging-{i:04d}",
                                date=date(2020, 1, 1) + timedelta(days=i), date_precision="day")
            for i in range(130)]
    path = tmp_path_factory.mktemp("paging") / "s.duckdb"
    Store(path).write_batch(docs, many)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(path), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


def _wait_info(page, prefix: str) -> None:
    deadline = time.monotonic() + 15
    while not page.inner_text("#page-info").startswith(prefix):
        assert time.monotonic() < deadline, page.inner_text("#page-info")
        time.sleep(0.05)


def test_dashboard_pages_with_the_cursor(server: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url) if "/api/events?" in r.url else None)
        page.goto(server + "/")
        page.wait_for_selector("#events tbody tr[data-id]")
        first = page.locator("#events tbody tr[data-id]").first.get_attribute("data-id")
        assert page.inner_text("#page-info").startswith("1–50 of 130")
        seen = [first]
        for expected in ("51–100 of 130", "101–130 of 130"):
            page.click("#next")
            _wait_info(page, expected)
            seen.append(page.locator("#events tbody tr[data-id]").first.get_attribute("data-id"))
        assert page.is_disabled("#next")
        page.click("#prev")
        _wait_info(page, "51–100")
        assert page.locator("#events tbody tr[data-id]").first.get_attribute("data-id") == seen[1]
        page.click("#prev")
        _wait_info(page, "1–50")
        assert page.locator("#events tbody tr[data-id]").first.get_attribute("data-id") == first
        assert len(set(seen)) == 3
        assert not any("offset=" in u for u in requests), requests
        assert sum("cursor=" in u for u in requests) >= 3
        browser.close()
