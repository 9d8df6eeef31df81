"""Parquet partitions: what distributed workers write instead of the DuckDB store.

Layout under the output directory (a local path or an fsspec URL such as ``s3://…``)::

    documents/month=2019-09/part-000003-b00000.parquet   (by publication year-month)
    events/month=2019-09/part-000003-b00000.parquet      (by event year-month)
    event_actors/month=2019-09/part-000003-b00000.parquet (by their event's year-month)
    rejected/part-000003-b00000.parquet

``month=unknown`` holds rows without a date. Columns are exactly the store's columns
(the same Arrow builders), so :func:`load` is a plain ``INSERT … SELECT``. Each file
name derives from its shard and batch, so re-running a shard overwrites its files
rather than adding copies. A document repeated in two shards appears in both; ``load``
keeps the first (in shard order), as the single-process ingest does. DuckDB can also
query the partitions in place, without loading::

    SELECT type, month, count(*) FROM read_parquet('out/events/*/*.parquet',
        hive_partitioning = true) GROUP BY ALL ORDER BY ALL;
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from veille.errors import StoreError, UsageError
from veille.records import Document, Event, Rejection
from veille.store import HOST_SQL, Store, _documents_table, _events_tables, stats

PARTITIONED = ("documents", "events", "event_actors")


def month_key(day: date | None) -> str:
    """Partition value for a date: ``YYYY-MM``, or ``unknown``."""
    return f"{day.year:04d}-{day.month:02d}" if day else "unknown"


def _filesystem(out: str):
    """(pyarrow filesystem or None, root path) for a local directory or an fsspec URL."""
    if "://" not in out:
        return None, out
    import fsspec
    from pyarrow.fs import FSSpecHandler, PyFileSystem

    fs, root = fsspec.core.url_to_fs(out)
    return PyFileSystem(FSSpecHandler(fs)), root


def _write(table: pa.Table, fs, path: str) -> None:
    if fs is None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    else:
        fs.create_dir(path.rsplit("/", 1)[0], recursive=True)
    pq.write_table(table, path, filesystem=fs, compression="zstd")


def _split(table: pa.Table, months: list[str]) -> dict[str, pa.Table]:
    """Rows of a table grouped by their month key (order kept within a month)."""
    keys = pa.array(months, pa.string())
    return {m: table.filter(pa.compute.equal(keys, m)) for m in sorted(set(months))}


def write_partitions(out: str, part: str, documents: Sequence[Document], events: Sequence[Event],
                     rejections: Sequence[Rejection], coded: set[str]) -> list[str]:
    """Write one batch's rows as Parquet files named ``part``; returns the paths written."""
    import pyarrow.compute  # noqa: F401  (registers pa.compute)

    fs, root = _filesystem(out)
    root = root.rstrip("/")
    now = datetime.now(UTC).replace(tzinfo=None)
    written: list[str] = []
    tables: list[tuple[str, pa.Table, list[str]]] = []
    if documents:
        tables.append(("documents", _documents_table(documents, coded, now),
                       [month_key(d.published) for d in documents]))
    if events:
        ev, actors = _events_tables(events)
        by_event = {e.id: month_key(e.date) for e in events}
        tables.append(("events", ev, [month_key(e.date) for e in events]))
        if actors.num_rows:
            tables.append(("event_actors", actors,
                           [by_event[i] for i in actors.column("event_id").to_pylist()]))
    for name, table, months in tables:
        for month, rows in _split(table, months).items():
            path = f"{root}/{name}/month={month}/{part}.parquet"
            _write(rows, fs, path)
            written.append(path)
    if rejections:
        path = f"{root}/rejected/{part}.parquet"
        _write(pa.table({
            "file": pa.array([r.source for r in rejections], pa.string()),
            "record": pa.array([r.record for r in rejections], pa.string()),
            "reason": pa.array([r.reason for r in rejections], pa.string()),
            "time": pa.array([now] * len(rejections), pa.timestamp("us")),
        }), fs, path)
        written.append(path)
    return written


def _glob(directory: Path, name: str) -> str | None:
    pattern = f"{name}/*/*.parquet" if name in PARTITIONED else f"{name}/*.parquet"
    return str(directory / pattern) if any(directory.glob(pattern)) else None


