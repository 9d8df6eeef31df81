"""Agreement between two independent codings of the same reports.

The first coding is read as the gold and the second as a prediction, and the project's own
scorer (``veille.evaluate.score``) gives tuple and type F1. F1 is symmetric in the two
codings, so the choice of which is "gold" changes precision and recall, not F1.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from veille.evaluate.score import Scores, load_gold, score


def _as_predictions(path: Path) -> list[dict]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        obj = json.loads(line)
        for event in obj.get("events") or ():
            out.append({"doc_id": obj["id"], "type": event["type"], "actor": event.get("actor") or [],
                        "recipient": event.get("recipient") or [], "date": event.get("date"),
                        "date_precision": "day" if event.get("date") else "unknown",
                        "factuality": event.get("factuality")})
    return out


def agreement(first: list[Path], second: list[Path]) -> Scores:
    """Scores of the ``second`` codings against the ``first`` (same reports, file by file)."""
    gold = [doc for path in first for doc in load_gold(path)]
    predictions = [p for path in second for p in _as_predictions(path)]
    return score(gold, predictions)


def per_type(first: list[Path], second: list[Path]) -> dict[str, tuple[int, int, int]]:
    """(both, first only, second only) counts of (report, type) pairs, per type."""
    def pairs(paths: list[Path]) -> set[tuple[str, str]]:
        out = set()
        for path in paths:
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    obj = json.loads(line)
                    out |= {(obj["id"], e["type"]) for e in obj.get("events") or ()}
        return out
    a, b = pairs(first), pairs(second)
    table: dict[str, list[int]] = {}
    for kind, key in [(t, 0) for _, t in a & b] + [(t, 1) for _, t in a - b] + [(t, 2) for _, t in b - a]:
        table.setdefault(kind, [0, 0, 0])[key] += 1
    return {k: tuple(v) for k, v in sorted(table.items())}


def type_counts(paths: list[Path]) -> Counter:
    counts: Counter = Counter()
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                counts.update(e["type"] for e in json.loads(line).get("events") or ())
    return counts
