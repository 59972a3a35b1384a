"""The offline map: coordinates from schema:geo or WKT, and their projection into the SVG box."""

from __future__ import annotations

import pyoxigraph as ox

from pressgraph.server.geo import MapPoint, coordinates, places_with_coordinates, project_points

S = "http://schema.org/"
GEO = "http://www.opengis.net/ont/geosparql#"


def _store() -> ox.Store:
    store = ox.Store()
    g = ox.NamedNode("http://example.org/g")
    a, ag = ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/a-geo")
    b, bg = ox.NamedNode("http://example.org/b"), ox.NamedNode("http://example.org/b-geom")
    dbl = ox.NamedNode("http://www.w3.org/2001/XMLSchema#double")
    store.extend(
        [
            ox.Quad(a, ox.NamedNode(S + "geo"), ag, g),
            ox.Quad(ag, ox.NamedNode(S + "latitude"), ox.Literal("42.3", datatype=dbl), g),
            ox.Quad(ag, ox.NamedNode(S + "longitude"), ox.Literal("69.6", datatype=dbl), g),
            ox.Quad(b, ox.NamedNode(GEO + "hasGeometry"), bg, g),
            ox.Quad(bg, ox.NamedNode(GEO + "asWKT"), ox.Literal("POINT(76.9 43.25)"), g),
        ]
    )
    return store


def test_coordinates_from_schema_geo_and_wkt() -> None:
    store = _store()
    assert coordinates(store, ox.NamedNode("http://example.org/a")) == (42.3, 69.6)
    assert coordinates(store, ox.NamedNode("http://example.org/b")) == (43.25, 76.9)
    assert coordinates(store, ox.NamedNode("http://example.org/none")) is None
    assert [n.value for n, _, _ in places_with_coordinates(store)] == [
        "http://example.org/a",
        "http://example.org/b",
    ]


def test_projection_fits_the_box_north_up() -> None:
    points = [
        MapPoint("a", "A", "/a", lat=42.3, lon=69.6),
        MapPoint("b", "B", "/b", lat=53.2, lon=63.6),
        MapPoint("c", "C", "/c", lat=43.25, lon=76.9),
    ]
    project_points(points, width=640, height=400, margin=40)
    for p in points:
        assert 40 <= p.x <= 600 and 40 <= p.y <= 360
    a, b, c = points
    assert b.y < a.y  # further north is higher up
    assert c.x > a.x > b.x  # further east is further right


def test_one_point_is_centred() -> None:
    points = [MapPoint("a", "A", "/a", lat=10, lon=10)]
    project_points(points, width=200, height=200, margin=20)
    assert (points[0].x, points[0].y) == (100.0, 100.0)
    project_points([])  # nothing to do
