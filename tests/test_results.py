"""Result writers: the W3C SPARQL 1.1 result formats, RDF for graph results, a text table."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest

from pressgraph.errors import ExportError
from pressgraph.results import render
from pressgraph.sparql import QueryResult

XSD = "http://www.w3.org/2001/XMLSchema#"
ROWS = QueryResult(
    "select",
    variables=["place", "name", "lat"],
    rows=[
        (
            ox.NamedNode("https://data.example.org/id/place/shymkent"),
            ox.Literal("Shymkent", language="en"),
            ox.Literal("42.30988", datatype=ox.NamedNode(XSD + "double")),
        ),
        (ox.NamedNode("https://data.example.org/id/place/x"), ox.Literal('a "quoted", <b>'), None),
    ],
)


def test_json_follows_sparql_results_json() -> None:
    doc = json.loads(render(ROWS, "json"))
    assert doc["head"]["vars"] == ["place", "name", "lat"]
    first, second = doc["results"]["bindings"]
    assert first["name"] == {"type": "literal", "value": "Shymkent", "xml:lang": "en"}
    assert first["lat"] == {"type": "literal", "value": "42.30988", "datatype": XSD + "double"}
    assert "lat" not in second  # unbound stays out
    assert second["name"] == {"type": "literal", "value": 'a "quoted", <b>'}


def test_xml_is_well_formed_and_escaped() -> None:
    root = ET.fromstring(render(ROWS, "xml"))
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    names = [v.get("name") for v in root.findall("r:head/r:variable", ns)]
    assert names == ["place", "name", "lat"]
    literals = [e.text for e in root.iter("{http://www.w3.org/2005/sparql-results#}literal")]
    assert 'a "quoted", <b>' in literals


def test_csv_quotes_and_uses_crlf() -> None:
    data = render(ROWS, "csv").decode()
    assert data.startswith("place,name,lat\r\n")
    rows = list(csv.reader(io.StringIO(data)))
    assert rows[2] == ["https://data.example.org/id/place/x", 'a "quoted", <b>', ""]


def test_tsv_writes_terms_in_turtle_syntax() -> None:
    lines = render(ROWS, "tsv").decode().splitlines()
    assert lines[0] == "?place\t?name\t?lat"
    assert lines[1].split("\t") == [
        "<https://data.example.org/id/place/shymkent>",
        '"Shymkent"@en',
        f'"42.30988"^^<{XSD}double>',
    ]
    assert lines[2].split("\t")[1] == '"a \\"quoted\\", <b>"'


def test_table_uses_prefixes_and_counts_rows() -> None:
    text = render(ROWS, "table").decode()
    assert "place:shymkent" in text and "Shymkent@en" in text
    assert text.rstrip().endswith("(2 rows)")


def test_ask_in_every_tabular_format() -> None:
    ask = QueryResult("ask", boolean=True)
    assert json.loads(render(ask, "json"))["boolean"] is True
    assert b"<boolean>true</boolean>" in render(ask, "xml")
    assert render(ask, "csv") == b"_askResult\r\ntrue\r\n"
    assert render(ask, "table") == b"true\n"


def test_graph_results_as_rdf_and_format_mismatch() -> None:
    triple = ox.Triple(
        ox.NamedNode("https://data.example.org/id/place/x"),
        ox.NamedNode("http://schema.org/name"),
        ox.Literal("X"),
    )
    graph = QueryResult("graph", triples=[triple, triple])
    turtle = render(graph, "turtle").decode()
    assert "place:x schema:name" in turtle
    parsed = list(ox.parse(render(graph, "ntriples"), format=ox.RdfFormat.N_TRIPLES))
    assert [q.triple for q in parsed] == [triple]
    with pytest.raises(ExportError, match="is for SELECT/ASK"):
        render(graph, "csv")
    with pytest.raises(ExportError, match="is for CONSTRUCT/DESCRIBE"):
        render(ROWS, "turtle")
