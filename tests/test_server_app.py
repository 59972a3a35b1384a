"""The app factory: routes, health, static files, the body limit, and IRI mapping."""

from __future__ import annotations

import dataclasses

import pytest
from starlette.requests import Request
from starlette.testclient import TestClient

from pressgraph.project import Project
from pressgraph.server import create_app
from pressgraph.server.context import Context
from pressgraph.server.problems import Problem


def test_health(server_client: TestClient) -> None:
    response = server_client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["writable"] is False
    assert response.headers["cache-control"] == "no-store"


def test_every_route_answers(server_client: TestClient) -> None:
    for path in (
        "/",
        "/sparql",
        "/query",
        "/queries",
        "/queries.json",
        "/openapi.json",
        "/map",
        "/health",
        "/problems",
        "/ns",
        "/.well-known/void",
        "/static/style.css",
        "/id/event/series",
        "/graph/test-s01",
    ):
        assert server_client.get(path).status_code == 200, path


def test_iri_mapping(server_client: TestClient) -> None:
    ctx: Context = server_client.app.state.pressgraph  # type: ignore[attr-defined]
    assert ctx.iri_for_path("/id/event/x") == "https://data.example.org/id/event/x"
    assert ctx.path_for_iri("https://data.example.org/graph/g") == "/graph/g"
    assert ctx.path_for_iri("http://elsewhere.example/x") is None


def test_public_url_is_used_for_absolute_addresses(server_project: Project) -> None:
    settings = dataclasses.replace(server_project.settings, public_url="https://kg.example/")
    with TestClient(create_app(server_project, settings)) as client:
        body = client.get("/sparql", headers={"Accept": "application/n-triples"}).text
    assert "<https://kg.example/sparql>" in body


def _request(headers: dict[str, str]) -> Request:
    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    return Request({"type": "http", "method": "POST", "path": "/", "headers": raw})


def test_require_write(server_project: Project) -> None:
    app = create_app(server_project)
    ctx: Context = app.state.pressgraph
    with pytest.raises(Problem) as disabled:
        ctx.require_write(_request({"Authorization": "Bearer anything"}))
    assert disabled.value.status == 403
    ctx.settings = dataclasses.replace(ctx.settings, write_token="t0ken")
    for headers in ({}, {"Authorization": "Basic dDBrZW4="}, {"Authorization": "Bearer wrong"}):
        with pytest.raises(Problem) as refused:
            ctx.require_write(_request(headers))
        assert refused.value.status == 401
    ctx.require_write(_request({"Authorization": "Bearer t0ken"}))
