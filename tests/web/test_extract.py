"""POST /api/extract: body checks, size cap, and the real pipeline."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from veille.web import create_app

from .test_api import assert_error


@pytest.mark.parametrize(
    "body",
    [{}, {"text": "a", "html": "<p>a</p>"}, {"text": "   "}, {"text": "x", "lang": "french"},
     {"text": "x", "date": "7 janvier"}, {"text": "x", "colour": "red"}],
)
def test_extract_validation(client: TestClient, body: dict) -> None:
    assert_error(client.post("/api/extract", json=body), 422, "validation_error")


def test_extract_not_json(client: TestClient) -> None:
    response = client.post("/api/extract", content=b"{not json", headers={"content-type": "application/json"})
    assert_error(response, 422, "validation_error")


def test_extract_body_cap(sample_store) -> None:
    client = TestClient(create_app(sample_store, max_body=1000), raise_server_exceptions=False)
    error = assert_error(client.post("/api/extract", json={"text": "x" * 2000}), 413, "payload_too_large")
    assert "1000 bytes" in error["message"]


def test_extract_body_cap_default_1mb(client: TestClient) -> None:
    assert_error(client.post("/api/extract", json={"text": "x" * 1_100_000}), 413, "payload_too_large")


def test_extract_chunked_body_cap(sample_store) -> None:
    client = TestClient(create_app(sample_store, max_body=1000), raise_server_exceptions=False)

    def chunks():
        yield b'{"text": "'
        for _ in range(20):
            yield b"x" * 100
        yield b'"}'

    response = client.post("/api/extract", content=chunks(), headers={"content-type": "application/json"})
    assert_error(response, 413, "payload_too_large")
