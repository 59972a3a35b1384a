"""Dumps of the dataset in every RDF format, byte-identical for the same input.

Blank nodes are relabelled with RDFC-1.0 (only the quads that mention one take part: the
algorithm looks at nothing else), quads are sorted, and prefixes come from a fixed table.
JSON-LD is written by :mod:`pressgraph.jsonld`, compact, with the project's context.
Python's cyclic garbage collector is paused while a dump is made: it is not needed (nothing
here makes cycles) and it rescans the millions of live terms again and again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .errors import ExportError
from .jsonld import gc_paused, load_context, write_dataset
from .namespaces import PREFIXES
from .rdfio import canonical_blank_nodes, quad_key, unique_sorted

__all__ = ["FORMATS", "Format", "export_quads"]


@dataclass(frozen=True)
class Format:
    """An export format: its name, file suffix, media type and whether it keeps graph names."""

    name: str
    suffix: str
    media_type: str
    quads: bool


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("trig", ".trig", "application/trig", True),
        Format("nquads", ".nq", "application/n-quads", True),
        Format("jsonld", ".jsonld", "application/ld+json", True),
        Format("turtle", ".ttl", "text/turtle", False),
        Format("ntriples", ".nt", "application/n-triples", False),
        Format("rdfxml", ".rdf", "application/rdf+xml", False),
    )
}
_OX = {
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


def export_quads(
    quads: Iterable[ox.Quad],
    fmt: str,
    *,
    graph: str | None = None,
    context_path: Path | None = None,
) -> bytes:
    """Serialise ``quads`` as ``fmt``; only graph ``graph`` if given.

    Triple formats (Turtle, N-Triples, RDF/XML) get the union of the graphs.
    """
    spec = FORMATS.get(fmt)
    if spec is None:
        raise ExportError(f"unknown export format {fmt!r} (known: {', '.join(FORMATS)})")
    with gc_paused():
        selected = list(quads)
        if graph is not None:
            selected = [
                q
                for q in selected
                if not isinstance(q.graph_name, ox.DefaultGraph) and q.graph_name.value == graph
            ]
            if not selected:
                raise ExportError(f"no graph named <{graph}> in the dataset")
        labelled = canonical_blank_nodes(selected)
        if fmt == "jsonld":
            if context_path is None:
                raise ExportError(
                    "JSON-LD export needs the project context (ontology/context.jsonld)"
                )
            return write_dataset(labelled, load_context(context_path))
        if spec.quads:
            ordered = unique_sorted(sorted(labelled, key=quad_key))
            return ox.serialize(ordered, format=_OX[fmt], prefixes=dict(PREFIXES)) or b""
        triples = unique_sorted(
            sorted(
                (ox.Triple(q.subject, q.predicate, q.object) for q in labelled), key=_triple_key
            )
        )
        prefixes = dict(PREFIXES) if fmt in ("turtle", "rdfxml") else None
        return ox.serialize(triples, format=_OX[fmt], prefixes=prefixes) or b""


def _triple_key(t: ox.Triple) -> tuple[str, str, str]:
    return (str(t.subject), str(t.predicate), str(t.object))
