"""Remote endpoints: parameter binding, same answers as locally, error messages, credentials.

End-to-end tests run against a real ``oxigraph serve`` loaded with the project's
dataset; error paths use tiny local HTTP servers. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import logging
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from oxigraph_server import (  # the fixtures are named oxigraph and fake_server
    FakeServer,
    OxigraphServer,
    Reply,
    Request,
    fake_server_fixture,  # noqa: F401
    free_port,
    oxigraph_binary,
    oxigraph_fixture,  # noqa: F401
    start_oxigraph,
)

from pressgraph.cli import main
from pressgraph.errors import EndpointError, ParameterError, QueryRefused
from pressgraph.project import Project
from pressgraph.queries import CannedQuery, Catalogue
from pressgraph.remote import (
    TOKEN_ENV,
    Auth,
    RemoteEndpoint,
    bind_values,
    split_credentials,
    with_prefixes,
)
from pressgraph.results import GRAPH_FORMATS, TABULAR_FORMATS, render
from pressgraph.sparql import QueryResult

ROOT = Path(__file__).resolve().parents[1]
CANNED = sorted(p.stem for p in (ROOT / "queries").glob("*.rq"))
XSD = "http://www.w3.org/2001/XMLSchema#"
HOSTILE = 'x" } } ; DROP ALL ; SELECT * WHERE { ?a ?b "\n} # \\ \'\'\' """ <http://evil/>'

FakeStarter = Callable[[Callable[[Request], Reply]], FakeServer]


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def project() -> Project:
    return Project.load(ROOT)


@pytest.fixture(scope="module")
def loaded(project: Project, tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """An ``oxigraph serve`` holding the project's dataset (loaded with ``oxigraph load``)."""
    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph CLI is not installed (pip install -e '.[test]' provides it)")
    folder = tmp_path_factory.mktemp("loaded")
    dump = folder / "dataset.nq"
    dump.write_bytes(ox.serialize(list(project.quads()), format=ox.RdfFormat.N_QUADS) or b"")
    location = folder / "store"
    subprocess.run(
        [binary, "load", "--location", str(location), "--file", str(dump)],
        check=True,
        capture_output=True,
    )
    server = start_oxigraph(location)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def endpoint(loaded: OxigraphServer) -> RemoteEndpoint:
    return RemoteEndpoint(loaded.query_url, timeout=30)


def example_params(canned: CannedQuery) -> dict[str, str]:
    return {p.name: p.example for p in canned.params if p.example is not None}


def as_set(result: QueryResult) -> object:
    """A result as a set, for comparing answers whatever the row order."""
    if result.kind == "ask":
        return result.boolean
    if result.kind == "graph":
        return frozenset(map(str, result.triples))
    return (tuple(result.variables), frozenset(result.rows))


def local_answer(
    store: ox.Store, text: str, bindings: dict[str, ox.NamedNode | ox.Literal]
) -> object:
    result = store.query(
        text,
        substitutions={ox.Variable(k): v for k, v in bindings.items()},
        use_default_graph_as_union=True,
    )
    return _answer(result)


def _answer(result: object) -> object:
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QueryTriples):
        return frozenset(map(str, result))
    assert isinstance(result, ox.QuerySolutions)
    variables = [v.value for v in result.variables]
    return (tuple(variables), frozenset(tuple(s[v] for v in variables) for s in result))


# ------------------------------------------------------- binding (no network)


def test_values_block_carries_terms_not_text() -> None:
    hostile = ox.Literal(HOSTILE)
    bindings = {
        "a": hostile,
        "b": ox.NamedNode("https://data.example.org/id/place/shymkent"),
        "c": ox.Literal("Астана", language="kk"),
        "d": ox.Literal("2016-10-06", datatype=ox.NamedNode(XSD + "date")),
    }
    text = bind_values("SELECT ?a ?b ?c ?d WHERE { }", bindings)
    rows = list(ox.Store().query(text))
    assert len(rows) == 1
    assert [rows[0][v] for v in "abcd"] == list(bindings.values())
    # the hostile text is inside one string literal: the query has one VALUES block, one SELECT
    assert text.count("VALUES") == 1 + HOSTILE.count("VALUES")
    assert text.startswith("SELECT ?a ?b ?c ?d WHERE { VALUES (?a ?b ?c ?d) {")


