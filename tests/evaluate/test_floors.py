"""Accuracy floors: the coder's scores on every gold set may not drop below these.

The floors sit a little under the figures measured when they were last raised (see the
README's Evaluation section). Raise them when the coder improves; never lower one
without saying why in the commit message.
"""

from pathlib import Path

import pytest

from veille.evaluate.runner import predict
from veille.evaluate.score import load_gold, score

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"

#: gold file → (tuple F1 floor, type F1 floor)
FLOORS = {
    SHARED / "eval/gold/seeds.jsonl": (0.85, 0.88),
    REPO / "eval/gold/fr_dev.jsonl": (0.34, 0.66),
    REPO / "eval/gold/fr_test.jsonl": (0.33, 0.58),
    REPO / "eval/gold/en_dev.jsonl": (0.38, 0.68),
    REPO / "eval/gold/en_test.jsonl": (0.41, 0.66),
    SHARED / "eval/gold/plover_gsr_en_dev.jsonl": (0.40, 0.53),
}


@pytest.mark.parametrize("path", list(FLOORS), ids=lambda p: p.name)
def test_floors_tuple_and_type_f1(path: Path):
    gold = load_gold(path, SHARED)
    scores = score(gold, predict(gold)).overall
    tuple_floor, type_floor = FLOORS[path]
    assert scores.tuple.f1 >= tuple_floor, f"{path.name}: tuple F1 {scores.tuple.f1:.3f} < floor {tuple_floor}"
    assert scores.type.f1 >= type_floor, f"{path.name}: type F1 {scores.type.f1:.3f} < floor {type_floor}"
    assert scores.leaks == 0, f"{path.name}: {scores.leaks} boilerplate leaks"
