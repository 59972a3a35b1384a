"""Reading the W3C SPARQL 1.1 protocol / graph store / service description manifests.

The manifests live in ``<repo>/../shared/w3c`` (CI puts shared/ beside the clone);
they are read in place, never copied. Each protocol or graph store test is a
list of HTTP requests with the response expected for each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

ROOT = Path(__file__).resolve().parents[1]
W3C = ROOT.parent / "shared" / "w3c"

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")

_STATUS = {"OK": 200, "Created": 201, "NoContent": 204, "NotFound": 404}


@dataclass
class Expected:
    """What one response must be."""

    statuses: list[str]
    fmt: str | None = None
    boolean: bool | None = None
    content_type: str | None = None
    body: str | None = None
    location_var: str | None = None

    def status_ok(self, status: int) -> bool:
        for s in self.statuses:
            if s.startswith("StatusCode") and s.endswith("xx") and str(status)[0] == s[10]:
                return True
            if _STATUS.get(s) == status:
                return True
        return False


@dataclass
class Request:
    """One request of a test, as the manifest gives it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    expected: Expected


@dataclass
class W3CTest:
    """One test: its name, the data to load and its requests in order."""

    iri: str
    name: str
    kind: str
    requests: list[Request] = field(default_factory=list)
    #: (graph IRI, path of an N-Triples file) loaded before the test
    graph_data: list[tuple[str, Path]] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.iri.rsplit("#", 1)[-1]


def _local(node: Node | None) -> str:
    return str(node).rsplit("#", 1)[-1] if node is not None else ""


def _headers(g: Graph, node: Node) -> dict[str, str]:
    out: dict[str, str] = {}
    head = g.value(node, HT.headers)
    if head is None:
        return out
    for h in Collection(g, head):
        out[str(g.value(h, HT.fieldName)).lower()] = str(g.value(h, HT.fieldValue))
    return out


def _body(g: Graph, node: Node) -> tuple[str | None, str]:
    body = g.value(node, HT.body)
    if body is None:
        return None, "UTF-8"
    chars = g.value(body, CNT.chars)
    encoding = g.value(body, CNT.characterEncoding)
    return (None if chars is None else str(chars)), str(encoding or "UTF-8")


def load_manifest(path: Path) -> list[W3CTest]:
    """Every test declared in ``path`` (protocol, graph store or service description)."""
    g = Graph()
    g.parse(path, format="turtle", publicID=path.resolve().as_uri())
    tests = []
    for kind in ("ProtocolTest", "GraphStoreProtocolTest", "ServiceDescriptionTest"):
        for test in sorted(g.subjects(RDF.type, MF[kind]), key=str):
            t = W3CTest(str(test), str(g.value(test, MF.name)), kind)
            for data in g.objects(test, UT.graphData):
                file = g.value(data, UT.graph)
                label = g.value(data, RDFS.label)
                assert isinstance(file, URIRef)
                t.graph_data.append((str(label), Path(str(file).removeprefix("file://"))))
            action = g.value(test, MF.action)
            requests = g.value(action, HT.requests) if action is not None else None
            for r in Collection(g, requests) if requests is not None else []:
                chars, encoding = _body(g, r)
                resp = g.value(r, HT.resp)
                rbody, _ = _body(g, resp)
                rheaders = _headers(g, resp)
                location = g.value(resp, MF.expectedLocation)
                expected = Expected(
                    statuses=sorted(_local(s) for s in g.objects(resp, MF.expectedStatus)),
                    fmt=str(g.value(resp, MF.expectedFormat) or "") or None,
                    boolean=g.value(resp, MF.expectedBoolean).toPython()  # type: ignore[union-attr]
                    if g.value(resp, MF.expectedBoolean) is not None
                    else None,
                    content_type=rheaders.get("content-type"),
                    body=rbody,
                    location_var=str(location) if location is not None else None,
                )
                t.requests.append(
                    Request(
                        method=str(g.value(r, HT.methodName)),
                        path=str(g.value(r, HT.absolutePath)),
                        headers=_headers(g, r),
                        body=None if chars is None else chars.encode(encoding.lower()),
                        expected=expected,
                    )
                )
            tests.append(t)
    return tests


def manifest_tests(*relative: str) -> list[W3CTest]:
    """The tests of the manifests at ``shared/w3c/<relative>`` (none if shared/ is absent)."""
    out: list[W3CTest] = []
    for rel in relative:
        path = W3C / rel
        if path.is_file():
            out.extend(load_manifest(path))
    return out
