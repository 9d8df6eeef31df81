"""The output contract: one PLOVER-style JSON record per event.

Other tools read these records (``veille extract``, ``veille export --format jsonl``,
the REST API); the field names and shapes are stable:
id, doc_id, date, date_precision, event (list of one type), mode, context, actor and
recipient (lists of {code, name, text}), factuality, confidence, cameo_root,
quad_class, goldstein, location, text_info {sentence, start, end, text, trigger},
cite_info {url, title, language, published}.
"""

from __future__ import annotations

from typing import Any

from veille.records import ActorRef, Document, Event


def actor_dict(actor: ActorRef) -> dict[str, Any]:
    return {"code": actor.code, "name": actor.name, "text": actor.text, "via": actor.via}


def event_dict(event: Event, document: Document) -> dict[str, Any]:
    loc = event.location
    return {
        "id": event.id,
        "doc_id": document.ext_id or document.id,
        "date": event.date.isoformat() if event.date else None,
        "date_precision": event.date_precision,
        "event": [event.type],
        "mode": event.mode,
        "context": event.context,
        "actor": [actor_dict(a) for a in event.actors],
        "recipient": [actor_dict(a) for a in event.recipients],
        "factuality": event.factuality,
        "confidence": round(event.confidence, 3),
        "cameo_root": event.cameo_root,
        "quad_class": event.quad_class,
        "goldstein": event.goldstein,
        "location": (
            {"name": loc.name, "country": loc.country, "lat": loc.lat, "lon": loc.lon} if loc else None
        ),
        "text_info": {
            "sentence": event.sentence,
            "start": event.start,
            "end": event.end,
            "text": event.evidence,
            "trigger": event.trigger,
        },
        "cite_info": {
            "url": document.url,
            "title": document.title,
            "language": document.lang,
            "published": document.published_iso(),
            "date_precision": document.date_precision,
        },
    }


def document_dict(document: Document) -> dict[str, Any]:
    """The ``veille clean`` record."""
    return {
        "id": document.id,
        "ext_id": document.ext_id,
        "text": document.text,
        "title": document.title,
        "date": document.published_iso(),
        "date_precision": document.date_precision,
        "date_source": document.date_source,
        "lang": document.lang,
        "lang_supported": document.lang_supported,
        "url": document.url,
        "source": document.source,
        "words": document.words,
    }
