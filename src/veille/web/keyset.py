"""Keyset paging for /api/events: a cursor names the last row of a page, the next page
starts after it.

``OFFSET n`` makes DuckDB sort and skip n rows on every request (≈ 0.2 s at n = 500,000
on a million events); a cursor turns the skip into a WHERE clause on the sort keys, so
a deep page costs what the first one does, and an export can walk every match in
chunks without quadratic cost. Rows inserted while paging never shift later pages.

A cursor is opaque to clients: base64url of ``[sort, value…, id]``. It is decoded and
type-checked here, and its values are bound as SQL parameters, never spliced.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True, slots=True)
class Key:
    """One ORDER BY key: column, direction, and the SQL type its cursor value is cast to."""

    column: str
    descending: bool = False
    sql_type: str = "VARCHAR"
    nulls: bool = True  # the column may be NULL (always sorted last)

    def order(self) -> str:
        direction = "DESC" if self.descending else "ASC"
        return f"{self.column} {direction}" + (" NULLS LAST" if self.nulls else "")


_ID = Key("e.id", nulls=False)
_DATE_DESC = Key("e.date", True, "DATE")

#: ``sort`` values accepted by /api/events and their keys (ties broken by id).
SORT_KEYS: dict[str, tuple[Key, ...]] = {
    "date": (Key("e.date", False, "DATE"), _ID),
    "-date": (_DATE_DESC, _ID),
    "goldstein": (Key("e.goldstein", False, "DOUBLE"), _ID),
    "-goldstein": (Key("e.goldstein", True, "DOUBLE"), _ID),
    "confidence": (Key("e.confidence", False, "DOUBLE"), _ID),
    "-confidence": (Key("e.confidence", True, "DOUBLE"), _ID),
    "type": (Key("e.type"), _DATE_DESC, _ID),
    "-type": (Key("e.type", True), _DATE_DESC, _ID),
    "quad_class": (Key("e.quad_class", False, "INTEGER"), _DATE_DESC, _ID),
    "-quad_class": (Key("e.quad_class", True, "INTEGER"), _DATE_DESC, _ID),
}


_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class BadCursor(ValueError):
    """The cursor is not one this server issued for this sort."""


def order_by(sort: str) -> str:
    return ", ".join(k.order() for k in SORT_KEYS[sort])


def select_keys(sort: str) -> str:
    """The key columns to read with each row, to build the next cursor from the last one."""
    return ", ".join(k.column for k in SORT_KEYS[sort])


def encode(sort: str, values: tuple[Any, ...]) -> str:
    plain = [sort, *(v.isoformat() if isinstance(v, date) else v for v in values)]
    raw = json.dumps(plain, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(sort: str, cursor: str) -> list[Any]:
    """The key values a cursor carries; BadCursor when it is malformed or for another sort."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        if raw.count(b"[") > 1 or raw.count(b"{"):
            raise ValueError("nested")  # cursors are one flat list
        plain = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise BadCursor("cursor is not valid; use the next_cursor of a previous page") from exc
    keys = SORT_KEYS[sort]
    if not isinstance(plain, list) or len(plain) != len(keys) + 1 or plain[0] != sort:
        raise BadCursor(f"cursor was not issued for sort={sort}; use the next_cursor of a page sorted so")
    values = plain[1:]
    for key, value in zip(keys, values, strict=True):
        if value is None and key.nulls:
            continue
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        ok = {
            "VARCHAR": isinstance(value, str) and len(value) <= 500,
            "DATE": isinstance(value, str) and _is_date(value),
            "DOUBLE": number and math.isfinite(value) and abs(value) <= 2**53,
            "INTEGER": number and isinstance(value, int) and -(2**31) <= value < 2**31,
        }[key.sql_type]
        if not ok:
            raise BadCursor("cursor is not valid; use the next_cursor of a previous page")
    return values


def _is_date(text: str) -> bool:
    """A plain YYYY-MM-DD day (what encode writes; fromisoformat alone also takes "20240101")."""
    if not _DAY.fullmatch(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def after(sort: str, values: list[Any]) -> tuple[str, list[Any]]:
    """``(sql, params)``: rows that come after ``values`` in ``sort`` order.

    Lexicographic over the keys: equal on the first i-1 keys and after on key i, for
    some i. NULLs sort last, so after a NULL there is nothing on that key but NULLs.
    """
    keys = SORT_KEYS[sort]
    branches: list[str] = []
    params: list[Any] = []
    for i, key in enumerate(keys):
        parts: list[str] = []
        branch_params: list[Any] = []
        for prev, value in zip(keys[:i], values[:i], strict=True):
            parts.append(f"{prev.column} IS NOT DISTINCT FROM CAST(? AS {prev.sql_type})")
            branch_params.append(value)
        value = values[i]
        if value is None:
            continue  # nothing sorts after NULL on this key
        op = "<" if key.descending else ">"
        later = f"{key.column} {op} CAST(? AS {key.sql_type})"
        branch_params.append(value)
        if key.nulls:
            later = f"({later} OR {key.column} IS NULL)"
        parts.append(later)
        branches.append("(" + " AND ".join(parts) + ")")
        params += branch_params
    if not branches:
        return "FALSE", []
    return "(" + " OR ".join(branches) + ")", params
