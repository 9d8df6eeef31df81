"""The coder's fast paths give exactly what the spaCy and scikit-learn calls they replace give.

Token columns (``veille.nlp.tokens``), the learned coder's feature-dict vectoriser
(``transform_dicts``), the sentence vectors read from the vector table and the memo of the
factuality cues are speed-ups only: these tests compare each with the slow call on real text.
"""

from __future__ import annotations

import numpy as np
import pytest

from veille.actors import find_actors
from veille.actors.implicit import with_implicit
from veille.events.coder import code_document
from veille.events.factuality import _search_cues, find_cues, load_cues
from veille.events.tables import load_coder_tables
from veille.learned.features import (
    _sentence_vectors,
    candidate_features,
    candidates,
    factuality_features,
    prepare,
)
from veille.learned.model import load_model, transform_dicts
from veille.nlp.tokens import columns
from veille.records import Document

TEXTS = {
    "fr": ("PARIS, 3 mars (AFP) - Le ministre russe des Affaires étrangères, Sergueï Lavrov, a rencontré "
           "mercredi à Genève son homologue américain Antony Blinken.\n\nLes deux dirigeants n'ont pas signé "
           "d'accord, mais la Chine pourrait envoyer des troupes au Mali ? La police a arrêté des "
           "manifestants à Bamako, selon le gouvernement malien.  Fin."),
    "en": ("KYIV (Reuters) - Russian forces shelled the city on Tuesday, Ukraine's military said, and the "
           "United States condemned the attack.\nPresident Joe Biden will meet NATO leaders in Brussels; "
           "he did not say whether Washington would send more weapons to Kyiv. Police arrested protesters."),
}


@pytest.fixture(scope="module", params=sorted(TEXTS))
def parsed(request, nlp_fr, nlp_en):
    lang = request.param
    doc = (nlp_fr if lang == "fr" else nlp_en)(TEXTS[lang])
    document = Document(id=f"fast-{lang}", text=TEXTS[lang], lang=lang, lang_supported=True,
                        published=None, date_precision="unknown")
    return lang, document, doc


def test_token_columns_match_the_token_properties(parsed):
    _lang, _document, doc = parsed
    cols = columns(doc)
    assert cols.text == doc.text
    for t in doc:
        i = t.i
        assert (cols.words[i], cols.lowers[i], cols.idx[i], cols.lemmas[i], cols.pos[i], cols.deps[i]) == \
            (t.text, t.lower_, t.idx, t.lemma_, t.pos_, t.dep_)
        assert (cols.punct[i], cols.space[i], cols.sent_start[i]) == (t.is_punct, t.is_space, bool(t.is_sent_start))
        assert cols.heads[i] == t.head.i
        assert cols.kids[i] == [c.i for c in t.children]
        assert [c.i for c in cols.children(doc, i, {"nsubj", "obj", "case"})] == \
            [c.i for c in t.children if c.dep_ in {"nsubj", "obj", "case"}]
    for start in range(len(doc)):
        for end in range(start, min(len(doc), start + 6) + 1):
            assert cols.span_text(start, end) == doc[start:end].text
    assert columns(doc) is cols  # read once, then kept


def _feature_rows(lang, document, doc):
    tables = load_coder_tables(lang)
    mentions = with_implicit(doc, find_actors(doc, lang, None), lang)
    rules = code_document(document, doc, mentions, tables)
    df = prepare(doc, mentions, rules)
    fact, roles = [], []
    for unit in df.units:
        trigger = unit.span.root
        fact.append(factuality_features(unit, "ASSAULT", trigger, lang))
        for order, (m, previous) in enumerate(candidates(df, unit)):
            roles.append(candidate_features(df, unit, "ASSAULT", trigger, m, previous, order, lang))
    return df, fact, roles


def _same_matrix(a, b) -> None:
    assert a.shape == b.shape and a.dtype == b.dtype
    for name in ("data", "indices", "indptr"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name


def test_transform_dicts_is_the_vectorisers_transform(parsed):
    lang, document, doc = parsed
    model = load_model(lang)
    _df, fact, roles = _feature_rows(lang, document, doc)
    assert fact and roles
    _same_matrix(transform_dicts(model.fact_vec, fact), model.fact_vec.transform(fact))
    _same_matrix(transform_dicts(model.role_vec, roles), model.role_vec.transform(roles))
    sparse = [{}, {"no such feature": 1.0}, fact[0], {}]  # empty rows, names never fitted
    _same_matrix(transform_dicts(model.fact_vec, sparse), model.fact_vec.transform(sparse))
    odd = [dict(fact[0], tag="NOUN")]  # a string value: scikit-learn's own rules apply
    _same_matrix(transform_dicts(model.fact_vec, odd), model.fact_vec.transform(odd))


def test_sentence_vectors_are_spacys(parsed):
    lang, document, doc = parsed
    df, _fact, _roles = _feature_rows(lang, document, doc)
    for unit, vector in zip(df.units, _sentence_vectors(df)):
        span = unit.span
        if not span.has_vector:
            assert vector is None
            continue
        expected = span.vector
        assert vector.dtype == expected.dtype
        assert np.array_equal(vector, expected) and np.array_equal(np.signbit(vector), np.signbit(expected))


def test_factuality_cues_are_kept_per_token(parsed):
    lang, _document, doc = parsed
    for token in doc:
        assert find_cues(token, lang) == _search_cues(token, load_cues(lang))
        assert find_cues(token, lang) is find_cues(token, lang)

