"""Actors named only by a title or an agent noun ("la police", "les manifestants", "gunmen").

Wire stories say "la police", "les manifestants", "le président" without repeating the
country. Such a bare title or agent noun becomes an actor with the noun's sector
(``agents.tsv`` / ``titles.tsv``) and a country found, in this order:

1. a nationality adjective or "de + country" next to it (done by the finder, before this);
2. a place in its sentence: a country or capital introduced by a place preposition
   ("les manifestants à Nairobi", "police in Kenya"), the nearest one;
3. the report's main country: its dateline ("KYIV (Reuters) -", "PARIS, 5 mars (AFP) -"),
   else the country its mentions name most often (``main_country``);
4. none: CAMEO's unknown country, ``---`` plus the sector (``---COP``).

Each such mention says in ``via`` where its country came from.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from importlib.resources import files

from veille.actors.finder import PLACE_PREPS, Mention, place_word
from veille.actors.normalise import doc_keys, first_words, key
from veille.actors.roles import country_of
from veille.actors.tables import read_tsv
from veille.nlp.tokens import columns, doc_text

#: Mention kinds that tell which country a report is about.
FOCUS_KINDS = frozenset({"country", "capital", "demonym", "person", "title", "agent", "institution", "place"})
#: The focus country must have at least this many mentions, and this share of all of them.
MIN_MENTIONS = 2
MIN_SHARE = 0.4
MAX_WORDS = 5  # "forces de l'ordre": forces, de, l', ordre


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


@lru_cache(maxsize=8)
def _place_nouns(lang: str) -> frozenset[str]:
    """Nouns of a part of a place ("nord", "région", "outskirts"), from ``place_nouns.tsv``."""
    path = files("veille.lang").joinpath(lang).joinpath("place_nouns.tsv")
    if not path.is_file():
        return frozenset()
    return frozenset(row["word"].lower() for row in read_tsv(path) if row.get("word"))  # type: ignore[arg-type]


@lru_cache(maxsize=8)
def _first_words(lang: str) -> frozenset[str]:
    return first_words(_sector_table(lang))


def focus_country(mentions: Sequence[Mention]) -> str | None:
    """The country a report is about, when its mentions make that clear."""
    counts = Counter(m.code[:3] for m in mentions
                     if m.code and m.kind in FOCUS_KINDS and not m.code.startswith(("IGO", "NGO", "IMG")))
    if not counts:
        return None
    (top, n), total = counts.most_common(1)[0], sum(counts.values())
    return top if n >= MIN_MENTIONS and n / total >= MIN_SHARE else None


def main_country(mentions: Sequence[Mention]) -> str | None:
    """The report's main country: its focus country, else the country it names most often when
    one leads ("Une émeute a eu lieu à Athènes…" names Greece once and nothing else); None on a tie."""
    focus = focus_country(mentions)
    if focus is not None:
        return focus
    counts = Counter(m.code[:3] for m in mentions if m.code and m.kind in FOCUS_KINDS and country_of(m.code))
    top = counts.most_common(2)
    if top and (len(top) == 1 or top[0][1] > top[1][1]):
        return top[0][0]
    # a tie: the one named as a place (or where an agent is), not only through someone's
    # nationality ("une manifestation des syndicats aux Seychelles … un journaliste américain")
    tied = {c for c, n in counts.items() if top and n == top[0][1]}
    named = Counter(m.code[:3] for m in mentions if m.code[:3] in tied and m.kind not in ("demonym", "person"))
    ranked = named.most_common(2)
    if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        return ranked[0][0]
    return None


#: Mention kinds that place an agent in a country when a place preposition introduces them.
PLACE_KINDS = frozenset({"country", "capital", "place", "city", "seat"})
#: Sectors whose people travel to where organisations sit: a summit "in Brussels" does not make
#: "the prime minister" Belgian, but "à Bruxelles, 10.000 manifestants" are protesters in Belgium.
_TRAVELLING = frozenset({"GOV"})
UNKNOWN_COUNTRY = "---"
#: A dateline: the place opens a line, then an optional ", date" and "(agency)", then a dash.
_DATELINE = re.compile(r"\s*(?:,[^\n()—–-]{0,40})?\s*(?:\([^()\n]{1,40}\))?\s*[—–-]")


def dateline_country(doc, mentions: Sequence[Mention]) -> tuple[str, str] | None:
    """The country of the report's dateline ("NAIROBI, 3 March (Reuters) -"), with its text."""
    text = doc_text(doc)
    for m in mentions:
        if m.start_char > 400:
            break
        if m.kind not in PLACE_KINDS or not country_of(m.code):
            continue
        line_start = text.rfind("\n", 0, m.start_char) + 1
        if text[line_start:m.start_char].strip():
            continue
        if _DATELINE.match(text, m.end_char) or (m.text.isupper() and len(m.text) > 3
                                                  and text[m.end_char:m.end_char + 2].lstrip()[:1] in (",", "(")):
            return country_of(m.code), m.text
    return None