@pytest.mark.parametrize(
    "bindings",
    [
        {"x": ox.BlankNode("b0")},
        {"not a name": ox.Literal("x")},
        {"x} } DROP ALL {": ox.Literal("x")},
    ],
)
def test_values_block_refuses_what_is_not_a_term_or_name(bindings: dict[str, object]) -> None:
    with pytest.raises(ParameterError):
        bind_values("SELECT ?x WHERE { }", bindings)  # type: ignore[arg-type]


SHAPES = [
    # a parameter inside OPTIONAL, MINUS, EXISTS, UNION, GRAPH, FILTER, a sub-query...
    "SELECT ?e ?s WHERE { GRAPH ?g { ?e a :E OPTIONAL { ?e :in ?s } } }",
    "SELECT ?e ?s WHERE { GRAPH ?g { ?e a :E } OPTIONAL { GRAPH ?h { ?e :in ?s } } }",
    "SELECT ?e ?s WHERE { GRAPH ?g { ?e a :E MINUS { ?e :in ?s } } }",
    "SELECT ?e ?s WHERE { GRAPH ?g { ?e a :E FILTER EXISTS { ?e :in ?s } } }",
    "SELECT ?e ?s WHERE { GRAPH ?g { ?e a :E FILTER NOT EXISTS { ?e :in ?s } } }",
    "SELECT ?e ?s WHERE { GRAPH ?g { { ?e :in ?s } UNION { ?e a :E } } }",
    "SELECT ?e ?n WHERE { GRAPH ?g { ?e :d ?d FILTER (?d >= ?n) } BIND (:s1 AS ?z) }",
    "SELECT ?e ?n WHERE { GRAPH ?g { ?e :d ?d } FILTER (?d >= ?n) }",
    "SELECT ?e ?s WHERE { { SELECT ?e WHERE { GRAPH ?g { ?e :in ?s } } } }",
    "SELECT ?e ?s WHERE { GRAPH ?g { ?e a :E } { SELECT ?e ?s WHERE { GRAPH ?g { ?e :in ?s } } } }",
    "SELECT ?e ?s WHERE { SELECT ?e ?s WHERE { GRAPH ?g { ?e :in ?s } } }",
    "SELECT ?s (COUNT(?e) AS ?k) WHERE { GRAPH ?g { ?e :in ?s } } GROUP BY ?s",
    "SELECT ?e ?s (EXISTS { GRAPH ?h { ?e :in ?s } } AS ?b) WHERE { GRAPH ?g { ?e a :E } }",
    "SELECT ?e ?s WHERE { GRAPH ?g { ?e a :E VALUES ?e { :e1 :e2 } } }",
    "SELECT ?e ?s WHERE { GRAPH ?g { ?e :in ?s } } VALUES ?e { :e1 :e2 }",
    "SELECT * WHERE { GRAPH ?g { ?e :in ?s } }",
    "# a comment with { and SELECT\n"
    "SELECT ?e ?s WHERE { GRAPH ?g { ?e :label '{ ?s }' ; :in ?s } }",
    "ASK { GRAPH ?g { ?e :in ?s } }",
    "CONSTRUCT { ?e :x ?s } WHERE { GRAPH ?g { ?e :in ?s } }",
    "CONSTRUCT { ?e :x ?s } { GRAPH ?g { ?e :in ?s } }",
    "CONSTRUCT WHERE { ?e :in ?s }",
    "DESCRIBE ?s WHERE { GRAPH ?g { ?e :in ?s } }",
]


