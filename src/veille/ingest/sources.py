"""Turn the user's input arguments into sources: files, directories, globs, stdin.

Also opens a source as a byte stream, decompressing gzip and zstd transparently, with
a size cap so that one enormous input cannot exhaust memory.
"""

from __future__ import annotations

import glob
import io
import os
import stat
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from veille.errors import InputNotFound

#: Files a directory walk never takes: hidden files and our own stores.
SKIPPED_SUFFIXES = (".duckdb", ".duckdb.wal", ".pyc", ".duckdb.intent.lock", ".duckdb.read.lock")

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
            return GzipStream(buffered)  # type: ignore[return-value]
        if head == ZSTD_MAGIC:
            import zstandard

            return zstandard.ZstdDecompressor().stream_reader(buffered)  # type: ignore[return-value]
        return buffered


class TruncatedInput(OSError):
    """Compressed input that ends before its end-of-stream marker (a cut download or copy)."""


class GzipStream:
    """Streaming gzip decompression that keeps what was decoded before a truncation.

    ``gzip.GzipFile.read(n)`` raises EOFError at a truncated end and drops the bytes it
    had already decoded in that call, so a cut ``.warc.gz`` lost every record, and warcio
    (which takes EOFError for a normal end) said nothing. Here the decoded bytes come out
    first and :class:`TruncatedInput` is raised by the next read. Output is decoded in
    bounded pieces, so a small "gzip bomb" cannot expand in one go. Concatenated members
    and zero padding are read as gzip tools do.
    """

    CHUNK = 1 << 16

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._z = zlib.decompressobj(31)
        self._buf = bytearray()
        self._pos = 0
        self._done = False
        self._error: TruncatedInput | None = None

    def _more(self) -> bool:
        """Decode the next piece into the buffer; False at the (clean) end of the input."""
        if self._done or self._error:
            return False
        if self._z.eof:
            pending = self._z.unused_data.lstrip(b"\x00")
            while not pending:
                chunk = self._raw.read(self.CHUNK)
                if not chunk:
                    self._done = True
                    return False
                pending = chunk.lstrip(b"\x00")
            self._z = zlib.decompressobj(31)  # next member of a concatenated gzip file
        else:
            pending = self._z.unconsumed_tail or self._raw.read(self.CHUNK)
            if not pending:
                self._error = TruncatedInput("truncated compressed data (unexpected end of file)")
                return False
        self._buf += self._z.decompress(pending, self.CHUNK)
        return True

    def _take(self, n: int) -> bytes:
        out = bytes(self._buf[:n])
        del self._buf[:n]
        self._pos += len(out)
        return out

    def read(self, size: int | None = -1) -> bytes:
        """Up to ``size`` bytes (all when negative); raises TruncatedInput once nothing decoded is left."""
        while (size is None or size < 0 or len(self._buf) < size) and self._more():
            pass
        if not self._buf and self._error:
            raise self._error
        return self._take(len(self._buf) if size is None or size < 0 else size)

    def readline(self, limit: int | None = -1) -> bytes:
        """One line (up to ``limit`` bytes); a line cut by a truncation is dropped and the error raised."""
        while True:
            end = self._buf.find(b"\n")
            if end >= 0 or (limit is not None and 0 <= limit <= len(self._buf)):
                n = end + 1 if end >= 0 else len(self._buf)
                return self._take(min(n, limit) if limit is not None and limit >= 0 else n)
            if not self._more():
                if self._error:
                    raise self._error
                return self._take(len(self._buf))

    def tell(self) -> int:
        return self._pos

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self._raw.close()

    def __enter__(self) -> GzipStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def expand_inputs(inputs: Iterable[str]) -> Iterator[Source]:
    """Yield sources for paths, directories (recursively, sorted), globs and "-".

    Raises InputNotFound for an argument that names nothing, so a typo is not a silent no-op.
    A file reached twice (a glob and a directory walk, two arguments, a symlink) is yielded
    once; directory symlinks are not followed inside a walk or a ``**`` glob, so a symlink
    loop cannot make the expansion endless.
    """
    seen: set[tuple[int, int] | str] = set()
    for arg in inputs:
        if arg == "-":
            yield Source("-")
            continue
        path = Path(arg)
        if path.is_dir():
            candidates: Iterable[Source] = _walk(path)
        elif path.exists() or path.is_symlink():
            candidates = [Source(str(path))]
        else:
            matches = _glob(arg)
            if not matches:
                raise InputNotFound(f"{arg}: no such file, directory or glob match; check the path")
            candidates = _expand_matches(matches)
        for source in candidates:
            key = _identity(source.name)
            if key in seen:
                continue
            seen.add(key)
            yield source


def check_inputs(inputs: Iterable[str]) -> None:
    """Raise InputNotFound for the first argument that names nothing, without walking anything.

    Run before a store is created, so that a mistyped path leaves no empty store behind.
    """
    for arg in inputs:
        if arg == "-" or Path(arg).exists() or Path(arg).is_symlink():
            continue
        if not glob.has_magic(arg) or not _glob(arg):
            raise InputNotFound(f"{arg}: no such file, directory or glob match; check the path")


def _expand_matches(matches: list[str]) -> Iterator[Source]:
    for match in matches:
        p = Path(match)
        if p.is_dir():
            yield from _walk(p)
        else:
            yield Source(str(p))


def _identity(name: str) -> tuple[int, int] | str:
    """What makes two paths the same file: (device, inode), or the name when stat fails."""
    try:
        st = os.stat(name)
    except OSError:
        return name
    return (st.st_dev, st.st_ino)


def _glob(pattern: str) -> list[str]:
    """Sorted glob matches. ``**`` goes through pathlib, which does not descend into
    directory symlinks (``glob.glob(recursive=True)`` does, and a link to ``.`` never ends)."""
    if "**" not in pattern:
        return sorted(glob.glob(pattern))
    parts = Path(pattern).parts
    first = next(i for i, part in enumerate(parts) if glob.has_magic(part))
    anchor = Path(*parts[:first]) if first else Path(".")
    rest = "/".join(parts[first:])
    try:
        return sorted(str(p) for p in anchor.glob(rest))
    except (OSError, ValueError):
        return []


def is_regular_file(name: str) -> bool:
    """True for a regular file (following symlinks); FIFOs, sockets and devices are not.

    Opening a FIFO blocks until a writer comes, so they are refused before any open.
    """
    try:
        return stat.S_ISREG(os.stat(name).st_mode)
    except OSError:
        return True  # let the open report the real error (missing, permission …)


def _walk(root: Path) -> Iterator[Source]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for filename in sorted(filenames):
            if filename.startswith(".") or filename.endswith(SKIPPED_SUFFIXES):
                continue
            if filename.lower() in ("readme.md", "license", "license.txt", "attribution.md"):
                continue
            yield Source(str(Path(dirpath) / filename))
