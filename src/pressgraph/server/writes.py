"""Validated writes: compute a change on the side, check it against the shapes, then commit.

A write never touches the live store before it is accepted. A SPARQL Update runs
on an in-memory copy and the change is the difference; a Graph Store request
computes its change from the one graph it names. The change is then validated:
the focus nodes are the IRIs it touches plus the nodes that link to them, and
the data given to pySHACL is every graph that mentions one of them plus the
reference graphs (all data graphs when the store is small). A write is rejected
(422) when it brings a Violation that was not there before it; otherwise it is
committed in one step (:meth:`LiveDataset.commit`).

pySHACL is not run at all for a change that no shape can see: one whose
predicates, classes (with their superclasses) and nodes are not mentioned by any
shape (nor by their SPARQL text), and whose subjects and objects are not of a
class a shape mentions (:class:`ShapeTerms`).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import URIRef

from ..errors import DataError, ValidationFailed
from ..namespaces import GRAPH, PREFIXES
from ..project import ONTOLOGY_GRAPH
from ..sparql import run_update
from ..validate import Finding, ValidationReport, validate_quads
from .dataset import LiveDataset

__all__ = [
    "FULL_VALIDATION_LIMIT",
    "check_change",
    "parse_graph_body",
    "write_graph",
    "write_update",
]

#: below this many quads, a write is validated against every data graph
FULL_VALIDATION_LIMIT = 50_000
GraphName = ox.NamedNode | ox.DefaultGraph
Change = tuple[list[ox.Quad], list[ox.Quad]]

_RDF_BODY_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}


def _is_ontology(graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> bool:
    if not isinstance(graph, ox.NamedNode):
        return False
    return graph.value == ONTOLOGY_GRAPH or graph.value.startswith(f"{GRAPH}ontology-")


def parse_graph_body(body: bytes, media_type: str, base_iri: str) -> list[ox.Triple]:
    """Triples of a request body; :class:`DataError` (line, column) when it does not parse."""
    fmt = _RDF_BODY_FORMATS.get(media_type)
    if fmt is None:
        raise DataError(f"cannot read RDF from {media_type!r}")
    try:
        quads = list(
            ox.parse(
                body,
                format=fmt,
                base_iri=base_iri,
                without_named_graphs=True,
                rename_blank_nodes=True,
            )
        )
    except SyntaxError as exc:
        raise DataError(f"request body: {exc.msg}", None, exc.lineno, exc.offset) from exc
    except ValueError as exc:
        raise DataError(f"request body: {exc}") from exc
    return [ox.Triple(q.subject, q.predicate, q.object) for q in quads]


def update_change(store: ox.Store, text: str, base_iri: str | None) -> Change:
    """What ``text`` (a SPARQL Update) would change, found by running it on a copy."""
    copy = ox.Store()
    copy.bulk_extend(store)
    run_update(copy, text, base_iri=base_iri)
    before, after = set(store), set(copy)
    return sorted(before - after, key=str), sorted(after - before, key=str)


def graph_change(
    store: ox.Store, graph: GraphName, triples: Iterable[ox.Triple] | None, replace: bool
) -> Change:
    """The change of a Graph Store request: replace (PUT), add (POST) or drop (``None``)."""
    current = set(store.quads_for_pattern(None, None, None, graph))
    if triples is None:
        return sorted(current, key=str), []
    new = {ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples}
    removed = sorted(current - new, key=str) if replace else []
    return removed, sorted(new - current, key=str)


SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = PREFIXES["rdf"] + "type"
_IRI_REF = re.compile(r"<([^<>\s]+)>")
_PNAME = re.compile(r"(?<![\w?$])([A-Za-z][\w.-]*)?:([A-Za-z_][\w.-]*)")


class ShapeTerms:
    """The IRIs the shapes mention: what a change must touch to matter to them."""

    def __init__(self, dataset: LiveDataset) -> None:
        from .entities import Hierarchy

        shapes = dataset.project.shapes
        self.hierarchy = Hierarchy(dataset.project.ontology)
        self.terms: set[str] = set()
        self.opaque = False  # SPARQL-based targets select nodes we cannot predict
        prefixes = dict(PREFIXES)
        for s, p, o in shapes:
            if str(p) == SH + "prefix":
                ns = shapes.value(s, URIRef(SH + "namespace"))
                if ns is not None:
                    prefixes[str(o)] = str(ns)
        for s, p, o in shapes:
            for term in (s, p, o):
                value = str(term)
                if isinstance(term, URIRef) and not value.startswith(SH):
                    self.terms.add(value)
            if str(p) == SH + "target":
                self.opaque = True
            if str(p) in (SH + "select", SH + "ask"):
                self.terms |= _sparql_iris(str(o), prefixes)
        self.terms.discard(RDF_TYPE)

    def relevant_class(self, cls: str) -> bool:
        return bool(self.hierarchy.ancestors(cls) & self.terms)

    def sees(self, store: ox.Store, changed: list[ox.Quad]) -> bool:
        """Whether any shape could judge the change differently."""
        if self.opaque:
            return True
        for q in changed:
            if q.predicate.value == RDF_TYPE:
                if isinstance(q.object, ox.NamedNode) and self.relevant_class(q.object.value):
                    return True
            elif q.predicate.value in self.terms:
                return True
            for node in (q.subject, q.object):
                if isinstance(node, ox.NamedNode) and node.value in self.terms:
                    return True
                if isinstance(node, ox.NamedNode | ox.BlankNode) and self._typed(
                    store, node, changed
                ):
                    return True
        return False

    def _typed(
        self, store: ox.Store, node: ox.NamedNode | ox.BlankNode, changed: list[ox.Quad]
    ) -> bool:
        rdf_type = ox.NamedNode(RDF_TYPE)
        types = [q.object for q in store.quads_for_pattern(node, rdf_type, None)]
        types += [q.object for q in changed if q.subject == node and q.predicate == rdf_type]
        return any(isinstance(t, ox.NamedNode) and self.relevant_class(t.value) for t in types)


def _sparql_iris(text: str, prefixes: dict[str, str]) -> set[str]:
    found = set(_IRI_REF.findall(text))
    for prefix, local in _PNAME.findall(text):
        if prefix in prefixes:
            found.add(prefixes[prefix] + local)
    return found


def check_change(dataset: LiveDataset, removed: list[ox.Quad], added: list[ox.Quad]) -> None:
    """Raise :class:`ValidationFailed` if the change brings a new Violation."""
    project = dataset.project
    if len(project.shapes) == 0:
        return
    changed = [q for q in (*removed, *added) if not _is_ontology(q.graph_name)]
    touched = {t for q in changed for t in (q.subject, q.object) if isinstance(t, ox.NamedNode)}
    if not touched:
        return
    terms = dataset.cache.get("shape-terms")
    if terms is None:
        terms = dataset.cache["shape-terms"] = ShapeTerms(dataset)
    if not terms.sees(dataset.store, changed):
        return
    before = _relevant_quads(dataset, touched, added)
    gone = set(removed)
    after = [q for q in before if q not in gone]
    after += [q for q in added if not _is_ontology(q.graph_name)]
    focus = set(touched)
    focus |= {
        q.subject for q in after if q.object in touched and isinstance(q.subject, ox.NamedNode)
    }
    focus_iris = sorted(n.value for n in focus)
    report = validate_quads(after, project.shapes, project.ontology_graph, focus_iris)
    if report.conforms:
        return
    old = validate_quads(before, project.shapes, project.ontology_graph, focus_iris)
    known = {_key(f) for f in old.findings if f.severity == "Violation"}
    fresh = [f for f in report.findings if f.severity == "Violation" and _key(f) not in known]
    if fresh:
        raise ValidationFailed(
            f"write rejected: it would add {len(fresh)} SHACL violation(s); nothing was changed",
            ValidationReport(fresh),
        )


def _key(f: Finding) -> tuple[str, str | None, str, str]:
    return (f.focus, f.path, f.shape, f.component)


def _relevant_quads(
    dataset: LiveDataset, touched: set[ox.NamedNode], added: list[ox.Quad]
) -> list[ox.Quad]:
    """The data graphs a change can affect (all of them when the store is small)."""
    store = dataset.store
    if len(store) <= FULL_VALIDATION_LIMIT:
        return [q for q in store if not _is_ontology(q.graph_name)]
    graphs: set[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = {q.graph_name for q in added}
    for node in touched:
        graphs.update(q.graph_name for q in store.quads_for_pattern(node, None, None))
        graphs.update(q.graph_name for q in store.quads_for_pattern(None, None, node))
    reference = dataset.project.settings.base_iri + "graph/reference"
    graphs.update(
        g
        for g in store.named_graphs()
        if isinstance(g, ox.NamedNode) and g.value.startswith(reference)
    )
    return [
        q
        for g in sorted(graphs, key=str)
        if not _is_ontology(g)
        for q in store.quads_for_pattern(None, None, None, g)
    ]


async def write_update(dataset: LiveDataset, text: str, base_iri: str | None) -> int:
    """Validate and commit a SPARQL Update; returns how many quads changed."""
    async with dataset.write_lock:
        removed, added = await asyncio.to_thread(update_change, dataset.store, text, base_iri)
        await asyncio.to_thread(check_change, dataset, removed, added)
        dataset.commit(removed, added, "SPARQL Update")
        return len(removed) + len(added)


async def write_graph(
    dataset: LiveDataset,
    graph: GraphName,
    triples: list[ox.Triple] | None,
    replace: bool,
    what: str,
) -> bool:
    """Validate and commit a Graph Store change; returns whether the graph existed before."""
    async with dataset.write_lock:
        existed = graph_exists(dataset.store, graph)
        removed, added = await asyncio.to_thread(
            graph_change, dataset.store, graph, triples, replace
        )
        await asyncio.to_thread(check_change, dataset, removed, added)
        dataset.commit(removed, added, what)
        if isinstance(graph, ox.NamedNode) and not existed and triples is not None:
            # an empty PUT still creates the graph
            dataset.store.add_graph(graph)
        if triples is None and isinstance(graph, ox.NamedNode) and existed:
            dataset.store.remove_graph(graph)
        return existed


def graph_exists(store: ox.Store, graph: GraphName) -> bool:
    """Whether the graph holds triples or was created (the default graph always exists)."""
    if isinstance(graph, ox.DefaultGraph):
        return True
    return store.contains_named_graph(graph)
