"""Domestic events: type F1 on POPCORN reports the learned coder never saw (issue 13).

POPCORN's training split (``../shared/corpus/popcorn/train.json``, 400 short French reports of
protests, strikes, arrests, bombings, accidents …) is mapped to PLOVER as its README says
(DEMONSTRATION, ILLEGAL_CIVIL_DEMONSTRATION, RIOT, STRIKE → PROTEST; CRIMINAL_ARREST → COERCE;
BOMBING, POLITICAL_VIOLENCE, CIVIL_WAR_OUTBREAK → ASSAULT; everything else → no event) and
scored per report on those three types: a report's set of predicted types among them against
the mapped gold, micro-averaged. The reports that went into the silver train or dev splits are
left out, so every scored report is held out from training and from every choice.

As a reference it also scores the silver annotators themselves on the POPCORN reports they coded
(every split): how far the codebook, applied by hand, is from POPCORN's mapping. The codebook codes
more than the mapping does (a police killing in a report POPCORN files under RIOT, arrests in a coup,
a marcher's placards at a GATHERING), so its precision here is low too.

    .venv/bin/python benchmarks/popcorn_types.py            # both coders
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from veille.silver.files import read_text, split_path  # noqa: E402

MAPPING = {"DEMONSTRATION": "PROTEST", "ILLEGAL_CIVIL_DEMONSTRATION": "PROTEST", "RIOT": "PROTEST",
           "STRIKE": "PROTEST", "CRIMINAL_ARREST": "COERCE", "BOMBING": "ASSAULT",
           "POLITICAL_VIOLENCE": "ASSAULT", "CIVIL_WAR_OUTBREAK": "ASSAULT"}
TYPES = frozenset(MAPPING.values())


def held_out(corpus: Path) -> list[tuple[str, str, set[str]]]:
    seen = set()
    for split in ("train", "dev"):
        for line in read_text(split_path(ROOT / "data" / "silver", "fr", split)).splitlines():
            rid = json.loads(line)["id"]
            if rid.startswith("popcorn/"):
                seen.add(rid.split("/", 1)[1])
    data = json.loads(corpus.read_text(encoding="utf-8"))
    out = []
    for rid, report in sorted(data.items()):
        if rid in seen:
            continue
        gold = {MAPPING[e["type"]] for e in report["entities"] if e["type"] in MAPPING}
        out.append((rid, report["text"], gold))
    return out


def silver_coded(corpus: Path) -> list[tuple[str, set[str], set[str]]]:
    """(id, the silver annotators' types, POPCORN's mapped types) for every POPCORN report coded
    in the silver data (any split): how far the codebook itself is from POPCORN's mapping."""
    data = json.loads(corpus.read_text(encoding="utf-8"))
    out = []
    for split in ("train", "dev", "test"):
        for line in read_text(split_path(ROOT / "data" / "silver", "fr", split)).splitlines():
            report = json.loads(line)
            rid = report["id"].split("/", 1)[1] if report["id"].startswith("popcorn/") else None
            if rid in data:
                gold = {MAPPING[e["type"]] for e in data[rid]["entities"] if e["type"] in MAPPING}
                out.append((rid, {e["type"] for e in report["events"]} & TYPES, gold))
    return out


def type_scores(pairs) -> str:
    """Micro-averaged (report, type) F1 over PROTEST/COERCE/ASSAULT, with P, R and each type's F1."""
    per = Counter()
    for pred, gold in pairs:
        for t in TYPES:
            per[t, "tp"] += t in pred and t in gold
            per[t, "fp"] += t in pred and t not in gold
            per[t, "fn"] += t in gold and t not in pred
    tp, fp, fn = (sum(per[t, k] for t in TYPES) for k in ("tp", "fp", "fn"))
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return (f"type F1 {f1:.3f}  P {tp / max(tp + fp, 1):.3f} R {tp / max(tp + fn, 1):.3f}  ("
            + ", ".join(f"{t} {2 * per[t, 'tp'] / max(2 * per[t, 'tp'] + per[t, 'fp'] + per[t, 'fn'], 1):.2f}"
                        for t in sorted(TYPES)) + ")")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "popcorn" / "train.json")
    ap.add_argument("--coders", nargs="+", default=["rules", "learned"])
    args = ap.parse_args()

    from veille.pipeline import PipelineOptions, process
    from veille.records import Declared, RawDocument

    reports = held_out(args.corpus)
    print(f"{len(reports)} held-out POPCORN reports, {sum(bool(g) for _r, _t, g in reports)} with a PROTEST/COERCE/ASSAULT")
    for coder in args.coders:
        options = PipelineOptions(lang="fr", coder=coder)
        predicted: dict[str, set[str]] = {}
        for start in range(0, len(reports), 64):
            chunk = reports[start:start + 64]
            raws = [RawDocument(source=f"popcorn/{rid}", record=None, content=text, kind="text",
                                declared=Declared(id=rid, lang="fr")) for rid, text, _g in chunk]
            result = process(raws, options)
            by_id = {d.id: d.ext_id for d in result.documents}
            for e in result.events:
                if e.type in TYPES:
                    predicted.setdefault(by_id[e.doc_id], set()).add(e.type)
        print(f"{coder:8} " + type_scores((predicted.get(rid, set()), gold) for rid, _text, gold in reports))
    coded = silver_coded(args.corpus)
    print(f"reference: the silver annotators (the codebook) on the {len(coded)} POPCORN reports they coded, "
          "against the same mapping:")
    print(f"{'silver':8} " + type_scores((types, gold) for _rid, types, gold in coded))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
