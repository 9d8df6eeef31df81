"""The silver validation script: what it refuses, what it fixes, the spans it adds."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from veille.silver.validate import validate_file
from veille.silver.vocabulary import code_problem

REPO = Path(__file__).resolve().parents[2]
TEXT = ("Washington a condamné vendredi les manœuvres de la Chine autour de Taïwan. "
        "Pékin a rejeté ces critiques.\nLa police a arrêté trois manifestants à Lyon.")
REPORT = {"id": "t/1", "lang": "fr", "published": "2022-01-07", "title": "T", "text": TEXT, "source": "test"}


def _event(**over) -> dict:
    event = {"type": "ACCUSE", "mode": "disapprove", "actor": ["USAGOV"], "actor_text": ["Washington"],
             "recipient": ["CHN"], "recipient_text": ["la Chine"], "trigger": "a condamné",
             "evidence": "Washington a condamné vendredi les manœuvres de la Chine autour de Taïwan.",
             "date": "2022-01-07", "factuality": "asserted"}
    event.update(over)
    return event


def _write(tmp_path: Path, events: list[dict], with_input: bool = True) -> Path:
    folder = tmp_path / "b"
    folder.mkdir(exist_ok=True)
    if with_input:
        (folder / "input.jsonl").write_text(json.dumps(REPORT, ensure_ascii=False) + "\n", encoding="utf-8")
    path = folder / "A.jsonl"
    path.write_text(json.dumps({**REPORT, "events": events}, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def test_valid_events_get_character_spans(tmp_path: Path) -> None:
    path = _write(tmp_path, [
        _event(),
        _event(type="REJECT", mode="", actor=["CHNGOV"], actor_text=["Pékin"], recipient=["USAGOV"],
               recipient_text=["Washington"], trigger="rejeté", evidence="Pékin a rejeté ces critiques."),
        _event(type="COERCE", mode="arrest", actor=["FRACOP"], actor_text=["La police"], recipient=["FRACVL"],
               recipient_text=["trois manifestants"], trigger="arrêté", date=None,
               evidence="La police a arrêté trois manifestants à Lyon."),
    ])
    report = validate_file(path)
    assert report.ok, report.errors
    events = json.loads(path.read_text(encoding="utf-8"))["events"]
    for event in events:
        start, end = event["evidence_span"]
        assert TEXT[start:end] == event["evidence"]
        start, end = event["trigger_span"]
        assert TEXT[start:end] == event["trigger"]
        for mention, span in zip(event["actor_text"] + event["recipient_text"],
                                 event["actor_spans"] + event["recipient_spans"]):
            assert TEXT[span[0]:span[1]] == mention
    # the recipient of the REJECT is named in the sentence before: the nearest earlier mention
    assert events[1]["recipient_spans"] == [[0, 10]]


def test_folded_quotes_and_spaces_are_matched_and_set_to_the_texts_characters(tmp_path: Path) -> None:
    path = _write(tmp_path, [_event(evidence="Washington  a condamné vendredi les manœuvres de la Chine "
                                             "autour de Taïwan.")])
    report = validate_file(path)
    assert report.ok and report.notes
    assert json.loads(path.read_text(encoding="utf-8"))["events"][0]["evidence"].startswith("Washington a")


@pytest.mark.parametrize("change, message", [
    ({"type": "CONDEMN"}, "not one of the 16"),
    ({"mode": "arest"}, "not a mode of ACCUSE"),
    ({"factuality": "likely"}, "factuality"),
    ({"date": "2022-13-01"}, "not a real day"),
    ({"date": "07/01/2022"}, "YYYY-MM-DD"),
    ({"actor": ["FRAPOL"]}, "unknown sector"),
    ({"actor": ["XYZ"]}, "not an ISO"),
    ({"actor": []}, "actor is empty"),
    ({"actor_text": ["Le Kremlin"]}, "not in the text"),
    ({"recipient_text": []}, "as long as recipient"),
    ({"trigger": "a rejeté"}, "not inside the evidence"),
    ({"evidence": "Washington a condamné la Russie."}, "evidence not found"),
    ({"recipient": ["USAGOV"], "recipient_text": ["Washington"]}, "both actor and recipient"),
    ({"extra": 1}, "unknown keys"),
])
def test_refusals(tmp_path: Path, change: dict, message: str) -> None:
    report = validate_file(_write(tmp_path, [_event(**change)]))
    assert not report.ok
    assert any(message in e for e in report.errors), report.errors


def test_duplicates_and_changed_reports_are_refused(tmp_path: Path) -> None:
    report = validate_file(_write(tmp_path, [_event(), _event()]))
    assert any("duplicate of event 1" in e for e in report.errors)
    path = _write(tmp_path, [_event()])
    obj = json.loads(path.read_text(encoding="utf-8"))
    obj["text"] = obj["text"].replace("Lyon", "Lille")
    path.write_text(json.dumps(obj, ensure_ascii=False) + "\n", encoding="utf-8")
    assert any("differs from input.jsonl" in e for e in validate_file(path).errors)


def test_codes() -> None:
    for good in ("USA", "USAGOV", "FRACOPCRM", "IGOUNO", "IMGISI", "---CRM", "XKX", "HKGCVL"):
        assert code_problem(good) is None, good
    for bad in ("usa", "US", "USAGOVMILCOP", "---", "IGO", "FRAXXX", ""):
        assert code_problem(bad), bad


def test_script_runs_with_the_standard_library_only(tmp_path: Path) -> None:
    path = _write(tmp_path, [_event()])
    result = subprocess.run([sys.executable, "-S", "-I", str(REPO / "scripts" / "silver.py"), "validate", str(path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK" in result.stdout
