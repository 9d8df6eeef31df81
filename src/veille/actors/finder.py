"""Actor mentions in a parsed document: who the text talks about, with CAMEO-style codes.

Steps, each cheap:

1. ``matcher.find_hits`` finds every table surface on token boundaries.
2. Overlaps are resolved longest-first.
3. Titles and agent nouns ("le président", "l'armée") take their country from a
   demonym or "de + country" next to them ("le président russe", "the Russian army",
   "les manifestants à Hong Kong"), coordinated qualifiers giving one mention each.
4. Names of the world gazetteer (``gazetteer.py``: people with dated roles, organisations)
   not covered by the hand tables are looked up token span by token span; a person's
   surname alone codes only after the full name has appeared in the report.
5. People are resolved to the role they held at the publication date; surname-only
   mentions ("M. Poutine") resolve once the full name is in the tables; a title followed
   by a person's name becomes one person mention ("le secrétaire d'État américain Antony
   Blinken"), which also codes people the tables do not know.
6. People the tables do not know take the code of the title the report gives them, next
   to the name or in apposition ("Olof Skoog, ambassadeur de l'UE", "L'ambassadeur de
   l'UE auprès de l'ONU, Olof Skoog"); their other mentions in the report ("M. Skoog")
   take it too.
7. spaCy's named entities not covered by any of the above come back with an empty code.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from veille.actors.gazetteer import MAX_TOKENS, Gazetteer
from veille.actors.matcher import Hit, _case_ok, find_hits
from veille.actors.normalise import doc_keys, key
from veille.actors.roles import country_of, current_role, pick_entry, role_code
from veille.actors.tables import ActorTables, Entry, load_tables
from veille.nlp.tokens import TokenColumns, columns, doc_text

#: spaCy entity labels reported as unknown entities when no table covers them.
ENTITY_LABELS = frozenset({"PER", "PERSON", "ORG", "LOC", "GPE", "NORP"})
PERSON_LABELS = frozenset({"PER", "PERSON"})
#: Entity labels a name apposed to a title may carry.
_NAME_LABELS = PERSON_LABELS | {"ORG"}
#: Named kinds that can qualify a title or agent with a country (or an IGO).
COUNTRY_KINDS = frozenset({"country", "demonym", "prefix", "capital"})
#: Kinds shown to callers as they are ("prefix" is shown as "demonym").
_SHOWN_KIND = {"prefix": "demonym"}
#: Parts of speech a title's qualifier window may cross ("ministre *des Affaires
#: étrangères* japonais", "président *élu* des États-Unis").
_WINDOW_POS = frozenset({"ADJ", "NOUN", "PROPN", "ADP", "DET", "CCONJ", "NUM"})
_WINDOW_MAX = 7
#: Words introducing a place or country complement in either language.
_OF_WORDS = frozenset({"de", "du", "des", "d'", "of", "in", "a", "au", "aux", "en", "dans"})
_AND_WORDS = frozenset({"et", "and", ","})
_HONORIFICS = frozenset({"m.", "mme", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr."})


@dataclass(frozen=True, slots=True)
class Mention:
    """One actor mention: token span, character span, code and display name."""

    start: int  # spaCy token index, inclusive
    end: int  # token index, exclusive
    start_char: int  # character offsets in doc.text
    end_char: int
    text: str  # surface text
    code: str  # "USAGOV", "JPN", "IGONAT" …; "" for a named entity not in the tables
    name: str  # display name ("Antony Blinken", "United States", "Japan")
    kind: str  # country | demonym | capital | institution | person | title | agent | igo | entity
    head: int  # token index of the span's syntactic head
    via: str = ""  # how the code was found when the words alone do not say it (coreference, country)


@dataclass(slots=True)
class _Item:
    """A resolved match while the finder works (token span plus what it stands for)."""

    start: int
    end: int
    entry: Entry
    kind: str
    code: str = ""
    name: str = ""
    char_span: tuple[int, int] | None = None  # exact characters (compound parts)
    alt: Entry | None = None  # a title/agent reading of a named alias ("Congrès")


def find_actors(
    doc: Doc,
    lang: str,
    when: dt.date | None = None,
    tables: ActorTables | None = None,
) -> list[Mention]:
    """Actor mentions of ``doc``, sorted by start; the longest match wins an overlap."""
    tables = tables or load_tables(lang)
    char_to_token = _char_index(doc)
    hits = _longest_first(find_hits(doc, tables))
    items = [
        item
        for hit in hits
        if (item := _resolve(hit, doc, tables, when, char_to_token)) is not None
    ]
    items = _not_in_person_names(items, doc)
    items = _disambiguate_places(items, doc, tables)
    items = _qualify(items, doc, tables)
    world, known = _world_names(doc, tables, when, items)
    if world:
        items = sorted(items + world, key=lambda i: i.start)
    items = _attach_people(items, doc, tables, when)
    extra, learned = _learn_people(items, doc)
    for name_key, found in known.items():  # "M. Tebboune" after "Abdelmadjid Tebboune"
        learned.setdefault(name_key, found)
    items = sorted(items + extra, key=lambda i: i.start)
    items = [i for i in items if i.code or i.kind == "person"]
    mentions = [_mention(doc, i) for i in items]
    mentions.extend(_entities(doc, tables, mentions, learned))
    if learned:
        mentions.extend(_learned_names(doc, learned, mentions))
    mentions.sort(key=lambda m: (m.start, m.start_char, -m.end))
    return mentions


#: Words that introduce a place ("à Sfax", "dans le nord", "in Mombasa"): a place they govern
#: is where something happens, not who does it.
PLACE_PREPS = frozenset({"à", "a", "au", "aux", "en", "dans", "près", "in", "at", "near", "across", "throughout"})


def place_word(token) -> bool:
    """Whether ``token`` introduces a place: a place preposition, or the capital "A" that opens a
    French sentence without its accent ("A Budapest, plus d'un millier de personnes…"), which the
    parser takes for a noun of its own."""
    return token.lower_ in PLACE_PREPS or (token.text == "A" and token.doc.lang_ == "fr")


# --- step 2: overlaps -------------------------------------------------------------


def _longest_first(hits: list[Hit]) -> list[Hit]:
    chosen: list[Hit] = []
    taken: list[tuple[int, int]] = []
    for hit in sorted(hits, key=lambda h: (-(h.end - h.start), h.start)):
        if any(hit.start < e and s < hit.end for s, e in taken):
            continue
        chosen.append(hit)
        taken.append((hit.start, hit.end))
    return sorted(chosen, key=lambda h: h.start)


class _CharIndex:
    """Character offset → index of the token holding it (binary search over token starts)."""

    def __init__(self, doc: Doc) -> None:
        self.starts = columns(doc).idx

    def __getitem__(self, pos: int) -> int:
        return bisect_right(self.starts, pos) - 1


def _char_index(doc: Doc) -> _CharIndex:
    return _CharIndex(doc)


def _resolve(
    hit: Hit, doc: Doc, tables: ActorTables, when: dt.date | None, char_to_token: _CharIndex
) -> _Item | None:
    """Turn a hit into an item: pick the entry valid at ``when`` and fill in its code."""
    named = [e for e in hit.entries if e.kind not in ("title", "agent")]
    qualifiers = [e for e in hit.entries if e.kind in ("title", "agent")]
    start = char_to_token[hit.start]
    end = char_to_token[hit.end - 1] + 1
    entry = pick_entry(named, when) if named else qualifiers[0]
    if entry is None:
        return None
    alt = qualifiers[0] if qualifiers and named else None
    item = _Item(start, end, entry, entry.kind, char_span=(hit.start, hit.end), alt=alt)
    return _fill(item, tables, when)


def _fill(item: _Item, tables: ActorTables, when: dt.date | None) -> _Item:
    entry = item.entry
    if entry.kind == "person":
        item.code = role_code(tables.roles.get(entry.name, ()), when)
        item.name = entry.name
    elif entry.kind == "surname":
        item.code, item.name = _surname_code(entry, tables, when)
    elif entry.kind in ("title", "agent"):
        item.code, item.name = "", entry.surface
    else:
        item.code = entry.code
        item.name = _display(entry, tables)
    return item


def _display(entry: Entry, tables: ActorTables) -> str:
    if entry.kind in ("country", "demonym", "prefix"):
        place = tables.countries.get(entry.code)
        return place.name if place else entry.name
    return entry.name


def _surname_code(entry: Entry, tables: ActorTables, when: dt.date | None) -> tuple[str, str]:
    """Code of a surname-only mention; ambiguous surnames resolve only to a shared country."""
    names = entry.name.split("|")
    codes = {n: role_code(tables.roles.get(n, ()), when) for n in names}
    if len(names) == 1:
        return codes[names[0]], names[0]
    countries = {country_of(c) or c for c in codes.values()}
    if len(set(codes.values())) == 1:
        return next(iter(codes.values())), entry.surface.title()
    if len(countries) == 1:
        return next(iter(countries)), entry.surface.title()
    return "", entry.surface.title()


# --- step 2b: country names that are not the country --------------------------------

#: Named-entity labels of people (English and French models).
_PERSON_LABELS = frozenset({"PERSON", "PER"})
_PLACE_LABELS = frozenset({"GPE", "LOC"})


def _not_in_person_names(items: list[_Item], doc: Doc) -> list[_Item]:
    """A country name inside a longer person's name is that name ("Jim Jordan", "Chad Wolf"),
    and so is the same word alone later in the report unless the parser reads it as a place
    ("Jordan said": the congressman, not the kingdom)."""
    if not any(i.kind == "country" for i in items):
        return items
    names = [e for e in doc.ents if e.label_ in _PERSON_LABELS and len(e) > 1]
    if not names:
        return items
    inside: set[int] = set()
    words: set[str] = set()
    for item in items:
        if item.kind == "country" and any(e.start <= item.start and item.end <= e.end
                                          and e.end - e.start > item.end - item.start for e in names):
            inside.add(id(item))
            words.add(doc[item.start:item.end].text.lower())
    if not inside:
        return items
    places = {t.i for e in doc.ents if e.label_ in _PLACE_LABELS for t in e}
    return [i for i in items if id(i) not in inside and not (
        i.kind == "country" and doc[i.start:i.end].text.lower() in words
        and not any(t in places for t in range(i.start, i.end)))]


def _disambiguate_places(items: list[_Item], doc: Doc, tables: ActorTables) -> list[_Item]:
    """A country name that is also a place of another country ("Georgia", the U.S. state) takes
    the reading the report's words support (``ambiguous_places.tsv``): more cues of the other
    reading than of the country's, and the mention is coded as that other country."""
    if not tables.ambiguous:
        return items
    found = [(i, tables.ambiguous.get(key(doc[i.start:i.end].text))) for i in items if i.kind == "country"]
    found = [(i, a) for i, a in found if a is not None]
    if not found:
        return items
    text = doc_text(doc).lower()
    for item, place in found:
        if sum(text.count(c) for c in place.alt_cues) > sum(text.count(c) for c in place.cues):
            item.code, item.name = place.alternative, place.name
    return items


