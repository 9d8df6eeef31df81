"""Find every table surface in a document, on token boundaries.

The surfaces live in a character trie keyed on folded text (lower-case, no accents),
walked from each token start. A match must start and end on token boundaries, so
"Chine" is never found inside "Machine"; the only boundaries inside a token are its
hyphens, which lets "américano-japonais" (one spaCy token) yield two demonyms. Such
inner matches are kept only when they cover the whole token between them.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from veille.actors.normalise import fold, strip_accents
from veille.actors.tables import TERMINAL, ActorTables, Entry
from veille.nlp.tokens import columns, doc_text


@dataclass(frozen=True, slots=True)
class Hit:
    """A surface found at characters [start, end) with the entries it may stand for."""

    start: int
    end: int
    entries: tuple[Entry, ...]


def _case_ok(entry: Entry, text: str) -> bool:
    if entry.case == "title":
        if text[:1].isupper():
            return True
        # a name whose particles are written small: "Mme von der Leyen", "M. de Villepin"
        parts = text.replace("-", " ").split()
        return entry.kind in ("person", "surname") and len(parts) > 1 and parts[-1][:1].isupper()
    if entry.case == "exact":
        return "".join(strip_accents(text).split()) == "".join(strip_accents(entry.surface).split())
    return True


def find_hits(doc: Doc, tables: ActorTables) -> list[Hit]:
    """All surface matches (overlapping), each with the entries whose case fits."""
    cols = columns(doc)
    text = cols.text
    folded = fold(text)
    length = len(folded)
    starts: set[int] = set()
    ends: set[int] = set()
    inner: dict[int, int] = {}  # char position inside a hyphenated token → token index
    for i, (word, begin) in enumerate(zip(cols.words, cols.idx)):
        if cols.space[i] or cols.punct[i]:
            continue
        finish = begin + len(word)
        starts.add(begin)
        ends.add(finish)
        for offset, char in enumerate(word):
            if char in "-\u2010\u2011" and 0 < offset < len(word) - 1:
                starts.add(begin + offset + 1)
                ends.add(begin + offset)
                inner[begin + offset + 1] = i
                inner[begin + offset] = i

    hits: list[Hit] = []
    trie = tables.trie
    for begin in sorted(starts):
        node = trie
        pos = begin
        while pos < length:
            char = folded[pos]
            if char == " ":
                nxt = node.get(" ")
                if nxt is None:
                    break
                while pos < length and folded[pos] == " ":
                    pos += 1
                node = nxt
                continue
            nxt = node.get(char)
            if nxt is None:
                break
            node = nxt
            pos += 1
            found = node.get(TERMINAL)
            if found and pos in ends:
                surface = text[begin:pos]
                fitting = tuple(e for e in found if _case_ok(e, surface))
                if fitting:
                    hits.append(Hit(begin, pos, fitting))
    return _drop_partial_compounds(hits, doc, inner)


def _drop_partial_compounds(hits: list[Hit], doc: Doc, inner: dict[int, int]) -> list[Hit]:
    """Keep hits that start or end inside a hyphenated token only if the token is fully
    covered by hits ("américano-japonais" yes, "pro-russes" no); prefixes ("sino") must
    be followed by a hyphen."""
    text = doc_text(doc)
    kept = []
    for hit in hits:
        entries = tuple(
            e
            for e in hit.entries
            if e.kind != "prefix"
            or text[hit.end : hit.end + 1] in "-\u2010\u2011"
            and hit.end < len(text)
        )
        if entries:
            kept.append(Hit(hit.start, hit.end, entries))
    if not inner:
        return kept
    spans_by_token: dict[int, list[Hit]] = {}
    for hit in kept:
        for pos in (hit.start, hit.end):
            if pos in inner:
                spans_by_token.setdefault(inner[pos], []).append(hit)
    bad: set[Hit] = set()
    for tok_i, parts in spans_by_token.items():
        token = doc[tok_i]
        begin, finish = token.idx, token.idx + len(token.text)
        covered = [False] * (finish - begin)
        for hit in kept:
            if hit.start >= begin and hit.end <= finish:
                for p in range(hit.start, hit.end):
                    covered[p - begin] = True
        letters_ok = all(c or text[begin + i] in "-\u2010\u2011" for i, c in enumerate(covered))
        if not letters_ok:
            bad.update(parts)
    return [h for h in kept if h not in bad]
