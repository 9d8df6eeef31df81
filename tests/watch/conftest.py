"""Fixtures for the watch tests: a real HTTP server on 127.0.0.1, and real report text."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.watch.server import Site


@pytest.fixture
def site():
    server = Site().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def reports(seeds: Path) -> list[str]:
    """The two seed reports' text (the header line dropped): real reports that code events."""
    return [p.read_text(encoding="utf-8").split("\n", 2)[2] for p in sorted(seeds.glob("0*.txt"))]


@pytest.fixture(scope="session")
def sample_texts() -> list[str]:
    """Real short reports from the bundled sample (orangesum)."""
    from veille.cli import sample_dir

    return [p.read_text(encoding="utf-8") for p in sorted((sample_dir() / "orangesum").glob("*.txt"))]
