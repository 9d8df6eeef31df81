"""POST /api/extract: code one pasted report with the real pipeline, store nothing.

The pipeline (``veille.pipeline.extract_events``) loads spaCy models, so it is
imported on first use; while it is missing or broken the endpoint answers 503 in the
one error shape and the rest of the API works.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from datetime import date as _date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from veille.records import Document, Rejection
from veille.web.errors import ApiError


class ExtractRequest(BaseModel):
    """A report to code: exactly one of ``text`` or ``html``, with optional metadata."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(default=None, description="plain text of the report")
    html: str | None = Field(default=None, description="HTML of the page")
    lang: str | None = Field(
        default=None, pattern=r"^[a-z]{2}$", description="ISO 639-1; detected if absent"
    )
    date: str | None = Field(
        default=None,
        pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$",
        description="publication date YYYY[-MM[-DD]]",
    )
    coder: Literal["auto", "learned", "rules"] | None = Field(
        default=None, description="event coder: learned, rules (the baseline) or auto (the default)")
    url: str | None = Field(default=None, max_length=2000)
    title: str | None = Field(default=None, max_length=1000)

    @field_validator("date")
    @classmethod
    def _real_date(cls, value: str | None) -> str | None:
        """"2024-13-45" matches the pattern but is no date: refuse it (422), never guess another."""
        if value is None:
            return value
        parts = [int(p) for p in value.split("-")]
        try:
            _date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
        except ValueError as exc:
            raise ValueError(f"date {value!r} is not a real date ({exc})") from None
        return value

    @model_validator(mode="after")
    def _one_content(self) -> ExtractRequest:
        if (self.text is None) == (self.html is None):
            raise ValueError("give exactly one of 'text' or 'html'")
        if not (self.text or self.html or "").strip():
            raise ValueError("the report is empty")
        return self


def _pipeline_function() -> Any:
    try:
        module = importlib.import_module("veille.pipeline")
        return module.extract_events
    except (ImportError, AttributeError) as exc:
        raise ApiError(
            503,
            "pipeline_unavailable",
            f"event extraction is not available in this installation: {exc}",
        ) from exc


def document_summary(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "title": doc.title,
        "url": doc.url,
        "lang": doc.lang,
        "lang_supported": doc.lang_supported,
        "published": doc.published_iso(),
        "date_precision": doc.date_precision,
        "date_source": doc.date_source,
        "words": doc.words,
        "text": doc.text,
    }


Extractor = Callable[..., tuple[Document | Rejection, list[dict[str, Any]]]]


async def run(body: ExtractRequest, extractor: Any = None) -> dict[str, Any]:
    """Events of the report (contract records) and the cleaned document their offsets refer to.

    ``extractor`` has the signature of ``veille.pipeline.extract_events`` (the default), or
    is an async callable with it (``veille.web.isolate.IsolatedExtractor``: a worker process
    and a time limit). A plain function runs in a thread.
    """
    import anyio

    extract_events = extractor or _pipeline_function()
    kind = "text" if body.text is not None else "html"
    raw = body.text if body.text is not None else body.html
    args = (raw, kind, body.lang, body.date, body.url, body.title) + ((body.coder,) if body.coder else ())
    from veille.web.isolate import IsolatedExtractor

    if inspect.iscoroutinefunction(extract_events) or isinstance(extract_events, IsolatedExtractor):
        result, events = await extract_events(*args)
    else:
        result, events = await anyio.to_thread.run_sync(lambda: extract_events(*args))
    if isinstance(result, Rejection):
        raise ApiError(422, "report_rejected", result.reason)
    return {"document": document_summary(result), "events": list(events)}
