"""The canned queries in ``queries/``: each one answers what the announcement says.

Expected results are written by hand from the text and the model, one file per run, in
``tests/expected/queries/``:

* ``<name>.json``: the query run without parameters; ``<name>.example.json``: run with
  every parameter at the ``example`` of its header; ``<name>.<case>.json``: further runs.
  Each file gives the ``params`` it was run with, the ``variables`` and the ``rows``. In a
  row an IRI is written ``"<prefix:local>"`` (a prefix of ``pressgraph.namespaces``) or
  ``"<http://...>"``, a literal as its lexical form, and an unbound variable as ``null``
  (or left out).
* ``<name>.json`` / ``<name>.example.ttl`` for a CONSTRUCT query (compared as sets of
  triples), ``<name>.txt`` / ``<name>.example.txt`` (``true`` or ``false``) for an ASK.

Rows are compared as multisets of (term type, lexical form); where the query has an
ORDER BY, the order of the rows is checked as well. Every case is also run

* on pyoxigraph without the union default graph: canned queries name their graphs
  (``GRAPH ?g``, decision 0001), so the default-graph policy must not matter;
* on pyoxigraph with the parameters in ``VALUES`` blocks, as remote endpoints get them
  (decision 0008), instead of substitution;
* through rdflib, an independent engine, on a ``Dataset`` parsed from the same files
  with ``default_union=False``, each query prepared once.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Dataset, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import BNode, Literal, Node

from pressgraph.errors import ParameterError
from pressgraph.namespaces import PREFIXES
from pressgraph.project import Project, ontology_graph_name
from pressgraph.queries import PARAMETER_TYPES, CannedQuery
from pressgraph.rdfio import from_rdflib, to_rdflib
from pressgraph.remote import bind_values
from pressgraph.sparql import QueryResult, run_query

ROOT = Path(__file__).resolve().parents[1]
QUERY_DIR = ROOT / "queries"
EXPECTED_DIR = ROOT / "tests" / "expected" / "queries"

#: How many canned queries and expected-result files there are. Change these numbers on
#: purpose when adding or removing one: the suite must not shrink silently.
EXPECTED_QUERIES = 14
EXPECTED_CASES = 30

#: Queries rdflib cannot run, for a documented limitation of rdflib (xfail, strict).
RDFLIB_LIMITATIONS = {
    "seminars-near": "rdflib implements no GeoSPARQL function (geof:distance)",
}

NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
VARIABLE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.I)
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
#: pyoxigraph's store keeps these as xsd:integer (it reads back
#: "5"^^xsd:nonNegativeInteger as "5"^^xsd:integer); rdflib keeps them as written.
INTEGER_TYPES = {
    XSD + t
    for t in (
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "long",
        "int",
        "short",
        "byte",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
}
EXTENSIONS = {"select": "json", "graph": "ttl", "ask": "txt"}

#: a term as compared with the expected results: (term type, lexical form)
Key = tuple[str, str] | None


# --------------------------------------------------------------------------- cases


@dataclass(frozen=True)
class Case:
    """One expected-result file: ``<query>.<case>.<ext>`` (``case`` empty for no parameters)."""

    query: str
    case: str
    path: Path

    @property
    def ext(self) -> str:
        return self.path.suffix[1:]

    def data(self) -> dict[str, Any]:
        return json.loads(self.path.read_text(encoding="utf-8")) if self.ext == "json" else {}

    def params(self, canned: CannedQuery) -> dict[str, str]:
        """The parameters of this run: written in a JSON case, implied by the name otherwise."""
        if self.ext == "json":
            return dict(self.data()["params"])
        if self.case == "example":
            return {p.name: str(p.example) for p in canned.params}
        assert self.case == "", f"{self.path.name}: only JSON cases can have other names"
        return {}


def _cases() -> list[Case]:
    cases = []
    for path in sorted(EXPECTED_DIR.glob("*.*")):
        query, _, rest = path.name.partition(".")
        case, _, _ext = rest.rpartition(".")
        cases.append(Case(query, case, path))
    return cases


CASES = _cases()
QUERY_NAMES = sorted(p.stem for p in QUERY_DIR.glob("*.rq"))


def _case_params(cases: list[Case]) -> list[Any]:
    return [pytest.param(c, id=c.path.name) for c in cases]


def _rdflib_params(cases: list[Case]) -> list[Any]:
    return [
        pytest.param(
            c,
            id=c.path.name,
            marks=[pytest.mark.xfail(strict=True, reason=RDFLIB_LIMITATIONS[c.query])]
            if c.query in RDFLIB_LIMITATIONS
            else [],
        )
        for c in cases
    ]


# --------------------------------------------------------------------------- engines


@pytest.fixture(scope="module")
def project() -> Project:
    return Project.load(ROOT)


@pytest.fixture(scope="module")
def rdflib_dataset() -> Dataset:
    """The project's files parsed by rdflib: data as TriG, each ontology file into its graph."""
    ds = Dataset(default_union=False)
    for path in sorted((ROOT / "data").rglob("*.trig")):
        ds.parse(path, format="trig")
    for path in sorted((ROOT / "data").rglob("*.nq")):
        ds.parse(path, format="nquads")
    for path in sorted((ROOT / "ontology").rglob("*.ttl")):
        ds.graph(URIRef(ontology_graph_name(path))).parse(path, format="turtle")
    return ds


