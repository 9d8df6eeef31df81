"""The trigger-word features (the second detection view) read the parse around a candidate word:
a topic of talks ("discuter de renforcer leur alliance") and an act ("ont renforcé leur alliance")
look the same to a bag of lemmas and differ here."""

from __future__ import annotations

import pytest

from veille.actors import find_actors, load_tables
from veille.events.coder import code_document
from veille.events.tables import load_coder_tables
from veille.learned import load_model
from veille.learned.coder import sentence_probabilities
from veille.learned.features import prepare, trigger_word_candidates, trigger_word_features
from veille.nlp import load
from veille.records import Document


def _features(lang: str, text: str):
    doc = load(lang)(text)
    document = Document(id="t", text=text, lang=lang, lang_supported=True, published=None,
                        date_precision="unknown", title=None, source="test")
    tables = load_coder_tables(lang)
    mentions = find_actors(doc, lang, None, load_tables(lang))
    df = prepare(doc, mentions, code_document(document, doc, mentions, tables))
    unit = df.units[0]
    return doc, df, unit, tables


def _word(doc, lemma: str):
    return next(t for t in doc if t.lemma_.lower() == lemma)


@pytest.mark.parametrize("lang,text,lemma,expected,absent", [
    ("fr", "La France et l'Allemagne ont renforcé leur alliance.", "renforcer", "lc=renforcer|obj:alliance",
     "hl=discuter"),
    ("fr", "La France et l'Allemagne vont discuter de renforcer leur alliance.", "renforcer", "hl=discuter",
     "root"),
    ("en", "Russia attacked Ukraine on Monday.", "attack", "root", "hl=discuss"),
    ("en", "Ministers discussed how to attack the problem.", "attack", "hl=discuss", "root"),
])
def test_features_read_the_words_governor_and_object(lang, text, lemma, expected, absent):
    doc, _df, unit, tables = _features(lang, text)
    features = trigger_word_features(unit, _word(doc, lemma), tables)
    assert expected in features
    assert absent not in features
    assert "l=" + lemma in features


def test_actor_mentions_among_the_dependents_are_features():
    doc, _df, unit, tables = _features("en", "Russia attacked Ukraine on Monday.")
    features = trigger_word_features(unit, _word(doc, "attack"), tables)
    assert any(k.startswith(("cm=nsubj:", "cm=dobj:")) for k in features), features


def test_candidates_are_lexicon_words_or_trained_lemmas():
    doc, _df, unit, tables = _features("fr", "La France et l'Allemagne ont renforcé leur alliance.")
    lexicon_only = {doc[i].lemma_.lower() for i in trigger_word_candidates(unit, frozenset(), tables)}
    assert "le" not in lexicon_only and "France" not in lexicon_only
    with_alliance = {doc[i].lemma_.lower() for i in trigger_word_candidates(unit, frozenset({"alliance"}), tables)}
    assert "alliance" in with_alliance


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_sentence_probabilities_are_one_row_per_sentence(lang):
    text = {"fr": "La Russie a attaqué l'Ukraine. Paris a condamné l'attaque.",
            "en": "Russia attacked Ukraine. Paris condemned the attack."}[lang]
    _doc, df, _unit, tables = _features(lang, text)
    model = load_model(lang)
    probs, best = sentence_probabilities([df], tables, model)
    assert probs.shape == (len(df.units), len(model.types))
    assert ((probs >= 0) & (probs <= 1)).all()
    for (sentence, event_type), i in best.get(id(df), {}).items():
        assert event_type in model.types
        assert df.units[sentence].span.start <= i < df.units[sentence].span.end


def test_a_bundle_with_a_trigger_word_model_blends_the_two_views():
    import dataclasses

    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    doc, df, unit, tables = _features("en", "Russia attacked Ukraine. Paris condemned the attack.")
    model = load_model("en")
    rows = [(u, i) for u in df.units for i in trigger_word_candidates(u, frozenset(), tables)]
    x = [trigger_word_features(u, doc[i], tables) for u, i in rows]
    y = ["ASSAULT" if doc[i].lemma_ == "attack" and doc[i].pos_ == "VERB" else "O" for _u, i in rows]
    vec = DictVectorizer(dtype=np.float32)
    clf = LogisticRegression(random_state=0).fit(vec.fit_transform(x), y)
    alone, _ = sentence_probabilities([df], tables, model)
    both = dataclasses.replace(model, token_vec=vec, token_clf=clf, token_lemmas=frozenset(), token_weight=0.5)
    blended, best = sentence_probabilities([df], tables, both)
    k = model.types.index("ASSAULT")
    words = clf.predict_proba(vec.transform(x))[:, list(clf.classes_).index("ASSAULT")]
    first = max(p for (u, _i), p in zip(rows, words) if u.index == 0)
    assert blended[0, k] == pytest.approx(0.5 * alone[0, k] + 0.5 * first, abs=1e-6)
    assert doc[best[id(df)][(0, "ASSAULT")]].lemma_ == "attack"
