# ruff: noqa: RUF001 -- typographic quotes and dashes are what these tests are about
"""Organisations (matched against data/), people and the posts the text gives them."""

from __future__ import annotations

import doctest
from functools import cache
from pathlib import Path

import pytest

from pressgraph.ingest import entities as entities_module
from pressgraph.ingest.entities import canonical, find_orgs, find_people
from pressgraph.ingest.known import Known, load_known

ROOT = Path(__file__).resolve().parents[1]
ORGS = "https://data.example.org/id/org/"
KAZAKHSTAN = "https://data.example.org/id/place/kazakhstan"


@cache
def known() -> Known:
    return load_known(ROOT)


def test_docstring_examples_run() -> None:
    assert doctest.testmod(entities_module).failed == 0


@pytest.mark.parametrize(
    "name",
    [
        "the US Embassy in Kazakhstan",
        "the U.S. Embassy in Kazakhstan",
        "the United States Embassy in Kazakhstan",
        "the Embassy of the United States in Kazakhstan",
    ],
)
def test_one_embassy_under_every_name(name: str) -> None:
    text = f"The seminar was organized together with {name}."
    (org,) = find_orgs(text, known())
    assert org.known is not None and org.known.iri == ORGS + "us-embassy-kazakhstan"


def test_a_short_name_after_the_full_one_is_the_same_organisation() -> None:
    text = (
        "The OSCE Office worked with the United States Embassy in Kazakhstan. "
        "The U.S. Embassy’s adviser spoke."
    )
    orgs = find_orgs(text, known())
    embassy = [o for o in orgs if o.known and o.known.iri.endswith("us-embassy-kazakhstan")]
    assert len(embassy) == 1 and len(embassy[0].mentions) == 2


def test_the_partial_name_alone_matches_only_a_unique_known_embassy() -> None:
    (org,) = find_orgs("Funding came from the U.S. Embassy.", known())
    assert org.known is not None and org.matched_by == "partial name"


def test_alternate_names_in_data_give_the_known_iri() -> None:
    (org,) = find_orgs("The OSCE Programme Office in Nur-Sultan held a seminar.", known())
    assert org.known is not None and org.known.iri == ORGS + "osce-programme-office-astana"


def test_generic_names_match_only_in_their_country() -> None:
    text = "Representatives of the Prosecutor General’s Office attended."
    (in_kazakhstan,) = find_orgs(text, known(), countries=[KAZAKHSTAN])
    assert in_kazakhstan.known is not None
    (elsewhere,) = find_orgs(text, known(), countries=[])
    assert elsewhere.known is None and elsewhere.generic


def test_shared_head_nouns_and_plural_governments() -> None:
    text = (
        "It was co-organized with the Health Care and Social Development and Interior "
        "ministries and supported by the Governments of Germany and the United States."
    )
    names = [o.name for o in find_orgs(text)]
    assert names == [
        "Health Care and Social Development ministry",
        "Interior ministry",
        "Government of Germany",
        "Government of the United States",
    ]


def test_units_acronyms_and_anaphora() -> None:
    text = (
        "The United Nations Development Programme (UNDP) and the OSCE Mission to Serbia met. "
        "UNDP’s adviser and the Mission’s officer spoke, as did the Head of the Centre for "
        "Training Specialists of the Karaganda Police Academy."
    )
    orgs = find_orgs(text)
    by_name = {o.name: o for o in orgs}
    assert by_name["United Nations Development Programme"].acronym == "UNDP"
    assert len(by_name["United Nations Development Programme"].mentions) == 2
    assert len(by_name["OSCE Mission to Serbia"].mentions) == 2
    centre = by_name["Centre for Training Specialists"]
    assert centre.parent is by_name["Karaganda Police Academy"]


def test_an_acronym_after_a_topic_is_not_an_organisation() -> None:
    text = "A workshop on violent extremism and radicalization that lead to terrorism (VERLT)."
    assert find_orgs(text) == []


@pytest.mark.parametrize(
    ("text", "name", "role", "org"),
    [
        ('“Yes,” said Jane Doe, Head of the OSCE Mission to Serbia.', "Jane Doe", "Head",
         "OSCE Mission to Serbia"),
        ("“Yes,” said Ambassador Jane Doe, Human Dimension Officer at the OSCE Office in Baku.",
         "Jane Doe", "Human Dimension Officer", "OSCE Office in Baku"),
        ("The UNICEF’s Resident Representative, Jane Doe, said that “yes.”", "Jane Doe",
         "Resident Representative", "UNICEF"),
        ("ODIHR hate crime expert Jane Doe added: “Yes.”", "Jane Doe", "hate crime expert",
         "ODIHR"),
        ("“Yes,” said the Head of the OSCE Centre in Bishkek, Ambassador Jan von Hagen.",
         "Jan von Hagen", "Head", "OSCE Centre in Bishkek"),
        ("According to Jane Doe, a lawyer with Green Network Belarus, it works.", "Jane Doe",
         "lawyer", "Green Network Belarus"),
        ("“Yes,” said Leyla Mammadova, UNICEF Child Protection Specialist.", "Leyla Mammadova",
         "Child Protection Specialist", "UNICEF"),
        ("UNDP’s representative Jane Doe said the project works.", "Jane Doe", "representative",
         "UNDP"),
        ("It works, according to Jane Doe, Head of the OSCE Office in Baku.", "Jane Doe", "Head",
         "OSCE Office in Baku"),
    ],
)
def test_people_and_their_posts(text: str, name: str, role: str, org: str) -> None:
    orgs = find_orgs(text)
    (person,) = find_people(text, orgs)
    assert person.name == name
    assert [(p.role, p.org.name if p.org else None) for p in person.posts] == [(role, org)]


def test_a_post_without_an_organisation() -> None:
    text = "Damir Kovač, a school director from Mostar, said that it worked."
    (person,) = find_people(text, find_orgs(text))
    assert [(p.role, p.org) for p in person.posts] == [("school director", None)]


def test_a_surname_alone_is_the_person_named_before() -> None:
    text = "According to Secretary General Anna Berg, it works. “Yes,” Berg said."
    (person,) = find_people(text, find_orgs(text))
    assert person.name == "Anna Berg" and len(person.mentions) == 2


def test_names_are_not_found_without_a_verb_of_saying() -> None:
    text = "Participants visited Anna Berg Street in the old town of Novi Sad."
    assert find_people(text, find_orgs(text)) == []


def test_canonical_names() -> None:
    assert canonical("the OSCE Programme Office") == canonical("OSCE program office")
    assert canonical("Centre") == canonical("Center")
