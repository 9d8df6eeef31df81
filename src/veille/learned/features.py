"""Features for the learned coder, computed from one parsed document.

Everything here reads what the pipeline already has for a document: the spaCy parse, the
actor mentions, and the rule coder's events (whose decisions become features, not answers).
The same functions serve training (``scripts/train.py``) and coding, so both see the same
features. :data:`FEATURE_VERSION` names this feature set: a model trained on another version
refuses to load.

Three kinds of examples:

* **sentence** (event detection): a bag of tokens per sentence (lemmas, lemma bigrams, trigger
  lexicon hits, the rule coder's types, the previous sentence's rule types);
* **candidate** (roles): one feature dict per (sentence, type, mention): dependency path to the
  trigger, preposition, voice, clause, distance, mention kind, place complement, whether the
  rules chose it, each also crossed with the type;
* **factuality**: one feature dict per (sentence, type, trigger): morphology of the trigger and
  its head, auxiliaries, negation, markers, nearby words, the rule cues' verdict;
* **trigger word** (event detection, second view): one feature dict per candidate word (a word
  the lexicon knows or annotators often marked): its lemma, part of speech, dependency and
  morphology, its head and the head's head, its dependents (object, subject, negation,
  auxiliaries, prepositions …) and which of them are actor mentions, the words around it, and
  the rule coder's events in the sentence. It tells "discuter de renforcer leur alliance" (a
  topic) from "ont renforcé leur alliance" (an act), which a bag of lemmas cannot.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from veille.actors import Mention
from veille.events.coder import has_direct_object, sentences
from veille.events.factuality import factuality as rule_factuality
from veille.events.tables import CoderTables
from veille.nlp.tokens import TokenColumns, columns
from veille.records import Event

#: Bump when any feature changes: models trained on another version refuse to load. (The
#: trigger-word features were added under version 7: only bundles with a trigger-word model read
#: them, and none of the shipped ones has one.)
FEATURE_VERSION = 7
#: Mention kinds that can take part in an event (unknown entities have no code: no tuple).
CANDIDATE_KINDS = frozenset({"country", "capital", "demonym", "institution", "person", "title", "agent",
                             "igo", "implicit", "prefix", "reference"})
#: Parts of speech a trigger word may have (not an auxiliary, a determiner, a preposition …).
TRIGGER_POS = frozenset({"VERB", "NOUN", "ADJ", "PROPN"})
_PLACE_PREPS = frozenset({"en", "dans", "in", "at", "inside", "à"})
_SUBJ = frozenset({"nsubj", "nsubj:pass", "nsubjpass", "csubj", "expl:subj"})
_OBJ = frozenset({"obj", "dobj", "iobj", "obl:arg", "dative"})
_AGENT = frozenset({"obl:agent", "agent"})


@dataclass
class Unit:
    """One sentence of a document with what the features need."""

    index: int
    span: object  # spaCy Span
    mentions: list[Mention] = field(default_factory=list)  # coded mentions in the sentence
    previous: list[Mention] = field(default_factory=list)  # coded mentions in the sentence before
    rule_events: list[Event] = field(default_factory=list)
    _tokens: list | None = None
    _mention_kinds: dict[int, str] | None = None

    @property
    def tokens(self) -> list:
        """The sentence's tokens, made once (building spaCy tokens is the coder's main cost)."""
        if self._tokens is None:
            self._tokens = list(self.span)
        return self._tokens

    @property
    def mention_kinds(self) -> dict[int, str]:
        """Token index → kind of the coded mention covering it, made once per sentence."""
        if self._mention_kinds is None:
            self._mention_kinds = {i: m.kind for m in self.mentions for i in range(m.start, m.end)}
        return self._mention_kinds


@dataclass
class DocFeatures:
    """A document cut into units, with the document-wide facts the features use."""

    units: list[Unit]
    focus: str  # most-named country code (3 letters) or ""
    counts: Counter
    ctx: object = None  # the rule coder's per-document context, made on first use


def prepare(doc, mentions: Sequence[Mention], rule_events: Sequence[Event]) -> DocFeatures:
    sents = sentences(doc)
    units = [Unit(i, s) for i, s in enumerate(sents)]
    starts = [s.start for s in sents]
    coded = [m for m in mentions if m.code and m.kind in CANDIDATE_KINDS and m.start >= 0]
    import bisect

    for m in coded:
        i = bisect.bisect_right(starts, m.start) - 1
        if 0 <= i < len(units):
            units[i].mentions.append(m)
    for i in range(1, len(units)):
        units[i].previous = units[i - 1].mentions
    for e in rule_events:
        if 0 <= e.sentence < len(units):
            units[e.sentence].rule_events.append(e)
    counts = Counter(m.code[:3] for m in coded)
    focus = counts.most_common(1)[0][0] if counts else ""
    return DocFeatures(units, focus, counts)


def _lemma(token) -> str:
    return (token.lemma_ or token.text).lower()


def lemma_at(cols: TokenColumns, i: int) -> str:
    """:func:`_lemma` of token ``i``, from the document's token columns."""
    return (cols.lemmas[i] or cols.words[i]).lower()