# --- step 3: titles and agents ---------------------------------------------------


def _qualify(items: list[_Item], doc: Doc, tables: ActorTables) -> list[_Item]:
    """Give titles and agents their country; coordinated qualifiers make extra items."""
    by_start = {item.start: item for item in items}
    consumed: set[int] = set()
    extra: list[_Item] = []
    untitled: list[_Item] = []  # titles with no country around them
    for item in items:
        sector_entry = item.entry if item.kind in ("title", "agent") else item.alt
        if sector_entry is None or id(item) in consumed:
            continue
        # An adjacent qualifier on the left ("the Japanese prime minister") binds tighter
        # than one further right, which may belong to a following title.
        found = _left_qualifiers(item, doc, items) or _right_qualifiers(item, doc, by_start)
        found = [f for f in found if id(f) not in consumed]
        if not found:
            if item.kind == "title" and not item.code:
                untitled.append(item)
            continue
        if item.kind not in ("title", "agent"):
            # A named alias that is also a qualifier noun ("Congrès"): the qualifier wins
            # only when a country is attached ("le Congrès péruvien").
            item.entry, item.kind = sector_entry, sector_entry.kind
        first, *others = found
        item.code, item.name = _qualified_code(first, sector_entry, tables)
        consumed.add(id(first))
        if first.start >= item.end:
            item.end = first.end
        else:
            item.start = first.start
        if not others:
            item.end = _complement_end(item.end, doc, by_start)
        for other in others:
            consumed.add(id(other))
            code, name = _qualified_code(other, sector_entry, tables)
            extra.append(_Item(other.start, other.end, sector_entry, sector_entry.kind, code, name))
    for item in items:
        # "le département d'État américain": a trailing demonym of the institution's own
        # country belongs to the institution's span.
        after = by_start.get(item.end)
        if (
            item.kind in ("institution", "igo")
            and after is not None
            and after.kind == "demonym"
            and id(after) not in consumed
            and country_of(after.code) == country_of(item.code)
        ):
            consumed.add(id(after))
            item.end = after.end
    live = [i for i in items if id(i) not in consumed]
    starts, ends = {i.start: i for i in live}, {i.end: i for i in live}
    for item in untitled:
        # "the Pentagon spokesman", "porte-parole du ministère français des Affaires étrangères":
        # the title holder speaks for the institution (now coded), and takes its code
        seat = _seat_of_title(item, doc, starts, ends)
        if seat is not None and id(seat) not in consumed:
            consumed.add(id(seat))
            item.code, item.name = seat.code, f"{seat.name} {item.entry.surface}"
            item.start, item.end = min(item.start, seat.start), max(item.end, seat.end)
    kept = [i for i in items if id(i) not in consumed]
    return sorted(kept + extra, key=lambda i: i.start)


