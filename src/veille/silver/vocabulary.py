"""The codebook's closed vocabularies: event types, modes, sectors, factuality values and
the shape of an actor code (``docs/codebook.md`` is the reference)."""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

#: The 16 PLOVER types, in the codebook's order.
TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
         "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")

#: Allowed modes per type ("" is always allowed).
MODES: dict[str, frozenset[str]] = {
    "AGREE": frozenset(),
    "CONSULT": frozenset({"visit", "host", "phone", "multilateral"}),
    "SUPPORT": frozenset(),
    "CONCEDE": frozenset(),
    "COOPERATE": frozenset({"economic", "military", "judicial", "intelligence"}),
    "AID": frozenset({"economic", "military", "humanitarian", "asylum"}),
    "RETREAT": frozenset({"release", "return", "withdraw", "ceasefire", "disarm", "access", "resign"}),
    "REQUEST": frozenset(),
    "ACCUSE": frozenset({"disapprove", "allege", "investigate"}),
    "REJECT": frozenset(),
    "THREATEN": frozenset({"violence", "relations"}),
    "PROTEST": frozenset({"demo", "riot", "strike-gen", "strike-hun", "boycott", "obstruct"}),
    "SANCTION": frozenset({"cancel", "convict", "expel", "sever", "withdraw"}),
    "MOBILIZE": frozenset({"troops", "weapons"}),
    "COERCE": frozenset({"arrest", "detain", "ban", "censor", "confiscate", "curfew", "deport",
                         "destroy", "martial-law", "restrict"}),
    "ASSAULT": frozenset({"assassinate", "beat", "execute", "explosives", "firearms", "heavy-weapons",
                          "primitive", "sexual", "suicide-attack", "torture", "abduct"}),
}

FACTUALITY = ("asserted", "future", "hypothetical", "negated", "reported")

#: CAMEO-style sector blocks the codebook defines.
SECTORS = frozenset({"GOV", "MIL", "COP", "SPY", "JUD", "LEG", "OPP", "PTY", "ELI", "REB", "RAD",
                     "CRM", "CVL", "MED", "BUS", "EDU", "HLH", "LAB", "REF", "REL", "AGR", "ENV",
                     "NGO"})

#: Organisation prefixes: the rest of the code is a 2–6 letter abbreviation.
ORG_PREFIXES = ("IGO", "NGO", "IMG", "MNC")

#: Codes CAMEO uses beside ISO 3166-1 alpha-3: Kosovo, and states that no longer exist
#: (Soviet Union, Yugoslavia, Czechoslovakia, East Germany) for historical events.
EXTRA_COUNTRIES = frozenset({"XKX", "KSV", "USR", "YUG", "CSK", "DDR"})

_ORG = re.compile(r"^(IGO|NGO|IMG|MNC)[A-Z0-9]{2,6}$")


@lru_cache(maxsize=1)
def countries() -> frozenset[str]:
    """ISO 3166-1 alpha-3 codes from the package's country table."""
    path = Path(__file__).resolve().parent.parent / "lang" / "_base" / "countries.tsv"
    with path.open(encoding="utf-8", newline="") as fh:
        codes = {row["code"] for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)}
    return frozenset(codes) | EXTRA_COUNTRIES


def code_problem(code: object) -> str | None:
    """Why ``code`` is not a valid actor code, or None when it is.

    Valid: an ISO alpha-3 country (or ``---`` when the country is unknown) followed by at
    most two sector blocks, or an organisation code (``IGOUNO``, ``IMGISI``…).
    """
    if not isinstance(code, str) or not code:
        return f"actor code {code!r} is not a non-empty string"
    if code != code.upper() or " " in code:
        return f"actor code {code!r} must be upper case without spaces"
    if _ORG.match(code):
        return None
    if code.startswith(ORG_PREFIXES):
        return f"organisation code {code!r}: prefix plus 2-6 letters or digits (e.g. IGOUNO)"
    country, rest = code[:3], code[3:]
    if country != "---" and country not in countries():
        return f"actor code {code!r}: {country!r} is not an ISO 3166-1 alpha-3 country code"
    if len(rest) % 3 or len(rest) > 6:
        return f"actor code {code!r}: after the country come at most two 3-letter sector blocks"
    blocks = [rest[i:i + 3] for i in range(0, len(rest), 3)]
    bad = [b for b in blocks if b not in SECTORS]
    if bad:
        return f"actor code {code!r}: unknown sector {bad[0]!r} (codebook sectors: {', '.join(sorted(SECTORS))})"
    if country == "---" and not blocks:
        return "actor code '---' needs a sector (e.g. ---CRM)"
    return None
