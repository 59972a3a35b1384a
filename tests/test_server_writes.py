"""Validated, durable writes: SPARQL Update checked against the shapes, persisted with a journal."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pyoxigraph as ox
from server_support import TOKEN
from starlette.testclient import TestClient

from pressgraph.project import Project
from pressgraph.server import create_app
from pressgraph.server.writes import ShapeTerms
from pressgraph.settings import Settings

UPDATE = {"content-type": "application/sparql-update"}
PREFIX = "PREFIX schema: <http://schema.org/>\nPREFIX event: <https://data.example.org/id/event/>\n"


def ask(client: TestClient, pattern: str) -> bool:
    response = client.get("/sparql", params={"query": PREFIX + f"ASK {{ {pattern} }}"})
    return bool(response.json()["boolean"])


def test_valid_update_is_committed(server_writable: TestClient) -> None:
    update = PREFIX + (
        "INSERT DATA { GRAPH <https://data.example.org/graph/extra> {"
        ' event:new a schema:EducationEvent ; schema:name "New seminar"@en } }'
    )
    response = server_writable.post("/sparql", content=update.encode(), headers=UPDATE)
    assert response.status_code == 204, response.text
    assert ask(server_writable, 'event:new schema:name "New seminar"@en')


def test_update_that_adds_a_violation_is_rejected_and_changes_nothing(
    server_writable: TestClient,
) -> None:
    ctx = server_writable.app.state.pressgraph  # type: ignore[attr-defined]
    before = set(ctx.dataset.store)
    generation = ctx.dataset.generation
    update = PREFIX + "DELETE WHERE { GRAPH ?g { event:seminar-almaty schema:name ?n } }"
    response = server_writable.post("/sparql", content=update.encode(), headers=UPDATE)
    assert response.status_code == 422
    doc = response.json()
    assert doc["findings"][0]["focus"] == "https://data.example.org/id/event/seminar-almaty"
    assert set(ctx.dataset.store) == before
    assert ctx.dataset.generation == generation
    assert ask(server_writable, 'event:seminar-almaty schema:name "Seminar in Almaty"@en')


def test_existing_violations_do_not_block_unrelated_writes(server_project: Project) -> None:
    """Only violations a write brings count: data that was already wrong stays writable."""
    settings = dataclasses.replace(server_project.settings, write_token=TOKEN)
    app = create_app(server_project, settings)
    with TestClient(app, headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        store = app.state.pressgraph.dataset.store
        store.remove(
            ox.Quad(
                ox.NamedNode("https://data.example.org/id/event/seminar-almaty"),
                ox.NamedNode("http://schema.org/name"),
                ox.Literal("Seminar in Almaty", language="en"),
                ox.NamedNode("https://data.example.org/graph/test-s01"),
            )
        )
        update = PREFIX + (
            "INSERT DATA { GRAPH <https://data.example.org/graph/test-s01> {"
            ' event:seminar-almaty schema:description "a note" } }'
        )
        assert client.post("/sparql", content=update.encode(), headers=UPDATE).status_code == 204


def test_changes_no_shape_sees_skip_validation(server_writable: TestClient) -> None:
    ctx = server_writable.app.state.pressgraph  # type: ignore[attr-defined]
    terms = ShapeTerms(ctx.dataset)
    foaf = ox.Quad(
        ox.NamedNode("http://example.org/doc"),
        ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
        ox.NamedNode("http://xmlns.com/foaf/0.1/Document"),
        ox.NamedNode("http://example.org/g"),
    )
    assert not terms.sees(ctx.dataset.store, [foaf])
    city = ox.Quad(
        foaf.subject, foaf.predicate, ox.NamedNode("http://schema.org/City"), foaf.graph_name
    )
    assert terms.sees(ctx.dataset.store, [city])  # City is a Place (ontology), which a shape checks
    named = ox.Quad(
        ox.NamedNode("https://data.example.org/id/event/series"),
        ox.NamedNode("http://example.org/any-property"),
        ox.Literal("x"),
        foaf.graph_name,
    )
    assert terms.sees(ctx.dataset.store, [named])  # the subject is an event: a shape's focus


def _settings(root: Path, token: str | None) -> Settings:
    return Settings(root=root, write_token=token, query_workers=0)


def test_writes_are_durable_and_journalled(server_root: Path) -> None:
    settings = _settings(server_root, TOKEN)
    update = PREFIX + (
        "INSERT DATA { GRAPH <https://data.example.org/graph/extra> {"
        ' event:durable a schema:EducationEvent ; schema:name "Durable"@en } }'
    )
    with TestClient(create_app(Project.load(settings=settings), settings)) as client:
        response = client.post(
            "/sparql",
            content=update.encode(),
            headers={**UPDATE, "Authorization": f"Bearer {TOKEN}"},
        )
        assert response.status_code == 204
    journal = server_root / ".pressgraph" / "store-served.journal.jsonl"
    entries = [json.loads(line) for line in journal.read_text().splitlines()]
    assert len(entries) == 1 and "event/durable" in entries[0]["added"]
    # a new process (here: a new app) serves the write, writable or not
    with TestClient(create_app(Project.load(settings=settings), settings)) as client:
        assert ask(client, 'event:durable schema:name "Durable"@en')
    read_only = _settings(server_root, None)
    with TestClient(create_app(Project.load(settings=read_only), read_only)) as client:
        assert ask(client, 'event:durable schema:name "Durable"@en')


def test_changed_data_files_are_reloaded_and_writes_replayed(server_root: Path) -> None:
    settings = _settings(server_root, TOKEN)
    update = PREFIX + (
        "INSERT DATA { GRAPH <https://data.example.org/graph/extra> {"
        ' event:kept a schema:EducationEvent ; schema:name "Kept"@en } }'
    )
    with TestClient(create_app(Project.load(settings=settings), settings)) as client:
        client.post(
            "/sparql",
            content=update.encode(),
            headers={**UPDATE, "Authorization": f"Bearer {TOKEN}"},
        )
    extra = server_root / "data" / "reference" / "more.trig"
    extra.write_text(
        "<https://data.example.org/graph/reference-more> {"
        ' <https://data.example.org/id/place/kostanay> <http://schema.org/name> "Kostanay"@en . }\n'
    )
    with TestClient(create_app(Project.load(settings=settings), settings)) as client:
        assert ask(client, 'event:kept schema:name "Kept"@en')
        assert ask(client, '?p schema:name "Kostanay"@en')
    # read-only over stale accepted writes serves the files (and warns), never stale data
    extra.write_text(extra.read_text().replace("Kostanay", "Qostanay"))
    read_only = _settings(server_root, None)
    with TestClient(create_app(Project.load(settings=read_only), read_only)) as client:
        assert ask(client, '?p schema:name "Qostanay"@en')
        assert not ask(client, 'event:kept schema:name "Kept"@en')


def test_queries_in_worker_processes_see_committed_writes(server_root: Path) -> None:
    settings = Settings(root=server_root, write_token=TOKEN, query_workers=2)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with TestClient(create_app(Project.load(settings=settings), settings), headers=auth) as client:
        for i in range(3):
            update = PREFIX + (
                "INSERT DATA { GRAPH <https://data.example.org/graph/extra> {"
                f' event:w{i} a schema:EducationEvent ; schema:name "W{i}"@en }} }}'
            )
            assert (
                client.post("/sparql", content=update.encode(), headers=UPDATE).status_code == 204
            )
            for _ in range(2):  # each worker answers with the change applied
                assert ask(client, f'event:w{i} schema:name "W{i}"@en')
        delete = PREFIX + "DELETE WHERE { GRAPH ?g { event:w0 ?p ?o } }"
        assert client.post("/sparql", content=delete.encode(), headers=UPDATE).status_code == 204
        for _ in range(2):
            assert not ask(client, "event:w0 ?p ?o")