#: Words that join a title to the institution it serves ("spokesman for the State Department",
#: "porte-parole du ministère").
_OF_INSTITUTION = frozenset({"of", "for", "at", "de", "du", "des", "d'", "d’"})


def _seat_of_title(item: _Item, doc: Doc, by_start: dict[int, _Item], by_end: dict[int, _Item]) -> _Item | None:
    """The coded institution a title with no country belongs to: right before it ("the Pentagon
    spokesman", "a State Department spokeswoman", "the Kremlin's spokesman", "the White House
    press secretary") or as its complement ("porte-parole du ministère français des Affaires
    étrangères", "spokesman for the State Department")."""
    def seat(other: _Item | None) -> _Item | None:
        if other is None or other.kind not in ("institution", "agent") or not other.code:
            return None
        return other if country_of(other.code) or other.code.startswith("IGO") else None

    j = item.start
    if j >= 1 and (doc[j - 1].lower_ in ("'s", "’s") or (doc[j - 1].pos_ == "NOUN" and doc[j - 1].is_lower)):
        j -= 1  # "the Kremlin's spokesman", "the White House press secretary"
    found = seat(by_end.get(j)) or seat(by_end.get(item.start))
    if found is not None:
        return found
    j = item.end
    if j < len(doc) and doc[j].lower_ in _OF_INSTITUTION:
        j += 1
        while j < len(doc) and doc[j].pos_ == "DET":
            j += 1
        return seat(by_start.get(j))
    return None


def _qualified_code(qualifier: _Item, sector: Entry, tables: ActorTables) -> tuple[str, str]:
    if qualifier.code.startswith("IGO"):
        return qualifier.code, qualifier.name
    iso = country_of(qualifier.code) or qualifier.code
    place = tables.countries.get(iso)
    label = tables.sectors.get(sector.code, sector.code.lower())
    return iso + sector.code, f"{place.name if place else iso} {label}"


