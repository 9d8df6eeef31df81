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
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / 'src'))
from veille.clean import boilerplate as B

PAGES = Path(__file__).resolve().parents[2] / 'shared' / 'corpus' / 'pages'
cases = [json.loads(l) for l in open(PAGES / 'cases.jsonl')]
norm = lambda t: " ".join(t.split())

def page_lines(text, lang):
    cues = B.load_cues(lang if lang in B.CUE_LANGUAGES else None)
    fw = B.function_words(lang)
    raw = [B._SPACE_RE.sub(" ", B._INVISIBLE_RE.sub("", l)).strip() for l in text.splitlines()]
    raw = [l for l in raw if l]
    lines = [B._features(l, cues, fw) for l in raw]
    if not lines: return [], np.zeros((0, 1))
    marks = B._mark_furniture(lines)
    values = [B._value(l, m) for l, m in zip(lines, marks)]
    run = B._densest_run(values)
    n = len(lines)
    if run is None:
        start, end, links = -1, -1, set()
    else:
        start, end = run
        links = B._link_runs(lines, marks, start, end)
    counts = {}
    for l in lines: counts[l.key] = counts.get(l.key, 0) + 1
    feats = []
    for i, (l, m, v) in enumerate(zip(lines, marks, values)):
        inrun = start <= i <= end
        rule_keep = inrun and m is None and i not in links
        prev = values[i-1] if i else 0; nxt = values[i+1] if i+1 < n else 0
        t = l.text
        feats.append([
            float(rule_keep), float(m is None), float(inrun), float(i in links), v, prev, nxt,
            np.log1p(len(t)), np.log1p(l.words), l.function_ratio, float(l.sentence_final),
            sum(c.isdigit() for c in t) / max(len(t), 1), sum(c.isupper() for c in t) / max(len(t), 1),
            i / n, (i - start) / n if inrun else (-1 if i < start else 2), float(counts[l.key] > 1),
            float(bool(re.search(r'https?://|www\.|@\w', t))), float(t.count('|') + t.count('›') + t.count('»') > 0),
            float(l.cue is not None), float(t.endswith(':')), float(bool(re.match(r'^[\W\d]', t))),
        ])
    return raw, np.array(feats)

pages = []
for c in cases:
    txt = (PAGES / c['txt']).read_text(encoding='utf-8')
    raw, X = page_lines(txt, c['lang'])
    withs = [w for w in c['with'] if w not in c.get('with_missing_in_txt', [])]
    withouts = [w for w in c['without'] if w not in c.get('without_not_in_txt', [])]
    y = np.full(len(raw), -1)
    for i, l in enumerate(raw):
        nl = norm(l)
        if any(norm(w) in nl for w in withs): y[i] = 1
        elif any(norm(w) in nl for w in withouts): y[i] = 0
    pages.append((c, raw, X, y, withs, withouts))
print('pages', len(pages), 'labelled lines', sum((p[3] >= 0).sum() for p in pages), 'lines', sum(len(p[1]) for p in pages))

def score(pairs):
    kept = wt = dropped = wot = 0
    for (c, raw, X, y, withs, withouts), keep in pairs:
        text = norm(" ".join(l for l, k in zip(raw, keep) if k))
        kept += sum(norm(w) in text for w in withs); wt += len(withs)
        dropped += sum(norm(w) not in text for w in withouts); wot += len(withouts)
    return kept / wt, dropped / wot

# rule baseline (on the lines: keep = rule_keep or title?)
print('rule (line decision):', score([(p, p[2][:, 0] > 0.5 if len(p[1]) else []) for p in pages]))
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
K = 5
fold = [zlib.crc32(p[0]['txt'].encode()) % K for p in pages]
for name, make in [('hgb', lambda: HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, random_state=0)),
                   ('logreg', lambda: LogisticRegression(max_iter=2000, C=1.0))]:
    for thr in (0.3, 0.4, 0.5):
        pairs = []
        for k in range(K):
            tr = [p for p, f in zip(pages, fold) if f != k]
            Xtr = np.vstack([p[2][p[3] >= 0] for p in tr if len(p[1])]); ytr = np.concatenate([p[3][p[3] >= 0] for p in tr if len(p[1])])
            m = make().fit(Xtr, ytr)
            for p, f in zip(pages, fold):
                if f == k:
                    keep = m.predict_proba(p[2])[:, 1] >= thr if len(p[1]) else []
                    pairs.append((p, keep))
        print(name, thr, 'CV kept/dropped: %.3f / %.3f' % score(pairs))
