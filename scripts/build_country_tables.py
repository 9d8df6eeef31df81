#!/usr/bin/env python3
"""Regenerate the country tables from pycountry, babel and the curated overlays.

Outputs (all TSV with a header row, under ``src/veille/lang/``):

* ``_base/countries.tsv`` — one row per ISO 3166-1 country: alpha-3 code, alpha-2,
  English display name, French name, centroid lat/lon and where each came from.
* ``<lang>/countries.tsv`` — surface forms (names, demonyms in every gender and
  number, compound prefixes such as "sino-") with their code and the source of each
  row, so an analyst can see which entries are generated and which are curated.

Inputs:

* pycountry's ISO 3166-1 records and its gettext translations (official names),
* babel's CLDR territory names (the short names newspapers use: "Corée du Nord"),
* ``_base/country_overlay.tsv`` (display names, centroids) and
  ``<lang>/country_overlay.tsv`` (extra names, demonyms, prefixes) — edit these,
  then run ``python scripts/build_country_tables.py``.
* ``/usr/share/zoneinfo/zone.tab`` only as a fallback position for territories the
  overlay gives no centroid for (marked ``coord_source=zone.tab``).
"""

from __future__ import annotations

import csv
import gettext
import sys
from collections.abc import Iterator
from pathlib import Path

import pycountry
from babel import Locale

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from veille.actors.normalise import key

LANG_DIR = ROOT / "src" / "veille" / "lang"
LANGS = ("fr", "en")
ZONE_TAB = Path("/usr/share/zoneinfo/zone.tab")


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def write_tsv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows):4d} rows to {path.relative_to(ROOT)}")


def zone_positions() -> dict[str, tuple[float, float]]:
    """Mean position of each country's time-zone cities (alpha-2 → lat, lon)."""
    if not ZONE_TAB.exists():
        return {}
    sums: dict[str, list[float]] = {}
    for line in ZONE_TAB.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        cc, coords = line.split("\t")[:2]
        split = max(coords.rfind("+"), coords.rfind("-"))
        lat, lon = _dms(coords[:split]), _dms(coords[split:])
        entry = sums.setdefault(cc, [0.0, 0.0, 0.0])
        entry[0] += lat
        entry[1] += lon
        entry[2] += 1
    return {cc: (round(v[0] / v[2], 2), round(v[1] / v[2], 2)) for cc, v in sums.items()}


def _dms(text: str) -> float:
    """'+3540' or '+1394545' style ISO 6709 coordinate to decimal degrees."""
    sign = -1.0 if text[0] == "-" else 1.0
    digits = text[1:]
    deg_len = 2 if len(digits) in (4, 6) else 3
    deg = int(digits[:deg_len])
    minutes = int(digits[deg_len : deg_len + 2])
    seconds = int(digits[deg_len + 2 :] or 0)
    return sign * (deg + minutes / 60 + seconds / 3600)


def usable_name(name: str) -> bool:
    """Names written the way running text writes them (no 'Korea, Republic of')."""
    return bool(name) and not any(mark in name for mark in (",", "(", " - ", " SAR"))


def build_base() -> list[dict[str, str]]:
    overlay = {row["code"]: row for row in read_tsv(LANG_DIR / "_base" / "country_overlay.tsv")}
    en_names = Locale("en").territories
    fr_names = Locale("fr").territories
    zones = zone_positions()
    rows = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        over = overlay.get(country.alpha_3, {})
        babel_en = en_names.get(country.alpha_2, "")
        name = over.get("name") or (babel_en if usable_name(babel_en) else "")
        name = name or getattr(country, "common_name", "") or country.name
        if over.get("lat"):
            lat, lon, coord_source = over["lat"], over["lon"], "overlay"
        elif country.alpha_2 in zones:
            lat, lon = (str(v) for v in zones[country.alpha_2])
            coord_source = "zone.tab"
        else:
            lat, lon, coord_source = "", "", ""
        rows.append(
            {
                "code": country.alpha_3,
                "iso2": country.alpha_2,
                "name": name,
                "name_fr": fr_names.get(country.alpha_2, ""),
                "lat": lat,
                "lon": lon,
                "coord_source": coord_source,
            }
        )
    return rows


def french_forms(masc: str, fem: str) -> list[str]:
    """Masculine/feminine, singular/plural forms of a French demonym."""
    if not fem:
        if masc.endswith("e"):
            fem = masc
        elif masc.endswith("en"):
            fem = masc + "ne"
        else:
            fem = masc + "e"
    forms = [masc, fem]
    for form in (masc, fem):
        forms.append(form if form.endswith(("s", "x")) else form + "s")
    return list(dict.fromkeys(forms))


def english_forms(singular: str, plural: str) -> list[str]:
    return [singular] + ([plural] if plural else [])


def generated_names(lang: str, country: pycountry.db.Country) -> Iterator[tuple[str, str]]:
    """(surface, source) names for a country from babel and pycountry."""
    babel_name = Locale(lang).territories.get(country.alpha_2, "")
    if usable_name(babel_name):
        yield babel_name, "babel"
    translate = (
        gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang]).gettext
        if lang != "en"
        else (lambda s: s)
    )
    for attr in ("common_name", "name", "official_name"):
        value = getattr(country, attr, None)
        if value and usable_name(translate(value)):
            yield translate(value), f"pycountry.{attr}"


def build_lang(lang: str, base: list[dict[str, str]]) -> list[dict[str, str]]:
    display = {row["code"]: row["name"] for row in base}
    rows: list[dict[str, str]] = []
    overlay = read_tsv(LANG_DIR / lang / "country_overlay.tsv")
    # "drop" rows name generated surfaces that are mostly something else in running
    # text (French "Maurice" is a first name far more often than Mauritius).
    seen: set[str] = {key(row["surface"]) for row in overlay if row["kind"] == "drop"}

    def add(surface: str, code: str, kind: str, case: str, source: str) -> None:
        k = key(surface)
        if not k or k in seen:
            return
        seen.add(k)
        rows.append(
            {
                "surface": surface,
                "code": code,
                "kind": kind,
                "name": display.get(code, code),
                "case": case,
                "source": source,
            }
        )

    # Curated entries first: they win over generated ones with the same key.
    for row in overlay:
        if row["kind"] == "name":
            add(row["surface"], row["code"], "country", row["case"], "overlay")
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        for surface, source in generated_names(lang, country):
            add(surface, country.alpha_3, "country", "title", source)
    for row in overlay:
        if row["kind"] == "demonym":
            forms = (
                french_forms(row["surface"], row["variant"])
                if lang == "fr"
                else english_forms(row["surface"], row["variant"])
            )
            for form in forms:
                add(form, row["code"], "demonym", row["case"], "overlay")
        elif row["kind"] == "prefix":
            add(row["surface"], row["code"], "prefix", row["case"], "overlay")
    return rows


def main() -> None:
    base = build_base()
    write_tsv(
        LANG_DIR / "_base" / "countries.tsv",
        ["code", "iso2", "name", "name_fr", "lat", "lon", "coord_source"],
        base,
    )
    for lang in LANGS:
        write_tsv(
            LANG_DIR / lang / "countries.tsv",
            ["surface", "code", "kind", "name", "case", "source"],
            build_lang(lang, base),
        )


if __name__ == "__main__":
    main()
