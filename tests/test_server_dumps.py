"""Dumps from dist/ (media type, checksum ETag) and the DCAT + VoID description."""

from __future__ import annotations

import hashlib

import pyoxigraph as ox
from starlette.testclient import TestClient

from pressgraph.build import build
from pressgraph.project import Project

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"


def test_no_dumps_before_a_build(server_client: TestClient) -> None:
    assert server_client.get("/dumps/pressgraph.ttl").status_code == 404
    assert "pressgraph build" in server_client.get("/").text


def test_dumps_after_a_build(server_project: Project, server_client: TestClient) -> None:
    result = build(server_project)
    assert result.distributions
    home = server_client.get("/")
    for d in result.distributions:
        response = server_client.get(f"/dumps/{d.path.name}")
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == d.media_type
        digest = hashlib.sha256(response.content).hexdigest()
        assert digest == d.sha256
        assert response.headers["etag"] == f'"{digest}"'
        assert f"/dumps/{d.path.name}" in home.text
        assert d.sha256 in home.text
        again = server_client.get(
            f"/dumps/{d.path.name}", headers={"If-None-Match": response.headers["etag"]}
        )
        assert again.status_code == 304
    assert server_client.get("/dumps/..%2Fpyproject.toml").status_code == 404


def test_void_description(server_project: Project, server_client: TestClient) -> None:
    build(server_project)
    response = server_client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    triples = list(ox.parse(response.content, format=ox.RdfFormat.TURTLE))
    dataset = ox.NamedNode("https://data.example.org/dataset")
    props = {t.predicate.value for t in triples if t.subject == dataset}
    assert {VOID + "triples", VOID + "sparqlEndpoint", DCAT + "distribution"} <= props
    downloads = [t.object.value for t in triples if t.predicate.value == DCAT + "downloadURL"]
    assert "https://data.example.org/dumps/pressgraph.ttl" in downloads
    jsonld = server_client.get("/.well-known/void", headers={"Accept": "application/ld+json"})
    assert jsonld.headers["content-type"] == "application/ld+json"
    assert list(ox.parse(jsonld.content, format=ox.RdfFormat.JSON_LD))
    assert (
        server_client.get("/.well-known/void", headers={"Accept": "image/png"}).status_code == 406
    )


def test_void_counts_follow_writes(server_writable: TestClient) -> None:
    def triples() -> int:
        body = server_writable.get("/.well-known/void").content
        for t in ox.parse(body, format=ox.RdfFormat.TURTLE):
            if t.predicate.value == VOID + "triples" and t.subject.value.endswith("/dataset"):
                return int(t.object.value)
        raise AssertionError("no void:triples")

    before = triples()
    response = server_writable.put(
        "/rdf-graphs/service?graph=http://example.org/extra",
        content=b"<http://example.org/a> <http://example.org/b> <http://example.org/c> .",
        headers={"content-type": "application/n-triples"},
    )
    assert response.status_code == 201
    assert triples() == before + 1
