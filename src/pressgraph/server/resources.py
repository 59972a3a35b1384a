"""Dereferencing: every resource IRI (``{base}id/...``) and the vocabulary (``{base}ns``).

A resource's description is its outgoing statements (with the graph each comes
from, and the statements of blank nodes it points at) plus its incoming links.
People get an HTML page, machines Turtle, JSON-LD, N-Triples, RDF/XML, TriG or
N-Quads, by ``Accept`` or by suffix (``/id/event/x.ttl``), with ``Link``
headers to the alternates, a strong ETag and 304 on ``If-None-Match``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response

from ..errors import NotFound
from ..project import ONTOLOGY_GRAPH
from .context import Context, context
from .negotiation import RDF_SUFFIXES, negotiate
from .problems import Problem
from .representations import conditional_response, serialize

__all__ = ["DOCUMENT_MEDIA", "Description", "describe", "resource", "vocabulary"]

#: what a resource can be sent as, HTML first (a bare */* gets the page)
DOCUMENT_MEDIA = [
    "text/html",
    "text/turtle",
    "application/ld+json",
    "application/n-triples",
    "application/rdf+xml",
    "application/trig",
    "application/n-quads",
]


@dataclass
class Description:
    """What the dataset says about one IRI."""

    iri: str
    outgoing: list[ox.Quad] = field(default_factory=list)
    incoming: list[ox.Quad] = field(default_factory=list)

    @property
    def exists(self) -> bool:
        return bool(self.outgoing or self.incoming)

    def quads(self) -> list[ox.Quad]:
        return [*self.outgoing, *self.incoming]


def describe(store: ox.Store, iri: str) -> Description:
    """Outgoing statements (blank-node objects followed), then incoming links."""
    node = ox.NamedNode(iri)
    outgoing = list(store.quads_for_pattern(node, None, None))
    seen: set[ox.BlankNode] = set()
    frontier = [q.object for q in outgoing if isinstance(q.object, ox.BlankNode)]
    while frontier:
        blank = frontier.pop()
        if blank in seen:
            continue
        seen.add(blank)
        for quad in store.quads_for_pattern(blank, None, None):
            outgoing.append(quad)
            if isinstance(quad.object, ox.BlankNode):
                frontier.append(quad.object)
    incoming = [q for q in store.quads_for_pattern(None, None, node) if q.subject != node]
    return Description(iri, outgoing, incoming)


def _split_suffix(ctx: Context, path: str) -> tuple[str, str | None]:
    """The IRI for ``path`` and the media type its suffix asks for (if it has one)."""
    iri = ctx.iri_for_path(path)
    for suffix, media in RDF_SUFFIXES.items():
        if iri.endswith(suffix):
            return iri[: -len(suffix)], media
    return iri, None


def alternates(path: str) -> str:
    """``Link`` header value listing the suffix URLs of a document."""
    return ", ".join(
        f'<{path}{suffix}>; rel="alternate"; type="{media}"'
        for suffix, media in RDF_SUFFIXES.items()
    )


def _choose(request: Request, forced: str | None) -> str:
    if forced is not None:
        return forced
    media = negotiate(request.headers.get("accept"), DOCUMENT_MEDIA)
    if media is None:
        raise Problem(406, f"this resource is available as {', '.join(DOCUMENT_MEDIA)}")
    return media


async def resource(request: Request) -> Response:
    """``/id/...``: a resource of the dataset."""
    ctx = context(request)
    store = ctx.dataset.store
    iri = ctx.iri_for_path(request.url.path)
    forced = None
    found = describe(store, iri)
    if not found.exists:
        stripped, forced = _split_suffix(ctx, request.url.path)
        if forced is not None:
            iri, found = stripped, describe(store, stripped)
    media = _choose(request, forced)
    path = ctx.path_for_iri(iri) or request.url.path
    if not found.exists:
        if media == "text/html":
            from .pages import not_found_page

            return not_found_page(request, iri)
        raise NotFound(f"nothing is known about <{iri}>")
    headers = {"Link": alternates(path)}
    if forced is None:
        suffix = next((s for s, m in RDF_SUFFIXES.items() if m == media), "")
        headers["Content-Location"] = path + suffix
    etag = ctx.dataset.etag("resource", iri, media)
    if request.headers.get("if-none-match") == etag:
        return conditional_response(request, b"", media, etag, headers)
    body = ctx.dataset.recall(etag)
    if body is None:
        if media == "text/html":
            from .pages import entity_page

            body = entity_page(request, found)
        else:
            context_file = ctx.project.root / "ontology" / "context.jsonld"
            body = serialize(found.quads(), media, context_file)
        ctx.dataset.remember(etag, body)
    return conditional_response(request, body, media, etag, headers)


async def vocabulary(request: Request) -> Response:
    """``/ns``: the project vocabulary, documented for people and as RDF for machines."""
    ctx = context(request)
    forced = None
    for suffix, media in RDF_SUFFIXES.items():
        if request.url.path == "/ns" + suffix:
            forced = media
    media = _choose(request, forced)
    headers = {"Link": alternates("/ns")}
    etag = ctx.dataset.etag("vocabulary", media)
    if request.headers.get("if-none-match") == etag:
        return conditional_response(request, b"", media, etag, headers)
    body = ctx.dataset.recall(etag)
    if body is not None:
        return conditional_response(request, body, media, etag, headers)
    if media == "text/html":
        from .pages import vocabulary_page

        body = vocabulary_page(request)
    else:
        quads = [
            q
            for q in ctx.project.ontology
            if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == ONTOLOGY_GRAPH
        ]
        body = serialize(quads, media, ctx.project.root / "ontology" / "context.jsonld")
    ctx.dataset.remember(etag, body)
    return conditional_response(request, body, media, etag, headers)
