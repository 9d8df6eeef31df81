"""Schema of every actor table: columns, required cells, well-formed codes, unique keys."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re

import pytest

from veille.actors.normalise import key
from veille.actors.tables import CASES, LANG_ROOT, NAMED_KINDS, load_tables, read_tsv

BASE = LANG_ROOT / "_base"
LANGS = ("fr", "en")
SECTORS = {r["sector"] for r in read_tsv(BASE / "sectors.tsv")}
ISO3 = {r["code"] for r in read_tsv(BASE / "countries.tsv")}
IGOS = {r["code"] for r in read_tsv(BASE / "igos.tsv")}


def well_formed(code: str) -> bool:
    """ISO3, ISO3+sector, an IGO code, or an IGO code + sector."""
    if code in ISO3 or code in IGOS:
        return True
    return (code[:3] in ISO3 and code[3:] in SECTORS) or any(
        code == igo + sector for igo in IGOS for sector in SECTORS
    )


# (path, columns, required columns, key columns, code column)
TABLES = [
    (
        BASE / "countries.tsv",
        ["code", "iso2", "name", "name_fr", "lat", "lon", "coord_source"],
        ["code", "iso2", "name"],
        ["code"],
        "code",
    ),
    (
        BASE / "country_overlay.tsv",
        ["code", "name", "lat", "lon", "note"],
        ["code", "lat", "lon"],
        ["code"],
        "code",
    ),
    (
        BASE / "capitals.tsv",
        ["name", "country", "lat", "lon", "note"],
        ["name", "country", "lat", "lon"],
        ["name"],
        "country",
    ),
    (BASE / "igos.tsv", ["code", "name", "lat", "lon", "note"], ["code", "name"], ["code"], None),
    (BASE / "sectors.tsv", ["sector", "label", "note"], ["sector", "label"], ["sector"], None),
    (
        BASE / "people.tsv",
        ["name", "code", "start", "end", "surname", "note"],
        ["name", "code"],
        ["name", "code", "start"],
        "code",
    ),
]
for lang in LANGS:
    here = LANG_ROOT / lang
    TABLES += [
        (
            here / "countries.tsv",
            ["surface", "code", "kind", "name", "case", "source"],
            ["surface", "code", "kind", "name", "source"],
            ["surface"],
            "code",
        ),
        (
            here / "country_overlay.tsv",
            ["code", "kind", "surface", "variant", "case"],
            ["code", "kind", "surface"],
            ["code", "kind", "surface"],
            "code",
        ),
        (
            here / "aliases.tsv",
            ["surface", "code", "kind", "name", "start", "end", "case"],
            ["surface", "code", "kind", "name"],
            ["surface", "start"],
            "code",
        ),
        (
            here / "people.tsv",
            ["surface", "name", "surname"],
            ["surface", "name"],
            ["surface", "name"],
            None,
        ),
        (
            here / "titles.tsv",
            ["surface", "sector", "note"],
            ["surface", "sector"],
            ["surface"],
            None,
        ),
        (
            here / "agents.tsv",
            ["surface", "sector", "note"],
            ["surface", "sector"],
            ["surface"],
            None,
        ),
        (here / "entity_junk.tsv", ["surface", "note"], ["surface"], ["surface"], None),
    ]
for lang in ("fr", "en"):
    TABLES.append((LANG_ROOT / lang / "place_nouns.tsv", ["word", "note"], ["word"], ["word"], None))


@pytest.mark.parametrize(
    ("path", "columns", "required", "keys", "code_col"),
    TABLES,
    ids=[f"{t[0].parent.name}/{t[0].name}" for t in TABLES],
)
def test_tables_schema(path, columns, required, keys, code_col):
    header = path.read_text(encoding="utf-8").splitlines()[0].split("\t")
    assert header == columns
    rows = read_tsv(path)
    assert rows, f"{path} is empty"
    seen = set()
    for n, row in enumerate(rows, start=2):
        for col in required:
            assert row[col], f"{path.name}:{n}: empty {col}"
        if code_col:
            assert well_formed(row[code_col]), f"{path.name}:{n}: bad code {row[code_col]!r}"
        for col in ("start", "end"):
            if row.get(col):
                dt.date.fromisoformat(row[col])
        if row.get("start") and row.get("end"):
            assert row["start"] <= row["end"], f"{path.name}:{n}"
        for col in ("lat", "lon"):
            if row.get(col):
                assert -180 <= float(row[col]) <= 180
        if "case" in row:
            assert row["case"] in CASES
        if "sector" in row and "label" not in row:
            assert row["sector"] in SECTORS
        if "kind" in row and path.name == "aliases.tsv":
            assert row["kind"] in NAMED_KINDS
        k = tuple(key(row[c]) if c in ("surface", "name") else row[c] for c in keys)
        assert k not in seen, f"{path.name}:{n}: duplicate key {k}"
        seen.add(k)


@pytest.mark.parametrize("lang", LANGS)
def test_tables_references_resolve(lang):
    capitals = {r["name"] for r in read_tsv(BASE / "capitals.tsv")}
    for row in read_tsv(LANG_ROOT / lang / "aliases.tsv"):
        if row["kind"] == "capital":
            assert row["name"] in capitals, row
    people = {r["name"] for r in read_tsv(BASE / "people.tsv")}
    for row in read_tsv(LANG_ROOT / lang / "people.tsv"):
        assert row["name"] in people, row


def test_tables_cover_un_members_and_demonyms():
    base = read_tsv(BASE / "countries.tsv")
    assert len(base) >= 193
    assert sum(1 for r in base if r["lat"]) >= 240
    for lang in LANGS:
        rows = read_tsv(LANG_ROOT / lang / "countries.tsv")
        demonym_countries = {r["code"] for r in rows if r["kind"] == "demonym"}
        assert len(demonym_countries) >= 80
        assert len({r["code"] for r in rows if r["kind"] == "country"}) >= 240


def test_tables_generated_files_are_up_to_date():
    """The committed country tables are what scripts/build_country_tables.py makes."""
    script = LANG_ROOT.parents[2] / "scripts" / "build_country_tables.py"
    spec = importlib.util.spec_from_file_location("build_country_tables", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    base = module.build_base()
    assert base == read_tsv(BASE / "countries.tsv")
    for lang in LANGS:
        assert module.build_lang(lang, base) == read_tsv(LANG_ROOT / lang / "countries.tsv")


@pytest.mark.parametrize("lang", LANGS)
def test_tables_load_and_cache(lang):
    assert load_tables(lang) is load_tables(lang)
    assert re.fullmatch(r"[a-z]{2}", load_tables(lang).lang)