def _complement_end(end: int, doc: Doc, by_start: dict[int, _Item]) -> int:
    """Extend a qualified title over its complement: "ministre japonais *des Affaires
    étrangères*", "secrétaire américain *à la Défense*" (stops at anything else)."""
    i = end
    while i < len(doc) and key(doc[i].text) in _OF_WORDS and i + 1 < len(doc):
        j = i + 1
        while j < len(doc) and doc[j].pos_ == "DET":
            j += 1
        k = j
        while (
            k < len(doc)
            and k not in by_start
            and doc[k].pos_ in ("NOUN", "PROPN", "ADJ")
            and doc[k].ent_type_ not in PERSON_LABELS
            and (k == j or doc[k].pos_ == "ADJ" or doc[k].text[:1].isupper())
        ):
            k += 1
        if k == j or j in by_start:
            break
        i = end = k
    return end


def _is_qualifier(item: _Item | None) -> bool:
    return item is not None and (item.kind in COUNTRY_KINDS or item.kind == "igo")


def _right_qualifiers(item: _Item, doc: Doc, by_start: dict[int, _Item]) -> list[_Item]:
    """Demonyms or "de/of + country" after a title, with their coordinated followers."""
    i = item.end
    limit = min(len(doc), item.end + _WINDOW_MAX)
    while i < limit:
        other = by_start.get(i)
        if other is not None:
            if not _is_qualifier(other):
                return []
            prev = key(doc[i - 1].text) if i > 0 else ""
            following = by_start.get(other.end)
            if following is not None and following.kind in ("title", "agent"):
                return []  # "prime minister and Russian President": it is the next title's
            if other.kind in ("demonym", "prefix") or prev in _OF_WORDS or doc[i - 1].pos_ == "DET":
                return [other, *_coordinated(other, doc, by_start)]
            return []
        token = doc[i]
        if not _crossable(token, i - item.end):
            return []
        i += 1
    return []


def _crossable(token, distance: int) -> bool:
    if token.pos_ in _WINDOW_POS:
        return not (token.pos_ == "PROPN" and token.ent_type_ in PERSON_LABELS)
    # participles right after the noun: "président élu", "forces déployées"
    return token.pos_ in ("VERB", "AUX") and "Part" in token.morph.get("VerbForm") and distance <= 1


def _coordinated(first: _Item, doc: Doc, by_start: dict[int, _Item]) -> list[_Item]:
    """ "américains et japonais": qualifiers joined to ``first`` by et/and/commas."""
    found = []
    i = first.end
    while i + 1 < len(doc) and doc[i].lower_ in _AND_WORDS:
        other = by_start.get(i + 1)
        if other is None or other.kind not in ("demonym", "prefix") or other.kind != first.kind:
            break
        found.append(other)
        i = other.end
    return found


def _left_qualifiers(item: _Item, doc: Doc, items: list[_Item]) -> list[_Item]:
    """ "the Russian army", "U.S. Secretary of State", "China's foreign minister"."""
    by_end = {i.end: i for i in items}
    j = item.start
    steps = 0
    while j > 0 and steps < 3:
        other = by_end.get(j)
        if other is not None:
            return [other] if _is_qualifier(other) and other.kind != "capital" else []
        token = doc[j - 1]
        if token.lower_ in ("'s", "’s") or (token.pos_ == "ADJ" and token.is_lower):
            j -= 1
            steps += 1
            continue
        return []
    return []


# --- step 4: the world gazetteer ---------------------------------------------------------

#: Lower-case words a name may hold inside it ("Ursula von der Leyen", "Abdel Fattah al-Sisi").
_NAME_PARTICLES = frozenset({"de", "du", "des", "la", "le", "van", "von", "der", "den", "al", "el", "bin", "ben",
                             "ibn", "da", "dos", "di", "do", "y", "e", "abu", "ould", "ter", "ul"})


def _world_names(doc: Doc, tables: ActorTables, when: dt.date | None,
                 items: list[_Item]) -> tuple[list[_Item], Learned]:
    """People and organisations of the world gazetteer in spans no table item covers, longest
    first; and, for each person found, their name and surnames with the code (for later
    "M. Tebboune", "Tebboune" in the same report)."""
    gaz = tables.gazetteer
    if gaz is None:
        return [], {}
    taken = {i for it in items if it.kind not in ("title", "agent") for i in range(it.start, it.end)}
    titled = {it.end - 1 for it in items if it.kind == "title"}  # last word of a title: "President"
    firsts = gaz.first_words
    out: list[_Item] = []
    known: Learned = {}
    keys = doc_keys(doc)
    cols = columns(doc)
    n = len(doc)
    i = 0
    while i < n:
        if not cols.words[i][:1].isupper() or i in taken or _split_first(keys[i]) not in firsts:
            i += 1
            continue
        found = None
        for width in range(min(MAX_TOKENS, n - i), 0, -1):
            if any(j in taken for j in range(i, i + width)) or "\n" in cols.span_text(i, i + width):
                continue
            if width > 1 and cols.sent_start[i + width - 1]:
                continue
            found = _world_item(cols, i, i + width, gaz, when, known, titled)
            if found is not None:
                break
        if found is None:
            i += 1
            continue
        out.append(found)
        i = found.end
    return out, known


