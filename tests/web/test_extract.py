"""POST /api/extract: body checks, size cap, and the real pipeline."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from veille.web import create_app

from .test_api import assert_error


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"text": "a", "html": "<p>a</p>"},
        {"text": "   "},
        {"text": "x", "lang": "french"},
        {"text": "x", "date": "7 janvier"},
        {"text": "x", "colour": "red"},
    ],
)
def test_extract_validation(client: TestClient, body: dict) -> None:
    assert_error(client.post("/api/extract", json=body), 422, "validation_error")


def test_extract_not_json(client: TestClient) -> None:
    response = client.post(
        "/api/extract", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert_error(response, 422, "validation_error")


def test_extract_body_cap(sample_store) -> None:
    client = TestClient(create_app(sample_store, max_body=1000), raise_server_exceptions=False)
    error = assert_error(
        client.post("/api/extract", json={"text": "x" * 2000}), 413, "payload_too_large"
    )
    assert "1000 bytes" in error["message"]


def test_extract_body_cap_default_1mb(client: TestClient) -> None:
    assert_error(
        client.post("/api/extract", json={"text": "x" * 1_100_000}), 413, "payload_too_large"
    )


def test_extract_chunked_body_cap(sample_store) -> None:
    client = TestClient(create_app(sample_store, max_body=1000), raise_server_exceptions=False)

    def chunks():
        yield b'{"text": "'
        for _ in range(20):
            yield b"x" * 100
        yield b'"}'

    response = client.post(
        "/api/extract", content=chunks(), headers={"content-type": "application/json"}
    )
    assert_error(response, 413, "payload_too_large")


def test_extract_real_pipeline(client: TestClient) -> None:
    text = (
        "Les Etats-Unis et le Japon ont signé vendredi un accord de défense à Tokyo. "
        "<script>alert(1)</script> Pékin a critiqué Washington."
    )
    response = client.post("/api/extract", json={"text": text, "lang": "fr", "date": "2022-01-07"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["document"]["lang"] == "fr" and body["document"]["published"] == "2022-01-07"
    assert body["events"], "the coder found no event in a plain agreement sentence"
    doc_text = body["document"]["text"]
    for event in body["events"]:
        info = event["text_info"]
        assert doc_text[info["start"] : info["end"]] == info["text"]
    assert {"USA", "JPN"} <= {
        a["code"][:3] for e in body["events"] for a in e["actor"] + e["recipient"]
    }


def test_extract_rejection_is_422(sample_store) -> None:
    from veille.records import Rejection

    def reject(*_args):
        return Rejection("-", None, "no text left after cleaning"), []

    client = TestClient(create_app(sample_store, extractor=reject), raise_server_exceptions=False)
    error = assert_error(
        client.post("/api/extract", json={"html": "<nav>menu</nav>"}), 422, "report_rejected"
    )
    assert error["message"] == "no text left after cleaning"


def test_extract_pipeline_missing_is_503(client: TestClient, monkeypatch) -> None:
    import importlib

    real = importlib.import_module

    def fake(name, *args):
        if name == "veille.pipeline":
            raise ImportError("No module named 'spacy'")
        return real(name, *args)

    monkeypatch.setattr("veille.web.extract.importlib.import_module", fake)
    assert_error(client.post("/api/extract", json={"text": "x"}), 503, "pipeline_unavailable")


@pytest.mark.parametrize("coder", ["rules", "learned", "auto"])
def test_extract_coder_choice(client: TestClient, coder: str) -> None:
    """The API keeps the rule coder as a baseline: ``coder`` picks it (or the learned one)."""
    text = "Le Japon a condamné lundi le tir de missile de la Corée du Nord."
    response = client.post("/api/extract", json={"text": text, "lang": "fr", "date": "2022-01-07", "coder": coder})
    assert response.status_code == 200, response.text
    events = response.json()["events"]
    assert any(e["event"] == ["ACCUSE"] for e in events), events


def test_extract_unknown_coder_is_422(client: TestClient) -> None:
    assert_error(client.post("/api/extract", json={"text": "x", "coder": "neural"}), 422, "validation_error")
