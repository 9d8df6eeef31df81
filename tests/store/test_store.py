from dataclasses import replace
from datetime import date

import duckdb
import pytest

from veille.errors import StoreError
from veille.records import ActorRef, Document, Event, Rejection
from veille.store import SCHEMA_VERSION, Store
from veille.store.export import export


def _doc(i: int, lang: str = "fr") -> Document:
    return Document(id=f"d{i:015d}", text=f"Texte numéro {i}. Les États-Unis ont rencontré le Japon.", lang=lang,
                    lang_supported=lang in ("fr", "en"), published=date(2022, 1, 7), date_precision="day",
                    title=f"Titre {i}", url=f"https://example.org/{i}", source=f"file{i}.txt")


def _event(doc: Document, n: int = 0) -> Event:
    return Event(id=f"{doc.id}-e{n}", doc_id=doc.id, type="CONSULT", mode="", context="",
                 actors=(ActorRef("USA", "United States", "Les États-Unis", 20, 34),),
                 recipients=(ActorRef("JPN", "Japan", "le Japon", 46, 54),),
                 date=date(2022, 1, 7), date_precision="day", factuality="asserted", confidence=0.8,
                 cameo_root="04", quad_class=1, goldstein=1.0, sentence=1, start=17, end=55,
                 evidence=doc.text[17:55], trigger="rencontré")


def test_store_write_is_idempotent(tmp_path):
    store = Store(tmp_path / "s.duckdb")
    docs = [_doc(i) for i in range(3)]
    events = [_event(d) for d in docs]
    rej = [Rejection("bad.txt", None, "empty file")]
    assert store.write_batch(docs, events, rej) == 3
    assert store.write_batch(docs, events, rej) == 0
    assert store.counts() == {"documents": 3, "events": 3, "event_actors": 6, "rejected": 1}


def test_store_known_ids(tmp_path):
    store = Store(tmp_path / "s.duckdb")
    assert store.known_ids(["x"]) == set()
    store.write_batch([_doc(1)])
    assert store.known_ids([_doc(1).id, "other"]) == {_doc(1).id}


def test_store_unsupported_language_is_stored_uncoded(tmp_path):
    store = Store(tmp_path / "s.duckdb")
    store.write_batch([_doc(1, "de")])
    assert store.query("SELECT lang, lang_supported, coded FROM documents") == [("de", False, False)]


def test_store_reader_on_missing_store_says_what_to_do(tmp_path):
    with pytest.raises(StoreError, match="veille ingest"):
        with Store(tmp_path / "none.duckdb").reader():
            pass


def test_store_failed_batch_rolls_back(tmp_path, monkeypatch):
    import pyarrow as pa

    import veille.store as store_module

    store = Store(tmp_path / "s.duckdb")
    store.write_batch([_doc(1)])
    # An events table DuckDB refuses (wrong columns) fails the batch after its documents were inserted.
    monkeypatch.setattr(store_module, "_events_tables", lambda events: (pa.table({"x": [1]}), pa.table({"y": [1]})))
    with pytest.raises(StoreError, match="rolled back"):
        store.write_batch([_doc(2)], [_event(_doc(2))])
    assert store.counts()["documents"] == 1


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_store_export_one_file_per_table(tmp_path, fmt):
    store = Store(tmp_path / "s.duckdb")
    d = _doc(1)
    store.write_batch([d], [_event(d)], [Rejection("x.txt", "line 2", "invalid JSON")])
    written = export(store, fmt, tmp_path / "out")
    assert set(written) == {"documents", "events", "event_actors", "rejected"}
    if fmt == "parquet":
        assert duckdb.sql(f"SELECT count(*) FROM '{written['events']}'").fetchone()[0] == 1
    if fmt == "jsonl":
        import json

        record = json.loads(written["events"].read_text().splitlines()[0])
        assert record["event"] == ["CONSULT"] and record["actor"][0]["code"] == "USA"
        assert record["text_info"]["text"] == d.text[17:55] and record["cite_info"]["published"] == "2022-01-07"


def _downgrade_to_v1(path) -> None:
    """What a store written by veille before documents.host looks like."""
    con = duckdb.connect(str(path))
    con.execute("ALTER TABLE documents DROP COLUMN host")
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    con.close()


def test_store_records_url_host(tmp_path):
    store = Store(tmp_path / "s.duckdb")
    odd = replace(_doc(2), id="d2", url="HTTPS://user@WWW.Example.ORG:8443/a?b")
    store.write_batch([_doc(1), odd, replace(_doc(3), url=None)])
    assert dict(store.query("SELECT id, host FROM documents")) == {
        "d000000000000001": "example.org", "d2": "www.example.org", "d000000000000003": None}


def test_store_upgrades_a_v1_store_on_write(tmp_path):
    from veille.store.check import check_store as check

    path = tmp_path / "old.duckdb"
    store = Store(path)
    store.write_batch([_doc(1), _doc(2)])
    _downgrade_to_v1(path)
    assert any(p.check == "schema" for p in check(path))
    store.write_batch([_doc(3)])  # any write migrates first
    assert sorted(r[0] for r in store.query("SELECT host FROM documents")) == ["example.org"] * 3
    assert store.query("SELECT value FROM meta WHERE key = 'schema_version'") == [(SCHEMA_VERSION,)]
    assert not [p for p in check(path) if p.check == "schema"]


@pytest.mark.parametrize("url", [
    "https://www.Lemonde.fr/a", "  http://user@a@b.com:80/x", "http://[::1]:8080/", "ftp://x.org", "nope",
    "HTTPS://user@WWW.Example.ORG:8443/a?b", "http://example.com?x=1", "http://example.com#f", "",
])
def test_url_host_same_in_python_and_in_the_migration_sql(url):
    from veille.store import HOST_SQL, url_host

    con = duckdb.connect()
    assert con.execute(f"SELECT {HOST_SQL} FROM (SELECT ? AS url)", [url]).fetchone()[0] == url_host(url)


def test_store_refuses_a_store_from_a_newer_veille(tmp_path):
    path = tmp_path / "new.duckdb"
    store = Store(path)
    store.write_batch([_doc(1)])
    con = duckdb.connect(str(path))
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(StoreError, match="newer veille"):
        store.write_batch([_doc(2)])
    assert store.query("SELECT value FROM meta WHERE key = 'schema_version'") == [("99",)]


def test_store_upgrades_a_v3_store_with_actor_via(tmp_path):
    """Schema 3 → 4: event_actors gains ``via``; old rows read as empty, new rows keep theirs."""
    path = tmp_path / "v3.duckdb"
    store = Store(path)
    d1, d2 = _doc(1), _doc(2)
    store.write_batch([d1], [_event(d1)])
    con = duckdb.connect(str(path))
    con.execute("DROP INDEX event_actors_event")
    con.execute("ALTER TABLE event_actors DROP COLUMN via")
    con.execute("CREATE INDEX event_actors_event ON event_actors(event_id)")
    con.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    con.close()
    told = replace(_event(d2), actors=(ActorRef("CHN", "China", "Le pays", 0, 7, via="coreference: 'Le pays' → 'la Chine'"),))
    store.write_batch([d2], [told])
    rows = dict(store.query("SELECT event_id, coalesce(via, '') FROM event_actors WHERE role = 'actor'"))
    assert rows[told.id].startswith("coreference") and rows[_event(d1).id] == ""
    assert store.query("SELECT value FROM meta WHERE key = 'schema_version'") == [(SCHEMA_VERSION,)]