def _sentence_place(span, places: Sequence[Mention]) -> Mention | None:
    """The nearest country, capital or city of the span's sentence that a place preposition
    introduces."""
    sent = span.sent
    best, distance = None, None
    for m in places:
        if not (sent.start <= m.start < sent.end) or m.start < span.end and span.start < m.end:
            continue
        if not introduced_as_place(span.doc, m):
            continue
        d = abs(m.start - span.start)
        if distance is None or d < distance:
            best, distance = m, d
    return best


#: Words before "en Italie", "in Italy" that make it a comparison, not where the sentence happens.
_COMPARED = frozenset({"comme", "contrairement", "as", "like", "unlike", "than"})


def _compared(doc, m: Mention) -> bool:
    """Whether the place ``m`` is named for comparison ("comme en Italie", "as in Italy")."""
    return m.start > 1 and doc[m.start - 2].lower_ in _COMPARED and place_word(doc[m.start - 1])


#: Prepositions of a complement ("le nord de la Syrie", "the north of Syria").
_OF = frozenset({"de", "du", "des", "d'", "d’", "of"})


def introduced_as_place(doc, m: Mention) -> bool:
    """Whether a place preposition introduces the place mention ``m``: its own ("à Sfax", "in
    Mombasa", a fronted "A Copenhague,"), or that of the part of a place it completes, up to two
    nouns of the language's ``place_nouns.tsv`` up ("dans le nord de la Syrie", "dans cette ville
    du Sud-Ouest de l'Angleterre", "in the north of Syria"; not "dans l'ambassade de France", "à
    l'égard des Etats-Unis")."""
    if m.start > 0:
        before = doc[m.start - 1]
        if _compared(doc, m):
            return False  # "Comme en Italie, … les autorités": another country, for comparison
        if place_word(before) and (before.pos_ in ("ADP", "X") or before.text == "A"):
            return True
    nouns = _place_nouns(doc.lang_)
    token = doc[m.head]
    for step in range(3):
        preps = {c.lower_ for c in token.children if c.dep_ in ("case", "prep")}
        if token.dep_ == "pobj":
            preps.add(token.head.lower_)
        if preps & PLACE_PREPS:
            return step == 0 or token.lower_ in nouns
        up = token.head.head if token.dep_ == "pobj" else token.head
        if not preps & _OF or up.i == token.i or up.lower_ not in nouns:
            return False
        token = up
    return False


def country_for(span, places: Sequence[Mention], dateline: tuple[str, str] | None,
                main: str | None) -> tuple[str, str]:
    """The country of an actor the text names only by its sector, and where it came from: a
    place in its sentence, else the dateline, else the report's main country, else ``---``."""
    place = _sentence_place(span, places)
    if place is not None:
        return country_of(place.code) or UNKNOWN_COUNTRY, f"country: place in the sentence '{place.text}'"
    if dateline is not None:
        return dateline[0], f"country: dateline '{dateline[1]}'"
    if main is not None:
        return main, "country: the report's main country"
    return UNKNOWN_COUNTRY, "country unknown"


