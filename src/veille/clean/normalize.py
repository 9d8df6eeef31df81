"""Text normalisation for identity: the document id is a hash of the normalised clean text."""

from __future__ import annotations

import hashlib
import re
import unicodedata

SPACES = re.compile(r"[ \t]+")
BLANKS = re.compile(r"\n{3,}")
WS = re.compile(r"\s+")
#: "du Japon.Les ministres": a sentence end glued to the next sentence when paragraphs were
#: pasted without their line breaks.
GLUED_SENTENCE = re.compile(
    r"(?:(?<=[a-zà-ÿ]{3}[.!?])|(?<=[a-zà-ÿ]{2}[\"»”][.!?])|(?<=[a-zà-ÿ]{2}[.!?][\"»”]))(?=[A-ZÀ-Ý][a-zà-ÿ])")
#: "en matière de défenseDans un communiqué": a heading glued to the paragraph after it.
GLUED_HEADING = re.compile(r"(?<=[a-zà-ÿ]{6})(?=[A-ZÀ-Ý][a-zà-ÿ]{2,}\s)")


def tidy(text: str) -> str:
    """Collapse runs of spaces, trim lines, keep paragraph breaks (one blank line)."""
    lines = [SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return BLANKS.sub("\n\n", "\n".join(lines)).strip()


def unglue(text: str) -> str:
    """Restore the breaks lost when a web page is copied: sentence ends and headings glued on."""
    text = GLUED_SENTENCE.sub(" ", text)
    return GLUED_HEADING.sub("\n\n", text)


def document_id(text: str) -> str:
    """Stable id of a report: the same text (modulo case, spacing, Unicode form) gives the same id."""
    key = WS.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
