"""FastAPI application: the REST API and the dashboard page that reads it.

Every request opens its own short read-only connection (``Store.reader()``), so the
server sees new batches without a restart and an ingest is never kept waiting for
long (see veille.store); during bursts of requests ``veille.web.warm`` keeps the
database instance open so those connections start warm, within a bounded hold. The dashboard (``/``) is static files from this package and
talks only to the API below; its Content-Security-Policy forbids any request outside
the server's own origin and any inline script.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any, Literal

import duckdb
from fastapi import Depends, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles

from veille.errors import StoreError
from veille.store import Store, has_column
from veille.web import errors, extract, keyset, queries
from veille.web.errors import ApiError
from veille.web.filters import (
    CODE_RE,
    DOMAIN_RE,
    FACTUALITY_RE,
    LANG_RE,
    SORT_RE,
    TYPES_RE,
    EventFilters,
    split_list,
)
from veille.web.limits import BodyLimit, SecurityHeaders
from veille.web.warm import WarmReader

log = logging.getLogger(__name__)

MAX_BODY = 1_000_000
MAX_PAGE = 1000

STATIC = files("veille.web").joinpath("static")

Code = Annotated[
    str | None, Query(pattern=CODE_RE, description="code or prefix: USA matches USAGOV")
]


def event_filters(
    request: Request,
    actor: Code = None,
    recipient: Code = None,
    undirected: Annotated[
        bool, Query(description="match actor/recipient in either direction")
    ] = False,
    type: Annotated[
        str | None, Query(pattern=TYPES_RE, description="PLOVER type(s), comma-separated")
    ] = None,
    quad_class: Annotated[int | None, Query(ge=1, le=4)] = None,
    factuality: Annotated[str | None, Query(pattern=FACTUALITY_RE)] = None,
    since: date | None = None,
    until: date | None = None,
    lang: Annotated[str | None, Query(pattern=LANG_RE)] = None,
    domain: Annotated[
        str | None,
        Query(
            pattern=DOMAIN_RE,
            max_length=253,
            description="source URL domain; lemonde.fr matches www.lemonde.fr",
        ),
    ] = None,
    q: Annotated[
        str | None, Query(min_length=1, max_length=200, description="text in the evidence")
    ] = None,
) -> EventFilters:
    """The filter query parameters shared by events, exports, network, map and actors."""
    return EventFilters(
        actor=actor,
        recipient=recipient,
        undirected=undirected,
        types=split_list(type),
        quad_class=quad_class,
        factuality=split_list(factuality),
        since=since,
        until=until,
        lang=lang,
        domain=domain,
        q=q,
        host_column=getattr(request.app.state, "host_column", True),
    )


Filters = Annotated[EventFilters, Depends(event_filters)]


def _csv_stream(chunks: Iterator[list[dict[str, Any]]]) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(queries.CSV_COLUMNS)
    yield buf.getvalue()
    for records in chunks:
        buf.seek(0)
        buf.truncate()
        writer.writerows(queries.flat_record(r) for r in records)
        yield buf.getvalue()


def _jsonl_stream(chunks: Iterator[list[dict[str, Any]]]) -> Iterator[str]:
    for records in chunks:
        yield "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in records)


def _host_column(path: Path) -> bool:
    """Whether the store has documents.host (the domain filter's fast path).

    A store an older veille wrote is migrated once here (a writer for a moment, as an
    ingest would do on its first batch); if that cannot be done (read-only file, an
    ingest holding it), the domain filter reads hosts from URLs instead.
    """
    if not path.exists():
        return True  # created later by this veille, with the column
    try:
        with Store(path, lock_wait=2).reader() as con:
            if has_column(con, "documents", "host") or not has_column(con, "documents", "url"):
                return True
        Store(path, lock_wait=2).create()
        return True
    except (StoreError, duckdb.Error) as exc:
        log.warning("could not check or upgrade store %s for documents.host (%s); "
                    "the domain filter reads hosts from URLs instead", path, exc)
        return False


def create_app(
    store_path: str | Path,
    max_body: int = MAX_BODY,
    extractor: extract.Extractor | None = None,
    warm: bool = True,
    extract_timeout: float | None = None,
) -> FastAPI:
    """The API and dashboard over the store at ``store_path`` (read-only).

    ``max_body`` caps request bodies (413 beyond); ``extractor`` replaces
    ``veille.pipeline.extract_events`` behind POST /api/extract (tests, other coders);
    ``warm=False`` opens every request's connection cold (see veille.web.warm).
    ``extract_timeout`` runs the default extractor in a worker process stopped after that
    many seconds (``veille serve`` does; see veille.web.isolate).
    """
    isolated = None
    if extractor is None and extract_timeout is not None:
        from veille.web.isolate import IsolatedExtractor

        isolated = extractor = IsolatedExtractor(extract_timeout)
    warm_reader = WarmReader(Store(store_path))
    store = warm_reader if warm else Store(store_path)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        warm_reader.open()
        if isolated is not None:
            isolated.start()
        yield
        warm_reader.close()
        if isolated is not None:
            isolated.close()

    app = FastAPI(
        lifespan=lifespan,
        title="veille",
        summary="Who did what to whom, when and where: PLOVER events from your news corpus.",
        version="0.1.0",
        docs_url=None,  # Swagger UI loads from a CDN; the dashboard must stay on its own origin
        redoc_url=None,
    )
    errors.install(app)
    app.add_middleware(BodyLimit, max_bytes=max_body)
    app.add_middleware(SecurityHeaders)
    app.state.store = store
    app.state.warm_reader = warm_reader
    app.state.isolated_extractor = isolated
    app.state.host_column = _host_column(Path(store_path))

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(str(STATIC.joinpath("index.html")), media_type="text/html")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        return FileResponse(str(STATIC.joinpath("favicon.svg")), media_type="image/svg+xml")

    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    @app.get("/api/summary", tags=["store"])
    def get_summary() -> dict[str, Any]:
        """Counts of documents and events, languages, date range."""
        with store.reader() as con:
            return queries.summary(con)

    @app.get("/api/events", tags=["events"])
    def list_events(
        filters: Filters,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
        offset: Annotated[int, Query(ge=0)] = 0,
        sort: Annotated[str, Query(pattern=SORT_RE)] = "-date",
        format: Literal["json", "csv", "jsonl"] = "json",
        cursor: Annotated[
            str | None,
            Query(max_length=2000, description="next_cursor of the previous page (keyset paging: "
                  "deep pages cost what the first does; use instead of offset)"),
        ] = None,
    ) -> Any:
        """Events matching the filters: a page as JSON, or every match streamed as CSV / JSON Lines.

        Each JSON page carries ``next_cursor``; pass it back as ``cursor`` (same filters
        and sort) for the next page. ``offset`` still works for jumping to a page number.
        """
        if format != "json":
            chunks = queries.export_chunks(store.reader, filters, sort)
            # Read the first chunk before the status line goes out: a store that cannot be
            # read answers 503 with its reason, not a 200 cut short.
            first = next(chunks, None)
            chunks = itertools.chain([first] if first is not None else [], chunks)
            stream = _csv_stream(chunks) if format == "csv" else _jsonl_stream(chunks)
            media = (
                "text/csv; charset=utf-8"
                if format == "csv"
                else "application/x-ndjson; charset=utf-8"
            )
            return StreamingResponse(
                stream,
                media_type=media,
                headers={"Content-Disposition": f'attachment; filename="events.{format}"'},
            )
        after = None
        if cursor is not None:
            if offset:
                raise ApiError(422, "validation_error", "give either cursor or offset, not both")
            try:
                after = keyset.decode(sort, cursor)
            except keyset.BadCursor as exc:
                raise ApiError(422, "validation_error", str(exc)) from exc
        with store.reader() as con:
            total = queries.count_events(con, filters)
            items, next_cursor = (
                queries.page_with_cursor(con, filters, sort, limit, offset, after)
                if offset < total else ([], None)
            )
        return {"total": total, "items": items, "limit": limit, "offset": offset, "next_cursor": next_cursor}

    @app.get("/api/events/{event_id}", tags=["events"])
    def get_event(event_id: Annotated[str, PathParam(max_length=200)]) -> dict[str, Any]:
        """One event: contract record, evidence with actor spans, its document, merged mentions."""
        with store.reader() as con:
            record = queries.event_detail(con, event_id)
        if record is None:
            raise ApiError(404, "not_found", f"no event with id {event_id!r}")
        return record

    @app.get("/api/documents/{doc_id}", tags=["documents"])
    def get_document(doc_id: Annotated[str, PathParam(max_length=200)]) -> dict[str, Any]:
        """A document's cleaned text and metadata, with the spans of its events and actors."""
        with store.reader() as con:
            doc = queries.document_detail(con, doc_id)
        if doc is None:
            raise ApiError(404, "not_found", f"no document with id {doc_id!r}")
        return doc

    @app.get("/api/dyads/{a}/{b}/timeline", tags=["analysis"])
    def dyad_timeline(
        a: Annotated[str, PathParam(pattern=CODE_RE)],
        b: Annotated[str, PathParam(pattern=CODE_RE)],
        filters: Filters,
        by: Literal["day", "week", "month", "year"] = "month",
    ) -> dict[str, Any]:
        """Events between a and b per period: a→b, b→a, and joint (both actors, no recipient).

        Codes are prefixes (USA matches USAGOV); ``undated`` counts events without a date.
        """
        with store.reader() as con:
            result = queries.dyad_timeline(con, a, b, by, filters)
        periods = result["periods"]
        return {
            "a": a,
            "b": b,
            "by": by,
            "total": sum(p["total"] for p in periods),
            "undated": result["undated"],
            "periods": periods,
        }

    @app.get("/api/actors", tags=["analysis"])
    def list_actors(
        filters: Filters,
        prefix: Annotated[str | None, Query(pattern=r"^[A-Z]{1,9}$")] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    ) -> dict[str, Any]:
        """Actor codes by number of events, with their top partners."""
        with store.reader() as con:
            items = queries.actors(con, filters, prefix, limit)
        return {"items": items}

    @app.get("/api/network", tags=["analysis"])
    def get_network(
        filters: Filters,
        level: Literal["code", "country"] = "code",
        max_edges: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 150,
    ) -> dict[str, Any]:
        """Weighted actor→recipient graph of the events matching the filters."""
        with store.reader() as con:
            return queries.network(con, filters, level, max_edges)

    @app.get("/api/locations", tags=["analysis"])
    def get_locations(filters: Filters) -> dict[str, Any]:
        """Event counts per location country and per located place (for the map)."""
        with store.reader() as con:
            return queries.locations(con, filters)

    @app.get("/api/alerts", tags=["alerts"])
    def list_alerts(limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100) -> dict[str, Any]:
        """The latest alerts fired by `veille watch --alerts` (newest first), with their events."""
        with store.reader() as con:
            return queries.alerts(con, limit)

    @app.post("/api/extract", tags=["extract"])
    async def post_extract(body: extract.ExtractRequest) -> dict[str, Any]:
        """Code a pasted report (text or HTML) and return its events, without storing anything."""
        return await extract.run(body, extractor)

    return app
