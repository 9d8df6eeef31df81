"""Language identification with lingua's packaged offline models.

Only a fixed set of languages is loaded (loading all of lingua's costs seconds and
over a gigabyte). French and English are coded; the others are detected, stored and
flagged unsupported.
"""

from __future__ import annotations

from functools import lru_cache

#: Languages the event coder supports.
SUPPORTED = ("fr", "en")
#: Languages told apart (ISO 639-1), so that a German report is not called French.
DETECTED = ("fr", "en", "de", "es", "it", "pt", "nl", "ru", "uk", "ar", "zh", "ja", "tr", "pl",
            "fa", "he", "hy")
SAMPLE_CHARS = 3000


@lru_cache(maxsize=1)
def _detector():
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, code.upper()) for code in DETECTED]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_minimum_relative_distance(0.0).build()


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language, or "und" when it cannot be told."""
    sample = text[:SAMPLE_CHARS]
    if not _has_letters(sample, 10):
        return "und"
    found = _detector().detect_language_of(sample)
    return found.iso_code_639_1.name.lower() if found else "und"


def _has_letters(sample: str, n: int) -> bool:
    """At least ``n`` letters in the sample (stops at the n-th: most texts tell at once)."""
    for ch in sample:
        if ch.isalpha():
            n -= 1
            if n == 0:
                return True
    return False


def is_supported(lang: str) -> bool:
    return lang in SUPPORTED
