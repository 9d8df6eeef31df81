"""The driver, in-process (no worker processes, no NLP): order, skipping, bounded memory."""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path

import pytest

from veille.engines import driver
from veille.engines.driver import Reporter, drive_store
from veille.engines.tasks import Coded, clean_task
from veille.pipeline import PipelineOptions
from veille.records import RawDocument
from veille.store import Store

WORDS = "Le ministre français des Affaires étrangères a rencontré son homologue allemand à Berlin lundi"


class SerialPool:
    """Runs each task when submitted; completes futures in reverse order to shuffle arrivals."""

    def submit(self, fn, *args) -> Future:
        future: Future = Future()
        future.set_result(fn(*args))
        return future

    def wait_any(self, futures: list[Future]) -> set[Future]:
        return {futures[-1]}


def raw(i: int, source: str = "mem") -> RawDocument:
    return RawDocument(source=f"{source}{i}", record=None,
                       content=f"{WORDS} pour la réunion numéro {i}.".encode())


@pytest.fixture
def coded_batches(monkeypatch) -> list[list[str]]:
    """Replace NLP by a recorder: which documents reached the coder."""
    seen: list[list[str]] = []

    def fake_code(documents, options):
        seen.append([d.source for d in documents])
        return Coded([], {d.id for d in documents})

    monkeypatch.setattr(driver, "code_task", fake_code)
    return seen


def run(store: Store, units, window: int = 2):
    options = PipelineOptions(batch_size=2, lang="fr")
    reporter = Reporter(None, None, lambda: None)
    return drive_store(SerialPool(), ((clean_task, (u, options)) for u in units), store, options, window, reporter)


def test_driver_skips_stored_documents_before_nlp(tmp_path: Path, coded_batches) -> None:
    store = Store(tmp_path / "s.duckdb")
    first = run(store, [[raw(0), raw(1)], [raw(2)]])
    assert first.stored == 3
    coded_batches.clear()
    again = run(store, [[raw(0), raw(1)], [raw(2), raw(3)]])
    assert (again.stored, again.duplicates) == (1, 3)
    assert coded_batches == [["mem3"]]


def test_driver_first_occurrence_wins_whatever_the_arrival_order(tmp_path: Path, coded_batches) -> None:
    store = Store(tmp_path / "s.duckdb")
    # the same text from two sources, in two units that complete in reverse order
    stats = run(store, [[raw(0, "first"), raw(1)], [raw(0, "second"), raw(2)]], window=4)
    assert (stats.seen, stats.stored, stats.duplicates) == (4, 3, 1)
    sources = {r[0] for r in store.query("SELECT source FROM documents")}
    assert sources == {"first0", "mem1", "mem2"}
    assert sum(len(b) for b in coded_batches) == 3


def test_driver_keeps_a_bounded_number_of_units_in_flight(tmp_path: Path, coded_batches) -> None:
    pulled: list[int] = []
    written: list[int] = []
    store = Store(tmp_path / "s.duckdb")
    original = store.write_batch

    def write_batch(*args, **kwargs):
        written.append(len(pulled))
        return original(*args, **kwargs)

    store.write_batch = write_batch  # type: ignore[method-assign]

    def units():
        for i in range(12):
            pulled.append(i)
            yield [raw(i)]

    run(store, units(), window=3)
    assert len(written) == 12
    # when batch k is written, at most `window` units have been read beyond it
    assert all(p - k <= 3 for k, p in enumerate(written))


class HoldingPool(SerialPool):
    """Like Dask: a future's result stays with the pool and feeds a task given that future.
    Records what the client sends with each task."""

    remote = True

    def __init__(self) -> None:
        self.sent: list[tuple] = []

    def submit(self, fn, *args) -> Future:
        self.sent.append((fn.__name__, args))
        return super().submit(fn, *(a.result() if isinstance(a, Future) else a for a in args))


def test_a_remote_pool_codes_where_it_cleaned_and_documents_travel_once(tmp_path: Path) -> None:
    from veille.records import Document

    options = PipelineOptions(batch_size=2, lang="fr", code=False)
    units = [[raw(0), raw(1)], [raw(1), raw(2)], [raw(3)]]
    pool = HoldingPool()
    store = Store(tmp_path / "remote.duckdb")
    stats = drive_store(pool, ((clean_task, (u, options)) for u in units), store, options, 2,
                        Reporter(None, None, lambda: None))
    assert (stats.stored, stats.duplicates) == (4, 1)
    names = [name for name, _ in pool.sent]
    assert names.count("summarise_task") == 3 and names.count("code_held_task") == 3
    for _name, args in pool.sent:  # the client never sends a document's text to a worker
        assert not any(isinstance(a, Document) or (isinstance(a, list) and any(isinstance(x, Document) for x in a))
                       for a in args)
    serial = Store(tmp_path / "serial.duckdb")
    drive_store(SerialPool(), ((clean_task, (u, options)) for u in units), serial, options, 2,
                Reporter(None, None, lambda: None))
    query = "SELECT id, source, text FROM documents ORDER BY id"
    assert store.query(query) == serial.query(query)
