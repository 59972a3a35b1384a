"""Running W3C protocol tests against the app in-process.

Paths of the manifests are mapped onto the server's own: ``/sparql/`` to
``/sparql``, ``/gsp?...`` (indirect identification) to ``/rdf-graphs/service?...``
and ``/gsp/<path>`` (direct identification) to ``/graph/<path>``, whose graph IRI
is ``{base}graph/<path>``. Every request carries the write token.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import pyoxigraph as ox
from rdflib import Graph
from rdflib.compare import isomorphic
from starlette.testclient import TestClient
from w3c_manifest import Expected, W3CTest

from pressgraph.server.context import Context

#: manifest -> outcome -> count, printed at the end of the session
RESULTS: dict[str, Counter[str]] = {}

TABULAR = {
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
}
RDF = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}


def local_path(path: str) -> str:
    """The manifest's path on this server."""
    if path.startswith("/sparql/"):
        return "/sparql" + path[len("/sparql/") :]
    if path == "/gsp" or path.startswith("/gsp?"):
        return "/rdf-graphs/service" + path[len("/gsp") :]
    if path.startswith("/gsp/"):
        return "/graph/" + path[len("/gsp/") :]
    return path


def reset(ctx: Context, test: W3CTest) -> None:
    """Empty the dataset (graph names too), then load the test's graph data."""
    dataset = ctx.dataset
    added = []
    for graph, path in test.graph_data:
        for q in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES):
            added.append(ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(graph)))
    dataset.commit(list(dataset.store), added, f"test reset for {test.id}")
    names = {q.graph_name for q in added}
    for g in list(dataset.store.named_graphs()):
        if g not in names:
            dataset.store.remove_graph(g)


def _media(value: str | None) -> tuple[str, str | None]:
    if not value:
        return "", None
    head, *params = value.split(";")
    charset = next(
        (
            p.split("=", 1)[1].strip().lower()
            for p in params
            if p.strip().lower().startswith("charset=")
        ),
        None,
    )
    return head.strip().lower(), charset


def check_response(test: W3CTest, index: int, expected: Expected, response: object) -> None:
    """Assert ``response`` is what the manifest expects of request ``index``."""
    status = response.status_code  # type: ignore[attr-defined]
    where = f"{test.id} request {index + 1}"
    body: bytes = response.content  # type: ignore[attr-defined]
    assert expected.status_ok(status), (
        f"{where}: status {status}, expected {expected.statuses}: {body[:300]!r}"
    )
    media, charset = _media(response.headers.get("content-type"))  # type: ignore[attr-defined]
    if expected.content_type:
        want_media, want_charset = _media(expected.content_type)
        assert media == want_media, f"{where}: Content-Type {media}, expected {want_media}"
        if want_charset:
            assert charset == want_charset, f"{where}: charset {charset}, expected {want_charset}"
    if expected.fmt == "boolean":
        assert media in ("application/sparql-results+json", "application/sparql-results+xml"), where
        value = _boolean(media, body)
        if expected.boolean is not None:
            assert value is expected.boolean, (
                f"{where}: answer {value}, expected {expected.boolean}"
            )
    elif expected.fmt == "tabular":
        assert media in TABULAR, f"{where}: {media} is not a tabular result format"
        if media == "application/sparql-results+json":
            assert "results" in json.loads(body)
    elif expected.fmt == "RDF":
        assert media in RDF, f"{where}: {media} is not an RDF format"
        list(ox.parse(body, format=RDF[media], base_iri="http://www.example/"))
    if expected.body is not None and status < 300:
        actual, wanted = Graph(), Graph()
        actual.parse(data=body.decode("utf-8"), format="turtle", publicID="http://www.example/")
        wanted.parse(data=expected.body, format="turtle", publicID="http://www.example/")
        assert isomorphic(actual, wanted), (
            f"{where}: graph differs\n--- got\n{body.decode()}\n--- expected\n{expected.body}"
        )


def _boolean(media: str, body: bytes) -> bool:
    if media == "application/sparql-results+json":
        return bool(json.loads(body)["boolean"])
    m = re.search(rb"<boolean>\s*(true|false)\s*</boolean>", body)
    assert m, body
    return m.group(1) == b"true"


def run_test(client: TestClient, ctx: Context, test: W3CTest, token: str) -> None:
    """Reset the dataset, then send every request of ``test`` in order and check each."""
    reset(ctx, test)
    variables: dict[str, str] = {}
    for index, request in enumerate(test.requests):
        path = request.path
        body = request.body
        for name, value in variables.items():
            path = path.replace(name, value)
            if body is not None:
                body = body.replace(name.encode(), value.encode())
        headers = dict(request.headers)
        headers["authorization"] = f"Bearer {token}"
        response = client.request(request.method, local_path(path), content=body, headers=headers)
        check_response(test, index, request.expected, response)
        if request.method == "HEAD":
            assert response.content == b"", f"{test.id}: HEAD answered with a body"
        if request.expected.location_var:
            variables[request.expected.location_var] = response.headers["location"]
