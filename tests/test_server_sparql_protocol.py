"""The SPARQL 1.1 Protocol at /sparql: methods, formats, datasets, errors, limits, description."""

from __future__ import annotations

import dataclasses
import json

import pyoxigraph as ox
import pytest
from rdflib import Graph
from server_support import TOKEN
from starlette.testclient import TestClient

from pressgraph.project import Project
from pressgraph.server import create_app
from pressgraph.server.sparql_protocol import with_using

SELECT = "SELECT ?name WHERE { ?s a schema:City ; schema:name ?name } ORDER BY ?name"
CONSTRUCT = "CONSTRUCT { ?s schema:name ?n } WHERE { ?s a schema:City ; schema:name ?n }"
FORM = {"content-type": "application/x-www-form-urlencoded"}


def get(client: TestClient, query: str, accept: str | None = None, **params: str) -> object:
    headers = {"Accept": accept} if accept else {}
    return client.get("/sparql", params={"query": query, **params}, headers=headers)


@pytest.mark.parametrize(
    ("accept", "media", "marker"),
    [
        ("application/sparql-results+json", "application/sparql-results+json", b'"bindings"'),
        ("application/sparql-results+xml", "application/sparql-results+xml", b"<sparql"),
        ("text/csv", "text/csv; charset=utf-8", b"name\r\nAlmaty\r\nShymkent"),
        ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8", b"?name\n"),
        ("application/json", "application/json", b'"vars"'),
        (None, "application/sparql-results+json", b'"head"'),
    ],
)
def test_select_formats(
    server_client: TestClient, accept: str | None, media: str, marker: bytes
) -> None:
    response = get(server_client, SELECT, accept)
    assert response.status_code == 200
    assert response.headers["content-type"] == media
    assert marker in response.content
    assert "Accept" in response.headers["vary"]


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ],
)
def test_construct_formats(server_client: TestClient, accept: str, fmt: ox.RdfFormat) -> None:
    response = get(server_client, CONSTRUCT, accept)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == accept
    triples = list(ox.parse(response.content, format=fmt))
    assert {t.object.value for t in triples} == {"Almaty", "Shymkent"}


def test_q_values_choose_the_format(server_client: TestClient) -> None:
    accept = "application/sparql-results+xml;q=0.5, text/csv;q=0.9, */*;q=0.1"
    assert get(server_client, SELECT, accept).headers["content-type"].startswith("text/csv")
    accept = "application/rdf+xml;q=0.9, text/turtle;q=0.4"
    response = get(server_client, CONSTRUCT, accept)
    assert response.headers["content-type"] == "application/rdf+xml"


def test_not_acceptable_is_406(server_client: TestClient) -> None:
    response = get(server_client, SELECT, "image/png")
    assert response.status_code == 406
    assert response.headers["content-type"] == "application/problem+json"
    assert get(server_client, CONSTRUCT, "text/csv").status_code == 406


def test_ask_results(server_client: TestClient) -> None:
    response = get(server_client, "ASK { ?s a schema:City }")
    assert response.json() == {"head": {}, "boolean": True}


def test_post_form_and_direct(server_client: TestClient) -> None:
    form = server_client.post("/sparql", data={"query": SELECT}, headers={"Accept": "text/csv"})
    assert form.status_code == 200 and b"Shymkent" in form.content
    direct = server_client.post(
        "/sparql",
        content=SELECT.encode(),
        headers={"content-type": "application/sparql-query", "Accept": "text/csv"},
    )
    assert direct.content == form.content


