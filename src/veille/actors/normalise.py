"""Text normalisation shared by the actor tables and the matcher.

Matching is case- and accent-insensitive: "Etats-Unis" must find "États-Unis". The
normalisation keeps one output character per input character, so that character
offsets in the normalised text are offsets in the original text too.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

#: Characters folded to a plain apostrophe or hyphen before matching.
_APOSTROPHES = "\u2019\u2018\u02bc\u00b4`\u2032"
_HYPHENS = "\u2010\u2011\u2012\u2013\u2212"


@lru_cache(maxsize=4096)
def fold_char(char: str) -> str:
    """Lower-case ``char`` and strip its accents, always returning exactly one character."""
    if char in _APOSTROPHES:
        return "'"
    if char in _HYPHENS:
        return "-"
    if char.isspace():
        return " "
    lowered = char.lower()
    if len(lowered) != 1:
        lowered = char
    base = unicodedata.normalize("NFD", lowered)[0]
    return base if base.isprintable() else lowered


def fold(text: str) -> str:
    """Fold a whole string character by character (same length as ``text``)."""
    return "".join([fold_char(c) for c in text])


def key(text: str) -> str:
    """Table key of a surface form: folded, with runs of spaces collapsed."""
    return " ".join(fold(text).split())


def strip_accents(text: str) -> str:
    """Remove accents but keep the case (used for case-sensitive entries)."""
    out = []
    for char in text:
        folded = fold_char(char)
        out.append(folded.upper() if char.isupper() and len(folded.upper()) == 1 else folded)
    return "".join(out)


@lru_cache(maxsize=65536)
def token_key(text: str) -> str:
    """``key`` of a token's text, cached: tokens repeat across a corpus."""
    return key(text)


def doc_keys(doc) -> list[str]:
    """The key of every token of a parsed document, made once per document (kept in
    ``doc.user_data``), from the document's token columns (spaCy builds a Token per access)."""
    from veille.nlp.tokens import columns

    keys = doc.user_data.get(("veille", "token_keys"))
    if keys is None:
        keys = [token_key(word) for word in columns(doc).words]
        doc.user_data[("veille", "token_keys")] = keys
    return keys


def first_words(keys) -> frozenset[str]:
    """First words of table keys: a token whose key is not among them starts no entry."""
    return frozenset(k.split(" ")[0] for k in keys)
