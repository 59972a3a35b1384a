"""publish: Graph Store Protocol upload, idempotence, dry run, failures halfway, credentials.

Runs against a real ``oxigraph serve``; a recording proxy in front of it counts
what is sent and can fail a request on purpose. A tiny project (five graphs and
one shape) keeps validation fast; the real project is published once to check
that every canned query answers the same from the store as locally.
"""

from __future__ import annotations

import hashlib
import re
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from oxigraph_server import (  # the fixtures are named oxigraph and fake_server
    FakeServer,
    OxigraphServer,
    Reply,
    Request,
    fake_server_fixture,  # noqa: F401
    forward,
    free_port,
    oxigraph_fixture,  # noqa: F401
    start_oxigraph,
)

from pressgraph.cli import main
from pressgraph.errors import EndpointError, ValidationFailed
from pressgraph.project import Project
from pressgraph.publish import (
    GraphStore,
    PublishIncomplete,
    derive_graph_store,
    publish,
)
from pressgraph.remote import TOKEN_ENV, Auth, RemoteEndpoint
from pressgraph.validate import ValidationReport

ROOT = Path(__file__).resolve().parents[1]
CANNED = sorted(p.stem for p in (ROOT / "queries").glob("*.rq"))
EX = "http://example.org/"

FakeStarter = Callable[[Callable[[Request], Reply]], FakeServer]

SHAPES = """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:ThingShape a sh:NodeShape ; sh:targetClass ex:Thing ;
  sh:property [ sh:path ex:name ; sh:minCount 1 ] .
"""


def graph_text(i: int, extra: str = "") -> str:
    # literals a store normalises (07, 1.50, nonNegativeInteger), tricky strings, a blank node
    return f"""
ex:g{i} {{
  ex:thing{i} a ex:Thing ; ex:name "Thing {i}"@en , "quote \\" brace }} newline\\n" ;
    ex:count "0{i}"^^xsd:integer ; ex:size "11{i}"^^xsd:nonNegativeInteger ;
    ex:ratio "1.50"^^xsd:decimal ; ex:part [ ex:label "part of {i}" ] .{extra}
}}
"""


def write_tiny(root: Path, *, graphs: int = 5, violating: bool = False, change: int = 0) -> Path:
    """A project folder with ``graphs`` named graphs and one shape."""
    (root / "data").mkdir(parents=True, exist_ok=True)
    (root / "shapes").mkdir(exist_ok=True)
    (root / "shapes" / "shapes.ttl").write_text(SHAPES, encoding="utf-8")
    head = (
        "@prefix ex: <http://example.org/> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
    )
    body = "".join(
        graph_text(i, ' ex:thing1 ex:changed "yes" .' if i == change else "")
        for i in range(1, graphs + 1)
    )
    if violating:
        body += "ex:g9 { ex:nameless a ex:Thing . }\n"
    (root / "data" / "things.trig").write_text(head + body, encoding="utf-8")
    return root


def graph_iri(i: int) -> str:
    return f"{EX}g{i}"


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    return write_tiny(tmp_path / "tiny")


@pytest.fixture
def proxy(oxigraph: OxigraphServer, fake_server: FakeStarter) -> FakeServer:
    """A recording proxy in front of the test's ``oxigraph serve``."""
    return fake_server(lambda request: forward(oxigraph.base, request))


def puts(server: FakeServer) -> list[str]:
    """The graphs that were PUT through ``server``, in order."""
    graphs = []
    for r in server.requests:
        if r.method == "PUT":
            query = urllib.parse.urlsplit(r.path).query
            graphs.append(urllib.parse.parse_qs(query)["graph"][0])
    return graphs


def remote_dataset(store_url: str, graphs: list[str]) -> dict[str, frozenset[str]]:
    store = GraphStore(store_url)
    return {g: frozenset(map(str, store.get(g) or [])) for g in graphs}


def statuses(report_outcomes: list[object]) -> list[str]:
    return [o.status for o in report_outcomes]  # type: ignore[attr-defined]


