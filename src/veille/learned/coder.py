"""The learned coder: which types each sentence states, who acts on whom, and how surely.

Per document, on the parse, mentions and rule events the pipeline already has:

1. every sentence gets a probability per PLOVER type (``sentence_clf``). The rule coder's events
   stay where the model finds their type plausible (``rule_keep``): their roles come from the
   parse. A type above its threshold (chosen on silver dev) that the rules did not find is a
   new event of that sentence, whose roles the models choose:
2. its trigger is the rule coder's trigger for that type, else a lexicon word, else the word the
   detection model weighs most;
3. every candidate mention (this sentence's and the previous one's) is scored as actor and as
   recipient (``actor_clf``, ``recipient_clf``); the best actor above threshold acts, the best
   recipient of another country above threshold receives;
4. factuality comes from ``fact_clf`` (whose features include the rule cues' verdict);
5. date, mode, CAMEO root, QuadClass and Goldstein are filled as the rule coder does.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from veille.actors import Mention
from veille.actors.tables import code_name
from veille.events.dates import resolve_event_date
from veille.events.tables import CoderTables
from veille.learned.features import (
    Unit,
    candidate_features,
    candidates,
    factuality_features,
    pick_trigger,
    prepare,
    sentence_tokens,
)
from veille.learned.model import CoderModel
from veille.records import ActorRef, Document, Event

SYMMETRIC_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE"})


def code_document_learned(document: Document, doc, mentions: Sequence[Mention], rule_events: Sequence[Event],
                          tables: CoderTables, model: CoderModel) -> list[Event]:
    df = prepare(doc, mentions, rule_events)
    if not df.units:
        return []
    texts = [sentence_tokens(df, u, tables) for u in df.units]
    probs = model.sentence_clf.predict_proba(model.sentence_vec.transform(texts))
    slots: list[tuple[Unit, str, float, object]] = []
    kept_rules: list[Event] = []
    column = {t: k for k, t in enumerate(model.types)}
    for unit, row in zip(df.units, probs):
        ruled: set[str] = set()
        for e in unit.rule_events:
            # a rule event stays when the detection model finds its type plausible in the sentence
            if e.type not in column or float(row[column[e.type]]) >= model.rule_keep:
                kept_rules.append(e)
                ruled.add(e.type)
        for k, event_type in enumerate(model.types):
            p = float(row[k])
            if event_type not in ruled and p >= model.thresholds.get(event_type, 0.5):
                trigger = pick_trigger(unit, event_type, tables, model.trigger_weights.get(event_type))
                slots.append((unit, event_type, p, trigger))
    if not slots:
        return kept_rules
    cand_rows: list[tuple[int, Mention]] = []
    feats = []
    for n, (unit, event_type, _p, trigger) in enumerate(slots):
        for order, (m, previous) in enumerate(candidates(df, unit)):
            cand_rows.append((n, m))
            feats.append(candidate_features(df, unit, event_type, trigger, m, previous, order, document.lang))
    best_actor: dict[int, tuple[float, Mention]] = {}
    scored: dict[int, list[tuple[float, float, Mention]]] = {}
    if feats:
        x = model.role_vec.transform(feats)
        pa = model.actor_clf.predict_proba(x)[:, 1]
        pr = model.recipient_clf.predict_proba(x)[:, 1]
        for (n, m), a, r in zip(cand_rows, pa, pr):
            scored.setdefault(n, []).append((float(a), float(r), m))
            if a >= model.role_threshold and (n not in best_actor or a > best_actor[n][0]):
                best_actor[n] = (float(a), m)
    kept = [n for n in range(len(slots)) if n in best_actor]
    if not kept:
        return kept_rules
    fx = model.fact_vec.transform([factuality_features(slots[n][0], slots[n][1], slots[n][3], document.lang)
                                   for n in kept])
    facts = model.fact_clf.predict(fx)
    events: list[Event] = list(kept_rules)
    seen: set[tuple] = set()
    for n, fact in zip(kept, facts):
        unit, event_type, p, trigger = slots[n]
        a_score, actor = best_actor[n]
        # another mention, or the report's focus country (police of a country arresting its own
        # protesters is a dyad of one country, FRA→FRA)
        recipients = [(r, m) for _a, r, m in scored[n] if m is not actor or m.kind == "focus"]
        recipient = max(recipients, key=lambda x: x[0]) if recipients else None
        recips = [recipient[1]] if recipient and recipient[0] >= model.recipient_threshold else []
        key = (unit.index, event_type, actor.code, tuple(r.code for r in recips))
        if key in seen:
            continue
        seen.add(key)
        events.append(_event(document, unit, event_type, p * a_score, trigger, [actor], recips, str(fact),
                             tables))
    return events


def _ref(m: Mention) -> ActorRef:
    return ActorRef(code=m.code, name=code_name(m.code) or m.name, text=m.text, start=m.start_char,
                    end=m.end_char)


def _event(document: Document, unit: Unit, event_type: str, confidence: float, trigger,
           actors: list[Mention], recipients: list[Mention], fact: str, tables: CoderTables) -> Event:
    sent = unit.span
    plover = tables.plover.get(event_type)
    rule = next((e for e in unit.rule_events if e.type == event_type), None)
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
        evidence=sent.text,
        trigger=trigger.text,
        location=rule.location if rule else None,
    )
