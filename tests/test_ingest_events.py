# ruff: noqa: RUF001 -- typographic quotes and dashes are what these tests are about
"""Event words, topics and audiences (pressgraph.ingest.events), and how the extractor
ties events to places, dates, organisations, topics and numbers (pressgraph.ingest.extract)."""

from __future__ import annotations

import doctest
from datetime import date

from pressgraph.ingest import events as events_module
from pressgraph.ingest.events import (
    find_audiences,
    find_event_mentions,
    find_topic_phrases,
    kind_of,
    split_items,
)
from pressgraph.ingest.extract import Event, Extraction, extract


def test_docstring_examples_run() -> None:
    assert doctest.testmod(events_module).failed == 0


def test_event_kinds() -> None:
    assert kind_of("Round-table discussion on X") == "round table"
    assert kind_of("three training courses") == "training"
    assert kind_of("training seminars") == "seminar"
    assert kind_of("the budget") is None


def test_mentions_say_how_many_and_whether_new() -> None:
    (m,) = find_event_mentions("The OSCE held two seminars on hate crime")
    assert (m.kind, m.count, m.definite, m.plural) == ("seminar", 2, False, True)
    (m,) = find_event_mentions("The three-day forum focuses on volunteering")
    assert m.definite
    assert find_event_mentions("the training of probation staff and in the course of it") == []
    assert find_event_mentions("by meeting the needs of victims") == []


def test_topics_after_an_event_noun_and_after_verbs() -> None:
    text = "a round table on preventing bride kidnapping and early marriage, organized by X"
    mentions = find_event_mentions(text)
    assert [t.label for t in find_topic_phrases(text, events=mentions)] == [
        "preventing bride kidnapping and early marriage"
    ]
    text = (
        "Participants discussed bias indicators, the recording of hate crime data and "
        "co-operation with civil society."
    )
    assert [t.label for t in find_topic_phrases(text)] == [
        "bias indicators",
        "recording of hate crime data",
        "co-operation with civil society",
    ]
    (aim,) = find_topic_phrases("The project aimed at building trust.")
    assert aim.aim and aim.label == "building trust"


def test_enumerations() -> None:
    assert split_items("A, B and C") == ["A", "B", "C"]
    assert split_items("A and B") == ["A and B"]


def test_audiences() -> None:
    assert [a[2] for a in find_audiences("a course for 25 police officers from Yerevan")] == [
        "police officers"
    ]
    assert find_audiences("for Democratic Institutions") == []


# --------------------------------------------------------------------------- the extractor

TEXT = (
    "OSCE concludes series of seminars in Kazakhstan\n"
    "The OSCE Office held the last in a series of three seminars on border management on "
    "Friday in Almaty.\n"
    "The seminars, held in Almaty, Aktobe and Atyrau, were organized in co-operation with "
    "the Border Service and supported by the European Union.\n"
    "Some 60 officers took part, including 14 women.\n"
    "Each seminar was open to up to 25 participants.\n"
)


def run(text: str = TEXT, anchor: date | None = date(2020, 2, 10)) -> Extraction:
    return extract(text, anchor=anchor)


def facts(ex: Extraction, kind: str) -> list[tuple[object, object]]:
    return [(f.subject, f.obj) for f in ex.facts if f.kind == kind]


def name(event: object) -> str:
    assert isinstance(event, Event)
    return event.places[0].name if event.places else event.kind


def test_a_series_and_its_parts() -> None:
    ex = run()
    (series,) = [e for e in ex.events if e.series]
    assert series.expected_parts == 3
    assert sorted(name(p) for p in series.parts) == ["Aktobe", "Almaty", "Atyrau"]
    almaty = next(p for p in series.parts if name(p) == "Almaty")
    assert (almaty, date(2020, 2, 7)) in facts(ex, "start")  # "on Friday", before 10 February
    assert (series, date(2020, 2, 7)) in facts(ex, "end")  # the last of the series


def test_roles_go_to_the_series() -> None:
    ex = run()
    roles = {(f.obj.name, f.extra) for f in ex.facts if f.kind == "role"}  # type: ignore[attr-defined]
    assert roles == {
        ("OSCE Office", "organizer"),
        ("OSCE", "organizer"),
        ("Border Service", "co-organizer"),
        ("European Union", "sponsor"),
    }


def test_participants_targets_and_a_breakdown() -> None:
    ex = run()
    props = sorted((f.number.value, f.prop, len(f.events)) for f in ex.figures)
    assert props == [(14, "participants", 1), (25, "target", 3), (60, "participants", 1)]


def test_no_anchor_no_date() -> None:
    ex = run(anchor=None)
    assert facts(ex, "start") == [] and facts(ex, "end") == []
    assert any("needs the publication date" in note for _s, note in ex.reviews)


def test_a_dateline_gives_the_publication_date() -> None:
    text = (
        "Workshop in Tbilisi\n"
        "TBILISI, 12 April 2019 – A two-day workshop on media freedom for journalists "
        "concluded today in Tbilisi, organized by the OSCE Office."
    )
    ex = run(text, anchor=None)
    assert ex.anchor == date(2019, 4, 12)
    (event,) = ex.events
    assert facts(ex, "end") == [(event, date(2019, 4, 12))]
