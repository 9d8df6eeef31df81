"""The learned line classifier of the plain-text cleaner: article, headline or page furniture.

The cue rules of :mod:`veille.clean.boilerplate` were written by looking at pages; on pages they
have never seen they do worse (issue 15). This model learns the
decision from every line of 74 pages labelled by reading them (``data/page_lines``,
``docs/page_labelling.md``). It does not replace the rules' analysis, it reads it: each line is
described by what the rules found (cue kind, furniture mark, value in the densest-run search,
the rules' own decision and headline) plus its shape (length, punctuation, capitals, digits,
links), its place on the page and the same facts about the lines around it, because furniture
comes in blocks (menus, "read also" lists) and so does the article.

Two stages (scikit-learn), each giving P(furniture), P(article), P(headline) of every line:

1. **lines**: from its own and its neighbours' features (gradient-boosted trees); **words**:
   from the line's words alone (logistic regression: "Photo", "Reply", "newsletter" beyond the
   cue tables);
2. **smoothing**: the same again (gradient-boosted trees), from stage 1's probabilities of the
   line and of the lines around (``WINDOW`` lines each side, means over wider windows, the
   block they outline) and a few of the line's own features, so that one line that looks like
   a menu item inside the article, or one sentence in a footer, follows its block. Stage 2 is
   trained on out-of-fold stage-1 probabilities.

Measured figures, choices and limits: the model card ``cleaner.md`` and
``benchmarks/cleaner_cv.py``.

A line is kept when P(article) + P(headline) reaches the bundle's ``threshold``; the headline is
the line with the highest P(headline) when it reaches ``title_threshold``, else the rules'
headline (it is returned apart from the text, as the rules do). Lines the rules mark as
furniture wherever they stand (cues, repeats, captions, link lists) stay dropped, and a page
where the rules drop nothing but such lines is a clean report: the rules' decision stands
(:func:`clean_report`).

The bundle (``veille/data/models/cleaner.joblib``, card ``cleaner.md`` beside it) is built by
``python scripts/train_cleaner.py`` and loaded once per process. A bundle built for another
feature version or scikit-learn fails with :class:`~veille.errors.ModelMismatch`; a missing one
makes the cleaner fall back to the rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np

from veille.clean.boilerplate import (
    _BULLET_RE,
    _WORD_RE,
    CUE_KINDS,
    END,
    RELATED,
    PageLines,
    _densest_run,
    _is_prose,
)
from veille.errors import ModelMismatch

#: Bumped whenever the features change (:func:`own_features`, :func:`line_features`,
#: :func:`line_words`, :func:`smoothing_features`): a bundle of another version is refused.
#: (Computing :func:`own_features` page-wide instead of line by line changed no value: still 1.)
FEATURE_VERSION = 1
#: Where the bundle lives inside the package.
MODEL_FILE = ("data", "models", "cleaner.joblib")
REBUILD = "python scripts/train_cleaner.py"
#: Classes of the line labels (docs/page_labelling.md): furniture, article, headline.
CLASSES = ("F", "A", "T")
#: Lines on each side whose features describe a line (stage 1) and whose probabilities
#: smooth its decision (stage 2).
CONTEXT = 3
WINDOW = 6

#: Furniture marks the rules give besides cue kinds.
_MARKS = tuple(sorted(CUE_KINDS | {"caption", "dup", "link"}))
# (The lookaheads only make the search faster: the matches are the same.)
_URL_RE = re.compile(
    r"(?=[hw@.])(?:https?://|www\.|@\w|\.(?:com|org|net|fr|de|es)\b)", re.IGNORECASE
)
_TIME_RE = re.compile(
    r"(?=\d)(?:\b\d{1,2}[:h.]\d{2}\b|\b\d{1,2}:\d{2}\s*(?:am|pm)\b)", re.IGNORECASE
)
_YEAR_RE = re.compile(r"\b(?:19|20)\d{2}\b")
_SEPARATORS = ("|", "›", "»", "•", "/", "·")
_QUOTE_RE = re.compile('["«»“”„]')


@dataclass(frozen=True, slots=True)
class Decision:
    """What the model decided for a page: per line, keep it; and which line is the headline."""

    keep: tuple[bool, ...]
    title_index: int | None


#: Per character: digit, upper case, alphanumeric, space, letter (a character of
#: ``boilerplate._WORD_RE``'s words), word joiner, comma; as ``str`` methods say.
_LETTER_RE = re.compile(r"[^\W\d_]")
_JOINERS = "'’-"
_SEPARATOR_RE = re.compile("|".join(re.escape(s) for s in _SEPARATORS))
_CLOSERS = " \t\"'»”’)]"


def _classes_of(codes: Any) -> np.ndarray:
    return np.array(
        [
            [
                (ch := chr(c)).isdigit(),
                ch.isupper(),
                ch.isalnum(),
                ch.isspace(),
                _LETTER_RE.match(ch) is not None,
                ch in _JOINERS,
                ch == ",",
            ]
            for c in codes
        ],
        dtype=bool,
    ).reshape(len(codes), 7)


#: The classes of the first code points (Latin, Greek, Cyrillic, Arabic, Indic…), computed once;
#: rarer characters are looked up once per page.
_TABLE_SIZE = 0x3000
_CLASS_TABLE = _classes_of(range(_TABLE_SIZE))


def _char_classes(codes: np.ndarray) -> np.ndarray:
    """Per character of the page, its classes (one row a character, columns as above)."""
    out = _CLASS_TABLE[np.minimum(codes, _TABLE_SIZE - 1)]
    rare = codes >= _TABLE_SIZE
    if rare.any():
        unique, inverse = np.unique(codes[rare], return_inverse=True)
        out[rare] = _classes_of(unique)[inverse.ravel()]
    return out


def _lines_hit(pattern: re.Pattern[str], joined: str, starts: np.ndarray, n: int) -> np.ndarray:
    """Per line, 1.0 when ``pattern`` matches in it (one search over the whole page)."""
    out = np.zeros(n)
    found = [m.start() for m in pattern.finditer(joined)]
    if found:
        out[np.searchsorted(starts, found, side="right") - 1] = 1.0
    return out


def own_features(page: PageLines) -> np.ndarray:
    """Per line, what the rules found and the line's shape (one row a line).

    Computed column by column over the whole page (characters as one array, each pattern
    searched once), not line by line: this is most of the model's cost.
    """
    lines, marks = page.lines, page.marks
    n = len(lines)
    texts = [line.text for line in lines]
    sizes = np.array([len(t) for t in texts])
    starts = np.concatenate([[0], np.cumsum(sizes + 1)[:-1]])
    joined = "\n".join(texts)
    classes = _char_classes(np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32))
    classes[starts[1:] - 1] = False  # the line breaks
    sums = np.add.reduceat(classes.astype(np.int64), starts, axis=0).astype(float)
    digits, upper, alnum, spaces, commas = sums[:, [0, 1, 2, 3, 6]].T
    # Words as _WORD_RE finds them: a letter after no letter, unless joined ("l'homme", "x-ray").
    letter, joiner = classes[:, 4], classes[:, 5]
    after_letter = np.concatenate([[False], letter[:-1]])
    after_joiner = np.concatenate([[False], joiner[:-1]])
    joined_word = after_joiner & np.concatenate([[False, False], letter[:-2]])
    word_starts = np.flatnonzero(letter & ~after_letter & ~joined_word)
    word_line = np.searchsorted(starts, word_starts, side="right") - 1
    n_words = np.bincount(word_line, minlength=n).astype(float)
    capitals = np.bincount(word_line, weights=classes[word_starts, 1].astype(float), minlength=n)
    capitalised = np.divide(capitals, n_words, out=np.zeros(n), where=n_words > 0)
    first = classes[starts]
    size = np.maximum(sizes, 1).astype(float)
    ends = [t.rstrip(_CLOSERS)[-1:] for t in texts]
    words = np.array([line.words for line in lines], dtype=float)
    start, end = page.run if page.run is not None else (n, -1)
    has_run = start <= end
    idx = np.arange(n, dtype=float)
    counts: dict[str, int] = {}
    for line in lines:
        counts[line.key] = counts.get(line.key, 0) + 1
    # Lines since the last "read also" heading (-1: none within 100) and whether the footer began.
    since_related, after_end = np.empty(n), np.empty(n)
    last_related, ended = -100, 0.0
    for i, mark in enumerate(marks):
        since = min(i - last_related, 100)
        since_related[i] = since if since < 100 else -1.0
        after_end[i] = ended
        if mark == RELATED:
            last_related = i
        if mark == END:
            ended = 1.0
    title = page.title_index

    def flags(values: Any) -> np.ndarray:
        return np.fromiter(values, dtype=float, count=n)

    columns = [
        flags(page.keep),
        (idx == title).astype(float) if title is not None else np.zeros(n),
        flags(m is None for m in marks),
        ((idx >= start) & (idx <= end)).astype(float),
        flags(i in page.links for i in range(n)),
        flags(_is_prose(line) for line in lines),
        flags(page.values),
        np.log1p(size),
        np.log1p(words),
        flags(line.function_ratio for line in lines),
        flags(line.sentence_final for line in lines),
        flags(e == "?" for e in ends),
        flags(e == "!" for e in ends),
        flags(e == ":" for e in ends),
        flags(e in (",", ";") for e in ends),
        digits / size,
        upper / size,
        capitalised,
        (sizes - alnum - spaces) / size,
        commas / np.maximum(words, 1),
        _lines_hit(_QUOTE_RE, joined, starts, n),
        _lines_hit(_URL_RE, joined, starts, n),
        _lines_hit(_SEPARATOR_RE, joined, starts, n),
        _lines_hit(_TIME_RE, joined, starts, n),
        _lines_hit(_YEAR_RE, joined, starts, n),
        (~first[:, 2]).astype(float),
        first[:, 1].astype(float),
        flags(_BULLET_RE.match(t) is not None for t in texts),
        idx / n,
        np.full(n, np.log1p(n)),
        (idx - start) / n if has_run else np.full(n, -1.0),
        (end - idx) / n if has_run else np.full(n, -1.0),
        np.sign(idx - start) * np.log1p(np.abs(idx - start)) if has_run else np.full(n, -9.0),
        np.sign(end - idx) * np.log1p(np.abs(end - idx)) if has_run else np.full(n, -9.0),
        (idx - title) / n if title is not None else np.full(n, -2.0),
        np.log1p(flags(counts[line.key] - 1 for line in lines)),
        since_related,
        after_end,
    ]
    columns += [flags(m == kind for m in marks) for kind in _MARKS]
    columns.append(flags(line.cue is not None for line in lines))
    return np.column_stack(columns)


#: Columns of :func:`own_features` repeated for each neighbour (keep, mark None, in run, prose,
#: value, log chars, log words, function ratio, sentence end, digits, capitalised share,
#: link-like, time of day, year, cue).
_NEIGHBOUR_COLUMNS = (0, 2, 3, 5, 6, 7, 8, 9, 10, 15, 17, 21, 23, 24, -1)


def _shifted(matrix: np.ndarray, offset: int, fill: float) -> np.ndarray:
    """Rows of ``matrix`` moved by ``offset`` (row i gets row i + offset), edges filled."""
    out = np.full_like(matrix, fill)
    n = len(matrix)
    if offset > 0 and offset < n:
        out[: n - offset] = matrix[offset:]
    elif offset < 0 and -offset < n:
        out[-offset:] = matrix[: n + offset]
    elif offset == 0:
        out[:] = matrix
    return out


def _window_sums(column: np.ndarray, half: int) -> np.ndarray:
    """Per line, the sum of ``column`` over the lines within ``half`` lines of it."""
    padded = np.concatenate([[0.0], np.cumsum(column)])
    n = len(column)
    idx = np.arange(n)
    return padded[np.minimum(idx + half + 1, n)] - padded[np.maximum(idx - half, 0)]


def _window_means(column: np.ndarray, half: int) -> np.ndarray:
    """Per line, the mean of ``column`` over the lines within ``half`` lines of it (only lines
    that exist: a short page or a page's edge is not diluted by lines beyond it)."""
    n = len(column)
    idx = np.arange(n)
    width = np.minimum(idx + half + 1, n) - np.maximum(idx - half, 0)
    return _window_sums(column, half) / width


def _block_words(page: PageLines) -> np.ndarray:
    """Per line, log of the words in its block of consecutive unmarked lines (0 if marked)."""
    out = np.zeros(len(page.lines))
    i = 0
    n = len(page.lines)
    while i < n:
        if page.marks[i] is not None:
            i += 1
            continue
        j = i
        while j < n and page.marks[j] is None:
            j += 1
        out[i:j] = np.log1p(sum(line.words for line in page.lines[i:j]))
        i = j
    return out


def line_features(page: PageLines, own: np.ndarray | None = None) -> np.ndarray:
    """Stage-1 features: a line's own, its neighbours' and its surroundings' (one row a line).

    ``own`` is :func:`own_features` of the page when the caller has it already.
    """
    own = own_features(page) if own is None else own
    if not len(own):
        return own
    parts = [own]
    neighbours = own[:, _NEIGHBOUR_COLUMNS]
    for offset in range(-CONTEXT, CONTEXT + 1):
        if offset:
            parts.append(_shifted(neighbours, offset, -1.0))
    prose_words = np.array(
        [line.words if _is_prose(line) else 0 for line in page.lines], dtype=float
    )
    keep = own[:, 0]
    unmarked = own[:, 2]
    for half in (2, 5, 10):
        parts.append(
            np.column_stack(
                [
                    np.log1p(_window_sums(prose_words, half)),
                    _window_means(keep, half),
                    _window_means(unmarked, half),
                ]
            )
        )
    parts.append(_block_words(page)[:, None])
    # Length against the page's own prose (a short paragraph on one site is long on another).
    prose = own[:, 5] > 0
    typical = np.median(own[prose, 7]) if prose.any() else 0.0
    parts.append((own[:, 7] - typical)[:, None])
    return np.hstack(parts)


def line_words(page: PageLines) -> list[str]:
    """Per line, its words for the word model: lower-cased words, the first and the last word
    marked (furniture often starts or ends the same way: "Photo", "Read more", "Reply")."""
    out = []
    for line in page.lines:
        words = [w.lower() for w in _WORD_RE.findall(line.text)]
        if words:
            words += [f"^{words[0]}", f"{words[-1]}$"]
        out.append(" ".join(words))
    return out


def _best_segment(gains: np.ndarray) -> np.ndarray:
    """Per line, 1.0 inside the contiguous run of lines with the largest positive total gain
    (the rules' own densest-run search)."""
    out = np.zeros(len(gains))
    best = _densest_run([float(g) for g in gains])
    if best is not None:
        out[best[0] : best[1] + 1] = 1.0
    return out


def smoothing_features(
    page: PageLines, first: np.ndarray, own: np.ndarray | None = None
) -> np.ndarray:
    """Stage-2 features from stage 1's probabilities (``first``: one row a line, the line
    model's three classes then the word model's): the line's, those of ``WINDOW`` lines each
    side and window means (of P(article) + P(headline)), the article block they outline, how
    much of it lies above and below, and a few of the line's own features (the rules' decision
    and headline, furniture mark, prose, length, sentence end)."""
    own = own_features(page) if own is None else own
    keep_lines = first[:, 1] + first[:, 2]
    keep_words = first[:, 4] + first[:, 5]
    parts = [first, own[:, [0, 1, 2, 5, 7, 8, 10]]]
    for keep_p in (keep_lines, keep_words):
        for offset in range(-WINDOW, WINDOW + 1):
            if offset:
                parts.append(_shifted(keep_p[:, None], offset, -1.0))
        for half in (2, 5, 10, 20):
            parts.append(_window_means(keep_p, half)[:, None])
    # The article block the line model outlines: the densest run of its keep probabilities
    # (lines weighted by their words, then not), and the article's words above and below.
    words = np.array([max(line.words, 1) for line in page.lines], dtype=float)
    parts.append(_best_segment((keep_lines - 0.5) * words)[:, None])
    parts.append(_best_segment(keep_lines - 0.5)[:, None])
    cumulative = np.cumsum(keep_lines * words)
    parts.append(np.log1p(cumulative - keep_lines * words)[:, None])
    parts.append(np.log1p(cumulative[-1] - cumulative)[:, None])
    # The line the line model finds most headline-like.
    parts.append((first[:, 2] >= first[:, 2].max())[:, None].astype(float))
    return np.hstack(parts)


def stage_one(bundle: dict[str, Any], page: PageLines, own: np.ndarray | None = None) -> np.ndarray:
    """Stage-1 probabilities of each line: the line model's three classes (furniture, article,
    headline), then the word model's."""
    return np.hstack(
        [
            _proba(bundle["lines"], line_features(page, own)),
            _proba(bundle["words"], line_words(page)),
        ]
    )


def probabilities(bundle: dict[str, Any], page: PageLines) -> np.ndarray:
    """P(furniture), P(article), P(headline) of each line of the page, after smoothing."""
    own = own_features(page)
    first = stage_one(bundle, page, own)
    return _proba(bundle["smoothing"], smoothing_features(page, first, own))


def _proba(model: Any, x: Any) -> np.ndarray:
    """Class probabilities in the order of :data:`CLASSES` (a class absent in training: 0)."""
    raw = model.predict_proba(x)
    out = np.zeros((raw.shape[0], len(CLASSES)))
    for column, label in enumerate(model.classes_):
        out[:, int(label)] = raw[:, column]
    return out


#: A report whose rules drop at most this many lines that no cue marks (an author's name, a
#: "Source : …" line) is a clean report, not a web page: every one of the 74 labelled pages has
#: ten or more such lines, news reports have 0 to 5.
MAX_LOOSE_LINES = 5


def clean_report(page: PageLines) -> bool:
    """Whether the rules find the page a clean report: besides the headline (returned apart)
    and cue lines (furniture wherever it stands: "AFP, publié le…", "© …", a byline), they drop
    at most ``MAX_LOOSE_LINES`` lines: no menu, no list of links.

    The model, trained on whole pages (none of the 74 labelled pages is such a page), has
    no furniture to find there and misjudges short pages of prose: the rules' decision stands.
    """
    loose = sum(
        1
        for i, keep in enumerate(page.keep)
        if not keep and i != page.title_index and page.marks[i] is None
    )
    return loose <= MAX_LOOSE_LINES


def decide_with(bundle: dict[str, Any], page: PageLines) -> Decision:
    """The bundle's decision for one page (also used by cross-validation, with fold bundles)."""
    if not page.lines:
        return Decision((), None)
    if clean_report(page):
        return Decision(page.keep, page.title_index)
    return decision_at(
        page, probabilities(bundle, page), bundle["threshold"], bundle["title_threshold"]
    )


def decision_at(
    page: PageLines, p: np.ndarray, threshold: float, title_threshold: float
) -> Decision:
    """The decision from the probabilities ``p`` of :func:`probabilities` at these thresholds."""
    if not page.lines:
        return Decision((), None)
    if clean_report(page):
        return Decision(page.keep, page.title_index)
    # Lines the rules mark as furniture (a cue, a repeat, a caption, a list of links) stay
    # dropped: in the labelled pages 29 of 4,219 such lines are article.
    keep = (p[:, 1] + p[:, 2] >= threshold) & np.array([m is None for m in page.marks])
    best = int(np.argmax(p[:, 2]))
    # Trained on whole pages, the model knows a headline by the menus above it; a report that
    # starts with its headline gets the rules' choice instead.
    title_index = best if p[best, 2] >= title_threshold else page.title_index
    if title_index is not None:
        keep[title_index] = False  # returned apart, as the rules do
    return Decision(tuple(bool(k) for k in keep), title_index)


def model_path() -> Path:
    """Where the shipped bundle is (it may be missing: the rules then decide)."""
    path = files("veille")
    for part in MODEL_FILE:
        path = path.joinpath(part)
    return Path(str(path))


def available() -> bool:
    return model_path().is_file()


def expected_meta() -> dict[str, Any]:
    """What a bundle must have been built with to be used in this installation."""
    import sklearn

    return {
        "feature_version": FEATURE_VERSION,
        "sklearn": ".".join(sklearn.__version__.split(".")[:2]),
    }


def check_meta(meta: dict[str, Any], path: Path) -> None:
    """Raise ModelMismatch naming what differs between the bundle and this installation."""
    want = expected_meta()
    diffs = [
        f"{k} {meta.get(k)!r} (this installation: {v!r})"
        for k, v in want.items()
        if meta.get(k) != v
    ]
    if diffs:
        raise ModelMismatch(
            f"{path}: the cleaner's line model was built with "
            + "; ".join(diffs)
            + f". Rebuild it with `{REBUILD}`, or delete the file to clean with the rules alone."
        )


@lru_cache(maxsize=1)
def load_bundle() -> dict[str, Any]:
    """The shipped bundle, read once per process; ModelMismatch when built for other features."""
    import joblib

    path = model_path()
    if not path.is_file():
        raise ModelMismatch(f"no line model for the cleaner at {path}; build it with `{REBUILD}`")
    bundle = joblib.load(path)
    check_meta(bundle.get("meta", {}) if isinstance(bundle, dict) else {}, path)
    return bundle


def decide(page: PageLines) -> Decision:
    """The shipped model's decision for one page."""
    return decide_with(load_bundle(), page)
