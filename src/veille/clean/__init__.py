"""Clean: a raw report in, a clean, dated, language-tagged Document out.

Entry function: :func:`clean`. Steps, in order, each with its reason:
1. decode bytes and repair encoding (files arrive in any encoding, often mangled);
2. split the optional ``date … URL`` header of plain-text reports;
3. HTML: main-content extraction; plain text: line-level boilerplate removal (users
   paste whole web pages, and menus or "read also" links must never become events);
4. language id on the clean text (cue tables and models are per language);
5. publication date from header, declared metadata, HTML metadata or a dateline;
6. id = hash of the normalised clean text, so the same report is stored once.
Problems give a Rejection with the reason, never an exception.
"""

from __future__ import annotations

from dataclasses import dataclass

from veille.clean.boilerplate import strip_boilerplate
from veille.clean.dates import find_dateline, merge_dates, parse_declared_date
from veille.clean.encoding import decode, repair
from veille.clean.header import split_header
from veille.clean.html import extract_html
from veille.clean.langid import detect_language, is_supported
from veille.clean.normalize import document_id, tidy, unglue
from veille.records import Document, RawDocument, Rejection

__all__ = ["CleanOptions", "clean", "clean_text"]


@dataclass(frozen=True, slots=True)
class CleanOptions:
    lang: str | None = None  # force a language; None = detect
    min_words: int = 3  # fewer words after cleaning: nothing to code, rejected
    strip: bool = True  # remove page furniture from plain text


def clean(raw: RawDocument, options: CleanOptions = CleanOptions()) -> Document | Rejection:
    """Turn one raw report into a Document, or say why it cannot be used."""
    try:
        return _clean(raw, options)
    except RecursionError:
        return Rejection(raw.source, raw.record, "document structure too deeply nested to parse")
    except (ValueError, UnicodeError, MemoryError) as exc:
        return Rejection(raw.source, raw.record, f"cannot clean: {exc.__class__.__name__}: {str(exc)[:160]}")


#: A headline: short, and not ending like a sentence or a clause.
_TITLE_MAX_CHARS = 160
_TITLE_MAX_WORDS = 25
_SENTENCE_END = (".", "!", "?", "…", ":", ";", ",", "»", '"', "”")


def first_line_title(body: str) -> str | None:
    """The first line of a plain-text report when it reads as a headline (short, no final stop,
    followed by more text); the line stays in the text, so the document's id does not change."""
    lines = [line.strip() for line in body.split("\n")]
    lines = [line for line in lines if line]
    if len(lines) < 2:
        return None
    first = lines[0]
    words = first.split()
    if (len(first) > _TITLE_MAX_CHARS or not 2 <= len(words) <= _TITLE_MAX_WORDS
            or first.endswith(_SENTENCE_END) or len(lines[1].split()) < len(words)):
        return None
    return first


def _clean(raw: RawDocument, options: CleanOptions) -> Document | Rejection:
    declared = raw.declared
    text, _encoding = decode(raw.content, html=raw.kind == "html")
    url, title, declared_date, date_source = declared.url, declared.title, declared.date, "declared"
    html_lang = None
    if raw.kind == "html":
        content = extract_html(text, url)
        body = repair(content.text)
        title = title or (repair(content.title) if content.title else None)
        if not declared_date and content.date:
            declared_date, date_source = content.date, "html"
        html_lang = content.lang
    else:
        text = repair(text)
        header, text = split_header(text)
        if header:
            url = url or header.url
            if not declared_date and header.date:
                declared_date, date_source = header.date, "header"
        body = unglue(text)
    lang_hint = options.lang or declared.lang or html_lang
    before_strip = body
    detected = None  # the language of the text before stripping, when it was needed
    if raw.kind != "html" and options.strip and _worth_stripping(body):
        detected = None if lang_hint else detect_language(body)
        stripped = strip_boilerplate(body, lang_hint or detected)
        if len(stripped.text.split()) >= options.min_words:
            if len(stripped.text) < REDETECT_SHARE * len(body):
                detected = None  # much was page furniture: tell the language of the article alone
            body = stripped.text
            title = title or stripped.title
    body = tidy(body)
    if not title and raw.kind != "html":
        title = first_line_title(body)
    if len(body.split()) < options.min_words:
        return Rejection(raw.source, raw.record, "no article text found (empty after cleaning)")
    lang = _language(options.lang or declared.lang, body, detected)
    parsed = parse_declared_date(declared_date) if declared_date else None
    if declared_date and parsed is None:
        date_source = "none"
    # Bylines such as "publié le mardi 17 septembre 2019" are page furniture, so look for a
    # dateline in the text as received when the clean text has none.
    dateline = find_dateline(body, lang) or find_dateline(tidy(before_strip), lang)
    published, precision, source = merge_dates(parsed, dateline)
    if source == "dateline":
        date_source = "dateline"
    elif published is None:
        date_source = "none"
    return Document(
        id=document_id(body),
        text=body,
        lang=lang,
        lang_supported=is_supported(lang),
        published=published,
        date_precision=precision,
        title=tidy(title) if title else None,
        url=url,
        source=raw.source,
        record=raw.record,
        ext_id=declared.id,
        date_source=date_source,
    )


#: Stripping that keeps less than this share of the characters removed a page's furniture: the
#: language is told again on what is left.
REDETECT_SHARE = 0.9


def _worth_stripping(text: str) -> bool:
    """A sentence or two has no page furniture to remove (and must not lose its only line)."""
    return sum(1 for line in text.split("\n") if line.strip()) > 3


def _language(forced: str | None, text: str, detected: str | None = None) -> str:
    """The forced language, else the one told on the text before stripping (when stripping
    kept most of it: one call to the detector, which is a third of the cleaning time), else the
    one told on the clean text."""
    if forced and forced.lower() not in ("auto", ""):
        return forced.lower()[:2]
    return detected if detected is not None and detected != "und" else detect_language(text)


def clean_text(text: str, kind: str = "text", url: str | None = None) -> Document | Rejection:
    """Convenience for one string (the ``veille clean`` command and the API)."""
    from veille.records import Declared

    return clean(RawDocument(source="-", record=None, content=text, kind=kind, declared=Declared(url=url)))
