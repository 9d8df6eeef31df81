#!/usr/bin/env python3
"""Silver annotation tools (docs/codebook.md; data/silver/README.md).

  python3 scripts/silver.py validate FILE...     check annotated files, add span offsets (exit 1 on errors)
  python3 scripts/silver.py show BATCH [N]        print report N (1-based) of a batch, or the list of its reports
  python3 scripts/silver.py merge BATCH CODER DIR join DIR/<N>.json (a JSON list of events per report) into
                                                 data/silver/batches/BATCH/CODER.jsonl, then validate it
  python3 scripts/silver.py diff BATCH N          the two codings (A, B) of report N side by side, for settling
  python3 scripts/silver.py stats                counts of reports and events per language, split and type (markdown)
  python3 scripts/silver.py batches              lay out data/silver/batches/*/input.jsonl from ../shared
  python3 scripts/silver.py status [--write]     which batches are coded (writes data/silver/manifest.tsv)
  python3 scripts/silver.py agree [LANG...]      agreement of the doubly coded batches (A against B)
  python3 scripts/silver.py build                assemble data/silver/{fr,en}/{train.jsonl.gz,dev.jsonl,test.jsonl}

Runs with the standard library only for `validate` (no install needed).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from veille.silver.files import read_text, split_path  # noqa: E402
from veille.silver.validate import validate_file  # noqa: E402

SILVER = ROOT / "data" / "silver"
BATCHES = SILVER / "batches"


def _shared() -> Path:
    import os
    return Path(os.environ.get("VEILLE_SHARED") or ROOT.parent / "shared")


def cmd_validate(args: argparse.Namespace) -> int:
    failed = 0
    for name in args.files:
        report = validate_file(Path(name), write=not args.no_write)
        for note in report.notes[:args.max]:
            print("note:", note)
        for error in report.errors[:args.max]:
            print("error:", error)
        if len(report.errors) > args.max:
            print(f"error: … and {len(report.errors) - args.max} more")
        status = "OK" if report.ok else f"{len(report.errors)} error(s)"
        print(f"{name}: {report.lines} reports, {report.events} events: {status}")
        failed += not report.ok
    return 1 if failed else 0


def _inputs(batch: str) -> list[dict]:
    import json
    path = BATCHES / batch / "input.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def cmd_show(args: argparse.Namespace) -> int:
    reports = _inputs(args.batch)
    if args.n is None:
        for number, r in enumerate(reports, start=1):
            print(f"{number:>3}  {r['id']:<28} {r['published'] or 'undated':<10} "
                  f"{len(r['text'].split()):>5} words  {r['title'][:70]}")
        return 0
    r = reports[args.n - 1]
    print(f"report {args.n} of {len(reports)}  id={r['id']}  lang={r['lang']}  published={r['published']}")
    print(f"title (not coded): {r['title']}")
    print("-" * 60)
    print(r["text"])
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    import json
    reports = _inputs(args.batch)
    parts = Path(args.parts)
    lines, missing = [], []
    for number, r in enumerate(reports, start=1):
        candidates = [parts / f"{number}.json", parts / f"{number:02d}.json", parts / f"{number:03d}.json"]
        found = next((c for c in candidates if c.is_file()), None)
        if found is None:
            missing.append(number)
            continue
        try:
            events = json.loads(found.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            print(f"error: {found}: not JSON: {exc}")
            return 1
        if isinstance(events, dict) and "events" in events:
            events = events["events"]
        lines.append({**r, "events": events})
    if missing:
        print(f"error: no part for report(s) {missing} in {parts} (write [] for a report with no event)")
        return 1
    out = BATCHES / args.batch / f"{args.coder}.jsonl"
    out.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in lines), encoding="utf-8")
    args.files, args.no_write, args.max = [str(out)], False, 80
    return cmd_validate(args)


def _compact(event: dict) -> str:
    mode = f"({event.get('mode')})" if event.get("mode") else ""
    return (f"{event['type']}{mode} {','.join(event.get('actor') or [])} -> "
            f"{','.join(event.get('recipient') or []) or '[]'} | {event.get('factuality')} | {event.get('date')} | "
            f"trigger={event.get('trigger')!r} | {event.get('evidence', '')[:110]!r}")


def cmd_diff(args: argparse.Namespace) -> int:
    import json
    for coder in ("A", "B"):
        path = BATCHES / args.batch / f"{coder}.jsonl"
        lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
        events = lines[args.n - 1].get("events") or []
        print(f"== coder {coder}: {len(events)} events")
        for number, event in enumerate(events, start=1):
            print(f"  {coder}{number}: {_compact(event)}")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    import json
    from collections import Counter

    from veille.silver.vocabulary import TYPES
    per_type: dict[str, Counter] = {"fr": Counter(), "en": Counter()}
    print("| language | split | reports | reports with events | events |")
    print("|---|---|---:|---:|---:|")
    for lang in ("fr", "en"):
        for split in ("train", "dev", "test"):
            path = split_path(SILVER, lang, split)
            rows = [json.loads(x) for x in read_text(path).splitlines() if x.strip()] \
                if path.is_file() else []
            events = [e for r in rows for e in r["events"]]
            per_type[lang].update(e["type"] for e in events)
            print(f"| {lang} | {split} | {len(rows)} | {sum(1 for r in rows if r['events'])} | {len(events)} |")
    print()
    print("| type | fr | en |")
    print("|---|---:|---:|")
    for kind in TYPES:
        print(f"| {kind} | {per_type['fr'][kind]} | {per_type['en'][kind]} |")
    print(f"| all | {sum(per_type['fr'].values())} | {sum(per_type['en'].values())} |")
    return 0


def cmd_batches(args: argparse.Namespace) -> int:
    from veille.silver.select import write_batches
    made = write_batches(_shared(), BATCHES)
    print(f"{len(made)} batches under {BATCHES}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from veille.silver.corpus import batch_states, manifest
    states = batch_states(BATCHES)
    table = manifest(states)
    if args.write:
        (SILVER / "manifest.tsv").write_text(table, encoding="utf-8")
    for lang in ("fr", "en"):
        mine = [s for s in states if s.lang == lang]
        kept = [s for s in mine if s.kept]
        print(f"{lang}: {len(kept)}/{len(mine)} batches kept, {sum(s.reports for s in kept)} reports, "
              f"{sum(s.events for s in kept)} events; invalid: "
              f"{', '.join(f'{s.name}:{c}' for s in mine for c in s.invalid) or 'none'}")
    return 0


def cmd_agree(args: argparse.Namespace) -> int:
    from veille.evaluate.score import format_table
    from veille.silver.agreement import agreement, per_type
    from veille.silver.select import double_coded_batches
    for lang in args.langs:
        pairs = [(BATCHES / b / "A.jsonl", BATCHES / b / "B.jsonl") for b in double_coded_batches(lang)]
        pairs = [(a, b) for a, b in pairs if a.is_file() and b.is_file()]
        if not pairs:
            print(f"{lang}: no batch coded twice yet")
            continue
        first, second = [a for a, _ in pairs], [b for _, b in pairs]
        print(f"== {lang}: {len(pairs)} batches coded twice (B scored against A)")
        print(format_table(agreement(first, second)))
        print("type: both / A only / B only")
        for kind, (both, a_only, b_only) in per_type(first, second).items():
            f1 = 2 * both / (2 * both + a_only + b_only) if both else 0.0
            print(f"  {kind:<10} {both:>4} {a_only:>4} {b_only:>4}   F1 {f1:.2f}")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from veille.silver.corpus import assemble
    counts = assemble(BATCHES, SILVER)
    for (lang, split), n in sorted(counts.items()):
        print(f"{lang} {split}: {n} reports")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="check annotated files and add span offsets")
    p.add_argument("files", nargs="+")
    p.add_argument("--no-write", action="store_true", help="check only; do not store offsets")
    p.add_argument("--max", type=int, default=60, help="errors to print per file")
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser("show", help="print a report of a batch")
    p.add_argument("batch")
    p.add_argument("n", nargs="?", type=int)
    p.set_defaults(func=cmd_show)
    p = sub.add_parser("merge", help="join per-report event lists into a coded batch file")
    p.add_argument("batch")
    p.add_argument("coder", choices=["A", "B", "kept"])
    p.add_argument("parts")
    p.set_defaults(func=cmd_merge)
    p = sub.add_parser("diff", help="the two codings of a report")
    p.add_argument("batch")
    p.add_argument("n", type=int)
    p.set_defaults(func=cmd_diff)
    sub.add_parser("stats").set_defaults(func=cmd_stats)
    sub.add_parser("batches").set_defaults(func=cmd_batches)
    p = sub.add_parser("status")
    p.add_argument("--write", action="store_true")
    p.set_defaults(func=cmd_status)
    p = sub.add_parser("agree")
    p.add_argument("langs", nargs="*", default=["fr", "en"])
    p.set_defaults(func=cmd_agree)
    sub.add_parser("build").set_defaults(func=cmd_build)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
