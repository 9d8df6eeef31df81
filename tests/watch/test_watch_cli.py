"""The `veille watch`, `status` and `alerts` commands for real: subprocesses, signals, a local server."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.watch.server import Route, article, rss

VEILLE = [sys.executable, "-m", "veille.cli"]
ENV = {**os.environ, "PYTHONUNBUFFERED": "1"}
FAST = ["--allow-private", "--host-delay", "0", "--retries", "0", "--timeout", "5"]


def publish(site, texts, tmp_path: Path, slow: dict[str, float] | None = None) -> Path:
    items = []
    for i, text in enumerate(texts, 1):
        site.routes[f"/a/{i}"] = Route(article(f"Report {i}", text), delay=(slow or {}).get(f"/a/{i}", 0.0))
        items.append((site.url(f"/a/{i}"), f"Report {i}", "Fri, 07 Jan 2022 10:00:00 GMT"))
    site.routes["/feed"] = Route(rss(items), content_type="application/rss+xml")
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"# test feeds\n{site.url('/feed')}\n", encoding="utf-8")
    return feeds


def veille(*args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run([*VEILLE, *args], capture_output=True, text=True, env=ENV, timeout=timeout)


def test_watch_once_then_status_and_a_backtest(tmp_path, site, reports):
    feeds = publish(site, reports, tmp_path)
    rules = tmp_path / "rules.toml"
    rules.write_text(f'[[rule]]\nname = "accusations of China"\ntypes = ["ACCUSE"]\nrecipient = ["CHN"]\n'
                     f'min_count = 2\nwebhook = "{site.url("/hook")}"\n', encoding="utf-8")
    store = tmp_path / "w.duckdb"
    out = tmp_path / "alerts.jsonl"
    done = veille("watch", str(store), "--feeds", str(feeds), "--once", "--alerts", str(rules),
                  "--alerts-out", str(out), *FAST)
    assert done.returncode == 0, done.stderr
    assert "ALERT 'accusations of China'" in done.stdout
    assert "poll 1: 1 feeds (0 failed), 2 articles fetched, 2 stored" in done.stdout
    assert done.stdout.strip().splitlines()[-1].startswith("1 poll(s), 2 articles stored")
    assert len(site.posts) == 1 and json.loads(out.read_text())["rule"] == "accusations of China"

    status = veille("status", str(store))
    assert status.returncode == 0, status.stderr
    assert site.url("/feed") in status.stdout and "articles fetched: 2 stored" in status.stdout
    assert "1 alerts" in status.stdout and "accusations of China" in status.stdout
    as_json = json.loads(veille("status", str(store), "--format", "json").stdout)
    assert as_json["feeds"][0]["articles"] == 2 and as_json["alerts"] == 1

    backtest = veille("alerts", str(store), "--rules", str(rules))
    assert backtest.returncode == 0 and "ALERT 'accusations of China'" in backtest.stdout
    assert "backtest: not recorded" in backtest.stderr
    assert len(site.posts) == 1  # a backtest calls no webhook
    again = veille("alerts", str(store), "--rules", str(rules), "--record")
    assert "ALERT" not in again.stdout and "0 alert(s)" in again.stderr  # fired once already


def test_sigint_mid_poll_keeps_what_was_fetched_and_a_restart_goes_on(tmp_path, site, reports, sample_texts):
    texts = [reports[0], reports[1], sample_texts[0]]
    feeds = publish(site, texts, tmp_path, slow={"/a/2": 2.0})
    store = tmp_path / "w.duckdb"
    proc = subprocess.Popen([*VEILLE, "watch", str(store), "--feeds", str(feeds), "--interval", "1h", *FAST],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    try:
        deadline = time.monotonic() + 120
        while site.gets("/a/2") == 0 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        assert site.gets("/a/2") == 1, proc.communicate(timeout=5)
        proc.send_signal(signal.SIGINT)  # while /a/2 is being fetched
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert proc.returncode == 0, stderr
    assert "stopping (SIGINT)" in stderr and "Traceback" not in stderr
    assert site.gets("/a/3") == 0
    restart = veille("watch", str(store), "--feeds", str(feeds), "--once", *FAST)
    assert restart.returncode == 0, restart.stderr
    assert "1 articles fetched, 1 stored" in restart.stdout
    assert [site.gets(f"/a/{i}") for i in (1, 2, 3)] == [1, 1, 1]


def test_sigterm_while_waiting_for_the_next_poll_stops_at_once(tmp_path, site, reports):
    feeds = publish(site, reports[:1], tmp_path)
    store = tmp_path / "w.duckdb"
    proc = subprocess.Popen([*VEILLE, "watch", str(store), "--feeds", str(feeds), "--interval", "1h", *FAST],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    try:
        line = ""
        deadline = time.monotonic() + 120
        while not line.startswith("poll 1:") and time.monotonic() < deadline:
            line = proc.stdout.readline()
        assert line.startswith("poll 1:"), proc.stderr.read()
        stopped = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        stdout, stderr = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 0 and time.monotonic() - stopped < 10
    assert "stopping (SIGTERM)" in stderr and "1 poll(s), 1 articles stored" in stdout


@pytest.mark.parametrize("feeds_text,rules_text,message", [
    ("file:///etc/passwd\n", None, "feeds.txt:1: scheme 'file' refused"),
    ("http://127.0.0.1:9/feed\n", '[[rule]]\nname = "x"\ntypes = ["NOPE"]\n', "unknown type(s) NOPE"),
])
def test_bad_feed_lists_and_rules_are_usage_errors(tmp_path, feeds_text, rules_text, message):
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(feeds_text, encoding="utf-8")
    args = ["watch", str(tmp_path / "w.duckdb"), "--feeds", str(feeds), "--once"]
    if rules_text:
        (tmp_path / "rules.toml").write_text(rules_text, encoding="utf-8")
        args += ["--alerts", str(tmp_path / "rules.toml")]
    done = veille(*args, timeout=60)
    assert done.returncode == 2 and message in done.stderr
    assert not (tmp_path / "w.duckdb").exists()


def test_bad_interval_is_a_usage_error(tmp_path):
    (tmp_path / "feeds.txt").write_text("http://127.0.0.1:9/feed\n", encoding="utf-8")
    done = veille("watch", str(tmp_path / "w.duckdb"), "--feeds", str(tmp_path / "feeds.txt"), "--interval", "often",
                  timeout=60)
    assert done.returncode == 2 and "interval 'often' is not a duration" in done.stderr