def _split_first(folded: str) -> str:
    return folded.replace("-", " ").split(" ", 1)[0]


def _world_item(cols: TokenColumns, start: int, end: int, gaz: Gazetteer, when: dt.date | None,
                known: Learned, titled: set[int] = frozenset()) -> _Item | None:
    """The gazetteer person or organisation named by tokens [start, end), if any (read from the
    document's token columns: this runs for every capitalised word)."""
    text = cols.span_text(start, end)
    surface_key = key(text)
    ids = gaz.full.get(surface_key) if end - start > 1 or "-" in text else None
    if ids and cols.words[end - 1][:1].isupper() and _name_bounded(cols, start, end, titled):
        code, name = _world_person_code(ids, gaz, when, text)
        if code:
            if len(ids) == 1:
                known[surface_key] = (code, name)
                for surname in gaz.surnames.get(ids[0], ()):
                    known.setdefault(surname, (code, name))
            entry = Entry(text, code, "person", name)
            return _Item(start, end, entry, "person", code, name)
    entries = gaz.orgs.get(surface_key)
    if entries:
        fitting = [e for e in entries if _case_ok(e, text)]
        entry = pick_entry(fitting, when) if fitting else None
        if entry is not None and _name_bounded(cols, start, end, titled):
            return _Item(start, end, entry, entry.kind, entry.code, entry.name)
    return None


def _name_bounded(cols: TokenColumns, start: int, end: int, titled: set[int] = frozenset()) -> bool:
    """The span is a whole name: no capitalised proper noun right after it, nor right before
    it unless that word is an honorific ("M.", "Mr") or ends a title ("President", the
    indices in ``titled``)."""
    words, pos, sent_start = cols.words, cols.pos, cols.sent_start
    if end < len(words) and pos[end] == "PROPN" and words[end][:1].isupper() and not sent_start[end]:
        return False
    if start > 0 and not sent_start[start]:
        before = words[start - 1]
        if (pos[start - 1] == "PROPN" and before[:1].isupper() and key(before) not in _HONORIFICS
                and start - 1 not in titled):
            return False
    return True


def _world_person_code(ids: tuple[str, ...], gaz: Gazetteer, when: dt.date | None,
                       surface: str) -> tuple[str, str]:
    """The code of a gazetteer name: its person's role on that date; a name several people
    share codes only the country they share, unless the people who hold an office on that date
    rank above the others and agree ("Pedro Sanchez", Spain's prime minister since 2018 by the
    Factbook, before a Peruvian businessman of Phoenix's undated list); else nothing."""
    codes = {role_code(gaz.roles.get(p, ()), when) for p in ids}
    if len(codes) == 1:
        return next(iter(codes)), gaz.names.get(ids[0], surface)
    countries = {country_of(c) or c for c in codes}
    if len(countries) == 1:
        return next(iter(countries)), surface
    if when is not None:
        held: dict[str, tuple[int, str]] = {}
        for person in ids:
            role = current_role(gaz.roles.get(person, ()), when)
            rank = gaz.ranks.get((person, role), 1) if role is not None else -1
            held[person] = (rank, role.code if role is not None else "")
        top = max(rank for rank, _code in held.values())
        best = {p: code for p, (rank, code) in held.items() if rank == top}
        if top >= 1 and len(set(best.values())) == 1:
            person = min(best)
            return best[person], gaz.names.get(person, surface)
    return "", surface


# --- step 5: people -----------------------------------------------------------------


def _attach_people(
    items: list[_Item], doc: Doc, tables: ActorTables, when: dt.date | None
) -> list[_Item]:
    """Resolve surnames against spaCy's person entities and merge titles with names."""
    person_ents = [e for e in doc.ents if e.label_ in PERSON_LABELS]
    out: list[_Item] = []
    for item in items:
        if item.kind == "surname":
            resolved = _surname_in_context(item, doc, tables, person_ents, when)
            if resolved is not None:
                out.append(resolved)
            continue
        out.append(item)
    named = {country_of(i.code) or i.code for i in out if i.code and i.kind in COUNTRY_KINDS}
    out = _merge_titles(out, doc, person_ents, tables, when, named)
    return _honoured_people(out, doc, person_ents, tables, when, named)


#: Words that make a title a former one ("former President", "l'ancien Premier ministre").
_FORMER = frozenset({"former", "ex", "ex-", "ancien", "ancienne", "anciens", "anciennes", "late", "feu"})


#: Prepositions of a post held *at* an organisation for a country ("ambassador to the UN",
#: "représentant auprès de l'Union européenne", "ambassadrice à l'ONU").
_ACCREDITED_TO = frozenset({"to", "at", "auprès", "à", "au", "aux"})


def _sent_to(doc: Doc, item: _Item) -> bool:
    """The title is a post at an organisation for a country ("ambassador to the United Nations")."""
    return any(t.lower_ in _ACCREDITED_TO for t in doc[item.start:item.end])


def _former(doc: Doc, item: _Item) -> bool:
    """"former"/"ancien" in the title or in the two words before it."""
    return bool({t.lower_.strip("'’") for t in doc[max(0, item.start - 2):item.end]} & _FORMER)