#: spaCy labels of the place names looked up in the gazetteer's places.
_PLACE_LABELS = frozenset({"GPE", "LOC"})
#: spaCy labels of names that may end with their place ("le tribunal de Lyon", "the University of
#: Manchester").
_NAMED_AFTER_PLACE_LABELS = frozenset({"ORG", "MISC", "FAC"})


#: A GeoNames city of fewer people places an agent only in a report that names its country
#: otherwise (a country, capital or nationality): "Essex" is a town of Maryland as well as an
#: English county, "Borna" (also written "Borno") a town of Saxony as well as a Nigerian state.
BIG_CITY = 100_000


def _gazetteer_places(doc, mentions: Sequence[Mention], lang: str) -> list[Mention]:
    """Cities and regions the gazetteer places in a country ("à Sfax", "in Mombasa"), where
    spaCy marks the words as a place and no actor mention covers them, or where an organisation
    the tables name by its seat follows a place word ("à Bruxelles"), or where a place ends an
    organisation's or other name ("le tribunal de Lyon"). A GeoNames city counts when it is big
    (``BIG_CITY``) or the report names its country."""
    from veille.actors.gazetteer import load_gazetteer

    gaz = load_gazetteer(lang)
    if gaz is None or not (gaz.places or gaz.cities):
        return []
    covered = {i for m in mentions if m.code for i in range(max(m.start, 0), m.end)}
    named = {country_of(m.code) for m in mentions if m.kind in ("country", "capital", "demonym") and m.code}
    out = []
    for m in mentions:
        # an organisation named by the city it sits in is that city after a place word ("A
        # Bruxelles, 10.000 manifestants…", "talks in Brussels"): a "seat", which places no
        # travelling sector (``_TRAVELLING``); it stays an actor mention too
        if m.kind in ("institution", "igo") and m.start > 0 and place_word(doc[m.start - 1]):
            folded = key(m.text)
            country = gaz.places.get(folded) or gaz.cities.get(folded, ("",))[0]
            if country:
                out.append(replace(m, code=country, name=m.text, kind="seat", via=""))
    for ent in doc.ents:
        if any(t.i in covered for t in ent):
            continue
        if ent.label_ in _PLACE_LABELS:
            start = ent.start + (1 if doc[ent.start].pos_ == "DET" else 0)
        elif ent.label_ in _NAMED_AFTER_PLACE_LABELS:
            # the place that ends a name the parser marks as an organisation or other ("le
            # tribunal de Lyon", "the University of Manchester"): the words after its last "de"/"of"
            start = next((t.i + 1 for t in reversed(ent[:-1]) if t.lower_ in _OF), None)
            if start is None:
                continue
            start += 1 if doc[start].pos_ == "DET" else 0
        else:
            continue  # a person's "de" is a particle: "Charles de Gaulle"
        span = doc[start:ent.end]
        if not len(span) or not span.text[:1].isupper():
            continue  # "des bars à champagne": the drink, not the region
        folded = key(span.text)
        country, kind = gaz.places.get(folded), "place"
        if not country and folded in gaz.cities:
            country, population = gaz.cities[folded]
            kind = "city"
            if population < BIG_CITY and country not in named:
                kind = "town"  # places no agent; may still tell a report's country (``report_places``)
        if country:
            out.append(Mention(start=span.start, end=span.end, start_char=span.start_char, end_char=span.end_char,
                               text=span.text, code=country, name=span.text, kind=kind, head=span.root.i))
    return out


