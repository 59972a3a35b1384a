"""Reading RDF files and moving terms between pyoxigraph and rdflib.

pyoxigraph is the parser (strict, fast, and its errors carry line and column);
rdflib objects are made from its quads only where rdflib-based tools (pySHACL)
need them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from .errors import DataError

__all__ = [
    "FORMATS_BY_SUFFIX",
    "canonical_blank_nodes",
    "canonical_quads",
    "from_rdflib",
    "mentions_blank_node",
    "parse_file",
    "quad_key",
    "require_named_graphs",
    "to_rdflib",
    "to_rdflib_dataset",
    "to_rdflib_graph",
    "unique_sorted",
]

#: file suffix -> pyoxigraph format; Turtle-family files go into one named graph
FORMATS_BY_SUFFIX: dict[str, ox.RdfFormat] = {
    ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS,
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
}


def parse_file(path: Path, graph: str | None = None) -> list[ox.Quad]:
    """Parse one RDF file; triples of a graph-less format go into ``graph``.

    Raises :class:`DataError` naming the file, line and column of a syntax error.
    """
    fmt = FORMATS_BY_SUFFIX.get(path.suffix.lower())
    if fmt is None:
        raise DataError(f"unknown RDF file type {path.suffix!r}", path)
    target = ox.NamedNode(graph) if graph else None
    try:
        data = path.read_bytes()
        quads = list(
            ox.parse(data, format=fmt, base_iri=path.resolve().as_uri(), without_named_graphs=False)
        )
    except SyntaxError as exc:
        raise DataError(_syntax_message(exc), path, exc.lineno, exc.offset) from exc
    except (OSError, ValueError) as exc:
        raise DataError(str(exc), path) from exc
    if target is not None:
        quads = [
            ox.Quad(q.subject, q.predicate, q.object, target)
            if isinstance(q.graph_name, ox.DefaultGraph)
            else q
            for q in quads
        ]
    return quads


def require_named_graphs(quads: list[ox.Quad], path: Path) -> list[ox.Quad]:
    """``quads`` unchanged, or :class:`DataError` if one sits in the default graph.

    Every fact of ``data/`` sits in a claim or reference graph, so that it has provenance.
    """
    stray = next((q for q in quads if isinstance(q.graph_name, ox.DefaultGraph)), None)
    if stray is not None:
        raise DataError(
            "triples outside a named graph: every fact must sit in a claim or reference "
            f"graph (first: {stray.subject} {stray.predicate} {stray.object})",
            path,
        )
    return quads


def _syntax_message(exc: SyntaxError) -> str:
    """pyoxigraph's message without its own position prefix (we print ours)."""
    msg = exc.msg or str(exc)
    return msg.split(": ", 1)[1] if msg.startswith("Parser error") and ": " in msg else msg


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    """One pyoxigraph term as an rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    raise DataError(f"RDF 1.2 triple terms are not supported here: {term}")


def from_rdflib(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """One rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise DataError(f"unsupported rdflib term {term!r}")


def to_rdflib_dataset(quads: Iterable[ox.Quad]) -> Dataset:
    """An rdflib ``Dataset`` holding ``quads`` (named graphs kept)."""
    ds = Dataset()
    for q in quads:
        if isinstance(q.graph_name, ox.DefaultGraph):
            g = ds.default_graph
        else:
            g = ds.graph(to_rdflib(q.graph_name))
        g.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return ds


def to_rdflib_graph(quads: Iterable[ox.Quad | ox.Triple]) -> Graph:
    """An rdflib ``Graph`` with the triples of ``quads`` (graph names dropped)."""
    g = Graph()
    for q in quads:
        g.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return g


def canonical_quads(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    """Quads with blank nodes relabelled by RDFC-1.0, sorted, each once: the basis of
    byte-identical dumps."""
    return iter(unique_sorted(sorted(canonical_blank_nodes(list(quads)), key=quad_key)))


def canonical_blank_nodes(quads: list[ox.Quad]) -> list[ox.Quad]:
    """``quads`` with blank nodes relabelled by RDFC-1.0 (unchanged when there are none).

    Only the quads that mention a blank node are handed to the canonicaliser: RDFC-1.0
    computes the labels from those quads alone, so the labels are the ones it gives for
    the whole dataset, without copying millions of quads into a ``pyoxigraph.Dataset``.
    """
    with_blank: list[ox.Quad] = []
    without: list[ox.Quad] = []
    for q in quads:
        (with_blank if mentions_blank_node(q) else without).append(q)
    if not with_blank:
        return quads
    ds = ox.Dataset(with_blank)
    ds.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return without + list(ds)


def mentions_blank_node(q: ox.Quad) -> bool:
    """Whether a blank node is the subject, object or graph of ``q``."""
    blank = ox.BlankNode
    return type(q.subject) is blank or type(q.object) is blank or type(q.graph_name) is blank


def unique_sorted(ordered: list[Any]) -> list[Any]:
    """Sorted items without their duplicates (which sit next to each other)."""
    out = ordered[:1]
    for item in ordered[1:]:
        if item != out[-1]:
            out.append(item)
    return out


def quad_key(q: ox.Quad) -> tuple[str, str, str, str]:
    """The order of quads in dumps: graph (default first), subject, predicate, object."""
    graph = "" if isinstance(q.graph_name, ox.DefaultGraph) else str(q.graph_name)
    return (graph, str(q.subject), str(q.predicate), str(q.object))
