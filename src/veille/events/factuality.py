"""Factuality of an event: does the text assert it, deny it, place it in the future, make
it hypothetical, or only report someone's claim?

The answer comes from the dependency parse around the trigger and the cue table
``lang/<code>/factuality.tsv`` (columns ``cue``, ``class``, ``how``). ``how`` says where a
cue counts:

- ``neg``: a negation word attached to the trigger's verb group ("pas", "jamais", "not");
  ``neg_with_ne``: counts only next to "ne" ("ne … plus", "ne … rien");
- ``det``: a determiner of one of its arguments ("aucun accord", "no agreement");
- ``morph``: a morphological feature of the verb or its auxiliaries ("Tense=Fut",
  "Mood=Cnd"); ``perfect_morph``: the feature on the tense auxiliary of a participle
  (French "aurait livré", the journalistic conditional: a reported claim);
- ``suffix``: a verb ending for a form the tagger often misreads, counted when the word
  is its lemma's stem plus the ending (French future and conditional: "livreront" is
  tagged present, "signerait" imperfect);
- ``aux``: an auxiliary or modal ("will", "could", "would");
- ``governor``: the lemma of a verb, noun or adjective whose complement holds the trigger
  ("allaient signer", "accusé la Russie de fournir", "sur le point d'inverser"). Class
  ``asserted`` marks verbs of saying and announcing: they end the search without making
  the event reported ("a annoncé que … allaient signer" is future);
- ``mark``: the subordinator of the trigger's clause ("si", "if", "sans"); a conditional
  clause attached to the trigger makes it hypothetical too;
- ``word``: a word among the clause's modifiers ("selon", "d'après", "reportedly");
- ``modifier``: the lemma of a participle or adjective attached to a noun trigger ("un
  attentat revendiqué par X", "an attack claimed by X": a claim of responsibility);
- ``inverted_aux``: an auxiliary placed before the subject of its verb, the English
  condition without "if" ("Had Japan shot down the missile", "Were talks to fail").

Class ``conditional`` (French conditional mood, English "would") means hypothetical,
except in the complement of a verb of saying, where it is the future of the past ("a
annoncé qu'il signerait", "said they would boycott").

The search climbs from the trigger through complement links (xcomp, ccomp, acl …) and
stops at the first verb of saying or reporting. Several classes may be found; the most
marked wins: negated > hypothetical > future > reported > asserted.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType

from spacy.tokens import Token

#: Columns of factuality.tsv.
FACTUALITY_COLUMNS = ("cue", "class", "how")
#: Where a cue may count (see the module docstring).
FACTUALITY_HOWS = frozenset({
    "neg", "neg_with_ne", "det", "morph", "perfect_morph", "suffix", "aux", "governor", "mark",
    "word", "inverted_aux", "modifier",
})
#: Classes a cue may give; "conditional" resolves to hypothetical or future.
CUE_CLASSES = frozenset({"asserted", "future", "hypothetical", "negated", "reported",
                         "conditional"})
#: Which class wins when several are found, first is strongest.
PRECEDENCE = ("negated", "hypothetical", "future", "reported")

#: Links the search climbs from a dependent to its head.
_CLIMB = frozenset({"xcomp", "ccomp", "acl", "acomp", "pcomp", "prep", "csubj"})
#: Links after which only the head's own lemma counts, not its tense or negation.
_CLAUSE_BOUNDARY = frozenset({"ccomp", "csubj"})
#: Dependents that belong to the verb group (their morphology counts).
_AUX = frozenset({"aux", "aux:tense", "aux:pass", "auxpass", "cop"})
#: Links of a participle or adjective to the noun it qualifies (``modifier`` cues).
_NOUN_MODIFIERS = frozenset({"acl", "amod"})
#: How far up the search may climb.
_MAX_HOPS = 5
#: Words of the "ne" particle (French) that license ``neg_with_ne`` cues.
_NE = frozenset({"ne", "n'", "n’"})


@dataclass(frozen=True, slots=True)
class FactualityCues:
    """One language's cues, by how they apply: cue (lower case) → class."""

    by_how: Mapping[str, Mapping[str, str]]

    def get(self, how: str, cue: str) -> str | None:
        return self.by_how.get(how, {}).get(cue)


