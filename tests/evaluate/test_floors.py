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
    ("rules", REPO / "eval/gold/fr_test.jsonl"): (0.40, 0.61),  # 0.409 with the people of 2026-12-07
    ("rules", REPO / "eval/gold/en_dev.jsonl"): (0.43, 0.70),
    ("rules", REPO / "eval/gold/en_test.jsonl"): (0.48, 0.74),
    # 0.391 after issue 14's generic actors (they add tuples this set does not code), 0.410 since
    # "Turkey" and other common country names entered the English tables
    ("rules", SHARED / "eval/gold/plover_gsr_en_dev.jsonl"): (0.41, 0.57),  # 0.415 on 2026-12-07 (third session)
    # the default coder (learned in both languages); seeds and PLOVER GSR are below the rules'
    # figures (0.878, 0.410): the learned coder adds events those two sets do not code (see README).
    # Set on 2026-12-07 for the bundles trained on the three-round silver data (chosen on the dev
    # sets, where their tuple F1 gained: fr_dev 0.401 → 0.412, en_dev 0.481 → 0.484, silver dev
    # 0.407 → 0.410 and 0.422 → 0.428). Lowered with them, said why: seeds 0.818 → 0.783 and type
    # 0.870 → 0.800 (2 reports: a THREATEN in each that the seeds do not code), fr_dev type 0.785 → 0.779,
    # en_dev type 0.835 → 0.784 (the trigger check the dev sets chose drops a few true types with
    # the false ones; tuple F1 rose on both).
    ("auto", SHARED / "eval/gold/seeds.jsonl"): (0.78, 0.80),
    ("auto", REPO / "eval/gold/fr_dev.jsonl"): (0.41, 0.77),
    ("auto", REPO / "eval/gold/fr_test.jsonl"): (0.47, 0.77),  # 0.477 with the people of 2026-12-07
    ("auto", REPO / "eval/gold/en_dev.jsonl"): (0.50, 0.78),  # 0.505 with the agent-noun countries of 2026-12-07
    ("auto", REPO / "eval/gold/en_test.jsonl"): (0.63, 0.92),
    ("auto", SHARED / "eval/gold/plover_gsr_en_dev.jsonl"): (0.40, 0.59),
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
