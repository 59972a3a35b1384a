"""W3C SPARQL 1.1 Graph Store HTTP Protocol tests, run against the app in-process.

Reads ``shared/w3c/graph-store-protocol/manifest-direct.ttl`` (5 tests: the four it
lists in ``mf:entries`` and ``head_non_existing_direct``, which it declares but does
not list) and ``manifest-indirect.ttl`` (9 tests). Direct identification maps
``/gsp/<path>`` onto this server's graph IRIs ``{base}graph/<path>``; indirect
identification uses ``/rdf-graphs/service``. Writes need the token, which every
request carries. None is documented as not applicable: all 14 run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from server_support import TOKEN, make_empty_project
from starlette.testclient import TestClient
from w3c_manifest import W3CTest, manifest_tests
from w3c_runner import RESULTS, run_test

from pressgraph.project import Project
from pressgraph.server import create_app
from pressgraph.settings import Settings

GRAPH_STORE = manifest_tests(
    "graph-store-protocol/manifest-direct.ttl", "graph-store-protocol/manifest-indirect.ttl"
)
EXPECTED_GRAPH_STORE = 14


@pytest.fixture(scope="module")
def gsp_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    root = make_empty_project(tmp_path_factory.mktemp("w3c-gsp") / "project")
    settings = Settings(root=root, write_token=TOKEN, query_workers=1)
    app = create_app(Project.load(settings=settings), settings)
    with TestClient(app, base_url="http://www.example") as client:
        yield client


def test_the_suite_does_not_shrink() -> None:
    assert len(GRAPH_STORE) == EXPECTED_GRAPH_STORE


@pytest.mark.parametrize("test", GRAPH_STORE, ids=lambda t: t.id)
def test_graph_store(gsp_client: TestClient, test: W3CTest) -> None:
    counts = RESULTS.setdefault("graph-store-protocol", Counter())
    counts["ran"] += 1
    run_test(gsp_client, gsp_client.app.state.pressgraph, test, TOKEN)  # type: ignore[attr-defined]
    counts["passed"] += 1


def test_graph_store_needs_the_token(gsp_client: TestClient) -> None:
    """The same requests without the token are refused and change nothing."""
    turtle = b"<http://www.example/s> <http://www.example/p> 1 ."
    headers = {"content-type": "text/turtle"}
    path = "/rdf-graphs/service?graph=http://www.example/no-token"
    assert gsp_client.put(path, content=turtle, headers=headers).status_code == 401
    bad = {**headers, "authorization": "Bearer wrong"}
    assert gsp_client.put(path, content=turtle, headers=bad).status_code == 401
    assert gsp_client.get(path).status_code == 404
