"""The SPARQL 1.1 Graph Store HTTP Protocol.

Indirect identification at ``/rdf-graphs/service?graph=IRI`` (or ``?default``),
direct identification at every graph IRI under ``{base}graph/`` (served at
``/graph/...``). GET and HEAD are public; PUT, POST and DELETE need the write
token and are validated against the shapes before they are committed.
"""

from __future__ import annotations

import re
import uuid

import pyoxigraph as ox
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from ..errors import NotFound
from .context import Context, context
from .negotiation import RDF_SUFFIXES, media_type_of, negotiate
from .problems import Problem
from .representations import RDF_MEDIA, conditional_response, serialize
from .writes import graph_exists, parse_graph_body, write_graph

__all__ = ["direct_graph", "graph_service"]

GraphName = ox.NamedNode | ox.DefaultGraph
_GRAPH_OFFERS = [
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
    "application/trig",
    "application/n-quads",
]
_ABSOLUTE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]*$")


def _indirect_graph(request: Request, ctx: Context) -> GraphName | None:
    """The graph named by ``?graph=`` / ``?default``; ``None`` when neither is given."""
    params = request.query_params
    graphs = params.getlist("graph")
    if "default" in params and graphs:
        raise Problem(400, "give either ?default or ?graph=, not both")
    if "default" in params:
        return ox.DefaultGraph()
    if not graphs:
        return None
    if len(graphs) > 1:
        raise Problem(400, "give exactly one graph= parameter", parameter="graph")
    iri = graphs[0]
    if not _ABSOLUTE.match(iri):
        raise Problem(400, f"graph must be an absolute IRI, got {iri!r}", parameter="graph")
    origin = ctx.origin(request) + "/"
    if iri.startswith(origin):
        iri = ctx.iri_for_path(iri[len(origin) - 1 :])
    return ox.NamedNode(iri)


async def graph_service(request: Request) -> Response:
    """``/rdf-graphs/service``: indirect graph identification."""
    ctx = context(request)
    graph = _indirect_graph(request, ctx)
    if graph is None:
        if request.method != "POST":
            raise Problem(400, "name a graph with ?graph=IRI or ?default")
        iri = f"{ctx.base}graph/uploads/{uuid.uuid4().hex}"
        await _write(request, ctx, ox.NamedNode(iri), replace=False)
        location = f"{ctx.origin(request)}{ctx.path_for_iri(iri)}"
        return Response(status_code=201, headers={"Location": location})
    return await _dispatch(request, ctx, graph, None)


async def direct_graph(request: Request) -> Response:
    """A graph IRI ``{base}graph/...`` dereferenced at ``/graph/...`` (HTML first for people)."""
    ctx = context(request)
    iri = ctx.iri_for_path(request.url.path)
    suffix_media = None
    if request.method in ("GET", "HEAD") and not graph_exists(ctx.dataset.store, ox.NamedNode(iri)):
        for suffix, media in RDF_SUFFIXES.items():
            if iri.endswith(suffix):
                iri, suffix_media = iri[: -len(suffix)], media
                break
    return await _dispatch(request, ctx, ox.NamedNode(iri), suffix_media, html_first=True)


async def _dispatch(
    request: Request,
    ctx: Context,
    graph: GraphName,
    media: str | None,
    html_first: bool = False,
) -> Response:
    if request.method in ("GET", "HEAD"):
        return _read(request, ctx, graph, media, html_first)
    if request.method == "DELETE":
        ctx.require_write(request)
        if not graph_exists(ctx.dataset.store, graph) or (
            isinstance(graph, ox.DefaultGraph) and not _has_triples(ctx, graph)
        ):
            raise NotFound(f"no graph {_show(graph)}")
        await write_graph(ctx.dataset, graph, None, replace=True, what=f"DELETE {_show(graph)}")
        return Response(status_code=204)
    existed = await _write(request, ctx, graph, replace=request.method == "PUT")
    return Response(status_code=204 if existed else 201)


def _has_triples(ctx: Context, graph: GraphName) -> bool:
    return (
        next(iter(ctx.dataset.store.quads_for_pattern(None, None, None, graph)), None) is not None
    )


def _show(graph: GraphName) -> str:
    return "DEFAULT" if isinstance(graph, ox.DefaultGraph) else f"<{graph.value}>"


def _read(
    request: Request, ctx: Context, graph: GraphName, media: str | None, html_first: bool
) -> Response:
    store = ctx.dataset.store
    if isinstance(graph, ox.NamedNode) and not graph_exists(store, graph):
        raise NotFound(f"no graph <{graph.value}> in this dataset")
    if media is None:
        offers = [*_GRAPH_OFFERS]
        if isinstance(graph, ox.NamedNode):
            offers.insert(0 if html_first else len(offers), "text/html")
        media = negotiate(request.headers.get("accept"), offers)
        if media is None:
            raise Problem(406, f"a graph can be sent as {', '.join(offers)}")
    name = _show(graph)
    if media == "text/html":
        from .pages import graph_page

        return graph_page(request, graph.value)  # type: ignore[union-attr]
    etag = ctx.dataset.etag("graph", name, media)
    headers = {"Link": _alternates(ctx, graph)} if isinstance(graph, ox.NamedNode) else {}
    body = ctx.dataset.recall(etag)
    if body is None:
        quads = list(store.quads_for_pattern(None, None, None, graph))
        body = serialize(quads, media, ctx.project.root / "ontology" / "context.jsonld")
        ctx.dataset.remember(etag, body)
    return conditional_response(request, body, media, etag, headers)


def _alternates(ctx: Context, graph: ox.NamedNode) -> str:
    path = ctx.path_for_iri(graph.value)
    if path is None:
        return ""
    return ", ".join(
        f'<{path}{suffix}>; rel="alternate"; type="{media}"'
        for suffix, media in RDF_SUFFIXES.items()
    )


async def _write(request: Request, ctx: Context, graph: GraphName, replace: bool) -> bool:
    ctx.require_write(request)
    media, _options = media_type_of(request.headers.get("content-type"))
    base = graph.value if isinstance(graph, ox.NamedNode) else ctx.base
    if media == "multipart/form-data":
        triples: list[ox.Triple] = []
        async with request.form() as form:
            for _name, part in form.multi_items():
                if not isinstance(part, UploadFile):
                    continue
                part_media, _ = media_type_of(part.content_type)
                if part_media not in RDF_MEDIA and part_media not in ("text/plain",):
                    raise Problem(415, f"cannot read RDF from a {part_media or 'untyped'} part")
                triples += parse_graph_body(await part.read(), part_media, base)
    else:
        if not media:
            raise Problem(415, "the request needs a Content-Type (e.g. text/turtle)")
        if media not in RDF_MEDIA or media in ("application/trig", "application/n-quads"):
            raise Problem(
                415, f"cannot read a graph from {media}: send Turtle, N-Triples, RDF/XML or JSON-LD"
            )
        triples = parse_graph_body(await request.body(), media, base)
    verb = "PUT" if replace else "POST"
    return await write_graph(ctx.dataset, graph, triples, replace, f"{verb} {_show(graph)}")
