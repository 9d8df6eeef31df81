"""The role models score candidates one at a time; :func:`add_slot_features` tells each candidate
what the others of the same event are (is the trigger's subject a named side, which mention is
nearest, how many are named here), so that the report's main country is preferred only where
the sentence names no one ("les commerces seront fermés à Melbourne")."""

from __future__ import annotations

import pytest

from veille.actors import find_actors, load_tables
from veille.actors.implicit import with_implicit
from veille.events.coder import code_document
from veille.events.tables import load_coder_tables
from veille.learned.features import add_slot_features, candidate_features, candidates, prepare
from veille.nlp import load
from veille.records import Document


def _slot(lang: str, text: str, trigger_lemma: str, event_type: str):
    doc = load(lang)(text)
    document = Document(id="t", text=text, lang=lang, lang_supported=True, published=None,
                        date_precision="unknown", title=None, source="test")
    tables = load_coder_tables(lang)
    mentions = with_implicit(doc, find_actors(doc, lang, None, load_tables(lang)), lang)
    df = prepare(doc, mentions, code_document(document, doc, mentions, tables))
    unit = df.units[-1]
    trigger = next(t for t in unit.span if t.lemma_.lower() == trigger_lemma)
    slot = [(m, previous, candidate_features(df, unit, event_type, trigger, m, previous, order, lang))
            for order, (m, previous) in enumerate(candidates(df, unit))]
    return unit, trigger, slot


@pytest.mark.parametrize("lang,text,lemma,event_type,subject", [
    ("en", "Russia attacked Ukraine on Monday.", "attack", "ASSAULT", "Russia"),
    ("fr", "La police belge a arrêté 150 personnes à Bruxelles.", "arrêter", "COERCE", "belge"),
])
def test_the_subject_is_named_to_every_candidate(lang, text, lemma, event_type, subject):
    unit, trigger, slot = _slot(lang, text, lemma, event_type)
    add_slot_features(unit, event_type, trigger, slot)
    assert slot, "candidates expected"
    for m, _previous, f in slot:
        # every candidate learns that the trigger has a subject and that a candidate is it
        assert any(k.startswith("s.t_subj=True/True") for k in f), (m.text, sorted(f))
    nearest = [m for m, _p, f in slot if any(k.startswith("s.nearest=True") for k in f)]
    assert len(nearest) == 1


def test_no_subject_is_said_too():
    unit, trigger, slot = _slot("fr", "La Chine a annoncé des mesures. Les commerces seront fermés à Pékin.",
                                "fermer", "COERCE")
    add_slot_features(unit, "COERCE", trigger, slot)
    for _m, _p, f in slot:
        assert not any(k.startswith("s.t_subj=True/True") for k in f)


def test_features_are_added_not_replaced():
    unit, trigger, slot = _slot("en", "Russia attacked Ukraine on Monday.", "attack", "ASSAULT")
    before = [dict(f) for _m, _p, f in slot]
    add_slot_features(unit, "ASSAULT", trigger, slot)
    for old, (_m, _p, new) in zip(before, slot):
        assert old.items() <= new.items()
        assert len(new) > len(old)
