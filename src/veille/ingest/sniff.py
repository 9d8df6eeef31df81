"""Recognise content that is not a news report (PDF, images, archives, binary) from its first bytes."""

from __future__ import annotations

MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or Office document)"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "a Windows executable"),
    (b"RIFF", "a RIFF media file"),
    (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 file"),
    (b"\x00\x00\x01\x00", "an icon"),
    (b"SQLite format 3", "a SQLite database"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
)

UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def binary_kind(head: bytes) -> str | None:
    """Name the binary format of ``head`` (first KiB or so), or None if it looks like text."""
    if not head:
        return None
    for magic, name in MAGIC:
        if head.startswith(magic):
            return name
    if head.startswith(UTF16_BOMS) or looks_utf16(head):
        return None
    sample = head[:4096]
    # A stray NUL or two in a text file (a bad copy, a pasted control character) does not
    # make it binary: its text is still usable, and clean removes the control characters.
    if sample.count(0) > max(2, len(sample) // 100):
        return "binary data (NUL bytes)"
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    if controls > len(sample) * 0.1:
        return "binary data (control bytes)"
    return None


def looks_utf16(head: bytes) -> bool:
    """UTF-16 without BOM: ASCII letters alternate with NUL bytes."""
    sample = head[:512]
    if len(sample) < 8:
        return False
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) / 2
    return (odd_nuls > 0.6 * half and even_nuls < 0.1 * half) or (
        even_nuls > 0.6 * half and odd_nuls < 0.1 * half
    )
