"""Show, per gold report, which tuples the coder found, missed and invented (a tuning aid).

Usage: python scripts/eval_diff.py GOLD.jsonl [ID-SUBSTRING]
"""

from __future__ import annotations

import sys
from pathlib import Path

from veille.evaluate.runner import predict
from veille.evaluate.score import dyads, load_gold


def main() -> None:
    gold = load_gold(Path(sys.argv[1]))
    if len(sys.argv) > 2:
        gold = [g for g in gold if sys.argv[2] in g.id]
    preds = predict(gold)
    for doc in gold:
        mine = [p for p in preds if p["doc_id"] == doc.id]
        gold_t = {}
        for e in doc.events:
            for t in dyads(e.type, e.actor, e.recipient):
                gold_t.setdefault(t, e.evidence)
        pred_t = {}
        for p in mine:
            for t in dyads(p["event"][0], [a["code"] or "?" for a in p["actor"]], [a["code"] or "?" for a in p["recipient"]]):
                pred_t.setdefault(t, p)
        print(f"=== {doc.id}  gold {len(gold_t)}  pred {len(pred_t)}  tp {len(set(gold_t) & set(pred_t))}")
        for t, p in sorted(pred_t.items()):
            mark = "OK " if t in gold_t else "FP "
            print(f"  {mark}{t}  [{p['text_info']['trigger']}] {p['factuality']} {p['date']}  «{p['text_info']['text'][:110]}»")
        for t, ev in sorted(gold_t.items()):
            if t not in pred_t:
                print(f"  FN {t}  «{ev[:110]}»")


if __name__ == "__main__":
    main()
