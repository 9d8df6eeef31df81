"""Person coverage: the share of person mentions in ../shared/corpus/news that resolve to a code.

A person mention is a span spaCy labels as a person, or one the actor finder reads as a person
(a known name, a title with a name). It resolves when an actor mention with a code covers it.
The same run measures the actor tables without the world gazetteer ("before") and with it
("after"), on the same parses, and times ``find_actors`` both ways (the lookup cost).

The list of the most frequent unresolved people, which is where table entries are found, leaves
out the reports of the held-out gold sets (``eval/gold/*_test.jsonl``, read for their file names
only): a person added because a held-out report names them would make that set's figure tell
less about reports never seen. The coverage shares are over every report, as issue 14 asks.

    .venv/bin/python benchmarks/actor_coverage.py            # both languages, top 20 unresolved
    .venv/bin/python benchmarks/actor_coverage.py --top 40 --lang fr
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
NEWS = ROOT.parent / "shared" / "corpus" / "news"

from veille.actors import find_actors, load_tables  # noqa: E402
from veille.nlp import load  # noqa: E402

PERSON_LABELS = {"PER", "PERSON"}


def held_out_files() -> set[str]:
    """``fr/012.txt``-style paths of the reports in the held-out gold sets."""
    out = set()
    for path in (ROOT / "eval" / "gold").glob("*_test.jsonl"):
        for line in path.open(encoding="utf-8"):
            name = json.loads(line).get("file") or ""
            if name.startswith("corpus/news/"):
                out.add(name.removeprefix("corpus/news/"))
    return out


def _person_spans(doc, mentions) -> list[tuple[int, int, str]]:
    spans = {(e.start, e.end): e.text for e in doc.ents if e.label_ in PERSON_LABELS}
    for m in mentions:
        if m.kind == "person":
            spans.setdefault((m.start, m.end), m.text)
    # a person span inside a longer one counts once ("Poutine" in "Vladimir Poutine")
    kept = {k: v for k, v in spans.items()
            if not any(o != k and o[0] <= k[0] and k[1] <= o[1] for o in spans)}
    return [(s, e, t) for (s, e), t in sorted(kept.items())]


def measure(lang: str, top: int) -> dict:
    index = {json.loads(line)["id"]: json.loads(line) for line in (NEWS / "index.jsonl").open(encoding="utf-8")}
    nlp = load(lang)
    with_gaz = load_tables(lang)
    without = replace(with_gaz, gazetteer=None)
    totals = {"before": Counter(), "after": Counter()}
    unresolved: dict[str, Counter] = {"before": Counter(), "after": Counter()}
    seconds = {"before": 0.0, "after": 0.0}
    paths = sorted((NEWS / lang).glob("*.txt"))
    held_out = held_out_files()
    for path in paths:
        listed = f"{lang}/{path.name}" not in held_out
        meta = index.get(f"{lang}/{path.stem}", {})
        when = dt.date.fromisoformat(meta["date"]) if meta.get("date") else None
        doc = nlp(path.read_text(encoding="utf-8"))
        for label, tables in (("before", without), ("after", with_gaz)):
            start = time.perf_counter()
            mentions = find_actors(doc, lang, when, tables)
            seconds[label] += time.perf_counter() - start
            coded = [m for m in mentions if m.code]
            for s, e, text in _person_spans(doc, mentions):
                ok = any(m.start <= s and e <= m.end or s <= m.start and m.end <= e for m in coded)
                totals[label]["resolved" if ok else "unresolved"] += 1
                if not ok and listed:
                    unresolved[label][" ".join(text.split())] += 1
    out = {"lang": lang, "reports": len(paths),
           "held_out_reports": sum(f"{lang}/{p.name}" in held_out for p in paths)}
    for label in ("before", "after"):
        n = sum(totals[label].values())
        out[label] = {"person_mentions": n, "resolved": totals[label]["resolved"],
                      "share": round(totals[label]["resolved"] / n, 3) if n else 0.0,
                      "find_actors_seconds": round(seconds[label], 2),
                      "top_unresolved": unresolved[label].most_common(top)}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lang", choices=["fr", "en"], nargs="+", default=["fr", "en"])
    ap.add_argument("--top", type=int, default=20)
    ap.add_argument("--json", action="store_true", help="print JSON instead of text")
    args = ap.parse_args()
    results = [measure(lang, args.top) for lang in args.lang]
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
        return 0
    for r in results:
        b, a = r["before"], r["after"]
        print(f"{r['lang']}: {r['reports']} reports, {a['person_mentions']} person mentions; resolved "
              f"{b['share']:.1%} → {a['share']:.1%} with the gazetteer; find_actors "
              f"{b['find_actors_seconds']:.2f} s → {a['find_actors_seconds']:.2f} s")
        print(f"  most frequent unresolved (after; the {r['held_out_reports']} reports of the held-out gold "
              "sets left out): " + "; ".join(f"{t} ({n})" for t, n in a["top_unresolved"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
