"""JSON-LD with a local context, never fetching anything.

pyoxigraph writes expanded JSON-LD only; PyLD compacts it with the project's
own context (``ontology/context.jsonld``). PyLD is super-linear in document
size, so datasets are compacted one named graph at a time. Every PyLD call is
given a document loader that refuses to load anything: a remote context is a
server-side request forgery hole and there is no network at run time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from pyld import jsonld

from .errors import DataError, ExportError

__all__ = ["compact_dataset", "load_context", "no_remote_loader", "to_quads"]


def no_remote_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """A PyLD document loader that loads nothing (remote contexts are refused)."""
    raise jsonld.JsonLdError(
        f"refusing to load {url!r}: remote JSON-LD documents are never fetched",
        "jsonld.LoadDocumentError",
        code="loading remote context failed",
    )


_OPTIONS = {"documentLoader": no_remote_loader}


def load_context(path: Path) -> dict[str, Any]:
    """The ``@context`` object of a local context file."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DataError(f"cannot read JSON-LD context: {exc}", path) from exc
    if not isinstance(doc, dict) or "@context" not in doc:
        raise DataError("a JSON-LD context file must be an object with '@context'", path)
    return doc["@context"]


def _expanded(triples: Iterable[ox.Triple]) -> list[Any]:
    return json.loads(ox.serialize(list(triples), format=ox.RdfFormat.JSON_LD) or b"[]")


def compact_dataset(quads: Iterable[ox.Quad], context: dict[str, Any]) -> dict[str, Any]:
    """A compacted JSON-LD document of a dataset, one ``@graph`` object per named graph.

    Nodes are sorted by ``@id`` and graphs by name, so the output is deterministic.
    """
    by_graph: dict[str, list[ox.Triple]] = {}
    default: list[ox.Triple] = []
    for q in quads:
        triple = ox.Triple(q.subject, q.predicate, q.object)
        if isinstance(q.graph_name, ox.DefaultGraph):
            default.append(triple)
        else:
            by_graph.setdefault(q.graph_name.value, []).append(triple)
    graphs: list[Any] = []
    if default:
        graphs.extend(_compact_nodes(default, context))
    for name in sorted(by_graph):
        graphs.append({"@id": name, "@graph": _compact_nodes(by_graph[name], context)})
    return {"@context": context, "@graph": graphs}


def _compact_nodes(triples: list[ox.Triple], context: dict[str, Any]) -> list[Any]:
    ordered = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    try:
        doc = jsonld.compact(_expanded(ordered), {"@context": context}, options=dict(_OPTIONS))
    except jsonld.JsonLdError as exc:
        raise ExportError(f"JSON-LD compaction failed: {exc}") from exc
    nodes = doc.get("@graph", [{k: v for k, v in doc.items() if k != "@context"}])
    return sorted(nodes, key=lambda n: str(n.get("@id", n.get("id", ""))))


def to_quads(document: Any) -> list[ox.Quad]:
    """Parse a JSON-LD document with PyLD (an independent processor) into quads."""
    try:
        nquads = jsonld.to_rdf(document, {**_OPTIONS, "format": "application/n-quads"})
    except jsonld.JsonLdError as exc:
        raise DataError(f"invalid JSON-LD: {exc}") from exc
    return list(ox.parse(nquads.encode(), format=ox.RdfFormat.N_QUADS))
