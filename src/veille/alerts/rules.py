"""Alert rules: read and check a TOML file of ``[[rule]]`` tables (README, "Alerts").

Every mistake is a usage error naming the file, the rule and the key, so a rule file is
fixed before a watch starts rather than failing hours later.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from veille.errors import UsageError
from veille.records import PLOVER_TYPES

_WINDOW = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|min|h|d|w)?\s*$", re.I)
_SECONDS = {"s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_CODE = re.compile(r"^[A-Z0-9-]{1,12}$")
KEYS = {"name", "types", "actor", "recipient", "either_direction", "min_count", "window", "goldstein_below",
        "new_dyad", "baseline_days", "webhook"}


class RuleError(UsageError):
    code = "V083"


@dataclass(frozen=True)
class Rule:
    name: str
    types: tuple[str, ...] = ()  # empty: any type
    actor: tuple[str, ...] = ()  # code prefixes; empty: any actor
    recipient: tuple[str, ...] = ()
    either_direction: bool = False
    min_count: int = 1
    window_days: int = 1  # event dates are days: a window is a whole number of days
    window: str = "1d"
    goldstein_below: float | None = None
    new_dyad: bool = False
    baseline_days: int | None = None
    webhook: str | None = None


def duration_seconds(text: str, what: str = "window") -> float:
    """Seconds in a duration such as "90s", "15m", "12h", "1d", "2w" (a bare number: seconds)."""
    match = _WINDOW.match(str(text))
    if not match:
        raise ValueError(f"{what} {text!r} is not a duration like 90s, 15m, 12h, 1d or 2w")
    seconds = float(match.group(1)) * _SECONDS[(match.group(2) or "s").lower()]
    if seconds <= 0:
        raise ValueError(f"{what} {text!r} must be longer than zero")
    return seconds


def parse_window(text: str) -> int:
    """Days covered by a window such as "1d", "36h", "2w" (rounded up: event dates are days)."""
    return max(1, math.ceil(duration_seconds(text) / 86400))


def load_rules(path: str | Path) -> list[Rule]:
    """The rules of a TOML file; raises RuleError naming what is wrong and where."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise RuleError(f"no rule file at {path}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(f"cannot read rule file {path}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"{path}: not valid TOML ({exc})") from exc
    tables = data.get("rule")
    extra = set(data) - {"rule"}
    if extra:
        raise RuleError(f"{path}: unknown top-level key(s) {', '.join(sorted(extra))}; write rules as [[rule]] tables")
    if not isinstance(tables, list) or not tables:
        raise RuleError(f"{path}: no [[rule]] table")
    rules = [_rule(path, i, table) for i, table in enumerate(tables, 1)]
    names = [r.name for r in rules]
    for name in names:
        if names.count(name) > 1:
            raise RuleError(f"{path}: two rules are named {name!r}; names identify alerts, make them unique")
    return rules


def _rule(path: Path, index: int, table: dict) -> Rule:
    where = f"{path}: rule {index}" + (f" ({table['name']!r})" if isinstance(table.get("name"), str) else "")
    unknown = set(table) - KEYS
    if unknown:
        raise RuleError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; known keys: {', '.join(sorted(KEYS))}")
    name = table.get("name")
    if not isinstance(name, str) or not name.strip():
        raise RuleError(f"{where}: every rule needs a name (a non-empty string)")

    def codes(key: str) -> tuple[str, ...]:
        value = table.get(key, [])
        value = [value] if isinstance(value, str) else value
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise RuleError(f"{where}: {key} must be a list of strings")
        out = tuple(v.strip().upper() for v in value)
        for code in out:
            if key != "types" and not _CODE.match(code):
                raise RuleError(f"{where}: {key} code prefix {code!r} is not a code (letters, digits, '-')")
        return out

    types = codes("types")
    bad = [t for t in types if t not in PLOVER_TYPES]
    if bad:
        raise RuleError(f"{where}: unknown type(s) {', '.join(bad)}; valid types: {', '.join(PLOVER_TYPES)}")
    window = table.get("window", "1d")
    try:
        days = parse_window(window)
    except ValueError as exc:
        raise RuleError(f"{where}: {exc}") from exc
    min_count = table.get("min_count", 1)
    if not isinstance(min_count, int) or isinstance(min_count, bool) or min_count < 1:
        raise RuleError(f"{where}: min_count must be a whole number ≥ 1")
    goldstein = table.get("goldstein_below")
    if goldstein is not None and (not isinstance(goldstein, int | float) or isinstance(goldstein, bool)):
        raise RuleError(f"{where}: goldstein_below must be a number between -10 and 10")
    baseline = table.get("baseline_days")
    if baseline is not None and (not isinstance(baseline, int) or isinstance(baseline, bool) or baseline < 1):
        raise RuleError(f"{where}: baseline_days must be a whole number of days ≥ 1")
    for flag in ("either_direction", "new_dyad"):
        if not isinstance(table.get(flag, False), bool):
            raise RuleError(f"{where}: {flag} must be true or false")
    if table.get("new_dyad") and baseline is not None:
        raise RuleError(f"{where}: new_dyad and baseline_days are two kinds of rule; split it in two rules")
    webhook = table.get("webhook")
    if webhook is not None and (not isinstance(webhook, str) or urlsplit(webhook).scheme not in ("http", "https")
                                or not urlsplit(webhook).hostname):
        raise RuleError(f"{where}: webhook must be an http(s) URL")
    return Rule(name.strip(), types, codes("actor"), codes("recipient"), table.get("either_direction", False),
                min_count, days, str(window), float(goldstein) if goldstein is not None else None,
                table.get("new_dyad", False), baseline, webhook)
