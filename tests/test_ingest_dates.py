"""Dates: absolute, partial and relative, resolved only against a known anchor."""

from __future__ import annotations

import doctest
from datetime import date

import pytest

from pressgraph.ingest import dates as dates_module
from pressgraph.ingest.dates import find_dates, spoken


def days(text: str, anchor: date | None = None, **kw: object) -> list[tuple[date, ...]]:
    return [m.days for m in find_dates(text, anchor, **kw)]  # type: ignore[arg-type]


def test_docstring_examples_run() -> None:
    assert doctest.testmod(dates_module).failed == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on 6 October 2016 in Shymkent", [(date(2016, 10, 6),)]),
        ("on October 6, 2016", [(date(2016, 10, 6),)]),
        ("on 18 and 19 October 2022", [(date(2022, 10, 18), date(2022, 10, 19))]),
        ("from 3 to 5 May 2019", [(date(2019, 5, 3), date(2019, 5, 5))]),
        ("3\u20135 May 2019", [(date(2019, 5, 3), date(2019, 5, 5))]),  # en dash
        ("between 15 February and 4 March 2021", [(date(2021, 2, 15), date(2021, 3, 4))]),
        ("2016-10-06", [(date(2016, 10, 6),)]),
        ("since 2016, in 2020, up to 2,000 euros", []),
    ],
)
def test_absolute_dates(text: str, expected: list[tuple[date, ...]]) -> None:
    assert days(text) == expected


def test_a_range_is_marked_as_one() -> None:
    (mention,) = find_dates("between 15 February and 4 March 2021")
    assert mention.range and not mention.relative


def test_a_year_comes_from_a_later_date_in_the_sentence() -> None:
    found = days("in Almaty on 14 November and in Astana on 16 November 2017")
    assert found == [(date(2017, 11, 14),), (date(2017, 11, 16),)]


def test_day_and_month_take_the_year_of_the_publication_date() -> None:
    assert days("on 10 and 12 December", date(2019, 12, 13)) == [
        (date(2019, 12, 10), date(2019, 12, 12))
    ]
    # in January, "on 28 December" is the December before
    assert days("held on 28 December", date(2020, 1, 5)) == [(date(2019, 12, 28),)]


@pytest.mark.parametrize(
    ("text", "anchor", "expected"),
    [
        ("concluded today", date(2019, 4, 18), date(2019, 4, 18)),
        ("met in Osh yesterday", date(2018, 6, 22), date(2018, 6, 21)),
        ("will open tomorrow", date(2018, 6, 22), date(2018, 6, 23)),
        ("ended in Niš on Friday", date(2020, 2, 10), date(2020, 2, 7)),  # past: before
        ("will start in Samarkand on Monday", date(2023, 5, 26), date(2023, 5, 29)),  # future
        ("held last Tuesday", date(2018, 3, 16), date(2018, 3, 13)),
    ],
)
def test_relative_dates_against_the_publication_date(
    text: str, anchor: date, expected: date
) -> None:
    (mention,) = find_dates(text, anchor)
    assert mention.days == (expected,) and mention.relative
    assert anchor.isoformat() in (mention.note or "")


def test_weekday_against_a_date_stated_earlier_in_the_text() -> None:
    (mention,) = find_dates("On Thursday, participants will present", text_anchor=date(2019, 5, 14))
    assert mention.days == (date(2019, 5, 16),)
    assert "stated earlier in the text" in (mention.note or "")


@pytest.mark.parametrize("text", ["opened today", "on Friday", "on 10 and 12 December"])
def test_without_an_anchor_nothing_is_invented(text: str) -> None:
    (mention,) = find_dates(text)
    assert mention.days == ()
    assert mention.note and ("publication date" in mention.note or "no year" in mention.note)


def test_spoken_form() -> None:
    assert spoken(date(2016, 10, 6)) == "6 October 2016"
