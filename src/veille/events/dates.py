"""The date of an event: the temporal expression of the trigger's clause, resolved against
the publication date.

News reports date events relative to the day they appear ("vendredi", "hier", "lundi
soir", "last Sunday", "cette semaine") or with partial dates ("le 3 décembre", "Dec.
3"). The expression nearest the trigger is taken, preferring one attached to the
trigger's own clause, then one inside the trigger's subtree, then any in the sentence;
with none, the event gets the publication date.

Rules (the words are in ``lang/<code>/date_words.tsv``, found by
``veille.clean.dates.find_mentions``; dateparser is not used: it returns nothing for
"lundi dernier" or "jeudi matin", and with past preference sends a bare "mardi" in a
Tuesday story a week back, see DESIGN.md):

- weekday: the most recent such day on or before the publication day (the same day
  allowed); the next one on or after it for future events; "dernier/last" is strictly
  before, "prochain/next" strictly after;
- "hier", "aujourd'hui", "demain", "avant-hier" …: day offsets;
- "le 3 décembre", "Dec. 3": the publication year, or the year before when that would
  fall after publication (the year after when before it, for future events);
- explicit dates ("3 décembre 2024", "07.01.2022"): as written, publication date or not;
- "cette semaine": the Monday of that week, precision "week"; "le mois dernier": month;
  "l'année dernière": January 1 of that year, precision "year"; "en 2019": year.

A relative expression needs a publication date precise enough (a day for weekdays, a
month for "le mois dernier" …); without one it falls back to the publication date at
its own precision, or (None, "unknown") when there is no publication date at all.
"""

from __future__ import annotations

from datetime import date, timedelta
from types import MappingProxyType

from spacy.tokens import Span, Token

from veille.clean.dates import Mention, find_mentions
from veille.events.factuality import looks_future
from veille.nlp.tokens import columns

_FINENESS = MappingProxyType({"unknown": 0, "year": 1, "month": 2, "week": 3, "day": 4})

#: Precision a publication date needs for each kind of relative expression.
_NEEDS = MappingProxyType(
    {"relday": "day", "weekday": "day", "week": "day", "month": "month", "year": "year"}
)

#: Coarse parts of speech that head a clause of their own.
_CLAUSE_POS = frozenset({"VERB", "AUX"})


def _shift_month(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _precise_enough(pub_precision: str, needed: str) -> bool:
    return _FINENESS.get(pub_precision, 0) >= _FINENESS[needed]


def _weekday(published: date, weekday: int, modifier: int, future: bool) -> date:
    back = (published.weekday() - weekday) % 7
    ahead = (weekday - published.weekday()) % 7
    if modifier < 0:
        return published - timedelta(days=back or 7)
    if modifier > 0:
        return published + timedelta(days=ahead or 7)
    return published + timedelta(days=ahead) if future else published - timedelta(days=back)


def _year_for(month: int, day: int, published: date, pub_precision: str, future: bool) -> int:
    """The year of a day-and-month without a year, near the publication date."""
    year = published.year
    if pub_precision == "year":
        return year
    candidate = (month, day if pub_precision == "day" else 1)
    reference = (published.month, published.day if pub_precision == "day" else 1)
    if not future and candidate > reference:
        return year - 1
    if future and candidate < reference:
        return year + 1
    return year


def resolve_mention(
    mention: Mention, published: date | None, pub_precision: str, future: bool = False
) -> tuple[date | None, str]:
    """The date and precision one expression gives (see the module docstring)."""
    if mention.kind == "date" and mention.year:
        return date(mention.year, mention.month, mention.day), "day"
    if mention.kind == "monthyear":
        return date(mention.year, mention.month, 1), "month"
    if mention.kind == "year":
        return date(mention.year, 1, 1), "year"
    fallback = (published, pub_precision) if published else (None, "unknown")
    if published is None:
        return fallback
    if mention.kind == "date":
        if not _precise_enough(pub_precision, "year"):
            return fallback
        year = _year_for(mention.month, mention.day, published, pub_precision, future)
        try:
            return date(year, mention.month, mention.day), "day"
        except ValueError:  # 29 February in a year without it
            return fallback
    if mention.kind == "month":
        if not _precise_enough(pub_precision, "year"):
            return fallback
        year = _year_for(mention.month, 1, published, "month" if pub_precision == "day"
                         else pub_precision, future)
        return date(year, mention.month, 1), "month"
    unit = mention.unit if mention.kind == "period" else mention.kind
    if not _precise_enough(pub_precision, _NEEDS[unit]):
        return fallback
    if mention.kind == "relday":
        return published + timedelta(days=mention.offset), "day"
    if mention.kind == "weekday":
        return _weekday(published, mention.weekday, mention.offset, future), "day"
    if unit == "week":
        monday = published - timedelta(days=published.weekday()) + timedelta(weeks=mention.offset)
        return monday, "week"
    if unit == "month":
        return _shift_month(published, mention.offset), "month"
    return date(published.year + mention.offset, 1, 1), "year"


def _mention_tokens(sentence: Span, mention: Mention) -> list[Token]:
    """The sentence's tokens that start inside the mention (only those are built)."""
    doc = sentence.doc
    idx = columns(doc).idx
    start = idx[sentence.start] + mention.start
    end = idx[sentence.start] + mention.end
    return [doc[i] for i in range(sentence.start, sentence.end) if start <= idx[i] < end]


def _verb_group(trigger: Token) -> set[int]:
    """The trigger and the verbs it is the complement of ("allaient signer")."""
    group = {trigger.i}
    node = trigger
    while node.dep_ in ("xcomp", "acl") and node.head is not node:
        node = node.head
        group.add(node.i)
    return group


def _rank(tokens: list[Token], trigger: Token, group: set[int]) -> int:
    """0: attached to the trigger's clause; 1: inside its subtree; 2: elsewhere."""
    inside = {tok.i for tok in tokens}
    roots = [tok for tok in tokens if tok.head.i not in inside or tok.head is tok]
    for root in roots:
        node = root
        for _ in range(len(trigger.doc)):
            if node.i in group:
                return 0
            if node.head is node or (node is not root and node.pos_ in _CLAUSE_POS):
                break
            node = node.head
    subtree = {tok.i for tok in trigger.subtree}
    return 1 if inside & subtree else 2


def choose_mention(sentence: Span, trigger: Token, lang: str) -> Mention | None:
    """The temporal expression of the trigger's clause, or None."""
    mentions = find_mentions(columns(sentence.doc).span_text(sentence.start, sentence.end), lang)
    if not mentions:
        return None
    group = _verb_group(trigger)
    best: tuple[int, int, Mention] | None = None
    for mention in mentions:
        tokens = _mention_tokens(sentence, mention)
        if not tokens:
            continue
        distance = min(abs(tok.i - trigger.i) for tok in tokens)
        key = (_rank(tokens, trigger, group), distance)
        if best is None or key < best[:2]:
            best = (*key, mention)
    return best[2] if best else None


def resolve_event_date(
    sentence: Span, trigger: Token, lang: str, published: date | None, pub_precision: str
) -> tuple[date | None, str]:
    """Date and precision of the event ``trigger`` states in ``sentence``.

    With no temporal expression: the publication date and its precision, or
    (None, "unknown") when the report has no date.
    """
    mention = choose_mention(sentence, trigger, lang)
    if mention is None:
        return (published, pub_precision) if published else (None, "unknown")
    return resolve_mention(mention, published, pub_precision, looks_future(trigger, lang))


__all__ = ["choose_mention", "resolve_event_date", "resolve_mention"]
