"""Store: one DuckDB file holding documents, rejections and events.

Entry point: :class:`Store`. Only this package talks to DuckDB.

Concurrency design (DuckDB lets one process open a file read-write and, while it
does, nobody else may open it): every connection is short. The writer opens the file
for one batch, writes it in one transaction through Arrow, and closes it; readers open
it read-only for one query and close it. Both retry while the other holds the file, so
the web server and CLI queries work while an ingest runs, and a reader never sees a
half-written batch (a batch is one transaction; a killed run loses at most the batch
in flight, which the next run redoes because its documents are not stored yet).
"""

from __future__ import annotations

import struct
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import pyarrow as pa

from veille.errors import NotAStore, StoreDamaged, StoreError, StoreLocked, StoreUnwritable
from veille.records import Document, Event, Rejection
from veille.store import stats, turnstile

SCHEMA_VERSION = "4"
TABLES = ("documents", "events", "event_actors", "rejected")
LOCK_WAIT_S = 30.0

#: Every connection veille opens: never load or download a DuckDB extension. An SQLite file
#: given as the store made DuckDB fetch its sqlite extension from the network.
CONNECT_CONFIG = {"autoload_known_extensions": False, "autoinstall_known_extensions": False}

#: A DuckDB file: three 4 KiB headers ("DUCK" at byte 8), then its blocks.
_HEADER_BYTES = 3 * 4096
_MAGIC = b"DUCK"
_FOREIGN = ((b"SQLite format 3\x00", "an SQLite database"), (b"PAR1", "a Parquet file"),
            (b"PK\x03\x04", "a ZIP archive"), (b"\x1f\x8b", "a gzip file"))
_DAMAGE_HINT = ("Restore it from a copy (or re-ingest into a new file); `veille check {path}` shows "
                "which tables can still be read.")


def preflight(path: Path, blocks: bool = True) -> None:
    """Refuse a file that is not a DuckDB store, or one cut short, before DuckDB opens it.

    Cheap: one stat and the 12 KiB of headers. A store is whole blocks after its headers;
    a file that ends inside a block *and* is shorter than its newest valid database header
    says was cut (a truncated copy or download). Either alone is normal: a write that
    failed on a full disk leaves a partial block past the end, and a checkpoint may drop
    free blocks at the end that the header still counts. A store cut exactly at a block
    boundary passes here and is caught when a query reads past the end (``Store.reader``).
    A truncated store opened anyway gave wrong answers (counts from metadata) or
    IOExceptions deep inside queries.
    """
    try:
        size = path.stat().st_size
        if size == 0:
            return  # a new, empty file: the writer makes it a store
        with path.open("rb") as fh:
            head = fh.read(_HEADER_BYTES)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreUnwritable(f"cannot read store {path}: {exc.strerror or exc}. Check the path and permissions.") from exc
    if head[8:12] != _MAGIC:
        what = next((name for magic, name in _FOREIGN if head.startswith(magic)), "not a DuckDB file")
        raise NotAStore(f"{path} is not a veille store ({what}). Give a .duckdb file made by "
                        "`veille ingest`, or a new file name to create one.")
    if not blocks:
        return
    header = _newest_header(head)
    if header is None:
        if len(head) < _HEADER_BYTES:
            raise StoreDamaged(f"store {path} is damaged: {size:,} bytes, shorter than its headers "
                               "(the file was cut short). " + _DAMAGE_HINT.format(path=path))
        return  # a header layout this check does not know: let DuckDB judge
    count, block = header
    expected = _HEADER_BYTES + count * block
    if (size - _HEADER_BYTES) % block and size < expected:
        raise StoreDamaged(f"store {path} is damaged: {size:,} bytes, ending inside a block, where its "
                           f"header announces {expected:,} (the file was cut short). "
                           + _DAMAGE_HINT.format(path=path))


_CHECKSUM_FACTOR = 0xBF58476D1CE4E5B9
_U64 = (1 << 64) - 1


def _header_checksum(body: bytes) -> int:
    """DuckDB's checksum of a header block (its 64-bit words multiplied and xored)."""
    result = 5381
    for (word,) in struct.iter_unpack("<Q", body):
        result ^= (word * _CHECKSUM_FACTOR) & _U64
    return result


def _newest_header(head: bytes) -> tuple[int, int] | None:
    """(block count, block size) of the valid database header with the highest iteration.

    The two database headers (at 4 KiB and 8 KiB) start with: checksum of the rest of the
    4 KiB, iteration, meta block, free list, block count, block allocation size (64-bit LE).
    """
    if len(head) < _HEADER_BYTES:
        return None
    best = None
    for offset in (4096, 8192):
        checksum, iteration, _, _, count, block = struct.unpack_from("<6Q", head, offset)
        if checksum != _header_checksum(head[offset + 8:offset + 4096]):
            continue
        if block < 4096 or block & (block - 1) or count > 1 << 40:
            return None
        if best is None or iteration > best[0]:
            best = (iteration, count, block)
    return None if best is None else best[1:]


