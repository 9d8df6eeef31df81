"""A first learned baseline for issue 13 ("Learned coder"): how far does the silver data carry a
plain sentence classifier? Not shipped: an experiment to size the work.

Each sentence of a silver report (a regex split) is labelled with the PLOVER types of the events
whose evidence overlaps it; a TF-IDF (words and bigrams) one-vs-rest logistic regression learns
them from `data/silver/<lang>/train.jsonl.gz`; on `dev` the types of a report are those of its
sentences above a threshold, scored as (report, type) pairs like `veille evaluate`'s type F1.
Needs scikit-learn (`pip install scikit-learn`).

    .venv/bin/python benchmarks/type_baseline.py

2026-12-06, with 542 French and 545 English train reports (800 per language, salted split): French
(report, type) F1 0.61 at threshold 0.5 (P 0.68, R 0.55), English 0.67 at 0.5 (P 0.57, R 0.80),
against the rule coder's 0.35 and 0.54 on the same dev splits. Types only: no actors, recipients or
factuality.
"""

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from veille.silver.files import read_text, split_path  # noqa: E402

SILVER = Path(__file__).resolve().parents[1] / "data" / "silver"
TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
         "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
SPLIT = re.compile(r"(?<=[.!?…])[\"»”]?\s+(?=[«\"“A-ZÀ-Ý0-9])")


def sentences(text: str) -> list[tuple[int, int, str]]:
    """(start, end, sentence) of every sentence of every line (a regex split: enough to size the work)."""
    out, pos = [], 0
    for line in text.split("\n"):
        start = pos
        for piece in SPLIT.split(line):
            if piece.strip():
                at = text.find(piece, start)
                out.append((at, at + len(piece), piece))
                start = at + len(piece)
        pos += len(line) + 1
    return out


def load(path: Path) -> tuple[list[dict], list[str], list[list[str]], list[str]]:
    """Reports, and per sentence: its text, the types of the events it states, its report id."""
    rows = [json.loads(line) for line in read_text(path).splitlines() if line.strip()]
    texts, labels, docs = [], [], []
    for row in rows:
        sents = sentences(row["text"])
        found: list[set[str]] = [set() for _ in sents]
        for event in row["events"]:
            s, t = event["evidence_span"]
            for k, (a, b, _) in enumerate(sents):
                if a < t and s < b:
                    found[k].add(event["type"])
        for (_, _, sentence), types in zip(sents, found):
            texts.append(sentence)
            labels.append(sorted(types))
            docs.append(row["id"])
    return rows, texts, labels, docs


def main() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.preprocessing import MultiLabelBinarizer

    for lang in ("fr", "en"):
        _, train_texts, train_labels, _ = load(split_path(SILVER, lang, "train"))
        rows, dev_texts, _, dev_docs = load(SILVER / lang / "dev.jsonl")
        binarizer = MultiLabelBinarizer(classes=list(TYPES))
        vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, lowercase=True)
        model = OneVsRestClassifier(LogisticRegression(max_iter=3000, C=4.0, class_weight="balanced"))
        model.fit(vectorizer.fit_transform(train_texts), binarizer.fit_transform(train_labels))
        proba = model.predict_proba(vectorizer.transform(dev_texts))
        gold = {(row["id"], event["type"]) for row in rows for event in row["events"]}
        with_events = sum(1 for labels in train_labels if labels)
        for threshold in (0.5, 0.6, 0.7, 0.8):
            predicted = {(doc, kind) for k, doc in enumerate(dev_docs) for j, kind in enumerate(TYPES)
                         if proba[k, j] >= threshold}
            tp = len(gold & predicted)
            p, r = tp / max(len(predicted), 1), tp / max(len(gold), 1)
            print(f"{lang}: {len(train_texts)} train sentences ({with_events} with events), threshold "
                  f"{threshold}: (report, type) P {p:.3f} R {r:.3f} F1 {2 * p * r / max(p + r, 1e-9):.3f}")


if __name__ == "__main__":
    main()
