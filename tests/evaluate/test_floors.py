"""Accuracy floors: each coder's scores on every gold set may not drop below these.

The floors sit a little under the figures measured when they were last raised (see the
README's Evaluation section and the model cards). Raise them when a coder improves; never
lower one without saying why in the commit message. ``auto`` is what users get by default
(the learned coder where it beat the rules on every dev set); ``rules`` is the baseline.
"""

from pathlib import Path

import pytest

from veille.evaluate.runner import predict
from veille.evaluate.score import load_gold, score
from veille.pipeline import PipelineOptions

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"

#: (coder, gold file) → (tuple F1 floor, type F1 floor)
FLOORS = {
    ("rules", SHARED / "eval/gold/seeds.jsonl"): (0.85, 0.88),
    ("rules", REPO / "eval/gold/fr_dev.jsonl"): (0.35, 0.70),
    ("rules", REPO / "eval/gold/fr_test.jsonl"): (0.35, 0.61),
    ("rules", REPO / "eval/gold/en_dev.jsonl"): (0.41, 0.70),
    ("rules", REPO / "eval/gold/en_test.jsonl"): (0.48, 0.74),
    # 0.391 after issue 14's generic actors (they add tuples this set does not code), 0.410 since
    # "Turkey" and other common country names entered the English tables
    ("rules", SHARED / "eval/gold/plover_gsr_en_dev.jsonl"): (0.40, 0.57),
    # the default coder (learned in both languages); seeds and PLOVER GSR are below the rules'
    # figures (0.878, 0.410): the learned coder adds events those two sets do not code (see README).
    # Lowered on 2026-12-07 for the bundles trained on twice the silver data (chosen on the dev sets,
    # where they gained): seeds 0.837 → 0.818 (one more tuple the seeds do not code), PLOVER GSR
    # 0.399 → 0.381 (more second events per sentence), fr_test type 0.743 → 0.729 (held out).
    ("auto", SHARED / "eval/gold/seeds.jsonl"): (0.81, 0.86),
    ("auto", REPO / "eval/gold/fr_dev.jsonl"): (0.39, 0.78),
    ("auto", REPO / "eval/gold/fr_test.jsonl"): (0.38, 0.72),
    ("auto", REPO / "eval/gold/en_dev.jsonl"): (0.47, 0.82),
    ("auto", REPO / "eval/gold/en_test.jsonl"): (0.61, 0.91),
    ("auto", SHARED / "eval/gold/plover_gsr_en_dev.jsonl"): (0.37, 0.59),
}


#: Predicted tuples a gold set lists as non-events ("must_not"), allowed per (coder, file): both
#: coders code "Boko Haram … saying that some have been killed in airstrikes" (en_dev) as a Nigerian
#: ASSAULT (the rule coder since issue 14: an event noun with no named author takes the report's
#: main country), which that report's annotator excluded. Everything else must stay at 0.
LEAKS = {("auto", REPO / "eval/gold/en_dev.jsonl"): 1, ("rules", REPO / "eval/gold/en_dev.jsonl"): 1}


@pytest.mark.parametrize("coder,path", list(FLOORS), ids=lambda v: v if isinstance(v, str) else v.name)
def test_floors_tuple_and_type_f1(coder: str, path: Path):
    gold = load_gold(path, SHARED)
    scores = score(gold, predict(gold, PipelineOptions(coder=coder))).overall
    tuple_floor, type_floor = FLOORS[coder, path]
    assert scores.tuple.f1 >= tuple_floor, f"{coder} {path.name}: tuple F1 {scores.tuple.f1:.3f} < floor {tuple_floor}"
    assert scores.type.f1 >= type_floor, f"{coder} {path.name}: type F1 {scores.type.f1:.3f} < floor {type_floor}"
    allowed = LEAKS.get((coder, path), 0)
    assert scores.leaks <= allowed, f"{coder} {path.name}: {scores.leaks} boilerplate leaks (allowed {allowed})"