#: Part name (shard, batch) of a file path: the order in which the inputs were given.
_PART = "regexp_extract(filename, '[^/]*$')"


def load(store: Store, directory: str | Path) -> dict[str, int]:
    """Load Parquet partitions into a store, in one transaction; returns new rows per table.

    Idempotent: documents and events already stored are skipped; a document present in
    several partitions is loaded once (the first in shard order), with its events.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise UsageError(f"{directory}: not a directory of Parquet partitions (from --parquet-out)")
    docs, events, actors, rejected = (_glob(directory, n) for n in (*PARTITIONED, "rejected"))
    if not (docs or rejected):
        raise UsageError(f"{directory}: no documents/ or rejected/ Parquet files found; "
                         "give the directory passed to --parquet-out")
    store.create()
    counts = {"documents": 0, "events": 0, "event_actors": 0, "rejected": 0}
    with store.writer() as con:
        try:
            con.execute("BEGIN TRANSACTION")
            if docs:
                before = con.execute("SELECT count(*) FROM documents").fetchone()[0]
                con.execute(
                    # by name: partitions an older veille wrote lack documents.host (filled below)
                    "INSERT INTO documents BY NAME SELECT * EXCLUDE (filename, file_row_number) FROM "
                    "read_parquet(?, hive_partitioning = false, filename = true, file_row_number = true, "
                    "union_by_name = true) p "
                    "WHERE p.id NOT IN (SELECT id FROM documents) "
                    f"QUALIFY row_number() OVER (PARTITION BY p.id ORDER BY {_PART}, file_row_number) = 1",
                    [docs])
                counts["documents"] = con.execute("SELECT count(*) FROM documents").fetchone()[0] - before
                con.execute(f"UPDATE documents SET host = {HOST_SQL} WHERE host IS NULL AND url IS NOT NULL")
            if events:
                con.execute(
                    "CREATE TEMP TABLE new_events AS SELECT *, " + _PART + " AS part FROM "
                    "read_parquet(?, hive_partitioning = false, filename = true, file_row_number = true) p "
                    "WHERE p.id NOT IN (SELECT id FROM events) "
                    f"QUALIFY row_number() OVER (PARTITION BY p.id ORDER BY {_PART}, file_row_number) = 1",
                    [events])
                con.execute("INSERT INTO events SELECT * EXCLUDE (filename, file_row_number, part) FROM new_events")
                counts["events"] = con.execute("SELECT count(*) FROM new_events").fetchone()[0]
                if actors:
                    # Actor rows come from the same file as the event row that was kept.
                    con.execute(
                        "INSERT INTO event_actors BY NAME SELECT a.* EXCLUDE (filename, file_row_number) FROM "
                        "read_parquet(?, hive_partitioning = false, filename = true, file_row_number = true, "
                        "union_by_name = true) a "
                        "JOIN new_events n ON n.id = a.event_id AND n.part = regexp_extract(a.filename, '[^/]*$') "
                        "ORDER BY a.event_id, a.role, a.position", [actors])
                    counts["event_actors"] = con.execute(
                        "SELECT count(*) FROM event_actors WHERE event_id IN (SELECT id FROM new_events)"
                    ).fetchone()[0]
                # the summary tables count the loaded events, like an ingest's batches
                con.execute("CREATE TEMP TABLE new_event_ids AS SELECT id FROM new_events")
                stats.add_batch(con, "new_event_ids")
                con.execute("DROP TABLE new_event_ids")
                con.execute("DROP TABLE new_events")
            if rejected:
                before = con.execute("SELECT count(*) FROM rejected").fetchone()[0]
                con.execute(
                    "INSERT INTO rejected SELECT DISTINCT ON (file, coalesce(record, ''), reason) * "
                    "FROM read_parquet(?) r WHERE NOT EXISTS (SELECT 1 FROM rejected x WHERE x.file = r.file "
                    "AND coalesce(x.record, '') = coalesce(r.record, '') AND x.reason = r.reason)", [rejected])
                counts["rejected"] = con.execute("SELECT count(*) FROM rejected").fetchone()[0] - before
            con.execute("COMMIT")
        except duckdb.Error as exc:
            con.execute("ROLLBACK")
            raise StoreError(f"loading {directory} into {store.path} failed and was rolled back: {exc}") from exc
    return counts
