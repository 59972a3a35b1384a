"""The schema.org publication view: framed JSON-LD with ``"@context": "https://schema.org"``.

What search engines and web developers read: plain strings and numbers,
co-organisers as ``organizer``, every event with its place embedded and the
place's ``address``. The document is framed locally with a context equivalent to
the official one for the terms used (``@vocab`` schema.org, ``sameAs``/``url``
as IRIs), then labelled with the official context IRI; nothing is fetched.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pyoxigraph as ox
from pyld import jsonld

from .errors import ExportError
from .jsonld import no_remote_loader
from .sparql import run_query

__all__ = ["SCHEMA_CONTEXT", "schemaorg_view"]

SCHEMA_CONTEXT = "https://schema.org"
_LOCAL_CONTEXT = {
    "@vocab": "http://schema.org/",
    "sameAs": {"@type": "@id"},
    "url": {"@type": "@id"},
}
#: properties whose values are embedded wherever they occur (not only the first time)
_ALWAYS_EMBED = ("location", "address", "geo", "organizer")


def _view_query() -> str:
    return resources.files("pressgraph.views").joinpath("schemaorg.rq").read_text("utf-8")


def schemaorg_view(
    store: ox.Store,
    root_types: tuple[str, ...] = ("Article", "Observation"),
    subject: str | None = None,
) -> dict[str, Any]:
    """The framed schema.org document of the dataset, or of ``subject`` alone."""
    result = run_query(store, _view_query(), source="schemaorg view", max_rows=10**9, timeout=600)
    triples = sorted(
        set(result.triples), key=lambda t: (str(t.subject), str(t.predicate), str(t.object))
    )
    nquads = (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode()
    frame: dict[str, Any] = {"@context": _LOCAL_CONTEXT}
    if subject is not None:
        frame["@id"] = subject
    else:
        frame["@type"] = list(root_types)
    options = {"documentLoader": no_remote_loader}
    try:
        expanded = jsonld.from_rdf(
            nquads, {**options, "format": "application/n-quads", "useNativeTypes": True}
        )
        framed = jsonld.frame(expanded, frame, {**options, "embed": "@once", "omitGraph": False})
    except jsonld.JsonLdError as exc:
        raise ExportError(f"schema.org view failed: {exc}") from exc
    nodes = framed.get("@graph", [])
    _embed_everywhere(nodes, _index(nodes))
    return {"@context": SCHEMA_CONTEXT, "@graph": nodes}


def _index(value: Any, found: dict[str, dict[str, Any]] | None = None) -> dict[str, dict[str, Any]]:
    """Every fully embedded node object of a framed tree, by ``@id``."""
    found = {} if found is None else found
    if isinstance(value, list):
        for item in value:
            _index(item, found)
    elif isinstance(value, dict):
        if "@id" in value and len(value) > 1:
            found.setdefault(value["@id"], value)
        for item in value.values():
            _index(item, found)
    return found


def _embed_everywhere(value: Any, nodes: dict[str, dict[str, Any]]) -> None:
    """Replace bare references under :data:`_ALWAYS_EMBED` properties by the node itself."""
    if isinstance(value, list):
        for item in value:
            _embed_everywhere(item, nodes)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key in _ALWAYS_EMBED:
                value[key] = _resolve(item, nodes)
            _embed_everywhere(value[key], nodes)


def _resolve(item: Any, nodes: dict[str, dict[str, Any]]) -> Any:
    if isinstance(item, list):
        return [_resolve(i, nodes) for i in item]
    if isinstance(item, dict) and set(item) == {"@id"} and item["@id"] in nodes:
        return json.loads(json.dumps(nodes[item["@id"]]))
    return item
