"""Typed, frozen records passed between pipeline stages.

Each stage takes one of these and returns the next: readers give ``RawDocument`` (or a
``Rejection``), the cleaner gives ``Document``, the coder gives ``Event`` records whose
actors are ``ActorRef``. Character offsets always refer to ``Document.text``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from veille.textsafe import safe_opt, safe_str

#: Precision of a date: how much of it the source really states.
PRECISIONS = ("day", "week", "month", "year", "unknown")

#: Factuality of an event as the text states it.
FACTUALITIES = ("asserted", "future", "hypothetical", "negated", "reported")

#: PLOVER 2.0 event types.
PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)


@dataclass(frozen=True, slots=True)
class Declared:
    """Metadata a container states about a report (JSONL fields, header line, WARC headers)."""

    id: str | None = None
    url: str | None = None
    date: str | None = None  # as written: "2022-01", "2022-01-07", an ISO timestamp …
    title: str | None = None
    lang: str | None = None

    def __post_init__(self) -> None:
        # JSON may hold lone surrogates ("\ud800"): they cannot be stored or printed.
        for name in ("id", "url", "date", "title", "lang"):
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, safe_str(value))


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One report as a reader found it, before any cleaning.

    ``content`` is bytes when the reader could not know the encoding (files), str when
    the container already decoded it (JSON Lines). ``kind`` is "text" or "html".
    """

    source: str  # file path, URL, or "-" for stdin
    record: str | None  # position inside the source: "line 12", "record 3", or None
    content: bytes | str
    kind: str = "text"
    declared: Declared = field(default_factory=Declared)

    def source_name(self) -> str:
        """The source as it can be stored and printed (a non-UTF-8 file name escaped)."""
        return safe_str(self.source)


@dataclass(frozen=True, slots=True)
class Rejection:
    """A report (or a whole file) that could not be used, and why."""

    source: str
    record: str | None
    reason: str

    def __post_init__(self) -> None:
        # A file name that is not valid UTF-8 (surrogate escapes) is stored escaped: "bad_\xff.txt".
        object.__setattr__(self, "source", safe_str(self.source))
        object.__setattr__(self, "record", safe_opt(self.record))
        object.__setattr__(self, "reason", safe_str(self.reason))

    def message(self) -> str:
        """One line naming the file, the record and the problem."""
        where = f"{self.source}:{self.record}" if self.record else self.source
        return f"rejected {where}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Document:
    """A cleaned, dated, language-tagged report. ``id`` is the hash of the normalised text."""

    id: str
    text: str
    lang: str
    lang_supported: bool
    published: date | None
    date_precision: str  # one of PRECISIONS
    title: str | None = None
    url: str | None = None
    source: str = ""
    record: str | None = None
    ext_id: str | None = None  # id given by the input (JSONL ``id``), if any
    date_source: str = "none"  # header, declared, html, dateline, none

    def __post_init__(self) -> None:
        # Names and metadata from outside may carry lone surrogates; the text is already clean.
        for name in ("title", "url", "source", "record", "ext_id"):
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, safe_str(value))

    @property
    def words(self) -> int:
        return len(self.text.split())

    def published_iso(self) -> str | None:
        return self.published.isoformat() if self.published else None


@dataclass(frozen=True, slots=True)
class ActorRef:
    """An actor taking part in an event: its code (may be empty for unknown entities)."""

    code: str  # "USAGOV", "JPN", "IGOUNO" … or "" when the entity is not in the tables
    name: str  # display name: "United States", "Antony Blinken"
    text: str  # surface text in the document
    start: int = -1  # character offsets in Document.text, -1 when not located
    end: int = -1
    via: str = ""  # how the code was found when the words alone do not say it: the antecedent of a
    # pronoun or description ("coreference: 'le pays' → 'la Chine'"), or where a generic actor's
    # country came from ("country: dateline 'KYIV'"); "" when the mention names the actor itself


@dataclass(frozen=True, slots=True)
class Location:
    name: str
    country: str | None = None  # ISO alpha-3
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """One coded event, traced to the sentence and characters that state it."""

    id: str
    doc_id: str
    type: str  # PLOVER type
    mode: str
    context: str
    actors: tuple[ActorRef, ...]
    recipients: tuple[ActorRef, ...]
    date: date | None
    date_precision: str
    factuality: str
    confidence: float
    cameo_root: str
    quad_class: int
    goldstein: float
    sentence: int  # index of the sentence in the document
    start: int  # character span of the evidence sentence in Document.text
    end: int
    evidence: str
    trigger: str
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class IngestStats:
    """What one ingest run did."""

    seen: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    events: int = 0
    seconds: float = 0.0
    started: datetime | None = None
