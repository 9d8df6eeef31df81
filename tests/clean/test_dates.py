"""Tests for publication dates: declared values, datelines, merging, and the date-word tables."""

from __future__ import annotations

import csv
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from veille.clean.dates import (
    DATE_WORD_COLUMNS,
    DATE_WORD_KINDS,
    find_dateline,
    find_mentions,
    merge_dates,
    parse_declared_date,
)

SHARED = Path(__file__).resolve().parents[2].parent / "shared"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_dates_table_schema(lang):
    path = resources.files("veille").joinpath("lang", lang, "date_words.tsv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert tuple(rows[0]) == DATE_WORD_COLUMNS
    seen = set()
    for row in rows[1:]:
        assert len(row) == 3, row
        form, kind, value = row
        assert form.strip() == form and form, row
        assert kind in DATE_WORD_KINDS, row
        assert (form.lower(), kind) not in seen, row
        seen.add((form.lower(), kind))
        if kind in ("month", "weekday", "relday", "modifier"):
            int(value)
        if kind == "month":
            assert 1 <= int(value) <= 12
        if kind == "weekday":
            assert 0 <= int(value) <= 6
        if kind == "period":
            unit, _, shift = value.partition(":")
            assert unit in ("week", "month", "year") and int(shift) in (-1, 0, 1)
        if kind == "pub_cue":
            assert value in ("published", "updated")
    kinds = {row[1] for row in rows[1:]}
    assert {"month", "weekday", "relday", "period", "pub_cue"} <= kinds
    assert sorted(int(r[2]) for r in rows[1:] if r[1] == "weekday") == list(range(7))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-01", (date(2022, 1, 1), "month")),
        ("2022", (date(2022, 1, 1), "year")),
        ("2022-01-07", (date(2022, 1, 7), "day")),
        ("20220107", (date(2022, 1, 7), "day")),
        ("2022-01-07T22:10:00+01:00", (date(2022, 1, 7), "day")),
        ("2022-01-07T22:10:00Z", (date(2022, 1, 7), "day")),
        ("2022-01-07 22:10", (date(2022, 1, 7), "day")),
        ("Fri, 07 Jan 2022 10:00:00 GMT", (date(2022, 1, 7), "day")),
        ("07.01.2022", (date(2022, 1, 7), "day")),
        ("unknown", None),
        ("", None),
        (None, None),
        ("2022-13", None),
        ("2022-02-30", None),
        ("not a date", None),
    ],
)
def test_dates_parse_declared_date(value, expected):
    assert parse_declared_date(value) == expected


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (("Les Etats-Unis et le Japon ont exprimé vendredi leurs préoccupations à l'égard de la "
          "Chine pour nuire à l'ordre... 07.01.2022, Sputnik France\n\nAu cours d'une réunion"),
         "fr", (date(2022, 1, 7), "day")),
        ("Titre\n\nOrange avec AFP-Services, publié le mardi 17 septembre 2019 à 22h10\n\nTexte.",
         "fr", (date(2019, 9, 17), "day")),
        ("Un titre\njeudi 22 février 2024 - 08:42\nLe corps du texte commence ici.", "fr",
         (date(2024, 2, 22), "day")),
        ("Headline\nPublished 3 March 2021\nBody text here.", "en", (date(2021, 3, 3), "day")),
        ("Headline\nJanuary 7, 2022\nBody text.", "en", (date(2022, 1, 7), "day")),
        ("Headline\n2022-01-07\nBody.", None, (date(2022, 1, 7), "day")),
        ("Headline\nUpdated 9 March 2021\nPublished 3 March 2021\nBody.", "en",
         (date(2021, 3, 3), "day")),
        ("Titre\nLe texte.\n\npar Krikor Amirzayan le samedi 30 septembre 2023", "fr",
         (date(2023, 9, 30), "day")),
        ("Titre\nJanvier 2022\nLe texte.", "fr", (date(2022, 1, 1), "month")),
        ("Titre\nLe Parlement a adopté ce mercredi 13 mars une résolution.", "fr", None),
        # a caption in the lead is not a dateline
        ("Some girls are seen in Abuja, Nigeria, October 13, 2016. [Photo/Agencies]\n\nBody.",
         "en", None),
        # a date inside a sentence of the lead is about an event
        (("Title\nThe talks that began on January 7, 2022 in Geneva were inconclusive, "
          "officials said on Friday."), "en", None),
        ("Titre\nCela s'est passé en 2019.\nFin.", "fr", None),
        ("", "fr", None),
        ("date 2022-01 https://example.org/20220107/x.html\n\nTexte sans date.", "fr", None),
    ],
)
def test_dates_find_dateline(text, lang, expected):
    assert find_dateline(text, lang) == expected


def test_dates_find_dateline_seed_000():
    text = (SHARED / "seeds" / "000_9230cafe3ed7c3ae.txt").read_text(encoding="utf-8")
    assert find_dateline(text, "fr") == (date(2022, 1, 7), "day")


def test_dates_find_dateline_seed_001_has_none():
    text = (SHARED / "seeds" / "001_df6c4fd0f17f4fad.txt").read_text(encoding="utf-8")
    assert find_dateline(text, "fr") is None


@pytest.mark.parametrize(
    ("declared", "dateline", "expected"),
    [
        ((date(2022, 1, 1), "month"), (date(2022, 1, 7), "day"), (date(2022, 1, 7), "day", "dateline")),
        ((date(2022, 1, 1), "month"), (date(2022, 2, 7), "day"), (date(2022, 1, 1), "month", "header")),
        ((date(2022, 1, 1), "year"), (date(2022, 3, 1), "month"), (date(2022, 3, 1), "month", "dateline")),
        ((date(2022, 1, 7), "day"), (date(2022, 1, 8), "day"), (date(2022, 1, 7), "day", "header")),
        (None, (date(2022, 1, 8), "day"), (date(2022, 1, 8), "day", "dateline")),
        ((date(2022, 1, 7), "day"), None, (date(2022, 1, 7), "day", "header")),
        (None, None, (None, "unknown", "none")),
    ],
)
def test_dates_merge_dates(declared, dateline, expected):
    assert merge_dates(declared, dateline, declared_source="header") == expected


@pytest.mark.parametrize(
    ("text", "lang", "kinds"),
    [
        ("Il est parti mardi 17 septembre 2019 au matin.", "fr", ["date"]),
        ("Il a plu 3,5 milliards de gouttes sur la mer.", "fr", []),
        ("hier soir et le 1er décembre, puis la semaine dernière", "fr",
         ["relday", "date", "period"]),
        ("on Dec. 3 and last Sunday, in 2019, in January", "en",
         ["date", "weekday", "year", "month"]),
        ("aujourd’hui, l’an dernier, après-midi", "fr", ["relday", "period"]),
    ],
)
def test_dates_find_mentions_kinds(text, lang, kinds):
    assert [m.kind for m in find_mentions(text, lang)] == kinds
