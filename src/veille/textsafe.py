"""Strings that can be stored and printed: no lone surrogates.

Two kinds of lone surrogate reach veille from outside. File names that are not valid
UTF-8 arrive from the OS as "surrogate escapes" (U+DC80–U+DCFF, one per undecodable byte);
JSON may spell any lone surrogate (``"\\ud800"``). Neither can be encoded as UTF-8, so
DuckDB, Arrow and ``print`` refuse them and the whole batch failed. Here an escaped byte
becomes the text ``\\xff`` (lossless: the name can still be told apart and read back) and
any other lone surrogate becomes U+FFFD.
"""

from __future__ import annotations


def safe_str(value: str) -> str:
    """``value`` unchanged when it encodes as UTF-8; else with its lone surrogates replaced."""
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        pass
    out = []
    for ch in value:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append("\ufffd")
        else:
            out.append(ch)
    return "".join(out)


def safe_opt(value: str | None) -> str | None:
    return None if value is None else safe_str(value)
