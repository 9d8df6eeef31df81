"""Bytes to clean Unicode: encoding detection, mojibake repair, normalisation.

Order of trust: a BOM, then strict UTF-8, then UTF-16 without BOM, then cp1252
(which covers latin-1 for every printable character news text uses), then latin-1.
ftfy then repairs double-encoded text ("Ã©" → "é") without touching quotes.
"""

from __future__ import annotations

import re
import unicodedata

import ftfy

from veille.ingest.sniff import looks_utf16

FTFY_CONFIG = ftfy.TextFixerConfig(
    uncurl_quotes=False, fix_latin_ligatures=False, fix_character_width=False, normalization="NFC"
)

#: Invisible characters that break tokenisation of names: zero-width spaces and joiners,
#: soft hyphen, BOM, word joiner, bidi marks.
INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u202a-\u202e\u2066-\u2069]")
#: C0/C1 control characters except tab and newlines.
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)


def decode(data: bytes | str, html: bool = False) -> tuple[str, str]:
    """Decode bytes to text; returns (text, encoding used). Strings pass through."""
    if isinstance(data, str):
        return data, "str"
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if looks_utf16(data[:512]):
        le = data[1:512:2].count(0) > data[0:512:2].count(0)
        enc = "utf-16-le" if le else "utf-16-be"
        return data.decode(enc, errors="replace"), enc
    if html:
        declared = META_CHARSET.search(data[:4096])
        if declared:
            name = declared.group(1).decode("ascii", "ignore").lower()
            try:
                return data.decode(name), name
            except (LookupError, UnicodeDecodeError):
                pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def repair(text: str) -> str:
    """Fix mojibake, drop invisible and control characters, NFC-normalise, unify newlines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = ftfy.fix_text(text, FTFY_CONFIG)
    text = INVISIBLE.sub("", text)
    text = CONTROLS.sub(" ", text)
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    return unicodedata.normalize("NFC", text)