def test_shapes_are_all_checked() -> None:
    assert len(SHAPES) == 22


@pytest.mark.parametrize("query", SHAPES)
def test_values_block_means_what_local_substitution_means(query: str) -> None:
    store = ox.Store()
    store.update(
        "PREFIX : <http://x/> INSERT DATA { GRAPH :g { :e1 a :E ; :in :s1 ; :d 1 ;"
        " :label '{ ?s }' . :e2 a :E ; :in :s2 ; :d 5 . :e3 a :E ; :d 9 }"
        " GRAPH :h { :e1 :in :s1 } }"
    )
    text = "PREFIX : <http://x/> " + query
    bindings: dict[str, ox.NamedNode | ox.Literal] = {"s": ox.NamedNode("http://x/s1")}
    if "?n" in query:
        bindings = {"n": ox.Literal("4", datatype=ox.NamedNode(XSD + "integer"))}
    bound = bind_values(text, bindings)
    assert _answer(store.query(bound, use_default_graph_as_union=True)) == local_answer(
        store, text, bindings
    )


@pytest.mark.parametrize("name", CANNED)
def test_canned_query_binds_like_substitution(project: Project, name: str) -> None:
    """Each parameter alone, with its example and (for IRIs) with an IRI that matches nothing."""
    canned = project.queries[name]
    required = {p.name: p.example for p in canned.params if p.required and p.example}
    trials = [required, example_params(canned)]
    for p in canned.params:
        if p.type == "iri":
            trials.append({**required, p.name: "https://data.example.org/id/nothing"})
    for params in trials:
        bindings = canned.bind(params)
        bound = with_prefixes(bind_values(canned.text, bindings))
        got = _answer(project.store.query(bound, use_default_graph_as_union=True))
        assert got == local_answer(project.store, canned.text, bindings), params


def test_with_prefixes_adds_used_project_prefixes_on_the_first_line() -> None:
    text = (
        "# find cities\nPREFIX schema: <http://schema.org/>\n"
        "SELECT * WHERE { ?p a schema:City ; pg:x place:y }"
    )
    out = with_prefixes(text)
    assert out.count("\n") == text.count("\n")  # line numbers in endpoint errors stay right
    first = out.split("\n")[0]
    assert "PREFIX pg: <https://data.example.org/ns#>" in first
    assert "PREFIX place:" in first and "PREFIX schema:" not in first
    assert with_prefixes("SELECT * WHERE { ?s ?p '<a:b>' }") == "SELECT * WHERE { ?s ?p '<a:b>' }"


def test_credentials_are_split_from_the_url_and_hidden() -> None:
    url, auth = split_credentials("https://ann%40x:p%3Aw@example.org:8443/sparql?x=1")
    assert url == "https://example.org:8443/sparql?x=1"
    assert (auth.user, auth.password) == ("ann@x", "p:w")
    assert "p:w" not in repr(auth) and "p:w" not in repr(RemoteEndpoint("http://a:p%3Aw@h/q"))
    assert Auth(token="t0k3n").header == "Bearer t0k3n"
    assert Auth(user="u", password="p").header == "Basic dTpw"
    assert Auth(user="u", password="secret").redact("u:secret dTpzZWNyZXQ=") == "u:*** ***"
    with pytest.raises(EndpointError, match="not both"):
        Auth(user="u", password="p", token="t")


# ------------------------------------------------------ against oxigraph serve


def test_every_canned_query_is_run_remotely() -> None:
    """The parametrised suites below must not shrink silently."""
    assert len(CANNED) >= 14
    assert sorted(Catalogue.load(ROOT / "queries")) == CANNED


@pytest.mark.parametrize("name", CANNED)
def test_canned_query_answers_the_same_remotely(
    project: Project, endpoint: RemoteEndpoint, name: str
) -> None:
    canned = project.queries[name]
    params = example_params(canned)
    local = project.query(name, params)
    remote = endpoint.canned(canned, params)
    assert remote.kind == local.kind
    assert as_set(remote) == as_set(local)


