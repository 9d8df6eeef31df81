"""The optional first line of a plain-text report: ``date YYYY-MM[-DD] URL``."""

from __future__ import annotations

import re
from dataclasses import dataclass

HEADER = re.compile(r"^\s*date\s+(\S+)(?:\s+(\S+))?\s*$", re.I)


@dataclass(frozen=True, slots=True)
class Header:
    date: str | None
    url: str | None


def split_header(text: str) -> tuple[Header | None, str]:
    """Return the header (if the first non-empty line is one) and the text after it."""
    stripped = text.lstrip()
    first, _, rest = stripped.partition("\n")
    match = HEADER.match(first)
    if not match:
        return None, text
    date, url = match.group(1), match.group(2)
    date = None if date.lower() in ("unknown", "none", "-") else date
    if url and (url.lower() in ("unknown", "none", "-") or not url.lower().startswith(("http://", "https://"))):
        url = None
    return Header(date=date, url=url), rest
