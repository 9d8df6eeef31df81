"""Which alerts a rule raises over the events of a store.

Three kinds of rule (README, "Alerts"):
- **count**: at least ``min_count`` matching events within ``window`` days;
- **new_dyad**: an (actor code, recipient code) pair seen for the first time;
- **baseline_days**: the share of conflict events (quad classes 3 and 4) between the rule's
  actors and recipients in the window is above their share over the ``baseline_days`` before
  it, with at least ``min_count`` matching conflict events in the window.

An alert is identified by its rule's name and the ids of its events, so the same rule over
the same events fires once, across restarts too. ``only`` (the ids of events stored by the
last poll) keeps the alerts a watch raises to those holding a new event.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left, bisect_right
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

from veille.alerts.rules import Rule
from veille.store import Store
from veille.store.monitor import AlertEvent, alert_events

CONFLICT = (3, 4)


@dataclass(frozen=True)
class Alert:
    rule: Rule
    start: date
    end: date
    events: tuple[AlertEvent, ...]
    reason: str

    @property
    def id(self) -> str:
        key = self.rule.name + "\x1f" + "|".join(sorted(e.id for e in self.events))
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]

    def as_dict(self) -> dict:
        """The alert as printed to --alerts-out and POSTed to a webhook."""
        return {
            "id": self.id, "rule": self.rule.name, "window": {"start": str(self.start), "end": str(self.end)},
            "count": len(self.events), "reason": self.reason,
            "events": [{"id": e.id, "date": str(e.date), "type": e.type, "actor": list(e.actors),
                        "recipient": list(e.recipients), "dyad": _dyad(e), "goldstein": e.goldstein,
                        "evidence": e.evidence, "doc_id": e.doc_id} for e in self.events],
        }


def _dyad(event: AlertEvent) -> str:
    return f"{'/'.join(event.actors) or '?'}→{'/'.join(event.recipients) or '-'}"


def evaluate(store: Store, rules: list[Rule], only: Collection[str] | None = None) -> list[Alert]:
    """Every alert the rules raise over the store (with ``only``: those holding one of these events)."""
    alerts: list[Alert] = []
    for rule in rules:
        if rule.new_dyad:
            found = _new_dyads(store, rule)
        elif rule.baseline_days:
            found = _above_baseline(store, rule)
        else:
            found = _counts(store, rule)
        if only is not None:
            wanted = set(only)
            found = [a for a in found if any(e.id in wanted for e in a.events)]
        alerts.extend(found)
    return alerts


def _matching(store: Store, rule: Rule, conflict_only: bool = False) -> list[AlertEvent]:
    events = alert_events(store, rule.actor, rule.recipient, rule.either_direction, rule.types,
                          rule.goldstein_below)
    return [e for e in events if e.quad_class in CONFLICT] if conflict_only else events


def _windows(events: list[AlertEvent], days: int) -> list[tuple[date, date, list[AlertEvent]]]:
    """For each date an event falls on, the events of the ``days`` ending then; a window whose
    events all belong to the window before it is left out (it says nothing new)."""
    out: list[tuple[date, date, list[AlertEvent]]] = []
    previous: set[str] = set()
    for end in sorted({e.date for e in events}):
        start = end - timedelta(days=days - 1)
        inside = _between(events, start, end)
        ids = {e.id for e in inside}
        if ids <= previous:
            continue
        out.append((start, end, inside))
        previous = ids
    return out


def _between(events: list[AlertEvent], start: date, end: date) -> list[AlertEvent]:
    """The events (sorted by date) dated from ``start`` to ``end`` included."""
    return events[bisect_left(events, start, key=_date):bisect_right(events, end, key=_date)]


def _date(event: AlertEvent) -> date:
    return event.date


def _counts(store: Store, rule: Rule) -> list[Alert]:
    alerts = []
    for start, end, inside in _windows(_matching(store, rule), rule.window_days):
        if len(inside) >= rule.min_count:
            alerts.append(Alert(rule, start, end, tuple(inside),
                                f"{len(inside)} matching events within {rule.window} (at least {rule.min_count})"))
    return _maximal(alerts)


def _maximal(alerts: list[Alert]) -> list[Alert]:
    """Drop an alert whose events all belong to the next one (a growing burst fires at its peak
    in a backtest; a watch sees windows one poll at a time and ``only`` keeps the new ones)."""
    kept: list[Alert] = []
    for i, alert in enumerate(alerts):
        ids = {e.id for e in alert.events}
        if i + 1 < len(alerts) and ids < {e.id for e in alerts[i + 1].events}:
            continue
        kept.append(alert)
    return kept


def _new_dyads(store: Store, rule: Rule) -> list[Alert]:
    first: dict[tuple[str, str], date] = {}
    events = _matching(store, rule)
    for event in events:
        for pair in _pairs(event):
            first.setdefault(pair, event.date)
    alerts = []
    for pair, day in first.items():
        end = day + timedelta(days=rule.window_days - 1)
        inside = tuple(e for e in _between(events, day, end) if pair in _pairs(e))
        if len(inside) >= rule.min_count:
            alerts.append(Alert(rule, day, end, inside, f"first events between {pair[0]} and {pair[1]}"))
    return alerts


def _pairs(event: AlertEvent) -> set[tuple[str, str]]:
    return {(a, r) for a in event.actors for r in event.recipients if a != r}


def _above_baseline(store: Store, rule: Rule) -> list[Alert]:
    population = alert_events(store, rule.actor, rule.recipient, rule.either_direction)
    matching = {e.id for e in _matching(store, rule, conflict_only=True)}
    alerts = []
    for start, end, inside in _windows([e for e in population if e.id in matching], rule.window_days):
        if len(inside) < rule.min_count:
            continue
        in_window = _between(population, start, end)
        before = _between(population, start - timedelta(days=rule.baseline_days), start - timedelta(days=1))
        share = _conflict_share(in_window)
        base = _conflict_share(before)
        if share > base:
            alerts.append(Alert(rule, start, end, tuple(inside),
                                f"conflict share {share:.2f} in the window against {base:.2f} over the "
                                f"{rule.baseline_days} days before ({len(before)} events)"))
    return _maximal(alerts)


def _conflict_share(events: list[AlertEvent]) -> float:
    return sum(e.quad_class in CONFLICT for e in events) / len(events) if events else 0.0
