"""Text normalisation for identity: the document id is a hash of the normalised clean text."""

from __future__ import annotations

import hashlib
import re
import unicodedata

SPACES = re.compile(r"[ \t]+")
BLANKS = re.compile(r"\n{3,}")
WS = re.compile(r"\s+")


def tidy(text: str) -> str:
    """Collapse runs of spaces, trim lines, keep paragraph breaks (one blank line)."""
    lines = [SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return BLANKS.sub("\n\n", "\n".join(lines)).strip()


def document_id(text: str) -> str:
    """Stable id of a report: the same text (modulo case, spacing, Unicode form) gives the same id."""
    key = WS.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
