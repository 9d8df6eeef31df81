"""The largest classes of the coder's errors against a silver (or gold) file with evidence.

    .venv/bin/python scripts/error_classes.py data/silver/fr/dev.jsonl [data/silver/en/dev.jsonl …]

Runs the pipeline on the reports (as `veille evaluate` does) and sorts every tuple the
coder missed or invented into a class by comparing, sentence by sentence, the silver
events with the coder's events:

- missed: no coded event in the sentence / another type there (which) / right type but
  the actor's or the recipient's country differs / a recipient missing or extra;
- invented: an event in a sentence with no silver event (by type) / a tuple of a type the
  sentence has but with other countries.

For measuring only: never run it on a test split while developing.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from veille.evaluate.runner import predict
from veille.evaluate.score import dyads, load_gold


def _norm(text: str) -> str:
    return " ".join(text.split())


def _same_sentence(evidence: str, sentence: str) -> bool:
    e, s = _norm(evidence), _norm(sentence)
    return bool(e) and bool(s) and (e[:60] in s or s[:60] in e)


def _tuples(kind: str, actors, recipients) -> set:
    return dyads(kind, [a or "?" for a in actors], [r or "?" for r in recipients])


def main(paths: list[str]) -> None:
    classes: Counter = Counter()
    examples: dict[str, str] = {}
    for path in paths:
        gold = load_gold(Path(path))
        preds = predict(gold)
        by_doc: dict[str, list[dict]] = {}
        for p in preds:
            by_doc.setdefault(p["doc_id"], []).append(p)
        for doc in gold:
            mine = by_doc.get(doc.id, [])
            predicted = set().union(*[_tuples(p["event"][0], [a["code"] for a in p["actor"]],
                                              [r["code"] for r in p["recipient"]]) for p in mine]) if mine else set()
            gold_tuples = set()
            for e in doc.events:
                gold_tuples |= _tuples(e.type, e.actor, e.recipient)
            for e in doc.events:
                missing = _tuples(e.type, e.actor, e.recipient) - predicted
                if not missing:
                    continue
                here = [p for p in mine if _same_sentence(e.evidence, p["text_info"]["text"])]
                same = [p for p in here if p["event"][0] == e.type]
                if not here:
                    key = f"missed {e.type}: no coded event in the sentence"
                elif not same:
                    key = f"missed {e.type}: coded as {'/'.join(sorted({p['event'][0] for p in here}))}"
                else:
                    actors = {a["code"][:3] for p in same for a in p["actor"]}
                    recips = {r["code"][:3] for p in same for r in p["recipient"]}
                    if not actors & {a[:3] for a in e.actor}:
                        key = f"missed {e.type}: actor country wrong or missing"
                    elif e.recipient and not recips:
                        key = f"missed {e.type}: recipient missing"
                    elif e.recipient and not recips & {r[:3] for r in e.recipient}:
                        key = f"missed {e.type}: recipient country wrong"
                    elif not e.recipient and recips:
                        key = f"missed {e.type}: recipient added where none"
                    else:
                        key = f"missed {e.type}: other (several actors/recipients)"
                classes[key] += len(missing)
                examples.setdefault(key, f"{doc.id}: {e.evidence[:120]}")
            for p in mine:
                extra = _tuples(p["event"][0], [a["code"] for a in p["actor"]],
                                [r["code"] for r in p["recipient"]]) - gold_tuples
                if not extra:
                    continue
                here = [e for e in doc.events if _same_sentence(e.evidence, p["text_info"]["text"])]
                if not here:
                    key = f"invented {p['event'][0]}: no silver event in the sentence"
                elif p["event"][0] not in {e.type for e in here}:
                    key = f"invented {p['event'][0]}: sentence has {'/'.join(sorted({e.type for e in here}))}"
                else:
                    key = f"invented {p['event'][0]}: right type, other countries"
                classes[key] += len(extra)
                examples.setdefault(key, f"{doc.id}: {p['text_info']['text'][:120]}")
    total = sum(classes.values())
    print(f"{total} tuple errors in {len(classes)} classes")
    for key, n in classes.most_common(25):
        print(f"{n:5d}  {n / total:6.1%}  {key}\n        e.g. {examples[key]}")
    coarse: Counter = Counter()
    for key, n in classes.items():
        verb, detail = key.split(" ", 1)[0], key.split(": ", 1)[1]
        detail = ("another type in the sentence" if detail.startswith(("coded as", "sentence has")) else detail)
        coarse[f"{verb}: {detail}"] += n
    print("\nby kind of error (all types together)")
    for key, n in coarse.most_common():
        print(f"{n:5d}  {n / total:6.1%}  {key}")


if __name__ == "__main__":
    main(sys.argv[1:])
