"""evaluate stage: score predicted events against a hand-coded gold set (eval/README.md rules)."""

from veille.evaluate.score import (
    Figures,
    GoldDoc,
    GoldEvent,
    GroupScores,
    Scores,
    dyads,
    format_table,
    load_gold,
    score,
)

__all__ = [
    "Figures", "GoldDoc", "GoldEvent", "GroupScores", "Scores",
    "dyads", "format_table", "load_gold", "score",
]
