"""Tests for the cleaner's learned line model (veille.clean.line_model)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from veille.clean import line_model
from veille.clean.boilerplate import read_lines, strip_boilerplate
from veille.errors import ModelMismatch

NEWS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "news"


def norm(text: str) -> str:
    return " ".join(text.split())


def report(name: str) -> tuple[str, list[str]]:
    """A corpus report without its ``date … URL`` header: its headline and its paragraphs."""
    text = (NEWS / name).read_text(encoding="utf-8").lstrip()
    if text.startswith("date "):
        text = text.split("\n", 1)[1]
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0], lines[1:]


#: Page furniture written for these tests (not taken from the labelled pages).
MENU_EN = [
    "Skip to content",
    "Home",
    "World",
    "Politics",
    "Business",
    "Opinion",
    "Sign in",
    "Subscribe",
]
RELATED_EN = [
    "Read more",
    "Floods force thousands from their homes in the north",
    "Central bank holds rates as inflation cools",
    "Ten things to watch at this year's film festival",
]
FOOTER_EN = [
    "Share on Facebook",
    "Share on Twitter",
    "We use cookies to improve your experience on our site. By continuing you accept our use of cookies.",
    "Terms of Service | Privacy Policy | Contact us",
    "© 2024 The Morning Courier. All rights reserved.",
]
MENU_FR = [
    "Aller au contenu",
    "Accueil",
    "International",
    "Politique",
    "Économie",
    "Se connecter",
    "S'abonner",
]
RELATED_FR = [
    "À lire aussi",
    "Inondations : des milliers d'habitants évacués dans le Nord",
    "La Banque centrale maintient ses taux directeurs",
]
FOOTER_FR = [
    "Partager sur Facebook",
    "Nous utilisons des cookies pour améliorer votre expérience. En poursuivant votre navigation, vous acceptez leur utilisation.",
    "Mentions légales | Contact | Plan du site",
    "© 2024 Le Courrier du matin - Tous droits réservés",
]


def page(
    name: str, menu: list[str], related: list[str], footer: list[str]
) -> tuple[str, str, list[str]]:
    """A whole page as copied from a browser: a real report inside written furniture."""
    title, paragraphs = report(name)
    middle = len(paragraphs) // 2
    lines = [
        *menu,
        title,
        *paragraphs[:middle],
        "Advertisement",
        *paragraphs[middle:],
        *related,
        *footer,
    ]
    return "\n".join(lines), title, paragraphs


@pytest.fixture
def no_model(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """The cleaner as installed without a model file."""
    monkeypatch.setattr(line_model, "model_path", lambda: tmp_path / "missing.joblib")
    line_model.load_bundle.cache_clear()
    yield
    line_model.load_bundle.cache_clear()


def test_line_model_bundle_loads_once() -> None:
    assert line_model.available()
    bundle = line_model.load_bundle()
    assert bundle["meta"]["feature_version"] == line_model.FEATURE_VERSION
    assert line_model.load_bundle() is bundle  # read once per process
    assert line_model.model_path().stat().st_size < 2_000_000


def test_line_model_feature_version_mismatch_fails_clearly(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import joblib

    path = tmp_path / "cleaner.joblib"
    meta = {**line_model.expected_meta(), "feature_version": line_model.FEATURE_VERSION - 1}
    joblib.dump({"meta": meta}, path)
    monkeypatch.setattr(line_model, "model_path", lambda: path)
    line_model.load_bundle.cache_clear()
    try:
        with pytest.raises(ModelMismatch, match="feature_version") as caught:
            strip_boilerplate("\n".join(["Home", "News"] * 5))
        assert "train_cleaner.py" in str(caught.value)
    finally:
        line_model.load_bundle.cache_clear()


@pytest.mark.parametrize(
    ("name", "menu", "related", "footer"),
    [
        ("en/016.txt", MENU_EN, RELATED_EN, FOOTER_EN),
        ("en/025.txt", MENU_EN, RELATED_EN, FOOTER_EN),
        ("fr/035.txt", MENU_FR, RELATED_FR, FOOTER_FR),
        ("fr/050.txt", MENU_FR, RELATED_FR, FOOTER_FR),
    ],
)
def test_line_model_keeps_report_drops_furniture(
    name: str, menu: list[str], related: list[str], footer: list[str]
) -> None:
    text, title, paragraphs = page(name, menu, related, footer)
    result = strip_boilerplate(text)
    out = norm(result.text)
    long_paragraphs = [p for p in paragraphs if len(p.split()) >= 25]
    assert long_paragraphs
    assert [p for p in long_paragraphs if norm(p) not in out] == []
    kept = {norm(line) for line in result.text.split("\n\n")} | {norm(result.title or "")}
    furniture = [*menu, "Advertisement", *related, *footer]
    assert [line for line in furniture if norm(line) in kept] == []
    assert result.title == title


def test_line_model_decision_has_one_flag_per_line() -> None:
    text, _title, _paragraphs = page("en/016.txt", MENU_EN, RELATED_EN, FOOTER_EN)
    lines = read_lines(text, "en")
    decision = line_model.decide(lines)
    assert len(decision.keep) == len(lines.lines)
    probabilities = line_model.probabilities(line_model.load_bundle(), lines)
    assert probabilities.shape == (len(lines.lines), len(line_model.CLASSES))
    assert abs(float(probabilities.sum(axis=1).min()) - 1.0) < 1e-6


def test_line_model_missing_falls_back_to_rules(no_model: None) -> None:
    assert not line_model.available()
    text, _title, _paragraphs = page("fr/035.txt", MENU_FR, RELATED_FR, FOOTER_FR)
    assert strip_boilerplate(text, "fr") == strip_boilerplate(text, "fr", learned=False)
    with pytest.raises(ModelMismatch, match="no line model"):
        line_model.load_bundle()


def test_line_model_not_used_when_rules_asked() -> None:
    text, _title, _paragraphs = page("en/025.txt", MENU_EN, RELATED_EN, FOOTER_EN)
    rules = strip_boilerplate(text, "en", learned=False)
    assert "Advertisement" in rules.dropped


def test_line_model_own_features_match_line_by_line_reference() -> None:
    """The page-wide computation of the shape features gives what each line says alone."""
    import re

    lines = [
        "Accueil | Monde | Économie",
        "L'homme a dit “oui” à 10h30, le 3 mars 2024.",
        "Visit www.example.com or write to @desk today",
        "Ünïcode ÉTÉ naïve x-ray co-op 42 ½ ²",
        "北京 报道 2024",
    ]
    page = read_lines("\n".join(lines), "fr")
    own = line_model.own_features(page)
    assert own.shape[0] == len(page.lines) == len(lines)
    word_re = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
    for row, line in zip(own, page.lines):
        text = line.text
        size = max(len(text), 1)
        words = word_re.findall(text)
        assert row[15] == pytest.approx(sum(map(str.isdigit, text)) / size)
        assert row[16] == pytest.approx(sum(map(str.isupper, text)) / size)
        capitalised = sum(1 for w in words if w[0].isupper()) / len(words) if words else 0.0
        assert row[17] == pytest.approx(capitalised)
        symbols = len(text) - sum(map(str.isalnum, text)) - sum(map(str.isspace, text))
        assert row[18] == pytest.approx(symbols / size)
        assert row[19] == pytest.approx(text.count(",") / max(line.words, 1))
        assert row[21] == float(bool(line_model._URL_RE.search(text)))
        assert row[23] == float(bool(line_model._TIME_RE.search(text)))
        assert row[24] == float(bool(line_model._YEAR_RE.search(text)))
    assert own[1, 20] == 1.0 and own[0, 20] == 0.0  # quotes
    assert own[0, 22] == 1.0 and own[1, 22] == 0.0  # separators
    assert own[2, 21] == 1.0 and own[1, 21] == 0.0  # link-like
    assert own[1, 23] == 1.0 and own[2, 23] == 0.0  # time of day


def test_line_model_leaves_clean_reports_to_the_rules() -> None:
    """A report whose only furniture is cue lines (share button, agency line) and a few loose
    lines is a clean report: the rules' decision stands; a page with a site's whole menu is not
    one."""
    title, paragraphs = report("fr/035.txt")
    text = "\n".join(
        [title, *paragraphs[:2], "Partager sur Facebook", *paragraphs[2:], "© 2024 Le Courrier"]
    )
    lines = read_lines(text, "fr")
    assert line_model.clean_report(lines)
    assert strip_boilerplate(text, "fr") == strip_boilerplate(text, "fr", learned=False)
    sections = ["Monde", "Europe", "Afrique", "Sport", "Culture", "Sciences", "Planète", "Idées", "Vidéos"]
    whole, _title, _paragraphs = page("fr/035.txt", MENU_FR + sections, RELATED_FR, FOOTER_FR)
    assert not line_model.clean_report(read_lines(whole, "fr"))
