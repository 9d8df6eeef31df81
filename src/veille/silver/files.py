"""Where the silver split files live and how they are read and written.

``train`` is stored gzip-compressed (``train.jsonl.gz``): the English training split passed
20 MiB as plain text, and only the training script reads it. ``dev`` and ``test`` stay plain
JSON Lines, since users run ``veille evaluate data/silver/<lang>/dev.jsonl`` on them. Compressed
files are written with a fixed timestamp, so the same reports give the same bytes.
"""

from __future__ import annotations

import gzip
from pathlib import Path

#: File name of each split inside ``data/silver/<lang>/``.
SPLIT_FILES = {"train": "train.jsonl.gz", "dev": "dev.jsonl", "test": "test.jsonl"}


def split_path(silver: Path, lang: str, split: str) -> Path:
    """``data/silver/<lang>/<split file>`` under ``silver``."""
    return Path(silver) / lang / SPLIT_FILES[split]


def read_text(path: Path) -> str:
    """The UTF-8 text of a JSON Lines file, gzip-compressed when its name ends in ``.gz``."""
    path = Path(path)
    data = path.read_bytes()
    return (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8")


def write_text(path: Path, body: str) -> None:
    """Write ``body`` as UTF-8, gzip-compressed (timestamp 0) when the name ends in ``.gz``."""
    path = Path(path)
    data = body.encode("utf-8")
    path.write_bytes(gzip.compress(data, mtime=0) if path.suffix == ".gz" else data)
