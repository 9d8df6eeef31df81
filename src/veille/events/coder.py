"""The event coder: trigger lexicon + dependency roles → PLOVER events.

For each sentence: find trigger words (lemma, part of speech, required object, reflexive
form, from ``lang/<code>/triggers.tsv``); find the actor (subject, passive agent,
controller of an embedded verb, possessor of a nominalisation …) and the recipient
(the slots the trigger's table row names: object, prepositional complement,
destination); resolve both to actor codes through the mentions found by
``veille.actors``; then date, factuality, CAMEO/QuadClass/Goldstein and evidence span.
Dependency labels differ between the French (UD) and English (ClearNLP) models; the
labels for each role come from ``lang/<code>/deps.tsv``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from veille.actors import Mention
from veille.actors.implicit import UNKNOWN_COUNTRY, country_for, report_places
from veille.actors.tables import code_name
from veille.events.dates import resolve_event_date
from veille.events.factuality import factuality, saying_verbs
from veille.events.tables import CoderTables, Trigger
from veille.nlp.tokens import columns
from veille.records import ActorRef, Document, Event, Location

#: Contracted prepositions, mapped to the preposition the tables use.
PREP_FORMS = {"au": "à", "aux": "à", "du": "de", "des": "de", "d'": "de", "d’": "de"}
REFLEXIVE = {"se", "s'", "s’", "me", "m'", "te", "t'", "nous", "vous"}
RELATIVE_PRONOUNS = {"qui", "lequel", "laquelle", "who", "which", "that"}
PERSONAL_PRONOUNS = {"il", "ils", "elle", "elles", "he", "she", "they", "it", "celui-ci", "ce dernier"}
#: First-person subjects: in news text, a quoted speaker ("We appeal to…", said the UN).
FIRST_PERSON = {"we", "i", "nous", "je", "j'", "j’"}
ACTOR_KINDS_FOR_PRONOUNS = {"person", "title", "country", "capital", "institution", "igo", "agent", "demonym", "implicit",
                           "reference"}
SENTENCE_END = {".", "!", "?", ":", ";", "»", '"', "”", "…", "..."}
#: How far after a trigger (in tokens) the last-resort recipient may be.
FOLLOWING_WINDOW = 15
#: How many sentences before the trigger's own the context recipient may be in.
CONTEXT_SENTENCES = 1
#: Events whose clausal complement is what is demanded, offered, refused, threatened or
#: discussed ("ont discuté de renforcer leur alliance": the alliance is a topic, not an act).
CONTENT_TYPES = {"REQUEST", "AGREE", "REJECT", "THREATEN", "CONSULT"}
#: Links from such a complement up to its governing trigger.
CONTENT_DEPS = {"xcomp", "ccomp", "advcl", "acl", "pcomp", "pobj", "prep", "mark", "obl:arg"}
SYMMETRIC_TYPES = {"CONSULT", "AGREE", "COOPERATE"}
#: Clauses that state something else than the trigger's own event (not searched for its target).
OTHER_CLAUSES = {"ccomp", "advcl", "parataxis", "conj", "xcomp", "csubj"}
EMBEDDED_SLOTS = ("iobj", "prep:to", "prep:with", "prep:à", "prep:avec", "obj")
LOC_PREPS = {"à", "en", "dans", "vers", "to", "in", "into", "at"}
#: Prepositions that make a place of a country ("in Iraq", "en Syrie"): no side of an event.
PLACE_PREPS = {"en", "dans", "in", "at", "inside"}


@dataclass
class _Context:
    """Per-document state: mentions by token, last subject actors (for pronouns)."""

    mentions: Sequence[Mention]
    by_token: dict[int, list[Mention]]
    last_subjects: list[Mention]
    last_subject_sentence: int
    sents: Sequence = ()
    events: list = field(default_factory=list)  # events coded so far, in order (for event anaphora)
    response_verbs: frozenset = frozenset()  # verbs whose object is someone else's act
    places: tuple = ()  # (place mentions, dateline, main country) for actors named by no word


def _index(mentions: Sequence[Mention]) -> dict[int, list[Mention]]:
    by_token: dict[int, list[Mention]] = {}
    for m in mentions:
        for i in range(m.start, m.end):
            by_token.setdefault(i, []).append(m)
    return by_token


def code_document(document: Document, doc, mentions: Sequence[Mention], tables: CoderTables) -> list[Event]:
    """All events of one parsed document."""
    ctx = _Context(mentions, _index(mentions), [], -10, sentences(doc), response_verbs=tables.response_verbs,
                   places=report_places(doc, mentions, tables.lang))
    events: list[Event] = []
    seen: set[tuple] = set()
    cols = columns(doc)
    subject_deps = tables.deps.get("subj", frozenset()) | tables.deps.get("subj_pass", frozenset())
    for s_index, sent in enumerate(ctx.sents):
        governing: dict[int, set[str]] = {}  # triggers whose complement is a content, not an event
        coded: list[tuple[int, Event]] = []
        for i in range(sent.start, sent.end):
            if not _has_rows(cols.lemmas[i], cols.words[i], tables):
                continue  # no lexicon row: no trigger (and no Token to build)
            token = doc[i]
            matches = list(_matching_triggers(token, tables))
            if any(t.type in CONTENT_TYPES for t in matches):
                governing[token.i] = {t.type for t in matches if t.type in CONTENT_TYPES}
            for trig in matches:
                event = _code_trigger(document, doc, sent, s_index, token, trig, tables, ctx)
                if event is not None:
                    coded.append((token.i, event))
                    break  # most specific matching row wins for this token
        for i, event in coded:
            if _is_content_of(doc[i], event.type, governing):
                continue
            key = (s_index, event.type, tuple(a.code for a in event.actors),
                   tuple(r.code for r in event.recipients))
            if key not in seen:
                seen.add(key)
                events.append(event)
        ctx.events = events
        subjects = [m for i in range(sent.start, sent.end) if cols.deps[i] in subject_deps
                    for m in ctx.by_token.get(i, ()) if m.code and m.kind in ACTOR_KINDS_FOR_PRONOUNS]
        if subjects:
            ctx.last_subjects, ctx.last_subject_sentence = subjects, s_index
    return events


def _is_content_of(token, event_type: str, governing: dict[int, set[str]]) -> bool:
    """Is this trigger the content of a demand, offer, refusal, threat or discussion ("demanded
    that Hamas renounce", "a appelé les Européens à rejeter", "refused to deploy", "ont discuté
    de renforcer leur alliance")? Such content has not happened; the governing event is the one
    to code. A discussion's purpose clause ("se rendra à Erevan pour renforcer la coopération")
    and a meeting within a meeting are not its topic."""
    current = token
    first_link = token.dep_
    for _level in range(3):
        if current.dep_ not in CONTENT_DEPS or current.head.i == current.i:
            return False
        current = current.head
        types = governing.get(current.i)
        if types:
            return not (types == {"CONSULT"} and (event_type == "CONSULT" or first_link == "advcl"))
    return False


def sentences(doc) -> list:
    """The parser's sentences, with false breaks mended: a piece that does not end like a
    sentence, followed by one that starts in lower case ("Washington et Tokyo" | "ont
    condamné …"), is one sentence."""
    out: list = []
    for sent in doc.sents:
        if out and not _ends_sentence(out[-1]) and sent[0].is_lower and "\n" not in doc[sent.start - 1].text_with_ws:
            out[-1] = doc[out[-1].start:sent.end]
        else:
            out.append(sent)
    return out


def _ends_sentence(span) -> bool:
    last = span[-1] if not span[-1].is_space else span[-2] if len(span) > 1 else span[-1]
    return last.text in SENTENCE_END or "\n" in span[-1].text_with_ws


# -- triggers ------------------------------------------------------------------------------
def _has_rows(lemma: str, word: str, tables: CoderTables) -> bool:
    """Whether the lexicon has rows for a token's lemma or text: the lookup
    :func:`_matching_triggers` starts with, made from the token columns."""
    return bool(tables.triggers.get(lemma.lower()) or tables.triggers.get(word.lower()))


def has_direct_object(token) -> bool:
    """The verb has a direct object: a trigger the lexicon marks intransitive ("-" in its object
    column: "manifester", "demonstrate") states no event then ("a manifesté son soutien")."""
    return any(c.dep_ in ("obj", "dobj") for c in token.children)


def _matching_triggers(token, tables: CoderTables) -> Iterable[Trigger]:
    rows = tables.triggers.get(token.lemma_.lower()) or tables.triggers.get(token.text.lower())
    if not rows:
        return ()
    pos = token.pos_
    out = []
    for trig in rows:
        if trig.pos == "VERB" and pos not in ("VERB", "AUX") and not (pos == "ADJ" and token.tag_ == "VBN"):
            continue
        if trig.pos == "NOUN" and pos not in ("NOUN", "PROPN"):
            continue
        if trig.pos == "ADJ" and pos not in ("ADJ", "VERB"):
            continue
        if trig.reflexive == "yes" and not _is_reflexive(token, tables):
            continue
        if trig.reflexive == "no" and _is_reflexive(token, tables):
            continue
        if trig.intransitive and has_direct_object(token):
            continue  # "demonstrated", not "demonstrates the risks"
        if trig.objects and not _has_object(token, trig.objects, tables, adjective=trig.pos == "ADJ"):
            continue
        out.append(trig)
    return out


def _is_reflexive(token, tables: CoderTables) -> bool:
    expl = tables.deps.get("expl", frozenset())
    for child in token.children:
        if child.lower_ in REFLEXIVE and (child.dep_ in expl or child.dep_ in ("obj", "iobj")):
            return True
    return False


def _has_object(token, objects: tuple[str, ...], tables: CoderTables, adjective: bool = False) -> bool:
    """A required object lemma among the trigger's complements (two levels deep).

    For adjective rows ("se dire préoccupé"), the column names the verb the adjective
    depends on instead.
    """
    if adjective:
        return token.head.lemma_.lower() in objects or any(
            c.lemma_.lower() in objects for c in token.children if c.dep_.startswith(("cop", "aux")))
    frontier = [token]
    for _depth in range(3):
        nxt = []
        for t in frontier:
            for child in t.children:
                if child.lemma_.lower() in objects or child.lower_ in objects:
                    return True
                if child.dep_ not in ("punct", "cc") and child.pos_ not in ("VERB",):
                    nxt.append(child)
        frontier = nxt
    return False


# -- roles ---------------------------------------------------------------------------------
def _children(token, labels: Iterable[str]) -> list:
    """The token's children with one of these dependency labels (only those are built)."""
    return columns(token.doc).children(token.doc, token.i, set(labels))


def _prep_of(token) -> str | None:
    """The preposition introducing a complement (French case child, or English prep head)."""
    for child in token.children:
        if child.dep_ in ("case", "mark") and child.pos_ == "ADP":
            # the form, not the lemma: prepositions do not inflect, and the French model
            # lemmatises some as verbs ("entre" → "entrer")
            return PREP_FORMS.get(child.lower_, child.lower_)
    if token.dep_ == "pobj":
        return PREP_FORMS.get(token.head.lower_, token.head.lemma_.lower())
    return None


#: Links of the complements :func:`_prep_objects` reads besides the language's ``obl`` labels.
_PREP_LINKS = frozenset({"prep", "agent"})


def _prep_objects(token, preps: set[str], tables: CoderTables) -> list:
    out = []
    obl = tables.deps.get("obl", frozenset())
    for child in _children(token, _PREP_LINKS | obl):  # the only children tested below
        if child.dep_ == "prep" and child.lemma_.lower() in preps:  # English: prep → pobj
            out.extend(c for c in child.children if c.dep_ in ("pobj", "pcomp"))
        elif child.dep_ == "agent" and "by" in preps:
            out.extend(c for c in child.children if c.dep_ == "pobj")
        elif child.dep_ in obl and _prep_of(child) in preps:
            out.append(child)
    return out


def _antecedent(token, tables: CoderTables):
    """A relative pronoun stands for the noun its clause modifies ("M. Poutine, qu'il a appelé")."""
    if "Rel" in token.morph.get("PronType") or token.lower_ in RELATIVE_PRONOUNS:
        clause = token.head
        if clause.dep_ in tables.deps.get("relative", ()) and clause.head.i != clause.i:
            return clause.head
    return token


def _nearby_prep_objects(token, preps: set[str], tables: CoderTables) -> list:
    """A complement the parser hung on a neighbouring word of the clause ("entretenu mercredi au
    téléphone avec son homologue"): prepositional objects two levels down, not inside clauses."""
    clausal = tables.deps.get("clausal", frozenset())
    out: list = []
    for child in token.children:
        if child.dep_ in tables.deps.get("subj", ()):
            continue
        if child.dep_ in clausal and child.pos_ in ("VERB", "AUX"):
            continue  # a verbless "clause" is a mis-tagged modifier ("réunion tripartite entre…")
        out.extend(_prep_objects(child, preps, tables))
    return out


def _object_prep_objects(token, preps: set[str], tables: CoderTables) -> list:
    """A complement the parser attached to the direct object instead of the verb
    ("shared evidence with the U.S.", "livrer des armes à l'Ukraine")."""
    out: list = []
    for obj in _children(token, tables.deps.get("obj", ())):
        out.extend(_prep_objects(obj, preps, tables))
    return out


def _phrase_tokens(token, tables: CoderTables) -> set[int]:
    """Token indices of the noun phrase headed by ``token`` (through coordination, nmod, appos …)."""
    phrase = tables.deps.get("phrase", frozenset())
    cols = columns(token.doc)
    seen = {token.i}
    stack = [token.i]
    while stack:
        t = stack.pop()
        for child in cols.kids[t]:  # indices only: no token is built
            if child not in seen and cols.deps[child] in phrase:
                seen.add(child)
                stack.append(child)
    return seen


def _mentions_in(tokens: set[int], ctx: _Context, head_first: int | None = None) -> list[Mention]:
    found: dict[tuple[int, str], Mention] = {}
    for i in sorted(tokens):
        for m in ctx.by_token.get(i, ()):
            if m.code:
                found.setdefault((m.start, m.code), m)
    ordered = sorted(found.values(), key=lambda m: m.start)
    # Prefer the outermost mentions: drop one nested inside another with a code of the same country.
    out: list[Mention] = []
    for m in ordered:
        if any(o.start <= m.start and m.end <= o.end and o is not m and o.code[:3] == m.code[:3] for o in ordered):
            continue
        out.append(m)
    return out


def _slot_actors(tokens: Sequence, ctx: _Context, tables: CoderTables) -> list[Mention]:
    found: list[Mention] = []
    for tok in tokens:
        if any(m.start < tok.i and (m.start <= tok.head.i < m.end or tok.head.i == tok.doc[m.head].head.i)
               for m in ctx.by_token.get(tok.i, ()) if m.head != tok.i):
            continue  # "Sud" in "Corée du Sud" is not a complement of its own
        tok = _antecedent(tok, tables)
        found.extend(_mentions_in(_phrase_tokens(tok, tables), ctx))
    return _unique(found)


def _unique(mentions: Iterable[Mention]) -> list[Mention]:
    out, seen = [], set()
    for m in mentions:
        if m.code not in seen:
            seen.add(m.code)
            out.append(m)
    return out


def _is_passive(token, tables: CoderTables) -> bool:
    """Passive voice: a passive auxiliary or subject, or a participle with a "par/by" agent
    ("l'accord, dénoncé par l'Autorité palestinienne")."""
    if _children(token, tables.deps.get("passive_aux", ())) or _children(token, tables.deps.get("subj_pass", ())):
        return True
    return "Part" in token.morph.get("VerbForm") and bool(_agent_tokens(token, tables)) and not _children(
        token, tables.deps.get("subj", ()))


def _passive_participle(token, tables: CoderTables) -> bool:
    """A past participle modifying a noun, which is its patient ("un blogueur arrêté en mai")."""
    return (token.dep_ in ("acl", "amod") and "Part" in token.morph.get("VerbForm") or token.tag_ == "VBN"
            and token.dep_ == "acl") and not _children(token, tables.deps.get("subj", ())) and not _children(
        token, tables.deps.get("obj", ()))


def _agent_tokens(token, tables: CoderTables) -> list:
    """The agent of a passive: "par X" / "by X" (labelled obl:agent or, often, plain obl)."""
    agents = []
    for a in _children(token, tables.deps.get("agent", ())):
        agents.extend([c for c in a.children if c.dep_ == "pobj"] if a.dep_ == "agent" else [a])
    return agents or _prep_objects(token, {"par", "by"}, tables)


def _subject_tokens(token, tables: CoderTables, ctx: _Context, s_index: int,
                    trig_pos: str = "VERB") -> tuple[list, float]:
    """Subject tokens of the trigger's clause, climbing to governing clauses; and a confidence."""
    clausal = tables.deps.get("clausal", frozenset())
    current, conf = token, 1.0
    for _level in range(4):
        if (current.i != token.i or trig_pos == "VERB") and _is_passive(current, tables):
            agents = _agent_tokens(current, tables)
            if agents:
                return agents, conf
        else:
            subj = _children(current, tables.deps.get("subj", ()))
            if subj and not _slot_actors(subj, ctx, tables):
                # "L'Iran a une nouvelle fois dénoncé…": the parser made "fois" the subject and
                # hung the real one on the auxiliary
                for aux in current.children:
                    if aux.dep_.startswith("aux") and aux.i < current.i:
                        hung = _children(aux, tables.deps.get("subj", ()))
                        if hung and _slot_actors(hung, ctx, tables):
                            return hung, conf * 0.9
            if subj:
                return subj, conf
        if current.dep_ in clausal and current.head.i != current.i:
            head = current.head
            controller = tables.control.get(head.lemma_.lower())
            if controller == "obj" and current.dep_ != "conj":
                objs = _children(head, tables.deps.get("obj", ()))
                if objs:
                    return objs, conf * 0.9
            if current.dep_ in tables.deps.get("relative", ()):
                return [head], conf * 0.9
            current, conf = head, conf * 0.9
            continue
        if current.pos_ == "ADJ" or (current.dep_ in ("acl", "amod") and current.head.i != current.i):
            current, conf = current.head, conf * 0.9
            continue
        break
    return [], conf


def _resolve_pronouns(tokens: list, sent, s_index: int, ctx: _Context, tables: CoderTables) -> tuple[list[Mention], bool]:
    """Pronoun subjects → the nearest earlier subject actor in this sentence, else the last
    subject actors of the previous two sentences ("where safe": nothing older)."""
    subj = tables.deps.get("subj", frozenset()) | tables.deps.get("subj_pass", frozenset())
    for tok in tokens:
        if tok.lower_ in FIRST_PERSON and not ctx.by_token.get(tok.i):
            speaker = _speaker(tok, sent, ctx, tables)
            if speaker:
                return speaker, True
            if s_index - ctx.last_subject_sentence <= 1 and ctx.last_subjects:
                return _unique(ctx.last_subjects), True  # the quote's speaker was the last subject
            continue
        if tok.lower_ not in PERSONAL_PRONOUNS or ctx.by_token.get(tok.i):
            continue
        earlier = [m for t in sent if t.i < tok.i and t.dep_ in subj for m in ctx.by_token.get(t.i, ())
                   if m.code and m.kind in ACTOR_KINDS_FOR_PRONOUNS]
        if earlier:
            return _pronoun_refs(tok, [earlier[-1]]), True
        if s_index - ctx.last_subject_sentence <= 2 and ctx.last_subjects:
            return _pronoun_refs(tok, ctx.last_subjects), True
    return [], False


def _pronoun_refs(pronoun, antecedents: Sequence[Mention]) -> list[Mention]:
    """The antecedents of a pronoun, each saying so in ``via`` (the event cites the antecedent)."""
    return [m if m.via else replace(m, via=f"coreference: '{pronoun.text}' → '{m.text}'")
            for m in _unique(antecedents)]


def _receivers(token, trig: Trigger, tables: CoderTables, ctx: _Context) -> list[Mention]:
    """The subject of a verb of receiving whose object is the noun trigger ("Maduro jouit du
    soutien de Cuba", "the regime faces sanctions from the EU"): the event's recipient."""
    if trig.pos != "NOUN" or token.head.i == token.i or token.head.lemma_.lower() not in tables.receiving_verbs:
        return []
    if token.dep_ not in tables.deps.get("obj", frozenset()) | {"obl:arg"}:
        return []  # "jouit du soutien" (obl:arg) yes; "malgré les sanctions" (obl:mod) no
    return _slot_actors(_children(token.head, tables.deps.get("subj", ())), ctx, tables)


def _speaker(pronoun, sent, ctx: _Context, tables: CoderTables) -> list[Mention]:
    """The actor a verb of saying in the same sentence quotes ("…, a déclaré le ministre",
    "the UN said: …"): the subject of the nearest such verb that does not govern the pronoun
    as its own subject."""
    saying = saying_verbs(tables.lang)
    subj = tables.deps.get("subj", frozenset())
    best: list[Mention] = []
    distance = None
    for verb in sent:
        if verb.lemma_.lower() not in saying or verb.pos_ not in ("VERB", "AUX"):
            continue
        subjects = [c for c in verb.children if c.dep_ in subj and c.i != pronoun.i]
        actors = _slot_actors(subjects, ctx, tables)
        if actors and (distance is None or abs(verb.i - pronoun.i) < distance):
            best, distance = actors, abs(verb.i - pronoun.i)
    return best


def _preceding_actors(token, sent, ctx: _Context) -> list[Mention]:
    """Fallback when the parse gives no subject: the nearest coded mentions before the trigger."""
    before = [m for m in ctx.mentions if m.code and sent.start <= m.start and m.end <= token.i]
    if not before:
        return []
    last = before[-1]
    group = [last]
    for m in reversed(before[:-1]):  # "Washington et Tokyo": coordinated mentions right before
        gap = sent.doc[m.end:group[0].start]
        if len(gap) <= 2 and all(t.pos_ in ("CCONJ", "PUNCT", "DET") for t in gap):
            group.insert(0, m)
        else:
            break
    return _unique(group)


def _slot_tokens(token, slot: str, tables: CoderTables, passive: bool) -> list:
    """Tokens filling one named slot of a trigger (see docs/triggers.md for the names)."""
    if slot == "obj":
        if passive:
            return _children(token, tables.deps.get("subj_pass", ()))
        return [c for c in _children(token, tables.deps.get("obj", ())) if c.lower_ not in REFLEXIVE]
    if slot == "iobj":
        return _children(token, tables.deps.get("iobj", ())) + _prep_objects(token, {"à", "to"}, tables)
    if slot.startswith("prep:"):
        preps = {slot[5:]}
        return _prep_objects(token, preps, tables) or _nearby_prep_objects(token, preps, tables)
    if slot == "loc":
        return _prep_objects(token, LOC_PREPS, tables) or _object_prep_objects(token, LOC_PREPS, tables)
    if slot == "poss":
        return [c for c in token.children if c.dep_ in tables.deps.get("poss", ())
                or (c.dep_ == "det" and "Poss=Yes" in str(c.morph))]
    if slot == "amod":
        return _children(token, ("amod",))
    return []


def _fill_slots(token, slots: Sequence[str], tables: CoderTables, ctx: _Context, passive: bool) -> list[Mention]:
    """Mentions of the first slot (in table order) that holds a coded actor."""
    for slot in slots:
        found = _slot_actors(_slot_tokens(token, slot, tables, passive), ctx, tables)
        if found:
            return found
    return []


def _subtree_recipients(token, exclude: set[int], ctx: _Context, tables: CoderTables) -> list[Mention]:
    """Fallback recipient: the first coded mention in the trigger's own subtree (outside the subject)."""
    subtree: set[int] = set()
    stack = [c for c in token.children if c.i not in exclude and c.dep_ not in tables.deps.get("subj", ())]
    while stack:
        t = stack.pop()
        if t.i in exclude or (t.dep_ in OTHER_CLAUSES and t.pos_ in ("VERB", "AUX")):
            continue
        subtree.add(t.i)
        stack.extend(t.children)
    found = _mentions_in(subtree, ctx)
    if not found:
        return []
    first = min(found, key=lambda m: (m.start < token.i, abs(m.start - token.i)))
    group = [m for m in found if m is first or _coordinated(first, m, token.doc)]
    return _unique(group)


def _following_recipients(token, sent, exclude: set[int], actors: Sequence[Mention], ctx: _Context) -> list[Mention]:
    """Last resort when the parse hides the target: the nearest coded mention after the trigger,
    a few words on, in the same sentence, and not one of the actors' countries."""
    countries = {a.code[:3] for a in actors}
    for m in ctx.mentions:
        if m.start <= token.i or m.start >= sent.end or not m.code or m.start in exclude:
            continue
        if m.start - token.i > FOLLOWING_WINDOW:
            break
        if m.code[:3] not in countries:
            return [m]
    return []


def _governing_subject(token, s_index: int, ctx: _Context, tables: CoderTables) -> list[Mention]:
    """Last resort for an event noun whose phrase names no one: the subject of the verb it is
    the object of ("Londres a décidé de poursuivre l'aide militaire au Mozambique")."""
    if token.dep_ not in tables.deps.get("obj", frozenset()) | {"obl:arg", "dobj"} or token.head.pos_ != "VERB":
        return []
    lemma = token.head.lemma_.lower()
    if lemma in tables.receiving_verbs or lemma in tables.response_verbs:
        return []  # "a rejeté l'appel de l'ONU", "a condamné l'attaque": someone else's act
    if any(t.type in CONTENT_TYPES for t in tables.triggers.get(lemma, ())):
        return []  # "a demandé une aide", "threatened sanctions": the verb is the event, the noun its content
    subjects, _ = _subject_tokens(token.head, tables, ctx, s_index)
    return _slot_actors(subjects, ctx, tables)


def _context_recipients(token, s_index: int, actors: Sequence[Mention], exclude: set[int],
                        ctx: _Context) -> list[Mention]:
    """Last resort for a type that needs a target the sentence leaves to its context ("Paris a
    condamné l'attaque" after a sentence about Iran's strike). A response (``response_verbs.tsv``:
    condemn, reject, welcome …) targets the author of the latest event coded in the sentence
    before or its own; otherwise, the nearest coded mention of another country before the
    trigger, in its sentence or the one before."""
    countries = {a.code[:3] for a in actors}
    if token.lemma_.lower() in ctx.response_verbs:
        # "China condemned the move" after "The US imposed sanctions on Iran": a response targets
        # the author of the act it responds to, the actor of the event just before
        for event in reversed(ctx.events):
            if event.sentence < s_index - CONTEXT_SENTENCES:
                break
            authors = [a for a in event.actors if a.code and a.start >= 0 and a.code[:3] not in countries]
            if authors:
                return [_mention_of(a, ctx) for a in authors[:1]]
    taken = {(a.start, a.end) for a in actors}
    first = ctx.sents[max(0, s_index - CONTEXT_SENTENCES)].start
    for m in reversed(ctx.mentions):
        if m.start >= token.i or not m.code or (m.start, m.end) in taken or m.start in exclude:
            continue  # after the trigger, uncoded, or inside the actor's own phrase
        if m.start < first:
            break
        if m.code[:3] not in countries and _prep_of(token.doc[m.head]) not in PLACE_PREPS:
            return [m]
    return []


def _mention_of(ref: ActorRef, ctx: _Context) -> Mention:
    """The mention an event's actor came from (or one standing for it)."""
    for m in ctx.mentions:
        if m.start_char == ref.start and m.end_char == ref.end:
            return m
    return Mention(start=-1, end=-1, start_char=ref.start, end_char=ref.end, text=ref.text, code=ref.code,
                   name=ref.name, kind="anaphora", head=-1)


def _coordinated(a: Mention, b: Mention, doc) -> bool:
    ha, hb = doc[a.head], doc[b.head]
    return (hb.dep_ == "conj" and hb.head.i == ha.i) or (ha.dep_ == "conj" and ha.head.i == hb.i) or (
        ha.dep_ == "conj" and hb.dep_ == "conj" and ha.head.i == hb.head.i)


# -- one event -----------------------------------------------------------------------------
def _code_trigger(document: Document, doc, sent, s_index: int, token, trig: Trigger,
                  tables: CoderTables, ctx: _Context) -> Event | None:
    plover = tables.plover.get(trig.type)
    if trig.pos == "VERB" and token.lemma_.lower() in tables.receiving_verbs and any(
            any(t.pos == "NOUN" for t in tables.triggers.get(obj.lemma_.lower(), ()))
            for obj in _children(token, tables.deps.get("obj", ()))):
        return None  # "a reçu le soutien de Paris": the noun is the event, not a visit
    passive = trig.pos == "VERB" and _is_passive(token, tables)  # "préoccupé par" is not a passive
    confidence = 0.6 + (0.1 if trig.objects else 0.0)
    actors: list[Mention] = []
    subject_tokens: list = []
    claimed = False
    if trig.pos == "NOUN":
        actors = _fill_slots(token, [a for a in trig.actor if a != "subj"], tables, ctx, passive=False)
        if not actors:
            # "X a revendiqué l'attentat", "an attack claimed by X": the claimant is the actor, and
            # the attack is only claimed (codebook: ASSAULT, claims of responsibility).
            actors = _claimants(token, sent, s_index, tables, ctx)
            claimed = bool(actors)
        if (not actors and "subj" in trig.actor and token.dep_ in tables.deps.get("obj", ()) | {"obl:arg"}
                and token.head.lemma_.lower() in tables.light_verbs
                and token.head.lemma_.lower() not in tables.receiving_verbs):
            subject_tokens = _children(token.head, tables.deps.get("subj", ()))  # light verb's subject
            actors = _slot_actors(subject_tokens, ctx, tables)
        if not actors and "subj" in trig.actor:
            # "le décret qu'il a pris": the subject of a relative clause whose object is the noun
            for clause in _children(token, tables.deps.get("relative", ())):
                if any(_antecedent(c, tables).i == token.i for c in _children(clause, tables.deps.get("obj", ()))):
                    subject_tokens = _children(clause, tables.deps.get("subj", ()))
                    actors = _slot_actors(subject_tokens, ctx, tables) or _resolve_pronouns(
                        subject_tokens, sent, s_index, ctx, tables)[0]
        if not actors and "subj" in trig.actor:
            actors = _governing_subject(token, s_index, ctx, tables)
            confidence *= 0.6
    elif trig.pos == "VERB" and (passive or _passive_participle(token, tables)) and not _agent_tokens(token, tables):
        # "X a été arrêté", "un blogueur arrêté en mai": the patient is named, the agent is not.
        # Only types whose agent goes without saying (arrests, sentences: the state) are coded.
        if plover is None or not plover.default_actor:
            return None
        patients = _children(token, tables.deps.get("subj_pass", ())) or (
            [token.head] if token.dep_ in ("acl", "amod") else [])
        targets = _slot_actors(patients, ctx, tables) or _resolve_pronouns(patients, sent, s_index, ctx, tables)[0]
        if not targets:
            return None
        actors = [_default_recipient(targets[0], plover.default_actor)]
        confidence *= 0.7
    else:
        subject_tokens, conf = _subject_tokens(token, tables, ctx, s_index, trig.pos)
        confidence *= conf
        actors = _slot_actors(subject_tokens, ctx, tables)
        if not actors and subject_tokens:
            actors, used = _resolve_pronouns(subject_tokens, sent, s_index, ctx, tables)
            if used:
                confidence *= 0.8
        if not actors and not subject_tokens:
            actors = _preceding_actors(token, sent, ctx)
            confidence *= 0.6
    antecedent = None
    unnamed = False  # the author is unnamed: the event stands without a named target too
    if not actors and trig.pos == "NOUN":
        antecedent = _antecedent_event(token, trig, s_index, ctx)
        if antecedent is not None:  # "cette vente", "the attack": the sides of the event it refers to
            actors = _from_event(antecedent.actors, token, ctx)
            confidence *= 0.7
    if not actors and plover is not None and plover.unnamed_actor and trig.pos == "NOUN":
        # "Une émeute a éclaté à Athènes", "a shooting in Mogadishu": the event is stated, its
        # author is not; the codebook codes the sector of the country where it happens.
        actors = _unnamed_actor(token, plover.unnamed_actor, ctx)
        unnamed = bool(actors)
        confidence *= 0.6
    if not actors:
        return None
    recipients = _receivers(token, trig, tables, ctx) or _fill_slots(token, trig.recipient, tables, ctx, passive)
    if not recipients and trig.pos == "VERB" and _passive_participle(token, tables) and "obj" in trig.recipient:
        recipients = _slot_actors([token.head], ctx, tables)  # "les opposants arrêtés par la police"
    if not recipients:  # "offered to hand over to Britain": the embedded verb names the other side
        for child in _children(token, ("xcomp",)):
            recipients = _fill_slots(child, EMBEDDED_SLOTS, tables, ctx, passive=False)
            if recipients:
                break
    exclude = {t.i for s_tok in subject_tokens for t in s_tok.subtree}
    exclude |= {i for a in actors for i in range(a.start, a.end)}
    # The fallback search finds the topic of a multilateral meeting ("se réunira au sujet de la
    # crise au Mali"), not another side: such meetings keep only the slots' recipients.
    needs_recipient = not trig.no_recipient and not _meets_as_itself(trig.type, actors) and (
        (plover is not None and plover.needs_recipient) or _lone_symmetric(trig.type, actors))
    if not recipients and needs_recipient:
        recipients = _subtree_recipients(token, exclude, ctx, tables) or _following_recipients(
            token, sent, exclude, actors, ctx)
        confidence *= 0.8
    # An actor acting on itself (same mention, or the same full code: USAGOV on USAGOV) is no dyad;
    # different sectors of one country are (ISRCOP on ISROPP).
    actor_keys = {(a.start, a.end) for a in actors} | {a.code for a in actors}
    recipients = [r for r in recipients if (r.start, r.end) not in actor_keys
                  and not (trig.type in SYMMETRIC_TYPES and r.code in actor_keys)]
    if not recipients and needs_recipient and not (plover is not None and plover.default_recipient):
        recipients = _context_recipients(token, s_index, actors, exclude, ctx)
        if recipients:
            confidence *= 0.7
    if not recipients and plover is not None and plover.default_recipient and not trig.no_recipient:
        recipients = [_default_recipient(actors[0], plover.default_recipient)]  # protests target authorities
        confidence *= 0.8
    if antecedent is not None and all(r.code.startswith(UNKNOWN_COUNTRY) for r in recipients):
        recipients = _from_event(antecedent.recipients, token, ctx) or recipients  # "killed ten people": its victims
    if recipients:
        confidence += 0.1
    elif tables.drop_without_recipient and needs_recipient and not unnamed:
        return None
    date, precision = resolve_event_date(sent, token, document.lang, document.published, document.date_precision)
    fact = "reported" if claimed else factuality(token, document.lang)
    return Event(
        id=_event_id(document.id, s_index, token.idx, trig.type, actors, recipients),
        doc_id=document.id,
        type=trig.type,
        mode=trig.mode,
        context=trig.context,
        actors=tuple(_ref(m) for m in actors),
        recipients=tuple(_ref(m) for m in recipients),
        date=date,
        date_precision=precision,
        factuality=fact,
        confidence=round(min(confidence, 1.0), 3),
        cameo_root=(trig.cameo[:2] if trig.cameo else (plover.cameo_root if plover else "")),
        quad_class=plover.quad_class if plover else 0,
        goldstein=trig.goldstein if trig.cameo else (plover.goldstein if plover else 0.0),
        sentence=s_index,
        start=sent.start_char,
        end=sent.end_char,
        evidence=columns(doc).span_text(sent.start, sent.end),
        trigger=token.text,
        location=_location(token, ctx, tables),
    )


def _claim_verb(token, tables: CoderTables):
    """The verb of a claim of responsibility for an event noun, and the child of that verb on the
    path to the noun: "a revendiqué l'attentat", "claimed responsibility for the attack", "the
    attack was claimed by"; or the participle in "un attentat revendiqué par X"."""
    for child in token.children:
        entry = tables.claim_verbs.get(child.lemma_.lower())
        if entry and entry[0] and child.dep_ in tables.deps.get("relative", ()) | {"acl", "acl:relcl"}:
            return child, None
    node, bridged = token, False
    for _step in range(3):
        head = node.head
        if head.i == node.i:
            return None
        entry = tables.claim_verbs.get(head.lemma_.lower())
        if entry is not None and head.pos_ in ("VERB", "AUX"):
            return (head, node) if (entry[0] and not bridged) or (bridged and node.lemma_.lower() in entry[1]) else None
        if head.pos_ == "VERB":
            return None
        bridged = bridged or head.pos_ == "NOUN"
        node = head  # over a preposition ("for") or a bridge noun ("la responsabilité de")
    return None


def _claimants(token, sent, s_index: int, tables: CoderTables, ctx: _Context) -> list[Mention]:
    """Who claims the event noun: the claim verb's subject, or its agent when passive."""
    found = _claim_verb(token, tables)
    if found is None:
        return []
    verb, child = found
    if child is None or child.dep_ in tables.deps.get("subj_pass", ()) or _is_passive(verb, tables):
        claimers = _agent_tokens(verb, tables)
    elif child.dep_ in tables.deps.get("obj", ()):
        claimers = _children(verb, tables.deps.get("subj", ()))
    else:
        return []
    return _slot_actors(claimers, ctx, tables) or _resolve_pronouns(claimers, sent, s_index, ctx, tables)[0]


#: Determiners that make a noun trigger refer to an event already told ("cette vente", "the attack").
_ANAPHORIC_DETS = frozenset({"ce", "cet", "cette", "ces", "le", "la", "l'", "les", "this", "that", "these", "those",
                             "the", "such"})
#: How many sentences back an event noun may find the event it refers to.
_EVENT_ANAPHORA_WINDOW = 3


def _antecedent_event(token, trig: Trigger, s_index: int, ctx: _Context):
    """The latest event already coded, of the noun's type and in the sentences just before, that a
    definite or demonstrative event noun refers to."""
    if not any(c.dep_ == "det" and c.lower_ in _ANAPHORIC_DETS for c in token.children):
        return None
    # Coreference keeps the type: "the attack" refers to an attack, not to any hostile act (an
    # event of another type would make the noun state a type the text never stated).
    return next((e for e in reversed(ctx.events)
                 if e.type == trig.type and 0 < s_index - e.sentence <= _EVENT_ANAPHORA_WINDOW), None)


def _from_event(refs: Sequence[ActorRef], token, ctx: _Context) -> list[Mention]:
    """Mentions standing for an earlier event's sides, saying which event noun took them."""
    phrase = " ".join(t.text for t in token.subtree if t.i <= token.i and t.dep_ in ("det", "amod") or t.i == token.i)
    return [replace(_mention_of(r, ctx), via=f"coreference: '{phrase}' → the earlier event of '{r.text or r.name}'")
            for r in refs if r.code]


#: Links of an event noun that makes it the object of another act or word ("preparing an attack",
#: "condamné l'attentat", "appelé à la grève"), not an event the text states.
_OBJECT_DEPS = frozenset({"obj", "dobj", "iobj", "obl:arg", "xcomp", "ccomp", "conj", "appos", "attr", "oprd",
                          "dative"})


def _unnamed_actor(token, sector: str, ctx: _Context) -> list[Mention]:
    """The unnamed author of an event the text states ("une manifestation a eu lieu à Alger"):
    the sector of the country where it happens, when the report says which country that is.
    Not for a noun that is the object of a verb or the complement of another noun ("preparing
    an attack", "la menace d'un attentat"): those are not stated as having happened."""
    if not ctx.places or token.dep_ in _OBJECT_DEPS or token.head.pos_ in ("NOUN", "PROPN") and token.head.i != token.i:
        return []
    if token.head.pos_ == "ADP" and token.head.head.pos_ in ("NOUN", "PROPN"):  # "the threat of attack"
        return []
    country, via = country_for(token.doc[token.i:token.i + 1], *ctx.places)
    if country == UNKNOWN_COUNTRY:
        return []
    return [Mention(start=-1, end=-1, start_char=-1, end_char=-1, text="", code=country + sector,
                    name=f"{country} {sector.lower()} (unnamed)", kind="implicit", head=-1,
                    via=f"actor unnamed; {via}")]


def _default_recipient(actor: Mention, sector: str) -> Mention:
    """An implicit party of the other side's own country: the government protesters target, the
    state that arrests; not located in the text."""
    code = actor.code[:3] + sector
    return Mention(start=-1, end=-1, start_char=-1, end_char=-1, text="", code=code,
                   name=f"{actor.code[:3]} {sector.lower()} (implicit)", kind="implicit", head=-1)


def _lone_symmetric(event_type: str, actors: Sequence[Mention]) -> bool:
    """Meetings, agreements and cooperation take two sides: one actor alone needs a recipient."""
    return event_type in SYMMETRIC_TYPES and len({a.code[:3] for a in actors}) < 2


def _meets_as_itself(event_type: str, actors: Sequence[Mention]) -> bool:
    """A multilateral body meeting needs no other side ("le Conseil de sécurité se réunira")."""
    return event_type == "CONSULT" and all(a.code.startswith("IGO") for a in actors)


def _ref(m: Mention) -> ActorRef:
    # One naming rule everywhere: the code's own name (USAGOV → "United States government");
    # the person or phrase the report uses stays in ``text``.
    return ActorRef(code=m.code, name=code_name(m.code) or m.name, text=m.text, start=m.start_char,
                    end=m.end_char, via=m.via)


def _location(token, ctx: _Context, tables: CoderTables) -> Location | None:
    """Where the event happened: a place complement ("à Tokyo", "in Seoul") of the trigger."""
    from veille.actors import location_of

    for tok in _prep_objects(token, LOC_PREPS, tables):
        for m in ctx.by_token.get(tok.i, ()):
            if m.kind in ("capital", "country", "entity", "place"):
                loc = location_of(m, tables.lang)
                if loc:
                    return loc
    return None


def _event_id(doc_id: str, sentence: int, char: int, typ: str, actors, recipients) -> str:
    key = "|".join([doc_id, str(sentence), str(char), typ, ",".join(a.code for a in actors),
                    ",".join(r.code for r in recipients)])
    return hashlib.sha256(key.encode()).hexdigest()[:16]
