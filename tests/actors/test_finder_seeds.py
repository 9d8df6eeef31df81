"""The two seed reports yield the expected actor codes for their key phrases."""

from __future__ import annotations

import datetime as dt

import pytest

from veille.actors import find_actors

SEED_000 = "000_9230cafe3ed7c3ae.txt"
SEED_001 = "001_df6c4fd0f17f4fad.txt"

EXPECTED = [
    (
        SEED_000,
        dt.date(2022, 1, 7),
        [
            ("Etats-Unis", "USA"),
            ("Japon", "JPN"),
            ("Chine", "CHN"),
            ("Washington", "USAGOV"),
            ("Tokyo", "JPNGOV"),
            ("Pékin", "CHNGOV"),
            ("japonais", "JPNGOV"),
            ("secrétaire d'Etat américain Antony Blinken", "USAGOV"),
            ("chef de la diplomatie américaine", "USAGOV"),
            ("Russie", "RUS"),
            ("Ukraine", "UKR"),
            ("Corée du Nord", "PRK"),
            ("Hong Kong", "HKG"),
            ("secrétaire américain à la Défense, Lloyd Austin", "USAGOV"),
        ],
    ),
    (
        SEED_001,
        dt.date(2025, 1, 7),
        [
            ("Antony Blinken", "USAGOV"),
            ("Marco Rubio", "USALEG"),
            ("Donald Trump", "USA"),  # between his terms
            ("premier ministre japonais Shigeru Ishiba", "JPNGOV"),
            ("ministre japonais des Affaires étrangères Takeshi Iwaya", "JPNGOV"),
            ("Blinken", "USAGOV"),
            ("département d'État américain", "USAGOV"),
            ("dirigeants sud-coréens", "KORGOV"),
            ("secrétaire d'État américain Anthony Blinken", "USAGOV"),
            ("président russe Vladimir Poutine", "RUSGOV"),
            ("dirigeant nord-coréen Kim Jong-un", "PRKGOV"),
            ("Moscou", "RUSGOV"),
            ("Pyongyang", "PRKGOV"),
            ("Poutine", "RUSGOV"),
            ("RPDC", "PRK"),
            ("président sud-coréen Yoon Suk-yeol", "KORGOV"),
            ("Premier ministre japonais Ishiba", "JPNGOV"),
            ("président élu des États-Unis, Donald Trump", "USAGOV"),
            ("américano", "USA"),
            ("japonaise", "JPN"),
            ("Maison Blanche", "USAGOV"),
        ],
    ),
]


@pytest.mark.parametrize(("name", "when", "expected"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_finder_seed_key_phrases(nlp_fr, seeds, name, when, expected):
    text = (seeds / name).read_text(encoding="utf-8")
    doc = nlp_fr(text)
    found = {(m.text, m.code) for m in find_actors(doc, "fr", when)}
    missing = [pair for pair in expected if pair not in found]
    assert not missing, (missing, sorted(found))
