"""Writing RDF for HTTP: serialisation per media type, ETags, 304s and ``Vary``.

Triple formats (Turtle, N-Triples, RDF/XML) get the triples; quad formats (TriG,
N-Quads) and JSON-LD keep the graph each statement comes from (its provenance).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response

from ..errors import ExportError
from ..export import FORMATS, export_quads
from ..rdfio import canonical_quads

__all__ = [
    "CONTENT_TYPES",
    "RDF_MEDIA",
    "conditional_response",
    "serialize",
]

#: media types this server writes RDF in, in its order of preference
RDF_MEDIA: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}
#: the Content-Type header sent for a media type
CONTENT_TYPES: dict[str, str] = {
    "text/turtle": "text/turtle; charset=utf-8",
    "text/html": "text/html; charset=utf-8",
    "text/csv": "text/csv; charset=utf-8",
    "text/tab-separated-values": "text/tab-separated-values; charset=utf-8",
    "text/plain": "text/plain; charset=utf-8",
}
_FORMAT_BY_MEDIA = {f.media_type: f.name for f in FORMATS.values()}


def serialize(quads: Iterable[ox.Quad], media_type: str, context_path: Path | None = None) -> bytes:
    """``quads`` in ``media_type``, written as the dumps are (:func:`export_quads`).

    JSON-LD is compacted with the project context when there is one
    (``ontology/context.jsonld``), else written expanded.
    """
    name = _FORMAT_BY_MEDIA.get(media_type)
    if name is None or media_type not in RDF_MEDIA:
        raise ExportError(f"cannot write RDF as {media_type!r}")
    if name == "jsonld" and (context_path is None or not context_path.is_file()):
        return ox.serialize(list(canonical_quads(quads)), format=ox.RdfFormat.JSON_LD) or b"[]"
    return export_quads(quads, name, context_path=context_path)


def content_type(media_type: str) -> str:
    """The Content-Type header value for a media type (charset where it is text)."""
    return CONTENT_TYPES.get(media_type, media_type)


def conditional_response(
    request: Request,
    body: bytes,
    media_type: str,
    etag: str,
    headers: Mapping[str, str] | None = None,
    status: int = 200,
) -> Response:
    """A response with a strong ETag and ``Vary: Accept``; 304 when If-None-Match matches."""
    all_headers = {"ETag": etag, "Vary": "Accept", **(headers or {})}
    given = request.headers.get("if-none-match")
    if given and status == 200 and _etag_matches(given, etag):
        return Response(status_code=304, headers=all_headers)
    if request.method == "HEAD":
        all_headers["Content-Length"] = str(len(body))
        return Response(b"", status, headers=all_headers, media_type=content_type(media_type))
    return Response(body, status, headers=all_headers, media_type=content_type(media_type))


def _etag_matches(header: str, etag: str) -> bool:
    if header.strip() == "*":
        return True
    return etag in {t.strip() for t in header.split(",")}
