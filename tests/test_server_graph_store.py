"""The Graph Store Protocol beyond the W3C suite: read access, auth, validation, formats."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from starlette.testclient import TestClient

SERVICE = "/rdf-graphs/service"
TURTLE = {"content-type": "text/turtle"}
NEW = "http://example.org/graphs/new"


def test_reads_are_public_writes_are_not(server_client: TestClient) -> None:
    graph = "https://data.example.org/graph/test-s01"
    response = server_client.get(
        SERVICE, params={"graph": graph}, headers={"Accept": "text/turtle"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    body = b"<http://e/s> <http://e/p> 1 ."
    assert (
        server_client.put(SERVICE, params={"graph": NEW}, content=body, headers=TURTLE).status_code
        == 403
    )
    assert server_client.delete(SERVICE, params={"graph": graph}).status_code == 403
    assert server_client.delete("/graph/test-s01").status_code == 403


def test_missing_graph_parameter(server_client: TestClient) -> None:
    assert server_client.get(SERVICE).status_code == 400
    assert server_client.get(SERVICE, params={"graph": "relative"}).status_code == 400
    assert server_client.get(SERVICE + "?default&graph=http://e/g").status_code == 400


@pytest.mark.parametrize(
    ("media", "body"),
    [
        ("text/turtle", b"<http://e/s> <http://e/p> 1 ."),
        (
            "application/n-triples",
            b'<http://e/s> <http://e/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .',
        ),
        ("application/ld+json", b'{"@id": "http://e/s", "http://e/p": 1}'),
        (
            "application/rdf+xml",
            b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://e/">'
            b'<rdf:Description rdf:about="http://e/s"><e:p rdf:datatype="http://www.w3.org/2001/'
            b'XMLSchema#integer">1</e:p></rdf:Description></rdf:RDF>',
        ),
    ],
)
def test_put_formats(server_writable: TestClient, media: str, body: bytes) -> None:
    response = server_writable.put(
        SERVICE, params={"graph": NEW}, content=body, headers={"content-type": media}
    )
    assert response.status_code == 201, response.text
    got = server_writable.get(
        SERVICE, params={"graph": NEW}, headers={"Accept": "application/n-triples"}
    )
    triples = list(ox.parse(got.content, format=ox.RdfFormat.N_TRIPLES))
    assert [(t.subject.value, t.object.value) for t in triples] == [("http://e/s", "1")]


def test_bad_bodies(server_writable: TestClient) -> None:
    bad = server_writable.put(SERVICE, params={"graph": NEW}, content=b"<s> <p> .", headers=TURTLE)
    assert bad.status_code == 400
    assert bad.json()["type"] == "/problems#data-error"
    assert "line" in bad.json()
    unknown = server_writable.put(
        SERVICE, params={"graph": NEW}, content=b"x", headers={"content-type": "text/csv"}
    )
    assert unknown.status_code == 415
    none = server_writable.put(
        SERVICE, params={"graph": NEW}, content=b"x", headers={"content-type": ""}
    )
    assert none.status_code == 415


def test_post_creates_a_graph_with_location(server_writable: TestClient) -> None:
    response = server_writable.post(
        SERVICE, content=b"<http://e/s> <http://e/p> 2 .", headers=TURTLE
    )
    assert response.status_code == 201
    location = response.headers["location"]
    assert location.startswith("http://testserver/graph/uploads/")
    direct = server_writable.get(location, headers={"Accept": "text/turtle"})
    assert direct.status_code == 200 and b"http://e/s" in direct.content
    indirect = server_writable.get(
        SERVICE, params={"graph": location}, headers={"Accept": "text/turtle"}
    )
    assert indirect.content == direct.content


def test_writes_that_break_the_shapes_are_refused(server_writable: TestClient) -> None:
    """An event without a name: 422 with the findings, and nothing changes."""
    before = server_writable.get(
        "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"}
    )
    body = (
        b"<https://data.example.org/id/event/nameless> a <http://schema.org/EducationEvent> ;"
        b" <http://schema.org/location> <https://data.example.org/id/place/shymkent> ."
    )
    graph = "https://data.example.org/graph/extra"
    response = server_writable.put(SERVICE, params={"graph": graph}, content=body, headers=TURTLE)
    assert response.status_code == 422
    doc = response.json()
    assert doc["type"] == "/problems#validation-failed"
    assert doc["counts"]["Violation"] == 1
    finding = doc["findings"][0]
    assert finding["focus"] == "https://data.example.org/id/event/nameless"
    assert finding["message"] == "an event needs a name"
    after = server_writable.get(
        "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"}
    )
    assert after.json() == before.json()
    assert server_writable.get(SERVICE, params={"graph": graph}).status_code == 404


def test_deleting_a_graph_others_depend_on_is_refused(server_writable: TestClient) -> None:
    """Dropping the places makes the events' locations no longer places."""
    response = server_writable.delete("/graph/reference-places")
    assert response.status_code == 422
    focus = {f["focus"] for f in response.json()["findings"]}
    assert "https://data.example.org/id/event/seminar-almaty" in focus
    assert (
        server_writable.get(
            "/graph/reference-places", headers={"Accept": "text/turtle"}
        ).status_code
        == 200
    )


def test_direct_delete(server_writable: TestClient) -> None:
    body = b"<http://e/s> <http://e/p> 3 ."
    assert server_writable.put("/graph/scratch", content=body, headers=TURTLE).status_code == 201
    assert server_writable.put("/graph/scratch", content=body, headers=TURTLE).status_code == 204
    assert server_writable.delete("/graph/scratch").status_code == 204
    assert (
        server_writable.get("/graph/scratch", headers={"Accept": "text/turtle"}).status_code == 404
    )
    assert server_writable.delete("/graph/scratch").status_code == 404


def test_graph_etag(server_writable: TestClient) -> None:
    first = server_writable.get("/graph/test-s01", headers={"Accept": "text/turtle"})
    etag = first.headers["etag"]
    cached = server_writable.get(
        "/graph/test-s01", headers={"Accept": "text/turtle", "If-None-Match": etag}
    )
    assert cached.status_code == 304
    server_writable.put("/graph/scratch", content=b"<http://e/s> <http://e/p> 4 .", headers=TURTLE)
    changed = server_writable.get(
        "/graph/test-s01", headers={"Accept": "text/turtle", "If-None-Match": etag}
    )
    assert changed.status_code == 200  # ETags change with every committed write
