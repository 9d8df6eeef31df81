"""Tests for the scorer: the worked example in eval/scoring_case.json and unit cases per rule."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from veille.evaluate.score import (
    GoldDoc,
    GoldEvent,
    dyads,
    format_table,
    load_gold,
    score,
)

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
CASE = SHARED / "eval" / "scoring_case.json"


def _gold_doc(obj: dict, lang: str = "fr") -> GoldDoc:
    def event(e: dict) -> GoldEvent:
        return GoldEvent(
            type=e["type"], actor=tuple(e["actor"]), recipient=tuple(e.get("recipient", ())),
            date=date.fromisoformat(e["date"]) if e.get("date") else None,
            factuality=e.get("factuality", "asserted"),
        )
    return GoldDoc(id=obj["id"], lang=obj.get("lang", lang), text="",
                   events=tuple(event(e) for e in obj["events"]),
                   must_not=tuple(event(e) for e in obj.get("must_not", ())))


def _pred(doc: str, kind: str, actors: list[str], recipients: list[str] = (), **extra) -> dict:
    return {"doc_id": doc, "event": [kind], "actor": [{"code": a} for a in actors],
            "recipient": [{"code": r} for r in recipients], **extra}


def test_score_scoring_case_matches_expected_counts():
    case = json.loads(CASE.read_text(encoding="utf-8"))
    gold = [_gold_doc(d) for d in case["gold"]]
    result = score(gold, case["predictions"]).overall
    expected = case["expected"]
    assert result.tuple.tp == expected["tuple_tp"]
    assert result.tuple.fp == expected["tuple_fp"]
    assert result.tuple.fn == expected["tuple_fn"]
    assert round(result.tuple.f1, 4) == expected["tuple_f1"]
    assert round(result.type.f1, 4) == expected["type_f1"]
    assert result.leaks == expected["boilerplate_leaks"]


@pytest.mark.parametrize(
    ("kind", "actors", "recipients", "expected"),
    [
        ("ACCUSE", ["USAGOV", "JPN"], ["CHN"], {("ACCUSE", "USA", "CHN"), ("ACCUSE", "JPN", "CHN")}),
        ("AID", ["USA"], ["JPN"], {("AID", "USA", "JPN")}),
        ("CONSULT", ["JPNGOV"], ["USAGOV"], {("CONSULT", "JPN", "USA")}),
        ("AGREE", ["USA"], ["JPN"], {("AGREE", "JPN", "USA")}),
        ("COOPERATE", ["USA", "JPN", "KOR"], [],
         {("COOPERATE", "JPN", "USA"), ("COOPERATE", "KOR", "USA"), ("COOPERATE", "JPN", "KOR")}),
        ("CONSULT", ["USA", "USAGOV"], [], {("CONSULT", "USA", "-")}),
        ("CONSULT", ["USA"], [], {("CONSULT", "USA", "-")}),
        ("ACCUSE", ["USA", "JPN"], [], {("ACCUSE", "USA", "-"), ("ACCUSE", "JPN", "-")}),
        ("MOBILIZE", ["PRKMIL"], [], {("MOBILIZE", "PRK", "-")}),
        ("AID", ["IGOUNO"], ["SDN"], {("AID", "IGO", "SDN")}),
        ("AID", [""], ["SDN"], {("AID", "?", "SDN")}),
        ("AID", [], ["SDN"], set()),
        ("aid", ["usa"], [], {("AID", "USA", "-")}),
    ],
)
def test_score_dyads_follow_readme_rules(kind, actors, recipients, expected):
    assert dyads(kind, actors, recipients) == expected


def _one_doc(events: list[dict], must_not: list[dict] = (), lang: str = "fr", doc: str = "d"):
    return _gold_doc({"id": doc, "lang": lang, "events": events, "must_not": list(must_not)})


def test_score_type_only_counts_doc_type_pairs():
    gold = [_one_doc([{"type": "AID", "actor": ["USA"], "recipient": ["JPN"]}])]
    preds = [_pred("d", "AID", ["JPN"], ["USA"]), _pred("d", "AID", ["FRA"], ["USA"])]
    result = score(gold, preds).overall
    assert (result.type.tp, result.type.fp, result.type.fn) == (1, 0, 0)
    assert (result.tuple.tp, result.tuple.fp, result.tuple.fn) == (0, 2, 1)


def test_score_tuple_date_counts_only_day_precision_and_dated_gold():
    gold = [_one_doc([
        {"type": "AID", "actor": ["USA"], "recipient": ["JPN"], "date": "2022-01-07"},
        {"type": "ACCUSE", "actor": ["CHN"], "recipient": ["USA"], "date": None},
    ])]
    preds = [
        _pred("d", "AID", ["USA"], ["JPN"], date="2022-01-07", date_precision="day"),
        _pred("d", "ACCUSE", ["CHN"], ["USA"], date="2022-01-07", date_precision="day"),
    ]
    assert score(gold, preds).overall.tuple_date.to_dict()["f1"] == 1.0
    coarse = [_pred("d", "AID", ["USA"], ["JPN"], date="2022-01-01", date_precision="month")]
    fig = score(gold, coarse).overall.tuple_date
    assert (fig.tp, fig.fp, fig.fn) == (0, 0, 1)
    wrong = [_pred("d", "AID", ["USA"], ["JPN"], date="2022-01-06", date_precision="day")]
    fig = score(gold, wrong).overall.tuple_date
    assert (fig.tp, fig.fp, fig.fn) == (0, 1, 1)


def test_score_factuality_accuracy_over_matched_tuples():
    gold = [_one_doc([
        {"type": "AID", "actor": ["USA"], "recipient": ["JPN"], "factuality": "future"},
        {"type": "ACCUSE", "actor": ["CHN"], "recipient": ["USA"], "factuality": "asserted"},
        {"type": "REJECT", "actor": ["CHN"], "recipient": ["USA"], "factuality": "asserted"},
    ])]
    preds = [
        _pred("d", "AID", ["USA"], ["JPN"], factuality="future"),
        _pred("d", "ACCUSE", ["CHN"], ["USA"], factuality="reported"),
        _pred("d", "SANCTION", ["CHN"], ["USA"], factuality="asserted"),  # unmatched: not counted
    ]
    result = score(gold, preds).overall
    assert (result.factuality_correct, result.factuality_total) == (1, 2)
    assert result.factuality_accuracy == 0.5


def test_score_must_not_counts_as_fp_and_leak():
    gold = [_one_doc([{"type": "AID", "actor": ["USA"], "recipient": ["JPN"]}],
                     must_not=[{"type": "MOBILIZE", "actor": ["JPN"], "recipient": []}])]
    preds = [_pred("d", "MOBILIZE", ["JPNMIL"]), _pred("d", "AID", ["USA"], ["JPN"])]
    result = score(gold, preds).overall
    assert (result.tuple.tp, result.tuple.fp, result.leaks) == (1, 1, 1)


def test_score_per_language_breakdown_sums_to_overall():
    gold = [
        _one_doc([{"type": "AID", "actor": ["USA"], "recipient": ["JPN"]}], lang="fr", doc="a"),
        _one_doc([{"type": "AID", "actor": ["FRA"], "recipient": ["MLI"]}], lang="en", doc="b"),
    ]
    preds = [_pred("a", "AID", ["USA"], ["JPN"]), _pred("b", "AID", ["MLI"], ["FRA"]),
             _pred("zzz", "AID", ["MLI"], ["FRA"])]
    result = score(gold, preds)
    assert result.langs == ("fr", "en")
    assert result.for_lang("fr").tuple.f1 == 1.0
    assert result.for_lang("en").tuple.f1 == 0.0
    assert result.overall.tuple.tp == 1 and result.overall.tuple.fp == 1
    assert result.ignored_predictions == 1
    data = result.to_dict()
    assert data["per_lang"]["fr"]["tuple"]["f1"] == 1.0
    assert json.dumps(data)  # plain JSON


def test_score_empty_predictions_gives_zero_not_error():
    gold = [_one_doc([{"type": "AID", "actor": ["USA"], "recipient": ["JPN"]}])]
    result = score(gold, []).overall
    assert (result.tuple.precision, result.tuple.recall, result.tuple.f1) == (0.0, 0.0, 0.0)
    assert result.tuple.fn == 1


def test_score_format_table_has_rows_and_language_columns():
    gold = [_one_doc([{"type": "AID", "actor": ["USA"], "recipient": ["JPN"]}], lang="fr")]
    table = format_table(score(gold, [_pred("d", "AID", ["USA"], ["JPN"])]))
    header = table.splitlines()[0].split()
    assert header == ["metric", "fr", "all"]
    for row in ("tuple", "type", "tuple+date", "factuality acc", "boilerplate leaks"):
        assert any(line.startswith(row) for line in table.splitlines())
    assert "1.000 1.000 1.000" in table


def test_score_load_gold_reads_seed_files():
    docs = load_gold(SHARED / "eval" / "gold" / "seeds.jsonl")
    assert [d.id for d in docs] == ["000_9230cafe3ed7c3ae", "001_df6c4fd0f17f4fad"]
    assert docs[0].text.lstrip().startswith("date 2022-01")
    assert docs[0].published == date(2022, 1, 7)
    assert docs[0].events[0].date == date(2022, 1, 7)
    assert docs[0].events[4].factuality == "future"


def test_score_load_gold_inline_text_and_errors(tmp_path):
    gold = tmp_path / "g.jsonl"
    gold.write_text('{"id": "x", "lang": "en", "text": "Hello.", "events": []}\n\n', "utf-8")
    assert load_gold(gold)[0].text == "Hello."
    gold.write_text('{"id": "x", "file": "nowhere.txt", "events": []}\n', "utf-8")
    with pytest.raises(FileNotFoundError, match="nowhere.txt"):
        load_gold(gold)
    (tmp_path / "doc.txt").write_text("Texte.", "utf-8")
    gold.write_text('{"id": "x", "file": "doc.txt", "events": []}\n', "utf-8")
    assert load_gold(gold, shared_root=tmp_path)[0].text == "Texte."


def test_score_gold_plover_file_loads_and_self_scores_perfectly():
    docs = load_gold(SHARED / "eval" / "gold" / "plover_gsr_en_dev.jsonl")
    preds = [
        {"doc_id": d.id, "event": [e.type], "actor": [{"code": c} for c in e.actor],
         "recipient": [{"code": c} for c in e.recipient], "factuality": e.factuality}
        for d in docs for e in d.events
    ]
    result = score(docs, preds).overall
    assert result.tuple.f1 == 1.0 and result.type.f1 == 1.0
    assert result.factuality_accuracy == 1.0
