"""Tests for event dates: expressions resolved against the publication date, on real parses."""

from __future__ import annotations

from datetime import date

import pytest

from veille.clean.dates import find_mentions
from veille.events.dates import resolve_event_date, resolve_mention

FRI = date(2022, 1, 7)  # a Friday
TUE = date(2025, 1, 7)  # a Tuesday


def _one(text: str, lang: str):
    mentions = find_mentions(text, lang)
    assert len(mentions) == 1, mentions
    return mentions[0]


@pytest.mark.parametrize(
    ("text", "lang", "published", "future", "expected"),
    [
        ("vendredi", "fr", FRI, False, (FRI, "day")),  # same day allowed
        ("mardi", "fr", FRI, False, (date(2022, 1, 4), "day")),
        ("lundi soir", "fr", FRI, False, (date(2022, 1, 3), "day")),
        ("jeudi matin", "fr", FRI, False, (date(2022, 1, 6), "day")),
        ("dimanche dernier", "fr", FRI, False, (date(2022, 1, 2), "day")),
        ("vendredi dernier", "fr", FRI, False, (date(2021, 12, 31), "day")),
        ("mardi", "fr", FRI, True, (date(2022, 1, 11), "day")),
        ("vendredi prochain", "fr", FRI, False, (date(2022, 1, 14), "day")),
        ("on Monday", "en", FRI, False, (date(2022, 1, 3), "day")),
        ("Tuesday", "en", TUE, False, (TUE, "day")),
        ("last Sunday", "en", FRI, False, (date(2022, 1, 2), "day")),
        ("hier", "fr", FRI, False, (date(2022, 1, 6), "day")),
        ("avant-hier", "fr", FRI, False, (date(2022, 1, 5), "day")),
        ("aujourd'hui", "fr", FRI, False, (FRI, "day")),
        ("aujourd’hui", "fr", FRI, False, (FRI, "day")),
        ("demain", "fr", FRI, True, (date(2022, 1, 8), "day")),
        ("yesterday", "en", FRI, False, (date(2022, 1, 6), "day")),
        ("tomorrow", "en", FRI, True, (date(2022, 1, 8), "day")),
        ("le 3 décembre", "fr", TUE, False, (date(2024, 12, 3), "day")),
        ("le 3 janvier", "fr", TUE, False, (date(2025, 1, 3), "day")),
        ("le 3 décembre", "fr", date(2024, 12, 10), False, (date(2024, 12, 3), "day")),
        ("le 20 janvier", "fr", TUE, True, (date(2025, 1, 20), "day")),
        ("Dec. 3", "en", TUE, False, (date(2024, 12, 3), "day")),
        ("3 décembre 2024", "fr", TUE, False, (date(2024, 12, 3), "day")),
        ("mardi 17 septembre", "fr", date(2019, 9, 17), False, (date(2019, 9, 17), "day")),
        ("le 1er mars 2021", "fr", None, False, (date(2021, 3, 1), "day")),
        ("cette semaine", "fr", FRI, False, (date(2022, 1, 3), "week")),
        ("this week", "en", FRI, False, (date(2022, 1, 3), "week")),
        ("la semaine dernière", "fr", FRI, False, (date(2021, 12, 27), "week")),
        ("l'année dernière", "fr", FRI, False, (date(2021, 1, 1), "year")),
        ("last year", "en", FRI, False, (date(2021, 1, 1), "year")),
        ("le mois dernier", "fr", FRI, False, (date(2021, 12, 1), "month")),
        ("last month", "en", date(2022, 3, 31), False, (date(2022, 2, 1), "month")),
        ("en 2019", "fr", FRI, False, (date(2019, 1, 1), "year")),
        ("in 2019", "en", None, False, (date(2019, 1, 1), "year")),
        ("en janvier 2020", "fr", FRI, False, (date(2020, 1, 1), "month")),
        ("en décembre", "fr", FRI, False, (date(2021, 12, 1), "month")),
        ("vendredi", "fr", None, False, (None, "unknown")),
        ("hier", "fr", None, False, (None, "unknown")),
        ("le 3 décembre", "fr", None, False, (None, "unknown")),
    ],
)
def test_dates_resolve_mention(text, lang, published, future, expected):
    assert resolve_mention(_one(text, lang), published, "day", future) == expected


