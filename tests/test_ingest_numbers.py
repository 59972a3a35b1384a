"""Numbers with their hedge (pressgraph.ingest.numbers)."""

from __future__ import annotations

import doctest

import pytest

from pressgraph.ingest import numbers as numbers_module
from pressgraph.ingest.numbers import find_numbers, parse_number_words


def found(text: str) -> list[tuple[int | float, str | None, str | None]]:
    return [(n.value, n.hedge, n.unit) for n in find_numbers(text) if not n.counts_events]


def test_docstring_examples_run() -> None:
    assert doctest.testmod(numbers_module).failed == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("some 180 law-enforcement officers", [(180, "approximately", "law-enforcement officers")]),
        ("Over fifty observers", [(50, "at-least", "observers")]),
        ("More than 200 young activists", [(200, "at-least", "young activists")]),
        ("Twenty representatives of local authorities", [(20, None, "representatives")]),
        ("open to up to 30 participants and dealt with", [(30, "at-most", "participants")]),
        ("nearly 600 children were", [(600, "at-most", "children")]),
        ("About 40 judges, probation officers and social workers attended",
         [(40, "approximately", "judges, probation officers and social workers")]),
        ("grants of up to 2,000 euros each", [(2000, "at-most", "euros")]),
        ("over 10 million euros.", [(10_000_000, "at-least", "euros")]),
        ("increased by 40 per cent", [(40, None, "per cent")]),
        ("Fifteen officers", [(15, None, "officers")]),
        ("a hundred and twenty participants", [(120, None, "participants")]),
    ],
)
def test_numbers_and_hedges(text: str, expected: list[tuple[int, str | None, str | None]]) -> None:
    assert found(text) == expected


def test_a_total_and_its_breakdown() -> None:
    numbers = find_numbers("a total of 871 (405 women and 466 men) took part")
    assert [(n.value, n.hedge, n.unit, n.part_of) for n in numbers] == [
        (871, None, None, None),
        (405, None, "women", 0),
        (466, None, "men", 0),
    ]
    numbers = find_numbers("Some 60 police officers, including 14 from the region")
    assert [n.part_of for n in numbers] == [None, 0]


@pytest.mark.parametrize(
    "text",
    [
        "Twenty years ago",
        "a three-day training course",
        "over the past two years",
        "since 2016, in 2020",
        "Resolution 1325 and COVID-19",
        "one of the most effective ways",
        "a second chance",
        "the 1st meeting",
    ],
)
def test_what_is_not_a_figure(text: str) -> None:
    assert found(text) == []


def test_a_number_of_events_counts_events() -> None:
    (number,) = find_numbers("a series of five seminars")
    assert number.counts_events and number.value == 5


def test_number_words() -> None:
    assert parse_number_words("twenty-five") == 25
    assert parse_number_words("two hundred and five") == 205
    assert parse_number_words("bananas") is None
