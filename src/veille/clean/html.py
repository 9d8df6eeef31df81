"""Main-content extraction from HTML pages.

A thin, defensive wrapper over trafilatura: it keeps the article text (comments
excluded), the headline, the original publication date (htmldate through
trafilatura's metadata, never the "updated" date) and the declared language of the
page. Nothing here touches the network: the HTML is parsed once from the string and
the parsed tree is what trafilatura and htmldate see, so no URL is ever fetched.

Garbage in (empty strings, binary junk, truncated markup) gives an empty
``HtmlContent`` rather than an exception, because one broken page must not stop a
batch.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from lxml import etree
from trafilatura import bare_extraction
from trafilatura.utils import load_html

from veille.clean.boilerplate import furniture_kind

_LOG = logging.getLogger(__name__)

#: Language codes look like "fr", "fr-FR", "en_GB", "pt-BR"; only the primary subtag is kept.
_LANG_RE = re.compile(r"^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{2,8})*\s*$")

#: ISO dates as htmldate writes them.
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

#: Meta elements that state a page's language, in order of trust.
_LANG_META_XPATHS = (
    "//meta[translate(@http-equiv,'CONTENTLAGU','contentlagu')='content-language']/@content",
    "//meta[@property='og:locale']/@content",
    "//meta[translate(@name,'LANGUE','langue')='language']/@content",
    "//meta[@name='dc.language' or @name='DC.language' or @name='DC.Language']/@content",
)


@dataclass(frozen=True, slots=True)
class HtmlContent:
    """What an HTML page says: main text, headline, original date and language."""

    text: str  # article paragraphs separated by "\n\n"; "" when nothing was found
    title: str | None
    date: str | None  # ISO "YYYY-MM-DD" (original publication date), or None
    lang: str | None  # primary language subtag, lower case ("fr", "en"), or None


#: Skip trafilatura's fallback extractors (readability, jusText): measured below.
_FAST = False

EMPTY = HtmlContent(text="", title=None, date=None, lang=None)


def _normalise_lang(value: str | None) -> str | None:
    """Reduce a declared language ("fr-FR", "en_GB") to its lower-case primary subtag."""
    if not value:
        return None
    match = _LANG_RE.match(value.split(",")[0])
    return match.group(1).lower() if match else None


def _declared_lang(tree: etree._Element) -> str | None:
    """The language the page declares: ``<html lang>`` first, then meta elements."""
    root = tree.getroottree().getroot() if hasattr(tree, "getroottree") else tree
    for attr in ("lang", "{http://www.w3.org/XML/1998/namespace}lang", "xml:lang"):
        lang = _normalise_lang(root.get(attr))
        if lang:
            return lang
    for xpath in _LANG_META_XPATHS:
        try:
            values = tree.xpath(xpath)
        except etree.XPathError:
            continue
        for value in values:
            lang = _normalise_lang(str(value))
            if lang:
                return lang
    return None


def _paragraphs(text: str | None, lang: str | None) -> str:
    """trafilatura puts one block a line; make blocks paragraphs separated by blank lines.

    Blocks that the boilerplate cue tables recognise as furniture (photo credits, share
    buttons, "read also" headings) are dropped: trafilatura keeps some of them.
    """
    if not text:
        return ""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n\n".join(line for line in lines if line and furniture_kind(line, lang) is None)


def _clean_title(title: str | None) -> str | None:
    title = " ".join(title.split()) if title else ""
    return title or None


#: Titles that name a page's software or section, not its story.
_JUNK_TITLES = frozenset({"escenic", "wordpress", "drupal", "joomla", "untitled", "untitled document",
                          "home", "homepage", "index", "accueil", "article", "news", "actualités", "page"})


def _junk(title: str | None) -> bool:
    """A title that cannot be the story's headline: empty, one word, or a CMS or section name."""
    return not title or len(title.split()) < 2 or title.strip().lower() in _JUNK_TITLES


def _page_title(tree: Any, found: str | None) -> str | None:
    """``found`` unless it is junk; then the page's og:title, twitter:title or first h1."""
    if not _junk(found):
        return found
    for xpath in ('//meta[@property="og:title"]/@content', '//meta[@name="twitter:title"]/@content',
                  "//h1"):
        for hit in tree.xpath(xpath):
            text = _clean_title(hit if isinstance(hit, str) else hit.text_content())
            if not _junk(text):
                return text
    return found


#: Pages with more elements than this are given up (no article page comes near it).
MAX_ELEMENTS = 300_000
#: Above this, extraction skips its slow fallbacks and tables.
FAST_ABOVE = 15_000


def extract_html(html: str, url: str | None = None) -> HtmlContent:
    """Extract the article text, title, original date and language of an HTML page.

    ``url`` only helps trafilatura's heuristics (site-specific rules, date in the
    path); it is never fetched. Never raises on bad input: returns empty text.
    """
    if not isinstance(html, str) or not html.strip():
        return EMPTY
    try:
        tree = load_html(html)
    except (ValueError, TypeError, etree.LxmlError) as error:  # malformed beyond repair
        _LOG.debug("unparseable HTML: %s", error)
        return EMPTY
    if tree is None:
        return EMPTY
    lang = _declared_lang(tree)
    elements = sum(1 for _ in tree.iter())
    if elements > MAX_ELEMENTS:  # no news page is this big; extraction time would explode
        return HtmlContent(text="", title=None, date=None, lang=lang)
    big = elements > FAST_ABOVE  # trafilatura's fallbacks are super-linear on huge tables
    try:
        doc = bare_extraction(
            tree,
            url=url,
            fast=_FAST or big,
            include_comments=False,
            include_tables=not big,
            with_metadata=True,
        )
    except (ValueError, TypeError, AttributeError, IndexError, etree.LxmlError) as error:
        # trafilatura is robust, but a pathological tree must not stop a batch.
        _LOG.debug("trafilatura failed: %s", error)
        return HtmlContent(text="", title=None, date=None, lang=lang)
    if doc is None:
        return HtmlContent(text="", title=None, date=None, lang=lang)
    date = getattr(doc, "date", None)
    if not (isinstance(date, str) and _DATE_RE.match(date)):
        date = None
    return HtmlContent(
        text=_paragraphs(getattr(doc, "text", None), lang),
        title=_page_title(tree, _clean_title(getattr(doc, "title", None))),
        date=date,
        lang=lang or _normalise_lang(getattr(doc, "language", None)),
    )
