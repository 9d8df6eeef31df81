"""A store that cannot be written (read-only location, full disk): a clear error, exit 1, nothing lost.

Read-only: as root, permission bits do not stop writes, so a read-only tmpfs is mounted;
as another user, chmod is enough. Disk full: a tiny tmpfs when mounting is allowed, and
always a file size limit (RLIMIT_FSIZE) on the ingest subprocess.
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from ._support import make_jsonl, query, run_veille, veille_cmd


@contextlib.contextmanager
def _tmpfs(where: Path, size: str) -> Iterator[Path]:
    where.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip()}); the RLIMIT_FSIZE variant covers this")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


@contextlib.contextmanager
def _read_only(folder: Path) -> Iterator[None]:
    """Make ``folder`` (and the files in it) unwritable for the ingest subprocess."""
    if os.geteuid() == 0:
        done = subprocess.run(["mount", "-o", "remount,ro", str(folder)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        yield
        return
    modes = {p: p.stat().st_mode for p in [folder, *folder.iterdir()]}
    for p in modes:
        p.chmod(stat.S_IMODE(modes[p]) & ~0o222)
    try:
        yield
    finally:
        for p, mode in modes.items():
            p.chmod(stat.S_IMODE(mode))


@pytest.fixture
def seeded(tmp_path: Path) -> tuple[Path, Path, int]:
    """A store with 100 documents, and a corpus of 600 more to ingest."""
    first = make_jsonl(tmp_path / "first.jsonl", 100, seed=1)
    more = make_jsonl(tmp_path / "more.jsonl", 600, seed=2)
    store = tmp_path / "seed.duckdb"
    assert run_veille("ingest", store, first, "--no-code", "-q").returncode == 0
    return store, more, 100


def _assert_clear_failure(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: [V03")]
    assert len(errors) == 1, result.stderr


def _assert_intact(store: Path, at_least: int) -> None:
    assert query(store, "SELECT count(*) FROM documents")[0][0] >= at_least
    check = run_veille("check", store)
    assert check.returncode == 0, check.stdout


@pytest.mark.parametrize("target", ["existing", "new", "new-subfolder"])
def test_store_unwritable_location_fails_clearly(tmp_path: Path, seeded, target: str) -> None:
    store, more, count = seeded
    folder = tmp_path / "ro"
    with contextlib.ExitStack() as stack:
        if os.geteuid() == 0:
            stack.enter_context(_tmpfs(folder, "64m"))
        else:
            folder.mkdir()
        shutil.copy(store, folder / "s.duckdb")
        path = {"existing": folder / "s.duckdb", "new": folder / "n.duckdb",
                "new-subfolder": folder / "sub" / "n.duckdb"}[target]
        with _read_only(folder):
            result = run_veille("ingest", path, more, "--no-code", "-q")
        _assert_clear_failure(result)
        _assert_intact(folder / "s.duckdb", count)
        assert not (folder / "n.duckdb").exists() and not (folder / "sub").exists()


def test_store_disk_full_tmpfs_fails_clearly_and_keeps_content(tmp_path: Path, seeded) -> None:
    store, more, count = seeded
    with _tmpfs(tmp_path / "small", f"{store.stat().st_size + 128 * 1024}") as folder:
        shutil.copy(store, folder / "s.duckdb")
        result = run_veille("ingest", folder / "s.duckdb", more, "--no-code", "-q", timeout=300)
        _assert_clear_failure(result)
        assert "No space left" in result.stderr
        _assert_intact(folder / "s.duckdb", count)


def test_store_file_size_limit_fails_clearly_and_keeps_content(tmp_path: Path, seeded) -> None:
    store, more, count = seeded
    limit = 256 * 1024  # the WAL and any write past this offset fail with EFBIG

    def cap() -> None:  # runs in the child: writes past the limit fail with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = subprocess.run(veille_cmd("ingest", store, more, "--no-code", "-q"), capture_output=True,
                            text=True, timeout=300, preexec_fn=cap)
    _assert_clear_failure(result)
    _assert_intact(store, count)
    # and once there is room again, the same command resumes and finishes
    assert run_veille("ingest", store, more, "--no-code", "-q", timeout=300).returncode == 0
    _assert_intact(store, count + 600)