def test_every_output_format_is_identical(project: Project, endpoint: RemoteEndpoint) -> None:
    select = (
        "SELECT ?place ?name ?lat WHERE { GRAPH ?g { ?place a schema:City ; schema:name ?name } "
        "OPTIONAL { GRAPH ?h { ?place schema:geo/schema:latitude ?lat } } } ORDER BY ?place ?name"
    )
    ask = "ASK { GRAPH ?g { ?s a schema:City } }"
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s a schema:City ; ?p ?o } }"
    for text, formats in (
        (select, TABULAR_FORMATS),
        (ask, TABULAR_FORMATS),
        (construct, GRAPH_FORMATS),
    ):
        local, remote = project.sparql(text), endpoint.query(text)
        assert local.rows or local.boolean or local.triples
        for fmt in formats:
            assert render(remote, fmt) == render(local, fmt), (text, fmt)


def test_hostile_parameter_value_is_one_literal_remotely(oxigraph: OxigraphServer) -> None:
    store = ox.Store()
    graph = ox.NamedNode("http://x/g")
    store.add(
        ox.Quad(
            ox.NamedNode("http://x/a"), ox.NamedNode("http://x/label"), ox.Literal(HOSTILE), graph
        )
    )
    body = ox.serialize([q.triple for q in store], format=ox.RdfFormat.N_TRIPLES) or b""
    from pressgraph.publish import GraphStore

    GraphStore(oxigraph.store_url)._request(
        "PUT", graph.value, body=body, content_type="application/n-triples"
    )
    text = "SELECT ?s ?label WHERE { GRAPH ?g { ?s <http://x/label> ?label } }"
    remote = RemoteEndpoint(oxigraph.query_url)
    hit = remote.query(text, {"label": ox.Literal(HOSTILE)})
    assert hit.rows == [(ox.NamedNode("http://x/a"), ox.Literal(HOSTILE))]
    assert remote.query(text, {"label": ox.Literal(HOSTILE + " ")}).rows == []
    # the store is intact: the value did not become an update or a second query
    count = remote.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert count.rows[0][0] == ox.Literal("1", datatype=ox.NamedNode(XSD + "integer"))


def test_ad_hoc_query_may_use_project_prefixes(endpoint: RemoteEndpoint) -> None:
    result = endpoint.query("SELECT ?c WHERE { GRAPH ?g { ?c a schema:City } }")
    assert result.kind == "select" and result.rows


def test_service_is_refused_before_anything_is_sent(fake_server: FakeStarter) -> None:
    fake = fake_server(lambda r: Reply(200))
    with pytest.raises(QueryRefused):
        RemoteEndpoint(fake.url).query("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }")
    assert fake.requests == []