@cache
def _prepared(name: str, text: str) -> Query:
    """Each query prepared once for rdflib, with no predefined prefixes."""
    return prepareQuery(text)


def _run(project: Project, case: Case, **options: Any) -> QueryResult:
    canned = project.queries[case.query]
    bindings = canned.bind(case.params(canned))
    return run_query(project.store, canned.text, bindings=bindings, source=case.query, **options)


# --------------------------------------------------------------------------- terms


def _expand(name: str) -> str:
    prefix, sep, local = name.partition(":")
    return PREFIXES[prefix] + local if sep and prefix in PREFIXES else name


def _expected_key(value: Any) -> Key:
    if value is None:
        return None
    if isinstance(value, bool):
        return ("literal", str(value).lower())
    if isinstance(value, int | float):
        return ("literal", str(value))
    if value.startswith("<") and value.endswith(">"):
        return ("iri", _expand(value[1:-1]))
    return ("literal", value)


def _ox_key(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> Key:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value)
    return ("literal", term.value)


def _ox_full(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> tuple[str, ...] | None:
    """Key with datatype or language, for comparing two engines."""
    if not isinstance(term, ox.Literal):
        return _ox_key(term)
    return ("literal", term.value, f"@{term.language}" if term.language else term.datatype.value)


def _rdflib_full(term: Node | None) -> tuple[str, ...] | None:
    if term is None:
        return None
    if isinstance(term, URIRef):
        return ("iri", str(term))
    if isinstance(term, BNode):
        return ("bnode", str(term))
    assert isinstance(term, Literal)
    lang = f"@{term.language.lower()}" if term.language else None
    datatype = str(term.datatype or XSD_STRING)
    if datatype in INTEGER_TYPES:
        datatype = XSD + "integer"
    return ("literal", str(term), lang or datatype)


def _expected_rows(case: Case) -> tuple[list[str], list[tuple[Key, ...]]]:
    data = case.data()
    variables = list(data["variables"])
    rows = []
    for row in data["rows"]:
        unknown = set(row) - set(variables)
        assert not unknown, f"{case.path.name}: row has unknown variables {sorted(unknown)}"
        rows.append(tuple(_expected_key(row.get(v)) for v in variables))
    return variables, rows


def _ordered(project: Project, case: Case) -> bool:
    return bool(ORDER_BY.search(project.queries[case.query].text))


def _show(rows: list[tuple[Any, ...]]) -> str:
    return "\n".join(repr(r) for r in rows)


# --------------------------------------------------------------------------- the catalogue


def test_the_catalogue_does_not_shrink(project: Project) -> None:
    assert len(project.queries) == EXPECTED_QUERIES, sorted(project.queries)
    assert sorted(project.queries) == QUERY_NAMES
    assert len(CASES) == EXPECTED_CASES, [c.path.name for c in CASES]
    assert all(NAME.match(n) for n in QUERY_NAMES), "query names are kebab-case (URL paths)"


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_header_documents_the_query(project: Project, name: str) -> None:
    canned = project.queries[name]
    assert canned.summary.strip(), f"{name}: no summary"
    assert len(canned.description.split(". ")) >= 2, f"{name}: describe it in a few sentences"
    assert canned.tags, f"{name}: no tags"
    specs = {spec["name"]: spec for spec in canned.header.get("params") or ()}
    for p in canned.params:
        spec = specs[p.name]
        assert "type" in spec and p.type in PARAMETER_TYPES, f"{name}: {p.name} has no type"
        assert p.description.strip(), f"{name}: parameter {p.name} has no description"
        assert p.example is not None, f"{name}: parameter {p.name} has no example"
        assert VARIABLE.match(p.name), f"{name}: parameter {p.name} is not snake_case"
        if not p.required:
            assert "default" in spec, f"{name}: optional {p.name} must say its default"
        else:
            assert spec.get("default") is None, f"{name}: required {p.name} has a default"


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_every_query_has_expected_results(project: Project, name: str) -> None:
    canned = project.queries[name]
    cases = {c.case: c for c in CASES if c.query == name}
    ext = EXTENSIONS[canned.kind]
    assert all(c.ext == ext for c in cases.values()), f"{name}: {canned.kind} results are .{ext}"
    if not any(p.required for p in canned.params):
        assert "" in cases, f"{name}: write {name}.{ext} (the run without parameters)"
    if canned.params:
        assert "example" in cases, f"{name}: write {name}.example.{ext} (the header examples)"
        example = cases["example"].params(canned)
        assert example == {p.name: p.example for p in canned.params}, (
            f"{name}.example.{ext} is not run with the header examples"
        )
    for case in cases.values():
        params = case.params(canned)
        assert set(params) <= {p.name for p in canned.params}, case.path.name
        assert all(p.name in params for p in canned.params if p.required), case.path.name


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_every_parameter_is_proven_to_filter(project: Project, name: str) -> None:
    """For each parameter, two expected runs differ only in it, and their results differ.

    A required parameter with a single expected run (nothing to compare it with) must at
    least select something with its example.
    """
    canned = project.queries[name]
    runs = []
    for case in (c for c in CASES if c.query == name):
        params = case.params(canned)
        runs.append((case, {p.name: params.get(p.name, p.default) for p in canned.params}))
    for p in canned.params:
        proven = [
            (a.path.name, b.path.name)
            for a, pa in runs
            for b, pb in runs
            if pa[p.name] != pb[p.name]
            and all(pa[o.name] == pb[o.name] for o in canned.params if o is not p)
            and _result_of(a) != _result_of(b)
        ]
        if p.required and len(runs) == 1:
            assert _result_of(runs[0][0]), f"{name}: the example of {p.name} selects nothing"
        else:
            assert proven, f"{name}: no pair of expected runs shows that {p.name} filters"


def _result_of(case: Case) -> Any:
    if case.ext == "json":
        return Counter(_expected_rows(case)[1])
    return case.path.read_text(encoding="utf-8").strip()


# --------------------------------------------------------------------------- answers


@pytest.mark.parametrize("case", _case_params(CASES))
def test_query_answers_what_the_text_says(project: Project, case: Case) -> None:
    canned = project.queries[case.query]
    result = project.query(case.query, case.params(canned))
    if case.ext == "txt":
        assert result.kind == "ask"
        assert result.boolean is (case.path.read_text(encoding="utf-8").strip() == "true")
    elif case.ext == "ttl":
        assert result.kind == "graph"
        parsed = ox.parse(case.path.read_bytes(), format=ox.RdfFormat.TURTLE)
        expected = {quad.triple for quad in parsed}
        got = set(result.triples)
        assert got == expected, (
            f"missing:\n{_show(sorted(map(str, expected - got)))}\n"
            f"unexpected:\n{_show(sorted(map(str, got - expected)))}"
        )
    else:
        assert result.kind == "select"
        variables, expected = _expected_rows(case)
        assert result.variables == variables
        got = [tuple(_ox_key(t) for t in row) for row in result.rows]
        missing, unexpected = Counter(expected) - Counter(got), Counter(got) - Counter(expected)
        assert not missing and not unexpected, (
            f"missing:\n{_show(list(missing.elements()))}\n"
            f"unexpected:\n{_show(list(unexpected.elements()))}"
        )
        if _ordered(project, case):
            assert got == expected, "rows are not in the order the query promises"


@pytest.mark.parametrize("case", _case_params(CASES))
def test_default_graph_policy_does_not_matter(project: Project, case: Case) -> None:
    union = _run(project, case, union_default_graph=True)
    no_union = _run(project, case, union_default_graph=False)
    assert (no_union.boolean, no_union.variables) == (union.boolean, union.variables)
    assert no_union.rows == union.rows
    assert set(no_union.triples) == set(union.triples)


@pytest.mark.parametrize("case", _case_params(CASES))
def test_values_blocks_bind_like_substitution(project: Project, case: Case) -> None:
    canned = project.queries[case.query]
    text = bind_values(canned.text, canned.bind(case.params(canned)))
    substituted = _run(project, case)
    with_values = run_query(project.store, text, source=case.query, union_default_graph=False)
    assert (with_values.boolean, with_values.variables) == (
        substituted.boolean,
        substituted.variables,
    )
    assert with_values.rows == substituted.rows
    assert set(with_values.triples) == set(substituted.triples)


@pytest.mark.parametrize("case", _rdflib_params(CASES))
def test_rdflib_gives_the_same_answers(
    project: Project, rdflib_dataset: Dataset, case: Case
) -> None:
    canned = project.queries[case.query]
    bindings = {k: to_rdflib(v) for k, v in canned.bind(case.params(canned)).items()}
    expected = _run(project, case)  # what the server answers (union default graph)
    result = rdflib_dataset.query(_prepared(case.query, canned.text), initBindings=bindings)
    if expected.kind == "ask":
        assert result.askAnswer is expected.boolean
    elif expected.kind == "graph":
        assert result.graph is not None
        got = {ox.Triple(*(from_rdflib(t) for t in triple)) for triple in result.graph}
        assert got == set(expected.triples)
    else:
        assert [str(v) for v in result.vars or ()] == expected.variables
        ox_rows = [tuple(_ox_full(t) for t in row) for row in expected.rows]
        rdflib_rows = [tuple(_rdflib_full(t) for t in row) for row in result]  # type: ignore[union-attr]
        assert Counter(rdflib_rows) == Counter(ox_rows), (
            f"rdflib:\n{_show(rdflib_rows)}\npyoxigraph:\n{_show(ox_rows)}"
        )
        if _ordered(project, case):
            assert rdflib_rows == ox_rows, "rdflib orders the rows differently"


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("name", "params", "parameter", "message"),
    [
        ("evidence", {}, "entity", "query 'evidence' needs parameter 'entity'"),
        ("seminars", {"place": "not an iri"}, "place", "parameter 'place' must be an IRI"),
        ("seminars-near", {"place": "place:almaty", "max_km": "far"}, "max_km", "must be a"),
        ("seminars", {"city": "place:shymkent"}, "city", "query 'seminars' has no parameter"),
    ],
)
def test_wrong_parameters_name_the_parameter(
    project: Project, name: str, params: dict[str, str], parameter: str, message: str
) -> None:
    with pytest.raises(ParameterError) as info:
        project.query(name, params)
    assert info.value.parameter == parameter
    assert message in str(info.value) and repr(parameter) in str(info.value)


def test_traceability_check_fails_when_an_offset_is_wrong(project: Project) -> None:
    """The ASK query is not vacuous: shift one span by a character and it answers false."""
    start = ox.NamedNode(str(PREFIXES["oa"]) + "start")
    selector = ox.NamedNode(PREFIXES["span"] + "2016-10-06-osce-anti-trafficking-seminars-s04-tp")
    store = ox.Store()
    for quad in project.quads():
        if quad.subject == selector and quad.predicate == start:
            assert isinstance(quad.object, ox.Literal)
            shifted = ox.Literal(str(int(quad.object.value) + 1), datatype=quad.object.datatype)
            quad = ox.Quad(quad.subject, quad.predicate, shifted, quad.graph_name)
        store.add(quad)
    canned = project.queries["claims-are-traceable"]
    assert run_query(project.store, canned.text).boolean is True
    assert run_query(store, canned.text).boolean is False