def sentence_tokens(df: DocFeatures, unit: Unit, tables: CoderTables) -> str:
    """The bag of tokens of one sentence, as one string for the vectoriser (read from the
    document's token columns: no token is built)."""
    cols = columns(unit.span.doc)
    words = [i for i in range(unit.span.start, unit.span.end) if not (cols.punct[i] or cols.space[i])]
    out = []
    lemmas = [lemma_at(cols, i) for i in words]
    out.extend("l=" + x for x in lemmas)
    out.extend(f"b={a}_{b}" for a, b in zip(lemmas, lemmas[1:]))
    for i, lem in zip(words, lemmas):
        for trig in tables.triggers.get(lem, ()) or tables.triggers.get(cols.lowers[i], ()):
            out.append(f"x={trig.type}")
            out.append(f"xp={trig.type}_{cols.pos[i]}")
        if cols.deps[i] in ("neg",) or lem in ("ne", "pas", "not", "never", "jamais"):
            out.append("neg")
    out.extend(f"r={e.type}" for e in unit.rule_events)
    out.extend(f"k={m.kind}" for m in unit.mentions)
    out.append(f"nm={min(len({m.code[:3] for m in unit.mentions}), 4)}")
    if unit.index > 0:
        prev = df.units[unit.index - 1]
        out.extend(f"pr={e.type}" for e in prev.rule_events)
    out.append(f"pos={min(unit.index, 5)}")
    return " ".join(x.replace(" ", "_") for x in out)


