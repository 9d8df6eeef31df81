"""The world gazetteer: shipped, loaded offline, merged under the hand tables and the user's file."""

from __future__ import annotations

import datetime as dt
from importlib.resources import files

from veille.actors import find_actors, load_tables
from veille.actors.gazetteer import load_gazetteer
from veille.actors.normalise import key

GAZETTEER = files("veille").joinpath("data", "gazetteer")


def test_shipped_and_small():
    sizes = {n: GAZETTEER.joinpath(f"{n}.parquet").stat().st_size for n in ("people", "names", "orgs")}
    assert all(sizes.values())
    assert sum(sizes.values()) < 8_000_000
    assert GAZETTEER.joinpath("README.md").is_file()


def test_world_scale_with_french_spellings():
    gaz = load_gazetteer("fr")
    assert len(gaz.roles) > 20_000  # people with dated roles
    assert gaz.full[key("Sergueï Narychkine")] == gaz.full[key("Sergey Naryshkin")]
    assert key("Sergueï Narychkine") not in load_gazetteer("en").full  # French spellings stay French


def test_geonames_cities_with_their_country():
    gaz = load_gazetteer("fr")
    assert gaz.cities[key("Mossoul")][0] == "IRQ" and gaz.cities[key("Mosul")][0] == "IRQ"
    assert gaz.cities[key("Belfast")][0] == "GBR"  # not the South African town of 20,000
    assert key("Paris") not in gaz.cities  # a capital: the country tables have it
    assert len(gaz.cities) > 100_000


def test_small_city_only_in_a_report_naming_its_country(nlp):
    """A town of GeoNames under BIG_CITY places an agent only where the report names its country."""
    from veille.actors.implicit import BIG_CITY, report_places

    gaz = load_gazetteer("en")
    country, population = gaz.cities[key("Essex")]
    assert country == "USA" and population < BIG_CITY
    for text, expected in (("Police in Essex arrested a man.", None),
                           ("Police in Essex, in the United States, arrested a man.", "USA")):
        doc = nlp["en"](text)
        places, _dateline, _main = report_places(doc, find_actors(doc, "en"), "en")
        assert next((m.code for m in places if m.text == "Essex"), None) == expected


def test_hand_tables_win_and_gain_later_roles():
    tables = load_tables("fr")
    assert key("Angela Merkel") not in tables.gazetteer.full  # the hand table's person
    codes = {r.code for r in tables.roles["Angela Merkel"]}
    assert {"DEUGOV", "DEUELI"} <= codes  # the gazetteer adds the years the hand table leaves out


def test_user_file_overrides_the_gazetteer(tmp_path, nlp):
    user = tmp_path / "actors.tsv"
    user.write_text("surface\tcode\tkind\tname\tstart\tend\tcase\n"
                    "Jacinda Ardern\tNZLOPP\tperson\tJacinda Ardern\t\t\t\n", encoding="utf-8")
    doc = nlp["en"]("Jacinda Ardern met Emmanuel Macron in Paris.")
    when = dt.date(2020, 3, 4)
    shipped = {m.text: m.code for m in find_actors(doc, "en", when, load_tables("en"))}
    mine = {m.text: m.code for m in find_actors(doc, "en", when, load_tables("en", user))}
    assert shipped["Jacinda Ardern"] == "NZLGOV"
    assert mine["Jacinda Ardern"] == "NZLOPP"


def test_organisations(nlp):
    doc = nlp["en"]("Amnesty International criticised the Taliban on Monday.")
    codes = {m.text: m.code for m in find_actors(doc, "en", dt.date(2024, 3, 4))}
    assert codes["Amnesty International"].startswith("NGO")
    assert codes["Taliban"].startswith("AFG")  # the hand table: AFGGOV since 2021
