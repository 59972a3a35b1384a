"""The schema.org publication view: what search engines require, plain values, nothing fetched."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pressgraph.project import Project

ROOT = Path(__file__).resolve().parents[1]
EVENT = "https://data.example.org/id/event/osce-astana-2016-anti-trafficking-seminar-"


@pytest.fixture(scope="module")
def view() -> dict[str, Any]:
    return json.loads(Project.load(ROOT).export("schemaorg"))


def nodes(value: Any) -> Iterator[dict[str, Any]]:
    """Every node object of a JSON-LD tree."""
    if isinstance(value, dict):
        if "@id" in value:
            yield value
        for item in value.values():
            yield from nodes(item)
    elif isinstance(value, list):
        for item in value:
            yield from nodes(item)


def full(view: dict[str, Any], iri: str) -> dict[str, Any]:
    """The most complete copy of node ``iri`` in the tree."""
    return max((n for n in nodes(view) if n["@id"] == iri), key=len)


def test_context_is_the_official_one(view: dict[str, Any]) -> None:
    assert view["@context"] == "https://schema.org"
    assert view["@graph"][0]["@type"] == "Article"


def test_dated_seminar_has_what_search_engines_require(view: dict[str, Any]) -> None:
    shymkent = full(view, EVENT + "shymkent")
    assert shymkent["@type"] == "EducationEvent"
    assert shymkent["name"] == "Anti-trafficking seminar in Shymkent"
    assert shymkent["startDate"] == "2016-10-06"
    address = shymkent["location"]["address"]
    assert address["@type"] == "PostalAddress"
    assert address["addressLocality"] == "Shymkent"
    assert address["addressRegion"] == "South Kazakhstan Region"
    assert address["addressCountry"] == "Kazakhstan"
    assert shymkent["organizer"]["name"] == "OSCE Programme Office in Astana"


def test_every_seminar_carries_its_place_embedded(view: dict[str, Any]) -> None:
    seminars = [
        n
        for n in nodes(view)
        if n["@id"].startswith(EVENT) and "location" in n and n["@type"] == "EducationEvent"
    ]
    cities = {n["@id"].rsplit("-", 1)[1] for n in seminars}
    assert cities == {"almaty", "astana", "karaganda", "kostanay", "shymkent"}
    for seminar in seminars:
        assert seminar["location"]["address"]["addressLocality"], seminar["@id"]


def test_values_are_plain_strings_and_numbers(view: dict[str, Any]) -> None:
    def walk(value: Any, key: str = "") -> Iterator[tuple[str, Any]]:
        if isinstance(value, dict):
            for k, v in value.items():
                yield from walk(v, k)
        elif isinstance(value, list):
            for v in value:
                yield from walk(v, key)
        else:
            yield key, value

    leaves = list(walk(view["@graph"]))
    assert not [k for k, _ in leaves if k in ("@value", "@language")]
    numbers = {v for k, v in leaves if k == "value"}
    assert {180, 300} <= numbers
    coordinates = full(view, "https://data.example.org/id/place/shymkent-coordinates")
    assert coordinates["latitude"] == pytest.approx(42.30988)


def test_target_count_and_figure_are_published(view: dict[str, Any]) -> None:
    series = full(view, EVENT + "series")
    target = series["additionalProperty"]
    assert (target["name"], target["value"], target["description"]) == (
        "target participant count",
        180,
        "some 180",
    )
    figure = next(n for n in view["@graph"] if n["@type"] == "Observation")
    assert figure["value"]["value"] == 300
    assert figure["observationAbout"]["@id"] == "https://data.example.org/id/place/kazakhstan"


def test_quotations_are_parts_of_the_article(view: dict[str, Any]) -> None:
    parts = view["@graph"][0]["hasPart"]
    speakers = {p["creator"]["@id"].rsplit("/", 1)[1] for p in parts if p["@type"] == "Quotation"}
    assert len(parts) == 4 and speakers == {"zhangali-kenbayev", "sara-bonotti"}


def test_co_organisers_are_materialised_as_organizer(view: dict[str, Any]) -> None:
    series = full(view, EVENT + "series")
    organizers = series["organizer"]
    ids = {o["@id"] for o in (organizers if isinstance(organizers, list) else [organizers])}
    assert "https://data.example.org/id/org/us-embassy-kazakhstan" in ids
    assert "https://data.example.org/id/org/osce-programme-office-astana" in ids


def test_view_is_deterministic() -> None:
    project = Project.load(ROOT)
    assert project.export("schemaorg") == project.export("schemaorg")
