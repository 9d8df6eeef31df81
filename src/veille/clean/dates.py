"""Publication date of a report, and the date expressions both date stages look for.

Three things live here:

- ``parse_declared_date``: a date a container states (text header, JSONL field, HTML
  metadata, WARC header), as written: "2022-01", "2022-01-07", an ISO timestamp …
- ``find_dateline``: the date a report states about itself in its first lines or its
  last lines ("07.01.2022, Sputnik France", "publié le mardi 17 septembre 2019 à 22h10",
  "Published 3 March 2021"). Only those lines are read: a date in the body is about an
  event, not about the report, and dateparser's ``search_dates`` over whole articles
  turns "mer" into Wednesday (see DESIGN.md), so none of that here.
- ``merge_dates``: the two together; a finer dateline consistent with a coarser declared
  date wins (header "2022-01" + dateline "07.01.2022" → 2022-01-07, day).

The words (months, weekdays, publication cues …) come from ``lang/<code>/date_words.tsv``;
``find_mentions`` gives every date expression of a text with the fields the event-date
resolver (``veille.events.dates``) needs.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache
from importlib import resources
from types import MappingProxyType

#: Columns of date_words.tsv, and the kinds of word it lists.
DATE_WORD_COLUMNS = ("form", "kind", "value")
DATE_WORD_KINDS = frozenset({
    "month", "weekday", "relday", "period", "modifier", "daypart", "year_prep", "ordinal",
    "pub_cue", "numeric_order",
})

#: Languages with a date-word table; other or unknown languages use all of them.
TABLE_LANGS = ("fr", "en")

#: How fine a precision is (larger is finer).
_FINENESS = MappingProxyType({"unknown": 0, "year": 1, "month": 2, "week": 3, "day": 4})

#: How much of the start and of the end of a text may hold a dateline.
HEAD_CHARS = 600
HEAD_LINES = 6
TAIL_LINES = 3


@dataclass(frozen=True, slots=True)
class DateWords:
    """One language's date words, lower case: form → value for each kind."""

    months: Mapping[str, int]
    weekdays: Mapping[str, int]
    reldays: Mapping[str, int]
    periods: Mapping[str, tuple[str, int]]  # "la semaine dernière" → ("week", -1)
    modifiers: Mapping[str, int]  # "dernier" → -1, "prochain" → 1
    dayparts: frozenset[str]
    year_preps: frozenset[str]
    ordinals: frozenset[str]
    pub_cues: Mapping[str, str]  # "publié le" → "published", "mis à jour le" → "updated"
    numeric_order: str  # "dmy" or "mdy": how "1/7/2022" reads


@dataclass(frozen=True, slots=True)
class Mention:
    """One date expression found in a text, with the parts it states.

    ``kind`` is "date" (day, month and possibly year: "3 décembre 2024", "Dec. 3",
    "07.01.2022"), "monthyear" ("janvier 2022"), "month" ("en janvier"), "year"
    ("en 2019"), "relday" ("hier"), "period" ("cette semaine"), "weekday" ("lundi soir",
    "dimanche dernier"). ``offset`` is the relday/period/modifier offset.
    """

    kind: str
    start: int
    end: int
    text: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    offset: int = 0
    unit: str | None = None  # for periods: week, month, year


# --------------------------------------------------------------------------- tables


def _table_path(lang: str):
    return resources.files("veille").joinpath("lang", lang, "date_words.tsv")


@lru_cache(maxsize=8)
def load_date_word_rows(lang: str) -> tuple[tuple[str, str, str], ...]:
    """Rows (form, kind, value) of one language's date-word table, forms lower-cased."""
    with _table_path(lang).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return tuple(
            (word_key(row["form"]), row["kind"].strip(), row["value"].strip())
            for row in reader if row.get("form")
        )


def word_key(text: str) -> str:
    """How a date word is looked up: lower case, straight apostrophe, hyphens as spaces."""
    return re.sub(r"[\s\-]+", " ", text.strip().lower().replace("’", "'"))


def _table_langs(lang: str | None) -> tuple[str, ...]:
    code = (lang or "").lower()[:2]
    return (code,) if code in TABLE_LANGS else TABLE_LANGS


