"""Country codes, dated roles and place positions."""

from __future__ import annotations

import datetime as dt

import pytest

from veille.actors import country_name, country_of, location_of
from veille.actors.roles import role_code
from veille.actors.tables import Role


@pytest.mark.parametrize(
    ("code", "iso"),
    [("USAGOV", "USA"), ("JPN", "JPN"), ("IGONAT", None), ("", None), ("PRKMIL", "PRK"),
     ("NGOAMN", None), ("IMGISI", None), ("MNCEY", None), ("---COP", None)],
)
def test_roles_country_of(code, iso):
    assert country_of(code) == iso


ROLES = (
    Role("USALEG", dt.date(2011, 1, 3), dt.date(2025, 1, 20)),
    Role("USAGOV", dt.date(2025, 1, 21), None),
)


@pytest.mark.parametrize(
    ("when", "code"),
    [
        (dt.date(2020, 1, 1), "USALEG"),
        (dt.date(2025, 2, 1), "USAGOV"),
        (None, "USAGOV"),
        (dt.date(2005, 1, 1), "USA"),
    ],
)
def test_roles_role_code_by_date(when, code):
    assert role_code(ROLES, when) == code


@pytest.mark.parametrize(
    ("lang", "text", "name", "iso"),
    [
        ("fr", "Pékin", "Beijing", "CHN"),
        ("en", "Kyiv", "Kyiv", "UKR"),
        ("fr", "Corée du Nord", "North Korea", "PRK"),
        ("fr", "japonais", "Japan", "JPN"),
    ],
)
def test_geo_location_of(lang, text, name, iso):
    place = location_of(text, lang)
    assert place is not None and place.name == name and place.country == iso
    assert place.lat is not None and place.lon is not None


def test_geo_country_name():
    assert country_name("USAGOV") == "United States"
    assert location_of("Lyon", "fr") is None
