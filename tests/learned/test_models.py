"""The learned coder's shipped models: present, small, loadable offline, refusing a mismatch."""

from __future__ import annotations

from pathlib import Path

import joblib
import pytest

from veille.errors import ModelMismatch
from veille.events import CODERS, coder_for
from veille.learned.features import FEATURE_VERSION
from veille.learned.model import bundle_path, check_meta, expected_meta, load_model

LANGS = ("fr", "en")


@pytest.mark.parametrize("lang", LANGS)
def test_bundle_loads_and_has_a_card(lang: str):
    model = load_model(lang)
    assert model.lang == lang
    assert model.meta["feature_version"] == FEATURE_VERSION
    assert set(model.types) <= set(model.thresholds)
    card = bundle_path(lang).with_suffix(".md")
    text = card.read_text(encoding="utf-8")
    for needed in ("spaCy model", "Data", "held out", model.meta["spacy_model_version"]):
        assert needed in text, f"{card.name} does not say {needed!r}"


def test_models_stay_under_50_mb():
    folder = bundle_path("fr").parent
    total = sum(p.stat().st_size for p in folder.iterdir() if p.is_file())
    assert total <= 50 * 1024 * 1024, f"models take {total / 1e6:.1f} MB"


@pytest.mark.parametrize("field,value", [("feature_version", FEATURE_VERSION + 1), ("spacy_model_version", "0.0.1"),
                                         ("sklearn", "0.1")])
def test_a_bundle_for_other_features_refuses_to_load(field: str, value, tmp_path: Path):
    meta = dict(expected_meta("fr"))
    meta[field] = value
    with pytest.raises(ModelMismatch) as info:
        check_meta("fr", meta, tmp_path / "coder-fr.joblib")
    message = str(info.value)
    assert field in message and "scripts/train.py" in message and "--coder rules" in message


def test_a_rebuilt_bundle_with_old_features_fails_at_load(tmp_path: Path, monkeypatch):
    """The real loader on a real file whose feature version is not this one's."""
    data = joblib.load(bundle_path("fr"))
    data["meta"] = dict(data["meta"], feature_version=FEATURE_VERSION - 1)
    (tmp_path / "data" / "models").mkdir(parents=True)
    joblib.dump(data, tmp_path / "data" / "models" / "coder-fr.joblib")
    monkeypatch.setattr("veille.learned.model.bundle_path", lambda lang: tmp_path / "data" / "models" / f"coder-{lang}.joblib")
    load_model.cache_clear()
    try:
        with pytest.raises(ModelMismatch, match="feature_version"):
            load_model("fr")
    finally:
        load_model.cache_clear()


def test_coder_choice():
    assert CODERS == ("auto", "learned", "rules")
    for lang in LANGS:
        assert coder_for(lang, "rules") == "rules"
        assert coder_for(lang, "learned") == "learned"
        assert coder_for(lang, "auto") in ("learned", "rules")
    assert coder_for("de", "auto") == "rules"
    with pytest.raises(ValueError):
        coder_for("fr", "neural")