# ------------------------------------------------------------- publishing


def test_publish_creates_then_a_second_run_sends_nothing(
    tiny: Path, oxigraph: OxigraphServer, proxy: FakeServer
) -> None:
    project = Project.load(tiny)
    first = publish(project, GraphStore(proxy.url + "/store"))
    assert statuses(first.outcomes) == ["created"] * 5
    assert first.complete and first.sent == 5
    assert puts(proxy) == [graph_iri(i) for i in range(1, 6)]

    proxy.requests.clear()
    second = publish(Project.load(tiny), GraphStore(proxy.url + "/store"))
    assert statuses(second.outcomes) == ["unchanged"] * 5
    assert second.sent == 0 and puts(proxy) == []
    assert {r.method for r in proxy.requests} == {"GET"}
    assert second.summary() == f"5 graphs at {proxy.url}/store: 5 unchanged"


def test_the_store_holds_what_the_project_holds(tiny: Path, oxigraph: OxigraphServer) -> None:
    project = Project.load(tiny)
    publish(project, GraphStore(oxigraph.store_url))
    remote = RemoteEndpoint(oxigraph.query_url)
    text = (
        "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o FILTER (!isBlank(?s) && !isBlank(?o)) } }"
    )
    assert set(remote.query(text).rows) == set(project.sparql(text).rows)
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert remote.query(count).rows == project.sparql(count).rows


def test_a_changed_graph_is_replaced_and_only_it_is_sent(
    tiny: Path, oxigraph: OxigraphServer, proxy: FakeServer
) -> None:
    publish(Project.load(tiny), GraphStore(oxigraph.store_url))
    write_tiny(tiny, change=3)
    report = publish(Project.load(tiny), GraphStore(proxy.url + "/store"))
    assert statuses(report.outcomes) == [
        "unchanged",
        "unchanged",
        "replaced",
        "unchanged",
        "unchanged",
    ]
    assert puts(proxy) == [graph_iri(3)]
    assert any(
        "changed" in t for t in remote_dataset(oxigraph.store_url, [graph_iri(3)])[graph_iri(3)]
    )


def test_dry_run_reads_but_sends_nothing(
    tiny: Path, oxigraph: OxigraphServer, proxy: FakeServer
) -> None:
    report = publish(Project.load(tiny), GraphStore(proxy.url + "/store"), dry_run=True)
    assert statuses(report.outcomes) == ["created"] * 5 and report.sent == 0
    assert {r.method for r in proxy.requests} == {"GET"}
    assert (
        report.outcomes[0].describe(dry_run=True).startswith("would create <http://example.org/g1>")
    )
    assert report.summary().startswith("dry run, nothing was sent: 5 graphs at ")
    assert remote_dataset(oxigraph.store_url, [graph_iri(1)]) == {graph_iri(1): frozenset()}


def test_a_violation_stops_publish_before_anything_is_sent(
    tmp_path: Path, fake_server: FakeStarter
) -> None:
    root = write_tiny(tmp_path / "bad", violating=True)
    fake = fake_server(lambda r: Reply(500))
    with pytest.raises(ValidationFailed, match=r"1 violation.*nothing was sent"):
        publish(Project.load(root), GraphStore(fake.url + "/store"))
    assert fake.requests == []


def test_a_failure_halfway_is_reported_and_a_rerun_completes(
    tiny: Path, oxigraph: OxigraphServer, fake_server: FakeStarter
) -> None:
    def third_put_fails(request: Request) -> Reply:
        if request.method == "PUT" and "g3" in request.path:
            return Reply(500, b"disk full")
        return forward(oxigraph.base, request)

    failing = fake_server(third_put_fails)
    seen: list[str] = []
    with pytest.raises(PublishIncomplete) as caught:
        publish(
            Project.load(tiny),
            GraphStore(failing.url + "/store"),
            progress=lambda o: seen.append(o.status),
        )
    report = caught.value.report
    assert statuses(report.outcomes) == ["created", "created", "failed", "not sent", "not sent"]
    assert seen == statuses(report.outcomes)
    message = str(caught.value)
    assert message.startswith(f"publish stopped at graph 3 of 5 (<{graph_iri(3)}>): ")
    assert "failed (HTTP 500): disk full" in message
    assert message.endswith("2 graph(s) are on the store, 3 are not; run publish again to finish")
    assert "disk full" in (report.outcomes[2].error or "")
    assert not report.complete

    rerun = publish(Project.load(tiny), GraphStore(oxigraph.store_url))
    assert statuses(rerun.outcomes) == ["unchanged", "unchanged", "created", "created", "created"]
    assert rerun.complete


