"""Turn the user's input arguments into sources: files, directories, globs, stdin.

Also opens a source as a byte stream, decompressing gzip and zstd transparently, with
a size cap so that one enormous input cannot exhaust memory.
"""

from __future__ import annotations

import glob
import gzip
import io
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from veille.errors import InputNotFound

#: Files a directory walk never takes: hidden files and our own stores.
SKIPPED_SUFFIXES = (".duckdb", ".duckdb.wal", ".pyc")

GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


@dataclass(frozen=True, slots=True)
class Source:
    """One input: a file path, or "-" for standard input."""

    name: str

    @property
    def is_stdin(self) -> bool:
        return self.name == "-"

    def base_name(self) -> str:
        """File name without compression suffix, lower-cased (to choose a reader)."""
        name = self.name.lower()
        for suffix in (".gz", ".zst", ".zstd"):
            if name.endswith(suffix):
                name = name[: -len(suffix)]
        return name

    def open(self) -> BinaryIO:
        """Binary stream of the (decompressed) content."""
        raw: BinaryIO = sys.stdin.buffer if self.is_stdin else open(self.name, "rb")
        buffered = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(raw)  # type: ignore[arg-type]
        head = buffered.peek(4)[:4]
        if head.startswith(GZIP_MAGIC):
            return gzip.GzipFile(fileobj=buffered)  # type: ignore[return-value]
        if head == ZSTD_MAGIC:
            import zstandard

            return zstandard.ZstdDecompressor().stream_reader(buffered)  # type: ignore[return-value]
        return buffered


def expand_inputs(inputs: Iterable[str]) -> Iterator[Source]:
    """Yield sources for paths, directories (recursively, sorted), globs and "-".

    Raises InputNotFound for an argument that names nothing, so a typo is not a silent no-op.
    """
    for arg in inputs:
        if arg == "-":
            yield Source("-")
            continue
        path = Path(arg)
        if path.is_dir():
            yield from _walk(path)
        elif path.exists():
            yield Source(str(path))
        else:
            matches = sorted(glob.glob(arg, recursive=True))
            if not matches:
                raise InputNotFound(f"{arg}: no such file, directory or glob match; check the path")
            for match in matches:
                p = Path(match)
                if p.is_dir():
                    yield from _walk(p)
                else:
                    yield Source(str(p))


def _walk(root: Path) -> Iterator[Source]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for filename in sorted(filenames):
            if filename.startswith(".") or filename.endswith(SKIPPED_SUFFIXES):
                continue
            if filename.lower() in ("readme.md", "license", "license.txt", "attribution.md"):
                continue
            yield Source(str(Path(dirpath) / filename))