def _is_damage(exc: duckdb.Error) -> bool:
    text = str(exc).lower()
    return isinstance(exc, (duckdb.IOException, duckdb.InternalException, duckdb.SerializationException)) \
        and not _is_lock_error(exc) and any(
            w in text for w in ("corrupt", "checksum", "could not read", "read ", "truncat", "serializ",
                                "block", "out of range", "invalid", "magic"))


def _schema_sql() -> str:
    return files("veille.store").joinpath("schema.sql").read_text(encoding="utf-8") + stats.SCHEMA


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text or "conflicting" in text or "already open" in text


class Store:
    """A DuckDB file. Connections are opened per batch / per query (see module doc)."""

    def __init__(self, path: str | Path, lock_wait: float = LOCK_WAIT_S, verify_blocks: bool = True) -> None:
        self.path = Path(path)
        self.lock_wait = lock_wait
        self.verify_blocks = verify_blocks  # False only for `veille check`, to see what survives

    # -- connections -------------------------------------------------------------------
    def _connect(self, read_only: bool) -> duckdb.DuckDBPyConnection:
        preflight(self.path, blocks=self.verify_blocks)
        deadline = time.monotonic() + self.lock_wait
        delay = 0.02
        while True:
            try:
                return duckdb.connect(str(self.path), read_only=read_only, config=CONNECT_CONFIG)
            except duckdb.IOException as exc:
                if not _is_lock_error(exc):
                    if _is_damage(exc):
                        raise StoreDamaged(f"store {self.path} is damaged: {exc}. "
                                           + _DAMAGE_HINT.format(path=self.path)) from exc
                    raise StoreUnwritable(
                        f"cannot open store {self.path}: {exc}. Check the path and permissions."
                    ) from exc
                if time.monotonic() > deadline:
                    raise StoreLocked(
                        f"store {self.path} is held by another process for over {self.lock_wait:.0f} s;"
                        " wait for it to finish or use another file"
                    ) from exc
                time.sleep(delay)
                delay = min(delay * 2, 0.5)

    @contextmanager
    def reader(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-only connection for one query (fails clearly if the store does not exist)."""
        if not self.path.exists():
            raise StoreError(f"no store at {self.path}; create one with `veille ingest {self.path} INPUTS`")
        with turnstile.reading(self.path, self.lock_wait):
            con = self._connect(read_only=True)
            try:
                yield con
            except duckdb.Error as exc:
                if _is_damage(exc):
                    raise StoreDamaged(f"store {self.path} is damaged: {str(exc)[:300]}. "
                                       + _DAMAGE_HINT.format(path=self.path)) from exc
                raise
            finally:
                con.close()

    @contextmanager
    def writer(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-write connection for one batch; creates the schema on first use."""
        if self.path.parent and not self.path.parent.exists():
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreUnwritable(
                    f"cannot create the folder of store {self.path}: {exc.strerror or exc}."
                    " Choose a writable location."
                ) from exc
        with turnstile.writing(self.path, self.lock_wait):
            con = self._connect(read_only=False)
            try:
                try:
                    _run(con, _schema_sql())
                    _migrate(con)
                except StoreError:
                    raise
                except duckdb.Error as exc:
                    raise StoreUnwritable(f"cannot prepare store {self.path}: {exc}. {_WRITE_HINT}") from exc
                yield con
            except BaseException:
                _close_quietly(con)  # the error in flight says what went wrong
                raise
            else:
                try:
                    con.close()  # may checkpoint: a full disk can fail here
                except duckdb.Error as exc:
                    raise StoreError(f"closing store {self.path} failed: {exc}. {_WRITE_HINT}") from exc

    def create(self) -> None:
        with self.writer():
            pass

    # -- writing -----------------------------------------------------------------------
    def known_ids(self, ids: Sequence[str]) -> set[str]:
        """Which of these document ids are already stored (to skip NLP work on them)."""
        if not ids or not self.path.exists():
            return set()
        with self.reader() as con:
            if not _has_table(con, "documents"):
                return set()
            rows = con.execute("SELECT id FROM documents WHERE list_contains(?, id)", [list(ids)]).fetchall()
        return {r[0] for r in rows}

    def write_batch(
        self,
        documents: Sequence[Document],
        events: Sequence[Event] = (),
        rejections: Sequence[Rejection] = (),
        coded: set[str] | None = None,
        also: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
    ) -> int:
        """Write one batch in one transaction; returns how many documents were new.

        ``also`` writes more rows in the same transaction (``veille watch`` records the URLs
        the batch came from, so a URL is remembered exactly when its document is stored)."""
        now = datetime.now(UTC).replace(tzinfo=None)
        coded = coded if coded is not None else {d.id for d in documents if d.lang_supported}
        with self.writer() as con:
            try:
                _run(con, "BEGIN TRANSACTION")
                before = con.execute("SELECT count(*) FROM documents").fetchall()[0][0]
                if documents:
                    con.register("batch_docs", _documents_table(documents, coded, now))
                    _run(con, "INSERT OR IGNORE INTO documents BY NAME SELECT * FROM batch_docs")
                    con.unregister("batch_docs")
                if events:
                    ev, actors = _events_tables(events)
                    con.register("batch_events", ev)
                    # Events not stored yet (a resumed run may bring some again): the summary
                    # tables count each event once.
                    _run(con, "CREATE OR REPLACE TEMP TABLE batch_new_ids AS SELECT b.id FROM batch_events b "
                              "WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = b.id)")
                    _run(con, "INSERT OR IGNORE INTO events SELECT * FROM batch_events")
                    con.unregister("batch_events")
                    con.register("batch_actors", actors)
                    _run(
                        con,
                        "INSERT INTO event_actors BY NAME SELECT a.* FROM batch_actors a "
                        "WHERE NOT EXISTS (SELECT 1 FROM event_actors e WHERE e.event_id = a.event_id)"
                    )
                    con.unregister("batch_actors")
                    stats.add_batch(con, "batch_new_ids")
                    _run(con, "DROP TABLE batch_new_ids")
                for rej in rejections:
                    _run(
                        con,
                        "INSERT INTO rejected SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM rejected"
                        " WHERE file = ? AND coalesce(record, '') = ? AND reason = ?)",
                        [rej.source, rej.record, rej.reason, now, rej.source, rej.record or "", rej.reason],
                    )
                if also is not None:
                    also(con)
                after = con.execute("SELECT count(*) FROM documents").fetchall()[0][0]
                _run(con, "COMMIT")
            except duckdb.Error as exc:
                try:
                    _run(con, "ROLLBACK")
                except duckdb.Error:
                    pass  # a failed COMMIT has already rolled back; nothing is half-written
                raise StoreError(
                    f"writing a batch to {self.path} failed and was rolled back: {exc}. {_WRITE_HINT}"
                ) from exc
        return after - before

    # -- reading -----------------------------------------------------------------------
    def query(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        with self.reader() as con:
            return con.execute(sql, list(params)).fetchall()

    def query_df(self, sql: str, params: Sequence[object] = ()):
        with self.reader() as con:
            return con.execute(sql, list(params)).df()

    def counts(self) -> dict[str, int]:
        with self.reader() as con:
            return {
                t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]  # noqa: S608 (fixed names)
                for t in TABLES
                if _has_table(con, t)
            }


#: What to do when a write fails (full disk, lost permission): nothing stored is lost.
_WRITE_HINT = ("Free disk space or fix permissions, then re-run the same command: documents already"
               " stored are intact and the rest resumes where it stopped")


#: SQL for the host of documents.url (the same value ``url_host`` gives in Python).
HOST_SQL = ("nullif(regexp_extract(trim(lower(url)), "
            "'^[a-z][a-z0-9+.-]*://(?:[^/?#]*@)?(\\[[^\\]]*\\]|[^/:?#\\[]+)', 1), '')")


def url_host(url: str | None) -> str | None:
    """Lower-cased host of a URL, without port or user info; None when there is none."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if host and ":" in host:
        host = f"[{host}]"  # an IPv6 literal, bracketed as HOST_SQL reads it
    return host or None


def _migrate(con: duckdb.DuckDBPyConnection) -> None:
    """Bring a store written by an older veille to SCHEMA_VERSION (inside the writer).

    1 → 2: documents.host, filled from url.
    2 → 3: the summary tables of veille.store.stats, filled from the events.
    3 → 4: event_actors.via (how a code was found), empty for the events already stored.
    """
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    try:
        found = int(row[0]) if row is not None else 0  # 0: a store being created now
    except ValueError:
        found = -1
    if found == int(SCHEMA_VERSION):
        return
    if found > int(SCHEMA_VERSION) or found < 0:
        raise StoreError(f"store has schema version {row[0] if row else '?'}, this veille writes "
                         f"{SCHEMA_VERSION}: it was written by a newer veille; upgrade veille to use it")
    _run(con, "BEGIN TRANSACTION")
    _run(con, "ALTER TABLE documents ADD COLUMN IF NOT EXISTS host VARCHAR")
    _run(con, "ALTER TABLE event_actors ADD COLUMN IF NOT EXISTS via VARCHAR")
    _run(con, f"UPDATE documents SET host = {HOST_SQL} WHERE host IS NULL AND url IS NOT NULL")  # noqa: S608
    stats.rebuild(con)
    _run(con, "INSERT OR REPLACE INTO meta VALUES ('stats', 'on')")
    _run(con, "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])
    _run(con, "COMMIT")


def has_column(con: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    """Whether ``table`` has ``column`` (a reader on a store an older veille wrote may lack one)."""
    return bool(con.execute(
        "SELECT count(*) FROM information_schema.columns WHERE table_name = ? AND column_name = ?",
        [table, column]).fetchone()[0])


def _close_quietly(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.close()
    except duckdb.Error:
        pass  # already failing; the original error is the one to report


def _run(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[object] = ()) -> None:
    """Execute a statement and consume its result (DuckDB 2 requires it before the next one)."""
    con.execute(sql, list(params)).fetchall()


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(
        con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]).fetchall()[0][0]
    )


def _documents_table(documents: Sequence[Document], coded: set[str], now: datetime) -> pa.Table:
    return pa.table(
        {
            "id": [d.id for d in documents],
            "ext_id": [d.ext_id for d in documents],
            "url": [d.url for d in documents],
            "source": [d.source for d in documents],
            "record": [d.record for d in documents],
            "title": [d.title for d in documents],
            "published": pa.array([d.published for d in documents], pa.date32()),
            "date_precision": [d.date_precision for d in documents],
            "date_source": [d.date_source for d in documents],
            "lang": [d.lang for d in documents],
            "lang_supported": [d.lang_supported for d in documents],
            "coded": [d.id in coded for d in documents],
            "words": pa.array([d.words for d in documents], pa.int32()),
            "text": [d.text for d in documents],
            "ingested_at": pa.array([now] * len(documents), pa.timestamp("us")),
            "host": [url_host(d.url) for d in documents],
        }
    )


def _events_tables(events: Sequence[Event]) -> tuple[pa.Table, pa.Table]:
    def col(fn, typ=None):
        return pa.array([fn(e) for e in events], typ)

    ev = pa.table(
        {
            "id": col(lambda e: e.id),
            "doc_id": col(lambda e: e.doc_id),
            "date": col(lambda e: e.date, pa.date32()),
            "date_precision": col(lambda e: e.date_precision),
            "type": col(lambda e: e.type),
            "mode": col(lambda e: e.mode),
            "context": col(lambda e: e.context),
            "factuality": col(lambda e: e.factuality),
            "confidence": col(lambda e: float(e.confidence), pa.float64()),
            "cameo_root": col(lambda e: e.cameo_root),
            "quad_class": col(lambda e: e.quad_class, pa.int32()),
            "goldstein": col(lambda e: float(e.goldstein), pa.float64()),
            "sentence": col(lambda e: e.sentence, pa.int32()),
            "start_char": col(lambda e: e.start, pa.int32()),
            "end_char": col(lambda e: e.end, pa.int32()),
            "evidence": col(lambda e: e.evidence),
            "trigger": col(lambda e: e.trigger),
            "location_name": col(lambda e: e.location.name if e.location else None, pa.string()),
            "location_country": col(lambda e: e.location.country if e.location else None, pa.string()),
            "lat": col(lambda e: e.location.lat if e.location else None, pa.float64()),
            "lon": col(lambda e: e.location.lon if e.location else None, pa.float64()),
            "actor_codes": col(lambda e: "|".join(a.code for a in e.actors)),
            "recipient_codes": col(lambda e: "|".join(a.code for a in e.recipients)),
        }
    )
    rows: dict[str, list] = {k: [] for k in ("event_id", "role", "position", "code", "name", "text", "start_char", "end_char", "via")}
    for e in events:
        for role, group in (("actor", e.actors), ("recipient", e.recipients)):
            for i, a in enumerate(group):
                for key, value in zip(rows, (e.id, role, i, a.code, a.name, a.text, a.start, a.end, a.via)):
                    rows[key].append(value)
    actors = pa.table(
        {
            "event_id": pa.array(rows["event_id"], pa.string()),
            "role": pa.array(rows["role"], pa.string()),
            "position": pa.array(rows["position"], pa.int32()),
            "code": pa.array(rows["code"], pa.string()),
            "name": pa.array(rows["name"], pa.string()),
            "text": pa.array(rows["text"], pa.string()),
            "start_char": pa.array(rows["start_char"], pa.int32()),
            "end_char": pa.array(rows["end_char"], pa.int32()),
            "via": pa.array(rows["via"], pa.string()),
        }
    )
    return ev, actors
