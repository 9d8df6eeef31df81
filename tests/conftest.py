"""Shared fixtures: paths to the repository's data and ../shared, spaCy models loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    assert SHARED.is_dir(), f"tests need ../shared beside the repository ({SHARED})"
    return SHARED


@pytest.fixture(scope="session")
def seeds(shared: Path) -> Path:
    return shared / "seeds"


@pytest.fixture(scope="session")
def nlp_fr():
    from veille.nlp import load

    return load("fr")


@pytest.fixture(scope="session")
def nlp_en():
    from veille.nlp import load

    return load("en")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``slow`` are opt-in: they run only when ``-m`` names them (``-m slow``)."""
    if "slow" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="slow test: opt in with -m slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
