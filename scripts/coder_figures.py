"""Both coders on every gold and silver set, as one Markdown table (rules → learned).

    python scripts/coder_figures.py            # prints the table the README's Evaluation section shows

Sets: the shared seeds and PLOVER GSR (measured only), the project's gold dev and held-out test
sets, and the silver dev and held-out test splits. Each report goes through the whole pipeline
(``veille.evaluate.runner.predict``), exactly as ``veille evaluate --coder …`` does.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "src"))

from veille.evaluate.runner import predict  # noqa: E402
from veille.evaluate.score import load_gold, score  # noqa: E402
from veille.pipeline import PipelineOptions  # noqa: E402

SETS = [
    ("seeds (shared, fr)", SHARED / "eval/gold/seeds.jsonl"),
    ("fr_dev", ROOT / "eval/gold/fr_dev.jsonl"),
    ("fr_test (held out)", ROOT / "eval/gold/fr_test.jsonl"),
    ("en_dev", ROOT / "eval/gold/en_dev.jsonl"),
    ("en_test (held out)", ROOT / "eval/gold/en_test.jsonl"),
    ("PLOVER GSR en dev (shared)", SHARED / "eval/gold/plover_gsr_en_dev.jsonl"),
    ("silver fr dev", ROOT / "data/silver/fr/dev.jsonl"),
    ("silver fr test (held out)", ROOT / "data/silver/fr/test.jsonl"),
    ("silver en dev", ROOT / "data/silver/en/dev.jsonl"),
    ("silver en test (held out)", ROOT / "data/silver/en/test.jsonl"),
]


def main() -> int:
    print("| set | tuple F1 rules → learned | tuple P / R learned | type F1 rules → learned | "
          "factuality rules → learned | actor country rules → learned | recipient country rules → learned |")
    print("|---|---|---|---|---|---|---|")
    for name, path in SETS:
        gold = load_gold(path, SHARED)
        got = {c: score(gold, predict(gold, PipelineOptions(coder=c))).overall for c in ("rules", "learned")}
        r, m = got["rules"], got["learned"]
        print(f"| {name} | {r.tuple.f1:.3f} → **{m.tuple.f1:.3f}** | {m.tuple.precision:.2f} / {m.tuple.recall:.2f} | "
              f"{r.type.f1:.3f} → **{m.type.f1:.3f}** | {r.factuality_accuracy:.2f} → {m.factuality_accuracy:.2f} | "
              f"{r.actor_accuracy:.2f} → {m.actor_accuracy:.2f} | {r.recipient_accuracy:.2f} → "
              f"{m.recipient_accuracy:.2f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
