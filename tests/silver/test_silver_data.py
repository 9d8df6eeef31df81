"""The committed silver corpus: every coded file passes validation, and no gold report is in it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from veille.evaluate.score import load_gold
from veille.silver.corpus import split_of
from veille.silver.files import read_text, split_path
from veille.silver.overlap import clashes
from veille.silver.validate import validate_file

REPO = Path(__file__).resolve().parents[2]
SILVER = REPO / "data" / "silver"
CODED = sorted(SILVER.glob("batches/*/[AB].jsonl")) + sorted(SILVER.glob("batches/*/kept.jsonl"))
SPLITS = sorted(SILVER.glob("[fe][rn]/*.jsonl")) + sorted(SILVER.glob("[fe][rn]/*.jsonl.gz"))


def _reports(paths: list[Path]) -> list[dict]:
    out = []
    for path in paths:
        out += [json.loads(line) for line in read_text(path).splitlines() if line.strip()]
    return out


@pytest.mark.parametrize("path", CODED + SPLITS, ids=lambda p: str(p.relative_to(SILVER)))
def test_every_coded_file_validates(path: Path) -> None:
    report = validate_file(path, write=False)
    assert report.ok, report.errors[:10]


def test_splits_are_by_report_and_disjoint() -> None:
    seen: dict[str, str] = {}
    for path in SPLITS:
        lang, split = path.parent.name, path.name.split(".")[0]
        for obj in _reports([path]):
            assert obj["lang"] == lang
            assert split_of(obj["id"]) == split, obj["id"]
            assert obj["id"] not in seen, f"{obj['id']} in {seen.get(obj['id'])} and {path}"
            seen[obj["id"]] = str(path)


def test_no_gold_report_is_in_the_silver_data(shared: Path) -> None:
    gold = []
    for path in sorted((REPO / "eval" / "gold").glob("*.jsonl")) + sorted((shared / "eval" / "gold").glob("*.jsonl")):
        gold += [(doc.id, doc.text) for doc in load_gold(path, shared)]
    assert len(gold) > 30
    silver = [(r["id"], r["text"]) for r in _reports(sorted(SILVER.glob("batches/*/input.jsonl")))]
    assert len(silver) >= 1600
    found = clashes(silver, gold)
    assert not found, found[:5]


def test_split_shares_are_about_70_15_15() -> None:
    """The split hash is salted: the training corpus was itself chosen in sha1(id) order."""
    for lang in ("fr", "en"):
        counts = {split: len(_reports([split_path(SILVER, lang, split)])) for split in ("train", "dev", "test")}
        total = sum(counts.values())
        if total < 200:
            continue
        assert 0.62 <= counts["train"] / total <= 0.78, counts
        assert 0.10 <= counts["dev"] / total <= 0.20 and 0.10 <= counts["test"] / total <= 0.20, counts


def test_the_selection_reproduces_every_batch_laid_out(shared: Path, tmp_path: Path) -> None:
    """Raising ``EXTENSION`` appends batches: every batch already in the repository (and coded
    against its ``input.jsonl``) comes out of ``write_batches`` byte for byte."""
    from veille.silver.select import write_batches

    made = dict(write_batches(shared, tmp_path))
    laid_out = sorted(SILVER.glob("batches/*/input.jsonl"))
    assert len(laid_out) == len(made)
    for path in laid_out:
        assert (tmp_path / path.parent.name / "input.jsonl").read_bytes() == path.read_bytes(), path.parent.name