def test_dates_coarse_publication_falls_back_for_day_words():
    month = (date(2022, 1, 1), "month")
    assert resolve_mention(_one("vendredi", "fr"), *month) == month
    assert resolve_mention(_one("le mois dernier", "fr"), *month) == (date(2021, 12, 1), "month")
    assert resolve_mention(_one("le 3 décembre", "fr"), *month) == (date(2021, 12, 3), "day")


def _resolve(nlp, text, word, lang, published, precision="day"):
    doc = nlp(text)
    trigger = next(tok for tok in doc if tok.text == word)
    return resolve_event_date(doc[:], trigger, lang, published, precision)


@pytest.mark.parametrize(
    ("text", "word", "published", "expected"),
    [
        ("Les Etats-Unis et le Japon ont exprimé vendredi leurs préoccupations.", "exprimé",
         FRI, (FRI, "day")),
        ("Antony Blinken a rencontré le premier ministre japonais à Tokyo mardi.", "rencontré",
         TUE, (TUE, "day")),
        ("Le président rencontrera son homologue vendredi.", "rencontrera", TUE,
         (date(2025, 1, 10), "day")),
        ("La Corée du Nord a procédé cette semaine au test d'un missile.", "procédé", FRI,
         (date(2022, 1, 3), "week")),
        ("Le ministre a déclaré mardi que la Chine avait attaqué le navire lundi soir.",
         "attaqué", date(2025, 1, 9), (date(2025, 1, 6), "day")),
        ("Le ministre a déclaré mardi que la Chine avait attaqué le navire lundi soir.",
         "déclaré", date(2025, 1, 9), (TUE, "day")),
        ("Les deux pays ont signé un accord.", "signé", FRI, (FRI, "day")),
        ("Les deux pays ont signé un accord.", "signé", None, (None, "unknown")),
        ("Les deux pays ont signé un accord vendredi.", "signé", None, (None, "unknown")),
        ("Les deux pays ont signé un accord le 7 janvier 2022.", "signé", None, (FRI, "day")),
    ],
)
def test_dates_resolve_event_date_french(nlp_fr, text, word, published, expected):
    assert _resolve(nlp_fr, text, word, "fr", published) == expected


@pytest.mark.parametrize(
    ("text", "word", "published", "expected"),
    [
        ("The two sides agreed to share information Friday, a UN official said on Monday.",
         "agreed", date(1999, 1, 6), (date(1999, 1, 1), "day")),
        ("The two sides agreed to share information Friday, a UN official said on Monday.",
         "said", date(1999, 1, 6), (date(1999, 1, 4), "day")),
        ("North Korea fired three missiles on Dec. 3.", "fired", TUE, (date(2024, 12, 3), "day")),
        ("Russia invaded Crimea last year.", "invaded", FRI, (date(2021, 1, 1), "year")),
        ("Japan will sign the deal on Monday.", "sign", FRI, (date(2022, 1, 10), "day")),
    ],
)
def test_dates_resolve_event_date_english(nlp_en, text, word, published, expected):
    assert _resolve(nlp_en, text, word, "en", published) == expected


def test_dates_seed_000_first_sentence(nlp_fr, seeds):
    text = (seeds / "000_9230cafe3ed7c3ae.txt").read_text(encoding="utf-8")
    doc = nlp_fr(text.split("\n", 1)[1].strip())
    trigger = next(tok for tok in doc if tok.text == "exprimé")
    assert resolve_event_date(trigger.sent, trigger, "fr", FRI, "day") == (FRI, "day")
