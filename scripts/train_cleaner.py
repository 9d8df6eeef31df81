"""Train the cleaner's line model on every labelled line of the pages corpus: one command.

    python scripts/train_cleaner.py            # train on the 74 pages, write the bundle
    python scripts/train_cleaner.py --no-save  # train and print what it would write

Reads the pages ``../shared/corpus/pages/*.txt`` and their line labels ``data/page_lines/*.ranges``
(docs/page_labelling.md: T headline, A article, unlisted lines furniture). The with/without
strings of ``cases.jsonl`` are never read here: they score the model
(``benchmarks/cleaner_cv.py``), they do not train it. Writes
``src/veille/data/models/cleaner.joblib``; its card ``cleaner.md`` is written by hand from the
figures of ``benchmarks/cleaner_cv.py``.

Everything is fixed here (seed, tree settings, thresholds); the settings were chosen by
cross-validation on the line labels (the model card says how), never on the strings. The
functions here are also what the cross-validation calls on each fold's training pages, so a
fold's bundle is built exactly as the shipped one, from that fold's training pages only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from check_page_lines import PAGES, read_ranges  # noqa: E402

from veille.clean.boilerplate import _INVISIBLE_RE, _SPACE_RE, PageLines, read_lines  # noqa: E402
from veille.clean.line_model import (  # noqa: E402
    CLASSES,
    expected_meta,
    line_features,
    line_words,
    model_path,
    smoothing_features,
    stage_one,
)

LABELS = ROOT / "data" / "page_lines"
SEED = 15
#: Inner folds that give stage 2 its out-of-fold stage-1 probabilities.
INNER_FOLDS = 5
#: Keep a line when P(article) + P(headline) reaches this. Chosen on the held-out probabilities
#: of the cross-validation on the line labels (benchmarks/cleaner_cv.py --lines-only): the
#: largest article + furniture characters share among thresholds keeping 0.96 of the article.
THRESHOLD = 0.5
#: The most likely headline line is the headline when P(headline) reaches this (fixed).
TITLE_THRESHOLD = 0.3
#: Word model: words seen on fewer lines are ignored; inverse regularisation strength.
WORD_MIN_LINES = 5
WORD_C = 0.3
#: Tree settings of the line and smoothing models (three classes: three trees an iteration).
TREES = {
    "max_iter": 100,
    "learning_rate": 0.1,
    "max_leaf_nodes": 15,
    "min_samples_leaf": 20,
    "l2_regularization": 1.0,
}


@dataclass(frozen=True)
class Page:
    """One labelled page: its name, language, the rules' analysis and a label per line."""

    name: str
    lang: str
    page: PageLines
    labels: np.ndarray  # index into CLASSES, one per line of ``page``


def line_labels(text: str, ranges: dict[int, str]) -> list[int]:
    """Labels of the lines ``read_lines`` keeps (it drops lines that are blank once cleaned)."""
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        if _SPACE_RE.sub(" ", _INVISIBLE_RE.sub("", line)).strip():
            out.append(CLASSES.index(ranges.get(number, "F")))
    return out


def load_pages(lang_from_case: bool = True) -> list[Page]:
    """Every labelled page, analysed by the rules with the page's language (or none)."""
    import json

    langs = {}
    for row in (PAGES / "cases.jsonl").read_text(encoding="utf-8").splitlines():
        if row.strip():
            case = json.loads(row)  # only its language is read here
            langs[case["txt"][: -len(".txt")]] = case["lang"]
    pages = []
    for path in sorted(LABELS.glob("*.ranges")):
        name = path.name[: -len(".ranges")]
        text = (PAGES / f"{name}.txt").read_text(encoding="utf-8")
        lang = langs.get(name, "")
        page = read_lines(text, lang if lang_from_case else None)
        labels = np.array(line_labels(text, read_ranges(path)), dtype=int)
        if len(labels) != len(page.lines):
            raise ValueError(f"{name}: {len(labels)} labels for {len(page.lines)} lines")
        pages.append(Page(name, lang, page, labels))
    return pages