@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "application/json", "application/sparql-query; charset=UTF-16"],
)
def test_unknown_request_content_type_is_415(
    server_client: TestClient, content_type: str | None
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = server_client.post("/sparql", content=b"ASK {}", headers=headers)
    assert response.status_code == 415
    assert response.json()["type"] == "/problems#unsupported-media-type"


def test_syntax_error_is_400_with_line_and_column(server_client: TestClient) -> None:
    response = get(server_client, "SELECT * WHERE {\n  ?s ?p \n}")
    assert response.status_code == 400
    doc = response.json()
    assert doc["type"] == "/problems#query-error"
    assert doc["line"] == 3 and doc["column"] >= 1
    assert "syntax" in doc["detail"].lower()


@pytest.mark.parametrize(
    "params",
    [
        {"query": ["ASK {}", "ASK {}"]},
        {"query": "ASK {}", "default-graph-uri": "not an iri"},
    ],
)
def test_bad_protocol_requests_are_400(
    server_client: TestClient, params: dict[str, object]
) -> None:
    assert server_client.get("/sparql", params=params).status_code == 400


def test_update_by_get_is_refused(server_client: TestClient) -> None:
    assert server_client.get("/sparql", params={"update": "CLEAR ALL"}).status_code == 405


def test_service_and_load_are_refused(server_writable: TestClient) -> None:
    response = get(
        server_writable, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    )
    assert response.status_code == 403
    assert response.json()["type"] == "/problems#query-refused"
    load = server_writable.post(
        "/sparql",
        content=b"LOAD <http://example.org/data.ttl>",
        headers={"content-type": "application/sparql-update"},
    )
    assert load.status_code == 403


def test_from_names_a_local_graph_and_never_fetches(server_client: TestClient) -> None:
    # FROM a graph this store does not have: an empty default graph, no request made
    response = get(
        server_client, "SELECT * FROM <http://example.org/remote.ttl> WHERE { ?s ?p ?o }"
    )
    assert response.status_code == 200
    assert response.json()["results"]["bindings"] == []
    local = get(
        server_client,
        "SELECT ?n FROM <https://data.example.org/graph/reference-places> "
        "WHERE { ?s a schema:City ; schema:name ?n }",
    )
    assert len(local.json()["results"]["bindings"]) == 2


def test_protocol_dataset(server_client: TestClient) -> None:
    query = "SELECT ?s WHERE { ?s a schema:EventSeries }"
    places = "https://data.example.org/graph/reference-places"
    assert (
        get(server_client, query, **{"default-graph-uri": places}).json()["results"]["bindings"]
        == []
    )
    claims = "https://data.example.org/graph/test-s01"
    rows = get(server_client, query, **{"default-graph-uri": claims}).json()["results"]["bindings"]
    assert len(rows) == 1
    named = get(
        server_client,
        "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
        **{"named-graph-uri": claims},
    ).json()["results"]["bindings"]
    assert [r["g"]["value"] for r in named] == [claims]


def test_row_limit(server_project: Project) -> None:
    settings = dataclasses.replace(server_project.settings, max_rows=3)
    with TestClient(create_app(server_project, settings)) as client:
        response = get(client, "SELECT * WHERE { ?s ?p ?o }")
    assert len(response.json()["results"]["bindings"]) == 3
    assert response.headers["pressgraph-truncated"].startswith("true")


def test_body_limit_is_413(server_project: Project) -> None:
    settings = dataclasses.replace(server_project.settings, max_body_bytes=100)
    with TestClient(create_app(server_project, settings)) as client:
        big = "ASK {}" + " " * 200
        response = client.post(
            "/sparql", content=big.encode(), headers={"content-type": "application/sparql-query"}
        )
        assert response.status_code == 413
        assert response.json()["type"] == "/problems#payload-too-large"

        def chunks():  # no Content-Length: the limit applies to what streams in
            yield b"ASK {}"
            yield b" " * 200

        streamed = client.post(
            "/sparql", content=chunks(), headers={"content-type": "application/sparql-query"}
        )
        assert streamed.status_code == 413


def test_browsers_are_sent_to_the_editor(server_client: TestClient) -> None:
    response = server_client.get(
        "/sparql",
        params={"query": "ASK {}"},
        headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith("/query?query=ASK")


@pytest.mark.parametrize("accept", ["text/turtle", "application/ld+json", "application/rdf+xml"])
def test_service_description(server_client: TestClient, accept: str) -> None:
    response = server_client.get("/sparql", headers={"Accept": accept})
    assert response.status_code == 200
    formats = {
        "text/turtle": "turtle",
        "application/ld+json": "json-ld",
        "application/rdf+xml": "xml",
    }
    g = Graph().parse(data=response.content, format=formats[accept])
    sd = "http://www.w3.org/ns/sparql-service-description#"
    text = g.serialize(format="nt")
    assert f"<{sd}endpoint> <http://testserver/sparql>" in text
    assert f"<{sd}supportedLanguage> <{sd}SPARQL11Query>" in text
    assert f"<{sd}SPARQL11Update>" not in text  # read-only
    assert "SPARQL_Results_CSV" in text and "<http://www.w3.org/ns/formats/Turtle>" in text
    assert f"<{sd}feature> <{sd}UnionDefaultGraph>" in text
    assert "<https://data.example.org/graph/test-s01>" in text
    assert response.headers["etag"]


def test_writable_service_description_lists_update(server_writable: TestClient) -> None:
    response = server_writable.get("/sparql", headers={"Accept": "application/n-triples"})
    assert b"#SPARQL11Update>" in response.content


def test_cors_anonymous_read(server_client: TestClient) -> None:
    response = get(server_client, "ASK {}")
    assert response.status_code == 200
    response = server_client.get(
        "/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://elsewhere.example"}
    )
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers
    preflight = server_client.options(
        "/sparql",
        headers={
            "Origin": "https://elsewhere.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200


def test_cors_can_be_restricted(server_project: Project) -> None:
    settings = dataclasses.replace(server_project.settings, cors_origins=("https://ok.example",))
    with TestClient(create_app(server_project, settings)) as client:
        allowed = client.get("/health", headers={"Origin": "https://ok.example"})
        denied = client.get("/health", headers={"Origin": "https://evil.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://ok.example"
    assert "access-control-allow-origin" not in denied.headers


# ------------------------------------------------------------------ updates


def test_update_needs_writes_enabled_and_the_token(
    server_client: TestClient, server_project: Project
) -> None:
    update = {
        "update": "INSERT DATA { GRAPH <http://example.org/g> { <http://e/s> <http://e/p> 1 } }"
    }
    disabled = server_client.post("/sparql", data=update)
    assert disabled.status_code == 403
    settings = dataclasses.replace(server_project.settings, write_token=TOKEN)
    with TestClient(create_app(server_project, settings)) as client:
        missing = client.post("/sparql", data=update)
        assert missing.status_code == 401
        assert missing.headers["www-authenticate"].startswith("Bearer")
        wrong = client.post("/sparql", data=update, headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        ok = client.post("/sparql", data=update, headers={"Authorization": f"Bearer {TOKEN}"})
        assert ok.status_code == 204
        ask = get(client, "ASK { GRAPH <http://example.org/g> { <http://e/s> <http://e/p> 1 } }")
        assert ask.json()["boolean"] is True


def test_update_syntax_error(server_writable: TestClient) -> None:
    response = server_writable.post(
        "/sparql", content=b"INSERT DATA {", headers={"content-type": "application/sparql-update"}
    )
    assert response.status_code == 400
    assert response.json()["line"] == 1


def test_using_graph_uri_conflict_and_injection(server_writable: TestClient) -> None:
    conflict = server_writable.post(
        "/sparql?using-graph-uri=http://example.org/g",
        content=b"WITH <http://x> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        headers={"content-type": "application/sparql-update"},
    )
    assert conflict.status_code == 400


def test_with_using_rewrites_only_top_level_where() -> None:
    text = (
        'INSERT { GRAPH <g> { ?s a ?t } } WHERE { { SELECT ?s WHERE { ?s ?p "WHERE" } } } ;\n'
        "DELETE WHERE { ?a ?b ?c } ;\n"
        "# a WHERE in a comment\n"
        "DELETE { ?x ?y ?z } WHERE { ?x ?y ?z }"
    )
    out = with_using(text, ("http://d",), ("http://n",))
    assert out.count("USING <http://d> USING NAMED <http://n> WHERE") == 2
    assert "DELETE WHERE { ?a ?b ?c }" in out
    assert with_using(text, (), ()) == text


def test_json_results_are_valid_json(server_client: TestClient) -> None:
    doc = json.loads(get(server_client, SELECT).content)
    assert [b["name"]["value"] for b in doc["results"]["bindings"]] == ["Almaty", "Shymkent"]
