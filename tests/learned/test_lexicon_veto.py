"""The learned coder reads the trigger lexicon's object constraint as the rule coder does: a word the
lexicon knows for a type only without a direct object ("manifester", "demonstrate": to protest)
states no such event when it has one, however sure the sentence model is."""

from __future__ import annotations

import pytest

from veille.events.tables import load_coder_tables
from veille.learned.features import lexicon_vetoes
from veille.nlp import load
from veille.pipeline import extract_events


def _token(lang: str, text: str, word: str):
    doc = load(lang)(text)
    return next(t for t in doc if t.text == word)


@pytest.mark.parametrize("lang,text,word,vetoed", [
    ("fr", "La Chine a manifesté son soutien à la Russie.", "manifesté", True),
    ("fr", "Des milliers de personnes ont manifesté contre le gouvernement à Paris.", "manifesté", False),
    ("en", "The report demonstrates the risks of the new policy.", "demonstrates", True),
    ("en", "Thousands of students demonstrated against the government in Dhaka.", "demonstrated", False),
])
def test_intransitive_trigger_with_an_object_is_vetoed(lang, text, word, vetoed):
    assert lexicon_vetoes(_token(lang, text, word), "PROTEST", load_coder_tables(lang)) is vetoed


def test_other_types_are_not_vetoed_by_that_row():
    token = _token("fr", "La Chine a manifesté son soutien à la Russie.", "manifesté")
    assert not lexicon_vetoes(token, "SUPPORT", load_coder_tables("fr"))


@pytest.mark.parametrize("coder", ["learned", "rules"])
def test_support_shown_is_no_protest_for_either_coder(coder):
    _, events = extract_events("La Chine a manifesté son soutien à la Russie.", lang="fr",
                               date="2022-01-07", coder=coder)
    assert not [e for e in events if e["event"] == ["PROTEST"]], events
