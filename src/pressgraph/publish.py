"""``publish``: upload every named graph to a remote store with the SPARQL 1.1 Graph Store Protocol.

::

    url = derive_graph_store("http://localhost:3030/ds/sparql")  # .../ds/data
    store = GraphStore(url, auth=Auth(token="..."))
    report = publish(project, store)
    print(report.as_text())

The project is validated first; a Violation stops the publication before
anything is sent. Then, one graph at a time in IRI order: ``GET ?graph=<iri>``
fetches the remote copy (404: the graph is new), which is compared with the local
graph as sets of triples, by value (literals normalised as an Oxigraph store keeps
them) and with blank nodes canonicalised by RDFC-1.0;
only a graph that differs is sent, with ``PUT ?graph=<iri>`` and a Turtle body,
which replaces the remote graph. Publishing is therefore idempotent: a second run
sends nothing, and a run stopped halfway (:class:`PublishIncomplete` says which
graphs were done and which not) is completed by running it again. ``dry_run``
reads the remote graphs and reports what would change, writing nothing.

Graphs on the remote store that the project does not have are left alone.
"""

from __future__ import annotations

import http.client
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from .errors import EndpointError, ValidationFailed
from .namespaces import PREFIXES
from .project import Project
from .remote import (
    DEFAULT_TIMEOUT,
    USER_AGENT,
    Auth,
    http_failure,
    split_credentials,
    unreachable,
)

__all__ = [
    "STATUSES",
    "GraphOutcome",
    "GraphStore",
    "PublishIncomplete",
    "PublishReport",
    "derive_graph_store",
    "publish",
]

log = logging.getLogger(__name__)

#: what happened to a graph: sent as new, sent over a different copy, left as it was,
#: failed, or not reached because an earlier graph failed
STATUSES = ("created", "replaced", "unchanged", "failed", "not sent")
_DRY = {"created": "would create", "replaced": "would replace"}


def derive_graph_store(endpoint: str) -> str:
    """The Graph Store Protocol URL that usually goes with a SPARQL query endpoint URL.

    >>> derive_graph_store("http://localhost:3030/ds/sparql")
    'http://localhost:3030/ds/data'

    Oxigraph ``/query`` → ``/store``; Fuseki ``/<ds>/sparql`` or ``/<ds>/query`` →
    ``/<ds>/data``; GraphDB and RDF4J ``.../repositories/<id>`` →
    ``.../repositories/<id>/rdf-graphs/service``; Virtuoso ``/sparql`` →
    ``/sparql-graph-crud-auth``; QLever (served at the root, ``/``) → the same URL.
    Anything else raises :class:`EndpointError`: give the graph store URL instead.
    """
    clean, _ = split_credentials(endpoint)
    parts = urllib.parse.urlsplit(clean)
    path = parts.path.rstrip("/")
    segments = [s for s in path.split("/") if s]
    if len(segments) >= 2 and segments[-2] == "repositories":
        new = f"{path}/rdf-graphs/service"
    elif segments == ["query"]:
        new = "/store"
    elif segments == ["sparql"]:
        new = "/sparql-graph-crud-auth"
    elif len(segments) == 2 and segments[1] in ("sparql", "query"):
        new = f"/{segments[0]}/data"
    elif not segments:
        new = parts.path
    else:
        raise EndpointError(
            f"cannot tell the Graph Store Protocol URL that goes with {clean}: "
            "give it with --graph-store (see docs/remote-endpoints.md)"
        )
    return urllib.parse.urlunsplit(parts._replace(path=new, query="", fragment=""))


