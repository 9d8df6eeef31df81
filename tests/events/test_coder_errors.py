"""The rule coder's typical errors (issue 13), one sentence each, in French and English.

Each runs the default coder (``--coder auto``: the learned coder where it is the default) on
text written for this test, not taken from any gold set, and states what a reader codes:

- a topic discussed is no act ("discuss how to strengthen their alliance" → no COOPERATE);
- a counterfactual is no asserted event ("Had Japan shot down the missile" → no ASSAULT);
- a condemnation is aimed at the act's author, not its target (US sanctions on Iran, "China
  condemned the move" → ACCUSE CHN→USA, not CHN→IRN);
- a possibility is no asserted event ("pourrait être sur le point d'accepter");
- "la sécurité européenne" is a topic, not the EU taking part;
- a trip announced for next week is future, not asserted.
"""

from __future__ import annotations

import pytest

from veille.pipeline import extract_events

DATE = "2022-01-07"


def _events(text: str, lang: str) -> list[dict]:
    return extract_events(text, lang=lang, date=DATE)[1]


def _summary(events: list[dict]) -> list[tuple]:
    return [(e["event"][0], [a["code"] for a in e["actor"]], [a["code"] for a in e["recipient"]], e["factuality"])
            for e in events]


def _countries(actors) -> set[str]:
    return {a["code"][:3] for a in actors if a["code"]}


TOPIC = [
    ("fr", "Le Japon et les États-Unis ont discuté lundi de la manière de renforcer leur alliance militaire."),
    ("en", "Japan and the United States discussed on Monday how to strengthen their military alliance."),
]
COUNTERFACTUAL = [
    ("fr", "Si le Japon avait abattu le missile nord-coréen, Pyongyang aurait sans doute riposté."),
    ("en", "Had Japan shot down the North Korean missile, Pyongyang would probably have retaliated."),
]
HYPOTHETICAL = [
    ("fr", "Vladimir Poutine pourrait être sur le point d'accepter un cessez-le-feu avec l'Ukraine.", "AGREE"),
    ("en", "Vladimir Putin could be about to accept a ceasefire with Ukraine.", "AGREE"),
]
CONDEMNATION = [
    ("fr", "Les États-Unis ont imposé lundi de nouvelles sanctions à l'Iran. La Chine a condamné cette décision."),
    ("en", "The United States imposed new sanctions on Iran on Monday. China condemned the move."),
]
TOPIC_ADJECTIVE = [
    ("fr", "Le président français a rencontré le chancelier allemand pour parler de la sécurité européenne."),
    ("en", "The French president met the German chancellor to talk about European security."),
]
FUTURE_TRIP = [
    ("fr", "Le président français se rendra en Chine la semaine prochaine."),
    ("en", "The French president will travel to China next week."),
]


@pytest.mark.parametrize("lang,text", TOPIC, ids=[c[0] for c in TOPIC])
def test_topic_discussed_is_no_act(lang: str, text: str):
    events = _events(text, lang)
    assert not [e for e in events if e["event"] == ["COOPERATE"] and e["factuality"] == "asserted"], _summary(events)


@pytest.mark.parametrize("lang,text", COUNTERFACTUAL, ids=[c[0] for c in COUNTERFACTUAL])
def test_counterfactual_is_not_asserted(lang: str, text: str):
    events = _events(text, lang)
    assert not [e for e in events if e["event"] == ["ASSAULT"] and e["factuality"] == "asserted"], _summary(events)


@pytest.mark.parametrize("lang,text,typ", HYPOTHETICAL, ids=[c[0] for c in HYPOTHETICAL])
def test_possibility_is_not_asserted(lang: str, text: str, typ: str):
    events = _events(text, lang)
    assert not [e for e in events if e["event"] == [typ] and e["factuality"] == "asserted"], _summary(events)


@pytest.mark.parametrize("lang,text", CONDEMNATION, ids=[c[0] for c in CONDEMNATION])
def test_condemnation_targets_the_author_of_the_act(lang: str, text: str):
    events = _events(text, lang)
    accuse = [e for e in events if e["event"] == ["ACCUSE"] and "CHN" in _countries(e["actor"])]
    assert not [e for e in accuse if "IRN" in _countries(e["recipient"])], _summary(events)
    assert [e for e in accuse if "USA" in _countries(e["recipient"])], _summary(events)


@pytest.mark.parametrize("lang,text", TOPIC_ADJECTIVE, ids=[c[0] for c in TOPIC_ADJECTIVE])
def test_topic_adjective_is_no_participant(lang: str, text: str):
    events = _events(text, lang)
    assert not [e for e in events if "IGO" in _countries(e["actor"]) | _countries(e["recipient"])], _summary(events)
    assert [e for e in events if e["event"] == ["CONSULT"]
            and _countries(e["actor"]) | _countries(e["recipient"]) == {"FRA", "DEU"}], _summary(events)


@pytest.mark.parametrize("lang,text", FUTURE_TRIP, ids=[c[0] for c in FUTURE_TRIP])
def test_trip_announced_is_future(lang: str, text: str):
    events = _events(text, lang)
    trips = [e for e in events if e["event"] == ["CONSULT"] and "FRA" in _countries(e["actor"])]
    assert trips, _summary(events)
    assert all(e["factuality"] == "future" for e in trips), _summary(events)
