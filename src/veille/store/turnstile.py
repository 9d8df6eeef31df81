"""A writer-preferring lock between veille's processes on one store (a "turnstile").

DuckDB lets one process open a file read-write only while no other process has it open.
Readers (the API, CLI queries) open it for one query at a time, and the writer (an ingest)
retried until it found a gap. Under many concurrent readers there was no gap: an ingest
committed nothing for 103 s, then gave up (V031).

Two lock files beside the store, taken with ``flock`` (released by the OS when a process
dies, so a killed process never leaves the store locked):

- ``STORE.intent.lock``: a writer holds it exclusively from the moment it wants the file;
  a reader takes it shared for an instant before reading, so no new reader starts while a
  writer waits: the turnstile.
- ``STORE.read.lock``: readers hold it shared while they read; the writer takes it
  exclusively, which waits only for the readers already inside.

A reader that cannot open the lock files (a read-only folder, no writer ever ran) goes on
without them, as before.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from veille.errors import StoreLocked

POLL_S = 0.005
SUFFIXES = (".intent.lock", ".read.lock")


def _paths(store: Path) -> tuple[Path, Path]:
    return Path(str(store) + SUFFIXES[0]), Path(str(store) + SUFFIXES[1])


def _acquire(fd: int, mode: int, timeout: float, store: Path, what: str) -> None:
    deadline = time.monotonic() + timeout
    delay = POLL_S
    while True:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise StoreLocked(f"store {store}: waited over {timeout:.0f} s for {what}; "
                                  "another process holds it (an ingest or a server); wait or use another file") from None
            time.sleep(delay)
            delay = min(delay * 1.5, 0.05)


def _open(path: Path, create: bool) -> int | None:
    try:
        if create:
            return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        return os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None


@contextmanager
def _lock_files(store: Path, create: bool) -> Iterator[tuple[int, int] | None]:
    """Both lock files open (None when they cannot be opened); closing them releases the locks."""
    intent_path, read_path = _paths(store)
    intent, read = _open(intent_path, create), _open(read_path, create)
    try:
        yield (intent, read) if intent is not None and read is not None else None
    finally:
        for fd in (read, intent):
            if fd is not None:
                os.close(fd)


@contextmanager
def reading(store: Path, timeout: float) -> Iterator[None]:
    """Shared access: waits while a writer wants the store, then keeps writers out while held."""
    with _lock_files(store, create=False) as fds:
        if fds is not None:
            intent, read = fds
            _acquire(intent, fcntl.LOCK_SH, timeout, store, "a writer to finish")
            fcntl.flock(intent, fcntl.LOCK_UN)  # through the turnstile
            _acquire(read, fcntl.LOCK_SH, timeout, store, "a writer to finish")
        yield


@contextmanager
def writing(store: Path, timeout: float) -> Iterator[None]:
    """Exclusive access: announces the writer (no new reader starts), then waits for readers inside."""
    with _lock_files(store, create=True) as fds:
        if fds is not None:
            intent, read = fds
            _acquire(intent, fcntl.LOCK_EX, timeout, store, "another writer")
            _acquire(read, fcntl.LOCK_EX, timeout, store, "readers to finish")
        yield


def writer_waiting(store: Path) -> bool:
    """True while a writer holds the intent lock (a reader holding the store long should let go)."""
    intent = _open(_paths(store)[0], False)
    if intent is None:
        return False
    try:
        fcntl.flock(intent, fcntl.LOCK_SH | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(intent)
