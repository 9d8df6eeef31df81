"""A small store built from records (no NLP): the fixture data of the web tests.

Texts are short real-style reports; every span is computed with ``str.find`` so the
offsets are right by construction.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from veille.records import ActorRef, Document, Event, Location
from veille.store import Store

SPUTNIK = (
    "Les Etats-Unis et le Japon ont exprimé vendredi leurs préoccupations à l'égard de la Chine. "
    "Washington et Tokyo ont discuté de moyens de renforcer leur alliance sécuritaire. "
    "Antony Blinken a annoncé que les Etats-Unis et le Japon allaient signer un accord de recherche. "
    "Pékin a rejeté les critiques de Washington."
)
EURONEWS = (
    "Antony Blinken a rencontré à Tokyo le Premier ministre Shigeru Ishiba. "
    "Les Etats-Unis vont vendre des missiles de moyenne portée au Japon. "
    "La Corée du Nord a lancé un missile balistique."
)
ENGLISH = (
    "Japan and the United States agreed on Friday to deepen their defence cooperation. "
    "China accused Washington of interfering in its internal affairs, "
    "<script>window.__xss=1</script> said the ministry."
)

COUNTRY = {
    "USA": ("Washington", 38.9, -77.0),
    "JPN": ("Tokyo", 35.7, 139.7),
    "CHN": ("Beijing", 39.9, 116.4),
    "PRK": ("Pyongyang", 39.0, 125.8),
}
QUAD = {
    "CONSULT": (1, 1.0, "04"),
    "AGREE": (1, 3.0, "03"),
    "COOPERATE": (2, 6.0, "06"),
    "AID": (2, 7.0, "07"),
    "REJECT": (3, -4.0, "12"),
    "ACCUSE": (3, -2.0, "11"),
    "ASSAULT": (4, -9.0, "18"),
    "MOBILIZE": (4, -7.0, "15"),
}


def _doc(doc_id: str, text: str, lang: str, day: date, url: str, title: str) -> Document:
    return Document(
        id=doc_id,
        text=text,
        lang=lang,
        lang_supported=True,
        published=day,
        date_precision="day",
        title=title,
        url=url,
        source=f"/corpus/{doc_id}.txt",
        date_source="header",
    )


def _actor(text: str, doc: Document, sentence_start: int, code: str, name: str) -> ActorRef:
    start = doc.text.find(text, sentence_start)
    assert start >= 0, text
    return ActorRef(code=code, name=name, text=text, start=start, end=start + len(text))


def _event(
    eid: str,
    doc: Document,
    sentence: str,
    index: int,
    typ: str,
    trigger: str,
    actors: list[tuple[str, str, str]],
    recipients: list[tuple[str, str, str]],
    day: date | None,
    factuality: str = "asserted",
    where: str | None = None,
) -> Event:
    start = doc.text.find(sentence)
    assert start >= 0, sentence
    quad, gold, cameo = QUAD[typ]
    loc = None
    if where:
        name, lat, lon = COUNTRY[where]
        loc = Location(name=name, country=where, lat=lat, lon=lon)
    return Event(
        id=eid,
        doc_id=doc.id,
        type=typ,
        mode="",
        context="",
        date=day,
        date_precision="day",
        actors=tuple(_actor(t, doc, start, c, n) for t, c, n in actors),
        recipients=tuple(_actor(t, doc, start, c, n) for t, c, n in recipients),
        factuality=factuality,
        confidence=0.8,
        cameo_root=cameo,
        quad_class=quad,
        goldstein=gold,
        sentence=index,
        start=start,
        end=start + len(sentence),
        evidence=sentence,
        trigger=trigger,
        location=loc,
    )


def sample_records() -> tuple[list[Document], list[Event]]:
    d1 = _doc(
        "doc1sputnik00001",
        SPUTNIK,
        "fr",
        date(2022, 1, 7),
        "https://fr.sputniknews.com/20220107/usa-japon.html",
        "USA et Japon alertent sur la Chine",
    )
    d2 = _doc(
        "doc2euronews0002",
        EURONEWS,
        "fr",
        date(2025, 1, 7),
        "https://www.euronews.com/2025/01/07/blinken-tokyo",
        "Blinken à Tokyo",
    )
    d3 = _doc(
        "doc3english00003",
        ENGLISH,
        "en",
        date(2022, 1, 7),
        "https://apnews.com/article/japan-us",
        "Japan and US deepen defence ties",
    )
    s = SPUTNIK.split(". ")
    e = EURONEWS.split(". ")
    g = ENGLISH.split(". ")
    usa_fr, jpn_fr = ("Etats-Unis", "USAGOV", "United States"), ("Japon", "JPNGOV", "Japan")
    events = [
        _event(
            "ev01",
            d1,
            s[0] + ".",
            0,
            "ACCUSE",
            "exprimé",
            [usa_fr, jpn_fr],
            [("Chine", "CHN", "China")],
            date(2022, 1, 7),
            where="USA",
        ),
        _event(
            "ev02",
            d1,
            s[1] + ".",
            1,
            "CONSULT",
            "discuté",
            [("Washington", "USAGOV", "United States")],
            [("Tokyo", "JPNGOV", "Japan")],
            date(2022, 1, 7),
            where="USA",
        ),
        _event(
            "ev03",
            d1,
            s[2] + ".",
            2,
            "AGREE",
            "signer",
            [("Antony Blinken", "USAGOV", "Antony Blinken")],
            [("Japon", "JPNGOV", "Japan")],
            date(2022, 1, 7),
            factuality="future",
            where="USA",
        ),
        _event(
            "ev04",
            d1,
            s[3],
            3,
            "REJECT",
            "rejeté",
            [("Pékin", "CHNGOV", "China")],
            [("Washington", "USAGOV", "United States")],
            date(2022, 1, 7),
            where="CHN",
        ),
        _event(
            "ev05",
            d2,
            e[0] + ".",
            0,
            "CONSULT",
            "rencontré",
            [("Antony Blinken", "USAGOV", "Antony Blinken")],
            [("Shigeru Ishiba", "JPNGOV", "Shigeru Ishiba")],
            date(2025, 1, 6),
            where="JPN",
        ),
        _event(
            "ev06",
            d2,
            e[1] + ".",
            1,
            "AID",
            "vendre",
            [("Etats-Unis", "USA", "United States")],
            [("Japon", "JPN", "Japan")],
            date(2025, 1, 7),
            where="JPN",
        ),
        _event(
            "ev07",
            d2,
            e[2],
            2,
            "MOBILIZE",
            "lancé",
            [("Corée du Nord", "PRK", "North Korea")],
            [],
            date(2025, 1, 7),
            where="PRK",
        ),
        # the same Tokyo consultation of 7 January 2022, reported in English: a merged mention of ev02
        _event(
            "ev08",
            d3,
            g[0] + ".",
            0,
            "CONSULT",
            "agreed",
            [("Japan", "JPN", "Japan")],
            [("United States", "USA", "United States")],
            date(2022, 1, 7),
            where="JPN",
        ),
        _event(
            "ev09",
            d3,
            g[1],
            1,
            "ACCUSE",
            "accused",
            [("China", "CHN", "China")],
            [("Washington", "USAGOV", "United States")],
            date(2022, 1, 7),
        ),
    ]
    return [d1, d2, d3], events


def build_store(path: Path) -> Path:
    """Write the sample documents and events to a fresh store at ``path``."""
    docs, events = sample_records()
    Store(path).write_batch(docs, events)
    return path
