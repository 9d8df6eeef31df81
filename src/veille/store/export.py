"""Export every table of a store to Parquet, CSV or JSON Lines: one file per table.

Events in JSON Lines follow the output contract (nested actors and citation); in
Parquet and CSV they are the flat ``events`` table plus ``event_actors``.
"""

from __future__ import annotations

from pathlib import Path

from veille.errors import UsageError
from veille.store import TABLES, Store, _has_table
from veille.store.read import dumps, iter_event_records

FORMATS = {"parquet": "(FORMAT parquet)", "csv": "(FORMAT csv, HEADER true)", "jsonl": "(FORMAT json)"}


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def export(store: Store, fmt: str, outdir: str | Path) -> dict[str, Path]:
    """Write ``outdir/<table>.<ext>`` for each table; returns the files written."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    with store.reader() as con:
        for table in TABLES:
            if not _has_table(con, table):
                continue
            target = out / f"{table}.{fmt}"
            if fmt == "jsonl" and table == "events":
                with open(target, "w", encoding="utf-8") as fh:
                    for record in iter_event_records(con):
                        fh.write(dumps(record) + "\n")
            else:
                # Table names are fixed identifiers; the path is quoted, never interpolated raw.
                con.execute(f"COPY {table} TO {_quoted(target)} {FORMATS[fmt]}").fetchall()
            written[table] = target
    return written