def fold_of(name: str, folds: int) -> int:
    """A page's fold: a hash of its name (stable across runs and machines). Cross-validation
    and the inner folds of training use the same one: inside a cross-validation fold, the
    inner folds are the other outer folds."""
    return zlib.crc32(name.encode()) % folds


def _balance(y: np.ndarray) -> dict[int, float]:
    """Class weights that give the lines to keep (article and headline together) as much
    weight as the furniture, which outnumbers them nine to one; the headline is not weighted
    apart (a few dozen lines would otherwise weigh as much as all the article)."""
    keep = max(int((y > 0).sum()), 1)
    weight = float((y == 0).sum()) / keep
    return {0: 1.0, 1: weight, 2: weight} if (y == 2).any() else {0: 1.0, 1: weight}


def _trees(seed: int, y: np.ndarray) -> Any:
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(
        **TREES, class_weight=_balance(y), early_stopping=False, random_state=seed
    )


def _words(y: np.ndarray) -> Any:
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(
        CountVectorizer(
            token_pattern=r"\S+",
            lowercase=False,
            binary=True,
            min_df=WORD_MIN_LINES,
            dtype=np.float64,
        ),
        LogisticRegression(C=WORD_C, class_weight=_balance(y), max_iter=2000),
    )


def _fit_first(pages: list[Page], seed: int) -> dict[str, Any]:
    """Stage 1 (line model and word model) fitted on ``pages``."""
    y = np.concatenate([p.labels for p in pages])
    lines = _trees(seed, y).fit(np.vstack([line_features(p.page) for p in pages]), y)
    words = _words(y).fit([w for p in pages for w in line_words(p.page)], y)
    return {"lines": lines, "words": words}


def fit_bundle(pages: list[Page], seed: int = SEED) -> dict[str, Any]:
    """Train both stages on ``pages`` (their line labels only) and return the bundle."""
    y = np.concatenate([p.labels for p in pages])
    # Stage 2 learns from stage-1 probabilities as they are on pages stage 1 has not seen.
    inner = [fold_of(p.name, INNER_FOLDS) for p in pages]
    oof: list[np.ndarray] = [np.zeros((0, 0))] * len(pages)
    for k in range(INNER_FOLDS):
        held = [i for i, f in enumerate(inner) if f == k]
        if not held:
            continue
        first = _fit_first([p for p, f in zip(pages, inner) if f != k], seed)
        for i in held:
            oof[i] = stage_one(first, pages[i].page)
    second = np.vstack([smoothing_features(p.page, o) for p, o in zip(pages, oof)])
    smoothing = _trees(seed, y).fit(second, y)
    return {
        "meta": {
            **expected_meta(),
            "seed": seed,
            "pages": len(pages),
            "lines": int(len(y)),
            "built": dt.date.today().isoformat(),
        },
        **_fit_first(pages, seed),
        "smoothing": smoothing,
        "threshold": THRESHOLD,
        "title_threshold": TITLE_THRESHOLD,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-save", action="store_true", help="train, print, write nothing")
    parser.add_argument(
        "--out", type=Path, default=None, help="bundle path (default: the package's)"
    )
    args = parser.parse_args()
    import joblib

    began = time.perf_counter()
    pages = load_pages()
    bundle = fit_bundle(pages)
    counts = np.bincount(np.concatenate([p.labels for p in pages]), minlength=len(CLASSES))
    print(
        f"{len(pages)} pages, {int(counts.sum())} lines "
        + ", ".join(f"{c} {n}" for c, n in zip(CLASSES, counts))
        + f"; trained in {time.perf_counter() - began:.1f} s"
    )
    if args.no_save:
        return 0
    out = args.out or model_path()
    out.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(bundle, out, compress=3)
    print(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