def _towns_country(towns: Sequence[Mention]) -> str | None:
    """The country of a report that names none, from its cities and towns: the one at least two
    of them are in, ahead of any other ("Une manifestation à Nanterre … des heurts à Besançon"
    is French). Its agents are placed there rather than left at ``---``, as the codebook asks
    ("if the story's country is known, use it")."""
    counts = Counter(m.code for m in towns).most_common(2)
    if counts and counts[0][1] >= 2 and (len(counts) == 1 or counts[0][1] > counts[1][1]):
        return counts[0][0]
    return None


def report_places(doc, mentions: Sequence[Mention],
                  lang: str = "") -> tuple[list[Mention], tuple[str, str] | None, str | None]:
    """What ``country_for`` needs from a report: its place mentions (the gazetteer's cities
    included), dateline and main country. Made once per parsed report (kept in ``doc.user_data``):
    the implicit and referring mentions added later change none of the three."""
    cached = doc.user_data.get(("veille", "places", lang))
    if cached is not None:
        return cached
    towns = _gazetteer_places(doc, mentions, lang) if lang else []
    cities = [m for m in towns if m.kind != "town"]
    places = [m for m in [*mentions, *cities] if m.kind in PLACE_KINDS and country_of(m.code)]
    found = sorted([*mentions, *cities], key=lambda m: m.start_char)
    main = main_country([*mentions, *cities])
    if main is None and not any(m.kind in ("country", "capital", "demonym") and country_of(m.code) for m in mentions):
        main = _towns_country(towns)
    result = (places, dateline_country(doc, found), main)
    doc.user_data[("veille", "places", lang)] = result
    return result


def implicit_actors(doc, mentions: Sequence[Mention], lang: str) -> list[Mention]:
    """Mentions for bare titles and agent nouns, each with a country (or ``---``)."""
    table = _sector_table(lang)
    if not table:
        return []
    places, dateline, focus = report_places(doc, mentions, lang)
    unseated = [p for p in places if p.kind != "seat"]  # what places a travelling sector
    # uncoded entities do not block: spaCy marks "le Parlement", "the Senate" as ORG
    covered = {i for m in mentions if m.code for i in range(m.start, m.end)}
    coded = {i: m for m in mentions if m.start >= 0 and country_of(m.code) for i in range(m.start, m.end)}
    first_words = _first_words(lang)
    keys = doc_keys(doc)
    cols = columns(doc)
    out: list[Mention] = []
    i = 0
    while i < len(keys):
        if keys[i] not in first_words:
            i += 1
            continue
        match = None
        for width in range(MAX_WORDS, 0, -1):
            if i + width > len(keys) or any(j in covered for j in range(i, i + width)):
                continue
            sector = table.get(key(cols.span_text(i, i + width)))
            if sector:
                match = (doc[i:i + width], sector)
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
        country, via = (_country_of_phrase(span, coded, mentions, out, places, dateline is None)
                        or country_for(span, unseated if sector in _TRAVELLING else places, dateline, focus))
        shown = country if country != UNKNOWN_COUNTRY else "country unknown"
        out.append(Mention(start=span.start, end=span.end, start_char=span.start_char, end_char=span.end_char,
                           text=span.text, code=country + sector, name=f"{span.text} ({shown})", kind="implicit",
                           head=head, via=via))
        i = span.end
    return out


#: Dependents of an agent noun that name whose it is ("the Trump administration", "le
#: gouvernement Macron", which the French parser attaches as ``amod``): a coded mention there
#: gives the noun its country.
_OWNER_DEPS = frozenset({"compound", "nmod", "flat", "flat:name", "appos", "nn", "amod"})
#: Words that make an agent noun a definite description, which may refer back.
_DEFINITE = frozenset({"the", "le", "la", "les", "l'", "this", "ce", "cette"})


