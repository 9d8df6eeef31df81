"""Actor phenomena on real spaCy parses: each case lists (surface, code) pairs that must
appear among the mentions, and surfaces that must not be coded."""

from __future__ import annotations

import datetime as dt

import pytest

from veille.actors import Mention, find_actors, load_tables

D2022 = dt.date(2022, 1, 7)
D2025 = dt.date(2025, 1, 7)
D2025_LATE = dt.date(2025, 3, 1)


def codes(mentions: list[Mention]) -> dict[str, str]:
    return {m.text: m.code for m in mentions}


CASES = [
    # capitals standing for governments
    (
        "fr",
        "Washington et Tokyo ont discuté avec Pékin et Moscou.",
        D2022,
        {"Washington": "USAGOV", "Tokyo": "JPNGOV", "Pékin": "CHNGOV", "Moscou": "RUSGOV"},
    ),
    (
        "en",
        "Beijing warned Seoul and Kyiv on Tuesday.",
        D2022,
        {"Beijing": "CHNGOV", "Seoul": "KORGOV", "Kyiv": "UKRGOV"},
    ),
    # an organisation's title makes its holder the organisation's, even in a report with no date
    # (where a person's latest national post would otherwise win)
    (
        "en",
        "European Council President Donald Tusk met Nato Secretary General Jens Stoltenberg.",
        None,
        {"European Council President Donald Tusk": "IGOEU", "Nato Secretary General Jens Stoltenberg": "IGONAT"},
    ),
    # ... but a country's envoy to an organisation stays her country's
    (
        "en",
        "Washington's ambassador to the United Nations Nikki Haley spoke.",
        dt.date(2018, 3, 1),
        {"ambassador to the United Nations Nikki Haley": "USAGOV"},
    ),
    (
        "fr",
        "Le président du Conseil européen Donald Tusk a rencontré le secrétaire général de l'Otan Jens Stoltenberg.",
        None,
        {"président du Conseil européen Donald Tusk": "IGOEU",
         "secrétaire général de l'Otan Jens Stoltenberg": "IGONAT"},
    ),
    # people the news names often, each spelling (benchmarks/actor_coverage.py's unresolved list)
    (
        "fr",
        "Khalifa Haftar a rencontré Alexeï Navalny et Svetlana Tikhanovskaïa. Haftar a menacé Tripoli.",
        D2022,
        {"Khalifa Haftar": "LBYREB", "Alexeï Navalny": "RUSOPP", "Svetlana Tikhanovskaïa": "BLROPP",
         "Haftar": "LBYREB"},
    ),
    (
        "fr",
        "Marine Le Pen et Jean-Luc Mélenchon ont critiqué Svetlana Alexievitch. Mme Le Pen a ajouté.",
        D2022,
        {"Marine Le Pen": "FRAOPP", "Jean-Luc Mélenchon": "FRAOPP", "Svetlana Alexievitch": "BLROPP",
         "Le Pen": "FRAOPP"},
    ),
    # a surname whose particles are written small, after an honorific
    (
        "fr",
        "Ursula von der Leyen a parlé. Mme von der Leyen a ajouté.",
        D2022,
        {"Ursula von der Leyen": "IGOEU", "von der Leyen": "IGOEU"},
    ),
    (
        "en",
        "Henry Kissinger met Alaa Abdel-Fattah. Kissinger spoke.",
        D2022,
        {"Henry Kissinger": "USAELI", "Alaa Abdel-Fattah": "EGYCVL", "Kissinger": "USAELI"},
    ),
    # armed groups take <ISO>REB of the country where they fight; Crimea is Ukraine's
    (
        "en",
        "The SDF and the YPG fought as Russia annexed Crimea.",
        D2022,
        {"SDF": "SYRREB", "YPG": "SYRREB", "Crimea": "UKR"},
    ),
    (
        "fr",
        "Les Forces démocratiques syriennes ont combattu quand la Russie a annexé la Crimée.",
        D2022,
        {"Forces démocratiques syriennes": "SYRREB", "Crimée": "UKR"},
    ),
    # the codebook's listed organisations under the other ways reports write them
    (
        "en",
        "The G-7 and the Group of 20 met as Greenpeace and al-Qaida made statements.",
        D2022,
        {"G-7": "IGOG7", "Group of 20": "IGOG20", "Greenpeace": "NGOGRP", "al-Qaida": "IMGAQD"},
    ),
    (
        "fr",
        "Le G-20 et l'OPEP+ se sont réunis, et Greenpeace a protesté.",
        D2022,
        {"G-20": "IGOG20", "OPEP+": "IGOOPC", "Greenpeace": "NGOGRP"},
    ),
    # country names with articles, without accents, acronyms
    (
        "fr",
        "Les Etats-Unis, la Chine, la RPDC et le Royaume-Uni ont parlé.",
        D2022,
        {"Etats-Unis": "USA", "Chine": "CHN", "RPDC": "PRK", "Royaume-Uni": "GBR"},
    ),
    (
        "en",
        "The U.S., the UK and North Korea met the DPRK envoy.",
        D2022,
        {"U.S.": "USA", "UK": "GBR", "North Korea": "PRK"},
    ),
    # title + demonym, title + "de + country", title as person
    (
        "fr",
        "Le président russe a parlé au président élu des États-Unis.",
        D2025,
        {"président russe": "RUSGOV", "président élu des États-Unis": "USAGOV"},
    ),
    (
        "fr",
        "Le chef de la diplomatie américaine est arrivé.",
        D2022,
        {"chef de la diplomatie américaine": "USAGOV"},
    ),
    (
        "en",
        "The Japanese prime minister met the U.S. Secretary of State.",
        D2022,
        {"Japanese prime minister": "JPNGOV", "U.S. Secretary of State": "USAGOV"},
    ),
    (
        "en",
        "The foreign minister of Japan spoke to China's defence minister.",
        D2022,
        {"foreign minister of Japan": "JPNGOV", "China's defence minister": "CHNGOV"},
    ),
    # agents
    (
        "fr",
        "L'armée russe et la police israélienne ont été déployées.",
        D2022,
        {"armée russe": "RUSMIL", "police israélienne": "ISRCOP"},
    ),
    (
        "fr",
        "Des manifestants à Hong Kong ont défilé.",
        D2022,
        {"manifestants à Hong Kong": "HKGCVL"},
    ),
    (
        "en",
        "The Russian army advanced while Israeli police arrested protesters in Jerusalem.",
        D2022,
        {"Russian army": "RUSMIL", "Israeli police": "ISRCOP", "protesters in Jerusalem": "ISRCVL"},
    ),
    (
        "fr",
        "S'adressant aux dirigeants sud-coréens lundi, il a parlé.",
        D2025,
        {"dirigeants sud-coréens": "KORGOV"},
    ),
    # coordination: one title, two countries
    (
        "fr",
        "Les ministres des Affaires étrangères et de la Défense américains et japonais sont déterminés.",
        D2022,
        {"japonais": "JPNGOV"},
    ),
    # compound demonyms
    (
        "fr",
        "L'alliance américano-japonaise progresse.",
        D2022,
        {"américano": "USA", "japonaise": "JPN"},
    ),
    (
        "en",
        "Sino-Japanese relations and US-Japan talks.",
        D2022,
        {"Sino": "CHN", "Japanese": "JPN", "US": "USA", "Japan": "JPN"},
    ),
    # people with titles, surname only, honorifics, misspelt first names
    (
        "fr",
        "Le secrétaire d'État américain Antony Blinken a rencontré M. Poutine.",
        D2022,
        {"secrétaire d'État américain Antony Blinken": "USAGOV", "Poutine": "RUSGOV"},
    ),
    (
        "fr",
        "Le secrétaire d'État américain Anthony Blinken est arrivé.",
        D2025,
        {"secrétaire d'État américain Anthony Blinken": "USAGOV"},
    ),
    (
        "fr",
        "Le secrétaire américain à la Défense, Lloyd Austin, a déclaré.",
        D2022,
        {"secrétaire américain à la Défense, Lloyd Austin": "USAGOV"},
    ),
    # people the tables do not know, coded by the title the report gives them (in
    # apposition either side of the name), then by name elsewhere in the report
    (
        "fr",
        "L'ambassadeur de l'UE auprès de l'ONU, Olof Skoog, a parlé. M. Skoog a critiqué Téhéran.",
        D2022,
        {"Olof Skoog": "IGOEU", "M. Skoog": "IGOEU"},
    ),
    (
        "fr",
        "Ambassadeur de l'Union européenne auprès de l'ONU, Olof Skoog a souligné ce point devant le Conseil.",
        D2022,
        {"Olof Skoog": "IGOEU"},
    ),
    (
        "fr",
        "Jorge Arreaza, ministre vénézuélien des Affaires étrangères, a parlé. Arreaza a menacé Madrid.",
        D2022,
        {"Jorge Arreaza": "VENGOV", "Arreaza": "VENGOV"},
    ),
    (
        "en",
        "Nikki Haley, the U.S. ambassador to the United Nations, spoke. Haley later criticised Moscow.",
        D2022,
        {"Nikki Haley": "USAGOV", "Haley": "USAGOV"},
    ),
    (
        "en",
        "Blinken met Xi Jinping and Mr. Lavrov.",
        D2022,
        {"Blinken": "USAGOV", "Xi Jinping": "CHNGOV", "Lavrov": "RUSGOV"},
    ),
    # unknown person with a known title takes the title's code
    (
        "fr",
        "Le ministre japonais des Affaires étrangères Jean Tartempion a parlé.",
        D2022,
        {"ministre japonais des Affaires étrangères Jean Tartempion": "JPNGOV"},
    ),
    # IGOs
    (
        "fr",
        "L'OTAN, l'ONU et l'Union européenne ont réagi.",
        D2022,
        {"OTAN": "IGONAT", "ONU": "IGOUNO", "Union européenne": "IGOEU"},
    ),
    (
        "en",
        "NATO, the UN and the EU responded.",
        D2022,
        {"NATO": "IGONAT", "UN": "IGOUNO", "EU": "IGOEU"},
    ),
    # institutions
    (
        "fr",
        "Le département d'État, la Maison Blanche et le Kremlin ont réagi.",
        D2022,
        {"département d'État": "USAGOV", "Maison Blanche": "USAGOV", "Kremlin": "RUSGOV"},
    ),
    (
        "en",
        "The Pentagon and Downing Street responded.",
        D2022,
        {"Pentagon": "USAMIL", "Downing Street": "GBRGOV"},
    ),
]


