"""The learned coder's models: one bundle per language in package data, loaded once per process.

A bundle is a joblib file (``veille/data/models/coder-<lang>.joblib``) holding scikit-learn
vectorisers and classifiers plus what they were built with: the feature version, the spaCy
model and its version, the scikit-learn version. Loading checks all three and fails with
:class:`~veille.errors.ModelMismatch` naming what differs and the command that rebuilds it.
Each bundle has a model card beside it (``coder-<lang>.md``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from veille.errors import ModelMismatch
from veille.learned.features import FEATURE_VERSION

#: Where the bundles live inside the package.
MODEL_DIR = ("data", "models")
REBUILD = "python scripts/train.py --lang {lang}"


@dataclass(frozen=True)
class CoderModel:
    """Everything the learned coder needs for one language."""

    lang: str
    meta: dict[str, Any]
    types: tuple[str, ...]
    sentence_vec: Any
    sentence_clf: Any
    thresholds: dict[str, float]
    role_vec: Any
    actor_clf: Any
    recipient_clf: Any
    fact_vec: Any
    fact_clf: Any
    trigger_weights: dict[str, dict[str, float]]
    role_threshold: float = 0.3
    recipient_threshold: float = 0.3
    keep_vec: Any = None
    keep_clf: Any = None  # P(a rule event is an event a reader codes)
    rule_keep: float = 0.0  # rule events with a lower keep probability are dropped
    verify_vec: Any = None
    verify_clf: Any = None  # P(a new event the sentence model proposes is one a reader codes)
    verify_threshold: float = 0.0
    silver_triggers: dict = field(default_factory=dict)  # lemma → types annotators marked it for (train)
    free_threshold: float = 0.0  # a new event needs a candidate trigger word below this probability
    extra_threshold: float = 1.01  # further actors (recipients) at or above it join the best one
    relabel_factuality: bool = False  # kept rule events take the factuality model's verdict
    recipient_vec: Any = None
    use_vectors: bool = False  # the detection input ends with the sentence's mean word vector
    token_vec: Any = None
    token_clf: Any = None  # P(a candidate word states an event of each type): the second detection view
    token_lemmas: frozenset = frozenset()  # lemmas the trigger-word model scores (besides the lexicon's)
    token_weight: float = 0.0  # a sentence's type probability: (1 - w) × sentence model + w × best word
    token_trigger: bool = False  # a new event's trigger is the word the trigger-word model finds best
    slot_features: bool = False  # the role models also see the other candidates of the event (add_slot_features)


def transform_dicts(vec: Any, rows: Sequence[Mapping[str, float]]):
    """``vec.transform(rows)`` for a fitted sparse ``DictVectorizer`` and feature dicts whose
    values are all ``float``: the same matrix (same vocabulary, values cast to ``vec.dtype``,
    indices sorted), with the names looked up in one pass over all rows. scikit-learn's own
    loop tests every value's type against several abstract classes, which made it the learned
    coder's largest single cost. Anything else (string or other values, rows that are not
    dicts, a dense vectoriser, no rows) goes to ``vec.transform``."""
    from itertools import chain, repeat

    import numpy as np
    import scipy.sparse as sp

    vocab = getattr(vec, "vocabulary_", None)
    if vocab is None or not getattr(vec, "sparse", False) or not rows or any(type(r) is not dict for r in rows):
        return vec.transform(rows)
    values = list(chain.from_iterable(map(dict.values, rows)))
    if set(map(type, values)) - {float}:
        return vec.transform(rows)  # strings, ints, None …: scikit-learn's rules
    names = chain.from_iterable(rows)
    columns = np.fromiter(map(vocab.get, names, repeat(-1)), dtype=np.int64, count=len(values))
    known = columns >= 0  # names the vectoriser was not fitted on are left out, as it does
    row_of = np.repeat(np.arange(len(rows)), [len(r) for r in rows])
    indptr = np.zeros(len(rows) + 1, dtype=np.intc)
    np.cumsum(np.bincount(row_of[known], minlength=len(rows)), out=indptr[1:])
    matrix = sp.csr_array((np.asarray(values, dtype=vec.dtype)[known], columns[known].astype(np.intc), indptr),
                          shape=(len(rows), len(vocab)), dtype=vec.dtype)
    matrix.sort_indices()
    return matrix


def bundle_path(lang: str) -> Path:
    path = files("veille")
    for part in MODEL_DIR:
        path = path.joinpath(part)
    return Path(str(path.joinpath(f"coder-{lang}.joblib")))


def available(lang: str) -> bool:
    return bundle_path(lang).is_file()


def expected_meta(lang: str) -> dict[str, Any]:
    """What a bundle must have been built with to be used in this installation."""
    import sklearn

    from veille.nlp import load, model_name

    nlp = load(lang)
    return {"feature_version": FEATURE_VERSION, "spacy_model": model_name(lang),
            "spacy_model_version": nlp.meta.get("version", ""), "sklearn": ".".join(sklearn.__version__.split(".")[:2])}


def check_meta(lang: str, meta: dict[str, Any], path: Path) -> None:
    want = expected_meta(lang)
    diffs = [f"{k} {meta.get(k)!r} (this installation: {v!r})" for k, v in want.items() if meta.get(k) != v]
    if diffs:
        raise ModelMismatch(
            f"{path}: the learned coder for {lang!r} was built with " + "; ".join(diffs)
            + f". Rebuild it with `{REBUILD.format(lang=lang)}` or code with --coder rules.")


@lru_cache(maxsize=4)
def load_model(lang: str) -> CoderModel:
    """The bundle for ``lang``; raises ModelMismatch when it was built for other features."""
    import joblib

    path = bundle_path(lang)
    if not path.is_file():
        raise ModelMismatch(f"no learned coder for {lang!r} at {path}; build it with "
                            f"`{REBUILD.format(lang=lang)}` or code with --coder rules")
    data = joblib.load(path)
    check_meta(lang, data.get("meta", {}), path)
    return CoderModel(**data)


def save_model(model: CoderModel, path: Path) -> None:
    import joblib

    path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump({k: getattr(model, k) for k in model.__dataclass_fields__}, path, compress=3)
