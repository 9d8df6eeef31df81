"""The learned coder: which types each sentence states, who acts on whom, and how surely.

Per batch of documents of one language, on the parses, mentions and rule events the pipeline
already has:

1. the rule coder's events stay where the keep model accepts them (``keep_clf``: a topic
   discussed, a counterfactual, someone else's act are dropped); their roles come from the parse;
2. every sentence gets a probability per PLOVER type (``sentence_clf``, blended with the best
   candidate word's by ``token_clf`` where the bundle has one); a type above its
   threshold (chosen on the dev sets) that no kept rule event has is proposed as a new event.
   Its trigger is a lexicon word of that type (the shipped lexicon's, or one annotators marked
   in the training data; or the trigger-word model's best word where the bundle says so), else
   the word the sentence model weighs most. A proposal is dropped
   when it is the content of a demand or a discussion the rules found, when the bundle asks for a
   candidate trigger word and the sentence has none, or when the trigger check
   (``verify_clf``) rejects it;
3. for each new event, every candidate (mentions of the sentence and the one before, implicit
   sides, the report's focus country) is scored as actor (``actor_clf``), then as recipient
   given the chosen actor (``recipient_clf``); the best of each above its threshold is kept;
4. factuality is the rule cues' verdict where they find a cue, else ``fact_clf``'s;
5. date, mode, CAMEO root, QuadClass and Goldstein are filled as the rule coder does.

The sentence and keep models run once over the whole batch (each scikit-learn call has a fixed
cost that one document alone would pay in full).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace

from veille.actors import Mention
from veille.events.coder import CONTENT_TYPES, _is_content_of, _ref
from veille.events.dates import resolve_event_date
from veille.events.factuality import factuality as rule_factuality
from veille.events.tables import CoderTables
from veille.learned.features import (
    TRIGGER_POS,
    Unit,
    add_slot_features,
    candidate_features,
    candidates,
    factuality_features,
    lemma_at,
    lexicon_vetoes,
    parse_roles,
    pick_trigger,
    prepare,
    recipient_features,
    rule_trigger,
    sentence_matrix,
    trigger_word_candidates,
    trigger_word_features,
    verify_features,
)
from veille.learned.model import CoderModel, transform_dicts
from veille.nlp.tokens import columns
from veille.records import Document, Event

SYMMETRIC_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE"})


def code_document_learned(document: Document, doc, mentions: Sequence[Mention], rule_events: Sequence[Event],
                          tables: CoderTables, model: CoderModel) -> list[Event]:
    """Events of one document (see the module doc)."""
    return code_documents_learned([(document, doc, mentions, rule_events)], tables, model)[0]


def code_documents_learned(items: Sequence[tuple[Document, object, Sequence[Mention], Sequence[Event]]],
                           tables: CoderTables, model: CoderModel) -> list[list[Event]]:
    """Events of several documents of one language: the sentence and keep models run once over
    all of them (each model call has a fixed cost that one document alone would pay in full).

    scikit-learn's check that every input value is finite is skipped (``assume_finite``): the
    inputs are counts, TF-IDF weights, unit-length word vectors and probabilities, all finite,
    and the check ran on every one of the many small model calls."""
    import sklearn

    with sklearn.config_context(assume_finite=True):
        return _code_documents(items, tables, model)


def _code_documents(items: Sequence[tuple[Document, object, Sequence[Mention], Sequence[Event]]],
                    tables: CoderTables, model: CoderModel) -> list[list[Event]]:
    """The body of :func:`code_documents_learned`."""
    dfs = [prepare(doc, mentions, rules) for _d, doc, mentions, rules in items]
    with_units = [df for df in dfs if df.units]
    probs_all, best_words = sentence_probabilities(with_units, tables, model)
    kept_all = _vetted_rule_events(with_units, model, items[0][0].lang if items else "")
    out: list[list[Event]] = []
    row = 0
    for (document, doc, mentions, _rules), df in zip(items, dfs):
        if not df.units:
            out.append([])
            continue
        probs = probs_all[row:row + len(df.units)]
        row += len(df.units)
        out.append(_code_one(document, doc, mentions, df, probs, kept_all.get(id(df), []), tables, model,
                             best_words.get(id(df), {})))
    return out


def sentence_probabilities(dfs, tables: CoderTables, model: CoderModel):
    """The probability of each type for every sentence of ``dfs`` (all with units), one row per
    sentence in order, and per document (``id(df)``) the best candidate word of each
    (sentence, type) by the trigger-word model.

    Two views: the sentence model (a bag of lemmas) and, where the bundle has one, the
    trigger-word model (each candidate word in its parse); a sentence's probability is
    ``(1 - w) × sentence + w × its best word``. Both run once over the whole batch."""
    import numpy as np
    import scipy.sparse as sp

    if not dfs:
        return [], {}
    x = sp.vstack([sentence_matrix(model.sentence_vec, df, tables, model.use_vectors) for df in dfs])
    probs = model.sentence_clf.predict_proba(x.tocsr())
    best: dict[int, dict[tuple[int, str], int]] = {}
    if model.token_clf is None or model.token_weight <= 0:
        return probs, best
    feats, owners = [], []
    row = 0
    for df in dfs:
        doc = df.units[0].span.doc
        for unit in df.units:
            for i in trigger_word_candidates(unit, model.token_lemmas, tables):
                feats.append(trigger_word_features(unit, doc[i], tables))
                owners.append((row + unit.index, id(df), unit.index, i))
        row += len(df.units)
    words = np.zeros_like(probs)
    if feats:
        classes = list(model.token_clf.classes_)
        cols = [(k, classes.index(t)) for k, t in enumerate(model.types) if t in classes]
        pt = model.token_clf.predict_proba(transform_dicts(model.token_vec, feats))
        for (r, key, sentence, i), p in zip(owners, pt):
            for k, c in cols:
                if p[c] > words[r, k]:
                    words[r, k] = p[c]
                    best.setdefault(key, {})[(sentence, model.types[k])] = i
    w = model.token_weight
    return (1.0 - w) * probs + w * words, best


def _code_one(document: Document, doc, mentions: Sequence[Mention], df, probs, kept_rules: list[Event],
              tables: CoderTables, model: CoderModel, best_words: dict[tuple[int, str], int]) -> list[Event]:
    slots: list[tuple[Unit, str, float, object, Event | None]] = []
    ruled_slots = {(e.sentence, e.type) for e in kept_rules}
    for unit, row in zip(df.units, probs):
        ruled = {t for (i, t) in ruled_slots if i == unit.index}
        # what a demand, offer, refusal, threat or discussion of the rules governs is its content
        # ("a demandé une aide militaire"): no event of its own, as in the rule coder
        governing: dict[int, set[str]] = {}
        for e in unit.rule_events:
            if e.type in CONTENT_TYPES:
                governing.setdefault(rule_trigger(unit, e).i, set()).add(e.type)
        for k, event_type in enumerate(model.types):
            p = float(row[k])
            if event_type not in ruled and p >= model.thresholds.get(event_type, 0.5):
                trigger = pick_trigger(unit, event_type, tables, model.trigger_weights.get(event_type),
                                       model.silver_triggers,
                                       best_words.get((unit.index, event_type)) if model.token_trigger else None)
                if lexicon_vetoes(trigger, event_type, tables):
                    continue
                # a candidate trigger (the lexicon's, or one annotators marked in the training data)
                # must be in the sentence, unless the sentence model is very sure
                if governing and (trigger.i in governing or _is_content_of(trigger, event_type, governing)
                                  or (trigger.dep_ in ("obj", "dobj") and trigger.head.i in governing)):
                    continue
                if p >= model.free_threshold or _has_candidate(unit, event_type, tables, model.silver_triggers):
                    slots.append((unit, event_type, p, trigger, None))
    if slots and model.verify_clf is not None and model.verify_threshold > 0:
        # the trigger-level check: is the word the sentence model points at an event a reader codes?
        x = [verify_features(unit, event_type, trigger, p, probs[unit.index], model.types, tables, document.lang)
             for unit, event_type, p, trigger, _r in slots]
        keep = model.verify_clf.predict_proba(transform_dicts(model.verify_vec, x))[:, 1]
        slots = [s for s, v in zip(slots, keep) if v >= model.verify_threshold]
    if not slots:
        return kept_rules
    # actors: every candidate of every slot in one matrix
    cands = {n: candidates(df, unit) for n, (unit, *_rest) in enumerate(slots)}
    rows: list[tuple[int, Mention, dict]] = []
    for n, (unit, event_type, _p, trigger, rule) in enumerate(slots):
        parsed = rule or parse_roles(document, doc, mentions, df, unit, trigger, event_type, tables)
        slot = [(m, previous, candidate_features(df, unit, event_type, trigger, m, previous, order,
                                                 document.lang, parsed))
                for order, (m, previous) in enumerate(cands[n])]
        if model.slot_features:
            add_slot_features(unit, event_type, trigger, slot)
        rows.extend((n, m, f) for m, _previous, f in slot)
    best_actor: dict[int, tuple[float, Mention]] = {}
    more_actors: dict[int, list[Mention]] = {}  # other sides acting together ("la France et l'Allemagne")
    if rows:
        pa = model.actor_clf.predict_proba(transform_dicts(model.role_vec, [f for _n, _m, f in rows]))[:, 1]
        best_actor, more_actors = _choose(rows, pa, model.role_threshold, model.extra_threshold)
    kept = [n for n in range(len(slots)) if n in best_actor]
    if not kept:
        return kept_rules
    # recipients, knowing the actor: another mention, or the report's focus country (police of a
    # country arresting its own protesters is a dyad of one country, FRA→FRA)
    best_recipient: dict[int, tuple[float, Mention]] = {}
    more_recipients: dict[int, list[Mention]] = {}
    rrows = [(n, m, recipient_features(f, best_actor[n][1], m, slots[n][1])) for n, m, f in rows
             if n in best_actor and (m is not best_actor[n][1] or m.kind == "focus")
             and not any(m is x for x in more_actors.get(n, ()))]
    if rrows:
        pr = model.recipient_clf.predict_proba(transform_dicts(model.recipient_vec, [f for _n, _m, f in rrows]))[:, 1]
        best_recipient, more_recipients = _choose(rrows, pr, model.recipient_threshold, model.extra_threshold)
        # the actor's own code as its target (USA→USA) is a last resort: another candidate above
        # the threshold goes first (no reader codes a side acting on itself)
        for n, (_score, m) in list(best_recipient.items()):
            if m.code and m.code == best_actor[n][1].code:
                other = [(float(p), c) for (k, c, _f), p in zip(rrows, pr)
                         if k == n and p >= model.recipient_threshold and c.code != m.code]
                if other:
                    best_recipient[n] = max(other, key=lambda x: x[0])
    fx = transform_dicts(model.fact_vec, [factuality_features(slots[n][0], slots[n][1], slots[n][3], document.lang)
                                   for n in kept])
    facts = [combined_factuality(rule_factuality(slots[n][3], document.lang), str(f))
             for n, f in zip(kept, model.fact_clf.predict(fx))]
    events: list[Event] = list(kept_rules)
    seen: set[tuple] = set()
    for n, fact in zip(kept, facts):
        unit, event_type, p, trigger, rule = slots[n]
        a_score, actor = best_actor[n]
        actors = [actor, *more_actors.get(n, [])]
        recips = [best_recipient[n][1], *more_recipients.get(n, [])] if n in best_recipient else []
        key = (unit.index, event_type, tuple(a.code for a in actors), tuple(r.code for r in recips))
        if key in seen:
            continue
        seen.add(key)
        events.append(_event(document, unit, event_type, p * a_score, trigger, actors, recips, str(fact),
                             tables, rule))
    return events


def _choose(rows, probs, threshold: float, extra: float):
    """Per slot, the best candidate at or above ``threshold``, and the others of other countries at
    or above ``extra`` (sides acting or targeted together)."""
    best: dict[int, tuple[float, Mention]] = {}
    more: dict[int, list[Mention]] = {}
    for (n, m, _f), p in zip(rows, probs):
        if p >= threshold and (n not in best or p > best[n][0]):
            best[n] = (float(p), m)
    for (n, m, _f), p in zip(rows, probs):
        if p >= extra and n in best and m is not best[n][1] and m.start >= 0 and \
                m.code[:3] not in {x.code[:3] for x in [best[n][1], *more.get(n, [])]}:
            more.setdefault(n, []).append(m)
    return best, more


def _has_candidate(unit: Unit, event_type: str, tables: CoderTables, silver: dict[str, frozenset[str]]) -> bool:
    """A word of the sentence that the lexicon or the annotators give ``event_type`` (read from
    the document's token columns)."""
    cols = columns(unit.span.doc)
    for i in range(unit.span.start, unit.span.end):
        if cols.pos[i] not in TRIGGER_POS:
            continue
        lem = lemma_at(cols, i)
        if event_type in silver.get(lem, ()) or any(r.type == event_type for r in tables.triggers.get(lem, ())):
            return True
    return False


def _vetted_rule_events(dfs, model: CoderModel, lang: str) -> dict[int, list[Event]]:
    """Per document (``id(df)``), the rule coder's events that the keep model accepts (a topic
    discussed, a counterfactual, an act someone else did are dropped), with the factuality
    model's verdict where the bundle says so."""
    rows = [(id(df), unit, e, rule_trigger(unit, e)) for df in dfs for unit in df.units for e in unit.rule_events]
    if not rows:
        return {}
    x = [factuality_features(unit, e.type, trigger, lang) for _k, unit, e, trigger in rows]
    keep = model.keep_clf.predict_proba(transform_dicts(model.keep_vec, x))[:, 1]
    facts = model.fact_clf.predict(transform_dicts(model.fact_vec, x)) if model.relabel_factuality else None
    out: dict[int, list[Event]] = {}
    for n, ((key, _unit, e, _t), p) in enumerate(zip(rows, keep)):
        if p >= model.rule_keep:
            out.setdefault(key, []).append(
                replace(e, factuality=combined_factuality(e.factuality, str(facts[n]))) if facts is not None else e)
    return out


def combined_factuality(cues: str, learned: str) -> str:
    """The rule cues' verdict where they found a cue (future tense, "si", "pourrait", "not": they
    are precise), the model's where they found none (it also reads what no cue lists)."""
    return cues if cues != "asserted" else learned


def _event(document: Document, unit: Unit, event_type: str, confidence: float, trigger,
           actors: list[Mention], recipients: list[Mention], fact: str, tables: CoderTables,
           rule: Event | None = None) -> Event:
    sent = unit.span
    plover = tables.plover.get(event_type)
    rule = rule or next((e for e in unit.rule_events if e.type == event_type), None)
    date, precision = resolve_event_date(sent, trigger, document.lang, document.published, document.date_precision)
    key = "|".join([document.id, str(unit.index), str(trigger.idx), event_type, ",".join(a.code for a in actors),
                    ",".join(r.code for r in recipients)])
    return Event(
        id=hashlib.sha256(key.encode()).hexdigest()[:16],
        doc_id=document.id,
        type=event_type,
        mode=rule.mode if rule else "",
        context=rule.context if rule else "",
        actors=tuple(_ref(m) for m in actors),
        recipients=tuple(_ref(m) for m in recipients),
        date=date,
        date_precision=precision,
        factuality=fact,
        confidence=round(min(confidence, 1.0), 3),
        cameo_root=rule.cameo_root if rule else (plover.cameo_root if plover else ""),
        quad_class=plover.quad_class if plover else 0,
        goldstein=rule.goldstein if rule else (plover.goldstein if plover else 0.0),
        sentence=unit.index,
        start=sent.start_char,
        end=sent.end_char,
        evidence=columns(sent.doc).span_text(sent.start, sent.end),
        trigger=trigger.text,
        location=rule.location if rule else None,
    )