class GraphStore:
    """A Graph Store Protocol client for one graph store URL (standard library only).

    Credentials: a bearer token, or a user and password sent as HTTP Basic and, when
    the server asks for it (Virtuoso), HTTP Digest. ``url`` may carry ``user:password@``.
    """

    def __init__(
        self, url: str, *, timeout: float = DEFAULT_TIMEOUT, auth: Auth | None = None
    ) -> None:
        if timeout <= 0:
            raise EndpointError(f"the timeout must be positive, got {timeout:g}")
        self.url, self.auth = split_credentials(url, auth)
        self.timeout = timeout
        handlers: list[urllib.request.BaseHandler] = []
        if self.auth.user:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, self.url, self.auth.user, self.auth.password or "")
            handlers.append(_DigestOnly(passwords))
        self._opener = urllib.request.build_opener(*handlers)

    def __repr__(self) -> str:
        return f"GraphStore({self.url!r})"

    def graph_url(self, graph: str) -> str:
        """The URL of one graph (indirect identification: ``?graph=<iri>``)."""
        parts = urllib.parse.urlsplit(self.url)
        iri = f"graph={urllib.parse.quote(graph, safe='')}"
        query = f"{parts.query}&{iri}" if parts.query else iri
        return urllib.parse.urlunsplit(parts._replace(path=parts.path or "/", query=query))

    def get(self, graph: str) -> list[ox.Triple] | None:
        """The triples of ``graph`` on the store, or ``None`` when it has no such graph."""
        accept = "application/n-triples, text/turtle;q=0.9"
        status, body, content_type = self._request("GET", graph, accept=accept)
        if status == 404:
            return None
        media = content_type.split(";")[0].strip().lower()
        fmt = (ox.RdfFormat.from_media_type(media) if media else None) or ox.RdfFormat.TURTLE
        try:
            return [q.triple for q in ox.parse(body, format=fmt)]
        except (SyntaxError, ValueError) as exc:
            raise EndpointError(
                self.auth.redact(
                    f"the graph store {self.url} sent graph <{graph}> as unreadable "
                    f"{media or 'data'}: {getattr(exc, 'msg', None) or exc}"
                )
            ) from exc

    def put(self, graph: str, triples: Iterable[ox.Triple]) -> None:
        """Replace ``graph`` on the store by ``triples`` (sent as Turtle)."""
        ordered = sorted(
            set(triples), key=lambda t: (str(t.subject), str(t.predicate), str(t.object))
        )
        body = ox.serialize(ordered, format=ox.RdfFormat.TURTLE, prefixes=dict(PREFIXES)) or b""
        self._request("PUT", graph, body=body, content_type="text/turtle")

    def _request(
        self,
        method: str,
        graph: str,
        *,
        accept: str | None = None,
        body: bytes | None = None,
        content_type: str | None = None,
    ) -> tuple[int, bytes, str]:
        request = urllib.request.Request(self.graph_url(graph), data=body, method=method)
        request.add_header("User-Agent", USER_AGENT)
        if accept:
            request.add_header("Accept", accept)
        if content_type:
            request.add_header("Content-Type", content_type)
        if self.auth.header:
            # not carried over on a redirect to another host
            request.add_unredirected_header("Authorization", self.auth.header)
        log.debug("%s %s graph <%s>", method, self.url, graph)
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                data = response.read()
                return response.status, data, response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            with exc:
                data = exc.read()
            if method == "GET" and exc.code == 404:
                return 404, b"", ""
            message = http_failure(self.url, exc.code, data, what=f"{method} of graph <{graph}>")
            raise EndpointError(self.auth.redact(message)) from exc
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            message = unreachable(self.url, exc, self.timeout)
            raise EndpointError(self.auth.redact(message)) from exc
        except ValueError as exc:  # urllib's digest handler meets a scheme it cannot answer
            message = f"the graph store {self.url} asked for credentials pressgraph cannot give"
            raise EndpointError(self.auth.redact(f"{message}: {exc}")) from exc


class _DigestOnly(urllib.request.HTTPDigestAuthHandler):
    """Answers HTTP Digest challenges; any other 401 is left to the caller as it is."""

    def http_error_401(self, req, fp, code, msg, headers):  # type: ignore[no-untyped-def]
        if not headers.get("WWW-Authenticate", "").lower().startswith("digest"):
            return None
        return super().http_error_401(req, fp, code, msg, headers)


@dataclass(frozen=True)
class GraphOutcome:
    """What happened to one named graph."""

    graph: str
    status: str
    triples: int
    error: str | None = None

    def describe(self, dry_run: bool = False) -> str:
        """One line for people: status, graph, size, and the error if any."""
        word = _DRY.get(self.status, self.status) if dry_run else self.status
        extra = f": {self.error}" if self.error else ""
        return f"{word:12} <{self.graph}> ({self.triples} triples){extra}"


