"""No gold report in the silver data: the check the test suite runs.

A silver report is too close to a gold report when they share their id, their first 300
normalised characters, or at least ``THRESHOLD`` of the shorter text's 5-word shingles
(another version of the same story).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

THRESHOLD = 0.5
_WORD = re.compile(r"\w+", re.UNICODE)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def shingles(text: str, n: int = 5) -> frozenset[int]:
    words = _words(text)
    return frozenset(hash(tuple(words[i:i + n])) for i in range(max(0, len(words) - n + 1)))


def _head(text: str) -> str:
    return " ".join(_words(text))[:300]


@dataclass(frozen=True, slots=True)
class Clash:
    silver_id: str
    gold_id: str
    why: str


def clashes(silver: Iterable[tuple[str, str]], gold: Iterable[tuple[str, str]]) -> list[Clash]:
    """Pairs (silver id, gold id) that are the same report; inputs are (id, text) pairs."""
    gold_list = [(gid, text, shingles(text), _head(text)) for gid, text in gold if text]
    out = []
    for sid, text in silver:
        mine = shingles(text)
        head = _head(text)
        for gid, _, theirs, ghead in gold_list:
            if sid == gid:
                out.append(Clash(sid, gid, "same id"))
            elif head and head == ghead:
                out.append(Clash(sid, gid, "same opening"))
            elif mine and theirs:
                shared = len(mine & theirs) / min(len(mine), len(theirs))
                if shared >= THRESHOLD:
                    out.append(Clash(sid, gid, f"{shared:.0%} of shingles shared"))
    return out