def test_a_server_killed_halfway_is_reported_and_a_rerun_completes(
    tiny: Path, tmp_path: Path
) -> None:
    port = free_port()
    location = tmp_path / "killed"
    server = start_oxigraph(location, port)
    try:

        def kill_after_two(outcome: object) -> None:
            if sum(o.status == "created" for o in done) == 1:
                server.kill()
            done.append(outcome)

        done: list = []
        with pytest.raises(PublishIncomplete, match=r"graph 3 of 5 .*connection refused"):
            publish(
                Project.load(tiny),
                GraphStore(server.store_url, timeout=5),
                progress=kill_after_two,
            )
    finally:
        server.stop()
    server = start_oxigraph(location, port)
    try:
        rerun = publish(Project.load(tiny), GraphStore(server.store_url))
        assert statuses(rerun.outcomes) == [
            "unchanged",
            "unchanged",
            "created",
            "created",
            "created",
        ]
    finally:
        server.stop()


# ------------------------------------------- the real project, then its queries


@pytest.fixture(scope="module")
def real_project() -> Project:
    """The project as it is, with validation skipped: publish's validation gate is tested
    with the tiny project, the real data's conformance in test_shapes."""
    project = Project.load(ROOT)
    project.validate = lambda *a, **kw: ValidationReport()  # type: ignore[method-assign]
    return project


@pytest.fixture(scope="module")
def published(
    real_project: Project, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[OxigraphServer]:
    server = start_oxigraph(tmp_path_factory.mktemp("published") / "store")
    try:
        report = publish(real_project, GraphStore(server.store_url))
        assert report.complete and report.sent == len(report.outcomes) > 0
        yield server
    finally:
        server.stop()


def test_publishing_the_real_project_twice_sends_nothing(
    real_project: Project, published: OxigraphServer
) -> None:
    again = publish(real_project, GraphStore(published.store_url))
    assert again.sent == 0 and {o.status for o in again.outcomes} == {"unchanged"}


def test_every_canned_query_is_checked_after_publish() -> None:
    assert len(CANNED) >= 14


@pytest.mark.parametrize("name", CANNED)
def test_canned_query_answers_the_same_after_publish(
    real_project: Project, published: OxigraphServer, name: str
) -> None:
    canned = real_project.queries[name]
    params = {p.name: p.example for p in canned.params if p.example is not None}
    local = real_project.query(name, params)
    remote = RemoteEndpoint(published.query_url).canned(canned, params)
    assert remote.kind == local.kind
    if local.kind == "graph":
        assert set(map(str, remote.triples)) == set(map(str, local.triples))
    else:
        assert (remote.variables, set(remote.rows), remote.boolean) == (
            local.variables,
            set(local.rows),
            local.boolean,
        )


# ---------------------------------------------------------- graph store URLs


@pytest.mark.parametrize(
    ("endpoint", "graph_store"),
    [
        ("http://127.0.0.1:7878/query", "http://127.0.0.1:7878/store"),  # Oxigraph
        ("http://localhost:3030/ds/sparql", "http://localhost:3030/ds/data"),  # Fuseki
        ("http://localhost:3030/ds/query", "http://localhost:3030/ds/data"),
        (
            "http://localhost:7200/repositories/press",  # GraphDB
            "http://localhost:7200/repositories/press/rdf-graphs/service",
        ),
        (
            "http://h:8080/rdf4j-server/repositories/press/",  # RDF4J
            "http://h:8080/rdf4j-server/repositories/press/rdf-graphs/service",
        ),
        (
            "http://localhost:8890/sparql",
            "http://localhost:8890/sparql-graph-crud-auth",
        ),  # Virtuoso
        ("http://localhost:7019", "http://localhost:7019"),  # QLever
        ("https://u:pw@h/ds/sparql?x=1", "https://h/ds/data"),
    ],
)
def test_graph_store_url_is_derived_for_common_servers(endpoint: str, graph_store: str) -> None:
    assert derive_graph_store(endpoint) == graph_store


def test_an_unknown_layout_asks_for_the_graph_store_url() -> None:
    with pytest.raises(EndpointError, match="give it with --graph-store"):
        derive_graph_store("http://h/some/deep/path/endpoint")


# ----------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("handler", "message"),
    [
        (lambda r: Reply(401, b"who are you"), r"refused access \(HTTP 401\)"),
        (
            lambda r: Reply(404) if r.method == "GET" else Reply(405, b"read-only"),
            r"does not allow this request \(HTTP 405\): is it the right URL\?: read-only",
        ),
        (lambda r: Reply(503, b"maintenance"), r"failed \(HTTP 503\): maintenance"),
        (
            lambda r: Reply(200, b"<<<", {"Content-Type": "text/turtle"}),
            r"sent graph <http://example.org/g1> as unreadable text/turtle",
        ),
    ],
)
def test_graph_store_failures_become_clear_errors(
    tiny: Path, fake_server: FakeStarter, handler: Callable[[Request], Reply], message: str
) -> None:
    fake = fake_server(handler)
    with pytest.raises(PublishIncomplete, match=r"graph 1 of 5 .*" + message):
        publish(Project.load(tiny), GraphStore(fake.url + "/store", timeout=5))


