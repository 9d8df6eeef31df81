"""Alert rules over a store coded from real reports: what fires, what must not, no repeats."""

from __future__ import annotations

import json
import re

import pytest

from tests.watch.server import Route, Site, article, rss
from veille.alerts import RuleError, check_alerts, load_rules
from veille.store import Store
from veille.watch import WatchOptions, watch
from veille.watch.fetch import FetchOptions


@pytest.fixture(scope="module")
def coded(tmp_path_factory, reports):
    """A store filled by one watch poll over the two seed reports (dated 2022-01-07 and 2022-01-03)."""
    site = Site().start()
    dates = ("Fri, 07 Jan 2022 10:00:00 GMT", "Mon, 03 Jan 2022 10:00:00 GMT")
    items = []
    for i, text in enumerate(reports):
        site.routes[f"/a/{i}"] = Route(article(f"Report {i}", text))
        items.append((site.url(f"/a/{i}"), f"Report {i}", dates[i]))
    site.routes["/feed"] = Route(rss(items), content_type="application/rss+xml")
    store = tmp_path_factory.mktemp("alerts") / "coded.duckdb"
    watch(store, WatchOptions(feeds=(site.url("/feed"),), once=True, fetch=FetchOptions(
        allow_private=True, host_delay=0, retries=0)), lambda _line: None)
    site.stop()
    return store


def copy_store(coded, tmp_path):
    target = tmp_path / "s.duckdb"
    target.write_bytes(coded.read_bytes())
    return target


def rules(tmp_path, text):
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return load_rules(path)


ACCUSE = """
[[rule]]
name = "US and allies accuse China"
types = ["ACCUSE"]
actor = ["USA", "JPN"]
recipient = ["CHN"]
min_count = 2
window = "1d"
{webhook}
"""

MUST_NOT = """
[[rule]]
name = "DPRK pressure on its neighbours"
types = ["MOBILIZE", "THREATEN", "ASSAULT"]
actor = ["PRK"]
recipient = ["JPN", "KOR"]
min_count = 2
window = "1d"
goldstein_below = -5
webhook = "{hook}"
"""


def test_a_rule_fires_once_and_its_webhook_post_is_received(coded, tmp_path):
    store = copy_store(coded, tmp_path)
    site = Site().start()
    try:
        said: list[str] = []
        out = tmp_path / "alerts.jsonl"
        found = rules(tmp_path, ACCUSE.format(webhook=f'webhook = "{site.url("/hook")}"'))
        fired = check_alerts(store, found, said.append, alerts_out=out)
        assert len(fired) == 1 and said[0].startswith("ALERT 'US and allies accuse China': ")
        (posted,) = site.posts
        assert posted["rule"] == "US and allies accuse China" and posted["count"] >= 2
        assert posted["window"] == {"start": "2022-01-07", "end": "2022-01-07"}
        for event in posted["events"]:
            assert event["type"] == "ACCUSE" and event["date"] == "2022-01-07"
            assert "CHN" in event["recipient"] and event["dyad"].endswith("CHN") and event["evidence"]
            assert any(code.startswith(("USA", "JPN")) for code in event["actor"])
        assert json.loads(out.read_text(encoding="utf-8").strip()) == posted
        row = Store(store).query("SELECT rule, count, delivered, event_ids FROM alerts")
        assert row == [(posted["rule"], posted["count"], "ok", "|".join(e["id"] for e in posted["events"]))]
        # No repeats: the same rule over the same events does not fire again, in a new process either.
        assert check_alerts(store, found, said.append) == []
        assert len(site.posts) == 1
    finally:
        site.stop()


def test_a_rule_that_must_not_fire_does_not(coded, tmp_path):
    store = copy_store(coded, tmp_path)
    site = Site().start()
    try:
        said: list[str] = []
        assert check_alerts(store, rules(tmp_path, MUST_NOT.format(hook=site.url("/hook"))), said.append) == []
        assert said == [] and site.posts == [] and Store(store).query("SELECT count(*) FROM alerts") == [(0,)]
    finally:
        site.stop()


def test_min_count_and_goldstein_filter(coded, tmp_path):
    store = copy_store(coded, tmp_path)
    high = rules(tmp_path, ACCUSE.format(webhook="").replace("min_count = 2", "min_count = 50"))
    assert check_alerts(store, high, lambda _: None, record=False) == []
    positive = rules(tmp_path, ACCUSE.format(webhook="") + "goldstein_below = -9.5\n")
    assert check_alerts(store, positive, lambda _: None, record=False) == []


def test_either_direction_matches_both_ways(coded, tmp_path):
    store = copy_store(coded, tmp_path)
    one_way = rules(tmp_path, '[[rule]]\nname = "x"\ntypes = ["ACCUSE"]\nactor = ["CHN"]\nrecipient = ["USA", "JPN"]\n')
    assert check_alerts(store, one_way, lambda _: None, record=False) == []
    both = rules(tmp_path, '[[rule]]\nname = "x"\ntypes = ["ACCUSE"]\nactor = ["CHN"]\nrecipient = ["USA", "JPN"]\n'
                           "either_direction = true\n")
    assert len(check_alerts(store, both, lambda _: None, record=False)) == 1


