"""Dereferencing resource IRIs, graph IRIs and the vocabulary: negotiation, suffixes, caching."""

from __future__ import annotations

import dataclasses
import json

import pyoxigraph as ox
import pytest
from starlette.testclient import TestClient

from pressgraph.project import Project
from pressgraph.server import create_app

SERIES = "/id/event/series"
SERIES_IRI = "https://data.example.org/id/event/series"

FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}
SUFFIXES = {
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".rdf": "application/rdf+xml",
    ".jsonld": "application/ld+json",
    ".trig": "application/trig",
    ".nq": "application/n-quads",
    ".html": "text/html",
}


def quads(response: object, media: str) -> list[ox.Quad]:
    body = response.content  # type: ignore[attr-defined]
    return list(ox.parse(body, format=FORMATS[media]))


@pytest.mark.parametrize("media", list(FORMATS))
def test_content_negotiation(server_client: TestClient, media: str) -> None:
    response = server_client.get(SERIES, headers={"Accept": media})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    assert response.headers["vary"].startswith("Accept")
    found = quads(response, media)
    subjects = {q.subject.value for q in found}
    assert SERIES_IRI in subjects
    # incoming links are part of the description
    assert "https://data.example.org/id/event/seminar-shymkent" in subjects


def test_quad_formats_keep_the_graph_of_each_statement(server_client: TestClient) -> None:
    response = server_client.get(SERIES + ".nq")
    graphs = {q.graph_name.value for q in quads(response, "application/n-quads")}
    assert graphs == {"https://data.example.org/graph/test-s01"}
    doc = server_client.get(SERIES + ".jsonld").json()
    assert any(
        node.get("@id") == "https://data.example.org/graph/test-s01" for node in doc["@graph"]
    )


@pytest.mark.parametrize(("suffix", "media"), list(SUFFIXES.items()))
def test_suffix_urls(server_client: TestClient, suffix: str, media: str) -> None:
    response = server_client.get(SERIES + suffix, headers={"Accept": "image/png"})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media


def test_html_is_the_default_and_links_list_alternates(server_client: TestClient) -> None:
    response = server_client.get(SERIES)
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    links = response.headers["link"]
    for suffix, media in SUFFIXES.items():
        assert f'<{SERIES}{suffix}>; rel="alternate"; type="{media}"' in links
    assert response.headers["content-location"] == SERIES + ".html"


def test_etag_and_304(server_client: TestClient) -> None:
    first = server_client.get(SERIES, headers={"Accept": "text/turtle"})
    etag = first.headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    again = server_client.get(SERIES, headers={"Accept": "text/turtle", "If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    other = server_client.get(SERIES, headers={"Accept": "application/n-triples"})
    assert other.headers["etag"] != etag
    assert server_client.get(SERIES, headers={"If-None-Match": '"other"'}).status_code == 200


def test_head(server_client: TestClient) -> None:
    response = server_client.head(SERIES, headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.content == b""
    assert int(response.headers["content-length"]) > 0


def test_unknown_iris_are_404_as_page_or_data(server_client: TestClient) -> None:
    page = server_client.get("/id/event/nothing", headers={"Accept": "text/html"})
    assert page.status_code == 404
    assert "text/html" in page.headers["content-type"]
    assert "https://data.example.org/id/event/nothing" in page.text
    data = server_client.get("/id/event/nothing", headers={"Accept": "text/turtle"})
    assert data.status_code == 404
    assert data.headers["content-type"] == "application/problem+json"
    assert server_client.get("/id/event/nothing.ttl").status_code == 404


def test_406_when_nothing_fits(server_client: TestClient) -> None:
    assert server_client.get(SERIES, headers={"Accept": "image/png"}).status_code == 406


def test_graph_iris_resolve(server_client: TestClient) -> None:
    graph = "/graph/test-s01"
    turtle = server_client.get(graph, headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200
    assert SERIES_IRI in {q.subject.value for q in quads(turtle, "text/turtle")}
    page = server_client.get(graph)
    assert page.headers["content-type"].startswith("text/html")
    assert server_client.get(graph + ".nt").headers["content-type"] == "application/n-triples"
    assert server_client.get("/graph/no-such-graph").status_code == 404


def test_vocabulary(server_client: TestClient) -> None:
    page = server_client.get("/ns")
    assert page.status_code == 200
    assert 'id="coOrganizer"' in page.text
    assert 'id="Announcement"' in page.text
    turtle = server_client.get("/ns", headers={"Accept": "text/turtle"})
    subjects = {q.subject.value for q in quads(turtle, "text/turtle")}
    assert "https://data.example.org/ns#coOrganizer" in subjects
    assert server_client.get("/ns.ttl").headers["content-type"].startswith("text/turtle")
    assert server_client.get("/ns.jsonld").headers["content-type"] == "application/ld+json"


def test_concepts_resolve(server_client: TestClient) -> None:
    response = server_client.get("/id/concept/approximately", headers={"Accept": "text/turtle"})
    assert response.status_code == 200


def test_another_base_iri_maps_onto_the_server(server_project: Project, tmp_path: object) -> None:
    """IRIs minted under another base resolve at this server's paths."""
    base = "https://other.example/kg/"
    settings = dataclasses.replace(server_project.settings, base_iri=base)
    app = create_app(server_project, settings)
    store = app.state.pressgraph.dataset.store
    store.add(
        ox.Quad(
            ox.NamedNode(base + "id/thing/one"),
            ox.NamedNode("http://schema.org/name"),
            ox.Literal("One"),
            ox.NamedNode(base + "graph/extra"),
        )
    )
    with TestClient(app) as client:
        response = client.get("/id/thing/one", headers={"Accept": "application/n-triples"})
        assert response.status_code == 200
        assert f"<{base}id/thing/one>".encode() in response.content
        page = client.get("/id/thing/one")
        assert 'href="/graph/extra"' in page.text


def test_dataset_iri_resolves(server_client: TestClient) -> None:
    response = server_client.get("/dataset", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/.well-known/void"


def test_json_ld_uses_the_project_context_when_present(server_client: TestClient) -> None:
    doc = json.loads(server_client.get(SERIES + ".jsonld").content)
    assert "@context" in doc
