"""Definite descriptions that refer back to actors the report has named.

"le pays", "the country" stand for the country named last; "les deux pays", "both sides" for
the last two countries; "les deux dirigeants", "the two leaders" for the last two people.
The descriptions and what they refer to are data (``lang/<code>/references.tsv``). Each
resolved description becomes a mention with the antecedent's code and says which mention
it came from in ``via`` ("coreference: 'le pays' → 'la Chine'"), so a user can see why.

Pronouns are resolved by the event coder (it knows the clause's subjects); event nouns
("cette vente", "the attack") by the event coder too, against the events already coded.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib.resources import files

from veille.actors.finder import Mention
from veille.actors.normalise import doc_keys, first_words, key
from veille.actors.roles import country_of
from veille.actors.tables import read_tsv
from veille.nlp.tokens import columns

MAX_WORDS = 4
#: Mentions that can be the country a description refers to (a person's code has a country too,
#: but "le pays" after "Emmanuel Macron" is France only if France was named: keep to places).
COUNTRY_KINDS = frozenset({"country", "capital", "demonym"})
#: How many antecedents each kind of description takes.
WANTED = {"country": 1, "countries": 2, "people": 2}


@lru_cache(maxsize=8)
def _references(lang: str) -> dict[str, str]:
    path = files("veille.lang").joinpath(lang, "references.tsv")
    if not path.is_file():
        return {}
    return {key(r["surface"]): r["refers"] for r in read_tsv(path)}  # type: ignore[arg-type]


@lru_cache(maxsize=8)
def _first_words(lang: str) -> frozenset[str]:
    return first_words(_references(lang))


def _antecedents(refers: str, before: Sequence[Mention], doc, since: int) -> list[Mention]:
    """The mentions a description refers to, one per country (or person): the subjects of its
    sentence and the two before first ("La Chine a dénoncé les sanctions américaines. Le pays…"
    is China), then the latest names, then the latest adjectives ("américaines")."""
    want = WANTED[refers]

    def fits(m: Mention) -> bool:
        if refers == "people":
            return m.kind == "person" and bool(m.code)
        return m.kind in COUNTRY_KINDS and country_of(m.code) is not None

    def ident(m: Mention) -> str:
        return m.code if refers == "people" else country_of(m.code) or ""

    pool = [m for m in reversed(before) if fits(m)]
    ranked = ([m for m in pool if m.start >= since and doc[m.head].dep_.startswith("nsubj")]
              + [m for m in pool if m.kind != "demonym"] + pool)
    found: list[Mention] = []
    seen: set[str] = set()
    for m in ranked:
        if ident(m) not in seen:
            seen.add(ident(m))
            found.append(m)
            if len(found) == want:
                break
    return found if len(found) == want else []


def references(doc, mentions: Sequence[Mention], lang: str) -> list[Mention]:
    """Mentions for the descriptions of ``doc`` that refer back to named actors."""
    table = _references(lang)
    if not table:
        return []
    firsts = _first_words(lang)
    covered = {i for m in mentions if m.code for i in range(max(m.start, 0), m.end)}
    ordered = sorted((m for m in mentions if m.start >= 0), key=lambda m: m.start)
    keys = doc_keys(doc)
    if not firsts.intersection(keys):
        return []
    cols = columns(doc)
    out: list[Mention] = []
    i = 0
    while i < len(doc):
        if keys[i] not in firsts or i in covered:
            i += 1
            continue
        match = None
        for width in range(MAX_WORDS, 0, -1):
            if (i + width <= len(keys) and not any(j in covered for j in range(i, i + width))
                    and key(cols.span_text(i, i + width)) in table):
                match = doc[i:i + width]
                break
        if match is None:
            i += 1
            continue
        nxt = doc[match.end] if match.end < len(doc) else None
        if nxt is not None and nxt.pos_ in ("ADJ", "PROPN") and not nxt.is_sent_start:
            i = match.end  # "le pays basque", "the country's": another thing
            continue
        refers = table[key(match.text)]
        before = [m for m in ordered if m.end <= match.start]
        sent = match.sent
        for _ in range(2):  # the description's sentence and the two before
            if sent.start > 0:
                sent = doc[sent.start - 1].sent
        for m in _antecedents(refers, before, doc, sent.start):
            code = country_of(m.code) if refers != "people" else m.code
            out.append(Mention(start=match.start, end=match.end, start_char=match.start_char,
                               end_char=match.end_char, text=match.text, code=code or "", name=m.name,
                               kind="reference", head=match.root.i,
                               via=f"coreference: '{match.text}' → '{m.text}'"))
        i = match.end
    return out


__all__ = ["references"]
