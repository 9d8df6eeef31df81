"""Event filters shared by the event list, exports, network, map and actor endpoints.

Values are validated before they get here (FastAPI query patterns, see ``app.py``) and
then bound as SQL parameters; only fixed fragments chosen from whitelists are ever
spliced into SQL text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from veille.records import FACTUALITIES, PLOVER_TYPES
from veille.web.keyset import SORT_KEYS, order_by

CODE_RE = r"^[A-Z]{3,9}$"
LANG_RE = r"^[a-z]{2,3}$"
DOMAIN_RE = r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$"
TYPES_RE = "^(" + "|".join(PLOVER_TYPES) + ")(,(" + "|".join(PLOVER_TYPES) + "))*$"
FACTUALITY_RE = "^(" + "|".join(FACTUALITIES) + ")(,(" + "|".join(FACTUALITIES) + "))*$"

#: ``sort`` values accepted by /api/events and the ORDER BY each one means (ties by id).
SORTS = {name: order_by(name) for name in SORT_KEYS}
SORT_RE = "^(" + "|".join(re.escape(s) for s in SORTS) + ")$"

#: Host of a document's URL, for stores an older veille wrote (no documents.host column).
HOST_FROM_URL = "regexp_extract(lower(d.url), '^[a-z][a-z0-9+.-]*://(?:[^/?#@]*@)?([^/:?#]+)', 1)"


def code_match(column: str) -> str:
    """SQL fragment: one of the ``|``-joined codes in ``column`` starts with the bound prefix."""
    return f"('|' || coalesce({column}, '')) LIKE ?"


def code_param(code: str) -> str:
    """The LIKE pattern for a validated code prefix (``[A-Z]`` only, so nothing to escape)."""
    return f"%|{code}%"


def dyad_match(a: str, b: str) -> tuple[str, list[object]]:
    """Events between a and b in either direction, or done by both together.

    ``a → b``, ``b → a``, and joint events where both are actors and nobody is the
    recipient ("Washington et Tokyo ont discuté …": the coder lists co-actors).
    """
    a_col, r_col = "e.actor_codes", "e.recipient_codes"
    sql = (
        f"(({code_match(a_col)} AND {code_match(r_col)}) OR ({code_match(a_col)} AND {code_match(r_col)})"
        f" OR ({code_match(a_col)} AND {code_match(a_col)} AND coalesce({r_col}, '') = ''))"
    )
    pa, pb = code_param(a), code_param(b)
    return sql, [pa, pb, pb, pa, pa, pb]


def like_contains(text: str) -> str:
    """An ILIKE pattern matching ``text`` literally anywhere (``%``, ``_`` and ``\\`` escaped)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass(frozen=True, slots=True)
class EventFilters:
    """What subset of events a request asks for (every field optional)."""

    actor: str | None = None
    recipient: str | None = None
    undirected: bool = False  # actor/recipient in either direction
    types: tuple[str, ...] = ()
    quad_class: int | None = None
    factuality: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    lang: str | None = None
    domain: str | None = None
    q: str | None = None
    host_column: bool = True  # documents.host exists (False: a store an older veille wrote)

    @property
    def needs_documents(self) -> bool:
        """Whether the WHERE clause refers to the documents table (alias ``d``)."""
        return bool(self.lang or self.domain)

    def where(self) -> tuple[str, list[object]]:
        """``(sql, params)`` over ``events e`` (and ``documents d`` when needs_documents)."""
        clauses: list[str] = []
        params: list[object] = []
        a_col, r_col = "e.actor_codes", "e.recipient_codes"
        if self.actor and self.recipient and self.undirected:
            sql, dyad_params = dyad_match(self.actor, self.recipient)
            clauses.append(sql)
            params += dyad_params
        elif self.undirected and (self.actor or self.recipient):
            code = self.actor or self.recipient
            clauses.append(f"({code_match(a_col)} OR {code_match(r_col)})")
            params += [code_param(code), code_param(code)]
        else:
            if self.actor:
                clauses.append(code_match(a_col))
                params.append(code_param(self.actor))
            if self.recipient:
                clauses.append(code_match(r_col))
                params.append(code_param(self.recipient))
        if self.types:
            clauses.append("e.type IN (" + ", ".join("?" for _ in self.types) + ")")
            params += list(self.types)
        if self.quad_class is not None:
            clauses.append("e.quad_class = ?")
            params.append(self.quad_class)
        if self.factuality:
            clauses.append("e.factuality IN (" + ", ".join("?" for _ in self.factuality) + ")")
            params += list(self.factuality)
        if self.since:
            clauses.append("e.date >= ?")
            params.append(self.since)
        if self.until:
            clauses.append("e.date <= ?")
            params.append(self.until)
        if self.lang:
            clauses.append("d.lang = ?")
            params.append(self.lang)
        if self.domain:
            if self.host_column:
                clauses.append("(d.host = ? OR ends_with(d.host, ?))")
                params += [self.domain, "." + self.domain]
            else:  # cheap LIKE first: the regex then runs only on URLs that contain the domain
                clauses.append(
                    f"(lower(d.url) LIKE ? AND ({HOST_FROM_URL} = ? OR ends_with({HOST_FROM_URL}, ?)))"
                )
                params += [f"%{self.domain}%", self.domain, "." + self.domain]
        if self.q:
            clauses.append("e.evidence ILIKE ? ESCAPE '\\'")
            params.append(like_contains(self.q))
        return " AND ".join(clauses), params

    def from_clause(self) -> str:
        """``FROM events e`` joined to documents only when a filter needs it."""
        return (
            "FROM events e JOIN documents d ON d.id = e.doc_id"
            if self.needs_documents
            else "FROM events e"
        )

    def selected_ids_sql(self) -> tuple[str, list[object]]:
        """``SELECT e.id …`` for the matching events (a sub-query for aggregate endpoints)."""
        where, params = self.where()
        return f"SELECT e.id {self.from_clause()}" + (f" WHERE {where}" if where else ""), params


def split_list(value: str | None) -> tuple[str, ...]:
    """``"AGREE,CONSULT"`` → ``("AGREE", "CONSULT")`` (already validated by pattern)."""
    return tuple(v for v in (value or "").split(",") if v)
