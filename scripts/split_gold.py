"""Split the hand-coded gold parts into a dev set (tuned on) and a held-out test set (never tuned on).

Every third report, in id order, goes to the test set; the rule is fixed so that the split does not
depend on what the coder does well. Usage: python scripts/split_gold.py
"""

from __future__ import annotations

import json
from pathlib import Path

GOLD = Path(__file__).resolve().parent.parent / "eval" / "gold"


def main() -> None:
    docs = []
    for part in sorted((GOLD / "parts").glob("*.jsonl")):
        docs.extend(json.loads(line) for line in part.read_text(encoding="utf-8").splitlines() if line.strip())
    for lang in sorted({d["lang"] for d in docs}):
        ordered = sorted((d for d in docs if d["lang"] == lang), key=lambda d: d["id"])
        split = {"dev": [], "test": []}
        for i, doc in enumerate(ordered):
            split["test" if i % 3 == 2 else "dev"].append(doc)
        for name, items in split.items():
            out = GOLD / f"{lang}_{name}.jsonl"
            out.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in items), encoding="utf-8")
            print(f"{out.name}: {len(items)} reports, {sum(len(d['events']) for d in items)} events")


if __name__ == "__main__":
    main()
