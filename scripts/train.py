"""Train the learned coder from the silver data: one command, fixed seeds, scikit-learn only.

    python scripts/train.py                 # both languages, write the bundles and model cards
    python scripts/train.py --lang fr --no-save   # train and print dev figures only

Reads ``data/silver/<lang>/train.jsonl`` (fit) and ``dev.jsonl`` (thresholds and choices);
``test.jsonl`` is scored once at the end for the model card, never used to choose anything.
Parses are cached under ``.cache/train`` (keyed by the spaCy model). Writes
``src/veille/data/models/coder-<lang>.joblib`` and ``coder-<lang>.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from veille.actors import find_actors, load_tables  # noqa: E402
from veille.actors.implicit import with_implicit  # noqa: E402
from veille.evaluate.score import load_gold, score  # noqa: E402
from veille.events.coder import code_document  # noqa: E402
from veille.events.tables import load_coder_tables  # noqa: E402
from veille.learned.coder import code_document_learned  # noqa: E402
from veille.learned.data import parsed, read_split  # noqa: E402
from veille.learned.features import (  # noqa: E402
    FEATURE_VERSION,
    candidate_features,
    candidates,
    factuality_features,
    prepare,
    sentence_tokens,
)
from veille.learned.model import CoderModel, bundle_path, expected_meta, save_model  # noqa: E402
from veille.output import event_dict  # noqa: E402
from veille.records import PLOVER_TYPES  # noqa: E402

SEED = 13
CACHE = ROOT / ".cache" / "train"


def featurise(lang: str, split: str):
    """(report, document, doc, DocFeatures, silver events by (sentence, type)) for a split."""
    reports = read_split(ROOT / "data" / "silver" / lang / f"{split}.jsonl")
    tables = load_coder_tables(lang)
    actor_tables = load_tables(lang)
    out = []
    for report, doc in parsed(reports, lang, CACHE):
        document = report.document()
        mentions = with_implicit(doc, find_actors(doc, lang, document.published, actor_tables), lang)
        rules = code_document(document, doc, mentions, tables)
        df = prepare(doc, mentions, rules)
        starts = [u.span.start_char for u in df.units]
        by_slot: dict[tuple[int, str], list[dict]] = defaultdict(list)
        import bisect

        for ev in report.events:
            span = ev.get("trigger_span") or ev.get("evidence_span")
            if not span:
                continue
            i = bisect.bisect_right(starts, span[0]) - 1
            if i >= 0:
                by_slot[(i, ev["type"])].append(ev)
        out.append((report, document, doc, mentions, rules, df, by_slot))
    return out


def token_at(unit, char: int):
    for t in unit.span:
        if t.idx <= char < t.idx + max(len(t.text), 1):
            return t
    return None


def match(m, codes: set[str]) -> bool:
    return m.code[:3] in codes


def build_sets(items, lang: str, tables):
    texts, labels = [], []
    role_x, role_a, role_r = [], [], []
    fact_x, fact_y = [], []
    for _report, _document, _doc, _mentions, _rules, df, by_slot in items:
        for unit in df.units:
            texts.append(sentence_tokens(df, unit, tables))
            labels.append({t for (i, t) in by_slot if i == unit.index})
        for (i, event_type), evs in by_slot.items():
            unit = df.units[i]
            trig_span = evs[0].get("trigger_span")
            trigger = token_at(unit, trig_span[0]) if trig_span else None
            trigger = trigger or unit.span.root
            actors = {c[:3] for e in evs for c in e.get("actor") or ()}
            recips = {c[:3] for e in evs for c in e.get("recipient") or ()}
            for order, (m, previous) in enumerate(candidates(df, unit)):
                role_x.append(candidate_features(df, unit, event_type, trigger, m, previous, order, lang))
                role_a.append(int(match(m, actors)))
                role_r.append(int(match(m, recips)))
            for e in evs:
                span = e.get("trigger_span")
                t = (token_at(unit, span[0]) if span else None) or trigger
                fact_x.append(factuality_features(unit, event_type, t, lang))
                fact_y.append(e.get("factuality") or "asserted")
    return texts, labels, role_x, role_a, role_r, fact_x, fact_y


def trigger_weights(vec, clf, types) -> dict[str, dict[str, float]]:
    vocab = vec.vocabulary_
    lemmas = {f[2:]: j for f, j in vocab.items() if f.startswith("l=")}
    out = {}
    for k, t in enumerate(types):
        coef = clf.estimators_[k].coef_.ravel()
        pairs = sorted(((float(coef[j]), lem) for lem, j in lemmas.items() if coef[j] > 0), reverse=True)[:2000]
        out[t] = {lem: round(w, 4) for w, lem in pairs}
    return out


def gold_items(path: Path):
    """A gold file's reports through the same path as ``veille evaluate`` (cleaning included)."""
    from veille.evaluate.runner import raw_documents
    from veille.nlp import parse
    from veille.pipeline import PipelineOptions, clean_batch

    gold = load_gold(path)
    docs, _rejected = clean_batch(raw_documents(gold), PipelineOptions())
    items = []
    for document, doc in parse([d for d in docs if d.lang_supported]):
        tables = load_coder_tables(document.lang)
        mentions = with_implicit(doc, find_actors(doc, document.lang, document.published,
                                                  load_tables(document.lang)), document.lang)
        rules = code_document(document, doc, mentions, tables)
        items.append((None, document, doc, mentions, rules, prepare(doc, mentions, rules), {}))
    return gold, items