def _present_title(doc: Doc, item: _Item) -> bool:
    """The title is a present one: no "former"/"ancien" in it or in the two words before it, and
    a sector of its own (not ELI)."""
    sector = item.entry.code
    return bool(sector) and sector != "ELI" and len(sector) == 3 and not _former(doc, item)


def _office_holder(ent: Span, tables: ActorTables, when: dt.date | None, named: set[str], country: str = "",
                   unique: bool = False) -> tuple[str, str] | None:
    """(code, name) of the one gazetteer person whose surname this is and who holds an office
    on that date (of ``country`` when the title names one, else of a country the report names):
    "le président Keïta" in a report on Mali, "M. Pachinian" in one on Armenia, with no full
    name before; not "M. Brooks" in a report on Atlanta. ``unique``: the surname must also belong
    to no one else in the gazetteer (an honorific says less than a title)."""
    gaz = tables.gazetteer
    if gaz is None:
        return None
    words = [t for t in ent if key(t.text) not in _HONORIFICS and not t.is_space]
    if not words or not words[-1].text[:1].isupper():
        return None
    surface = _tokens_text(words)
    ids = set(gaz.by_surname.get(key(surface), ()))
    if not ids and len(words) > 1:  # "Chad Wolf": the surname, and the given name must agree
        given = key(words[0].text)
        ids = {p for p in gaz.by_surname.get(key(words[-1].text), ())
               if _close(given, key(gaz.names.get(p, "").split(" ", 1)[0]))}
    if not ids or (unique and len(ids) > 1):
        return None
    held: dict[str, tuple[int, str]] = {}  # person → (rank, code)
    for person in ids:
        role = current_role(gaz.roles.get(person, ()), when)
        if role is None or len(role.code) <= 3 or role.code.endswith("ELI"):
            continue
        if country_of(role.code) == country if country else country_of(role.code) in named:
            held[person] = (gaz.ranks.get((person, role), 1), role.code)
    if not held:
        return None
    top = max(rank for rank, _code in held.values())
    best = {p: code for p, (rank, code) in held.items() if rank == top}
    if len(set(best.values())) != 1:
        return None
    person = min(best)
    return best[person], gaz.names.get(person, surface)


def _tokens_text(tokens) -> str:
    return "".join(t.text_with_ws for t in tokens).strip()


def _honoured_people(items: list[_Item], doc: Doc, person_ents: list[Span], tables: ActorTables,
                     when: dt.date | None, named: set[str]) -> list[_Item]:
    """People named by an honorific and a surname the gazetteer gives to one office holder only
    ("M. Kazimi" is not there; "M. Pachinian" is), where no table item covers them."""
    added = []
    for ent in person_ents:
        before = ent.start - 1
        while before >= 0 and doc[before].is_space:
            before -= 1
        first = ent[0] if key(ent[0].text) in _HONORIFICS else (doc[before] if before >= 0 else None)
        if first is None or key(first.text) not in _HONORIFICS:
            continue
        if any(o.start < ent.end and ent.start < o.end for o in items):
            continue
        found = _office_holder(ent, tables, when, named, unique=True)
        if found is not None:
            code, name = found
            added.append(_Item(ent.start, ent.end, Entry(ent.text, code, "person", name), "person", code, name))
    return sorted(items + added, key=lambda i: i.start) if added else items


def _surname_in_context(
    item: _Item, doc: Doc, tables: ActorTables, person_ents: list[Span], when: dt.date | None
) -> _Item | None:
    """A surname alone resolves; inside a longer name it must agree with the first name."""
    ent = next((e for e in person_ents if e.start <= item.start < e.end), None)
    if (
        ent is not None
        and ent.end == item.end
        and all(key(t.text) in _HONORIFICS or t.is_space for t in doc[ent.start : item.start])
    ):
        ent = None  # "M. Poutine", "Mr. Lavrov"
    if ent is None or (ent.start == item.start and ent.end == item.end):
        item.kind = "person"
        return item
    if ent.start == item.start:
        return None  # the "surname" is someone's first name: "Philippe Lazzarini"
    if ent.end != item.end:
        return None
    given = key(doc[ent.start : item.start].text)
    for name in item.entry.name.split("|"):
        first = key(name.split()[0])
        if _close(given.split()[0], first):
            code = role_code(tables.roles.get(name, ()), when)
            return _Item(ent.start, ent.end, item.entry, "person", code, name)
    return None