def test_rows_beyond_the_limit_are_cut(loaded: OxigraphServer) -> None:
    remote = RemoteEndpoint(loaded.query_url, max_rows=3)
    result = remote.query("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert len(result.rows) == 3 and result.truncated


# ---------------------------------------------------------------- errors


def test_connection_refused_is_an_endpoint_error() -> None:
    url = f"http://127.0.0.1:{free_port()}/sparql"
    with pytest.raises(
        EndpointError, match=r"cannot reach http://127\.0\.0\.1:\d+/sparql: connection refused"
    ):
        RemoteEndpoint(url, timeout=5).query("ASK {}")


def test_bad_query_reports_the_endpoints_message(oxigraph: OxigraphServer) -> None:
    with pytest.raises(EndpointError) as caught:
        RemoteEndpoint(oxigraph.query_url).query("SELECT * WHERE { ?s ?p }")
    message = str(caught.value)
    assert (
        f"the endpoint {oxigraph.query_url} rejected the query (HTTP 400): error at 1:" in message
    )


def test_canned_query_error_names_the_file(project: Project, fake_server: FakeStarter) -> None:
    fake = fake_server(lambda r: Reply(500, b"boom"))
    canned = project.queries[CANNED[0]]
    with pytest.raises(
        EndpointError, match=rf"^{canned.path}: the endpoint .* failed \(HTTP 500\): boom$"
    ):
        RemoteEndpoint(fake.url).canned(canned, example_params(canned))


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (
            Reply(500, b"<html><body><h1>Internal</h1><p>boom</p></body></html>"),
            r"failed \(HTTP 500\): Internal boom$",
        ),
        (Reply(503, b"try later"), r"failed \(HTTP 503\): try later$"),
        (Reply(502), r"failed \(HTTP 502\)$"),
        (Reply(404, b"no"), r"nothing answers at http://127\.0\.0\.1:\d+/sparql \(HTTP 404\)"),
        (Reply(401, b""), r"refused access \(HTTP 401\): check the credentials"),
        (Reply(403, b"forbidden"), r"refused access \(HTTP 403\)"),
        (Reply(400, b"bad"), r"rejected the query \(HTTP 400\): bad$"),
        (Reply(418, b"teapot"), r"answered HTTP 418: teapot$"),
        (
            Reply(200, b"<html>hello</html>", {"Content-Type": "text/html"}),
            r"answered with something that is not a usable result \(text/html\)",
        ),
        (
            Reply(200, b"<a> <b> <c> .", {"Content-Type": "application/n-triples"}),
            r"not a usable result \(application/n-triples\): an RDF graph for a SELECT query",
        ),
        (
            Reply(200, b'{"head": ', {"Content-Type": "application/sparql-results+json"}),
            r"not a usable result \(application/sparql-results\+json\)",
        ),
        (
            Reply(
                200,
                b'{"head": {"vars": ["a"]}, "results": {"bindings": [{"a": {"type": "uri", '
                b'"value": "http://x"}}, {"a": {"type": "bogus"',
                {"Content-Type": "application/sparql-results+json"},
            ),
            r"not a usable result \(application/sparql-results\+json\): .*bogus",
        ),
    ],
)
def test_http_failures_become_clear_endpoint_errors(
    fake_server: FakeStarter, reply: Reply, message: str
) -> None:
    fake = fake_server(lambda r: reply)
    with pytest.raises(EndpointError, match=message):
        RemoteEndpoint(fake.url + "/sparql", timeout=5).query("SELECT * WHERE { ?s ?p ?o }")


def test_slow_endpoint_times_out(fake_server: FakeStarter) -> None:
    def slow(request: Request) -> Reply:
        fake.release.wait(10)
        return Reply(200)

    fake = fake_server(slow)
    with pytest.raises(EndpointError, match=r"did not answer within 0\.3 s \(timeout\)"):
        RemoteEndpoint(fake.url, timeout=0.3).query("ASK {}")


def test_requests_are_sparql_protocol_posts(fake_server: FakeStarter) -> None:
    body = b'{"head": {}, "boolean": true}'
    fake = fake_server(
        lambda r: Reply(200, body, {"Content-Type": "application/sparql-results+json"})
    )
    result = RemoteEndpoint(fake.url + "/sparql").query("ASK { ?s a schema:City }")
    assert result.kind == "ask" and result.boolean is True
    [request] = fake.requests
    assert request.method == "POST" and request.path == "/sparql"
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.headers["Accept"] == "application/sparql-results+json"
    assert request.body.startswith(b"query=PREFIX+schema")


# ------------------------------------------------------------ credentials

SECRET = "s3cr3t-Pa55"


def echoing(request: Request) -> Reply:
    """A server that refuses access and (badly) echoes what it was sent."""
    echo = f"you sent {request.headers.get('Authorization')} to {request.path}".encode()
    return Reply(401, echo, {"WWW-Authenticate": 'Basic realm="x"'})


