"""Per-token attributes of a parsed document, read once per document.

spaCy builds a new ``Token`` object on every ``doc[i]``, every iteration over a ``Doc`` or
``Span``, and rebuilds ``doc.text`` and ``span.text`` from the tokens on every access: the
actor finder and the coders, scanning every token for candidates, spent most of their own
time there. :func:`columns` reads what those scans test (text, offsets, lemma, part of
speech, dependency, sentence starts) into plain lists once, kept in ``doc.user_data``, so a
scan builds a ``Token`` only for the few tokens that pass its tests.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Where the columns are kept in ``doc.user_data``.
_KEY = ("veille", "token_columns")


@dataclass(frozen=True, slots=True)
class TokenColumns:
    """One list per attribute, indexed by token position (``token.i``)."""

    text: str  # doc.text
    words: list[str]  # token.text
    lowers: list[str]  # token.lower_
    idx: list[int]  # token.idx: character offset of the token in ``text``
    lemmas: list[str]  # token.lemma_
    pos: list[str]  # token.pos_
    deps: list[str]  # token.dep_
    punct: list[bool]  # token.is_punct
    space: list[bool]  # token.is_space
    sent_start: list[bool]  # bool(token.is_sent_start)
    heads: list[int]  # token.head.i
    kids: list[list[int]]  # [c.i for c in token.children]: the tokens whose head it is, in order

    def span_text(self, start: int, end: int) -> str:
        """``doc[start:end].text``: the characters from the first token's start to the last
        token's end, without building the span's tokens."""
        if end <= start:
            return ""
        return self.text[self.idx[start]:self.idx[end - 1] + len(self.words[end - 1])]

    def children(self, doc, i: int, labels) -> list:
        """The children of token ``i`` whose dependency label is in ``labels``, as tokens of
        ``doc``: only those are built."""
        deps = self.deps
        return [doc[j] for j in self.kids[i] if deps[j] in labels]


def columns(doc) -> TokenColumns:
    """The token columns of ``doc``, read on first use and kept in ``doc.user_data``."""
    found = doc.user_data.get(_KEY)
    if found is None:
        found = _read(doc)
        doc.user_data[_KEY] = found
    return found


def _read(doc) -> TokenColumns:
    """All columns from one ``doc.to_array`` (no Token built), with the values the Token
    properties give: ``text`` = ``strings[orth]``, ``lower_`` = ``strings[lower]``, ``pos_`` =
    ``NAMES[pos]``; ``is_sent_start`` is True exactly when the stored ``sent_start`` is 1;
    ``doc.text`` is every token's text followed by a space where ``SPACY`` says so; ``HEAD`` is
    the offset to the head, read as an unsigned number."""
    from spacy.attrs import (
        DEP,
        HEAD,
        IDX,
        IS_PUNCT,
        IS_SPACE,
        LEMMA,
        LOWER,
        ORTH,
        POS,
        SENT_START,
        SPACY,
    )
    from spacy.parts_of_speech import NAMES

    if not len(doc):
        return TokenColumns(doc.text, [], [], [], [], [], [], [], [], [], [], [])
    orth, lower, idx, lemma, pos, dep, punct, space, start, spacy, head = doc.to_array(
        [ORTH, LOWER, IDX, LEMMA, POS, DEP, IS_PUNCT, IS_SPACE, SENT_START, SPACY, HEAD]).T.tolist()
    strings = doc.vocab.strings
    words = [strings[h] for h in orth]
    heads = [i + (offset if offset < 2 ** 63 else offset - 2 ** 64) for i, offset in enumerate(head)]
    kids: list[list[int]] = [[] for _ in heads]
    for i, h in enumerate(heads):
        if h != i:
            kids[h].append(i)
    return TokenColumns(
        text="".join([w + " " if ws else w for w, ws in zip(words, spacy)]),
        words=words,
        lowers=[strings[h] for h in lower],
        idx=idx,
        lemmas=[strings[h] for h in lemma],
        pos=[NAMES[p] for p in pos],
        deps=[strings[h] for h in dep],
        punct=[bool(x) for x in punct],
        space=[bool(x) for x in space],
        sent_start=[x == 1 for x in start],
        heads=heads,
        kids=kids,
    )


def doc_text(doc) -> str:
    """``doc.text``, built once per document (spaCy joins every token's text on each access)."""
    return columns(doc).text


__all__ = ["TokenColumns", "columns", "doc_text"]
