"""Validating units in worker processes: one small data graph a unit, made of its own
triples and the descriptions of every node the shapes can reach from them.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from ..errors import DataError
from ..rdfio import parse_file
from ..store import PLAIN_DATATYPES
from ..validate import Finding
from .plan import ShapePlan, SparqlCheck, Targets, run_check
from .reach import ANY, Reach, Step, Trie

#: a node with this many quads or more is described through a DISTINCT query
_HUB = 64
_DESCRIBE = "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }"
_GRAPHS = "SELECT DISTINCT ?s ?g WHERE { GRAPH ?g { ?s ?p ?o } }"


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SUBCLASS_OF = "http://www.w3.org/2000/01/rdf-schema#subClassOf"


# --------------------------------------------------------------------------- units


@dataclass
class UnitResult:
    """What validating one unit gave: core findings, the nodes it read, its digests, and
    the SPARQL constraints' findings for its focus nodes."""

    name: str
    findings: list[Finding]
    #: keys (:func:`node_key`) of the nodes whose descriptions the core shapes read
    reads: list[int] = field(default_factory=list)
    #: node -> digest of what the unit says about (or pointing back at) that node
    digests: dict[str, int] = field(default_factory=dict)
    #: (constraint, focus) -> findings, for every focus node of every SPARQL constraint
    sparql: dict[tuple[str, str], list[Finding]] = field(default_factory=dict)
    #: the focus nodes the unit owns
    owned: list[str] = field(default_factory=list)


def node_ref(term: Any) -> str:
    """The text a node is known by in the cache: an IRI, or a literal in N-Triples."""
    return term.value if isinstance(term, ox.NamedNode) else str(term)


def node_key(ref: str) -> int:
    """A 63-bit key for a node reference (what the cache indexes)."""
    return int.from_bytes(hashlib.blake2b(ref.encode(), digest_size=8).digest(), "big") >> 1


def unit_digests(triples: Iterable[ox.Triple], backward: frozenset[str]) -> dict[str, int]:
    """Per node, a digest of the unit's triples about it (as subject, key ``s <node>``) and
    of its triples pointing at it along a predicate followed backwards (``backward``;
    :data:`ANY`: all; key ``o <node>``); ``m <node>`` (0) for the IRIs it has as objects.

    Two versions of a unit differ on exactly the nodes whose digests differ.
    """
    groups: dict[str, list[str]] = {}
    every = ANY in backward
    out: dict[str, int] = {}
    for t in triples:
        line = f"{t.subject} {t.predicate} {t.object}"
        groups.setdefault("s " + node_ref(t.subject), []).append(line)
        if every or t.predicate.value in backward:
            groups.setdefault("o " + node_ref(t.object), []).append(line)
        if isinstance(t.object, ox.NamedNode):
            out["m " + t.object.value] = 0  # mentioned (not a change by itself)
    for key, lines in groups.items():
        h = hashlib.blake2b(digest_size=8)
        for line in sorted(set(lines)):
            h.update(line.encode() + b"\n")
        out[key] = int.from_bytes(h.digest(), "big") >> 1
    return out


