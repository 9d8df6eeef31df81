"""Classify the missed gold events of a gold file (a tuning aid). Usage: fn_classes.py GOLD.jsonl"""
import collections
import sys
from pathlib import Path

from veille.evaluate.runner import predict
from veille.evaluate.score import dyads, load_gold

gold = load_gold(Path(sys.argv[1]))
preds = predict(gold)
stats = collections.Counter()
for doc in gold:
    mine = [p for p in preds if p["doc_id"] == doc.id]
    ptt = set()
    for p in mine:
        for t in dyads(p["event"][0], [a["code"] or "?" for a in p["actor"]], [a["code"] or "?" for a in p["recipient"]]):
            ptt.add((t[0], t[1][:3], t[2][:3]))
    for e in doc.events:
        ts = {(t[0], t[1][:3], t[2][:3]) for t in dyads(e.type, e.actor, e.recipient)}
        if ts <= ptt:
            stats["hit"] += 1
            continue
        same = [p for p in mine if e.evidence[:40] in p["text_info"]["text"] or p["text_info"]["text"] in e.evidence]
        same_type = [p for p in same if p["event"][0] == e.type]
        if not same:
            stats["no event in sentence"] += 1
            print("NOEV", e.type, e.actor, e.recipient, "|", e.evidence[:100])
        elif not same_type:
            stats["other type in sentence"] += 1
            print("TYPE", e.type, [p["event"][0] for p in same], "|", e.evidence[:80])
        else:
            stats["same type, wrong dyad"] += 1
            print("DYAD", e.type, e.actor, e.recipient,
                  [([a["code"] for a in p["actor"]], [a["code"] for a in p["recipient"]]) for p in same_type], "|", e.evidence[:80])
print(stats, file=sys.stderr)