def sentence_matrix(vec, df: DocFeatures, tables: CoderTables, use_vectors: bool):
    """The detection model's input for every sentence: the bag of tokens (``vec``), then, for
    models with word vectors (French), the sentence's mean word vector, unit length."""
    x = vec.transform([sentence_tokens(df, u, tables) for u in df.units])
    if not use_vectors:
        return x
    import numpy as np
    import scipy.sparse as sp

    rows = _sentence_vectors(df)
    width = next((len(r) for r in rows if r is not None), 0)
    if not width:
        return sp.hstack([x, sp.csr_matrix((x.shape[0], 300), dtype=np.float32)]).tocsr()
    dense = np.array([r if r is not None else np.zeros(width) for r in rows], dtype=np.float32)
    norms = np.linalg.norm(dense, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return sp.hstack([x, sp.csr_matrix(dense / norms)]).tocsr()


def _sentence_vectors(df: DocFeatures) -> list:
    """``u.span.vector if u.span.has_vector else None`` for every unit, read from one table of
    the document's vector rows instead of token by token (the sentence vectors were the
    detection input's largest cost). spaCy's rule for a model with plain word vectors keyed
    by the word's form: a token has a vector when its form is a key of the table; the span's
    vector is the sum of its tokens' vectors (zeros for the others), left to right, over the
    span's length. The running sum (``cumsum``) adds in that order, and ``+ 0.0`` gives a sum
    of zeros the sign Python's ``sum`` (which starts from 0) gives it. Other set-ups (hooks,
    floret vectors, vectors keyed by another attribute) go token by token."""
    import numpy as np
    from spacy.attrs import ORTH

    doc = df.units[0].span.doc if df.units else None
    vectors = doc.vocab.vectors if doc is not None else None
    if (doc is None or doc.user_span_hooks or doc.user_token_hooks or not vectors.size
            or vectors.mode != "default" or vectors.attr != ORTH):
        return [_sentence_vector(u) for u in df.units]
    rows = np.asarray(vectors.find(keys=doc.to_array(ORTH).tolist()), dtype=np.int64)
    out = []
    for unit in df.units:
        found = rows[unit.span.start:unit.span.end]
        if not len(found) or (found < 0).all():
            out.append(None)
            continue
        table = vectors.data[np.maximum(found, 0)]
        table[found < 0] = 0.0
        out.append((np.cumsum(table, axis=0)[-1] + 0.0) / len(found))
    return out


def _sentence_vector(unit: Unit):
    """``unit.span.vector if unit.span.has_vector else None``, from the unit's token list: the
    same sum of token vectors in the same order (spaCy's rule for a model with word vectors),
    without the two passes over the span that would build its tokens again."""
    span = unit.span
    doc = span.doc
    if doc.user_span_hooks or doc.user_token_hooks or not span.vocab.vectors.size:
        return span.vector if span.has_vector else None  # spaCy's other rules
    tokens = unit.tokens
    if not any(t.has_vector for t in tokens):
        return None
    return sum(t.vector for t in tokens) / len(tokens)


# -- triggers ------------------------------------------------------------------------------
def pick_trigger(unit: Unit, event_type: str, tables: CoderTables, weights: dict[str, float] | None,
                 silver: dict[str, frozenset[str]] | None = None, preferred: int | None = None):
    """The token that states an event of ``event_type`` in the sentence: the rule coder's trigger
    for that type, else ``preferred`` (the word the trigger-word model finds best, where the
    bundle uses it), else a lexicon word of that type (the shipped lexicon's, or ``silver``: words
    annotators marked as triggers of that type in the training data), else the word the
    detection model weighs most for that type, else the sentence's root."""
    doc = unit.span.doc
    cols = columns(doc)  # the words are read from the columns; only the token chosen is built
    words = range(unit.span.start, unit.span.end)
    for e in unit.rule_events:
        if e.type == event_type:
            for i in words:
                if cols.words[i] == e.trigger:
                    return doc[i]
    if preferred is not None:
        return doc[preferred]
    best, best_w = None, 0.0
    for i in words:
        if cols.pos[i] not in TRIGGER_POS:
            continue
        lem = lemma_at(cols, i)
        if any(trig.type == event_type for trig in tables.triggers.get(lem, ())) or (
                silver and event_type in silver.get(lem, ())):
            return doc[i]
        if weights:
            w = weights.get(lem, 0.0)
            if w > best_w:
                best, best_w = i, w
    return doc[best] if best is not None else unit.span.root


def lexicon_vetoes(token, event_type: str, tables: CoderTables) -> bool:
    """The lexicon knows the word for ``event_type`` only without a direct object ("manifester",
    "demonstrate": to protest) and here it has one ("a manifesté son soutien", "demonstrates the
    risks"): the word states no such event, however sure the sentence model is (the rule coder
    reads the lexicon the same way)."""
    rows = [r for r in tables.triggers.get(_lemma(token), ()) if r.type == event_type]
    return bool(rows) and all(r.intransitive for r in rows) and has_direct_object(token)


# -- roles ---------------------------------------------------------------------------------
def _path(a, b) -> str:
    """Dependency labels from token ``a`` up to the lowest common ancestor with ``b`` and down."""
    up_a = [a] + list(a.ancestors)
    up_b = [b] + list(b.ancestors)
    ids_b = {t.i: n for n, t in enumerate(up_b)}
    for n, t in enumerate(up_a):
        if t.i in ids_b:
            left = [x.dep_ for x in up_a[:n]]
            right = [x.dep_ for x in up_b[:ids_b[t.i]]]
            if len(left) + len(right) > 4:
                return f"long{min(len(left), 3)}_{min(len(right), 3)}"
            return "^".join(left) + "|" + "v".join(reversed(right))
    return "none"


def _prep(token) -> str:
    for child in token.children:
        if child.dep_ in ("case",) and child.pos_ == "ADP":
            return child.lower_
    if token.head.pos_ == "ADP" and token.dep_ == "pobj":
        return token.head.lower_
    return ""


def _passive(token) -> bool:
    return any(c.dep_ in ("aux:pass", "auxpass", "nsubj:pass", "nsubjpass") for c in token.children)


def _bucket(n: int) -> str:
    n = abs(n)
    return "0" if n == 0 else "1" if n == 1 else "2-3" if n <= 3 else "4-7" if n <= 7 else "8+"


def _rule_roles(unit: Unit, event_type: str, m: Mention) -> list[str]:
    out = []
    for e in unit.rule_events:
        same = "same" if e.type == event_type else "other"
        for role, refs in (("a", e.actors), ("r", e.recipients)):
            for ref in refs:
                if ref.start == m.start_char and ref.end == m.end_char:
                    out.append(f"rule_{role}_{same}_span")
                elif ref.code and ref.code[:3] == m.code[:3]:
                    out.append(f"rule_{role}_{same}_code")
    return out


def _virtual(code: str, kind: str) -> Mention:
    return Mention(start=-1, end=-1, start_char=-1, end_char=-1, text="", code=code,
                   name=f"{code} ({kind})", kind=kind, head=-1)


def candidates(df: DocFeatures, unit: Unit) -> list[tuple[Mention, bool]]:
    """Who may take part in the sentence's events: this sentence's mentions, the previous
    sentence's (flagged), the sides the rule coder left implicit (no span), and the report's
    focus country (the domestic actor of a story about one country: "la police", "des
    manifestants")."""
    out = [(m, False) for m in unit.mentions] + [(m, True) for m in unit.previous]
    seen = {m.code for m, _ in out}
    for e in unit.rule_events:
        for ref in (*e.actors, *e.recipients):
            if ref.start < 0 and ref.code and ref.code not in seen:
                seen.add(ref.code)
                out.append((_virtual(ref.code, "implicit_rule"), False))
    if df.focus:
        out.append((_virtual(df.focus, "focus"), False))
    return out


_VERB_RECIPIENTS = ("obj", "iobj", "prep:to", "prep:with", "prep:against", "prep:on", "prep:à", "prep:avec",
                    "prep:contre", "prep:sur")
_NOUN_RECIPIENTS = ("prep:with", "prep:to", "prep:against", "prep:on", "prep:avec", "prep:à", "prep:contre",
                    "prep:envers")
_NOUN_ACTORS = ("poss", "amod", "prep:by", "prep:from", "prep:de", "prep:par", "subj")


def parse_roles(document, doc, mentions: Sequence[Mention], df: DocFeatures, unit: Unit, trigger,
                event_type: str, tables: CoderTables) -> Event | None:
    """What the rule coder's parse-based role finding says for a trigger it has no lexicon row
    for: the trigger as a generic row of ``event_type`` (subject acts; object or a "to/with/
    against" complement receives). Its choices become features of the candidates."""
    from veille.events.coder import _code_trigger, _Context, _index
    from veille.events.tables import Trigger

    if trigger is None:
        return None
    noun = trigger.pos_ in ("NOUN", "PROPN")
    row = Trigger(lemma=_lemma(trigger), pos="NOUN" if noun else "VERB", objects=(), reflexive="any",
                  type=event_type, mode="", context="", cameo="", goldstein=0.0,
                  recipient=_NOUN_RECIPIENTS if noun else _VERB_RECIPIENTS,
                  actor=_NOUN_ACTORS if noun else ("subj",))
    if df.ctx is None:
        df.ctx = _Context(mentions, _index(mentions), [], -10, [u.span for u in df.units])
    ctx = df.ctx
    try:
        return _code_trigger(document, doc, unit.span, unit.index, trigger, row, tables, ctx)
    except (IndexError, AttributeError):  # an odd parse: no parse-based opinion
        return None


def _parse_role_flags(parsed: Event | None, m: Mention) -> list[str]:
    if parsed is None:
        return ["parse_none"]
    out = []
    for role, refs in (("a", parsed.actors), ("r", parsed.recipients)):
        for ref in refs:
            if ref.start >= 0 and ref.start == m.start_char and ref.end == m.end_char:
                out.append(f"parse_{role}_span")
            elif ref.code and ref.code[:3] == m.code[:3]:
                out.append(f"parse_{role}_code")
    return out


def candidate_features(df: DocFeatures, unit: Unit, event_type: str, trigger, m: Mention,
                       previous: bool, order: int, lang: str, parsed: Event | None = None) -> dict[str, float]:
    doc = unit.span.doc
    f: dict[str, float] = {}
    sector = m.code[3:6] if len(m.code) > 3 else ""
    base = {
        "kind": m.kind,
        "sector": sector or "none",
        "igo": str(m.code.startswith(("IGO", "NGO"))),
        "prev": str(previous),
        "order": str(min(order, 3)),
        # how the finder got the code when the words do not say it: "coreference", "country:
        # dateline", "country: place in the sentence", "country unknown" (a --- code) …
        "via": m.via.split("'")[0].strip() if m.via else "none",
    }
    head = None
    if m.start >= 0:
        head = doc[m.head] if 0 <= m.head < len(doc) else doc[m.start]
        base.update({"dep": head.dep_, "hdep": head.head.dep_, "prep": _prep(head)})
    else:
        base["in_sentence"] = str(any(x.code[:3] == m.code[:3] for x in unit.mentions))
    if trigger is not None:
        tl = _lemma(trigger)
        base["tlemma"] = tl
    if head is not None and not previous and trigger is not None:
        rel = head.i - trigger.i
        base.update({
            "side": "before" if rel < 0 else "after" if rel > 0 else "on",
            "dist": _bucket(rel),
            "path": _path(head, trigger),
            "tpos": trigger.pos_,
            "voice": "passive" if _passive(trigger) else "active",
            "is_child": str(head.head.i == trigger.i),
            "under": str(trigger.i in {a.i for a in head.ancestors}),
            "in_trigger": str(m.start <= trigger.i < m.end),
            "subj_of_t": str(head.head.i == trigger.i and head.dep_ in _SUBJ),
            "obj_of_t": str(head.head.i == trigger.i and head.dep_ in _OBJ),
            "agent_of_t": str(head.dep_ in _AGENT or (head.head.dep_ in _AGENT and head.head.head.i == trigger.i)),
            "place": str(_prep(head) in _PLACE_PREPS and m.kind in ("country", "capital")),
        })
    for k, v in base.items():
        f[f"{k}={v}"] = 1.0
        f[f"{event_type}|{k}={v}"] = 1.0
    for k in ("path", "prep", "dep"):
        if k in base and "side" in base:
            f[f"{k}={base[k]}|side={base['side']}"] = 1.0
    if "tlemma" in base:
        for k in ("side", "dep", "prep", "kind"):
            if k in base:
                f[f"tl={base['tlemma']}|{k}={base[k]}"] = 1.0
    f["focus"] = float(m.code[:3] == df.focus)
    f["unknown_country"] = float(m.code.startswith("---"))
    f["count"] = min(df.counts.get(m.code[:3], 0), 6) / 6.0
    f[f"lang={lang}"] = 1.0
    for r in _rule_roles(unit, event_type, m) + _parse_role_flags(parsed, m):
        f[r] = 1.0
        f[f"{event_type}|{r}"] = 1.0
    return f


def add_slot_features(unit: Unit, event_type: str, trigger, slot: Sequence[tuple[Mention, bool, dict[str, float]]]) -> None:
    """Add to each candidate's features what the other candidates of the same event are: the
    actor model scores candidates one by one, and whether a report's main country is the
    actor depends on whether the sentence names anyone else ("les commerces seront fermés à
    Melbourne": no subject, so the authorities of the place; "la police belge a arrêté": the
    subject). Per candidate: whether it is the in-sentence mention nearest the trigger, how many
    in-sentence candidates there are, whether the trigger has a subject at all and whether a
    candidate is that subject; crossed with the candidate's kind and with the event type."""
    here = [(m, f) for m, previous, f in slot if not previous and m.start >= 0]
    subj_token = False
    if trigger is not None:
        subj_token = any(c.dep_ in _SUBJ or c.dep_ in _AGENT for c in trigger.children)
    has_subj = any(f.get("subj_of_t=True") or f.get("agent_of_t=True") for _m, f in here)
    nearest = None
    if trigger is not None and here:
        nearest = min(here, key=lambda x: min(abs(x[0].start - trigger.i), abs(x[0].end - 1 - trigger.i)))[0]
    n_here = "0" if not here else "1" if len(here) == 1 else "2" if len(here) == 2 else "3+"
    countries_here = {m.code[:3] for m, _f in here}
    ctx = {
        "s.n_here": n_here,
        "s.t_subj": f"{subj_token}/{has_subj}",
    }
    for m, previous, f in slot:
        kind = m.kind if m.start >= 0 else f"virtual:{m.kind}"
        own = dict(ctx)
        own["s.nearest"] = str(m is nearest)
        own["s.named_here"] = str(m.code[:3] in countries_here)
        for k, v in own.items():
            f[f"{k}={v}|kind={kind}|prev={previous}"] = 1.0
            f[f"{event_type}|{k}={v}|prev={previous}"] = 1.0
        if m.start < 0:
            f[f"s.virtual|t_subj={subj_token}/{has_subj}|n_here={n_here}|kind={m.kind}"] = 1.0


def recipient_features(base: dict[str, float], actor: Mention | None, m: Mention,
                       event_type: str) -> dict[str, float]:
    """A candidate's features as a recipient, once the actor is chosen: the same country, the
    same code, the pair of kinds (a ministry acting on its own country's protesters is a dyad;
    Israel acting on Israel is not)."""
    f = dict(base)
    if actor is None:
        f["no_actor"] = 1.0
        return f
    same3 = m.code[:3] == actor.code[:3]
    rel = {
        "same3": str(same3),
        "samecode": str(m.code == actor.code),
        "pair": f"{actor.kind}>{m.kind}",
        "sectors": f"{actor.code[3:6] or 'none'}>{m.code[3:6] or 'none'}" if same3 else "diff",
    }
    for k, v in rel.items():
        f[f"r.{k}={v}"] = 1.0
        f[f"{event_type}|r.{k}={v}"] = 1.0
    return f


def rule_trigger(unit: Unit, event):
    """The token of a rule event's trigger in its sentence (the first with its text)."""
    doc = unit.span.doc
    words = columns(doc).words
    return next((doc[i] for i in range(unit.span.start, unit.span.end) if words[i] == event.trigger),
                None) or unit.span.root


def verify_features(unit: Unit, event_type: str, trigger, p: float, row, types, tables: CoderTables,
                    lang: str) -> dict[str, float]:
    """Features of a new event the sentence model proposes, for the trigger-level check: the
    trigger's own context (as for factuality), whether the lexicon knows it for this type, how
    sure the sentence model is, and how many other types it sees in the sentence."""
    f = factuality_features(unit, event_type, trigger, lang)
    lem = _lemma(trigger) if trigger is not None else ""
    f[f"t={event_type}|{lem}"] = 1.0
    f["lexicon"] = float(any(t.type == event_type for t in tables.triggers.get(lem, ())))
    f[f"lexicon_any={bool(tables.triggers.get(lem))}"] = 1.0
    f["p"] = p
    f[f"{event_type}|p"] = p
    others = sorted((float(v) for t, v in zip(types, row) if t != event_type), reverse=True)
    f["other_max"] = others[0] if others else 0.0
    f[f"n_types={min(sum(v >= 0.5 for v in row), 3)}"] = 1.0
    f[f"rules_here={bool(unit.rule_events)}"] = 1.0
    f[f"tpos={trigger.pos_ if trigger is not None else 'none'}"] = 1.0
    f[f"mentions={min(len({m.code[:3] for m in unit.mentions}), 3)}"] = 1.0
    return f


def _morph(f: dict[str, float], prefix: str, token) -> None:
    """One feature per morphological feature of ``token`` ("m=Tense=Fut")."""
    for part in str(token.morph).split("|"):
        if part:
            f[f"{prefix}={part}"] = 1.0


# -- factuality ----------------------------------------------------------------------------
def factuality_features(unit: Unit, event_type: str, trigger, lang: str) -> dict[str, float]:
    f: dict[str, float] = {f"type={event_type}": 1.0}
    if trigger is None:
        return f
    f[f"rule={rule_factuality(trigger, lang)}"] = 1.0
    f[f"tag={trigger.tag_}"] = 1.0
    _morph(f, "m", trigger)
    for c in trigger.children:
        if c.dep_.startswith(("aux", "neg", "mark", "advmod", "cop")) or c.lower_ in ("ne", "pas", "not"):
            f[f"c={c.dep_}:{_lemma(c)}"] = 1.0
            _morph(f, "cm", c)
    h = trigger.head
    if h.i != trigger.i:
        f[f"h={trigger.dep_}:{_lemma(h)}"] = 1.0
        f[f"hdep={trigger.dep_}"] = 1.0
        _morph(f, "hm", h)
        for c in h.children:
            if c.dep_.startswith(("aux", "neg", "mark", "advmod")):
                f[f"hc={c.dep_}:{_lemma(c)}"] = 1.0
    sent = unit.span
    cols = columns(sent.doc)  # the window's words, without building their tokens
    for i in range(max(sent.start, trigger.i - 6), min(sent.end, trigger.i + 7)):
        if i != trigger.i and not cols.punct[i]:
            f[f"w={lemma_at(cols, i)}"] = 1.0
    if cols.span_text(sent.start, sent.end).rstrip().endswith("?"):
        f["question"] = 1.0
    return f


# -- trigger words -------------------------------------------------------------------------
#: Dependents whose relation (and word) the trigger-word features read.
_TRIGGER_CHILD_DEPS = frozenset({
    "obj", "dobj", "iobj", "nsubj", "nsubj:pass", "nsubjpass", "obl", "obl:arg", "obl:agent", "agent", "neg",
    "aux", "aux:pass", "auxpass", "aux:tense", "mark", "xcomp", "ccomp", "advmod", "nmod", "amod", "compound",
    "prep", "pobj", "dative", "acl", "advcl", "case", "det", "cop", "expl:pv", "expl:comp", "prt", "nummod",
    "conj"})
_TRIGGER_MORPH = ("Tense", "Mood", "VerbForm", "Aspect", "Number", "Voice")
_ARGUMENT_DEPS = frozenset({"obj", "dobj", "obl", "obl:arg", "xcomp", "nmod", "pobj"})


def trigger_word_candidates(unit: Unit, lemmas: frozenset[str], tables: CoderTables) -> list[int]:
    """Token indices of the sentence's candidate trigger words: a content word whose lemma the
    trigger-word model was trained on (``lemmas``) or that the lexicon knows (read from the
    token columns: no token is built)."""
    cols = columns(unit.span.doc)
    out = []
    for i in range(unit.span.start, unit.span.end):
        if cols.pos[i] not in TRIGGER_POS:
            continue
        lem = lemma_at(cols, i)
        if lem in lemmas or lem in tables.triggers or cols.lowers[i] in tables.triggers:
            out.append(i)
    return out


def trigger_word_features(unit: Unit, token, tables: CoderTables) -> dict[str, float]:
    """Features of one candidate trigger word (see the module doc)."""
    f: dict[str, float] = {}
    lem = _lemma(token)
    pos, dep = token.pos_, token.dep_
    f["l=" + lem] = 1.0
    f["lp=" + lem + "|" + pos] = 1.0
    f["p=" + pos] = 1.0
    f["d=" + dep] = 1.0
    f["ld=" + lem + "|" + dep] = 1.0
    for trig in tables.triggers.get(lem, ()) or tables.triggers.get(token.lower_, ()):
        f["x=" + trig.type] = 1.0
        f["xp=" + trig.type + "|" + pos] = 1.0
    for key in _TRIGGER_MORPH:
        for value in token.morph.get(key):
            f[f"m={key}:{value}"] = 1.0
    head = token.head
    if head.i != token.i:
        hl = _lemma(head)
        f["hl=" + hl] = 1.0
        f["hd=" + dep + "|" + hl] = 1.0
        f["lh=" + lem + "|" + hl] = 1.0
        f["hp=" + head.pos_] = 1.0
        for trig in tables.triggers.get(hl, ()):
            f["hx=" + trig.type] = 1.0
        grand = head.head
        if grand.i != head.i:
            f["gl=" + _lemma(grand)] = 1.0
    else:
        f["root"] = 1.0
    mention_kind = unit.mention_kinds
    has_obj = False
    for child in token.children:
        cd = child.dep_
        if cd not in _TRIGGER_CHILD_DEPS:
            continue
        cl = _lemma(child)
        if cd in ("obj", "dobj"):
            has_obj = True
        if cd in ("prep", "case"):
            f["cp=" + cl] = 1.0
            f["lcp=" + lem + "|" + cl] = 1.0
            continue
        f["cd=" + cd] = 1.0
        f["c=" + cd + ":" + cl] = 1.0
        if cd in _ARGUMENT_DEPS:
            f["lc=" + lem + "|" + cd + ":" + cl] = 1.0
            for grandchild in child.children:
                if grandchild.dep_ in ("case", "prep") or (grandchild.dep_ == "mark" and cd == "xcomp"):
                    f["cc=" + cd + ":" + _lemma(grandchild)] = 1.0
        if child.i in mention_kind:
            f["cm=" + cd + ":" + mention_kind[child.i]] = 1.0
        elif any(i in mention_kind for i in range(child.left_edge.i, child.right_edge.i + 1)):
            f["cms=" + cd] = 1.0
    f["obj" if has_obj else "noobj"] = 1.0
    cols = columns(unit.span.doc)
    i = token.i
    if i > unit.span.start:
        f["w-1=" + lemma_at(cols, i - 1)] = 1.0
    if i + 1 < unit.span.end:
        f["w+1=" + lemma_at(cols, i + 1)] = 1.0
    if i > unit.span.start + 1:
        f["w-2=" + lemma_at(cols, i - 2)] = 1.0
    for e in unit.rule_events:
        if e.trigger and e.trigger.lower().split()[0] == token.lower_:
            f["r=" + e.type] = 1.0
        f["rs=" + e.type] = 1.0
    f[f"nmen={min(len(unit.mentions), 3)}"] = 1.0
    return f
