"""End to end: a real ``pressgraph serve`` process on a free local port, serving the real project.

Queried with SPARQLWrapper (every canned query, with its example parameters bound
as a VALUES block, in every result format it offers) and with plain HTTP for
dereferencing. Only 127.0.0.1 is used.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from server_support import http_get
from SPARQLWrapper import CSV, JSON, JSONLD, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from pressgraph.project import Project
from pressgraph.queries import CannedQuery
from pressgraph.remote import bind_values, with_prefixes
from pressgraph.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
PROJECT = Project.load(settings=Settings(root=ROOT, query_workers=0))
QUERIES = list(PROJECT.queries.values())
SELECT_FORMATS = [JSON, XML, CSV, TSV]
GRAPH_FORMATS = [TURTLE, RDFXML, JSONLD]
RDFLIB_FORMATS = {
    "text/turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}


def _text(canned: CannedQuery) -> str:
    params = {p.name: p.example for p in canned.params if p.example is not None}
    return with_prefixes(bind_values(canned.text, canned.bind(params)))


def _local_count(canned: CannedQuery) -> int | bool:
    params = {p.name: p.example for p in canned.params if p.example is not None}
    result = PROJECT.query(canned.name, params)
    if result.kind == "ask":
        return bool(result.boolean)
    return len(result.triples) if result.kind == "graph" else len(result.rows)


def test_there_are_canned_queries() -> None:
    assert len(QUERIES) >= 10


@pytest.mark.parametrize("canned", QUERIES, ids=lambda q: q.name)
def test_every_canned_query_in_every_format(server_live: str, canned: CannedQuery) -> None:
    expected = _local_count(canned)
    formats = GRAPH_FORMATS if canned.kind == "graph" else SELECT_FORMATS
    for fmt in formats:
        client = SPARQLWrapper(server_live + "/sparql")
        client.setQuery(_text(canned))
        client.setReturnFormat(fmt)
        response = client.query()
        if canned.kind == "graph":
            # read the bytes ourselves: SPARQLWrapper's convert() builds a deprecated graph type
            media = response.response.info()["Content-Type"].split(";")[0]
            with response.response:
                data = response.response.read()
            graph = Graph().parse(data=data, format=RDFLIB_FORMATS[media])
            assert len(graph) == expected, (canned.name, fmt)
            continue
        with response.response:
            converted = response.convert()
        if fmt == JSON:
            if canned.kind == "ask":
                assert converted["boolean"] is expected
            else:
                assert len(converted["results"]["bindings"]) == expected, canned.name
        elif fmt == XML:
            assert converted.getElementsByTagName("sparql")
            if canned.kind == "select":
                assert len(converted.getElementsByTagName("result")) == expected
        else:
            lines = converted.decode().strip().splitlines()
            if canned.kind == "select":
                assert len(lines) - 1 == expected, (canned.name, fmt)


@pytest.mark.parametrize("canned", QUERIES, ids=lambda q: q.name)
def test_canned_query_api_over_http(server_live: str, canned: CannedQuery) -> None:
    params = "&".join(
        f"{p.name}={urllib.request.quote(p.example)}" for p in canned.params if p.example
    )
    suffix = ".ttl" if canned.kind == "graph" else ".json"
    status, _, body = http_get(f"{server_live}/queries/{canned.name}{suffix}?{params}")
    assert status == 200, body[:300]
    if canned.kind == "select":
        assert len(json.loads(body)["results"]["bindings"]) == _local_count(canned)


def test_dereferencing(server_live: str) -> None:
    series = "/id/event/osce-astana-2016-anti-trafficking-seminar-series"
    status, headers, body = http_get(server_live + series, accept="text/turtle")
    assert status == 200 and headers["content-type"] == "text/turtle; charset=utf-8"
    triples = list(ox.parse(body, format=ox.RdfFormat.TURTLE))
    assert any(t.predicate.value == "http://schema.org/subEvent" for t in triples)
    status, _, cached = http_get(server_live + series, accept="text/turtle", etag=headers["etag"])
    assert status == 304 and cached == b""
    status, headers, body = http_get(server_live + series + ".jsonld")
    assert status == 200 and headers["content-type"] == "application/ld+json"
    status, headers, body = http_get(server_live + series)
    assert status == 200 and b"Events in this series" in body
    assert http_get(server_live + "/id/event/no-such-event", accept="text/turtle")[0] == 404
    status, _, body = http_get(server_live + "/ns", accept="text/turtle")
    assert status == 200 and b"coOrganizer" in body
    status, _, body = http_get(server_live + "/graph/2016-10-06-osce-anti-trafficking-seminars-s02")
    assert status == 200 and b"held the last in a series" in body


def test_the_real_pages(server_live: str) -> None:
    for path in (
        "/",
        "/id/person/zhangali-kenbayev",
        "/id/org/osce-programme-office-astana",
        "/id/place/shymkent",
        "/id/article/2016-10-06-osce-anti-trafficking-seminars",
        "/map",
        "/query",
        "/queries",
        "/openapi.json",
        "/.well-known/void",
    ):
        status, _, body = http_get(server_live + path)
        assert status == 200, (path, body[:300])
    _, _, article = http_get(server_live + "/id/article/2016-10-06-osce-anti-trafficking-seminars")
    assert article.count(b'class="span"') >= 10


def test_writes_are_refused_by_a_read_only_server(server_live: str) -> None:
    request = urllib.request.Request(
        server_live + "/sparql",
        data=b"update=CLEAR%20ALL",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=30)
    assert info.value.code == 403
    info.value.close()
