"""Load the actor tables of one language into an immutable, searchable form.

Shipped tables (TSV with a header row):

* ``lang/_base/countries.tsv`` — ISO alpha-3 code, display name, centroid (generated
  by ``scripts/build_country_tables.py``); ``capitals.tsv``, ``igos.tsv``, ``sectors.tsv``;
  ``people.tsv`` — one row per dated role of a person (canonical spelling).
* ``lang/<code>/countries.tsv`` — country names, demonyms, compound prefixes (generated);
  ``aliases.tsv`` — capitals, institutions, IGOs (dated rows allowed);
  ``people.tsv`` — other spellings of people in ``_base/people.tsv``;
  ``titles.tsv`` / ``agents.tsv`` — person titles and collective agent nouns → sector;
  ``entity_junk.tsv`` — surfaces never reported as unknown entities.

A user file (aliases columns: surface, code, kind, name, start, end, case) adds entries;
an entry whose surface is already shipped replaces every shipped entry with that surface.
"""

from __future__ import annotations

import csv
import datetime as dt
import pathlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING

from veille.actors.normalise import key

if TYPE_CHECKING:
    from veille.actors.gazetteer import Gazetteer

LANG_ROOT = pathlib.Path(__file__).resolve().parents[1] / "lang"

#: Kinds an alias-like row may have.
NAMED_KINDS = ("country", "demonym", "prefix", "capital", "institution", "igo", "person", "place")
#: Kinds of the qualifier tables: they need a country to become an actor.
QUALIFIER_KINDS = ("title", "agent")
#: ``case`` column values: "" any case, "title" first letter upper-case, "exact" same case.
CASES = ("", "title", "exact")

TERMINAL = "\0"


@dataclass(frozen=True, slots=True)
class Entry:
    """One surface form and what it stands for."""

    surface: str
    code: str  # actor code, or the sector ("GOV") for titles and agents
    kind: str  # one of NAMED_KINDS, QUALIFIER_KINDS, or "surname"
    name: str  # display name; for people and surnames the canonical person name
    start: dt.date | None = None
    end: dt.date | None = None
    case: str = ""

    def valid_on(self, when: dt.date | None) -> bool:
        if when is None:
            return True
        return (self.start is None or self.start <= when) and (self.end is None or when <= self.end)


@dataclass(frozen=True, slots=True)
class Role:
    """A dated role of a person: ``code`` from ``start`` to ``end`` (None = open)."""

    code: str
    start: dt.date | None
    end: dt.date | None


@dataclass(frozen=True, slots=True)
class Place:
    """A country, capital or IGO seat with its display name and position."""

    code: str  # ISO alpha-3 for countries and capitals, IGO code for IGOs
    name: str
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class ActorTables:
    """Everything the finder needs for one language, built once and shared."""

    lang: str
    trie: Mapping  # nested {char: {...}}; TERMINAL → tuple[Entry, ...]
    roles: Mapping[str, tuple[Role, ...]]  # canonical person name → roles
    surnames: Mapping[str, tuple[str, ...]]  # surname key → canonical names
    countries: Mapping[str, Place]
    capitals: Mapping[str, Place]  # capital display name → place
    igos: Mapping[str, Place]
    sectors: Mapping[str, str]  # GOV → "government"
    junk: frozenset[str]  # keys of surfaces never reported as entities
    gazetteer: Gazetteer | None = None  # world people and organisations, less the hand tables' surfaces
    #: Country names that are also a place elsewhere ("Georgia", the U.S. state): key → reading
    ambiguous: Mapping[str, AmbiguousPlace] = field(default_factory=dict)


@dataclass(frozen=True)
class AmbiguousPlace:
    """A country name that also names a place of another country; the report's words decide."""

    alternative: str  # country code of the other reading
    name: str  # its display name
    alt_cues: tuple[str, ...]  # words of a report about the other reading (lower-cased)
    cues: tuple[str, ...]  # words of a report about the country