def test_unreachable_and_slow_graph_stores(tiny: Path, fake_server: FakeStarter) -> None:
    project = Project.load(tiny)
    with pytest.raises(PublishIncomplete, match="connection refused"):
        publish(project, GraphStore(f"http://127.0.0.1:{free_port()}/store", timeout=5))

    def slow(request: Request) -> Reply:
        fake.release.wait(10)
        return Reply(404)

    fake = fake_server(slow)
    with pytest.raises(PublishIncomplete, match=r"did not answer within 0\.3 s"):
        publish(project, GraphStore(fake.url + "/store", timeout=0.3))


def test_digest_authentication_is_answered(tiny: Path, fake_server: FakeStarter) -> None:
    """Virtuoso's /sparql-graph-crud-auth asks for HTTP Digest."""
    realm, nonce, user, password = "SPARQL", "n0nce", "dba", "dba-secret"

    def digest(request: Request) -> Reply:
        header = request.headers.get("Authorization", "")
        if header.startswith("Digest "):
            fields = dict(re.findall(r'(\w+)="?([^",]+)"?', header[7:]))
            ha1 = hashlib.md5(f"{user}:{realm}:{password}".encode()).hexdigest()
            ha2 = hashlib.md5(f"{request.method}:{fields['uri']}".encode()).hexdigest()
            parts = [ha1, nonce, fields["nc"], fields["cnonce"], "auth", ha2]
            if fields["response"] == hashlib.md5(":".join(parts).encode()).hexdigest():
                return Reply(404) if request.method == "GET" else Reply(201)
        challenge = f'Digest realm="{realm}", nonce="{nonce}", qop="auth", algorithm="MD5"'
        return Reply(401, b"", {"WWW-Authenticate": challenge})

    fake = fake_server(digest)
    store = GraphStore(
        fake.url + "/sparql-graph-crud-auth", auth=Auth(user=user, password=password)
    )
    report = publish(Project.load(tiny), store)
    assert report.sent == 5
    assert (
        sum(
            r.method == "PUT" and r.headers["Authorization"].startswith("Digest ")
            for r in fake.requests
        )
        == 5
    )


SECRET = "s3cr3t-Pa55"


