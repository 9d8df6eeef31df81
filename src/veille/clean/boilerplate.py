"""Plain-text boilerplate removal: keep the article, drop the page furniture.

Users paste whole web pages copied as text: menus, share buttons, "PUBLICITÉ",
photo captions and credits, "Lire aussi" link lists, cookie banners and footers
surround the article. This module classifies each line as article or furniture.

How it works, in order:

1. **Cues** (data, ``lang/<code>/boilerplate.tsv``): phrases and patterns that mark a
   line as an ad, share button, credit, byline, cookie notice, "read also" heading,
   or the start of comments/footer. Matching is on a normalised form of the line.
2. **Shape**: each line gets a value. Prose lines (ending a sentence, or long, with a
   normal share of function words) count for their number of words; short lines
   without sentence punctuation (menus, tags, headings of teasers), cue lines, link
   runs after a "read also" heading, repeated lines and duplicated captions count
   against.
3. **Densest run**: the article is the contiguous run of lines with the highest total
   value (a maximum-sum segment, as in Body Text Extraction). Short lines inside that
   run are kept (subheadings, one-line paragraphs); cue lines inside it still go.
4. **Title**: the headline is picked among the title-like lines just above the run.
5. **Line model**: when the shipped model is installed (``veille.clean.line_model``), it makes
   the final decision, per line and for the headline, from what steps 1-4 found. Learned
   from labelled pages; its figures on pages it was not trained on are in its card
   (``data/models/cleaner.md``). Without it, or on a clean report (the rules drop nothing
   but cue lines), steps 1-4 decide.

Text that is already a clean report (no furniture) comes back essentially unchanged,
apart from the headline (returned as ``title``) and a leading byline.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

#: Languages that have a cue table; used when no language is given.
CUE_LANGUAGES = ("fr", "en", "de", "es")

#: Kinds of cue whose lines are dropped wherever they stand (even inside the article).
DROP_KINDS = frozenset(
    {
        "ad",
        "share",
        "nav",
        "subscribe",
        "meta",
        "byline",
        "copyright",
        "cookie",
        "credit",
        "caption",
        "label",
        "bio",
    }
)
#: A "read also" heading: the heading and the run of link titles after it go.
RELATED = "related"
#: A bare label ("Image caption", "Photo :") whose caption or credit is on the next line.
LABEL = "label"  # also in DROP_KINDS
#: The start of comments or of the footer: the article does not go on past it.
END = "end"
MATCH_TYPES = ("line", "prefix", "contains", "regex")
CUE_KINDS = DROP_KINDS | {RELATED, END}

# Values of lines for the densest-run search (prose lines count their words).
_CUE_VALUE = -3.0
_RELATED_VALUE = -15.0
_END_VALUE = -40.0
_SHORT_BASE = -2.0
_SHORT_PER_WORD = -0.25
_LINK_VALUE = -4.0
#: Weight of a prose line's words grows with its length up to this many words.
_SHORT_PROSE_WEIGHT = 0.4
_FULL_WEIGHT_WORDS = 50
#: Lines that end with a question are more often teasers or forum posts than news.
_QUESTION_WEIGHT = 0.5
_CLOSERS = " \t\"'»”’)]"

#: Prose: at least this many words if it ends a sentence…
_MIN_SENTENCE_WORDS = 3
#: …or this many words whatever its end (long teasers ending with a source name).
_LONG_WORDS = 20
#: Share of function words under which a long line is a list (tags, names), not prose.
_MIN_FUNCTION_RATIO = 0.08
#: After a "read also" heading, at most this many link titles of at most this length go.
_MAX_LINK_RUN = 15
_MAX_LINK_WORDS = 30
#: Inside the article, this many short lines in a row are a list of links, not subheadings.
_MIN_LINK_RUN = 2
_BULLET_RE = re.compile(r"^\s*(?:[-–—•*·▪►]|\d{1,2}[.)])\s")
#: A caption copied twice differs by at most a credit of this length.
_MAX_CREDIT_CHARS = 80
#: After a bare "Photo" label, a line this short is its caption (a longer one is prose).
_MAX_CAPTION_WORDS = 30
#: How many lines above the article are searched for the headline, and what it looks like.
_TITLE_WINDOW = 25
_TITLE_MIN_WORDS = 3
_TITLE_MAX_WORDS = 30
_TITLE_MAX_CHARS = 250
_TITLE_FULL_WORDS = 12
_TITLE_DISTANCE_COST = 0.25
_TITLE_REPEAT_BONUS = 4.0
_TITLE_CASE_BONUS = 3.0
_NOT_TITLE_RE = re.compile(r"https?:|www\.|@|\|")

_WORD_RE = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)
#: Sentence end: . ! ? … possibly followed by closing quotes or brackets.
_SENTENCE_END_RE = re.compile(r"[.!?…](?:[\s\"'»”’)\]]*)$")
_EDGE_STRIP = " \t\"'«»“”‘’*•·-–—>|:;,.()[]"
_SPACE_RE = re.compile(r"\s+")
#: Invisible characters that break words for matching and NLP: soft hyphen, zero widths, BOM.
_INVISIBLE_RE = re.compile("[\u00ad\u200b\u2060\ufeff]")


@dataclass(frozen=True, slots=True)
class Stripped:
    """The article found in a pasted page."""

    text: str  # the article text, paragraphs separated by "\n\n"
    title: str | None  # best guess of the headline in the page text, or None
    dropped: tuple[str, ...]  # the lines removed (for debugging/inspection)


@dataclass(frozen=True, slots=True)
class Cue:
    """One row of a boilerplate table."""

    cue: str
    match: str  # "line", "prefix", "contains" or "regex"
    kind: str
    max_chars: int  # prefix/contains/regex cues only apply to lines this short (0: no limit)
    pattern: re.Pattern[str] | None


@dataclass(frozen=True, slots=True)
class CueSet:
    """Cues of some languages, indexed for fast matching."""

    exact: dict[str, str]  # normalised whole line -> kind
    others: tuple[Cue, ...]


@dataclass(frozen=True, slots=True)
class _Line:
    """A non-empty line of the page and its features."""

    text: str
    key: str  # normalised for cue matching
    words: int
    function_ratio: float
    sentence_final: bool
    cue: str | None  # kind of the cue it matches, or None


def _lang_dir(code: str):
    return resources.files("veille").joinpath("lang", code)


def normalise_key(line: str) -> str:
    """Lower-case, single-spaced form of a line without edge punctuation, for cue lookup."""
    return _SPACE_RE.sub(" ", line.lower()).strip(_EDGE_STRIP).replace("’", "'")


@lru_cache(maxsize=16)
def load_cue_table(code: str) -> tuple[Cue, ...]:
    """Read ``lang/<code>/boilerplate.tsv`` (empty when the language has none)."""
    path = _lang_dir(code).joinpath("boilerplate.tsv")
    if not path.is_file():
        return ()
    cues = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            match = row["match"].strip()
            text = row["cue"].strip() if match == "regex" else normalise_key(row["cue"])
            pattern = re.compile(text, re.IGNORECASE) if match == "regex" else None
            cues.append(Cue(text, match, row["kind"].strip(), int(row["max_chars"] or 0), pattern))
    return tuple(cues)


@lru_cache(maxsize=16)
def load_cues(lang: str | None) -> CueSet:
    """Cues for a language: shared ones, the language's, and English (UI text leaks everywhere).

    Without a language, the cues of every language that has a table.
    """
    codes = ("_base", *CUE_LANGUAGES) if lang is None else ("_base", lang, "en")
    exact: dict[str, str] = {}
    others: list[Cue] = []
    for code in dict.fromkeys(codes):
        for cue in load_cue_table(code):
            if cue.match == "line":
                exact.setdefault(cue.cue, cue.kind)
            else:
                others.append(cue)
    return CueSet(exact, tuple(others))


@lru_cache(maxsize=16)
def function_words(lang: str | None) -> frozenset[str]:
    """Function words (articles, pronouns, prepositions) from ``lang/_base/function_words.tsv``.

    Prose has many of them, menus and lists of names few. Without a language, all of them.
    """
    path = _lang_dir("_base").joinpath("function_words.tsv")
    words = set()
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if lang is None or row["lang"] == lang or row["lang"] == "en":
                words.add(row["word"].strip().lower())
    return frozenset(words)


def _match_cue(line: str, key: str, cues: CueSet) -> str | None:
    """Kind of the strongest cue the line matches, or None."""
    found: list[str] = []
    kind = cues.exact.get(key)
    if kind:
        found.append(kind)
    size = len(line)
    for cue in cues.others:
        if cue.max_chars and size > cue.max_chars:
            continue
        if cue.match == "prefix":
            hit = key.startswith(cue.cue) and (
                len(key) == len(cue.cue)
                or not key[len(cue.cue)].isalnum()
                or not cue.cue[-1].isalnum()
            )
        elif cue.match == "contains":
            hit = cue.cue in key
        else:
            hit = cue.pattern is not None and cue.pattern.search(line.strip()) is not None
        if hit:
            found.append(cue.kind)
    if not found:
        return None
    for strongest in (END, RELATED):
        if strongest in found:
            return strongest
    return found[0]


def furniture_kind(line: str, lang: str | None = None) -> str | None:
    """Kind of page furniture one line is by the cue tables alone ("ad", "share", …), or None.

    Used on text already extracted from HTML, where only obvious furniture lines are left.
    """
    text = _SPACE_RE.sub(" ", _INVISIBLE_RE.sub("", line)).strip()
    if not text:
        return None
    found = _features(
        text, load_cues(lang if lang in CUE_LANGUAGES else None), function_words(lang)
    )
    return found.cue


def _features(text: str, cues: CueSet, fwords: frozenset[str]) -> _Line:
    words = _WORD_RE.findall(text)
    n_words = len(words)
    ratio = sum(1 for w in words if w.lower() in fwords) / n_words if n_words else 0.0
    final = bool(_SENTENCE_END_RE.search(text))
    key = normalise_key(text)
    cue = _match_cue(text, key, cues)
    # A "By …" / "Par …" cue names an author; a sentence starting with "Par ailleurs" is prose.
    if cue == "byline" and final:
        cue = None
    return _Line(text, key, n_words, ratio, final, cue)


def _is_prose(line: _Line) -> bool:
    """A line of running text, as opposed to a menu item, heading or list."""
    if line.words >= _LONG_WORDS:
        return line.function_ratio >= _MIN_FUNCTION_RATIO
    return line.sentence_final and line.words >= _MIN_SENTENCE_WORDS


def _mark_furniture(lines: list[_Line]) -> list[str | None]:
    """Per line, why it is furniture wherever it stands (a cue kind, "link", "dup"…), or None."""
    marks: list[str | None] = [line.cue for line in lines]
    seen: set[str] = set()
    for i, line in enumerate(lines):
        # Captions are often copied twice, the second time with the credit appended.
        if (
            i + 1 < len(lines)
            and len(line.key) >= 20
            and lines[i + 1].key.startswith(line.key)
            and len(lines[i + 1].key) - len(line.key) <= _MAX_CREDIT_CHARS
        ):
            marks[i] = marks[i] or "caption"
            marks[i + 1] = marks[i + 1] or "caption"
        # A line repeated further down (pull quote, teaser of the title) goes the second time.
        if line.key in seen and line.words >= 2:
            marks[i] = marks[i] or "dup"
        seen.add(line.key)
        # A bare "Image caption" / "Photo:" label: the caption or credit is the next line.
        if line.cue == LABEL and i + 1 < len(lines) and lines[i + 1].words <= _MAX_CAPTION_WORDS:
            marks[i + 1] = marks[i + 1] or "caption"
        # Link titles after a short "read also" heading.
        if line.cue == RELATED and line.words <= 6:
            for j in range(i + 1, min(len(lines), i + 1 + _MAX_LINK_RUN)):
                nxt = lines[j]
                if nxt.cue in (END, RELATED) or nxt.words > _MAX_LINK_WORDS:
                    break
                if nxt.sentence_final and nxt.words >= 12:
                    break
                marks[j] = marks[j] or "link"
    return marks


def _link_runs(lines: list[_Line], marks: list[str | None], start: int, end: int) -> set[int]:
    """Lines in runs of two or more short non-prose lines between ``start`` and ``end``.

    Inside an article, one short line is a subheading; several in a row are a list of
    links to other stories. Furniture lines already marked neither count nor break a run;
    bulleted or numbered items (lists that belong to the article) do break it.
    """
    found: set[int] = set()
    run: list[int] = []
    for i in range(start, end + 2):
        if i <= end and marks[i] is not None:
            continue
        if i <= end and not _is_prose(lines[i]) and not _BULLET_RE.match(lines[i].text):
            run.append(i)
            continue
        if len(run) >= _MIN_LINK_RUN:
            found.update(run)
        run = []
    return found


def _value(line: _Line, mark: str | None) -> float:
    if mark == END:
        return _END_VALUE
    if mark == RELATED:
        return _RELATED_VALUE
    if mark == "link":
        return _LINK_VALUE
    if mark is not None:
        return _CUE_VALUE
    if _is_prose(line):
        # Article paragraphs are long; teasers, forum questions and blurbs are short.
        weight = min(1.0, _SHORT_PROSE_WEIGHT + line.words / _FULL_WEIGHT_WORDS)
        if line.text.rstrip(_CLOSERS).endswith("?"):
            weight *= _QUESTION_WEIGHT
        return line.words * weight
    return _SHORT_BASE + _SHORT_PER_WORD * line.words


def _densest_run(values: list[float]) -> tuple[int, int] | None:
    """Bounds (inclusive) of the contiguous run with the largest positive sum, or None."""
    best_sum, best = 0.0, None
    run_sum, run_start = 0.0, 0
    for i, value in enumerate(values):
        if run_sum <= 0:
            run_sum, run_start = value, i
        else:
            run_sum += value
        if run_sum > best_sum:
            best_sum, best = run_sum, (run_start, i)
    return best


def _title_like(line: _Line, mark: str | None) -> bool:
    """Could be a headline: a few words, no final full stop, not furniture, few digits."""
    text = line.text.rstrip()
    return (
        mark in (None, "dup", "link")
        and _TITLE_MIN_WORDS <= line.words <= _TITLE_MAX_WORDS
        and len(text) <= _TITLE_MAX_CHARS
        and not text.endswith((".", ":", ","))
        and not _NOT_TITLE_RE.search(text)
        and sum(ch.isdigit() for ch in text) <= len(text) // 4
        # Five words or more without a single function word: a flattened menu, not a headline.
        and (line.words < 5 or line.function_ratio > 0)
    )


def _title_score(line: _Line, distance: int, repeated: bool) -> float:
    """Headline plausibility: length, repetition on the page, capitalised words, closeness."""
    score = min(line.words, _TITLE_FULL_WORDS) - _TITLE_DISTANCE_COST * distance
    if repeated:
        score += _TITLE_REPEAT_BONUS
    words = _WORD_RE.findall(line.text)
    capitals = sum(1 for w in words if w[0].isupper())
    if words and capitals / len(words) >= 0.6:
        score += _TITLE_CASE_BONUS
    return score


def _pick_title(lines: list[_Line], marks: list[str | None], start: int) -> int | None:
    """Index of the headline among the title-like lines above ``start`` (or at it)."""
    keys = [line.key for line in lines]
    counts: dict[str, int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    best, best_score = None, float("-inf")
    first = max(0, start - _TITLE_WINDOW)
    candidates = list(range(first, start))
    if start < len(lines) and lines[start].text.rstrip(_CLOSERS).endswith(("?", "!")):
        candidates.append(start)  # clean text whose headline is a question
    for i in candidates:
        line = lines[i]
        if not _title_like(line, marks[i]) or (marks[i] and keys.index(line.key) != i):
            continue
        if i == start and not (i + 1 < len(lines) and lines[i + 1].words > line.words):
            continue
        repeated = counts[line.key] > 1 or any(k != line.key and line.key in k for k in keys)
        score = _title_score(line, start - i, repeated)
        if score > best_score:
            best, best_score = i, score
    return best


@dataclass(frozen=True, slots=True)
class PageLines:
    """A page's non-empty lines and what the rules found about each (the line model's input)."""

    lines: tuple[_Line, ...]
    marks: tuple[str | None, ...]  # why a line is furniture wherever it stands, or None
    values: tuple[float, ...]  # the line's value in the densest-run search
    run: tuple[int, int] | None  # bounds (inclusive) of the densest run, None: no prose
    links: frozenset[int]  # lines of link lists inside the run
    keep: tuple[bool, ...]  # the rules' decision (headline excluded)
    title_index: int | None  # the rules' headline


def read_lines(text: str, lang: str | None = None) -> PageLines:
    """Split a page into non-empty lines and run the rules on them (no decision is final here)."""
    cues = load_cues(lang if lang in CUE_LANGUAGES else None)
    fwords = function_words(lang)
    raw = [_SPACE_RE.sub(" ", _INVISIBLE_RE.sub("", line)).strip() for line in text.splitlines()]
    lines = [_features(line, cues, fwords) for line in raw if line]
    if not lines:
        return PageLines((), (), (), None, frozenset(), (), None)
    marks = _mark_furniture(lines)
    values = [_value(line, mark) for line, mark in zip(lines, marks)]
    run = _densest_run(values)
    links: set[int] = set()
    if run is None:
        # No prose at all (a headline, a list): keep what is not clearly furniture.
        keep = [mark is None for mark in marks]
        title_index = None
    else:
        start, end = run
        links = _link_runs(lines, marks, start, end)
        keep = [
            start <= i <= end and marks[i] is None and i not in links for i in range(len(lines))
        ]
        title_index = _pick_title(lines, marks, start)
        if title_index is not None:
            keep[title_index] = False
    return PageLines(
        tuple(lines), tuple(marks), tuple(values), run, frozenset(links), tuple(keep), title_index
    )


def assemble(
    page: PageLines, keep: list[bool] | tuple[bool, ...], title_index: int | None
) -> Stripped:
    """The article made of the kept lines, the headline apart, the rest listed as dropped."""
    lines = page.lines
    kept = [line.text for i, (line, k) in enumerate(zip(lines, keep)) if k and i != title_index]
    dropped = tuple(
        line.text for i, (line, k) in enumerate(zip(lines, keep)) if not k and i != title_index
    )
    title = lines[title_index].text if title_index is not None else None
    return Stripped(text="\n\n".join(kept), title=title, dropped=dropped)


def strip_boilerplate(text: str, lang: str | None = None, *, learned: bool = True) -> Stripped:
    """Keep the article of a page pasted as plain text; drop menus, ads, links and footers.

    ``lang`` (ISO 639-1) selects cue tables; without it the cues of all languages apply.
    With ``learned`` (the default), the shipped line model decides from the rules' findings
    (``veille.clean.line_model``); without it, or when no model is installed, the rules decide.
    """
    page = read_lines(text, lang)
    if not page.lines:
        return Stripped(text="", title=None, dropped=())
    if learned:
        from veille.clean import line_model  # imports this module: loaded on first use

        if line_model.available():
            decision = line_model.decide(page)
            return assemble(page, decision.keep, decision.title_index)
    return assemble(page, page.keep, page.title_index)
