"""Integrity check of a store: every stored fact still points at the text that states it.

Entry function: :func:`check_store`. It opens the store read-only (so it can run while an
ingest writes) and checks, in order:

1. the store opens, has every table and the schema version this code writes;
2. no duplicate document or event ids (the content-hash keys that make ingest idempotent);
3. every document's id is the hash of its text (the text was not altered after storing)
   and its word count agrees with the text;
4. every event points to a stored, coded document, its span lies inside that document's
   text and its evidence equals ``text[start:end]`` (the citation is exact);
5. every actor row belongs to a stored event, its span (unless -1, "not located") lies
   inside the document's text, and the event's denormalised actor codes agree with them.

It returns a list of :class:`Problem`; an empty list means the store is sound. The
``veille check`` command prints them and exits 1 when there are any.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from veille.clean.normalize import document_id
from veille.errors import StoreDamaged, StoreError
from veille.store import SCHEMA_VERSION, TABLES, Store, _has_table, preflight

#: How many offending rows each check names; the count always covers all of them.
SAMPLE = 20
#: Documents re-hashed per fetch (bounded memory on large stores).
CHUNK = 2000


@dataclass(frozen=True, slots=True)
class Problem:
    """One integrity problem: which check failed, where, and what is wrong."""

    check: str  # short name: "open", "schema", "duplicate", "hash", "orphan", "span", "evidence", …
    table: str  # table concerned ("" for the store as a whole)
    key: str | None  # id of the offending row, when there is one
    detail: str

    def message(self) -> str:
        """One line: the check, the row and the problem."""
        where = f"{self.table} {self.key}" if self.key else (self.table or "store")
        return f"{self.check}: {where}: {self.detail}"


#: (check, table, SQL giving (key, detail) rows) — fixed SQL, no user input.
_SQL_CHECKS: tuple[tuple[str, str, str], ...] = (
    ("duplicate", "documents",
     "SELECT id, 'document id stored ' || count(*) || ' times' FROM documents GROUP BY id HAVING count(*) > 1"),
    ("duplicate", "events",
     "SELECT id, 'event id stored ' || count(*) || ' times' FROM events GROUP BY id HAVING count(*) > 1"),
    ("orphan", "events",
     "SELECT e.id, 'points to document ' || coalesce(e.doc_id, 'NULL') || ', which is not stored' "
     "FROM events e LEFT JOIN documents d ON d.id = e.doc_id WHERE d.id IS NULL"),
    ("uncoded", "events",
     "SELECT e.id, 'document ' || d.id || ' is marked not coded (coded = false) but has events' "
     "FROM events e JOIN documents d ON d.id = e.doc_id WHERE NOT coalesce(d.coded, false)"),
    ("span", "events",
     "SELECT e.id, 'span [' || coalesce(e.start_char::VARCHAR, 'NULL') || ', ' "
     "|| coalesce(e.end_char::VARCHAR, 'NULL') || ') outside the document text (length ' "
     "|| length(d.text) || ')' FROM events e JOIN documents d ON d.id = e.doc_id "
     "WHERE e.start_char IS NULL OR e.end_char IS NULL OR e.start_char < 0 "
     "OR e.end_char <= e.start_char OR e.end_char > length(d.text)"),
    ("evidence", "events",
     "SELECT e.id, 'evidence differs from text[' || e.start_char || ':' || e.end_char || ']' "
     "FROM events e JOIN documents d ON d.id = e.doc_id "
     "WHERE e.start_char >= 0 AND e.end_char > e.start_char AND e.end_char <= length(d.text) "
     "AND e.evidence IS DISTINCT FROM substring(d.text, e.start_char + 1, e.end_char - e.start_char)"),
    ("orphan", "event_actors",
     "SELECT a.event_id, 'actor row (' || a.role || ' ' || a.position || ') of an event that is not stored' "
     "FROM event_actors a LEFT JOIN events e ON e.id = a.event_id WHERE e.id IS NULL"),
    ("span", "event_actors",
     "SELECT a.event_id, a.role || ' ' || a.position || ' span [' || a.start_char || ', ' || a.end_char "
     "|| ') outside the document text (length ' || length(d.text) || ')' "
     "FROM event_actors a JOIN events e ON e.id = a.event_id JOIN documents d ON d.id = e.doc_id "
     "WHERE NOT (a.start_char = -1 AND a.end_char = -1) AND (a.start_char IS NULL OR a.end_char IS NULL "
     "OR a.start_char < 0 OR a.end_char <= a.start_char OR a.end_char > length(d.text))"),
    ("duplicate", "event_actors",
     "SELECT event_id, role || ' ' || position || ' stored ' || count(*) || ' times' "
     "FROM event_actors GROUP BY event_id, role, position HAVING count(*) > 1"),
    ("count", "events",
     "SELECT e.id, 'actor_codes ' || coalesce(e.actor_codes, 'NULL') || ' disagree with its ' "
     "|| coalesce(a.n, 0) || ' actor rows' FROM events e LEFT JOIN ("
     "  SELECT event_id, count(*) AS n, string_agg(code, '|' ORDER BY position) AS codes "
     "  FROM event_actors WHERE role = 'actor' GROUP BY event_id) a ON a.event_id = e.id "
     "WHERE coalesce(a.codes, '') IS DISTINCT FROM coalesce(e.actor_codes, '')"),
    ("count", "events",
     "SELECT e.id, 'recipient_codes ' || coalesce(e.recipient_codes, 'NULL') || ' disagree with its ' "
     "|| coalesce(a.n, 0) || ' recipient rows' FROM events e LEFT JOIN ("
     "  SELECT event_id, count(*) AS n, string_agg(code, '|' ORDER BY position) AS codes "
     "  FROM event_actors WHERE role = 'recipient' GROUP BY event_id) a ON a.event_id = e.id "
     "WHERE coalesce(a.codes, '') IS DISTINCT FROM coalesce(e.recipient_codes, '')"),
)


def check_store(path: str | Path) -> list[Problem]:
    """Check a store's integrity; returns the problems found (empty when sound).

    Never raises for a damaged store: a store that cannot be opened is itself a Problem.
    """
    problems: list[Problem] = []
    try:
        preflight(Path(path))
    except StoreDamaged as exc:
        problems.append(Problem("damage", "", None, str(exc)))
    except StoreError as exc:
        return [Problem("open", "", None, f"cannot open the store read-only: {exc}")]
    store = Store(path, verify_blocks=False)  # a damaged store: still show what can be read
    try:
        with store.reader() as con:
            return problems + _check(con, damaged=bool(problems))
    except (StoreError, duckdb.Error) as exc:
        return problems + [Problem("open", "", None, f"cannot open the store read-only: {exc}")]


def _check(con: duckdb.DuckDBPyConnection, damaged: bool = False) -> list[Problem]:
    try:
        problems = _check_schema(con)
    except duckdb.Error as exc:
        return [Problem("read", "meta", None, f"cannot read the schema: {str(exc)[:200]}")]
    if problems:
        return problems  # the other checks need every table
    if damaged:
        problems.extend(_readable_tables(con))
    for check, table, sql in _SQL_CHECKS:
        try:
            problems.extend(_sampled(con, check, table, sql))
        except duckdb.Error as exc:
            problems.append(Problem("read", table, None, f"{check}: cannot be read ({str(exc)[:160]})"))
    try:
        problems.extend(_check_hashes(con))
    except duckdb.Error as exc:
        problems.append(Problem("read", "documents", None, f"hashes: cannot be read ({str(exc)[:160]})"))
    return problems


def _readable_tables(con: duckdb.DuckDBPyConnection) -> list[Problem]:
    """For a damaged store: which tables can still be read in full (what survives)."""
    out = []
    for table in TABLES:
        try:
            rows = con.execute(f"SELECT count(*) FROM (SELECT * FROM {table})").fetchone()[0]  # noqa: S608
            out.append(Problem("survives", table, None, f"{rows:,} rows can be read"))
        except duckdb.Error as exc:
            out.append(Problem("read", table, None, f"cannot be read in full ({str(exc)[:160]})"))
    return out


def _check_schema(con: duckdb.DuckDBPyConnection) -> list[Problem]:
    missing = [t for t in ("meta", *TABLES) if not _has_table(con, t)]
    if missing:
        return [Problem("schema", t, None, "table missing; is this a veille store?") for t in missing]
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if row is None:
        return [Problem("schema", "meta", "schema_version", "no schema version recorded")]
    if row[0] != SCHEMA_VERSION:
        return [Problem("schema", "meta", "schema_version",
                        f"store has schema version {row[0]}, this veille writes {SCHEMA_VERSION}; "
                        "a newer store: upgrade veille; an older one: any ingest into it upgrades it")]
    return []


def _sampled(con: duckdb.DuckDBPyConnection, check: str, table: str, sql: str) -> list[Problem]:
    """Run one check: name the first SAMPLE offenders, then say how many more there are."""
    total = con.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0]  # noqa: S608 (fixed SQL)
    if not total:
        return []
    rows = con.execute(f"{sql} ORDER BY 1 LIMIT {SAMPLE}").fetchall()
    problems = [Problem(check, table, str(key) if key is not None else None, str(detail)) for key, detail in rows]
    if total > SAMPLE:
        problems.append(Problem(check, table, None, f"… and {total - SAMPLE} more rows failing this check"))
    return problems


def _check_hashes(con: duckdb.DuckDBPyConnection) -> list[Problem]:
    """Each document id is the content hash of its text, and ``words`` its word count (streamed)."""
    problems: list[Problem] = []
    bad = {"hash": 0, "count": 0}

    def report(check: str, doc_id: str, detail: str) -> None:
        bad[check] += 1
        if bad[check] <= SAMPLE:
            problems.append(Problem(check, "documents", doc_id, detail))

    cur = con.execute("SELECT id, text, words FROM documents")
    while rows := cur.fetchmany(CHUNK):
        for doc_id, text, words in rows:
            if text is None or document_id(text) != doc_id:
                report("hash", doc_id, "id is not the hash of the stored text (text altered or truncated?)")
            elif words != len(text.split()):
                report("count", doc_id, f"words = {words} but the text has {len(text.split())} words")
    for check, n in bad.items():
        if n > SAMPLE:
            problems.append(Problem(check, "documents", None, f"… and {n - SAMPLE} more rows failing this check"))
    return problems
