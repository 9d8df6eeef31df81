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
