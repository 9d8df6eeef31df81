"""Where an alert goes: a printed line, the store's alerts table, a JSON Lines file, a webhook.

Webhooks are the user's own configuration (the rule file), not article content, so they may
point at a private address (a local relay is common); they must be http(s). A POST is tried
``WEBHOOK_TRIES`` times with back-off; the outcome is kept in ``alerts.delivered``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from veille.alerts.evaluate import Alert
from veille.store import Store
from veille.store.monitor import AlertRow, add_alert, known_alerts, set_delivered
from veille.watch.fetch import USER_AGENT

WEBHOOK_TRIES = 3
WEBHOOK_TIMEOUT_S = 10.0


def describe(alert: Alert) -> str:
    """One line: rule, window, count, and the first dyads and types."""
    window = str(alert.start) if alert.start == alert.end else f"{alert.start}..{alert.end}"
    kinds = sorted({f"{'/'.join(e.actors) or '?'}→{'/'.join(e.recipients) or '-'} {e.type}" for e in alert.events})
    more = f" (+{len(kinds) - 3})" if len(kinds) > 3 else ""
    return (f"ALERT {alert.rule.name!r}: {len(alert.events)} event{'s' if len(alert.events) != 1 else ''} "
            f"{window}: {'; '.join(kinds[:3])}{more} [{alert.id}]")


def post_webhook(url: str, payload: dict, tries: int = WEBHOOK_TRIES, backoff: float = 0.5,
                 sleep: Callable[[float], object] = time.sleep) -> str:
    """POST the alert as JSON; 'ok' or the last error after ``tries`` attempts."""
    error = ""
    for attempt in range(tries):
        try:
            response = httpx.post(url, json=payload, timeout=WEBHOOK_TIMEOUT_S, follow_redirects=False,
                                  headers={"User-Agent": USER_AGENT}, trust_env=False)
            if 200 <= response.status_code < 300:
                return "ok"
            error = f"HTTP {response.status_code}"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"
        if attempt + 1 < tries:
            sleep(backoff * (2 ** attempt))
    return f"failed after {tries} tries: {error}"


def deliver(store: Store, alerts: list[Alert], say: Callable[[str], None], alerts_out: Path | None = None,
            record: bool = True, sleep: Callable[[float], object] = time.sleep) -> list[Alert]:
    """Fire the alerts not fired before; returns those fired.

    ``record`` False (a backtest) prints and writes ``alerts_out`` only: nothing is stored and
    no webhook is called."""
    fired: list[Alert] = []
    seen = known_alerts(store, [a.id for a in alerts]) if record else set()
    for alert in alerts:
        if alert.id in seen:
            continue
        seen.add(alert.id)
        payload = alert.as_dict()
        if record and not add_alert(store, AlertRow(alert.id, alert.rule.name, alert.start, alert.end,
                                                    len(alert.events), tuple(e.id for e in alert.events),
                                                    json.dumps(payload, ensure_ascii=False, default=str))):
            continue
        say(describe(alert))
        if alerts_out is not None:
            with alerts_out.open("a", encoding="utf-8") as out:
                out.write(json.dumps(payload, ensure_ascii=False, default=str) + "\n")
        if record and alert.rule.webhook:
            outcome = post_webhook(alert.rule.webhook, payload, sleep=sleep)
            set_delivered(store, alert.id, outcome)
            if outcome != "ok":
                say(f"warning: webhook {alert.rule.webhook} for alert {alert.id}: {outcome}")
        fired.append(alert)
    return fired
