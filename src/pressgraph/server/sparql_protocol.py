"""The SPARQL 1.1 Protocol at ``/sparql``: query, update and the service description.

Queries come by GET (``?query=``), by POST form (``query=``) or by POST
``application/sparql-query``; updates by POST form (``update=``) or
``application/sparql-update`` (with the write token). ``default-graph-uri`` /
``named-graph-uri`` (and ``using-graph-uri`` / ``using-named-graph-uri``) name
the dataset; FROM and USING name graphs of this store, nothing is ever fetched.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, quote

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ..namespaces import PREFIXES
from ..sparql import code_only
from .context import Context, context
from .negotiation import GRAPH_MEDIA, TABULAR_MEDIA, media_type_of, negotiate
from .problems import Problem
from .representations import conditional_response, content_type, serialize
from .workers import QueryJob
from .writes import write_update

__all__ = ["read_body", "service_description", "sparql_endpoint", "with_using"]

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
_RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
)
_SD_MEDIA = ("text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml")
_DATASET_PARAMS = ("default-graph-uri", "named-graph-uri")
_USING_PARAMS = ("using-graph-uri", "using-named-graph-uri")
_WHERE_OR_BRACE = re.compile(r"[{}]|\bWHERE\b", re.I)
_ENDS_WITH_DELETE = re.compile(r"\bDELETE\s*$", re.I)
_USING_OR_WITH = re.compile(r"\b(USING|WITH)\b", re.I)


async def read_body(request: Request) -> bytes:
    """The request body (the size limit is enforced by the body-limit middleware)."""
    return await request.body()


def _decode(body: bytes, charset: str | None) -> str:
    if charset and charset.replace("-", "").lower() != "utf8":
        raise Problem(415, f"only UTF-8 request bodies are accepted, not {charset!r}")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Problem(400, f"the request body is not valid UTF-8 ({exc.reason})") from exc


async def sparql_endpoint(request: Request) -> Response:
    """GET or POST ``/sparql``."""
    ctx = context(request)
    params: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        params.setdefault(key, []).append(value)
    if request.method in ("GET", "HEAD"):
        if "update" in params:
            raise Problem(405, "updates must be sent with POST", headers={"Allow": "POST"})
        if "query" not in params:
            return service_description(request)
        return await _query(request, ctx, _one(params, "query"), params)
    media, options = media_type_of(request.headers.get("content-type"))
    body = await read_body(request)
    if media == "application/x-www-form-urlencoded":
        form = parse_qs(_decode(body, options.get("charset")), keep_blank_values=True)
        merged = {k: params.get(k, []) + form.get(k, []) for k in {*params, *form}}
        if "query" in form and "update" in form:
            raise Problem(400, "give either query= or update=, not both")
        if "update" in form:
            return await _update(request, ctx, _one(merged, "update"), merged)
        if "query" in form:
            return await _query(request, ctx, _one(merged, "query"), merged)
        raise Problem(400, "the form has neither query= nor update=")
    if media == "application/sparql-query":
        return await _query(request, ctx, _decode(body, options.get("charset")), params)
    if media == "application/sparql-update":
        return await _update(request, ctx, _decode(body, options.get("charset")), params)
    shown = media or "no Content-Type"
    raise Problem(
        415,
        f"cannot read a SPARQL request from {shown}: use application/x-www-form-urlencoded, "
        "application/sparql-query or application/sparql-update",
    )


def _one(params: dict[str, list[str]], name: str) -> str:
    values = params.get(name, [])
    if len(values) != 1:
        raise Problem(400, f"give exactly one {name}= parameter (got {len(values)})")
    return values[0]


def _graphs(params: dict[str, list[str]], name: str) -> tuple[str, ...] | None:
    values = params.get(name)
    if not values:
        return None
    for value in values:
        if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]*$", value):
            raise Problem(400, f"{name} must be an absolute IRI, got {value!r}", parameter=name)
    return tuple(values)


async def _query(
    request: Request, ctx: Context, text: str, params: dict[str, list[str]]
) -> Response:
    accept = request.headers.get("accept")
    if request.method in ("GET", "HEAD"):
        best = negotiate(accept, [*TABULAR_MEDIA, *GRAPH_MEDIA, "text/html"])
        if best == "text/html":
            return RedirectResponse(f"/query?query={quote(text)}", status_code=303)
    tabular = negotiate(accept, list(TABULAR_MEDIA))
    graph = negotiate(accept, list(GRAPH_MEDIA))
    default_graph = _graphs(params, "default-graph-uri")
    named_graphs = _graphs(params, "named-graph-uri")
    if named_graphs is not None and default_graph is None:
        default_graph = ()  # a protocol dataset with only named graphs has an empty default graph
    job = QueryJob(
        text=text,
        source="query",
        default_graph=default_graph,
        named_graphs=named_graphs,
        base_iri=_endpoint(request, ctx),
        max_rows=ctx.settings.max_rows,
        timeout=ctx.settings.query_timeout,
        formats={
            "select": TABULAR_MEDIA.get(tabular or ""),
            "ask": TABULAR_MEDIA.get(tabular or ""),
            "graph": GRAPH_MEDIA.get(graph or ""),
        },
    )
    reply = await ctx.dataset.query(job)
    if reply.body is None:
        offered = GRAPH_MEDIA if reply.kind == "graph" else TABULAR_MEDIA
        raise Problem(
            406,
            f"a {reply.kind.upper()} result can be sent as {', '.join(offered)}; "
            f"the request accepts only {accept!r}",
        )
    media = graph if reply.kind == "graph" else tabular
    headers = {"Vary": "Accept"}
    if reply.truncated:
        headers["Pressgraph-Truncated"] = f"true; max-rows={ctx.settings.max_rows}"
    body = b"" if request.method == "HEAD" else reply.body
    return Response(body, 200, headers=headers, media_type=content_type(media or ""))


def with_using(text: str, using: tuple[str, ...], using_named: tuple[str, ...]) -> str:
    """``text`` with ``USING`` / ``USING NAMED`` clauses added before each top-level WHERE.

    The protocol's ``using-graph-uri`` parameters act as USING clauses; an update
    that has its own USING or WITH conflicts with them (400).
    """
    if not using and not using_named:
        return text
    code = code_only(text)
    if _USING_OR_WITH.search(code):
        raise Problem(
            400,
            "using-graph-uri / using-named-graph-uri cannot be combined with USING or WITH "
            "in the update",
        )
    clause = " ".join([f"USING <{g}>" for g in using] + [f"USING NAMED <{g}>" for g in using_named])
    depth, insert_at = 0, []
    for m in _WHERE_OR_BRACE.finditer(code):
        token = m.group(0)
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth == 0 and not _ENDS_WITH_DELETE.search(code[: m.start()]):
            # DELETE WHERE takes no USING; every other top-level WHERE ends a Modify
            insert_at.append(m.start())
    for position in reversed(insert_at):
        text = f"{text[:position]}{clause} {text[position:]}"
    return text


async def _update(
    request: Request, ctx: Context, text: str, params: dict[str, list[str]]
) -> Response:
    ctx.require_write(request)
    using = _graphs(params, "using-graph-uri") or ()
    using_named = _graphs(params, "using-named-graph-uri") or ()
    await write_update(ctx.dataset, with_using(text, using, using_named), _endpoint(request, ctx))
    return Response(status_code=204)


def _endpoint(request: Request, ctx: Context) -> str:
    return f"{ctx.origin(request)}{request.url.path}"


def service_description(request: Request) -> Response:
    """The SPARQL Service Description of this endpoint, in the format asked for."""
    ctx = context(request)
    accept = request.headers.get("accept")
    media = negotiate(accept, [*_SD_MEDIA, "text/html"])
    if media is None:
        raise Problem(406, f"the service description is available as {', '.join(_SD_MEDIA)}")
    if media == "text/html":
        return RedirectResponse("/query", status_code=303)
    endpoint = _endpoint(request, ctx)
    quads = [ox.Quad(t.subject, t.predicate, t.object) for t in describe_service(ctx, endpoint)]
    body = serialize(quads, media)
    return conditional_response(request, body, media, ctx.dataset.etag("sd", endpoint, media))


def describe_service(ctx: Context, endpoint: str) -> list[ox.Triple]:
    """sd:Service triples: endpoint, languages, result formats, features, default dataset."""
    rdf_type = ox.NamedNode(PREFIXES["rdf"] + "type")
    service = ox.NamedNode(endpoint + "#service")
    dataset = ox.NamedNode(ctx.base + "dataset")
    default = ox.NamedNode(endpoint + "#default-graph")
    out: list[ox.Triple] = []

    def add(s: ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal) -> None:
        out.append(ox.Triple(s, ox.NamedNode(p), o))

    def sd(local: str) -> ox.NamedNode:
        return ox.NamedNode(SD + local)

    add(service, rdf_type.value, sd("Service"))
    add(service, SD + "endpoint", ox.NamedNode(endpoint))
    add(service, SD + "supportedLanguage", sd("SPARQL11Query"))
    if ctx.writable:
        add(service, SD + "supportedLanguage", sd("SPARQL11Update"))
    for fmt in _RESULT_FORMATS:
        add(service, SD + "resultFormat", ox.NamedNode(FORMATS + fmt))
    add(service, SD + "feature", sd("UnionDefaultGraph"))
    add(service, SD + "feature", sd("EmptyGraphs"))
    add(
        service,
        SD + "defaultEntailmentRegime",
        ox.NamedNode("http://www.w3.org/ns/entailment/Simple"),
    )
    add(service, SD + "defaultDataset", dataset)
    add(dataset, rdf_type.value, sd("Dataset"))
    add(dataset, SD + "defaultGraph", default)
    add(default, rdf_type.value, sd("Graph"))
    void = PREFIXES["void"]
    store = ctx.dataset.store
    count = ox.Literal(str(len(store)), datatype=ox.NamedNode(PREFIXES["xsd"] + "integer"))
    add(default, void + "triples", count)
    for name in ctx.dataset.graph_names():
        named = ox.NamedNode(f"{endpoint}#graph-{_slug(name)}")
        add(dataset, SD + "namedGraph", named)
        add(named, rdf_type.value, sd("NamedGraph"))
        add(named, SD + "name", ox.NamedNode(name))
    return out


def _slug(iri: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", iri).strip("-")
