"""The world gazetteer: people with dated roles, organisations and places, from public data.

``scripts/build_gazetteer.py`` makes four Parquet files in ``veille/data/gazetteer/`` from
``../shared/data/actors`` (Phoenix dictionaries, CIA World Factbook, Wikidata office-holders);
see the README there. They are read once per process into dictionaries keyed on folded
surfaces (``normalise.key``): a lookup is one dict access per candidate token span, so the
finder pays for the names it meets, not for the size of the gazetteer.

The hand tables of ``veille/lang`` win: ``load_tables`` drops every gazetteer person or
organisation that shares a surface with a hand-table entry (or a user file entry).
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib.resources import files
from types import MappingProxyType

from veille.actors.normalise import key
from veille.actors.tables import Entry, Role

#: Offices a bare title names ("le président Keïta", "Prime Minister Lieberman"): ranked first
#: when a surname belongs to several office holders.
HEAD_ROLES = frozenset({"President", "Prime Minister", "Vice President", "Chancellor", "King", "Queen",
                        "Emir", "Monarch", "Supreme Leader", "Head of State", "Head of Government"})

#: Surfaces are looked up over at most this many tokens ("Abdel Fattah al-Sisi", hyphens split).
MAX_TOKENS = 7


@dataclass(frozen=True)
class Gazetteer:
    """People (full names, surnames after a full mention, dated roles) and organisations."""

    full: Mapping[str, tuple[str, ...]]  # folded full name or alias → person ids
    surnames: Mapping[str, tuple[str, ...]]  # person id → folded surnames (used after a full mention)
    roles: Mapping[str, tuple[Role, ...]]  # person id → dated roles
    names: Mapping[str, str]  # person id → display name
    orgs: Mapping[str, tuple[Entry, ...]]  # folded surface → organisation entries
    places: Mapping[str, str]  # folded place name → ISO alpha-3 ("sfax" → TUN), from Phoenix
    #: folded city name → (ISO alpha-3, population), from GeoNames ("mossoul" → IRQ): they place
    #: an agent ("la police à Mossoul") and read a dateline, but make a report's main country only
    #: in a report that names no country (a report on an American fugitive names the Mexican
    #: towns he fled through)
    cities: Mapping[str, tuple[str, int]] = field(default_factory=lambda: MappingProxyType({}))
    #: (person, role) → 2 for a head of state or government, 0 for an undated Phoenix role
    #: (stale after about 2015); other roles rank 1. Orders office holders who share a surname.
    ranks: Mapping[tuple[str, Role], int] = field(default_factory=lambda: MappingProxyType({}))

    @cached_property
    def first_words(self) -> frozenset[str]:
        """First words (folded, split at hyphens) of every surface: most tokens stop here."""
        return frozenset(k.replace("-", " ").split(" ", 1)[0] for k in (*self.full, *self.orgs))

    @cached_property
    def by_surname(self) -> Mapping[str, tuple[str, ...]]:
        """Folded surname → ids of the people (still in ``full``) who bear it: for a person the
        report names by title and surname only ("le président Keïta")."""
        present = {p for ids in self.full.values() for p in ids}
        out: dict[str, list[str]] = {}
        for person, surnames in self.surnames.items():
            if person in present:
                for surname in surnames:
                    out.setdefault(surname, []).append(person)
        return MappingProxyType({k: tuple(v) for k, v in out.items()})

    def without(self, surfaces: frozenset[str]) -> Gazetteer:
        """The gazetteer less every person and organisation with one of these folded surfaces."""
        dropped = {p for k, ids in self.full.items() if k in surfaces for p in ids}
        if not dropped and not surfaces & self.orgs.keys():
            return self
        full = {k: kept for k, ids in self.full.items() if (kept := tuple(p for p in ids if p not in dropped))}
        return Gazetteer(
            full=MappingProxyType(full),
            surnames=self.surnames,
            roles=self.roles,
            names=self.names,
            orgs=MappingProxyType({k: v for k, v in self.orgs.items() if k not in surfaces}),
            places=self.places,
            cities=self.cities,
            ranks=self.ranks,
        )


def _dates(column) -> list[dt.date | None]:
    return [d if isinstance(d, dt.date) or d is None else dt.date.fromisoformat(str(d)) for d in column]


@lru_cache(maxsize=4)
def load_gazetteer(lang: str) -> Gazetteer | None:
    """The gazetteer's entries for ``lang`` (names marked for the other language left out);
    None when the package was built without it."""
    import pyarrow.parquet as pq

    root = files("veille").joinpath("data", "gazetteer")
    paths = {n: root.joinpath(f"{n}.parquet") for n in ("people", "names", "orgs", "places")}
    if not all(p.is_file() for p in paths.values()):
        return None
    people = pq.read_table(str(paths["people"]), columns=["person", "name", "code", "start", "end", "role",
                                                          "source"]).to_pydict()
    roles: dict[str, list[Role]] = {}
    names: dict[str, str] = {}
    ranks: dict[tuple[str, Role], int] = {}
    for person, name, code, start, end, office, source in zip(
            people["person"], people["name"], people["code"], _dates(people["start"]), _dates(people["end"]),
            people["role"], people["source"]):
        role = Role(code, start, end)
        roles.setdefault(person, []).append(role)
        names.setdefault(person, name)
        if office in HEAD_ROLES:
            ranks[person, role] = 2
        elif source == "phoenix" and end is None:
            ranks[person, role] = 0
    spelled = pq.read_table(str(paths["names"]), columns=["person", "surface", "lang", "kind"]).to_pydict()
    full: dict[str, set[str]] = {}
    surnames: dict[str, set[str]] = {}
    for person, surface, surface_lang, kind in zip(spelled["person"], spelled["surface"], spelled["lang"],
                                                   spelled["kind"]):
        if person not in roles or (surface_lang and surface_lang != lang):
            continue
        if kind == "surname":
            surnames.setdefault(person, set()).add(key(surface))
        else:
            full.setdefault(key(surface), set()).add(person)
    org_rows = pq.read_table(str(paths["orgs"]), columns=["surface", "code", "name", "case", "start",
                                                          "end"]).to_pydict()
    orgs: dict[str, list[Entry]] = {}
    for surface, code, name, case, start, end in zip(
            org_rows["surface"], org_rows["code"], org_rows["name"], org_rows["case"],
            _dates(org_rows["start"]), _dates(org_rows["end"])):
        shown = "igo" if code.startswith("IGO") else "institution"
        orgs.setdefault(key(surface), []).append(Entry(surface, code, shown, name or surface, start, end, case or ""))
    place_rows = pq.read_table(str(paths["places"]), columns=["surface", "country", "source", "population"]).to_pydict()
    places: dict[str, str] = {}
    cities: dict[str, tuple[str, int]] = {}
    for surface, country, source, population in zip(place_rows["surface"], place_rows["country"],
                                                    place_rows["source"], place_rows["population"]):
        if source == "geonames":
            cities[key(surface)] = (country, population or 0)
        else:
            places[key(surface)] = country
    gazetteer = Gazetteer(
        places=MappingProxyType(places),
        cities=MappingProxyType(cities),
        full=MappingProxyType({k: tuple(sorted(v)) for k, v in full.items()}),
        surnames=MappingProxyType({p: tuple(sorted(v)) for p, v in surnames.items()}),
        roles=MappingProxyType({p: tuple(sorted(r, key=lambda x: x.start or dt.date.min)) for p, r in roles.items()}),
        names=MappingProxyType(names),
        orgs=MappingProxyType({k: tuple(v) for k, v in orgs.items()}),
        ranks=MappingProxyType(ranks),
    )
    # Some 300,000 objects that live as long as the process: keep them out of the garbage
    # collector's later passes, which otherwise walk them all and slow the coder down.
    gc.freeze()
    return gazetteer


__all__ = ["MAX_TOKENS", "Gazetteer", "load_gazetteer"]