def predictions(items, model, tables):
    preds = []
    for _report, document, doc, mentions, rules, _df, _slots in items:
        for e in code_document_learned(document, doc, mentions, rules, tables, model):
            preds.append(event_dict(e, document))
    return preds


def rule_predictions(items):
    return [event_dict(e, document) for _r, document, _d, _m, rules, _df, _s in items for e in rules]


def type_thresholds(model, items, gold, tables) -> dict[str, float]:
    """Per type, the detection threshold with the best (report, type) F1 on silver dev, counting
    the types the rule coder finds there too."""
    by_id = {g.id: {e.type for e in g.events} for g in gold}
    rows = []  # (report id, rule types, {type: max probability})
    for _r, document, _doc, _m, rules, df, _s in items:
        texts = [sentence_tokens(df, u, tables) for u in df.units]
        best: dict[str, float] = {}
        if texts:
            probs = model.sentence_clf.predict_proba(model.sentence_vec.transform(texts))
            for k, t in enumerate(model.types):
                best[t] = float(probs[:, k].max())
        rows.append((document.id, {e.type for e in rules}, best))
    out = {}
    for t in model.types:
        scores = []
        for th in (0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
            tp = fp = fn = 0
            for doc_id, ruled, best in rows:
                pred = t in ruled or best.get(t, 0.0) >= th
                real = t in by_id.get(doc_id, ())
                tp += pred and real
                fp += pred and not real
                fn += real and not pred
            f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
            scores.append((f1, th))
        out[t] = max(scores)[1]
    return out


def figures(gold, preds, lang):
    s = score(gold, preds).for_lang(lang)
    return s


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lang", choices=["fr", "en", "both"], default="both")
    ap.add_argument("--no-save", action="store_true")
    ap.add_argument("--C", type=float, default=4.0)
    args = ap.parse_args()
    langs = ["fr", "en"] if args.lang == "both" else [args.lang]
    for lang in langs:
        train_one(lang, args)
    return 0


def _fmt(s) -> str:
    return (f"tuple P/R/F1 {s.tuple.precision:.3f}/{s.tuple.recall:.3f}/{s.tuple.f1:.3f} "
            f"type F1 {s.type.f1:.3f} fact {s.factuality_accuracy:.3f}")


def train_one(lang: str, args) -> None:
    t0 = time.time()
    tables = load_coder_tables(lang)
    train = featurise(lang, "train")
    dev = featurise(lang, "dev")
    print(f"[{lang}] featurised train {len(train)} dev {len(dev)} in {time.time() - t0:.0f}s", flush=True)
    texts, labels, role_x, role_a, role_r, fact_x, fact_y = build_sets(train, lang, tables)
    types = tuple(t for t in PLOVER_TYPES if any(t in lab for lab in labels))
    y = np.array([[int(t in lab) for t in types] for lab in labels])
    vec = TfidfVectorizer(token_pattern=r"\S+", lowercase=False, min_df=2, sublinear_tf=True,
                          max_features=40000, dtype=np.float32)
    x = vec.fit_transform(texts)
    clf = OneVsRestClassifier(LogisticRegression(C=args.C, solver="liblinear", class_weight="balanced",
                                                 random_state=SEED, max_iter=2000))
    clf.fit(x, y)
    role_vec = DictVectorizer(dtype=np.float32)
    rx = role_vec.fit_transform(role_x)
    actor_clf = LogisticRegression(C=1.0, solver="lbfgs", random_state=SEED, max_iter=3000).fit(rx, role_a)
    recipient_clf = LogisticRegression(C=1.0, solver="lbfgs", random_state=SEED, max_iter=3000).fit(rx, role_r)
    fact_vec = DictVectorizer(dtype=np.float32)
    fx = fact_vec.fit_transform(fact_x)
    fact_clf = LogisticRegression(C=1.0, solver="lbfgs", random_state=SEED, max_iter=3000).fit(fx, fact_y)
    print(f"[{lang}] trained on {len(texts)} sentences, {len(role_x)} candidates, {len(fact_x)} events "
          f"in {time.time() - t0:.0f}s", flush=True)
    meta = expected_meta(lang) | {"trained": dt.date.today().isoformat(), "seed": SEED}
    model = CoderModel(lang=lang, meta=meta, types=types, sentence_vec=vec, sentence_clf=clf,
                       thresholds={t: 0.5 for t in types}, role_vec=role_vec, actor_clf=actor_clf,
                       recipient_clf=recipient_clf, fact_vec=fact_vec, fact_clf=fact_clf,
                       trigger_weights=trigger_weights(vec, clf, types))
    gold_dev = load_gold(ROOT / "data" / "silver" / lang / "dev.jsonl")
    project_dev, project_items = gold_items(ROOT / "eval" / "gold" / f"{lang}_dev.jsonl")
    sets = [("silver dev", gold_dev, dev), (f"eval/gold/{lang}_dev", project_dev, project_items)]
    base = {}
    for name, gold, items in sets:
        base[name] = figures(gold, rule_predictions(items), lang)
        print(f"[{lang}] {name:18} rules   {_fmt(base[name])}")
    # choices on the dev sets: detection thresholds per type, then which rule events stay and the
    # role thresholds, for the best mean tuple F1 gain over the rules
    thresholds = type_thresholds(model, dev, gold_dev, tables)
    print(f"[{lang}] type thresholds {thresholds}")
    best = None
    for shift in (-0.1, 0.0, 0.1):
        for keep in (0.0, 0.1, 0.25):
            for rt in (0.2, 0.4):
                for rr in (0.2, 0.35, 0.5):
                    m = _with(model, thresholds={t: min(0.95, v + shift) for t, v in thresholds.items()},
                              rule_keep=keep, role_threshold=rt, recipient_threshold=rr)
                    got = {name: figures(gold, predictions(items, m, tables), lang) for name, gold, items in sets}
                    gain = sum(got[n].tuple.f1 - base[n].tuple.f1 for n in got) / len(got)
                    if best is None or gain > best[0]:
                        best = (gain, m, got)
                    print(f"[{lang}]   shift {shift} keep {keep} actor {rt} recipient {rr}: gain {gain:+.3f} "
                          + " | ".join(f"{n} {g.tuple.f1:.3f}/{g.type.f1:.3f}" for n, g in got.items()), flush=True)
    _gain, model, got = best
    for name, s in got.items():
        print(f"[{lang}] {name:18} learned {_fmt(s)}")
    print(f"[{lang}] chosen: keep {model.rule_keep}, actor {model.role_threshold}, "
          f"recipient {model.recipient_threshold}, thresholds {model.thresholds}")
    s = got["silver dev"]
    if not args.no_save:
        path = bundle_path(lang)
        save_model(model, path)
        print(f"[{lang}] wrote {path} ({path.stat().st_size / 1e6:.1f} MB) in {time.time() - t0:.0f}s")
        (ROOT / ".cache").mkdir(exist_ok=True)
        (ROOT / ".cache" / f"train-{lang}.json").write_text(json.dumps({
            "dev": s.tuple.f1, "feature_version": FEATURE_VERSION}))


def _with(model: CoderModel, **changes) -> CoderModel:
    from dataclasses import replace

    return replace(model, **changes)


if __name__ == "__main__":
    raise SystemExit(main())
