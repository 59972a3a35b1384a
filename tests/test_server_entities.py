"""Layouts by kind: the class hierarchy decides, and article text is cut at span boundaries."""

from __future__ import annotations

import pyoxigraph as ox

from pressgraph.project import Project
from pressgraph.server.display import Labeler
from pressgraph.server.entities import Hierarchy, highlight_segments, kind_of

BASE = "https://data.example.org/"


def test_kind_follows_the_ontology(server_project: Project) -> None:
    hierarchy = Hierarchy(server_project.ontology)
    store = server_project.store
    assert (
        kind_of(store, hierarchy, BASE + "id/event/seminar-shymkent") == "event"
    )  # EducationEvent
    assert kind_of(store, hierarchy, BASE + "id/event/series") == "event"  # EventSeries
    assert kind_of(store, hierarchy, BASE + "id/place/shymkent") == "place"  # City
    assert kind_of(store, hierarchy, BASE + "id/org/alpha") == "organisation"
    assert kind_of(store, hierarchy, BASE + "id/org/alpha-unit") == "organisation"
    assert kind_of(store, hierarchy, BASE + "id/person/bob") == "person"
    assert kind_of(store, hierarchy, BASE + "id/article/test") == "article"
    assert kind_of(store, hierarchy, BASE + "id/value/target") == "generic"
    assert "http://schema.org/Place" in hierarchy.ancestors("http://schema.org/City")


def test_segments_cover_the_text_and_prefer_the_innermost_span() -> None:
    body = "abcdefghij"
    outer, inner = ox.NamedNode(BASE + "graph/outer"), ox.NamedNode(BASE + "graph/inner")
    spans = [(0, 8, [outer]), (2, 4, [inner]), (20, 30, [inner])]  # the last is out of range
    segments = highlight_segments(body, spans, Labeler(ox.Store(), BASE))
    assert "".join(s["text"] for s in segments) == body
    by_text = {s["text"]: s for s in segments}
    assert by_text["ab"]["href"] == "/graph/outer"
    assert by_text["cd"]["href"] == "/graph/inner"  # the smaller span wins the link
    assert by_text["cd"]["graphs"] == [inner.value, outer.value]
    assert by_text["ij"]["href"] is None


def test_offsets_count_code_points() -> None:
    body = "“Quoted” text"
    spans = [(0, 8, [ox.NamedNode(BASE + "graph/q")])]
    segments = highlight_segments(body, spans, Labeler(ox.Store(), BASE))
    assert segments[0]["text"] == "“Quoted”"
