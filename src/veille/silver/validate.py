"""Check an annotated batch against the codebook and add character offsets to its spans.

An annotator writes each event's evidence sentence, trigger and mentions as strings copied
from the report (``docs/codebook.md``, "Annotation files"). This module finds them in the
text and stores ``[start, end]`` offsets beside them, so the kept files carry exact spans,
and it refuses anything the codebook does not allow: unknown types, modes, codes or
factuality values, strings that are not in the text, dates that do not parse, duplicates.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from veille.silver.files import read_text, write_text
from veille.silver.vocabulary import FACTUALITY, MODES, TYPES, code_problem

#: Keys an annotator writes in an event.
EVENT_KEYS = frozenset({"type", "mode", "actor", "actor_text", "recipient", "recipient_text",
                        "trigger", "evidence", "date", "factuality"})
#: Keys this module adds.
SPAN_KEYS = frozenset({"evidence_span", "trigger_span", "actor_spans", "recipient_spans"})
#: Keys of a report line besides ``events``.
REPORT_KEYS = ("id", "lang", "published", "title", "text", "source")

_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"',
                       "\u00ab": '"', "\u00bb": '"', "\u00a0": " ", "\u202f": " ", "\u2009": " ",
                       "\u2013": "-", "\u2014": "-", "\u2011": "-"})
_SPACES = re.compile(r"\s+")


@dataclass(slots=True)
class Report:
    """What validating one file found: errors (the file is not done) and notes (fixed for you)."""

    path: Path
    lines: int = 0
    events: int = 0
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class _Folded:
    """A text with quotes, dashes and spaces folded, and a map back to the original offsets."""

    def __init__(self, text: str) -> None:
        chars: list[str] = []
        origin: list[int] = []
        previous_space = False
        for i, ch in enumerate(text.translate(_FOLD)):
            if ch.isspace():
                if previous_space:
                    continue
                ch, previous_space = " ", True
            else:
                previous_space = False
            chars.append(ch)
            origin.append(i)
        self.text = "".join(chars)
        self.origin = origin + [len(text)]

    def find(self, needle: str, start: int = 0, end: int | None = None) -> tuple[int, int] | None:
        """Original (start, end) of the first folded match of ``needle`` inside [start, end)."""
        folded = _SPACES.sub(" ", needle.translate(_FOLD)).strip()
        if not folded:
            return None
        lo = _folded_index(self.origin, start)
        hi = len(self.text) if end is None else _folded_index(self.origin, end)
        at = self.text.find(folded, lo, hi)
        if at < 0:
            return None
        return self.origin[at], self.origin[at + len(folded) - 1] + 1

    def rfind(self, needle: str, end: int) -> tuple[int, int] | None:
        folded = _SPACES.sub(" ", needle.translate(_FOLD)).strip()
        if not folded:
            return None
        at = self.text.rfind(folded, 0, _folded_index(self.origin, end))
        if at < 0:
            return None
        return self.origin[at], self.origin[at + len(folded) - 1] + 1


def _folded_index(origin: list[int], offset: int) -> int:
    """First folded position whose original offset is >= offset."""
    lo, hi = 0, len(origin) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if origin[mid] < offset:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _find_exact_or_folded(text: str, folded: _Folded, needle: str, start: int = 0,
                          end: int | None = None) -> tuple[int, int] | None:
    stop = len(text) if end is None else end
    at = text.find(needle, start, stop)
    if at >= 0 and needle:
        return at, at + len(needle)
    return folded.find(needle, start, stop)


def _mention(text: str, folded: _Folded, needle: str, ev: tuple[int, int]) -> tuple[int, int] | None:
    """A mention inside the evidence, else the nearest before it, else the nearest after it."""
    inside = _find_exact_or_folded(text, folded, needle, ev[0], ev[1])
    if inside:
        return inside
    at = text.rfind(needle, 0, ev[0])
    if at >= 0:
        return at, at + len(needle)
    before = folded.rfind(needle, ev[0])
    if before:
        return before
    return _find_exact_or_folded(text, folded, needle, ev[1])


def _check_date(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return f"date {value!r} must be YYYY-MM-DD or null"
    try:
        date.fromisoformat(value)
    except ValueError:
        return f"date {value!r} is not a real day"
    return None


def check_event(event: object, text: str, folded: _Folded) -> tuple[list[str], list[str]]:
    """Errors and notes for one event; on success its span keys are (re)computed in place."""
    if not isinstance(event, dict):
        return ["an event must be a JSON object"], []
    errors: list[str] = []
    notes: list[str] = []
    unknown = set(event) - EVENT_KEYS - SPAN_KEYS
    if unknown:
        errors.append(f"unknown keys {sorted(unknown)} (allowed: {sorted(EVENT_KEYS)})")
    kind = event.get("type")
    if kind not in TYPES:
        errors.append(f"type {kind!r} is not one of the 16 PLOVER types")
    mode = event.get("mode", "")
    if mode is None:
        mode = event["mode"] = ""
    if kind in MODES and mode and mode not in MODES[kind]:
        allowed = ", ".join(sorted(MODES[kind])) or "none"
        errors.append(f"mode {mode!r} is not a mode of {kind} (allowed: {allowed}, or \"\")")
    if event.get("factuality") not in FACTUALITY:
        errors.append(f"factuality {event.get('factuality')!r} must be one of {', '.join(FACTUALITY)}")
    problem = _check_date(event.get("date"))
    if problem:
        errors.append(problem)
    evidence = event.get("evidence")
    ev_span = None
    if not isinstance(evidence, str) or not evidence.strip():
        errors.append("evidence must be the sentence copied from the text")
    else:
        ev_span = _find_exact_or_folded(text, folded, evidence)
        if ev_span is None:
            errors.append(f"evidence not found in the text: {evidence[:80]!r}…; copy the sentence exactly")
        else:
            exact = text[ev_span[0]:ev_span[1]]
            if exact != evidence:
                notes.append("evidence matched after folding quotes/spaces; set to the text's own characters")
                event["evidence"] = exact
            if "\n" in exact:
                errors.append("evidence spans a line break: give one sentence of one paragraph")
    trigger = event.get("trigger")
    tr_span = None
    if not isinstance(trigger, str) or not trigger.strip():
        errors.append("trigger must be a word or phrase of the evidence sentence")
    elif ev_span:
        tr_span = _find_exact_or_folded(text, folded, trigger, ev_span[0], ev_span[1])
        if tr_span is None:
            errors.append(f"trigger {trigger!r} is not inside the evidence sentence")
        elif text[tr_span[0]:tr_span[1]] != trigger:
            event["trigger"] = text[tr_span[0]:tr_span[1]]
    spans: dict[str, list] = {}
    for role in ("actor", "recipient"):
        codes = event.get(role)
        mentions = event.get(f"{role}_text")
        if not isinstance(codes, list):
            errors.append(f"{role} must be a list of codes")
            continue
        if role == "actor" and not codes:
            errors.append("actor is empty: every event has an actor (---SECTOR when the country is unknown)")
        if mentions is None and not codes:
            mentions = event[f"{role}_text"] = []
        if not isinstance(mentions, list) or len(mentions) != len(codes):
            errors.append(f"{role}_text must be a list as long as {role} (a mention or null per code)")
            continue
        if len(set(codes)) != len(codes):
            errors.append(f"{role} repeats a code: {codes}")
        found: list = []
        for code, mention in zip(codes, mentions):
            problem = code_problem(code)
            if problem:
                errors.append(problem)
            if mention is None:
                found.append(None)
                continue
            if not isinstance(mention, str) or not mention.strip():
                errors.append(f"{role}_text entry {mention!r} must be a string from the text or null")
                found.append(None)
                continue
            span = _mention(text, folded, mention, ev_span) if ev_span else None
            if ev_span and span is None:
                errors.append(f"{role} mention {mention!r} is not in the text; copy it exactly or use null")
            if span and text[span[0]:span[1]] != mention:
                mentions[mentions.index(mention)] = text[span[0]:span[1]]
            found.append(list(span) if span else None)
        spans[role] = found
    if set(event.get("actor") or ()) & set(event.get("recipient") or ()):
        errors.append("the same code is both actor and recipient")
    if not errors:
        event["evidence_span"] = list(ev_span)
        event["trigger_span"] = list(tr_span)
        event["actor_spans"] = spans["actor"]
        event["recipient_spans"] = spans["recipient"]
    return errors, notes


def _event_key(event: dict) -> tuple:
    return (event.get("type"), tuple(event.get("actor") or ()), tuple(event.get("recipient") or ()),
            tuple(event.get("evidence_span") or ()), tuple(event.get("trigger_span") or ()))


def check_report(obj: object) -> tuple[list[str], list[str], int]:
    """Errors, notes and the number of events of one report line (spans are added in place)."""
    if not isinstance(obj, dict):
        return ["a line must be a JSON object"], [], 0
    errors: list[str] = []
    notes: list[str] = []
    for key in ("id", "lang", "text"):
        if not isinstance(obj.get(key), str) or not obj.get(key):
            errors.append(f"{key!r} is missing or not a string")
    if obj.get("lang") not in ("fr", "en"):
        errors.append(f"lang {obj.get('lang')!r} must be fr or en")
    problem = _check_date(obj.get("published"))
    if problem:
        errors.append("published: " + problem)
    events = obj.get("events")
    if not isinstance(events, list):
        return errors + ["'events' must be a list (empty when the report states no event)"], notes, 0
    text = obj.get("text") or ""
    folded = _Folded(text)
    seen: dict[tuple, int] = {}
    for number, event in enumerate(events, start=1):
        event_errors, event_notes = check_event(event, text, folded)
        errors += [f"event {number}: {e}" for e in event_errors]
        notes += [f"event {number}: {n}" for n in event_notes]
        if not event_errors:
            key = _event_key(event)
            if key in seen:
                errors.append(f"event {number}: duplicate of event {seen[key]}")
            seen.setdefault(key, number)
    return errors, notes, len(events)


def _inputs_beside(path: Path) -> list[dict] | None:
    source = path.parent / "input.jsonl"
    if path.name == "input.jsonl" or not source.is_file():
        return None
    return [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]


def validate_file(path: Path, write: bool = True) -> Report:
    """Validate one annotated JSON Lines file; with ``write``, store the computed spans in it.

    When the folder has the batch's ``input.jsonl``, the file must hold the same reports in
    the same order with the same text.
    """
    path = Path(path)
    report = Report(path)
    try:
        raw_lines = [line for line in read_text(path).splitlines() if line.strip()]
    except (OSError, UnicodeDecodeError, EOFError, gzip.BadGzipFile) as exc:
        report.errors.append(f"{path}: cannot read: {exc}")
        return report
    objs: list[object] = []
    for number, line in enumerate(raw_lines, start=1):
        try:
            objs.append(json.loads(line))
        except json.JSONDecodeError as exc:
            report.errors.append(f"{path}:{number}: not JSON: {exc}")
            objs.append(None)
    inputs = _inputs_beside(path)
    if inputs is not None:
        if len(inputs) != len(objs):
            report.errors.append(f"{path}: {len(objs)} lines, but input.jsonl has {len(inputs)} reports")
        for number, (given, obj) in enumerate(zip(inputs, objs), start=1):
            if isinstance(obj, dict):
                for key in REPORT_KEYS:
                    if obj.get(key) != given.get(key):
                        report.errors.append(f"{path}:{number}: {key!r} differs from input.jsonl "
                                             "(copy the report's fields unchanged)")
    ids: set[str] = set()
    for number, obj in enumerate(objs, start=1):
        if obj is None:
            continue
        errors, notes, count = check_report(obj)
        where = f"{path}:{number} ({obj.get('id') if isinstance(obj, dict) else '?'})"
        report.errors += [f"{where}: {e}" for e in errors]
        report.notes += [f"{where}: {n}" for n in notes]
        report.events += count
        if isinstance(obj, dict):
            if obj.get("id") in ids:
                report.errors.append(f"{where}: the report id appears twice in the file")
            ids.add(obj.get("id"))
    report.lines = len(objs)
    if write and all(o is not None for o in objs):
        body = "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objs)
        if body != read_text(path):
            write_text(path, body)
    return report