@lru_cache(maxsize=8)
def load_cues(lang: str) -> FactualityCues:
    """The factuality cues of a language (empty for languages without a table)."""
    path = resources.files("veille").joinpath("lang", lang, "factuality.tsv")
    by_how: dict[str, dict[str, str]] = {}
    if not path.is_file():
        return FactualityCues(MappingProxyType({}))
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            cue = row["cue"].strip()
            if row["how"] not in ("morph", "perfect_morph"):
                cue = cue.lower()
            by_how.setdefault(row["how"].strip(), {})[cue] = row["class"].strip()
    return FactualityCues(MappingProxyType({k: MappingProxyType(v) for k, v in by_how.items()}))


@lru_cache(maxsize=8)
def saying_verbs(lang: str) -> frozenset[str]:
    """Lemmas of verbs of saying and announcing (``governor`` cues of class ``asserted``)."""
    cues = load_cues((lang or "").lower()[:2])
    return frozenset(c for c, cls in cues.by_how.get("governor", {}).items() if cls == "asserted")


def _forms(token: Token) -> tuple[str, ...]:
    """The ways a token may be listed: lower-cased text, lemma, text with fixed parts."""
    fixed = "".join(child.lower_ for child in token.children if child.dep_ == "fixed")
    return (token.lower_, token.lemma_.lower(), token.lower_ + fixed)


def _lookup(cues: FactualityCues, how: str, token: Token) -> str | None:
    for form in _forms(token):
        found = cues.get(how, form)
        if found:
            return found
    return None


def _suffix_class(token: Token, cues: FactualityCues) -> str | None:
    """Class of a verb ending ("-rait") when the word is its lemma's stem plus that ending."""
    if token.pos_ not in ("VERB", "AUX"):
        return None
    form, stem = token.lower_, token.lemma_.lower()[:-1]
    for suffix, klass in cues.by_how.get("suffix", {}).items():
        # signer → signe+rait; finir → fini+rait; prendre → prendr+ait
        if stem and (form == stem + suffix or (stem.endswith("r") and form == stem + suffix[1:])):
            return klass
    return None


def _morph_classes(token: Token, cues: FactualityCues) -> set[str]:
    """Classes the morphology of a verb and of its auxiliaries gives."""
    found: set[str] = set()
    participle = "Part" in token.morph.get("VerbForm")
    group = [token] + [child for child in token.children if child.dep_ in _AUX]
    for member in group:
        features = {f"{key}={value}" for key, value in member.morph.to_dict().items()}
        for feature in features:
            if member is not token and participle and member.dep_ in ("aux:tense", "aux"):
                perfect = cues.get("perfect_morph", feature)
                if perfect:
                    found.add(perfect)
                    continue
            klass = cues.get("morph", feature)
            if klass:
                found.add(klass)
        klass = _suffix_class(member, cues)
        if klass:
            found.add(klass)
        if member is not token:
            klass = _lookup(cues, "aux", member)
            if klass:
                found.add(klass)
    return found