def read_tsv(path: pathlib.Path) -> list[dict[str, str]]:
    """Rows of a TSV file with a header row, cells stripped ('' for missing cells)."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [{k: (v or "").strip() for k, v in row.items() if k is not None} for row in reader]


def parse_date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _float(text: str) -> float | None:
    return float(text) if text else None


def _alias_entries(rows: Iterable[dict[str, str]]) -> list[Entry]:
    return [
        Entry(
            surface=row["surface"],
            code=row["code"],
            kind=row.get("kind") or "institution",
            name=row.get("name") or row["surface"],
            start=parse_date(row.get("start", "")),
            end=parse_date(row.get("end", "")),
            case=row.get("case", ""),
        )
        for row in rows
    ]


def _surname_of(name: str, given: str) -> str:
    """Surname used for surname-only mentions: the column, else the last word; '-' = none."""
    if given == "-":
        return ""
    return given or name.split()[-1]


def _build_trie(entries: Iterable[Entry]) -> dict:
    trie: dict = {}
    for entry in entries:
        node = trie
        for char in key(entry.surface):
            node = node.setdefault(char, {})
        node[TERMINAL] = node.get(TERMINAL, ()) + (entry,)
    return trie


def _freeze(node: dict) -> Mapping:
    return MappingProxyType({k: (v if k == TERMINAL else _freeze(v)) for k, v in node.items()})


@lru_cache(maxsize=16)
def load_tables(lang: str, user_file: pathlib.Path | None = None) -> ActorTables:
    """Build the tables of ``lang`` (plus an optional user file); cached per (lang, file)."""
    base = LANG_ROOT / "_base"
    here = LANG_ROOT / lang
    if not here.is_dir():
        raise ValueError(f"no actor tables for language {lang!r} (looked in {here})")

    countries = {
        r["code"]: Place(r["code"], r["name"], _float(r["lat"]), _float(r["lon"]))
        for r in read_tsv(base / "countries.tsv")
    }
    capitals = {
        r["name"]: Place(r["country"], r["name"], _float(r["lat"]), _float(r["lon"]))
        for r in read_tsv(base / "capitals.tsv")
    }
    igos = {
        r["code"]: Place(r["code"], r["name"], _float(r["lat"]), _float(r["lon"]))
        for r in read_tsv(base / "igos.tsv")
    }
    sectors = {r["sector"]: r["label"] for r in read_tsv(base / "sectors.tsv")}

    entries: list[Entry] = []
    for row in read_tsv(here / "countries.tsv"):
        entries.append(
            Entry(row["surface"], row["code"], row["kind"], row["name"], case=row["case"])
        )
        spaced = _unhyphenated(row["surface"]) if row["kind"] == "country" else None
        if spaced:  # "Nouvelle Zélande", "Royaume Uni": reports drop the hyphen
            entries.append(Entry(spaced, row["code"], row["kind"], row["name"], case=row["case"]))
    entries.extend(_alias_entries(read_tsv(here / "aliases.tsv")))
    for table, kind in (("titles.tsv", "title"), ("agents.tsv", "agent")):
        for row in read_tsv(here / table):
            entries.append(Entry(row["surface"], row["sector"], kind, row["surface"]))

    # People: roles by canonical name; every spelling and surname points at that name.
    roles: dict[str, list[Role]] = {}
    surnames: dict[str, set[str]] = {}
    spellings: list[tuple[str, str, str]] = []  # (surface, canonical name, surname)
    for row in read_tsv(base / "people.tsv"):
        roles.setdefault(row["name"], []).append(
            Role(row["code"], parse_date(row["start"]), parse_date(row["end"]))
        )
        spellings.append((row["name"], row["name"], row["surname"]))
    for row in read_tsv(here / "people.tsv"):
        spellings.append((row["surface"], row["name"], row["surname"]))

    user_entries = _alias_entries(read_tsv(user_file)) if user_file else []
    for entry in user_entries:
        if entry.kind == "person":
            roles.setdefault(entry.name, []).append(Role(entry.code, entry.start, entry.end))
            spellings.append((entry.surface, entry.name, ""))
    user_keys = {key(e.surface) for e in user_entries}
    if user_keys:
        # The user wins: drop shipped rows (and user-overridden people) with the same surface.
        entries = [e for e in entries if key(e.surface) not in user_keys]
        overridden = {name for surface, name, _ in spellings if key(surface) in user_keys}
        user_people = {e.name for e in user_entries if e.kind == "person"}
        for name in overridden - user_people:
            roles.pop(name, None)
        spellings = [s for s in spellings if s[1] in roles]
    entries.extend(e for e in user_entries if e.kind != "person")

    seen_spellings: set[tuple[str, str]] = set()
    for surface, name, surname in spellings:
        if (key(surface), name) in seen_spellings:
            continue
        seen_spellings.add((key(surface), name))
        entries.append(Entry(surface, "", "person", name, case="title"))
        last = _surname_of(surface, surname)
        if last and key(last) != key(surface):
            surnames.setdefault(key(last), set()).add(name)
    for skey, names in surnames.items():
        entries.append(Entry(skey, "", "surname", "|".join(sorted(names)), case="title"))

    junk = frozenset(key(r["surface"]) for r in read_tsv(here / "entity_junk.tsv"))
    ambiguous = {
        key(r["surface"]): AmbiguousPlace(r["alternative"], r["alt_name"], tuple(_cues(r["alt_cues"])), tuple(_cues(r["cues"])))
        for r in (read_tsv(here / "ambiguous_places.tsv") if (here / "ambiguous_places.tsv").exists() else [])
    }
    from veille.actors.gazetteer import load_gazetteer  # here: it builds on this module's records

    gazetteer = load_gazetteer(lang)
    if gazetteer is not None:  # the hand tables (and the user's file) win over the gazetteer
        _extend_roles(roles, gazetteer)
        gazetteer = gazetteer.without(frozenset(key(e.surface) for e in entries if e.kind not in ("title", "agent")))
    return ActorTables(
        lang=lang,
        trie=_freeze(_build_trie(entries)),
        roles=MappingProxyType({n: tuple(r) for n, r in roles.items()}),
        surnames=MappingProxyType({k: tuple(sorted(v)) for k, v in surnames.items()}),
        countries=MappingProxyType(countries),
        capitals=MappingProxyType(capitals),
        igos=MappingProxyType(igos),
        sectors=MappingProxyType(sectors),
        junk=junk,
        gazetteer=gazetteer,
        ambiguous=MappingProxyType(ambiguous),
    )


def _unhyphenated(surface: str) -> str | None:
    """The country name with spaces for its hyphens where every part is capitalised
    ("Nouvelle-Zélande" → "Nouvelle Zélande"; not "Trinité-et-Tobago"); else None."""
    if "-" not in surface:
        return None
    words = surface.split()
    if not all(part[:1].isupper() for w in words if "-" in w for part in w.split("-")):
        return None
    return surface.replace("-", " ")


def _cues(cell: str) -> list[str]:
    return [c.strip().lower() for c in cell.split("|") if c.strip()]


def _overlap(a: Role, b: Role) -> bool:
    """Two roles share more than a boundary day (one may start the day the other ends)."""
    return (a.start is None or b.end is None or a.start < b.end) and (b.start is None or a.end is None
                                                                     or b.start < a.end)


def _extend_roles(roles: dict[str, list[Role]], gazetteer: Gazetteer) -> None:
    """Give hand-table people the gazetteer's roles at dates the hand table says nothing about
    (Angela Merkel's "former official" after 2021): the hand table wins where both speak."""
    for name, hand in roles.items():
        ids = gazetteer.full.get(key(name), ())
        if len(ids) != 1:
            continue
        extra = [r for r in gazetteer.roles.get(ids[0], ()) if not any(_overlap(r, h) for h in hand)]
        hand.extend(extra)


@lru_cache(maxsize=1)
def _base_names() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    base = LANG_ROOT / "_base"
    countries = {r["code"]: r["name"] for r in read_tsv(base / "countries.tsv")}
    sectors = {r["sector"]: r["label"] for r in read_tsv(base / "sectors.tsv")}
    sectors.setdefault("POL", sectors.get("COP", "police"))  # older user files
    orgs = {r["code"]: r["name"] for r in read_tsv(base / "igos.tsv")}
    return countries, sectors, orgs


@lru_cache(maxsize=4096)
def code_name(code: str) -> str | None:
    """The one display name of an actor code, used everywhere (coder output, API, exports):
    the organisation's name (IGOUNO → "United Nations"), or the country's name followed by its
    sector labels (USAGOV → "United States government"). None for a code the tables do not
    know; the mention's own words then stand in (``ActorRef.text``)."""
    if not code:
        return None
    countries, sectors, orgs = _base_names()
    if code in orgs:
        return orgs[code]
    country = countries.get(code[:3])
    blocks = [code[i:i + 3] for i in range(3, len(code), 3)]
    if country is None or any(b not in sectors for b in blocks):
        return None
    return " ".join([country, *(sectors[b] for b in blocks)])
