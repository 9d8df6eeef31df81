"""Fixtures for the web tests: a sample store and an in-process client over it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from veille.web import create_app

from .sample import build_store


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("web") / "sample.duckdb")


@pytest.fixture(scope="session")
def client(sample_store: Path) -> Iterator[TestClient]:
    with TestClient(create_app(sample_store), raise_server_exceptions=False) as client:
        yield client  # leaving runs the app's shutdown, which drops the warm reader's pin
