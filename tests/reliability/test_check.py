"""``check_store`` and ``veille check``: a sound store passes, each kind of damage is named."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from veille.clean.normalize import document_id
from veille.records import ActorRef, Document, Event
from veille.store import Store
from veille.store.check import check_store

from ._support import run_veille

TEXT = "La France a condamné mardi les essais de missiles. Le Japon a protesté auprès de la Chine."


def _sound_store(path: Path) -> Path:
    doc = Document(id=document_id(TEXT), text=TEXT, lang="fr", lang_supported=True,
                   published=date(2022, 1, 7), date_precision="day", source="t.txt")
    start = TEXT.index("Le Japon")
    actor = ActorRef("JPN", "Japan", "Le Japon", start, start + 8)
    target = ActorRef("CHN", "China", "la Chine", TEXT.index("la Chine"), TEXT.index("la Chine") + 8)
    event = Event(id="e1", doc_id=doc.id, type="PROTEST", mode="", context="", actors=(actor,),
                  recipients=(target,), date=date(2022, 1, 7), date_precision="day", factuality="asserted",
                  confidence=0.9, cameo_root="14", quad_class=4, goldstein=-6.5, sentence=1, start=start,
                  end=len(TEXT), evidence=TEXT[start:], trigger="protesté")
    Store(path).write_batch([doc], [event], coded={doc.id})
    return path


def test_check_sound_store_passes_and_cli_exits_zero(tmp_path: Path) -> None:
    store = _sound_store(tmp_path / "s.duckdb")
    assert check_store(store) == []
    result = run_veille("check", store)
    assert result.returncode == 0 and "ok" in result.stdout


DAMAGE = {
    "evidence": "UPDATE events SET evidence = 'autre chose'",
    "span": "UPDATE events SET end_char = 10000",
    "orphan": "DELETE FROM documents",
    "hash": "UPDATE documents SET text = text || ' ajouté'",
    "count": "UPDATE events SET actor_codes = 'USA'",
    "uncoded": "UPDATE documents SET coded = false",
    "schema": "UPDATE meta SET value = '999' WHERE key = 'schema_version'",
}


@pytest.mark.parametrize("check", sorted(DAMAGE))
def test_check_names_each_kind_of_damage(tmp_path: Path, check: str) -> None:
    store = _sound_store(tmp_path / "s.duckdb")
    con = duckdb.connect(str(store))
    con.execute(DAMAGE[check])
    con.close()
    problems = check_store(store)
    assert check in {p.check for p in problems}, [p.message() for p in problems]
    result = run_veille("check", store)
    assert result.returncode == 1 and f"{check}:" in result.stdout


def test_check_actor_span_outside_text_and_missing_store(tmp_path: Path) -> None:
    store = _sound_store(tmp_path / "s.duckdb")
    con = duckdb.connect(str(store))
    con.execute("UPDATE event_actors SET end_char = 5000 WHERE role = 'actor'")
    con.close()
    assert [p.table for p in check_store(store) if p.check == "span"] == ["event_actors"]
    assert [p.check for p in check_store(tmp_path / "none.duckdb")] == ["open"]
    assert run_veille("check", tmp_path / "none.duckdb").returncode == 1