@pytest.mark.parametrize(("lang", "text", "when", "expected"), CASES)
def test_finder_phenomena(nlp, lang, text, when, expected):
    found = codes(find_actors(nlp[lang](text), lang, when))
    for surface, code in expected.items():
        assert found.get(surface) == code, (surface, found)


NOT_ACTORS = [
    ("en", "Tell us what you think about the china in the cupboard.", ["us", "china"]),
    ("fr", "La machine chinoise? Les séparatistes pro-russes et la Chine.", ["machine"]),
    ("fr", "Il est au bureau, eu égard à la situation.", ["au", "eu"]),
]


@pytest.mark.parametrize(("lang", "text", "surfaces"), NOT_ACTORS)
def test_finder_does_not_match_inside_words_or_wrong_case(nlp, lang, text, surfaces):
    found = codes(find_actors(nlp[lang](text), lang))
    for surface in surfaces:
        assert not found.get(surface), found
    assert not any(m.text == "russes" for m in find_actors(nlp[lang](text), lang))


@pytest.mark.parametrize(
    ("when", "rubio", "blinken"),
    [
        (dt.date(2022, 1, 7), "USALEG", "USAGOV"),
        (dt.date(2025, 3, 1), "USAGOV", "USA"),
        (None, "USAGOV", "USAGOV"),
    ],
)
def test_finder_dated_roles_blinken_rubio(nlp, when, rubio, blinken):
    found = codes(find_actors(nlp["fr"]("Marco Rubio a remplacé Antony Blinken."), "fr", when))
    assert found["Marco Rubio"] == rubio
    assert found["Antony Blinken"] == blinken


