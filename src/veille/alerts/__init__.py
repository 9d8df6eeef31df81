"""Alerts on dyads: rules (TOML) checked over the store's events, fired once each.

Entry function: :func:`check_alerts` (``veille alerts``, and ``veille watch`` after each poll).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path

from veille.alerts.deliver import deliver
from veille.alerts.evaluate import Alert, evaluate
from veille.alerts.rules import Rule, RuleError, load_rules
from veille.store import Store

__all__ = ["Alert", "Rule", "RuleError", "check_alerts", "load_rules"]


def check_alerts(store_path: str | Path, rules: list[Rule], say: Callable[[str], None],
                 only: Collection[str] | None = None, alerts_out: Path | None = None,
                 record: bool = True) -> list[Alert]:
    """Evaluate the rules over the store and fire the alerts not fired before (see deliver)."""
    store = Store(store_path)
    return deliver(store, evaluate(store, rules, only), say, alerts_out, record)