class _Worker:
    """Per-process state: the store, the plan, the ontology, and parsed units.

    Descriptions come from the store, which knows which graphs hold a node, except for
    graphs of files whose literals the store does not keep exactly (``lossy_graphs``): a
    node's typed literals in those are read from the parsed unit. pyoxigraph's store turns
    derived integer types (``xsd:nonNegativeInteger``...) into ``xsd:integer``, which
    ``sh:datatype`` would reject.
    """

    def __init__(self, store_path: str, plan: ShapePlan, ontology_nt: bytes,
                 graph_units: dict[str, str], root: str, unit_files: dict[str, list[str]],
                 lossy_graphs: frozenset[str]) -> None:
        self.store = ox.Store.read_only(store_path)
        self.plan = plan
        self.ontology = list(ox.parse(ontology_nt, format=ox.RdfFormat.N_TRIPLES))
        self.graph_units = graph_units
        self.root = Path(root)
        self.unit_files = unit_files
        self.lossy_graphs = lossy_graphs
        self.inverse = [ox.NamedNode(p) for p in plan.inverse_predicates]
        self.backward = plan.backward_predicates
        self._parsed: dict[str, dict[Any, list[ox.Triple]]] = {}
        self._descriptions: dict[Any, list[ox.Triple]] = {}
        self._superclasses: dict[str, set[str]] = {}
        self._subtrees: dict[tuple[Any, str, Any], frozenset[Any]] = {}
        #: unit -> (nodes it owned, nodes it mentioned) last time, and the nodes touched
        #: since: ownership of an untouched node has not changed
        self.hints: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
        self.touched: frozenset[str] = frozenset()

    def unit_of(self, g: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> str:
        return self.graph_units.get(g.value, "") if isinstance(g, ox.NamedNode) else ""

    def described(self, unit: str) -> dict[Any, list[ox.Triple]]:
        """Subject -> triples of one unit, parsed from its files (a bounded cache)."""
        found = self._parsed.get(unit)
        if found is None:
            from ..store import ontology_graph_name

            found = {}
            for rel in self.unit_files.get(unit, []):
                path = self.root / rel
                graph = ontology_graph_name(path) if rel.startswith("ontology/") else None
                for q in parse_file(path, graph):
                    found.setdefault(q.subject, []).append(
                        ox.Triple(q.subject, q.predicate, q.object)
                    )
            if len(self._parsed) > 32:
                self._parsed.clear()
            self._parsed[unit] = found
        return found

    def description(self, node: Any) -> list[ox.Triple]:
        """Every triple about ``node`` in the dataset, literals as written."""
        found = self._descriptions.get(node)
        if found is not None:
            return found
        found = []
        if isinstance(node, ox.NamedNode):
            quads = self.store.quads_for_pattern(node, None, None)
            first = list(itertools.islice(quads, _HUB))
            if len(first) == _HUB:
                found = self._hub_description(node)
            if not found:
                found = self._description(node, itertools.chain(first, quads))
        if len(self._descriptions) > 20_000:
            self._descriptions.clear()
        self._descriptions[node] = found
        return found

    def _description(self, node: ox.NamedNode, quads: Iterable[ox.Quad]) -> list[ox.Triple]:
        by_unit: dict[str, list[ox.Triple]] = {}
        reparse: set[str] = set()
        for q in quads:
            g = q.graph_name
            unit = self.unit_of(g)
            by_unit.setdefault(unit, []).append(ox.Triple(q.subject, q.predicate, q.object))
            o = q.object
            if (
                type(o) is ox.Literal
                and g.value in self.lossy_graphs  # type: ignore[union-attr]
                and o.datatype.value not in PLAIN_DATATYPES
            ):
                reparse.add(unit)
        triples: set[ox.Triple] = set()
        for unit, found_here in by_unit.items():
            if unit in reparse:
                triples.update(self.described(unit).get(node, ()))
            else:
                triples.update(found_here)
        return list(triples)

    def _hub_description(self, node: ox.NamedNode) -> list[ox.Triple]:
        """The description of a node many graphs describe (a role two thousand
        announcements name), made distinct by the store; [] when it has typed literals
        (which may need the files: see :meth:`_description`)."""
        out = []
        for row in self.store.query(_DESCRIBE, substitutions={ox.Variable("s"): node},
                                    use_default_graph_as_union=True):
            o = row["o"]
            if type(o) is ox.Literal and o.datatype.value not in PLAIN_DATATYPES:
                return []
            out.append(ox.Triple(node, row["p"], o))
        return out

    def owned(self, name: str) -> tuple[set[ox.Triple], set[str], dict[str, int]]:
        """The unit's own triples, the focus nodes it owns, its digests.

        A node is owned by the first unit (by name) that has it as a subject; a node no
        unit describes by the units that mention it."""
        own = self.described(name)
        triples: set[ox.Triple] = {t for ts in own.values() for t in ts}
        subjects = {s.value for s in own if isinstance(s, ox.NamedNode)}
        owned: set[str] = set()
        before_owned, before_mentioned = self.hints.get(name, (frozenset(), frozenset()))
        for node in {t for tr in triples for t in (tr.subject, tr.object)
                     if isinstance(t, ox.NamedNode)}:
            iri = node.value
            if iri in before_mentioned and iri not in self.touched:
                if iri in before_owned:  # the units describing it are the same as before
                    owned.add(iri)
            elif self._owns(name, node, iri in subjects):
                owned.add(iri)
        return triples, owned, unit_digests(triples, self.backward)

    def _owns(self, name: str, node: ox.NamedNode, subject: bool) -> bool:
        """Whether unit ``name`` owns ``node``; stops at the first unit that rules it out
        (a role two thousand announcements describe is mostly settled in one step)."""
        quads = self.store.quads_for_pattern(node, None, None)
        first = list(itertools.islice(quads, _HUB))
        graphs: Iterable[Any] = (q.graph_name for q in first)
        if len(first) == _HUB:  # a hub: its graphs, each once
            graphs = itertools.chain(graphs, (
                row["g"] for row in self.store.query(
                    _GRAPHS, substitutions={ox.Variable("s"): node})))
        for g in graphs:
            unit = self.unit_of(g)
            if unit and (not subject or unit < name):
                return False
        return True

    def core_data(self, triples: set[ox.Triple], owned: set[str]) -> set[Any]:
        """Add to ``triples`` what the core shapes read from the owned nodes; the nodes read."""
        if self.plan.core_reach is None:
            return self._levels(triples)
        reached: set[Any] = set()
        seen: set[tuple[Any, int]] = set()
        for focus in owned:
            node = ox.NamedNode(focus)
            for targets, trie in self.plan.core_reach:
                if self.is_target(node, targets):
                    self._walk_trie(node, trie, reached, seen)
        for node in reached:
            triples.update(self.description(node))
        return reached

    def _walk_trie(self, start: Any, trie: Trie, reached: set[Any],
                   seen: set[tuple[Any, int]]) -> None:
        todo = [(start, trie)]
        while todo:
            node, t = todo.pop()
            if (node, id(t)) in seen:
                continue
            seen.add((node, id(t)))
            reached.add(node)
            for (pred, backward, transitive, zero), child in t:
                step = Step("", "", pred, backward, transitive, zero)
                for found in self._along(node, step):
                    todo.append((found, child))

    def _levels(self, triples: set[ox.Triple]) -> set[Any]:
        """The fallback: every node within ``depth`` hops of the unit's nodes, forward and
        back along the inverse paths the shapes use."""
        frontier = {
            t for tr in triples for t in (tr.subject, tr.object) if isinstance(t, ox.NamedNode)
        }
        seen: set[Any] = set()
        for _level in range(self.plan.depth + 1):
            nxt: set[ox.NamedNode] = set()
            for node in frontier:
                if node in seen:
                    continue
                seen.add(node)
                for t in self.description(node):
                    triples.add(t)
                    if isinstance(t.object, ox.NamedNode):
                        nxt.add(t.object)
                for pred in self.inverse:
                    for q in self.store.quads_for_pattern(None, pred, node):
                        triples.add(ox.Triple(q.subject, q.predicate, q.object))
                        if isinstance(q.subject, ox.NamedNode):
                            nxt.add(q.subject)
            frontier = nxt
        return seen

    # -- which shapes a node is a focus node of

    def is_target(self, node: ox.NamedNode, targets: Targets) -> bool:
        if node.value in targets.nodes:
            return True
        for pred in targets.subjects_of:
            if next(self.store.quads_for_pattern(node, ox.NamedNode(pred), None), None):
                return True
        for pred in targets.objects_of:
            if next(self.store.quads_for_pattern(None, ox.NamedNode(pred), node), None):
                return True
        if targets.classes:
            wanted = set(targets.classes)
            for t in self.description(node):
                if (
                    t.predicate.value == RDF_TYPE
                    and isinstance(t.object, ox.NamedNode)
                    and self.superclasses(t.object.value) & wanted
                ):
                    return True
        return False

    def superclasses(self, cls: str) -> set[str]:
        """``cls`` and every class it is a ``rdfs:subClassOf*`` in the dataset."""
        found = self._superclasses.get(cls)
        if found is None:
            found = _superclasses(self.store, cls)
            self._superclasses[cls] = found
        return found

    def _along(self, node: Any, step: Step) -> set[Any]:
        """Nodes reached from ``node`` along one step (walked to its end when transitive)."""
        reached: set[Any] = {node} if step.zero else set()
        frontier = [node]
        while frontier:
            nxt = []
            for current in frontier:
                for found in self._step(current, step):
                    if found not in reached:
                        reached.add(found)
                        nxt.append(found)
            frontier = nxt if step.transitive else []
        return reached

    def _step(self, node: Any, step: Step) -> Iterable[Any]:
        """One edge away; forward through the (cached, distinct) description: a role's
        label is one triple in two thousand graphs."""
        if step.backward or step.predicate == "=":
            return _one_step(self.store, node, step)
        if not isinstance(node, ox.NamedNode):
            return ()
        if step.predicate == ANY:
            return {t.object for t in self.description(node)}
        return {t.object for t in self.description(node) if t.predicate.value == step.predicate}

    def walk(self, reach: Reach, focus: ox.NamedNode) -> set[Any]:
        """Every node whose description a constraint may read for ``focus``: down the
        constraint's scopes merged into one tree (:meth:`Reach.tries`), from ``$this`` and
        from its constants. What lies below a node is kept: a person quoted in a thousand
        announcements has the same posts each time."""
        root, constants = reach.tries()
        visited = set(self._below(root, focus))
        for text, trie in constants:
            visited |= self._below(trie, _term(text))
        return visited

    def _below(self, trie: Any, node: Any) -> frozenset[Any]:
        memo = (id(trie), node)
        found = self._subtrees.get(memo)
        if found is not None:
            return found
        out: set[Any] = {node}
        for (pred, backward, transitive, zero, binds), child in trie:
            reached = self._along(node, Step("", "", pred, backward, transitive, zero))
            if binds:
                for m in reached:
                    out |= self._below(child, m)
            else:
                out |= reached
        found = frozenset(out)
        if len(self._subtrees) > 100_000:
            self._subtrees.clear()
        self._subtrees[memo] = found
        return found

    def sparql(self, foci: dict[str, list[str]]) -> dict[tuple[str, str], list[Finding]]:
        """Findings of the SPARQL constraints (by IRI) for their focus nodes ``foci``.

        Run on a small store holding every triple the constraints may read from those focus
        nodes (see :meth:`walk`), literals as written: the same answers as on the whole
        dataset, where pyoxigraph would take seconds a focus node for some constraints
        (it evaluates an OPTIONAL inside NOT EXISTS over every node of the store).
        """
        checks = {c.constraint: c for c in self.plan.checks}
        data: set[ox.Triple] = set()
        out: dict[tuple[str, str], list[Finding]] = {}
        for constraint, nodes in foci.items():
            for focus in nodes:
                out[(constraint, focus)] = []
                for visited in self.walk(checks[constraint].reach,  # type: ignore[arg-type]
                                         ox.NamedNode(focus)):
                    data.update(self.description(visited))
        if not data:
            return out
        store = ox.Store()
        store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in data)
        for constraint, nodes in foci.items():
            if nodes:
                for f in run_check(store, checks[constraint], focus=nodes):
                    out[(constraint, f.focus)].append(f)
        return out

    def targets_of(self, check: SparqlCheck, nodes: Iterable[str]) -> list[str]:
        return [f for f in sorted(nodes) if self.is_target(ox.NamedNode(f), check.targets)]

    def run(self, batch: list[str]) -> list[UnitResult]:
        data: set[ox.Triple] = set()
        per_unit = []
        for name in batch:
            triples, owned, digests = self.owned(name)
            reads = self.core_data(triples, owned)
            data |= triples
            per_unit.append((name, reads, owned, digests))
        focus_owner = {f: name for name, _r, owned, _d in per_unit for f in owned}
        findings: dict[str, list[Finding]] = {name: [] for name, *_ in per_unit}
        if focus_owner:
            for f in self._core(data, sorted(focus_owner)):
                owner = focus_owner.get(f.focus)
                if owner is not None:
                    findings[owner].append(f)
        local = [c for c in self.plan.checks if c.reach is not None]
        return [
            UnitResult(
                name,
                sorted(set(findings[name])),
                sorted({node_key(n.value) for n in reads if isinstance(n, ox.NamedNode)}
                       | {node_key(f) for f in owned}),
                digests,
                # one small store a unit: its constraints see only what they may read
                self.sparql({c.constraint: self.targets_of(c, owned) for c in local}),
                sorted(owned),
            )
            for name, reads, owned, digests in per_unit
        ]

    def _core(self, data: set[ox.Triple], focus: list[str]) -> list[Finding]:
        from pyshacl import validate as shacl_validate
        from pyshacl.errors import ReportableRuntimeError, ValidationFailure

        from ..rdfio import to_rdflib_graph
        from ..validate import report_from_graph

        graph = to_rdflib_graph([*data, *self.ontology])
        try:
            with _focus_nodes_as_set():
                _c, report, _t = shacl_validate(
                    graph,
                    shacl_graph=self.plan.core,
                    inference="none",
                    advanced=True,
                    allow_warnings=True,
                    allow_infos=True,
                    inplace=True,
                    focus_nodes=focus,
                )
        except (ReportableRuntimeError, ValidationFailure) as exc:
            raise DataError(f"the shapes could not be applied: {exc}") from exc
        return report_from_graph(report).findings