def test_finder_unknown_name_has_empty_code(nlp):
    mentions = find_actors(nlp["fr"]("Jean Dupont a rencontré Marie Durand à Lyon."), "fr")
    entities = {m.text: m for m in mentions}
    assert entities["Jean Dupont"].code == ""
    assert entities["Jean Dupont"].kind == "entity"


def test_finder_no_separate_etat_entity(nlp):
    mentions = find_actors(nlp["fr"]("Le secrétaire d'État américain a parlé."), "fr")
    assert [m.text for m in mentions] == ["secrétaire d'État américain"]


def test_finder_offsets_and_head_are_consistent(nlp):
    doc = nlp["fr"]("Selon lui, le président russe Vladimir Poutine a rencontré Kim Jong-un.")
    for m in find_actors(doc, "fr"):
        assert doc.text[m.start_char : m.end_char] == m.text
        assert m.start <= m.head < m.end
        head = doc[m.head]
        assert head.head.i == head.i or not (m.start <= head.head.i < m.end)


def test_finder_sorted_by_start(nlp):
    doc = nlp["en"]("Moscow, Washington and Beijing met NATO in Brussels.")
    starts = [m.start for m in find_actors(doc, "en")]
    assert starts == sorted(starts)


def test_finder_user_file_overrides_and_adds(nlp, tmp_path):
    user = tmp_path / "mine.tsv"
    user.write_text(
        "surface\tcode\tkind\tname\tstart\tend\tcase\n"
        "Washington\tUSALEG\tinstitution\tUS Congress\t\t\ttitle\n"
        "Jean Dupont\tFRAGOV\tperson\tJean Dupont\t2020-01-01\t\t\n",
        encoding="utf-8",
    )
    tables = load_tables("fr", user)
    doc = nlp["fr"]("Washington a salué Jean Dupont, puis Tokyo.")
    found = codes(find_actors(doc, "fr", D2022, tables))
    assert found["Washington"] == "USALEG"
    assert found["Jean Dupont"] == "FRAGOV"
    assert found["Tokyo"] == "JPNGOV"


@pytest.mark.parametrize(
    ("lang", "text", "name"),
    [
        ("fr", "Comme l'a dit le ministre russe, Jean Dupont a ensuite critiqué Paris.", "Jean Dupont"),
        ("fr", "Après avoir rencontré le ministre russe, Jean Dupont a déclaré qu'il était satisfait.", "Jean Dupont"),
        ("en", "Speaking to John Smith, the Russian ambassador said the talks had failed.", "John Smith"),
        ("en", "According to the Russian foreign minister, John Smith was not invited.", "John Smith"),
    ],
)
def test_finder_no_title_for_a_name_merely_next_to_it(nlp, lang, text, name):
    """A comma next to a title is not an apposition unless it is closed on both sides."""
    found = codes(find_actors(nlp[lang](text), lang, D2022))
    assert not found.get(name), found

