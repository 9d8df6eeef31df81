"""Tests for factuality: cue-table schema and phenomena per language on real spaCy parses."""

from __future__ import annotations

import csv
from importlib import resources

import pytest

from veille.events.factuality import (
    CUE_CLASSES,
    FACTUALITY_COLUMNS,
    FACTUALITY_HOWS,
    factuality,
    looks_future,
)


def _trigger(doc, word: str):
    return next(tok for tok in doc if tok.text == word)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_factuality_table_schema(lang):
    path = resources.files("veille").joinpath("lang", lang, "factuality.tsv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert tuple(rows[0]) == FACTUALITY_COLUMNS
    seen = set()
    for row in rows[1:]:
        assert len(row) == 3, row
        cue, klass, how = row
        assert cue and cue.strip() == cue, row
        assert klass in CUE_CLASSES, row
        assert how in FACTUALITY_HOWS, row
        if how in ("morph", "perfect_morph"):
            assert "=" in cue, row
        assert (cue, how) not in seen, row
        seen.add((cue, how))
    assert {"negated", "future", "hypothetical", "reported"} <= {r[1] for r in rows[1:]}


FRENCH = [
    ("Les États-Unis livreront au Japon des missiles.", "livreront", "future"),
    ("Blinken a annoncé que les Etats-Unis et le Japon allaient signer un accord.", "signer", "future"),
    ("Blinken a annoncé que les Etats-Unis et le Japon allaient signer un accord.", "annoncé", "asserted"),
    ("Poutine pourrait être sur le point d'inverser une politique.", "inverser", "hypothetical"),
    ("La Chine n'a pas signé l'accord.", "signé", "negated"),
    ("La Russie n'a plus livré d'armes.", "livré", "negated"),
    ("La Chine n'a signé aucun accord.", "signé", "negated"),
    ("Les États-Unis ont accusé la Russie de fournir des équipements à la Corée du Nord.", "fournir", "reported"),
    ("Les États-Unis ont accusé la Russie de fournir des équipements à la Corée du Nord.", "accusé", "asserted"),
    ("Paris affirme que Moscou a livré des armes.", "livré", "reported"),
    ("Selon Washington, Moscou aurait livré des armes.", "livré", "reported"),
    ("Si la Chine attaque Taiwan, les États-Unis interviendront.", "attaque", "hypothetical"),
    ("Si la Chine attaque Taiwan, les États-Unis interviendront.", "interviendront", "hypothetical"),
    ("Le ministre a déclaré que la Chine signerait l'accord.", "signerait", "future"),
    ("La Russie a démenti avoir livré des armes.", "livré", "negated"),
    ("Le Japon a refusé de signer l'accord.", "signer", "negated"),
    ("Le président doit rencontrer son homologue mardi.", "rencontrer", "future"),
    ("Les deux pays ont signé un accord vendredi.", "signé", "asserted"),
    # a claim of responsibility as a participle on the event noun (``modifier`` cue)
    ("Un attentat revendiqué par l'État islamique a tué dix soldats.", "attentat", "reported"),
    ("Un attentat a tué dix soldats.", "attentat", "asserted"),
]

ENGLISH = [
    ("The United States will deliver missiles to Japan.", "deliver", "future"),
    ("Blinken announced that the United States and Japan were going to sign an agreement.", "sign", "future"),
    ("Putin could be about to reverse a policy.", "reverse", "hypothetical"),
    ("Russia might send troops.", "send", "hypothetical"),
    ("China did not sign the agreement.", "sign", "negated"),
    ("China didn't sign the agreement.", "sign", "negated"),
    ("He said China never sent troops.", "sent", "negated"),
    ("The United States accused Russia of supplying equipment to North Korea.", "supplying", "reported"),
    ("The United States accused Russia of supplying equipment to North Korea.", "accused", "asserted"),
    ("Russia reportedly supplied weapons.", "supplied", "reported"),
    ("Russia supplied weapons, according to Washington.", "supplied", "reported"),
    ("Officials believe that Russia supplied the drones.", "supplied", "reported"),
    ("If China attacks Taiwan, the United States would intervene.", "intervene", "hypothetical"),
    ("Palestinian leaders said they would boycott all contact with the United States.", "boycott", "future"),
    ("The two countries signed an agreement on Friday.", "signed", "asserted"),
    ("An attack claimed by the Islamic State killed ten soldiers.", "attack", "reported"),
    ("An attack killed ten soldiers.", "attack", "asserted"),
]


@pytest.mark.parametrize(("text", "word", "expected"), FRENCH)
def test_factuality_french_phenomena(nlp_fr, text, word, expected):
    assert factuality(_trigger(nlp_fr(text), word), "fr") == expected


@pytest.mark.parametrize(("text", "word", "expected"), ENGLISH)
def test_factuality_english_phenomena(nlp_en, text, word, expected):
    assert factuality(_trigger(nlp_en(text), word), "en") == expected


def test_factuality_looks_future(nlp_fr):
    assert looks_future(_trigger(nlp_fr("Les États-Unis livreront des missiles."), "livreront"), "fr")
    assert not looks_future(_trigger(nlp_fr("Les États-Unis ont livré des missiles."), "livré"), "fr")


def test_factuality_unknown_language_is_asserted(nlp_en):
    doc = nlp_en("China did not sign the agreement.")
    assert factuality(_trigger(doc, "sign"), "xx") == "asserted"