def echoing(request: Request) -> Reply:
    echo = f"you sent {request.headers.get('Authorization')} to {request.path}".encode()
    return Reply(401, echo, {"WWW-Authenticate": 'Bearer realm="x"'})


@pytest.fixture
def run(capsysbinary: pytest.CaptureFixture[bytes]) -> Callable[..., tuple[int, str, str]]:
    def invoke(root: Path, *args: str) -> tuple[int, str, str]:
        code = main(["-C", str(root), *args])
        out, err = capsysbinary.readouterr()
        return code, out.decode(), err.decode()

    return invoke


@pytest.mark.parametrize("how", ["token-env", "token-option", "url", "endpoint-url", "user"])
def test_credentials_never_appear_in_output(
    tiny: Path,
    fake_server: FakeStarter,
    monkeypatch: pytest.MonkeyPatch,
    run: Callable[..., tuple[int, str, str]],
    caplog: pytest.LogCaptureFixture,
    how: str,
) -> None:
    fake = fake_server(echoing)
    url = fake.url + "/store"
    extra: list[str] = []
    if how == "token-env":
        monkeypatch.setenv(TOKEN_ENV, SECRET)
    elif how == "token-option":
        extra = ["--token", SECRET]
    elif how == "user":
        extra = ["--user", "ann", "--password", SECRET]
    elif how == "url":
        url = f"http://ann:{SECRET}@{fake.url.removeprefix('http://')}/store"
    option = "--graph-store"
    if how == "endpoint-url":  # credentials go with the derived graph store URL
        option, url = "--endpoint", f"http://ann:{SECRET}@{fake.url.removeprefix('http://')}/query"
    caplog.set_level("DEBUG")
    code, out, err = run(tiny, "publish", option, url, *extra)
    assert code == 2
    assert "refused access (HTTP 401)" in out and "error: publish stopped at graph 1 of 5" in err
    sent = fake.requests[0].headers["Authorization"]
    assert fake.requests[0].path.startswith("/store?graph=")
    if how in ("url", "endpoint-url", "user"):
        assert sent == Auth(user="ann", password=SECRET).header
    assert sent.split(" ", 1)[1] not in out + err + caplog.text
    assert SECRET not in out + err + caplog.text


# -------------------------------------------------------------------- CLI


def test_cli_publish_reports_each_graph(
    tiny: Path, oxigraph: OxigraphServer, run: Callable[..., tuple[int, str, str]]
) -> None:
    code, out, err = run(tiny, "publish", "--endpoint", oxigraph.query_url, "--dry-run")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert (
        lines[0]
        == f"graph store: {oxigraph.store_url} (derived from --endpoint; --graph-store to change)"
    )
    assert lines[1] == f"would create <{graph_iri(1)}> (8 triples)"
    assert (
        lines[-1] == f"dry run, nothing was sent: 5 graphs at {oxigraph.store_url}: 5 would create"
    )

    code, out, _ = run(tiny, "publish", "--endpoint", oxigraph.query_url)
    assert code == 0 and out.splitlines()[-1].endswith(": 5 created")
    code, out, _ = run(tiny, "publish", "--graph-store", oxigraph.store_url)
    assert code == 0 and out.splitlines()[-1] == f"5 graphs at {oxigraph.store_url}: 5 unchanged"


def test_cli_publish_stops_on_a_violation_with_exit_1(
    tmp_path: Path, fake_server: FakeStarter, run: Callable[..., tuple[int, str, str]]
) -> None:
    root = write_tiny(tmp_path / "bad", violating=True)
    fake = fake_server(lambda r: Reply(500))
    code, _, err = run(root, "publish", "--graph-store", fake.url + "/store")
    assert code == 1
    assert "error: publish stopped: 1 violation(s); nothing was sent" in err
    assert fake.requests == []


def test_cli_publish_needs_a_url(tiny: Path, run: Callable[..., tuple[int, str, str]]) -> None:
    code, _, err = run(tiny, "publish")
    assert code == 2 and "give --endpoint or --graph-store" in err
