"""Actors named only by a title or an agent noun, whose country the report leaves implicit.

Wire stories about one country say "la police", "les manifestants", "le président" without
repeating the country. When a report has a clear focus country (the country its actor
mentions name most often), such a bare title or agent noun becomes that country's actor
with the noun's sector: "la police" in a story about Belarus → BLRPOL. Without a clear
focus nothing is guessed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from importlib.resources import files

from veille.actors.finder import Mention
from veille.actors.normalise import key
from veille.actors.tables import read_tsv

#: Mention kinds that tell which country a report is about.
FOCUS_KINDS = frozenset({"country", "capital", "demonym", "person", "title", "agent", "institution"})
#: The focus country must have at least this many mentions, and this share of all of them.
MIN_MENTIONS = 2
MIN_SHARE = 0.4
MAX_WORDS = 3


@lru_cache(maxsize=8)
def _sector_table(lang: str) -> dict[str, str]:
    """Surface key → sector, from the language's titles and agents tables."""
    table: dict[str, str] = {}
    base = files("veille.lang").joinpath(lang)
    for name in ("titles.tsv", "agents.tsv"):
        path = base.joinpath(name)
        if path.is_file():
            for row in read_tsv(path):  # type: ignore[arg-type]
                if row.get("surface") and row.get("sector"):
                    table[key(row["surface"])] = row["sector"]
    return table


@lru_cache(maxsize=65536)
def _token_key(text: str) -> str:
    return key(text)


@lru_cache(maxsize=8)
def _first_words(lang: str) -> frozenset[str]:
    return frozenset(k.split(" ")[0] for k in _sector_table(lang))


def focus_country(mentions: Sequence[Mention]) -> str | None:
    """The country a report is about, when its mentions make that clear."""
    counts = Counter(m.code[:3] for m in mentions
                     if m.code and m.kind in FOCUS_KINDS and not m.code.startswith(("IGO", "NGO", "IMG")))
    if not counts:
        return None
    (top, n), total = counts.most_common(1)[0], sum(counts.values())
    return top if n >= MIN_MENTIONS and n / total >= MIN_SHARE else None


def implicit_actors(doc, mentions: Sequence[Mention], lang: str) -> list[Mention]:
    """Mentions for bare titles and agent nouns, coded with the report's focus country."""
    focus = focus_country(mentions)
    table = _sector_table(lang)
    if not focus or not table:
        return []
    # uncoded entities do not block: spaCy marks "le Parlement", "the Senate" as ORG
    covered = {i for m in mentions if m.code for i in range(m.start, m.end)}
    first_words = _first_words(lang)
    keys = [_token_key(t.text) for t in doc]  # one pass over the tokens: spaCy builds a Token per access
    out: list[Mention] = []
    i = 0
    while i < len(keys):
        if keys[i] not in first_words:
            i += 1
            continue
        match = None
        for width in range(MAX_WORDS, 0, -1):
            span = doc[i:i + width]
            if len(span) < width or any(t.i in covered for t in span):
                continue
            sector = table.get(key(span.text))
            if sector:
                match = (span, sector)
                break
        if match is None:
            i += 1
            continue
        span, sector = match
        head = span.root.i
        possessed = any(c.dep_ in ("poss", "nmod:poss") or "Yes" in c.morph.get("Poss") for c in span.root.children)
        if span.root.pos_ not in ("NOUN", "PROPN") or span.root.dep_ in ("amod", "compound") or possessed:
            # "military intelligence" is a modifier, not an actor; "his government" belongs to
            # whoever "his" is, not to the report's focus country.
            i = span.end
            continue
        out.append(Mention(start=span.start, end=span.end, start_char=span.start_char, end_char=span.end_char,
                           text=span.text, code=focus + sector, name=f"{span.text} ({focus})", kind="implicit",
                           head=head))
        i = span.end
    return out


def elliptic_mentions(doc, mentions: Sequence[Mention]) -> list[Mention]:
    """"Le Nord" / "the North" after "la Corée du Nord" / "North Korea": a capitalised word that
    ends (or starts) a multi-word country name the report has used stands for that country."""
    parts: dict[str, Mention] = {}
    for m in mentions:
        words = m.text.split()
        if m.kind == "country" and len(words) >= 2:
            for word in (words[0], words[-1]):
                if word[:1].isupper() and len(word) > 3:
                    parts.setdefault(word, m)
    if not parts:
        return []
    covered = {i for m in mentions for i in range(m.start, m.end)}
    out = []
    for token in doc:
        m = parts.get(token.text)
        if m is None or token.i in covered or token.i == 0 or not token.is_title:
            continue
        if doc[token.i - 1].lower_ not in ("le", "du", "au", "the", "of", "la", "l'"):
            continue
        out.append(Mention(start=token.i, end=token.i + 1, start_char=token.idx, end_char=token.idx + len(token),
                           text=token.text, code=m.code, name=m.name, kind="country", head=token.i))
    return out


def with_implicit(doc, mentions: Sequence[Mention], lang: str) -> list[Mention]:
    """All mentions plus the implicit and elliptic ones, sorted by position."""
    extra = implicit_actors(doc, mentions, lang) + elliptic_mentions(doc, mentions)
    return sorted([*mentions, *extra], key=lambda m: (m.start, -m.end)) if extra else list(mentions)


__all__ = ["elliptic_mentions", "focus_country", "implicit_actors", "with_implicit"]
