"""Cross-validated line classifier for the plain-text cleaner (issue 15): can a model learned
from the labelled lines of ../shared/corpus/pages beat the cue rules on pages it has not seen?

Each line of a page .txt gets the rule cleaner's own features and decision (cue marks, the value
of the densest run, link runs, length, function-word ratio, position, repetition…). Lines that
contain one of the page's `with` strings are labelled article, `without` strings furniture; the
rest are unlabelled. 5-fold cross-validation by page; the score is the benchmark's (share of
`with` strings kept, of `without` strings dropped). Needs scikit-learn (`pip install scikit-learn`).

    .venv/bin/python benchmarks/cleaner_cv.py

2026-12-06: 423 labelled lines of 16,481. The rules on the same pages (fitted to them): 0.944 kept
/ 0.894 dropped. Cross-validated: gradient boosting 0.911-0.935 / 0.833-0.894, logistic regression
0.944-0.953 / 0.813-0.838 (thresholds 0.3-0.5): no better than the rules. The labels are too sparse;
a dense labelling of every line of the pages is the next step.
"""

import json
import re
import sys
import zlib
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from veille.clean import boilerplate as B  # noqa: E402

PAGES = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "pages"
K = 5


def norm(text: str) -> str:
    return " ".join(text.split())


def page_lines(text: str, lang: str) -> tuple[list[str], np.ndarray]:
    """The page's non-empty lines and, per line, the rule cleaner's features and decision."""
    cues = B.load_cues(lang if lang in B.CUE_LANGUAGES else None)
    fwords = B.function_words(lang)
    raw = [B._SPACE_RE.sub(" ", B._INVISIBLE_RE.sub("", line)).strip() for line in text.splitlines()]
    raw = [line for line in raw if line]
    lines = [B._features(line, cues, fwords) for line in raw]
    if not lines:
        return [], np.zeros((0, 1))
    marks = B._mark_furniture(lines)
    values = [B._value(line, mark) for line, mark in zip(lines, marks)]
    run = B._densest_run(values)
    n = len(lines)
    start, end, links = (-1, -1, set()) if run is None else (*run, B._link_runs(lines, marks, *run))
    counts: dict[str, int] = {}
    for line in lines:
        counts[line.key] = counts.get(line.key, 0) + 1
    feats = []
    for i, (line, mark, value) in enumerate(zip(lines, marks, values)):
        inrun = start <= i <= end
        text_ = line.text
        feats.append([
            float(inrun and mark is None and i not in links), float(mark is None), float(inrun),
            float(i in links), value, values[i - 1] if i else 0.0, values[i + 1] if i + 1 < n else 0.0,
            np.log1p(len(text_)), np.log1p(line.words), line.function_ratio, float(line.sentence_final),
            sum(c.isdigit() for c in text_) / max(len(text_), 1), sum(c.isupper() for c in text_) / max(len(text_), 1),
            i / n, (i - start) / n if inrun else (-1.0 if i < start else 2.0), float(counts[line.key] > 1),
            float(bool(re.search(r"https?://|www\.|@\w", text_))),
            float(any(mark_ in text_ for mark_ in ("|", "›", "»"))), float(line.cue is not None),
            float(text_.endswith(":")), float(bool(re.match(r"^[\W\d]", text_))),
        ])
    return raw, np.array(feats)


def load_pages() -> list[tuple]:
    pages = []
    for line in (PAGES / "cases.jsonl").read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        raw, feats = page_lines((PAGES / case["txt"]).read_text(encoding="utf-8"), case["lang"])
        withs = [w for w in case["with"] if w not in case.get("with_missing_in_txt", [])]
        withouts = [w for w in case["without"] if w not in case.get("without_not_in_txt", [])]
        labels = np.full(len(raw), -1)
        for i, text_ in enumerate(raw):
            if any(norm(w) in norm(text_) for w in withs):
                labels[i] = 1
            elif any(norm(w) in norm(text_) for w in withouts):
                labels[i] = 0
        pages.append((case["txt"], raw, feats, labels, withs, withouts))
    return pages


def score(pairs: list[tuple]) -> tuple[float, float]:
    """Share of `with` strings kept and of `without` strings dropped, over all pages."""
    kept = with_total = dropped = without_total = 0
    for (_, raw, _, _, withs, withouts), keep in pairs:
        text = norm(" ".join(line for line, k in zip(raw, keep) if k))
        kept += sum(norm(w) in text for w in withs)
        with_total += len(withs)
        dropped += sum(norm(w) not in text for w in withouts)
        without_total += len(withouts)
    return kept / with_total, dropped / without_total


def main() -> None:
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression

    pages = load_pages()
    print("pages", len(pages), "labelled lines", sum(int((p[3] >= 0).sum()) for p in pages),
          "lines", sum(len(p[1]) for p in pages))
    print("rules on the same pages (fitted to them): kept/dropped {:.3f} / {:.3f}".format(
        *score([(p, p[2][:, 0] > 0.5 if len(p[1]) else []) for p in pages])))
    fold = [zlib.crc32(p[0].encode()) % K for p in pages]
    makers = {"gradient boosting": lambda: HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, random_state=0),
              "logistic regression": lambda: LogisticRegression(max_iter=2000, C=1.0)}
    for name, make in makers.items():
        for threshold in (0.3, 0.4, 0.5):
            pairs = []
            for k in range(K):
                train = [p for p, f in zip(pages, fold) if f != k and len(p[1])]
                x = np.vstack([p[2][p[3] >= 0] for p in train])
                y = np.concatenate([p[3][p[3] >= 0] for p in train])
                model = make().fit(x, y)
                for p, f in zip(pages, fold):
                    if f == k:
                        pairs.append((p, model.predict_proba(p[2])[:, 1] >= threshold if len(p[1]) else []))
            print("{} at {}: cross-validated kept/dropped {:.3f} / {:.3f}".format(name, threshold, *score(pairs)))


if __name__ == "__main__":
    main()
