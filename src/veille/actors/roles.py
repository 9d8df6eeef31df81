"""Pick the role a person held on a date, and country codes from actor codes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from veille.actors.tables import Entry, Role

#: Code prefixes of actors that belong to no country (CAMEO's international actors).
NON_STATE_PREFIXES = ("IGO", "NGO", "IMG", "MNC")


def country_of(code: str) -> str | None:
    """Country part of an actor code: "USAGOV" → "USA"; codes of international bodies and groups
    (IGO, NGO, IMG, MNC: "NGOAMN" is Amnesty International, not a country "NGO") and "" → None."""
    if len(code) < 3 or code.startswith(NON_STATE_PREFIXES) or not code[:3].isalpha():
        return None
    return code[:3].upper()


def role_code(roles: Sequence[Role], when: dt.date | None) -> str:
    """Code of the role valid at ``when``; the most recent one when ``when`` is None.

    A person with no role at that date still resolves to a country: the country of
    the role closest in time (their most recent one before ``when``, else the first).
    """
    if not roles:
        return ""
    held = current_role(roles, when)
    if held is not None:
        return held.code
    by_start = sorted(roles, key=lambda r: r.start or dt.date.min)
    before = [r for r in by_start if when is None or r.start is None or r.start <= when]
    nearest = before[-1] if before else by_start[0]
    return country_of(nearest.code) or nearest.code


def current_role(roles: Sequence[Role], when: dt.date | None) -> Role | None:
    """The role held at ``when`` (the latest begun when several are; the latest of all when
    ``when`` is None); None when none is."""
    by_start = sorted(roles, key=lambda r: r.start or dt.date.min)
    if when is None:
        return by_start[-1] if by_start else None
    current = [r for r in by_start if (r.start is None or r.start <= when) and (r.end is None or when <= r.end)]
    return current[-1] if current else None


def pick_entry(entries: Sequence[Entry], when: dt.date | None) -> Entry | None:
    """Among entries sharing a surface, the one valid at ``when`` (latest start wins)."""
    valid = [e for e in entries if e.valid_on(when)]
    pool = valid or list(entries)
    if not pool:
        return None
    return max(pool, key=lambda e: e.start or dt.date.min)