def _close(a: str, b: str) -> bool:
    """Same first name up to one or two typing differences ("Anthony"/"Antony")."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 2 or min(len(a), len(b)) < 3:
        return False
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1] <= (1 if len(b) <= 5 else 2)


def _merge_titles(items: list[_Item], doc: Doc, person_ents: list[Span], tables: ActorTables,
                  when: dt.date | None, named: set[str]) -> list[_Item]:
    """ "le secrétaire d'État américain Antony Blinken" → one person mention.

    The person's own code wins when the tables know them; otherwise the title's code
    codes the unknown person, unless the gazetteer gives the surname to one office holder of
    that date ("le président Keïta"). A comma between title and name is allowed ("Le secrétaire
    américain à la Défense, Lloyd Austin").
    """
    out: list[_Item] = []
    i = 0
    while i < len(items):
        item = items[i]
        if item.kind == "title":
            nxt_start = item.end + (1 if item.end < len(doc) and doc[item.end].text == "," else 0)
            following = items[i + 1] if i + 1 < len(items) else None
            if (
                following is not None
                and following.kind == "person"
                and following.start == nxt_start
            ):
                code = following.code
                if not code or (len(code) == 3 and country_of(item.code) == code):
                    code = item.code or code  # unknown person, or no role at that date
                elif item.code.startswith(("IGO", "NGO")) and not _former(doc, item) and not _sent_to(doc, item):
                    # "Nato Secretary General Jens Stoltenberg", "European Council President Donald
                    # Tusk": the organisation's official, whatever their national posts before or
                    # after (a report with no date would give the latest of those); not "his
                    # ambassador to the United Nations Nikki Haley", her country's envoy
                    code = item.code
                elif code.endswith("ELI") and _present_title(doc, item):
                    # "US Secretary of State Mike Pompeo" in a report of no (or a wrong) date: the
                    # title the report gives says he holds the office; his country, its sector
                    code = item.code if country_of(item.code) == country_of(code) else country_of(code) + item.entry.code
                out.append(
                    _Item(
                        item.start, following.end, following.entry, "person", code, following.name
                    )
                )
                i += 2
                continue
            ent = next((e for e in person_ents if e.start == nxt_start), None)
            if ent is not None and not any(o.start < ent.end and ent.start < o.end for o in items):
                holder = _office_holder(ent, tables, when, named, country_of(item.code) if item.code else "")
                if holder is not None:
                    code, name = holder
                    out.append(_Item(item.start, ent.end, Entry(ent.text, code, "person", name), "person",
                                     code, name))
                else:
                    out.append(_Item(item.start, ent.end, item.entry, "person", item.code, ent.text))
                i += 1
                continue
        out.append(item)
        i += 1
    return out


# --- step 6: people the report introduces ------------------------------------------

#: name key ("olof skoog", or a surname "skoog") → (code, display name)
Learned = dict[str, tuple[str, str]]


def _learn_people(items: list[_Item], doc: Doc) -> tuple[list[_Item], Learned]:
    """Code people the tables do not know from the title the report gives them.

    Returns person items for names in apposition to a title, and every such name (full
    and surname) with its code, for the name's other mentions in the report.
    """
    learned: Learned = {}
    extra: list[_Item] = []

    def learn(name: str, code: str) -> None:
        words = name.split()
        learned.setdefault(key(name), (code, name))
        if len(words) > 1 and len(words[-1]) >= 3:
            learned.setdefault(key(words[-1]), (code, name))

    for item in items:  # "le ministre vénézuélien Jorge Arreaza", merged by _merge_titles
        if item.kind == "person" and item.entry.kind == "title" and item.code:
            learn(item.name, item.code)
    titles = [i for i in items if i.kind == "title" and i.code]
    spans = [(i.start, i.end) for i in items]
    # people the tables know only by country on this date (no role then): the report's title wins
    roleless = {(i.start, i.end): i for i in items if i.kind == "person" and len(i.code) == 3}
    for ent in doc.ents:
        weak = roleless.get((ent.start, ent.end))
        if weak is not None and ent.label_ in _NAME_LABELS:
            title = _apposed_title(ent, doc, titles)
            if title is not None and country_of(title.code) == weak.code:
                weak.code = title.code
                learn(weak.name, title.code)
            continue
        # the small English model often labels people ORG; a title in apposition says person
        if ent.label_ not in _NAME_LABELS or any(s < ent.end and ent.start < e for s, e in spans):
            continue
        title = _apposed_title(ent, doc, titles)
        if title is not None:
            learn(ent.text, title.code)
            extra.append(_Item(ent.start, ent.end, title.entry, "person", title.code, ent.text))
    return extra, learned


def _apposed_title(ent: Span, doc: Doc, titles: list[_Item]) -> _Item | None:
    """The coded title set off by a comma right after the name ("Jorge Arreaza, (le) ministre
    vénézuélien…") or whose phrase ends at the comma right before it ("L'ambassadeur de l'UE
    auprès de l'ONU, Olof Skoog"), not one introduced by a preposition ("selon le ministre, X")."""
    root = doc[_head(doc, ent.start, ent.end)]
    for title in titles:
        head = doc[_head(doc, title.start, title.end)]
        if (root.dep_ == "appos" and root.head.i == head.i) or (
            head.dep_ == "appos" and ent.start <= head.head.i < ent.end
        ):
            return title
    # Without a parse link, only a closed apposition counts: set off by commas (or the end of
    # the sentence) on both sides, so "Speaking to John Smith, the Russian ambassador said" and
    # "Comme l'a dit le ministre russe, Jean Dupont a…" do not make Smith or Dupont Russian.
    after = ent.end
    if after < len(doc) and doc[after].text == ",":
        first = after + 1
        while first < len(doc) and doc[first].pos_ == "DET":
            first += 1
        for title in titles:
            if title.start == first:
                head = doc[_head(doc, title.start, title.end)]
                if _closed_after(doc, max(head.right_edge.i, title.end - 1)):
                    return title
    comma = ent.start - 1
    if comma >= 1 and doc[comma].text == ",":
        for title in titles:
            if title.end > comma:
                continue
            head = doc[_head(doc, title.start, title.end)]
            introduced = any(c.dep_ == "case" for c in head.children) or head.dep_ in ("pobj", "dobj", "obj")
            # closed ("L'ambassadeur de l'UE, Olof Skoog, a…") or fronted at the start of the
            # sentence ("Ambassadeur de l'UE auprès de l'ONU, Olof Skoog a souligné…")
            fronted = all(t.pos_ == "DET" for t in doc[head.left_edge.sent.start:head.left_edge.i])
            if (head.right_edge.i == comma - 1 and not introduced
                    and (fronted or _closed_after(doc, ent.end - 1))):
                return title
    return None


def _closed_after(doc: Doc, last: int) -> bool:
    """The phrase ending at token ``last`` is followed by a comma or ends its sentence."""
    nxt = last + 1
    return nxt >= len(doc) or doc[nxt].text in {",", ".", ";", ":", "!", "?"} or bool(doc[nxt].is_sent_start)


def _learned(span: Span, learned: Learned) -> tuple[str, str] | None:
    """The code the report gave this name elsewhere ("M. Skoog", "Skoog", "Olof Skoog")."""
    words = [t.text for t in span if not t.is_space]  # "M.\xa0Pachinian": French typography
    while words and key(words[0]) in _HONORIFICS:
        words = words[1:]
    if not words:
        return None
    found = learned.get(key(" ".join(words)))
    if found is None and len(words) == 1:
        found = learned.get(key(words[0]))
    return found


def _learned_names(doc: Doc, learned: Learned, mentions: list[Mention]) -> list[Mention]:
    """Bare surnames of people the report coded that spaCy did not mark as entities."""
    taken = {i for m in mentions for i in range(m.start, m.end)}
    cols = columns(doc)
    out = []
    for i, (word, pos) in enumerate(zip(cols.words, cols.pos)):
        if not word[:1].isupper() or i in taken or pos != "PROPN":
            continue
        token = doc[i]
        found = learned.get(key(token.text))
        before = doc[token.i - 1] if token.i else None
        if (
            found is None
            or (token.i + 1 < len(doc) and doc[token.i + 1].pos_ == "PROPN")
            or (before is not None and before.pos_ == "PROPN" and key(before.text) not in _HONORIFICS)
        ):
            continue  # unknown, or part of a longer (maybe someone else's) name
        start = token.i - 1 if token.i and key(doc[token.i - 1].text) in _HONORIFICS else token.i
        if start in taken:
            start = token.i
        out.append(Mention(start=start, end=token.i + 1, start_char=doc[start].idx,
                           end_char=token.idx + len(token), text=doc[start:token.i + 1].text,
                           code=found[0], name=found[1], kind="person", head=token.i))
    return out


# --- output -----------------------------------------------------------------------


def _head(doc: Doc, start: int, end: int) -> int:
    """The first token of [start, end) whose head is outside the span (or itself)."""
    heads = columns(doc).heads
    for i in range(start, end):
        if heads[i] < start or heads[i] >= end or heads[i] == i:
            return i
    return start


def _surface(doc: Doc, start: int, end: int, start_char: int, end_char: int) -> str:
    """The text between two character offsets, read from the tokens (``doc.text`` rebuilds the
    whole text on every access)."""
    first = doc[start]
    if end - start == 1:
        return first.text[start_char - first.idx:end_char - first.idx]
    return doc[start:end].text


def _mention(doc: Doc, item: _Item) -> Mention:
    span = item.char_span
    whole = doc[item.start : item.end]
    start_char, end_char = whole.start_char, whole.end_char
    if span is not None and item.end - item.start == 1 and span != (start_char, end_char):
        start_char, end_char = (
            span  # one part of a compound token: "japonais" in "américano-japonais"
        )
    kind = _SHOWN_KIND.get(item.kind, item.kind)
    return Mention(
        start=item.start,
        end=item.end,
        start_char=start_char,
        end_char=end_char,
        text=_surface(doc, item.start, item.end, start_char, end_char),
        code=item.code,
        name=item.name,
        kind=kind,
        head=_head(doc, item.start, item.end),
    )


def _entities(
    doc: Doc, tables: ActorTables, mentions: list[Mention], learned: Learned | None = None
) -> list[Mention]:
    """spaCy entities no table covers: people the report coded (see ``_learn_people``) as
    kind "person", the rest as kind "entity" with an empty code."""
    out = []
    for ent in doc.ents:
        if ent.label_ not in ENTITY_LABELS:
            continue
        start = ent.start
        while start < ent.end and doc[start].pos_ == "DET":
            start += 1  # "La Chine", "the Pentagon"
        if start >= ent.end:
            continue
        span = doc[start : ent.end]
        if any(m.start < span.end and span.start < m.end for m in mentions):
            continue
        if key(span.text) in tables.junk or not any(c.isalpha() for c in span.text):
            continue
        if not span.text[:1].isupper() or "\n" in span.text:
            continue
        code, name = (learned and _learned(span, learned)) or ("", span.text)
        out.append(
            Mention(
                start=span.start,
                end=span.end,
                start_char=span.start_char,
                end_char=span.end_char,
                text=span.text,
                code=code,
                name=name,
                kind="person" if code else "entity",
                head=_head(doc, span.start, span.end),
            )
        )
    return out
