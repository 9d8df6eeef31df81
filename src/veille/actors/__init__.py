"""actors stage: find who a sentence talks about and give each actor a CAMEO-style code.

Public interface (the event coder calls it)::

    tables = load_tables("fr")                       # cached per (lang, user file)
    mentions = find_actors(doc, "fr", when=date(2025, 1, 7), tables=tables)
    country_of("USAGOV")  # → "USA"
    location_of(mention, "fr")  # → Location(name, iso3, lat, lon) or None
"""

from veille.actors.finder import Mention, find_actors
from veille.actors.geo import country_name, location_of
from veille.actors.roles import country_of
from veille.actors.tables import ActorTables, load_tables

__all__ = [
    "ActorTables",
    "Mention",
    "country_name",
    "country_of",
    "find_actors",
    "load_tables",
    "location_of",
]
