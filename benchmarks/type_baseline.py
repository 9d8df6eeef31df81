"""A first learned baseline for issue 13 ("Learned coder"): how far does the silver data carry a
plain sentence classifier? Not shipped: an experiment to size the work.

Each sentence of a silver report (a regex split) is labelled with the PLOVER types of the events
whose evidence overlaps it; a TF-IDF (words and bigrams) one-vs-rest logistic regression learns
them from `data/silver/<lang>/train.jsonl`; on `dev` the types of a report are those of its
sentences above a threshold, scored as (report, type) pairs like `veille evaluate`'s type F1.
Needs scikit-learn (`pip install scikit-learn`).

    .venv/bin/python benchmarks/type_baseline.py

2026-12-06, with 467 French and 240 English train reports (thresholds picked on dev, so slightly
optimistic): French (report, type) F1 0.60 at 0.6 (P 0.71, R 0.52), English 0.73 at 0.5 (P 0.70,
R 0.76), against the rule coder's 0.37 and 0.63 on the same dev splits. Types only: no actors,
recipients or factuality.
"""
import json, re, sys
from collections import defaultdict
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import MultiLabelBinarizer
from pathlib import Path

SILVER = Path(__file__).resolve().parents[1] / "data" / "silver"

TYPES = ["AGREE","CONSULT","SUPPORT","CONCEDE","COOPERATE","AID","RETREAT","REQUEST","ACCUSE","REJECT","THREATEN","PROTEST","SANCTION","MOBILIZE","COERCE","ASSAULT"]
SPLIT = re.compile(r'(?<=[.!?…])["»”]?\s+(?=[«"“A-ZÀ-Ý0-9])')

def sentences(text):
    out = []
    pos = 0
    for line in text.split("\n"):
        start = pos
        for piece in SPLIT.split(line):
            if piece.strip():
                i = text.find(piece, start)
                out.append((i, i + len(piece), piece))
                start = i + len(piece)
        pos += len(line) + 1
    return out

def load(path):
    rows = [json.loads(l) for l in open(path)]
    X, Y, doc = [], [], []
    for r in rows:
        sents = sentences(r["text"])
        labels = [set() for _ in sents]
        for e in r["events"]:
            s, t = e["evidence_span"]
            for k, (a, b, _) in enumerate(sents):
                if a < t and s < b:
                    labels[k].add(e["type"])
        for (a, b, txt), lab in zip(sents, labels):
            X.append(txt); Y.append(sorted(lab)); doc.append(r["id"])
    return rows, X, Y, doc

for lang in ("fr", "en"):
    _, Xtr, Ytr, _ = load(str(SILVER / lang / "train.jsonl"))
    rows, Xdv, Ydv, ddv = load(str(SILVER / lang / "dev.jsonl"))
    mlb = MultiLabelBinarizer(classes=TYPES); ytr = mlb.fit_transform(Ytr)
    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, lowercase=True)
    Xt = vec.fit_transform(Xtr)
    clf = OneVsRestClassifier(LogisticRegression(max_iter=3000, C=4.0, class_weight="balanced")).fit(Xt, ytr)
    P = clf.predict_proba(vec.transform(Xdv))
    gold = {(r["id"], e["type"]) for r in rows for e in r["events"]}
    for thr in (0.5, 0.6, 0.7, 0.8):
        pred = set()
        for k, d in enumerate(ddv):
            for j, t in enumerate(TYPES):
                if P[k, j] >= thr: pred.add((d, t))
        tp = len(gold & pred); p = tp / max(len(pred), 1); r = tp / max(len(gold), 1)
        print(lang, f"train sentences {len(Xtr)} (with events {sum(1 for y in Ytr if y)}), thr {thr}: (report,type) P {p:.3f} R {r:.3f} F1 {2*p*r/max(p+r,1e-9):.3f}")