def test_a_backtest_prints_but_records_and_posts_nothing(coded, tmp_path):
    store = copy_store(coded, tmp_path)
    site = Site().start()
    try:
        said: list[str] = []
        found = rules(tmp_path, ACCUSE.format(webhook=f'webhook = "{site.url("/hook")}"'))
        assert len(check_alerts(store, found, said.append, record=False)) == 1
        assert len(check_alerts(store, found, said.append, record=False)) == 1  # a backtest repeats
        assert site.posts == [] and Store(store).query("SELECT count(*) FROM alerts") == [(0,)]
    finally:
        site.stop()


def test_new_dyads_fire_once_per_pair(coded, tmp_path):
    store = copy_store(coded, tmp_path)
    found = rules(tmp_path, '[[rule]]\nname = "new"\nrecipient = ["CHN"]\nnew_dyad = true\n')
    fired = check_alerts(store, found, lambda _: None)
    assert fired and all(a.reason.startswith("first events between ") and a.reason.endswith(" and CHN")
                         for a in fired)
    pairs = [a.reason for a in fired]
    assert len(pairs) == len(set(pairs))
    assert check_alerts(store, found, lambda _: None) == []


def test_baseline_rule_fires_only_above_the_baseline(coded, tmp_path):
    store = copy_store(coded, tmp_path)
    found = rules(tmp_path, '[[rule]]\nname = "tension"\nbaseline_days = 30\nwindow = "1d"\n')
    fired = check_alerts(store, found, lambda _: None, record=False)
    assert fired
    for alert in fired:
        share, base = map(float, re.findall(r"conflict share ([\d.]+) in the window against ([\d.]+)", alert.reason)[0])
        assert share > base
        assert all(e.quad_class in (3, 4) for e in alert.events)


def test_alerts_after_a_poll_only_hold_new_events(coded, tmp_path):
    store = copy_store(coded, tmp_path)
    found = rules(tmp_path, ACCUSE.format(webhook=""))
    assert check_alerts(store, found, lambda _: None, only=["no-such-event"]) == []


def test_a_failing_webhook_is_retried_and_its_failure_kept(coded, tmp_path):
    store = copy_store(coded, tmp_path)
    site = Site().start()
    try:
        site.routes["/hook"] = Route(b"{}", status=500)
        said: list[str] = []
        found = rules(tmp_path, ACCUSE.format(webhook=f'webhook = "{site.url("/hook")}"'))
        assert len(check_alerts(store, found, said.append)) == 1
        assert sum(1 for h in site.hits if h.method == "POST") == 3
        assert Store(store).query("SELECT delivered FROM alerts") == [("failed after 3 tries: HTTP 500",)]
        assert any(line.startswith("warning: webhook") for line in said)
    finally:
        site.stop()


@pytest.mark.parametrize("text,message", [
    ('[[rule]]\nname = "a"\ncolour = "red"\n', "unknown key\\(s\\) colour"),
    ('[[rule]]\nname = "a"\ntypes = ["BOMB"]\n', "unknown type\\(s\\) BOMB; valid types: AGREE"),
    ('[[rule]]\nname = "a"\nwindow = "soon"\n', "window 'soon' is not a duration"),
    ('[[rule]]\ntypes = ["ASSAULT"]\n', "needs a name"),
    ('[[rule]]\nname = "a"\n[[rule]]\nname = "a"\n', "two rules are named 'a'"),
    ('[[rule]]\nname = "a"\nmin_count = 0\n', "min_count must be a whole number"),
    ('[[rule]]\nname = "a"\nactor = ["PRK; DROP TABLE"]\n', "is not a code"),
    ('[[rule]]\nname = "a"\nwebhook = "file:///tmp/x"\n', "webhook must be an http\\(s\\) URL"),
    ("[[rule]\nname = 1\n", "not valid TOML"),
    ('name = "a"\n', "unknown top-level key"),
])
def test_rule_file_mistakes_are_named(tmp_path, text, message):
    with pytest.raises(RuleError, match=message):
        rules(tmp_path, text)


def test_the_readme_rule_block_and_the_example_rules_load(tmp_path):
    from tests.conftest import REPO

    block = (REPO / "README.md").read_text(encoding="utf-8").split("```toml\n", 1)[1].split("```", 1)[0]
    (rule,) = rules(tmp_path, block)
    assert (rule.name, rule.actor, rule.recipient, rule.min_count, rule.window_days, rule.baseline_days) == (
        "DPRK pressure on its neighbours", ("PRK",), ("JPN", "KOR"), 2, 1, 90)
    assert len(load_rules(REPO / "docs" / "examples" / "alerts.toml")) == 4