def _local_classes(node: Token, cues: FactualityCues) -> set[str]:
    """Classes given by what hangs on one verb (or noun) of the trigger's verb group."""
    found = _morph_classes(node, cues)
    children = list(node.children)
    has_ne = any(child.lower_ in _NE for child in children)
    noun = node.pos_ in ("NOUN", "PROPN")
    for child in children:
        if noun and child.dep_ in _NOUN_MODIFIERS:  # "un attentat revendiqué par X"
            klass = _lookup(cues, "modifier", child)
            if klass:
                found.add(klass)
        if child.dep_ in _AUX and any(c.dep_.startswith("nsubj") and c.i > child.i for c in children):
            # "Had Japan shot down the missile": an auxiliary before its subject, a condition
            klass = _lookup(cues, "inverted_aux", child)
            if klass:
                found.add(klass)
        if child.dep_ in ("aux", "aux:tense", "aux:pass", "auxpass"):
            continue
        klass = _lookup(cues, "neg", child) if child.pos_ in ("ADV", "PART") else None
        if klass is None and has_ne:
            klass = _lookup(cues, "neg_with_ne", child)
        if klass is not None:
            found.add(klass)
        if child.dep_ == "mark":
            klass = _lookup(cues, "mark", child)
            if klass:
                found.add(klass)
        if child.dep_ == "advcl":  # "si X, Y interviendront": Y depends on a condition
            for grandchild in child.children:
                if grandchild.dep_ == "mark" and _lookup(cues, "mark", grandchild) == "hypothetical":
                    found.add("hypothetical")
        for det in child.children:
            if det.dep_ in ("det", "neg"):
                klass = _lookup(cues, "det", det)
                if klass:
                    found.add(klass)
        klass = _lookup(cues, "det", child) if child.dep_ in ("det", "neg") else None
        if klass:
            found.add(klass)
        for word in [child] + [g for g in child.children if g.dep_ in ("case", "prep", "fixed")]:
            klass = _lookup(cues, "word", word)
            if klass:
                found.add(klass)
    return found


@dataclass(frozen=True, slots=True)
class Cues:
    """What the search found around a trigger: the classes, before precedence applies."""

    classes: frozenset[str]

    @property
    def value(self) -> str:
        for klass in PRECEDENCE:
            if klass in self.classes:
                return klass
        return "asserted"


def find_cues(trigger: Token, lang: str) -> Cues:
    """Every factuality class the parse around ``trigger`` supports (see module doc).

    Kept per document and token in ``doc.user_data``: the rule coder, the learned coder's
    features and the date resolution each ask for the same triggers' cues."""
    code = (lang or "").lower()[:2]
    memo = trigger.doc.user_data.setdefault(_MEMO, {})
    found = memo.get((code, trigger.i))
    if found is None:
        found = memo[(code, trigger.i)] = _search_cues(trigger, load_cues(code))
    return found


#: Where :func:`find_cues` keeps its answers in ``doc.user_data``.
_MEMO = ("veille", "factuality_cues")


def _search_cues(trigger: Token, cues: FactualityCues) -> Cues:
    """The climb of :func:`find_cues`: from the trigger up its verb group and governors."""
    found: set[str] = set()
    in_speech = False
    node = trigger
    for _ in range(_MAX_HOPS):
        found |= _local_classes(node, cues)
        head = node.head
        if head is node or node.dep_ not in _CLIMB:
            break
        governor = _lookup(cues, "governor", head)
        if governor == "asserted":
            in_speech = True
            break
        if governor == "reported":
            found.add("reported")
            break
        if governor:
            found.add(governor)
        if node.dep_ in _CLAUSE_BOUNDARY:
            break
        node = head
    if "conditional" in found:
        found.discard("conditional")
        found.add("future" if in_speech else "hypothetical")
    found.discard("asserted")
    return Cues(frozenset(found))


def factuality(trigger: Token, lang: str) -> str:
    """asserted, future, hypothetical, negated or reported, for the event ``trigger`` states."""
    return find_cues(trigger, lang).value


def looks_future(trigger: Token, lang: str) -> bool:
    """Whether the trigger's event lies ahead of the report (used to resolve weekdays)."""
    classes = find_cues(trigger, lang).classes
    return "future" in classes and "negated" not in classes


__all__ = [
    "CUE_CLASSES", "FACTUALITY_COLUMNS", "FACTUALITY_HOWS", "PRECEDENCE", "Cues",
    "FactualityCues", "factuality", "find_cues", "load_cues", "looks_future", "saying_verbs",
]