@lru_cache(maxsize=8)
def date_words(lang: str | None) -> DateWords:
    """The date words of a language (all tables merged when it has none of its own)."""
    months: Mapping[str, int] = {}
    weekdays: Mapping[str, int] = {}
    reldays: Mapping[str, int] = {}
    periods: Mapping[str, tuple[str, int]] = {}
    modifiers: Mapping[str, int] = {}
    dayparts: set[str] = set()
    year_preps: set[str] = set()
    ordinals: set[str] = set()
    pub_cues: Mapping[str, str] = {}
    order = "dmy"
    langs = _table_langs(lang)
    for code in langs:
        for form, kind, value in load_date_word_rows(code):
            if kind == "month":
                months[form] = int(value)
            elif kind == "weekday":
                weekdays[form] = int(value)
            elif kind == "relday":
                reldays[form] = int(value)
            elif kind == "period":
                unit, _, shift = value.partition(":")
                periods[form] = (unit, int(shift))
            elif kind == "modifier":
                modifiers[form] = int(value)
            elif kind == "daypart":
                dayparts.add(form)
            elif kind == "year_prep":
                year_preps.add(form)
            elif kind == "ordinal":
                ordinals.add(form)
            elif kind == "pub_cue":
                pub_cues[form] = value
            elif kind == "numeric_order" and len(langs) == 1:
                order = form
    frozen = MappingProxyType
    return DateWords(frozen(months), frozen(weekdays), frozen(reldays), frozen(periods),
                     frozen(modifiers), frozenset(dayparts), frozenset(year_preps),
                     frozenset(ordinals), frozen(pub_cues), order)


# --------------------------------------------------------------------------- patterns


def _alternation(forms) -> str:
    """A regex alternation of word forms, longest first; spaces and apostrophes are loose."""
    parts = []
    for form in sorted(set(forms), key=len, reverse=True):
        escaped = re.escape(form)
        escaped = escaped.replace(r"\ ", r"[\s-]+").replace("'", "['’]")
        parts.append(escaped)
    return "|".join(parts) if parts else r"(?!x)x"


@dataclass(frozen=True, slots=True)
class _Patterns:
    words: DateWords
    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    cue: re.Pattern[str]


@lru_cache(maxsize=8)
def _patterns(lang: str | None) -> _Patterns:
    words = date_words(lang)
    b, e = r"(?<![\w])", r"(?![\w])"
    month = rf"(?P<month>{_alternation(words.months)})\.?"
    weekday = rf"(?P<weekday>{_alternation(words.weekdays)})"
    ordinal = rf"(?:{_alternation(words.ordinals)})?"
    day = rf"(?P<day>[0-3]?\d){ordinal}(?![\d\w])"
    year = r"(?P<year>(?:1[89]|20)\d\d)(?!\d)"
    opt_weekday = rf"(?:{weekday},?\s+)?"
    modifier = _alternation(words.modifiers)
    daypart = _alternation(words.dayparts)
    prep = _alternation(words.year_preps)
    flags = re.IGNORECASE
    specs = (
        ("iso", r"(?<![\d/.-])(?P<year>\d{4})-(?P<mnum>\d{1,2})-(?P<day>\d{1,2})(?![\d])"),
        ("numeric", r"(?<![\d/.-])(?P<a>\d{1,2})([./])(?P<b>\d{1,2})\2(?P<year>\d{4})(?![\d])"),
        ("dmy", rf"{b}{opt_weekday}{day}\s+{month}(?:,?\s+{year})?{e}"),
        ("mdy", rf"{b}{opt_weekday}{month}\s+{day}(?:,?\s+{year})?{e}"),
        ("monthyear", rf"{b}{month}\s+{year}{e}"),
        ("month", rf"{b}(?:{prep})[\s-]+{month}{e}(?!\s*\d)"),
        ("year", rf"{b}(?:{prep})\s+{year}{e}"),
        ("period", rf"{b}(?P<period>{_alternation(words.periods)}){e}"),
        ("relday", rf"{b}(?P<relday>{_alternation(words.reldays)}){e}"),
        ("weekday", (rf"{b}(?:(?P<pre>{modifier})\s+)?{weekday}(?:\s+(?:{daypart}))?"
                     rf"(?:\s+(?P<post>{modifier}))?{e}")),
    )
    compiled = tuple((name, re.compile(src, flags)) for name, src in specs)
    cue = re.compile(rf"{b}(?P<cue>{_alternation(words.pub_cues)}){e}[\s:,-]*$", flags)
    return _Patterns(words, compiled, cue)


