"""RDF for HTTP: serialisation per media type (provenance kept where the format can) and 304s."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from starlette.requests import Request

from pressgraph.errors import ExportError
from pressgraph.server.representations import conditional_response, serialize

Q = [
    ox.Quad(
        ox.NamedNode("https://data.example.org/id/x"),
        ox.NamedNode("http://schema.org/name"),
        ox.Literal("X"),
        ox.NamedNode("https://data.example.org/graph/g"),
    )
]


@pytest.mark.parametrize(
    ("media", "fmt", "keeps_graph"),
    [
        ("text/turtle", ox.RdfFormat.TURTLE, False),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES, False),
        ("application/rdf+xml", ox.RdfFormat.RDF_XML, False),
        ("application/trig", ox.RdfFormat.TRIG, True),
        ("application/n-quads", ox.RdfFormat.N_QUADS, True),
        ("application/ld+json", ox.RdfFormat.JSON_LD, True),
    ],
)
def test_serialize(media: str, fmt: ox.RdfFormat, keeps_graph: bool) -> None:
    parsed = list(ox.parse(serialize(Q, media), format=fmt))
    assert len(parsed) == 1
    graph = parsed[0].graph_name
    assert (isinstance(graph, ox.NamedNode) and graph.value.endswith("/graph/g")) is keeps_graph


def test_serialize_refuses_other_types() -> None:
    with pytest.raises(ExportError):
        serialize(Q, "text/csv")


def _request(method: str = "GET", **headers: str) -> Request:
    raw = [(k.replace("_", "-").lower().encode(), v.encode()) for k, v in headers.items()]
    return Request({"type": "http", "method": method, "path": "/", "headers": raw})


def test_conditional_response() -> None:
    fresh = conditional_response(_request(), b"body", "text/turtle", '"e1"')
    assert fresh.status_code == 200 and fresh.body == b"body"
    assert fresh.headers["etag"] == '"e1"' and fresh.headers["vary"] == "Accept"
    assert fresh.headers["content-type"] == "text/turtle; charset=utf-8"
    same = conditional_response(
        _request(if_none_match='"e0", "e1"'), b"body", "text/turtle", '"e1"'
    )
    assert same.status_code == 304 and same.body == b""
    star = conditional_response(_request(if_none_match="*"), b"body", "text/turtle", '"e1"')
    assert star.status_code == 304
    head = conditional_response(_request("HEAD"), b"body", "text/turtle", '"e1"')
    assert head.body == b"" and head.headers["content-length"] == "4"