@contextlib.contextmanager
def _focus_nodes_as_set() -> Iterator[None]:
    """pySHACL 0.40 keeps the ``focus_nodes`` option as a list and, for every shape, tests
    each of its targets for membership in it: thousands times thousands of comparisons on
    a unit's graph. Same test on a frozenset (same answers), while the call lasts."""
    from pyshacl.validator import Validator

    original = Validator.make_executor

    def make_executor(self: Validator) -> Any:
        executor = original(self)
        if executor.focus_nodes is not None:
            executor.focus_nodes = frozenset(executor.focus_nodes)  # type: ignore[assignment]
        return executor

    Validator.make_executor = make_executor  # type: ignore[method-assign]
    try:
        yield
    finally:
        Validator.make_executor = original  # type: ignore[method-assign]


def _superclasses(store: ox.Store, cls: str) -> set[str]:
    found = {cls}
    todo = [cls]
    sub = ox.NamedNode(SUBCLASS_OF)
    while todo:
        current = todo.pop()
        for q in store.quads_for_pattern(ox.NamedNode(current), sub, None):
            if isinstance(q.object, ox.NamedNode) and q.object.value not in found:
                found.add(q.object.value)
                todo.append(q.object.value)
    return found


def _one_step(store: ox.Store, node: Any, step: Step) -> Iterable[Any]:
    """The nodes one edge away from ``node`` (looked up in the store)."""
    if step.predicate == "=":
        return (node,)
    pred = None if step.predicate == ANY else ox.NamedNode(step.predicate)
    if step.backward:
        if isinstance(node, ox.BlankNode):
            return ()
        return {q.subject for q in store.quads_for_pattern(None, pred, node)}
    if not isinstance(node, ox.NamedNode):
        return ()
    return {q.object for q in store.quads_for_pattern(node, pred, None)}


