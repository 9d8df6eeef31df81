"""The cleaning stage end to end: seeds, encodings, header, ids, languages."""

from datetime import date

import pytest

from veille.clean import CleanOptions, clean
from veille.clean.normalize import document_id, unglue
from veille.records import Declared, Document, RawDocument, Rejection

SEED0 = "000_9230cafe3ed7c3ae.txt"
SEED1 = "001_df6c4fd0f17f4fad.txt"


def _clean_file(path, **kw) -> Document:
    out = clean(RawDocument(source=str(path), record=None, content=path.read_bytes(), kind="text"), **kw)
    assert isinstance(out, Document), out
    return out


def test_clean_seed_000_dated_from_dateline(seeds):
    doc = _clean_file(seeds / SEED0)
    assert (doc.published, doc.date_precision, doc.lang) == (date(2022, 1, 7), "day", "fr")
    assert doc.url.startswith("https://fr.sputniknews.com/20220107/")
    assert "date 2022-01" not in doc.text
    assert "Japon. Les ministres" in doc.text  # glued sentences separated


def test_clean_seed_001_keeps_article_drops_page_furniture(seeds):
    doc = _clean_file(seeds / SEED1)
    assert (doc.published, doc.date_precision, doc.lang) == (None, "unknown", "fr")
    for kept in ["Antony Blinken s'est rendu au Japon", "La Chine s'est plainte à plusieurs reprises",
                 "Antony Blinken achèvera son voyage à Paris"]:
        assert kept in doc.text
    for gone in ["Newsletter Newsletters", "PUBLICITÉ", "Publicité", "Partager cet article", "Copier/coller",
                 "Tous droits réservés", "Issei Kato/AP", "Par Euronews avec AP", "Video editor",
                 "Accéder aux raccourcis", "À découvrir également", "premier essai de missile sol-navire",
                 "nations \"xénophobes\"", "cinquantaine d'accords", "serre la main"]:
        assert gone not in doc.text, gone


def test_clean_id_is_content_hash_and_stable(seeds):
    a = _clean_file(seeds / SEED0)
    b = clean(RawDocument(source="other", record=None, content=(seeds / SEED0).read_text("utf-8"), kind="text"))
    assert a.id == b.id == document_id(a.text)


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252", "latin-1", "utf-16", "utf-16-le", "utf-8-sig"])
def test_clean_decodes_any_encoding(encoding):
    text = "Les États-Unis et la Chine ont signé à Pékin un accord « historique » sur le commerce, selon l'AFP."
    out = clean(RawDocument(source="x", record=None, content=text.encode(encoding), kind="text"))
    assert isinstance(out, Document) and "États-Unis" in out.text and "Pékin" in out.text


def test_clean_repairs_mojibake_and_invisible_characters():
    text = "Les Ã‰tats-Unis ont rencontrÃ© le Japon.\u200b Emmanuel Mac\u00adron a parlé au président chinois."
    out = clean(RawDocument(source="x", record=None, content=text, kind="text"))
    assert "États-Unis ont rencontré" in out.text and "Emmanuel Macron" in out.text and "\u200b" not in out.text


def test_clean_header_with_impossible_date_keeps_document_undated():
    text = "date 2022-13 https://example.org/a\n\nLes États-Unis ont rencontré le Japon à Tokyo pour discuter de sécurité régionale."
    out = clean(RawDocument(source="x", record=None, content=text, kind="text"))
    assert isinstance(out, Document) and out.published is None and out.url == "https://example.org/a"


def test_clean_declared_metadata_wins(tmp_path):
    raw = RawDocument(source="r.jsonl", record="line 1", content="Washington and Tokyo held talks on Friday about the alliance and regional security.",
                      declared=Declared(id="r1", date="2022-01-07", title="Talks", lang="en", url="https://x.org"))
    out = clean(raw)
    assert (out.ext_id, out.published, out.date_precision, out.title, out.lang) == ("r1", date(2022, 1, 7), "day", "Talks", "en")


def test_clean_unsupported_language_is_flagged():
    text = "Die Bundesregierung hat am Freitag neue Sanktionen gegen Russland beschlossen, teilte ein Sprecher in Berlin mit."
    out = clean(RawDocument(source="x", record=None, content=text, kind="text"))
    assert out.lang == "de" and not out.lang_supported


def test_clean_empty_after_cleaning_is_rejected():
    out = clean(RawDocument(source="x", record=None, content="Publicité\nPartager\n", kind="text"))
    assert isinstance(out, Rejection) and "no article text" in out.reason


def test_clean_html_page(shared):
    page = shared / "corpus" / "pages" / "bbc.com.52241221.html"
    out = clean(RawDocument(source=str(page), record=None, content=page.read_bytes(), kind="html"), CleanOptions())
    assert out.lang == "en" and out.title and out.published is not None and "mass grave" in out.text


def test_unglue_restores_breaks_only_where_glued():
    assert unglue("du Japon.Les ministres") == "du Japon. Les ministres"
    assert unglue("la défenseDans un communiqué") == "la défense\n\nDans un communiqué"
    for untouched in ["WhatsApp et McDonald", "les U.S.A. et", "un iPhone neuf", "3.5 milliards"]:
        assert unglue(untouched) == untouched