def _valid(year: int | None, month: int | None, day: int | None) -> bool:
    try:
        date(year or 2000, month or 1, day or 1)
    except ValueError:
        return False
    return True


def _mention(name: str, match: re.Match[str], words: DateWords) -> Mention | None:
    """Turn one regex match into a Mention (None for impossible dates)."""
    groups = {k: v for k, v in match.groupdict().items() if v is not None}
    start, end, text = match.start(), match.end(), match.group(0)
    year = int(groups["year"]) if "year" in groups else None
    if name in ("iso", "numeric"):
        if name == "iso":
            month, day = int(groups["mnum"]), int(groups["day"])
        else:
            a, b = int(groups["a"]), int(groups["b"])
            day, month = (a, b) if words.numeric_order == "dmy" else (b, a)
            if month > 12 and day <= 12:  # the other reading is the only possible one
                day, month = month, day
        if not _valid(year, month, day):
            return None
        return Mention("date", start, end, text, year=year, month=month, day=day)
    month = words.months.get(word_key(groups.get("month", "").rstrip(".")))
    weekday = words.weekdays.get(word_key(groups.get("weekday", "")))
    if name in ("dmy", "mdy"):
        day = int(groups["day"])
        if not _valid(year, month, day) or day == 0:
            return None
        return Mention("date", start, end, text, year=year, month=month, day=day, weekday=weekday)
    if name == "monthyear":
        return Mention("monthyear", start, end, text, year=year, month=month)
    if name == "month":
        return Mention("month", start, end, text, month=month)
    if name == "year":
        return Mention("year", start, end, text, year=year)
    if name == "period":
        unit, shift = words.periods[word_key(groups["period"])]
        return Mention("period", start, end, text, offset=shift, unit=unit)
    if name == "relday":
        return Mention("relday", start, end, text, offset=words.reldays[word_key(groups["relday"])])
    modifier = groups.get("pre") or groups.get("post")
    shift = words.modifiers.get(word_key(modifier), 0) if modifier else 0
    return Mention("weekday", start, end, text, weekday=weekday, offset=shift)


def find_mentions(text: str, lang: str | None) -> list[Mention]:
    """Every date expression in ``text``, longest first where they overlap, in text order.

    Meant for a sentence or a few lines, never a whole article (see the module doc). The
    coders date every event of a sentence from the same sentence: the last sentences' results
    are kept (mentions are frozen records).
    """
    return list(_find_mentions(text, lang))


@lru_cache(maxsize=1024)
def _find_mentions(text: str, lang: str | None) -> tuple[Mention, ...]:
    compiled = _patterns(lang)
    found: list[Mention] = []
    for name, pattern in compiled.patterns:
        for match in pattern.finditer(text):
            mention = _mention(name, match, compiled.words)
            if mention is not None:
                found.append(mention)
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[Mention] = []
    for mention in found:
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return tuple(kept)


# --------------------------------------------------------------------------- declared dates

_DECLARED = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*$")
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")


def parse_declared_date(value: str | None) -> tuple[date, str] | None:
    """A date as a container states it → (date, precision), or None when unusable.

    "2022" → year, "2022-01" → month, "2022-01-07", "20220107", ISO timestamps,
    RFC 2822 dates ("Fri, 07 Jan 2022 10:00:00 GMT") and "07.01.2022" → day. "unknown",
    empty strings and impossible dates ("2022-13") give None.
    """
    if not value or not str(value).strip():
        return None
    text = str(value).strip()
    match = _DECLARED.match(text) or _COMPACT.match(text)
    if match:
        year, month, day = (int(g) if g else None for g in match.groups())
        if not _valid(year, month, day) or not 1000 <= year <= 2999:
            return None
        precision = "day" if day else "month" if month else "year"
        return date(year, month or 1, day or 1), precision
    try:
        return datetime.fromisoformat(text).date(), "day"
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).date(), "day"
    except (TypeError, ValueError, IndexError):
        pass
    mentions = [m for m in find_mentions(text, None) if m.kind == "date" and m.year]
    if len(mentions) == 1 and mentions[0].end - mentions[0].start >= len(text) - 2:
        m = mentions[0]
        return date(m.year, m.month, m.day), "day"
    return None


# --------------------------------------------------------------------------- datelines

