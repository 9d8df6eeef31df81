"""Display names and positions of actors, for event locations and maps."""

from __future__ import annotations

from veille.actors.finder import Mention
from veille.actors.normalise import key
from veille.actors.roles import country_of
from veille.actors.tables import TERMINAL, ActorTables, load_tables
from veille.records import Location


def country_name(code: str, lang: str = "en") -> str | None:
    """Display name of the country of an actor code: "USAGOV" → "United States"."""
    iso = country_of(code)
    place = load_tables(lang).countries.get(iso) if iso else None
    return place.name if place else None


def _lookup(text: str, tables: ActorTables):
    node = tables.trie
    for char in key(text):
        node = node.get(char)
        if node is None:
            return ()
    return node.get(TERMINAL, ())


def location_of(
    mention: Mention | str, lang: str, tables: ActorTables | None = None
) -> Location | None:
    """Where a place mention points: capitals and countries with coordinates.

    Accepts a ``Mention`` (country, demonym, capital, igo, or an unknown entity whose
    text is a known place) or a plain surface such as "Pékin". Returns None for
    anything that is not a place the tables know.
    """
    tables = tables or load_tables(lang)
    text = mention.text if isinstance(mention, Mention) else mention
    for entry in _lookup(text, tables):
        if entry.kind == "capital":
            place = tables.capitals.get(entry.name)
            if place is not None:
                return Location(place.name, place.code, place.lat, place.lon)
        if entry.kind in ("country", "demonym", "prefix"):
            place = tables.countries.get(entry.code)
            if place is not None:
                return Location(place.name, place.code, place.lat, place.lon)
    if isinstance(mention, Mention) and mention.kind in ("country", "capital", "demonym"):
        iso = country_of(mention.code)
        place = tables.countries.get(iso) if iso else None
        if place is not None:
            return Location(place.name, place.code, place.lat, place.lon)
    return None
