"""W3C SPARQL 1.1 Protocol and Service Description tests, run against the app in-process.

Reads ``shared/w3c/sparql11-protocol/manifest.ttl`` (34 tests: queries, updates and
error cases) and ``shared/w3c/service-description/manifest.ttl`` (3 tests, written
in prose: checked here as the W3C describes them). The app is writable (the token is
configured and sent) and evaluates queries in a worker process, as in production.
None is documented as not applicable: all 34 + 3 run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from pyshacl import validate
from rdflib import RDF, Graph, URIRef
from server_support import TOKEN, make_empty_project
from starlette.testclient import TestClient
from w3c_manifest import W3CTest, manifest_tests
from w3c_runner import RESULTS, run_test

from pressgraph.project import Project
from pressgraph.server import create_app
from pressgraph.settings import Settings

PROTOCOL = manifest_tests("sparql11-protocol/manifest.ttl")
SERVICE_DESCRIPTION = manifest_tests("service-description/manifest.ttl")
EXPECTED_PROTOCOL = 34
EXPECTED_SERVICE_DESCRIPTION = 3
ENDPOINT = "http://www.example/sparql"


@pytest.fixture(scope="module")
def w3c_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    root = make_empty_project(tmp_path_factory.mktemp("w3c-protocol") / "project")
    settings = Settings(root=root, write_token=TOKEN, query_workers=1, query_timeout=20)
    app = create_app(Project.load(settings=settings), settings)
    with TestClient(app, base_url="http://www.example") as client:
        yield client


def test_the_suites_do_not_shrink() -> None:
    assert len(PROTOCOL) == EXPECTED_PROTOCOL
    assert len(SERVICE_DESCRIPTION) == EXPECTED_SERVICE_DESCRIPTION


@pytest.mark.parametrize("test", PROTOCOL, ids=lambda t: t.id)
def test_protocol(w3c_client: TestClient, test: W3CTest) -> None:
    counts = RESULTS.setdefault("sparql11-protocol", Counter())
    counts["ran"] += 1
    run_test(w3c_client, w3c_client.app.state.pressgraph, test, TOKEN)  # type: ignore[attr-defined]
    counts["passed"] += 1


SD_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix t: <urn:test:> .

t:Service a sh:NodeShape ; sh:targetClass sd:Service ;
  sh:property [ sh:path sd:endpoint ; sh:minCount 1 ; sh:nodeKind sh:IRI ] ;
  sh:property [ sh:path sd:supportedLanguage ; sh:minCount 1 ;
                sh:in ( sd:SPARQL10Query sd:SPARQL11Query sd:SPARQL11Update ) ] ;
  sh:property [ sh:path sd:resultFormat ; sh:nodeKind sh:IRI ] ;
  sh:property [ sh:path sd:feature ; sh:nodeKind sh:IRI ] ;
  sh:property [ sh:path sd:defaultEntailmentRegime ; sh:nodeKind sh:IRI ] ;
  sh:property [ sh:path sd:defaultDataset ; sh:class sd:Dataset ; sh:maxCount 1 ] .
t:Dataset a sh:NodeShape ; sh:targetClass sd:Dataset ;
  sh:property [ sh:path sd:defaultGraph ; sh:class sd:Graph ; sh:maxCount 1 ] ;
  sh:property [ sh:path sd:namedGraph ; sh:class sd:NamedGraph ] .
t:NamedGraph a sh:NodeShape ; sh:targetClass sd:NamedGraph ;
  sh:property [ sh:path sd:name ; sh:minCount 1 ; sh:maxCount 1 ; sh:nodeKind sh:IRI ] .
"""


def _description(client: TestClient, accept: str) -> Graph:
    response = client.get("/sparql", headers={"Accept": accept})
    assert response.status_code == 200, response.text
    media = response.headers["content-type"].split(";")[0]
    assert media == accept
    formats = {
        "text/turtle": "turtle",
        "application/rdf+xml": "xml",
        "application/ld+json": "json-ld",
    }
    g = Graph()
    g.parse(data=response.content, format=formats[accept], publicID=ENDPOINT)
    return g


def _sd_returns_rdf(client: TestClient) -> None:
    for accept in ("text/turtle", "application/rdf+xml", "application/ld+json"):
        assert len(_description(client, accept)) > 0


def _sd_has_endpoint_triple(client: TestClient) -> None:
    g = _description(client, "text/turtle")
    ask = g.query(
        "ASK { ?service <http://www.w3.org/ns/sparql-service-description#endpoint> ?e }",
        initBindings={"e": URIRef(ENDPOINT)},
    )
    assert ask.askAnswer, g.serialize(format="turtle")


def _sd_conforms_to_schema(client: TestClient) -> None:
    g = _description(client, "text/turtle")
    shapes = Graph().parse(data=SD_SHAPES, format="turtle")
    conforms, _, text = validate(g, shacl_graph=shapes)
    assert conforms, text
    services = list(
        g.subjects(RDF.type, URIRef("http://www.w3.org/ns/sparql-service-description#Service"))
    )
    assert len(services) == 1


SD_CHECKS = {
    "returns-rdf": _sd_returns_rdf,
    "has-endpoint-triple": _sd_has_endpoint_triple,
    "conforms-to-schema": _sd_conforms_to_schema,
}


@pytest.mark.parametrize("test", SERVICE_DESCRIPTION, ids=lambda t: t.id)
def test_service_description(w3c_client: TestClient, test: W3CTest) -> None:
    counts = RESULTS.setdefault("service-description", Counter())
    counts["ran"] += 1
    ctx = w3c_client.app.state.pressgraph  # type: ignore[attr-defined]
    ctx.dataset.commit(
        list(ctx.dataset.store),
        [
            ox.Quad(
                ox.NamedNode("http://example.org/s"),
                ox.NamedNode("http://example.org/p"),
                ox.Literal("o"),
                ox.NamedNode("http://example.org/g"),
            )
        ],
        "service description test data",
    )
    SD_CHECKS[test.id](w3c_client)
    counts["passed"] += 1


def test_sd_checks_cover_the_manifest() -> None:
    assert {t.id for t in SERVICE_DESCRIPTION} == set(SD_CHECKS)