_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
#: What may follow a dateline on its line: nothing, or a separator then a short tail
#: (a source name, a time) without sentence punctuation.
_AFTER = re.compile(r"^\s*(?:[-–—,|:•·/à]\s*[^.!?]{0,40}|\d{1,2}[:h]\d{2}.{0,20}|[(\[].{0,30}|[^.!?]{0,40})$",
                    re.IGNORECASE)
#: What may precede a dateline: an ellipsis or separator closing a lead, or a short prefix.
_BEFORE_SEP = re.compile(r"(?:\.\.\.|…|[-–—|,•·:])\s*$")


@dataclass(frozen=True, slots=True)
class _Candidate:
    rank: int  # 0 published cue, 1 plain dateline, 2 updated cue
    order: int
    value: tuple[date, str]


def _line_candidates(line: str, order: int, lang: str | None) -> list[_Candidate]:
    compiled = _patterns(lang)
    clean = _URL.sub(" ", line)
    out = []
    for mention in find_mentions(clean, lang):
        if mention.kind == "date" and mention.year:
            value = (date(mention.year, mention.month, mention.day), "day")
        elif mention.kind == "monthyear":
            value = (date(mention.year, mention.month, 1), "month")
        elif mention.kind == "year":
            value = (date(mention.year, 1, 1), "year")
        else:
            continue
        before, after = clean[: mention.start], clean[mention.end:]
        cue = compiled.cue.search(before[-40:])
        if cue:
            kind = compiled.words.pub_cues.get(word_key(cue.group("cue")), "published")
            out.append(_Candidate(0 if kind == "published" else 2, order, value))
            continue
        if value[1] == "year":  # "en 2019" without a cue is body text
            continue
        short_before = len(before.strip()) <= 50 or _BEFORE_SEP.search(before)
        if short_before and _AFTER.match(after):
            out.append(_Candidate(1, order, value))
    return out


def find_dateline(text: str, lang: str | None) -> tuple[date, str] | None:
    """The publication date a report states in its first or last lines, with its precision.

    Looks at the first ``HEAD_CHARS`` characters (at most ``HEAD_LINES`` non-empty lines)
    and the last ``TAIL_LINES`` non-empty lines. A date after a publication cue
    ("publié le", "Published") wins; then a date standing as a dateline (alone on its
    line, or closing a lead: "… 07.01.2022, Sputnik France"); an "updated" date last.
    """
    if not text:
        return None
    lines = [line for line in text[:HEAD_CHARS].splitlines() if line.strip()][:HEAD_LINES]
    tail = [line for line in text.splitlines() if line.strip()][-TAIL_LINES:]
    candidates: list[_Candidate] = []
    for order, line in enumerate(lines + tail):
        candidates.extend(_line_candidates(line, order, lang))
    if not candidates:
        return None
    best = min(candidates, key=lambda c: (c.rank, c.order))
    return best.value


# --------------------------------------------------------------------------- merging


def _consistent(coarse: tuple[date, str], fine: tuple[date, str]) -> bool:
    """Whether a finer date falls inside a coarser one (same year, and month if known)."""
    (cd, cp), (fd, _) = coarse, fine
    if cp == "year":
        return cd.year == fd.year
    if cp == "month":
        return (cd.year, cd.month) == (fd.year, fd.month)
    return cd == fd


def merge_dates(
    declared: tuple[date, str] | None,
    dateline: tuple[date, str] | None,
    declared_source: str = "declared",
) -> tuple[date | None, str, str]:
    """Combine a declared date and a dateline → (date, precision, source).

    The declared date is trusted, except that a dateline that is finer and falls inside
    it wins (header "2022-01", dateline "07.01.2022" → 2022-01-07, "day", "dateline").
    ``declared_source`` names where the declared date came from ("header", "html" …).
    """
    if declared is None and dateline is None:
        return None, "unknown", "none"
    if declared is None:
        return dateline[0], dateline[1], "dateline"
    if dateline is not None and _FINENESS[dateline[1]] > _FINENESS[declared[1]] and \
            _consistent(declared, dateline):
        return dateline[0], dateline[1], "dateline"
    return declared[0], declared[1], declared_source


__all__ = [
    "DATE_WORD_COLUMNS", "DATE_WORD_KINDS", "DateWords", "Mention", "date_words",
    "find_dateline", "find_mentions", "load_date_word_rows", "merge_dates",
    "parse_declared_date", "word_key",
]
