"""Loading the coder's language tables: triggers, dependency roles, control verbs, PLOVER base."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from veille.errors import TableError


def read_tsv(*parts: str) -> list[dict[str, str]]:
    """Rows of a shipped TSV table (header row required); [] when the table does not exist."""
    path = files("veille.lang")
    for part in parts:
        path = path.joinpath(part)
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        rows = []
        for number, row in enumerate(reader, 2):
            if None in row:
                raise TableError(f"lang/{'/'.join(parts)} line {number}: too many columns; fix the table")
            rows.append({k: (v or "").strip() for k, v in row.items()})
        return rows


@dataclass(frozen=True, slots=True)
class Trigger:
    lemma: str
    pos: str
    objects: tuple[str, ...]
    reflexive: str  # yes | no | any
    type: str
    mode: str
    context: str
    cameo: str
    goldstein: float
    recipient: tuple[str, ...]
    actor: tuple[str, ...]
    no_recipient: bool = False  # the row says "-": events of this trigger have no target
    intransitive: bool = False  # the object column says "-": the verb counts without a direct object only

    @property
    def specificity(self) -> int:
        return (2 if self.objects else 0) + (1 if self.reflexive != "any" else 0)


@dataclass(frozen=True, slots=True)
class PloverType:
    type: str
    quad_class: int
    cameo_root: str
    goldstein: float
    needs_recipient: bool = False  # events of this type nearly always have a target
    default_recipient: str = ""  # sector of the actor's own country targeted when none is named
    default_actor: str = ""  # sector of the target's own country acting when a passive names no agent
    unnamed_actor: str = ""  # sector of the actor when the report states the event without naming one


@dataclass(frozen=True)
class CoderTables:
    lang: str
    triggers: dict[str, tuple[Trigger, ...]]  # by lemma (lower-cased)
    deps: dict[str, frozenset[str]]
    control: dict[str, str]
    light_verbs: frozenset[str]
    receiving_verbs: frozenset[str]  # their subject receives the noun event ("jouit du soutien de")
    response_verbs: frozenset[str]  # their object is someone else's act ("a rejeté l'appel", "condemned the attack")
    #: Claims of responsibility: verb lemma → (whether the event noun can be its object, nouns
    #: between it and the event): "a revendiqué (la responsabilité de) l'attentat".
    claim_verbs: dict[str, tuple[bool, frozenset[str]]]
    plover: dict[str, PloverType]
    drop_without_recipient: bool = True  # an event whose type needs a target but has none is dropped


def _split(value: str, sep: str = "|") -> tuple[str, ...]:
    return tuple(v.strip().lower() for v in value.split(sep) if v.strip() and v.strip() != "-")


@lru_cache(maxsize=8)
def load_coder_tables(lang: str) -> CoderTables:
    triggers: dict[str, list[Trigger]] = {}
    for row in read_tsv(lang, "triggers.tsv"):
        try:
            trig = Trigger(
                lemma=row["lemma"].lower(),
                pos=row["pos"].upper(),
                objects=_split(row.get("object", "")),
                reflexive=(row.get("reflexive") or "any").lower(),
                type=row["type"].upper(),
                mode=row.get("mode", ""),
                context=row.get("context", ""),
                cameo=row.get("cameo", ""),
                goldstein=float(row.get("goldstein") or 0.0),
                recipient=_split(row.get("recipient", ""), ","),
                actor=_split(row.get("actor", "") or "subj", ","),
                no_recipient=row.get("recipient", "").strip() == "-",
                intransitive=row.get("object", "").strip() == "-",
            )
        except (KeyError, ValueError) as exc:
            raise TableError(f"lang/{lang}/triggers.tsv: bad row {row}: {exc}") from exc
        triggers.setdefault(trig.lemma, []).append(trig)
    deps = {r["role"]: frozenset(_split(r["labels"], ",")) for r in read_tsv(lang, "deps.tsv")}
    control = {r["lemma"].lower(): r["controller"] for r in read_tsv(lang, "control.tsv")}
    light_verbs = frozenset(r["lemma"].lower() for r in read_tsv(lang, "light_verbs.tsv"))
    receiving_verbs = frozenset(r["lemma"].lower() for r in read_tsv(lang, "receiving_verbs.tsv"))
    response_verbs = frozenset(r["lemma"].lower() for r in read_tsv(lang, "response_verbs.tsv"))
    claim_verbs = {r["lemma"].lower(): ((r.get("direct") or "no").lower() == "yes", frozenset(_split(r.get("bridge", ""))))
                   for r in read_tsv(lang, "claim_verbs.tsv")}
    plover = {
        r["type"]: PloverType(r["type"], int(r["quad_class"]), r["cameo_root"], float(r["goldstein"]),
                              (r.get("needs_recipient") or "no").lower() == "yes",
                              (r.get("default_recipient") or "").upper(),
                              (r.get("default_actor") or "").upper(),
                              (r.get("unnamed_actor") or "").upper())
        for r in read_tsv("_base", "plover.tsv")
    }
    return CoderTables(
        lang=lang,
        triggers={k: tuple(sorted(v, key=lambda t: -t.specificity)) for k, v in triggers.items()},
        deps=deps,
        control=control,
        light_verbs=light_verbs,
        receiving_verbs=receiving_verbs,
        response_verbs=response_verbs,
        claim_verbs=claim_verbs,
        plover=plover,
    )
