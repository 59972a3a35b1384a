"""Query execution: policy, union default graph, bindings, limits, error positions."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from pressgraph.errors import QueryError, QueryRefused, QueryTimeout
from pressgraph.sparql import check_policy, run_query, run_update

EX = "http://ex/"


@pytest.fixture
def store() -> ox.Store:
    s = ox.Store()
    for i in range(5):
        s.add(
            ox.Quad(
                ox.NamedNode(f"{EX}s{i}"),
                ox.NamedNode(f"{EX}p"),
                ox.Literal(
                    str(i), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
                ),
                ox.NamedNode(f"{EX}g{i % 2}"),
            )
        )
    return s


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://evil/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { service silent <http://evil/> { ?s ?p ?o } }",
    ],
)
def test_service_is_refused(text: str) -> None:
    with pytest.raises(QueryRefused, match="SERVICE is not allowed"):
        check_policy(text)


@pytest.mark.parametrize(
    "text",
    [
        'SELECT * WHERE { ?s <http://ex/SERVICE> "SERVICE" }',
        "SELECT * WHERE { ?s ?p ?o } # SERVICE in a comment",
        "SELECT ?service WHERE { ?service ?p ?o }",
        "PREFIX service: <http://ex/> SELECT * WHERE { ?s service:x ?o }",
        "PREFIX ex: <http://ex/> SELECT * WHERE { ?s ex:service ?o }",
    ],
)
def test_service_in_strings_iris_comments_and_names_is_fine(text: str) -> None:
    check_policy(text)


def test_load_is_refused_in_updates_with_position() -> None:
    with pytest.raises(QueryRefused) as info:
        check_policy("PREFIX ex: <http://ex/>\nLOAD <http://evil/data.ttl>", update=True)
    assert (info.value.line, info.value.column) == (2, 1)


def test_default_graph_is_the_union(store: ox.Store) -> None:
    r = run_query(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert r.values() == [{"n": "5"}]
    r = run_query(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", union_default_graph=False)
    assert r.values() == [{"n": "0"}]


def test_default_graph_uri_selects_graphs(store: ox.Store) -> None:
    r = run_query(
        store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graph=[ox.NamedNode(f"{EX}g0")]
    )
    assert r.values() == [{"n": "3"}]


def test_bindings_are_substituted_as_terms(store: ox.Store) -> None:
    r = run_query(
        store,
        "SELECT ?s ?o WHERE { ?s ?p ?o }",
        bindings={"s": ox.NamedNode(f"{EX}s3")},
    )
    assert r.values() == [{"s": f"{EX}s3", "o": "3"}]
    # a string that looks like SPARQL stays a string: nothing is spliced
    r = run_query(
        store,
        "SELECT ?s ?o WHERE { ?s ?p ?o }",
        bindings={"o": ox.Literal('3" } UNION { ?s ?p ?o')},
    )
    assert r.rows == []


def test_row_limit_truncates(store: ox.Store) -> None:
    r = run_query(store, "SELECT ?s WHERE { ?s ?p ?o }", max_rows=2)
    assert len(r.rows) == 2 and r.truncated


def test_timeout_stops_the_query(store: ox.Store) -> None:
    with pytest.raises(QueryTimeout, match="time limit"):
        run_query(
            store,
            "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
            timeout=-1.0,
        )


def test_syntax_error_has_line_and_column(store: ox.Store) -> None:
    with pytest.raises(QueryError) as info:
        run_query(store, "SELECT *\nWHERE { ?s ?p }", source="adhoc")
    assert (info.value.path, info.value.line, info.value.column) == ("adhoc", 2, 15)


def test_ask_and_construct(store: ox.Store) -> None:
    assert run_query(store, "ASK { ?s ?p 4 }").boolean is True
    r = run_query(store, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(?o < 2) }")
    assert r.kind == "graph" and len(r.triples) == 2


def test_update_applies_and_refuses_load(store: ox.Store) -> None:
    run_update(store, "INSERT DATA { GRAPH <http://ex/g9> { <http://ex/a> <http://ex/b> 1 } }")
    assert run_query(store, "ASK { GRAPH <http://ex/g9> { ?s ?p 1 } }").boolean is True
    with pytest.raises(QueryRefused):
        run_update(store, "LOAD <http://evil/x>")