@pytest.mark.parametrize("how", ["token", "password", "url"])
def test_credentials_are_sent_and_never_shown(
    fake_server: FakeStarter, caplog: pytest.LogCaptureFixture, how: str
) -> None:
    fake = fake_server(echoing)
    host = fake.url.removeprefix("http://")
    url, auth = fake.url + "/sparql", None
    if how == "token":
        auth = Auth(token=SECRET)
    elif how == "password":
        auth = Auth(user="ann", password=SECRET)
    else:
        url = f"http://ann:{SECRET}@{host}/sparql"
    caplog.set_level(logging.DEBUG)
    with pytest.raises(EndpointError) as caught:
        RemoteEndpoint(url, auth=auth).query("ASK {}")
    sent = fake.requests[0].headers["Authorization"]
    expected = f"Bearer {SECRET}" if how == "token" else Auth(user="ann", password=SECRET).header
    assert sent == expected
    assert SECRET not in fake.requests[0].path
    shown = str(caught.value) + repr(caught.value) + caplog.text
    assert "refused access (HTTP 401)" in shown
    assert SECRET not in shown and sent.split(" ", 1)[1] not in shown


# ------------------------------------------------------------------- CLI


@pytest.fixture
def run(capsysbinary: pytest.CaptureFixture[bytes]) -> Callable[..., tuple[int, str, str]]:
    def invoke(*args: str) -> tuple[int, str, str]:
        code = main(["-C", str(ROOT), *args])
        out, err = capsysbinary.readouterr()
        return code, out.decode(), err.decode()

    return invoke


def test_cli_canned_query_on_an_endpoint_prints_what_local_prints(
    loaded: OxigraphServer, project: Project, run: Callable[..., tuple[int, str, str]]
) -> None:
    name = "seminars" if "seminars" in CANNED else CANNED[0]
    params = [
        x for k, v in example_params(project.queries[name]).items() for x in ("-p", f"{k}={v}")
    ]
    code, local, _ = run("query", name, *params, "--format", "csv")
    assert code == 0
    code, remote, err = run(
        "query", name, *params, "--format", "csv", "--endpoint", loaded.query_url
    )
    assert (code, err) == (0, "")
    assert remote == local


def test_cli_ad_hoc_query_on_an_endpoint(
    loaded: OxigraphServer, run: Callable[..., tuple[int, str, str]]
) -> None:
    text = "SELECT (COUNT(DISTINCT ?g) AS ?graphs) WHERE { GRAPH ?g { ?s ?p ?o } }"
    local = run("query", "--sparql", text, "--format", "json")
    remote = run("query", "--sparql", text, "--format", "json", "--endpoint", loaded.query_url)
    assert remote == local and local[0] == 0


def test_cli_remote_options_need_an_endpoint(run: Callable[..., tuple[int, str, str]]) -> None:
    code, _, err = run("query", "--sparql", "ASK {}", "--timeout", "3")
    assert code == 2 and "--timeout, --user, --password and --token need --endpoint" in err


@pytest.mark.parametrize("how", ["token-env", "token-option", "url", "user"])
def test_cli_never_prints_credentials(
    fake_server: FakeStarter,
    monkeypatch: pytest.MonkeyPatch,
    run: Callable[..., tuple[int, str, str]],
    how: str,
) -> None:
    fake = fake_server(echoing)
    url = fake.url + "/sparql"
    extra: list[str] = []
    if how == "token-env":
        monkeypatch.setenv(TOKEN_ENV, SECRET)
    elif how == "token-option":
        extra = ["--token", SECRET]
    elif how == "user":
        extra = ["--user", "ann", "--password", SECRET]
    else:
        url = f"http://ann:{SECRET}@{fake.url.removeprefix('http://')}/sparql"
    code, out, err = run("query", "--sparql", "ASK {}", "--endpoint", url, *extra)
    assert code == 2
    assert "error: --sparql: the endpoint http://127.0.0.1:" in err
    assert "refused access (HTTP 401)" in err
    assert SECRET not in out + err
    assert "Authorization" in fake.requests[0].headers
