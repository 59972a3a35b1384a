"""Queries under a hard time limit: a slow query is stopped, its worker killed; all else answers."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from pressgraph.project import Project
from pressgraph.server import create_app
from pressgraph.server.workers import ProcessRunner
from pressgraph.settings import Settings

#: a cross join of every statement with itself four times: never finishes on its own
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture
def pooled(server_root: Path) -> Iterator[TestClient]:
    settings = Settings(root=server_root, query_workers=2, query_timeout=2)
    with TestClient(create_app(Project.load(settings=settings), settings)) as client:
        yield client


def test_slow_query_is_stopped_and_the_server_stays_responsive(pooled: TestClient) -> None:
    runner = pooled.app.state.pressgraph.dataset.runner  # type: ignore[attr-defined]
    assert isinstance(runner, ProcessRunner) and runner.alive == 2
    finished: list[str] = []
    slow: dict[str, object] = {}

    def run_slow() -> None:
        slow["response"] = pooled.get("/sparql", params={"query": SLOW})
        finished.append("slow")

    thread = threading.Thread(target=run_slow)
    thread.start()
    try:
        # while the slow query runs: health, a page and another query all answer
        assert pooled.get("/health").json()["status"] == "ok"
        finished.append("health")
        assert pooled.get("/id/event/series").status_code == 200
        finished.append("page")
        fast = pooled.get("/sparql", params={"query": "ASK { ?s a schema:City }"})
        assert fast.json()["boolean"] is True
        finished.append("query")
    finally:
        thread.join()
    assert finished == ["health", "page", "query", "slow"]
    response = slow["response"]
    assert response.status_code == 503  # type: ignore[attr-defined]
    assert response.headers["retry-after"]  # type: ignore[attr-defined]
    assert response.json()["type"] == "/problems#query-timeout"  # type: ignore[attr-defined]
    assert runner.killed == 1
    # the killed worker is replaced, and the pool answers again
    for _ in range(4):
        assert pooled.get("/sparql", params={"query": "ASK {}"}).status_code == 200
    health = pooled.get("/health").json()
    assert health["queriesStopped"] == 1


def test_timeout_applies_to_canned_queries_and_pages_of_results(pooled: TestClient) -> None:
    response = pooled.get("/query", params={"query": SLOW})
    assert response.status_code == 503
    assert "too long" in response.text or "time limit" in response.text


def test_errors_from_workers_keep_their_kind(pooled: TestClient) -> None:
    response = pooled.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400
    assert response.json()["line"] == 1
    response = pooled.get("/queries/events.json", params={"place": "nope nope"})
    assert response.status_code == 400 and response.json()["parameter"] == "place"


def test_an_overloaded_pool_answers_503(server_root: Path) -> None:
    """With its one worker busy past the limit, a second query waits no longer than the limit."""
    settings = Settings(root=server_root, query_workers=1, query_timeout=2)
    with TestClient(create_app(Project.load(settings=settings), settings)) as client:
        results: list[int] = []
        thread = threading.Thread(
            target=lambda: results.append(client.get("/sparql", params={"query": SLOW}).status_code)
        )
        thread.start()
        runner = client.app.state.pressgraph.dataset.runner  # type: ignore[attr-defined]
        for _ in range(200):  # until the slow query holds the only worker
            if runner._idle.qsize() == 0:
                break
            threading.Event().wait(0.01)
        try:
            waiting = client.get("/sparql", params={"query": "ASK {}"})
        finally:
            thread.join()
        assert results == [503]
        assert waiting.status_code in (200, 503)  # 503 unless the slow one was stopped first
        if waiting.status_code == 503:
            assert "busy" in waiting.json()["detail"] or "time limit" in waiting.json()["detail"]
        assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200
