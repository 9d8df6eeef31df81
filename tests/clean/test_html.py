"""Tests for HTML main-content extraction (veille.clean.html)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from veille.clean.html import HtmlContent, extract_html

PAGES = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "pages"


def norm(text: str) -> str:
    return " ".join(text.split())


def case(name: str) -> dict:
    for line in (PAGES / "cases.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["file"] == name:
            return record
    raise KeyError(name)


def read_html(record: dict) -> str:
    return (
        (PAGES / record["file"])
        .read_bytes()
        .decode(record.get("html_encoding") or "utf-8", errors="replace")
    )


@pytest.mark.parametrize(
    ("name", "lang"),
    [
        ("gala.fr.surnom.html", "fr"),
        ("bbc.com.52241221.html", "en"),
        ("latercera.com-laagenda.html", "es"),
    ],
)
def test_html_extracts_article(name: str, lang: str) -> None:
    record = case(name)
    content = extract_html(read_html(record), record["url"])
    text = norm(content.text)
    for string in record["with"]:
        assert norm(string) in text
    assert content.lang == lang
    assert content.date == record["date"]
    assert content.title
    assert "\n\n" in content.text


def test_html_drops_page_furniture() -> None:
    record = case("gala.fr.surnom.html")
    text = norm(extract_html(read_html(record), record["url"]).text)
    for string in record["without"]:
        assert norm(string) not in text


def test_html_minimal_page_metadata() -> None:
    html = (
        '<html lang="fr-FR"><head><title>Accord à Genève</title>'
        '<meta property="article:published_time" content="2024-03-12T10:00:00+01:00"></head>'
        "<body><nav><a href='/'>Accueil</a></nav><article><h1>Accord à Genève</h1>"
        "<p>Les deux délégations ont signé mardi à Genève un accord de cessez-le-feu, a annoncé "
        "l'ONU dans un communiqué publié dans la soirée.</p>"
        "<p>Le texte prévoit le retrait des troupes dans un délai de trente jours et la libération "
        "de tous les prisonniers.</p></article><footer>© 2024 Tous droits réservés</footer></body></html>"
    )
    content = extract_html(html)
    assert content.lang == "fr"
    assert content.date == "2024-03-12"
    assert content.title == "Accord à Genève"
    assert "cessez-le-feu" in content.text and "retrait des troupes" in content.text
    assert "Accueil" not in content.text


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "   ",
        "<<<>>>",
        "\x00\x01\x02 binary",
        "<html><body>" + "<div>" * 5000 + "x" + "</div>" * 5000 + "</body></html>",
        "<html><head><title>T</title></head><body></body></html>",
        "https://example.com/article.html",
        "<p>unclosed <b>tags <i>everywhere",
        "\ufffd" * 1000,
        "<?xml version='1.0'?><rss><channel><item>x</item></channel></rss>",
    ],
)
def test_html_garbage_does_not_raise(garbage: str) -> None:
    content = extract_html(garbage)
    assert isinstance(content, HtmlContent)
    assert isinstance(content.text, str)


def test_html_non_string_input_gives_empty() -> None:
    assert extract_html(None).text == ""  # type: ignore[arg-type]
