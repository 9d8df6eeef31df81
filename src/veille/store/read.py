"""Queries over the store that several front ends share (CLI, API, export)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

import duckdb

#: Events with their actors and citation, shaped as the output contract (see veille.output).
EVENT_CONTRACT_SQL = """
SELECT e.id, coalesce(d.ext_id, d.id) AS doc_id, e.date, e.date_precision, e.type, e.mode, e.context,
       e.factuality, e.confidence, e.cameo_root, e.quad_class, e.goldstein,
       e.location_name, e.location_country, e.lat, e.lon,
       e.sentence, e.start_char, e.end_char, e.evidence, e.trigger,
       d.url, d.title, d.lang, d.published, d.date_precision AS pub_precision,
       (SELECT list({'code': a.code, 'name': a.name, 'text': a.text, 'via': coalesce(a.via, '')} ORDER BY a.position)
          FROM event_actors a WHERE a.event_id = e.id AND a.role = 'actor') AS actors,
       (SELECT list({'code': a.code, 'name': a.name, 'text': a.text, 'via': coalesce(a.via, '')} ORDER BY a.position)
          FROM event_actors a WHERE a.event_id = e.id AND a.role = 'recipient') AS recipients
FROM events e JOIN documents d ON d.id = e.doc_id
"""


def contract_record(row: Sequence[Any]) -> dict[str, Any]:
    (eid, doc_id, date, date_prec, typ, mode, context, fact, conf, cameo, quad, gold,
     lname, lcountry, lat, lon, sent, start, end, evidence, trigger,
     url, title, lang, published, pub_prec, actors, recipients) = row
    return {
        "id": eid,
        "doc_id": doc_id,
        "date": date.isoformat() if date else None,
        "date_precision": date_prec,
        "event": [typ],
        "mode": mode,
        "context": context,
        "actor": list(actors or []),
        "recipient": list(recipients or []),
        "factuality": fact,
        "confidence": round(conf, 3) if conf is not None else None,
        "cameo_root": cameo,
        "quad_class": quad,
        "goldstein": gold,
        "location": {"name": lname, "country": lcountry, "lat": lat, "lon": lon} if lname else None,
        "text_info": {"sentence": sent, "start": start, "end": end, "text": evidence, "trigger": trigger},
        "cite_info": {
            "url": url,
            "title": title,
            "language": lang,
            "published": published.isoformat() if published else None,
            "date_precision": pub_prec,
        },
    }


def iter_event_records(
    con: duckdb.DuckDBPyConnection, where: str = "", params: Sequence[Any] = (), order: str = "e.date, e.id",
    limit: int | None = None, offset: int = 0, chunk: int = 5000,
) -> Iterator[dict[str, Any]]:
    """Stream contract records. ``where`` is built by callers from fixed fragments with ? params."""
    sql = EVENT_CONTRACT_SQL + (f" WHERE {where}" if where else "") + f" ORDER BY {order}"
    if limit is not None:
        sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    cur = con.execute(sql, list(params))
    while True:
        rows = cur.fetchmany(chunk)
        if not rows:
            return
        for row in rows:
            yield contract_record(row)


def dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, default=str)