def _term(text: str) -> Any:
    """A pattern constant (``<iri>`` or an N-Triples literal) as a pyoxigraph term."""
    if text.startswith("<"):
        return ox.NamedNode(text[1:-1])
    line = f"<urn:x:s> <urn:x:p> {text} .\n".encode()
    return next(iter(ox.parse(line, format=ox.RdfFormat.N_TRIPLES))).object


_STATE: dict[str, _Worker] = {}


def _init_worker(store_path: str, plan_nt: str, shapes_fp: str, checks: list[SparqlCheck],
                 depth: int, inverse: tuple[str, ...], core_reach: Any, ontology_nt: bytes,
                 graph_units: dict[str, str], root: str,
                 unit_files: dict[str, list[str]], lossy_graphs: frozenset[str],
                 hints: dict[str, tuple[frozenset[str], frozenset[str]]],
                 touched: frozenset[str]) -> None:
    core = Graph()
    core.parse(data=plan_nt, format="nt")
    plan = ShapePlan(core, checks, depth, inverse, shapes_fp, plan_nt, core_reach)
    worker = _STATE["w"] = _Worker(store_path, plan, ontology_nt, graph_units, root,
                                   unit_files, lossy_graphs)
    worker.hints, worker.touched = hints, touched


def _run_batch(batch: list[str]) -> list[UnitResult]:
    return _STATE["w"].run(batch)
