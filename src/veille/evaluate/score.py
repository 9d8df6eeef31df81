"""Score predicted events against a gold set, with the rules of ``eval/README.md``.

The rules, in short (the README is the reference):

1. Every event becomes dyad tuples ``(type, a, r)``: one per actor × recipient, with
   ``r = "-"`` when there is no recipient. CONSULT, AGREE and COOPERATE are unordered
   (the pair is sorted), and such an event with several actors and no recipient gives
   every pair of distinct actors. Any other event with several actors and no recipient
   gives one ``(type, a, "-")`` per actor.
2. Codes are compared on their first three letters (the country, or ``IGO``).
3. Per document the tuples form a set; precision, recall and F1 are micro-averaged over
   documents. A predicted tuple matching a ``must_not`` entry is a false positive and
   is also counted as a "boilerplate leak".
4. Also: type only ``(doc, type)``; tuple plus date over the gold events whose date is
   known (a predicted date counts only at "day" precision); factuality accuracy over
   matched tuples.

Choices the README leaves open, made here and pinned by tests:

- A predicted actor whose code is empty (an entity outside the tables) becomes ``"?"``:
  the tuple exists, and it is wrong. An event with no actor at all gives no tuple.
- Tuple+date only looks at predicted tuples whose ``(type, a, r)`` is one of the gold
  tuples with a known date; a prediction without a day-precision date there is a miss
  (false negative), not a false positive.
- A matched tuple's factuality is right when some predicted event giving that tuple and
  some gold event giving it agree.
- Predictions whose ``doc_id`` is not in the gold set are ignored and counted.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations
from pathlib import Path

#: Event types whose dyad is unordered.
SYMMETRIC_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE"})

#: Stands for "no recipient" in a dyad tuple.
NO_RECIPIENT = "-"

#: Stands for an actor whose code is unknown (empty) in a prediction.
UNKNOWN_CODE = "?"

Dyad = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class GoldEvent:
    """One event a human reader coded from a gold document."""

    type: str
    actor: tuple[str, ...]
    recipient: tuple[str, ...] = ()
    mode: str = ""
    date: date | None = None
    factuality: str = "asserted"
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class GoldDoc:
    """One gold document: its text, what is known about it, its events and non-events."""

    id: str
    lang: str
    text: str
    events: tuple[GoldEvent, ...]
    must_not: tuple[GoldEvent, ...] = ()
    published: date | None = None
    file: str | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Figures:
    """True positives, false positives, false negatives and the measures they give."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Figures) -> Figures:
        return Figures(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def to_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp, "fp": self.fp, "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass(frozen=True, slots=True)
class GroupScores:
    """All figures for one group of documents (one language, or all of them)."""

    docs: int = 0
    gold_events: int = 0
    predicted_events: int = 0
    tuple: Figures = field(default_factory=Figures)
    type: Figures = field(default_factory=Figures)
    tuple_date: Figures = field(default_factory=Figures)
    factuality_correct: int = 0
    factuality_total: int = 0
    leaks: int = 0
    #: Tuple figures per PLOVER type.
    per_type: dict[str, Figures] = field(default_factory=dict)
    #: (report, type) figures per PLOVER type.
    type_per_type: dict[str, Figures] = field(default_factory=dict)
    #: Gold events whose type the prediction found in the report: how many of them have a
    #: predicted event of that type with one of their actor countries (recipient countries).
    actor_right: int = 0
    actor_total: int = 0
    recipient_right: int = 0
    recipient_total: int = 0

    @property
    def factuality_accuracy(self) -> float:
        return self.factuality_correct / self.factuality_total if self.factuality_total else 0.0

    @property
    def actor_accuracy(self) -> float:
        return self.actor_right / self.actor_total if self.actor_total else 0.0

    @property
    def recipient_accuracy(self) -> float:
        return self.recipient_right / self.recipient_total if self.recipient_total else 0.0

    def __add__(self, other: GroupScores) -> GroupScores:
        return GroupScores(
            docs=self.docs + other.docs,
            gold_events=self.gold_events + other.gold_events,
            predicted_events=self.predicted_events + other.predicted_events,
            tuple=self.tuple + other.tuple,
            type=self.type + other.type,
            tuple_date=self.tuple_date + other.tuple_date,
            factuality_correct=self.factuality_correct + other.factuality_correct,
            factuality_total=self.factuality_total + other.factuality_total,
            leaks=self.leaks + other.leaks,
            per_type=_merge(self.per_type, other.per_type),
            type_per_type=_merge(self.type_per_type, other.type_per_type),
            actor_right=self.actor_right + other.actor_right,
            actor_total=self.actor_total + other.actor_total,
            recipient_right=self.recipient_right + other.recipient_right,
            recipient_total=self.recipient_total + other.recipient_total,
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "docs": self.docs,
            "gold_events": self.gold_events,
            "predicted_events": self.predicted_events,
            "tuple": self.tuple.to_dict(),
            "type": self.type.to_dict(),
            "tuple_date": self.tuple_date.to_dict(),
            "factuality": {
                "correct": self.factuality_correct,
                "total": self.factuality_total,
                "accuracy": round(self.factuality_accuracy, 4),
            },
            "boilerplate_leaks": self.leaks,
            "actor_accuracy": {"right": self.actor_right, "total": self.actor_total,
                               "accuracy": round(self.actor_accuracy, 4)},
            "recipient_accuracy": {"right": self.recipient_right, "total": self.recipient_total,
                                   "accuracy": round(self.recipient_accuracy, 4)},
            "per_type": {t: {"tuple": f.to_dict(), "type": self.type_per_type.get(t, Figures()).to_dict()}
                         for t, f in sorted(self.per_type.items())},
        }


def _merge(a: dict[str, Figures], b: dict[str, Figures]) -> dict[str, Figures]:
    out = dict(a)
    for key, fig in b.items():
        out[key] = out.get(key, Figures()) + fig
    return out


@dataclass(frozen=True, slots=True)
class Scores:
    """Figures per language (in first-seen order of the gold set) and over everything."""

    overall: GroupScores
    langs: tuple[str, ...] = ()
    per_lang: tuple[GroupScores, ...] = ()
    ignored_predictions: int = 0  # predictions whose doc_id is not in the gold set

    def for_lang(self, lang: str) -> GroupScores:
        """The figures of one language (KeyError when the gold set has none)."""
        try:
            return self.per_lang[self.langs.index(lang)]
        except ValueError:
            raise KeyError(lang) from None

    def to_dict(self) -> dict[str, object]:
        return {
            "overall": self.overall.to_dict(),
            "per_lang": {lang: g.to_dict() for lang, g in zip(self.langs, self.per_lang)},
            "ignored_predictions": self.ignored_predictions,
        }


# --------------------------------------------------------------------------- loading


def _parse_date(value: object) -> date | None:
    """A gold date: "YYYY-MM-DD" or null. Anything else is a mistake in the gold file."""
    if value in (None, "", "unknown"):
        return None
    return date.fromisoformat(str(value))


def _gold_event(obj: Mapping) -> GoldEvent:
    return GoldEvent(
        type=str(obj["type"]).upper(),
        actor=tuple(obj.get("actor") or ()),
        recipient=tuple(obj.get("recipient") or ()),
        mode=obj.get("mode") or "",
        date=_parse_date(obj.get("date")),
        factuality=obj.get("factuality") or "asserted",
        evidence=obj.get("evidence") or "",
    )


def _resolve_file(name: str, gold_path: Path, shared_root: Path | None) -> Path:
    """Find a gold document's ``file``: under shared_root, else the gold file's ../.., else beside it."""
    roots = [shared_root] if shared_root is not None else []
    if os.environ.get("VEILLE_SHARED"):
        roots.append(Path(os.environ["VEILLE_SHARED"]))
    roots += [gold_path.resolve().parent.parent.parent, gold_path.resolve().parent]
    # A project's own gold set (repo/eval/gold/x.jsonl) names files under the ../shared beside the repo.
    roots += [p / "shared" for p in gold_path.resolve().parents]
    for root in roots:
        candidate = Path(root) / name
        if candidate.is_file():
            return candidate
    tried = ", ".join(str(Path(r) / name) for r in roots)
    raise FileNotFoundError(f"gold document file {name!r} not found (tried {tried}); "
                            "pass shared_root to say where gold 'file' paths start")


def load_gold(path: Path, shared_root: Path | None = None) -> list[GoldDoc]:
    """Read a gold JSON Lines file; documents given as ``file`` have their text read.

    ``file`` paths are relative to ``shared_root`` when given, else to the gold file's
    ``../..`` (``shared/eval/gold/x.jsonl`` → ``shared/``). Blank lines are skipped; a
    malformed line raises ValueError naming the line.
    """
    path = Path(path)
    docs: list[GoldDoc] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                text = obj.get("text")
                file = obj.get("file")
                if text is None and file:
                    text = _resolve_file(file, path, shared_root).read_text(encoding="utf-8")
                docs.append(GoldDoc(
                    id=str(obj["id"]),
                    lang=obj.get("lang") or "und",
                    text=text or "",
                    events=tuple(_gold_event(e) for e in obj.get("events") or ()),
                    must_not=tuple(_gold_event(e) for e in obj.get("must_not") or ()),
                    published=_parse_date(obj.get("published")),
                    file=file,
                    source=obj.get("source"),
                ))
            except (KeyError, TypeError, ValueError, json.JSONDecodeError) as exc:
                raise ValueError(f"{path}:{number}: bad gold line: {exc}") from exc
    return docs


# --------------------------------------------------------------------------- tuples


def _code(value: str) -> str:
    value = (value or "").strip().upper()
    return value[:3] if value else UNKNOWN_CODE


def dyads(event_type: str, actors: Sequence[str], recipients: Sequence[str]) -> set[Dyad]:
    """The dyad tuples of one event (rules 1 and 2 of the README)."""
    kind = event_type.upper()
    a3 = [_code(a) for a in actors]
    r3 = [_code(r) for r in recipients]
    symmetric = kind in SYMMETRIC_TYPES
    out: set[Dyad] = set()
    if r3:
        for a in a3:
            for r in r3:
                first, second = sorted((a, r)) if symmetric else (a, r)
                out.add((kind, first, second))
    elif symmetric and len(set(a3)) > 1:
        for first, second in combinations(sorted(set(a3)), 2):
            out.add((kind, first, second))
    else:
        out.update((kind, a, NO_RECIPIENT) for a in a3)
    return out


@dataclass(frozen=True, slots=True)
class _Pred:
    """A prediction reduced to what the scorer needs."""

    type: str
    actor: tuple[str, ...]
    recipient: tuple[str, ...]
    date: date | None  # only when the prediction says it is a day
    factuality: str


def _codes(values: object) -> tuple[str, ...]:
    out = []
    for value in values or ():
        out.append(value.get("code", "") if isinstance(value, Mapping) else str(value))
    return tuple(out)


def _pred(obj: Mapping) -> _Pred:
    kind = obj.get("event") or obj.get("type") or ""
    if isinstance(kind, (list, tuple)):
        kind = kind[0] if kind else ""
    day = None
    if obj.get("date_precision") == "day" and obj.get("date"):
        try:
            day = date.fromisoformat(str(obj["date"])[:10])
        except ValueError:
            day = None
    return _Pred(
        type=str(kind).upper(),
        actor=_codes(obj.get("actor")),
        recipient=_codes(obj.get("recipient")),
        date=day,
        factuality=obj.get("factuality") or "asserted",
    )


def _score_doc(doc: GoldDoc, preds: Sequence[_Pred]) -> GroupScores:
    gold_tuples: dict[Dyad, set[str]] = defaultdict(set)  # tuple → gold factualities
    gold_dated: set[tuple[Dyad, date]] = set()
    for event in doc.events:
        for dyad in dyads(event.type, event.actor, event.recipient):
            gold_tuples[dyad].add(event.factuality)
            if event.date is not None:
                gold_dated.add((dyad, event.date))
    dated_keys = {dyad for dyad, _ in gold_dated}
    forbidden: set[Dyad] = set()
    for event in doc.must_not:
        forbidden |= dyads(event.type, event.actor, event.recipient)

    pred_tuples: dict[Dyad, set[str]] = defaultdict(set)
    pred_dated: set[tuple[Dyad, date]] = set()
    for pred in preds:
        for dyad in dyads(pred.type, pred.actor, pred.recipient):
            pred_tuples[dyad].add(pred.factuality)
            if pred.date is not None and dyad in dated_keys:
                pred_dated.add((dyad, pred.date))

    gold_set, pred_set = set(gold_tuples), set(pred_tuples)
    matched = gold_set & pred_set
    gold_types = {e.type for e in doc.events}
    pred_types = {p.type for p in preds if p.type}
    per_type = {}
    for kind in {t for t, _, _ in gold_set | pred_set}:
        g = {d for d in gold_set if d[0] == kind}
        p = {d for d in pred_set if d[0] == kind}
        per_type[kind] = Figures(len(g & p), len(p - g), len(g - p))
    type_per_type = {t: Figures(int(t in gold_types and t in pred_types), int(t not in gold_types),
                                int(t not in pred_types)) for t in gold_types | pred_types}
    actor_right = actor_total = recipient_right = recipient_total = 0
    for event in doc.events:
        same = [p for p in preds if p.type == event.type]
        if not same:
            continue
        actor_total += 1
        countries = {_code(a) for a in event.actor}
        actor_right += any(countries & {_code(a) for a in p.actor} for p in same)
        if event.recipient:
            recipient_total += 1
            targets = {_code(r) for r in event.recipient}
            recipient_right += any(targets & {_code(r) for r in p.recipient} for p in same)
    return GroupScores(
        docs=1,
        gold_events=len(doc.events),
        predicted_events=len(preds),
        tuple=Figures(len(matched), len(pred_set - gold_set), len(gold_set - pred_set)),
        type=Figures(len(gold_types & pred_types), len(pred_types - gold_types),
                     len(gold_types - pred_types)),
        tuple_date=Figures(len(gold_dated & pred_dated), len(pred_dated - gold_dated),
                           len(gold_dated - pred_dated)),
        factuality_correct=sum(1 for d in matched if gold_tuples[d] & pred_tuples[d]),
        factuality_total=len(matched),
        leaks=len((pred_set - gold_set) & forbidden),
        per_type=per_type,
        type_per_type=type_per_type,
        actor_right=actor_right,
        actor_total=actor_total,
        recipient_right=recipient_right,
        recipient_total=recipient_total,
    )


def score(gold: Sequence[GoldDoc], predictions: Iterable[Mapping]) -> Scores:
    """Score predictions (output-contract dicts) against gold documents."""
    by_doc: dict[str, list[_Pred]] = defaultdict(list)
    known = {doc.id for doc in gold}
    ignored = 0
    for obj in predictions:
        doc_id = str(obj.get("doc_id", ""))
        if doc_id not in known:
            ignored += 1
            continue
        by_doc[doc_id].append(_pred(obj))

    totals: dict[str, GroupScores] = {}
    for doc in gold:
        totals[doc.lang] = totals.get(doc.lang, GroupScores()) + _score_doc(doc, by_doc[doc.id])
    overall = sum(totals.values(), GroupScores())
    return Scores(overall=overall, langs=tuple(totals), per_lang=tuple(totals.values()),
                  ignored_predictions=ignored)


# --------------------------------------------------------------------------- table


def _prf(fig: Figures) -> str:
    return f"{fig.precision:.3f} {fig.recall:.3f} {fig.f1:.3f}  ({fig.tp}/{fig.fp}/{fig.fn})"


def format_table(scores: Scores) -> str:
    """The table ``veille evaluate`` prints: one column per language, then all."""
    columns = list(zip(scores.langs, scores.per_lang)) + [("all", scores.overall)]
    rows: list[tuple[str, list[str]]] = [
        ("tuple P R F1 (tp/fp/fn)", [_prf(g.tuple) for _, g in columns]),
        ("type P R F1", [_prf(g.type) for _, g in columns]),
        ("tuple+date P R F1", [_prf(g.tuple_date) for _, g in columns]),
        ("factuality acc", [f"{g.factuality_accuracy:.3f} ({g.factuality_correct}/"
                            f"{g.factuality_total})" for _, g in columns]),
        ("boilerplate leaks", [str(g.leaks) for _, g in columns]),
        ("actor country acc (type found)", [f"{g.actor_accuracy:.3f} ({g.actor_right}/{g.actor_total})"
                                            for _, g in columns]),
        ("recipient country acc", [f"{g.recipient_accuracy:.3f} ({g.recipient_right}/{g.recipient_total})"
                                   for _, g in columns]),
        ("documents", [str(g.docs) for _, g in columns]),
        ("events gold/predicted", [f"{g.gold_events}/{g.predicted_events}" for _, g in columns]),
    ]
    head = ["metric"] + [name for name, _ in columns]
    widths = [max(len(head[0]), *(len(label) for label, _ in rows))]
    for i in range(len(columns)):
        widths.append(max(len(head[i + 1]), *(len(cells[i]) for _, cells in rows)))

    def line(cells: list[str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths)).rstrip()

    out = [line(head), line(["-" * w for w in widths])]
    out += [line([label] + cells) for label, cells in rows]
    if scores.ignored_predictions:
        out.append(f"({scores.ignored_predictions} predictions for documents not in the gold "
                   "set were ignored)")
    return "\n".join(out)


def format_per_type(scores: Scores) -> str:
    """P/R/F1 per PLOVER type over all languages: tuples, and (report, type) pairs."""
    g = scores.overall
    rows = ["type        tuple P  R     F1    (tp/fp/fn)     |  type P  R     F1    (tp/fp/fn)"]
    for kind in sorted(set(g.per_type) | set(g.type_per_type)):
        t, k = g.per_type.get(kind, Figures()), g.type_per_type.get(kind, Figures())
        rows.append(f"{kind:<11} {t.precision:.3f} {t.recall:.3f} {t.f1:.3f} ({t.tp}/{t.fp}/{t.fn})".ljust(48)
                    + f"|  {k.precision:.3f} {k.recall:.3f} {k.f1:.3f} ({k.tp}/{k.fp}/{k.fn})")
    return "\n".join(rows)


__all__ = [
    "SYMMETRIC_TYPES",
    "Dyad",
    "Figures",
    "GoldDoc",
    "GoldEvent",
    "GroupScores",
    "Scores",
    "dyads",
    "format_per_type",
    "format_table",
    "load_gold",
    "score",
]