def _country_of_phrase(span, coded: dict[int, Mention], mentions: Sequence[Mention], earlier: Sequence[Mention],
                       places: Sequence[Mention], refer_back: bool = True) -> tuple[str, str] | None:
    """The country an agent noun's own phrase or the report before it gives, ahead of the
    sentence's places and the report's main country:

    1. a person or country the noun is compounded with ("the Trump administration" is American
       in a report on China; "le gouvernement Macron"), else the gazetteer city or region it is
       "of" ("le maire de Lyon", "the mayor of Chicago");
    2. a definite description ("the administration", "the president", "le gouvernement") takes
       the country of the latest earlier mention with the same noun ("the Trump administration",
       "the U.S. president", "le gouvernement français"), unless a place is attached to the noun
       itself ("the police in Kenya"): a report on Washington's sanctions against Moscow keeps
       "the president" American after naming "President Obama". Not in a report with a
       dateline (``refer_back`` False): there a bare "the government" is the dateline country's
       ("SEOUL (Reuters) - … the North Korean government … The government agreed …").

    ``coded``: token index → the mention with a country covering it."""
    doc = span.doc
    root = span.root
    for child in root.children:
        if child.dep_ in _OWNER_DEPS and not (span.start <= child.i < span.end) and child.i in coded:
            m = coded[child.i]
            if m.kind in ("person", "country", "capital", "title") and not _compared(doc, m):
                return country_of(m.code), f"country: '{m.text}'"
    # the city or region the noun is of ("le maire de Lyon", "l'archevêque de Lyon", "the governor
    # of Kirkuk"): the gazetteer's place, where no mention with a code covers the name
    for m in places:
        if m.kind in ("place", "city") and m.start > span.end - 1 and 0 <= m.head < len(doc):
            head = doc[m.head]
            french = head.dep_ == "nmod" and head.head.i == root.i and \
                any(c.dep_ == "case" and c.lower_ in _OF for c in head.children)
            english = head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.i == root.i
            if french or english:
                return country_of(m.code), f"country: '{m.text}'"
    before = span.start - 1
    while before >= 0 and doc[before].is_space:
        before -= 1
    if not refer_back or before < 0 or doc[before].lower_.replace("’", "'") not in _DEFINITE or len(span) != 1:
        return None
    if any(doc[m.head].head.i == root.i for m in places if m.start > span.start and m.head < len(doc)):
        return None
    keys = doc_keys(doc)
    noun = keys[root.i]
    latest = None  # the latest earlier mention with the same noun
    for m in (*mentions, *earlier):
        if m.end > span.start or m.start < 0 or (latest is not None and m.start <= latest.start):
            continue
        if not country_of(m.code) or (m.kind == "implicit" and not m.via.startswith(("country: '", "coreference"))):
            continue  # an earlier bare noun placed by the sentence or the report says no more
        if noun in keys[m.start:m.end]:
            latest = m
    if latest is None:
        return None
    return country_of(latest.code), f"coreference: '{latest.text}' → '{span.text}'"


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
    for i, word in enumerate(columns(doc).words):
        m = parts.get(word)
        if m is None or i in covered or i == 0:
            continue
        token = doc[i]
        if not token.is_title:
            continue
        if doc[token.i - 1].lower_ not in ("le", "du", "au", "the", "of", "la", "l'"):
            continue
        out.append(Mention(start=token.i, end=token.i + 1, start_char=token.idx, end_char=token.idx + len(token),
                           text=token.text, code=m.code, name=m.name, kind="country", head=token.i))
    return out


def with_implicit(doc, mentions: Sequence[Mention], lang: str) -> list[Mention]:
    """All mentions plus the implicit, elliptic and referring ones, sorted by position."""
    from veille.actors.coref import references

    extra = elliptic_mentions(doc, mentions)
    extra += references(doc, [*mentions, *extra], lang)  # before the implicit ones: "the two *leaders*"
    extra += implicit_actors(doc, [*mentions, *extra], lang)
    return sorted([*mentions, *extra], key=lambda m: (m.start, -m.end)) if extra else list(mentions)


__all__ = ["country_for", "dateline_country", "main_country", "report_places", "elliptic_mentions", "focus_country", "implicit_actors", "with_implicit"]