@dataclass
class PublishReport:
    """The outcome of a publication, graph by graph."""

    graph_store: str
    dry_run: bool = False
    outcomes: list[GraphOutcome] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """True when every graph is on the store (or would be, for a dry run)."""
        return all(o.status in ("created", "replaced", "unchanged") for o in self.outcomes)

    @property
    def sent(self) -> int:
        """How many graphs were uploaded."""
        if self.dry_run:
            return 0
        return sum(o.status in ("created", "replaced") for o in self.outcomes)

    def counts(self) -> dict[str, int]:
        """Number of graphs per status (every status present, zero or not)."""
        found = Counter(o.status for o in self.outcomes)
        return {s: found.get(s, 0) for s in STATUSES}

    def line(self, outcome: GraphOutcome) -> str:
        """One graph's line of the report."""
        return outcome.describe(self.dry_run)

    def summary(self) -> str:
        """One line: how many graphs in each state."""
        c = self.counts()
        n = len(self.outcomes)
        parts = [f"{c[s]} {_DRY.get(s, s) if self.dry_run else s}" for s in STATUSES if c[s]]
        head = "dry run, nothing was sent: " if self.dry_run else ""
        return f"{head}{n} graph{'s' if n != 1 else ''} at {self.graph_store}: {', '.join(parts)}"

    def as_text(self) -> str:
        """Every graph's line, then the summary."""
        return "\n".join([*(self.line(o) for o in self.outcomes), self.summary()]) + "\n"


class PublishIncomplete(EndpointError):
    """A publication stopped at a failing graph; ``report`` says which graphs were done."""

    def __init__(self, message: str, report: PublishReport) -> None:
        super().__init__(message)
        self.report = report


def publish(
    project: Project,
    store: GraphStore,
    *,
    dry_run: bool = False,
    progress: Callable[[GraphOutcome], None] | None = None,
) -> PublishReport:
    """Validate ``project``, then bring every named graph of it onto ``store``.

    Raises :class:`ValidationFailed` (nothing sent) when the data has a Violation,
    and :class:`PublishIncomplete` when a graph fails; ``progress`` is called with
    each graph's outcome as soon as it is known.
    """
    validation = project.validate()
    if not validation.conforms:
        raise ValidationFailed(
            f"publish stopped: {validation.counts()['Violation']} violation(s); nothing was sent",
            validation,
        )
    graphs = _named_graphs(project.quads())
    report = PublishReport(store.url, dry_run)
    names = sorted(graphs)
    for i, name in enumerate(names):
        triples = graphs[name]
        try:
            remote = store.get(name)
            if remote is None:
                status = "created"
            elif _canonical(remote) == _canonical(triples):
                status = "unchanged"
            else:
                status = "replaced"
            if status != "unchanged" and not dry_run:
                store.put(name, triples)
        except EndpointError as exc:
            report.outcomes.append(GraphOutcome(name, "failed", len(triples), str(exc)))
            if progress:
                progress(report.outcomes[-1])
            rest = [GraphOutcome(g, "not sent", len(graphs[g])) for g in names[i + 1 :]]
            report.outcomes.extend(rest)
            for outcome in rest:
                if progress:
                    progress(outcome)
            done = sum(o.status in ("created", "replaced", "unchanged") for o in report.outcomes)
            raise PublishIncomplete(
                f"publish stopped at graph {i + 1} of {len(names)} (<{name}>): {exc}. "
                f"{done} graph(s) are on the store, {len(names) - done} are not; "
                "run publish again to finish",
                report,
            ) from exc
        report.outcomes.append(GraphOutcome(name, status, len(triples)))
        log.info("%s <%s>", status, name)
        if progress:
            progress(report.outcomes[-1])
    return report


def _named_graphs(quads: Iterable[ox.Quad]) -> dict[str, list[ox.Triple]]:
    graphs: dict[str, set[ox.Triple]] = defaultdict(set)
    for q in quads:
        if isinstance(q.graph_name, ox.NamedNode):
            graphs[q.graph_name.value].add(q.triple)
    return {g: list(t) for g, t in graphs.items()}


def _canonical(triples: Iterable[ox.Triple]) -> frozenset[str]:
    """A graph as a set of N-Triples lines, compared by value as an Oxigraph store keeps it.

    Stores normalise literals (Oxigraph turns ``"07"^^xsd:integer`` into ``"7"`` and
    ``xsd:nonNegativeInteger`` into ``xsd:integer``), so both sides go through an
    in-memory pyoxigraph store first; blank nodes are then relabelled by RDFC-1.0.
    """
    store = ox.Store()
    graph = ox.NamedNode("urn:x-pressgraph:compare")
    store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
    normalised = [q.triple for q in store]
    if any(
        isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)
        for t in normalised
    ):
        dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in normalised)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        return frozenset(str(q.triple) for q in dataset)
    return frozenset(str(t) for t in normalised)
