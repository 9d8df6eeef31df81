"""Actor-test fixtures; the spaCy models come from the session fixtures in tests/conftest.py."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def nlp(nlp_fr, nlp_en):
    """The pipeline for a language code, each model loaded once per session."""
    return {"fr": nlp_fr, "en": nlp_en}
