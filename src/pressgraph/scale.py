"""Validation at scale: announcement by announcement, in parallel, cached, exact.

The report equals what pySHACL gives on the whole dataset at once, for a fraction of the
cost. The dataset is cut into *units*: each announcement, each reference file, and the
ontology. Every focus node is validated once, in the unit that owns it (the first unit,
by name, that has it as a subject), against a small data graph: the unit's own triples,
plus the whole description (every triple, from any graph) of each node the shapes can
reach from it, plus the ontology. So a shape sees exactly what it would see in the whole
dataset, including facts other announcements state about the same nodes.

What "can reach" means is worked out from the shapes:

* core shapes (run by pySHACL): :attr:`ShapePlan.depth` hops forward, and back along the
  inverse paths they use;
* each SHACL-SPARQL constraint (run on pyoxigraph, not in pySHACL: rdflib's engine makes
  them the slow part): its triple patterns, union branch by union branch and with the
  patterns of its ``EXISTS`` / ``NOT EXISTS`` groups, are a graph rooted at ``$this``; a
  spanning tree of it, preferring forward edges, tells which nodes to visit from each focus
  node of the constraint's targets, and which to look up from the other side
  (``?m org:member $this``), only there. :class:`Reach` holds the tree; a constraint whose
  patterns are not all tied to ``$this`` (or that uses ``GRAPH``, ``VALUES``, sub-queries)
  runs over the whole store instead, on every validation.

Descriptions are read from the store, except from files holding literals the store does
not keep as written (it stores ``"91"^^xsd:nonNegativeInteger`` as ``91``, an
``xsd:integer``): those are read from the parsed file (the manifest flags them).

Per-unit results are cached under ``.pressgraph/cache/`` with the unit's content hash, the
nodes whose descriptions it read, and a digest of the description it gives of each of its
subjects (and of the triples that point at a node along a predicate some shape follows
backwards). After a change, the units validated again are the changed ones and those that
read a node whose digest changed: editing a name re-validates the readers of that one node,
not of every node the announcement mentions.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import pickle
import re
import sqlite3
import struct
import zlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node, Variable

from .errors import DataError
from .namespaces import RDF, SH
from .rdfio import parse_file
from .store import announcement_of
from .validate import Finding, ValidationReport

if TYPE_CHECKING:
    from .project import Project

__all__ = [
    "Reach",
    "ShapePlan",
    "SparqlCheck",
    "Targets",
    "UnitResult",
    "sparql_reach",
    "validate_project",
    "validate_units",
]

Progress = Callable[[int, int], None]
ONTOLOGY_UNIT = "~ontology"
#: bumped when what the cache holds changes meaning (old caches are then wiped)
_CACHE_VERSION = "5"
_MAX_DEPTH = 6
_BATCH = 24
_LEX = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*'
)
_THIS = re.compile(r"[?$]this\b")
#: stands in a constraint's query where the focus nodes go (``VALUES ?this { ... }``)
_FOCUS = "\u0000FOCUS\u0000"
_EXISTS = re.compile(r"(?i)\bEXISTS\s*$")
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SUBCLASS_OF = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
#: a predicate "any predicate" stands for (a variable or a negated property set)
ANY = "*"
#: a node with this many quads or more is described through a DISTINCT query
_HUB = 64
_DESCRIBE = "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }"
_GRAPHS = "SELECT DISTINCT ?s ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
_PLAIN = frozenset(
    {
        "http://www.w3.org/2001/XMLSchema#string",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString",
    }
)


# --------------------------------------------------------------------------- the shapes


@dataclass(frozen=True)
class Step:
    """One edge of a constraint's pattern graph, as the walk from ``$this`` follows it.

    ``source`` and ``target`` are pattern nodes (``?x`` for a variable, ``<iri>``, or a
    literal in N-Triples); ``predicate`` is an IRI or :data:`ANY`. ``backward`` steps look
    the source up as the *object* of ``predicate``. ``transitive``: ``p+`` / ``p*``;
    ``zero``: the target may be the source itself. ``binds`` is False for a transitive edge
    between two nodes reached otherwise: it is walked only to visit the nodes in between.
    """

    source: str
    target: str
    predicate: str
    backward: bool = False
    transitive: bool = False
    zero: bool = False
    binds: bool = True


@dataclass(frozen=True)
class Reach:
    """How to find, from a focus node, every node whose description a constraint may read.

    One scope per combination of union branches (and per ``EXISTS`` group, which sees the
    bindings of its outer pattern): its steps in walking order, its constants, and the
    pattern nodes that are subjects of a pattern (whose descriptions it reads).
    """

    scopes: tuple[tuple[tuple[Step, ...], tuple[str, ...], tuple[str, ...]], ...]

    @property
    def backward_predicates(self) -> set[str]:
        return {s.predicate for steps, _c, _s in self.scopes for s in steps if s.backward}

    def tries(self) -> tuple[Any, tuple[tuple[str, Any], ...]]:
        """The scopes' spanning trees merged into one, edge by edge from ``$this`` (and one
        from each constant): walking it visits every node any scope would. Computed once."""
        found = _TRIES.get(id(self))
        if found is None or found[0] is not self:
            root: dict[Any, Any] = {}
            constants: dict[str, dict[Any, Any]] = {}
            for steps, consts, _subjects in self.scopes:
                children: dict[str, list[Step]] = {}
                for step in steps:
                    children.setdefault(step.source, []).append(step)
                _merge_tree(root, children, "?this")
                for c in consts:
                    _merge_tree(constants.setdefault(c, {}), children, c)
            found = (self, (_freeze(root), tuple((c, _freeze(t))
                                                 for c, t in sorted(constants.items()) if t)))
            _TRIES[id(self)] = found
        return found[1]


_TRIES: dict[int, tuple[Reach, Any]] = {}


def _merge_tree(trie: dict[Any, Any], children: dict[str, list[Step]], var: str) -> None:
    for step in children.get(var, ()):
        edge = (step.predicate, step.backward, step.transitive, step.zero, step.binds)
        child = trie.setdefault(edge, {})
        if step.binds:
            _merge_tree(child, children, step.target)


@dataclass(frozen=True)
class Targets:
    """The focus nodes of a shape, as tests a node can be put to."""

    classes: tuple[str, ...] = ()
    nodes: tuple[str, ...] = ()
    subjects_of: tuple[str, ...] = ()
    objects_of: tuple[str, ...] = ()


@dataclass(frozen=True)
class SparqlCheck:
    """One SHACL-SPARQL constraint, ready to run on pyoxigraph over all its focus nodes."""

    constraint: str
    shape: str
    severity: str
    messages: tuple[str, ...]
    query: str
    #: the query for given focus nodes: :data:`_FOCUS` stands where ``VALUES ?this`` goes
    focus_query: str
    #: what it reads from a focus node; None: it may read anything (run on the whole store)
    reach: Reach | None
    targets: Targets = field(default_factory=Targets)
    #: the result path of the owning property shape, if any
    shape_path: str | None = None
    is_property_shape: bool = False

    @property
    def local(self) -> bool:
        """Whether it runs unit by unit (else over the whole store, every time)."""
        return self.reach is not None


@dataclass
class ShapePlan:
    """What the shapes need: the core shapes for pySHACL, the SPARQL checks, the reach."""

    core: Graph
    checks: list[SparqlCheck]
    depth: int
    inverse_predicates: tuple[str, ...]
    fingerprint: str
    core_text: str = ""
    #: per targeted core shape, the paths its validation follows from a focus node (see
    #: :func:`_core_tries`); None: read ``depth`` hops around every node instead
    core_reach: tuple[tuple[Targets, Trie], ...] | None = None

    @classmethod
    def from_shapes(cls, shapes: Graph) -> ShapePlan:
        checks: list[SparqlCheck] = []
        detached: set[tuple[Node, Node]] = set()
        for shape, constraint in sorted(shapes.subject_objects(SH.sparql)):
            check = _sparql_check(shapes, shape, constraint)
            if check is not None:
                checks.append(check)
                detached.add((shape, constraint))
        core = Graph()
        for t in shapes:
            if t[1] == SH.sparql and (t[0], t[2]) in detached:
                continue
            core.add(t)
        depth, inverse = _core_reach(core)
        text = core.serialize(format="nt")
        digest = hashlib.sha256(
            "\n".join(sorted(shapes.serialize(format="nt").splitlines())).encode()
        ).hexdigest()
        return cls(core, checks, depth, tuple(sorted(inverse)), digest, text, _core_tries(core))

    @property
    def backward_predicates(self) -> frozenset[str]:
        """Predicates some shape follows from object to subject (:data:`ANY`: any)."""
        if self.core_reach is None:
            found = set(self.inverse_predicates)
        else:
            found = {e[0] for _t, trie in self.core_reach for e in _trie_edges(trie) if e[1]}
        for check in self.checks:
            if check.reach is not None:
                found |= check.reach.backward_predicates
        return frozenset(found)


def _severity(shapes: Graph, shape: Node) -> str:
    value = shapes.value(shape, SH.severity)
    return str(value or SH.Violation).rsplit("#", 1)[-1]


def _targets(shapes: Graph, shape: Node) -> tuple[list[str], Targets] | None:
    """SPARQL patterns binding ?this to the shape's focus nodes, and the same as tests;
    None when unsupported."""
    patterns = []
    classes = [str(c) for c in shapes.objects(shape, SH.targetClass)]
    if (shape, RDF.type, URIRef("http://www.w3.org/2000/01/rdf-schema#Class")) in shapes:
        classes.append(str(shape))
    for cls in classes:
        patterns.append(f"?this a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{cls}> .")
    nodes = []
    for node in shapes.objects(shape, SH.targetNode):
        if not isinstance(node, URIRef):
            return None
        nodes.append(str(node))
        patterns.append(f"VALUES ?this {{ <{node}> }}")
    subjects_of = [str(p) for p in shapes.objects(shape, SH.targetSubjectsOf)]
    for pred in subjects_of:
        patterns.append(f"?this <{pred}> [] .")
    objects_of = [str(p) for p in shapes.objects(shape, SH.targetObjectsOf)]
    for pred in objects_of:
        patterns.append(f"[] <{pred}> ?this .")
    if (shape, SH.target, None) in shapes:
        return None
    spec = Targets(
        tuple(sorted(set(classes))), tuple(sorted(nodes)), tuple(sorted(subjects_of)),
        tuple(sorted(objects_of)),
    )
    return patterns, spec


def _sparql_check(shapes: Graph, shape: Node, constraint: Node) -> SparqlCheck | None:
    """A :class:`SparqlCheck` for a targeted shape's constraint (None: leave it to pySHACL)."""
    if not isinstance(shape, URIRef) or not isinstance(constraint, URIRef):
        return None
    if shapes.value(constraint, SH.deactivated) == Literal(True):
        return None
    if shapes.value(shape, SH.deactivated) == Literal(True):
        return None
    select = shapes.value(constraint, SH.select)
    if select is None or (None, SH.node, shape) in shapes or (None, SH.property, shape) in shapes:
        return None
    found = _targets(shapes, shape)
    if not found or not found[0]:
        return None
    targets, spec = found
    prefixes = {}
    for holder in shapes.objects(constraint, SH.prefixes):
        for decl in shapes.objects(holder, SH.declare):
            prefixes[str(shapes.value(decl, SH.prefix))] = str(shapes.value(decl, SH.namespace))
    path = shapes.value(shape, SH.path)
    text = str(select)
    if "$PATH" in text:
        return None
    body = _inject_targets(text, targets)
    focused = _inject_targets(text, [_FOCUS])
    if body is None or focused is None:
        return None
    head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(prefixes.items()))
    messages = tuple(str(m) for m in shapes.objects(constraint, SH.message))
    messages += tuple(str(m) for m in shapes.objects(shape, SH.message))
    return SparqlCheck(
        constraint=str(constraint),
        shape=str(shape),
        severity=_severity(shapes, shape),
        messages=messages,
        query=head + body,
        focus_query=head + focused,
        reach=sparql_reach(head + text),
        targets=spec,
        shape_path=str(path) if isinstance(path, URIRef) else None,
        is_property_shape=path is not None,
    )


def _inject_targets(text: str, targets: list[str]) -> str | None:
    """Put the target patterns first in every group that uses ``$this`` (not in EXISTS).

    That gives the same answers as pySHACL's pre-binding of ``$this``, one focus node at
    a time, in one query over all focus nodes.
    """
    code = _LEX.sub(lambda m: " " * len(m.group(0)), text)
    if re.search(r"(?i)\bSELECT\b[^{]*\{[^{}]*\bSELECT\b", code) or "MINUS" in code.upper():
        return None
    union = "{ " + " } UNION { ".join(targets) + " }" if len(targets) > 1 else targets[0]
    stack: list[int] = []
    groups: list[tuple[int, int]] = []
    for i, ch in enumerate(code):
        if ch == "{":
            stack.append(i)
        elif ch == "}":
            if not stack:
                return None
            groups.append((stack.pop(), i))
    if stack or not groups:
        return None
    inserts = []
    for start, end in groups:
        if not _THIS.search(code[start:end]):
            continue
        if _EXISTS.search(code[:start].rstrip() + " ") or _EXISTS.search(code[:start]):
            continue
        if re.search(r"(?i)\bEXISTS\s*$", code[:start]):
            continue
        inserts.append(start + 1)
    out = text
    for pos in sorted(inserts, reverse=True):
        out = out[:pos] + " " + union + " " + out[pos:]
    return out


# --------------------------------------------------------------------------- what a SPARQL
# constraint reads


class _Unsupported(Exception):
    """The analysis cannot bound what the query reads: it runs on the whole store."""


_MAX_SCOPES = 512
#: costs of following an edge when choosing the spanning tree: forward edges read a
#: description, backward ones look up everything pointing at a node (a hub has thousands);
#: a constant is a root of last resort (``?x a C`` from C would be every instance of C)
_FORWARD, _BACKWARD, _CONSTANT = 1, 100, 10_000


def sparql_reach(query: str) -> Reach | None:
    """The :class:`Reach` of a SELECT query with ``$this``; None when it cannot be bounded.

    >>> r = sparql_reach("SELECT $this WHERE { ?m <http://x/member> $this }")
    >>> [(s.source, s.target, s.backward) for (steps, _c, _s) in r.scopes for s in steps]
    [('?this', '?m', True)]
    >>> sparql_reach("SELECT $this WHERE { ?a <http://x/p> ?b }") is None
    True
    """
    from rdflib.plugins.sparql import prepareQuery

    try:
        algebra = prepareQuery(query).algebra
        found = {_scope_steps(scope) for scope in _scopes(algebra)}
    except _Unsupported:
        return None
    except Exception:  # an unparsable query is left to the whole store
        return None
    return Reach(tuple(sorted(found, key=repr)))


def _scopes(node: Any) -> list[list[tuple[Any, Any, Any]]]:
    """Every set of triple patterns that one solution of ``node`` satisfies together."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if node is None:
        return [[]]
    if not isinstance(node, CompValue):
        raise _Unsupported(repr(node))
    name = node.name
    if name in ("SelectQuery", "Project", "Distinct", "Reduced", "Slice", "ToMultiSet"):
        if name == "ToMultiSet" and not isinstance(node.p, CompValue):
            raise _Unsupported("VALUES")
        return _scopes(node.p)
    if name in ("OrderBy", "Group", "AggregateJoin"):
        return _with_exists(_scopes(node.p), [node.get("expr"), node.get("A")])
    if name == "BGP":
        return [list(node.triples)]
    if name in ("Filter", "Extend"):
        return _with_exists(_scopes(node.p), [node.expr])
    if name == "Join":
        return _product(_scopes(node.p1), _scopes(node.p2))
    if name == "LeftJoin":
        left = _scopes(node.p1)
        return _cap(left + _with_exists(_product(left, _scopes(node.p2)), [node.expr]))
    if name == "Union":
        return _cap(_scopes(node.p1) + _scopes(node.p2))
    raise _Unsupported(name)  # Minus, Graph, Values, Service, sub-queries


def _cap(scopes: list[Any]) -> list[Any]:
    if len(scopes) > _MAX_SCOPES:
        raise _Unsupported("too many union branches")
    return scopes


def _product(a: list[list[Any]], b: list[list[Any]]) -> list[list[Any]]:
    return _cap([x + y for x in a for y in b])


def _with_exists(base: list[list[Any]], exprs: list[Any]) -> list[list[Any]]:
    """``base`` plus, for each EXISTS group in ``exprs``, base joined with its patterns
    (an EXISTS group is evaluated with the outer solution's bindings)."""
    from rdflib.plugins.sparql.algebra import translateGroupGraphPattern
    from rdflib.plugins.sparql.parserutils import CompValue

    groups: list[Any] = []

    def find(expr: Any) -> None:
        if isinstance(expr, CompValue):
            if expr.name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
                graph = expr.graph
                if graph.name == "GroupGraphPatternSub" and not getattr(graph, "translated", 0):
                    graph = translateGroupGraphPattern(graph)
                groups.append(graph)
                return
            for value in expr.values():
                find(value)
        elif isinstance(expr, list | tuple):
            for value in expr:
                find(value)

    for expr in exprs:
        find(expr)
    out = list(base)
    for graph in groups:
        out += _product(base, _scopes(graph))
    return _cap(out)


def _pattern_node(term: Any) -> str:
    if isinstance(term, Variable | BNode):
        return "?" + str(term)
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    raise _Unsupported(repr(term))


def _edges(s: str, p: Any, o: str, fresh: Iterable[int]) -> list[tuple[str, str, str, bool, bool]]:
    """(subject node, object node, predicate, transitive, zero) for one triple pattern."""
    from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, SequencePath

    if isinstance(p, URIRef):
        return [(s, o, str(p), False, False)]
    if isinstance(p, Variable):
        return [(s, o, ANY, False, False)]
    if isinstance(p, InvPath):
        return _edges(o, p.arg, s, fresh)
    if isinstance(p, SequencePath):
        it = iter(fresh)
        nodes = [s, *(f"?_:seq{next(it)}" for _ in p.args[:-1]), o]
        return [e for a, b, x in zip(nodes[:-1], nodes[1:], p.args, strict=True)
                for e in _edges(a, x, b, fresh)]
    if isinstance(p, AlternativePath):
        return [e for x in p.args for e in _edges(s, x, o, fresh)]
    if isinstance(p, MulPath):
        transitive, zero = p.mod in ("*", "+"), p.mod in ("*", "?")
        inner = p.path
        if isinstance(inner, URIRef):
            return [(s, o, str(inner), transitive, zero)]
        if isinstance(inner, InvPath) and isinstance(inner.arg, URIRef):
            return [(o, s, str(inner.arg), transitive, zero)]
        if not transitive:
            return [*_edges(s, inner, o, fresh), (s, o, "=", False, True)]
        raise _Unsupported(f"path {p}")
    if isinstance(p, NegatedPath):
        return [(o, s, ANY, False, False) if isinstance(x, InvPath) else (s, o, ANY, False, False)
                for x in p.args]
    raise _Unsupported(f"predicate {p!r}")


def _scope_steps(
    triples: list[tuple[Any, Any, Any]],
) -> tuple[tuple[Step, ...], tuple[str, ...], tuple[str, ...]]:
    """The walk for one scope: a spanning tree from ``$this``, forward edges preferred."""
    import heapq

    fresh = itertools.count()
    edges = [e for s, p, o in triples
             for e in _edges(_pattern_node(s), p, _pattern_node(o), fresh)]
    nodes = {n for e in edges for n in e[:2]}
    this = "?this"
    constants = sorted(n for n in nodes if not n.startswith("?"))
    cost = {this: 0}
    heap = [(0, this)] + [(_CONSTANT, c) for c in constants]
    for c in constants:
        cost[c] = _CONSTANT
    tree: dict[str, Step] = {}
    adjacent: dict[str, list[tuple[int, Step]]] = {}
    for a, b, pred, transitive, zero in edges:
        forward = Step(a, b, pred, False, transitive, zero)
        adjacent.setdefault(a, []).append((_FORWARD, forward))
        if pred == "=":
            adjacent.setdefault(b, []).append((_FORWARD, Step(b, a, pred, False, False, True)))
        else:
            adjacent.setdefault(b, []).append((_BACKWARD, Step(b, a, pred, True, transitive, zero)))
    heapq.heapify(heap)
    done: set[str] = set()
    while heap:
        c, node = heapq.heappop(heap)
        if node in done:
            continue
        done.add(node)
        for weight, step in adjacent.get(node, ()):
            if step.target.startswith("?") and c + weight < cost.get(step.target, 1 << 60):
                cost[step.target] = c + weight
                tree[step.target] = step
                heapq.heappush(heap, (c + weight, step.target))
    if any(n not in done for n in nodes):
        raise _Unsupported("a pattern is not tied to $this or to a constant")
    steps = set(tree.values())
    for a, b, pred, transitive, zero in edges:
        # a transitive edge is walked even off the tree: the nodes in between are read too
        if transitive and not any(t.source in (a, b) and t.target in (a, b) and t.transitive
                                  for t in tree.values()):
            backward = cost[b] < cost[a]
            steps.add(Step(b if backward else a, a if backward else b, pred, backward,
                           True, zero, binds=False))
    ordered = sorted(steps, key=lambda st: (cost[st.source], repr(st)))
    subjects = sorted({a for a, _b, pred, _t, _z in edges if pred != "="})
    return tuple(ordered), tuple(constants), tuple(subjects)


def _path_length(shapes: Graph, path: Node, inverse: set[str]) -> int | None:
    if isinstance(path, URIRef):
        return 1
    if (path, RDF.first, None) in shapes:
        lengths = [_path_length(shapes, p, inverse) for p in Collection(shapes, path)]
        return None if None in lengths else sum(lengths)  # type: ignore[arg-type]
    alt = shapes.value(path, SH.alternativePath)
    if alt is not None:
        lengths = [_path_length(shapes, p, inverse) for p in Collection(shapes, alt)]
        return None if None in lengths else max(lengths)  # type: ignore[type-var]
    inv = shapes.value(path, SH.inversePath)
    if isinstance(inv, URIRef):
        inverse.add(str(inv))
        return 1
    return None  # zeroOrMore, oneOrMore, zeroOrOne, complex inverse: unbounded


_NESTING = (SH.node, SH.qualifiedValueShape, SH["not"])
_LISTS = (SH["or"], SH["and"], SH.xone)


def _core_reach(shapes: Graph) -> tuple[int, set[str]]:
    """Hops from a focus node the core shapes may look (plus one for value types)."""
    inverse: set[str] = set()
    memo: dict[Node, int] = {}

    def shape_depth(shape: Node, seen: frozenset[Node]) -> int:
        if shape in memo:
            return memo[shape]
        if shape in seen:
            return _MAX_DEPTH
        seen = seen | {shape}
        best = 1  # sh:class and friends look at the value's own triples
        for prop in shapes.objects(shape, SH.property):
            path = shapes.value(prop, SH.path)
            length = _path_length(shapes, path, inverse) if path is not None else 0
            if length is None:
                return _MAX_DEPTH
            best = max(best, length + shape_depth(prop, seen))
        for pred in _NESTING:
            for nested in shapes.objects(shape, pred):
                best = max(best, shape_depth(nested, seen))
        for pred in _LISTS:
            for lst in shapes.objects(shape, pred):
                for nested in Collection(shapes, lst):
                    best = max(best, shape_depth(nested, seen))
        memo[shape] = min(best, _MAX_DEPTH)
        return memo[shape]

    roots = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(SH.path, None))
    depth = max((shape_depth(s, frozenset()) for s in roots), default=1)
    return min(depth + 1, _MAX_DEPTH), inverse


#: what a core shape reads from a focus node: edges (predicate, backward, transitive, zero)
#: to follow, each to the rest of the walk; every node reached is read whole (its types)
Trie = tuple[tuple[tuple[str, bool, bool, bool], Any], ...]
_VALUE_LEVEL = (SH.node, SH.qualifiedValueShape, SH["not"])
_COMPARED = (SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals)


def _core_tries(core: Graph) -> tuple[tuple[Targets, Trie], ...] | None:
    """For each targeted shape: its focus nodes, and the paths validating one follows
    (property paths, nested ``sh:node`` / ``sh:or`` / ``sh:qualifiedValueShape`` shapes on
    the values, ``sh:equals``-like comparisons). None when a shape cannot be bounded this
    way (recursive shapes, complex paths under ``*``, custom targets, SPARQL left in the
    core shapes): then every node within ``depth`` hops is read, as before."""
    try:
        if (None, SH.sparql, None) in core or (None, SH.target, None) in core:
            raise _Unsupported("SPARQL-based constraints or targets in the core shapes")
        targeted = set()
        for pred in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
            targeted |= set(core.subjects(pred, None))
        rdfs_class = URIRef("http://www.w3.org/2000/01/rdf-schema#Class")
        for shape in core.subjects(RDF.type, rdfs_class):
            if (shape, RDF.type, SH.NodeShape) in core or (shape, SH.property, None) in core:
                targeted.add(shape)
        out = []
        for shape in sorted(targeted, key=str):
            found = _targets(core, shape)
            if found is None:
                raise _Unsupported(f"targets of {shape}")
            trie: dict[Any, Any] = {}
            _shape_into(core, shape, trie, frozenset())
            out.append((found[1], _freeze(trie)))
        return tuple(out)
    except _Unsupported:
        return None


def _shape_into(core: Graph, shape: Node, trie: dict[Any, Any], stack: frozenset[Node]) -> None:
    if shape in stack:
        raise _Unsupported("recursive shapes")
    stack = stack | {shape}
    path = core.value(shape, SH.path)
    if path is None:
        values = [trie]
        for prop in core.objects(shape, SH.property):
            _shape_into(core, prop, trie, stack)
    else:
        values = _path_into(core, path, trie)
        for pred in _COMPARED:
            for other in core.objects(shape, pred):
                if not isinstance(other, URIRef):
                    raise _Unsupported("a comparison with a complex path")
                trie.setdefault((str(other), False, False, False), {})
    for value in values:
        for pred in _VALUE_LEVEL:
            for nested in core.objects(shape, pred):
                _shape_into(core, nested, value, stack)
        for pred in _LISTS:
            for members in core.objects(shape, pred):
                for nested in Collection(core, members):
                    _shape_into(core, nested, value, stack)


def _path_into(core: Graph, path: Node, trie: dict[Any, Any]) -> list[dict[Any, Any]]:
    """Add a SHACL property path to ``trie``; the tries at its ends."""
    if isinstance(path, URIRef):
        return [trie.setdefault((str(path), False, False, False), {})]
    if (path, RDF.first, None) in core:
        ends = [trie]
        for item in Collection(core, path):
            ends = [end for t in ends for end in _path_into(core, item, t)]
        return ends
    alternatives = core.value(path, SH.alternativePath)
    if alternatives is not None:
        return [end for item in Collection(core, alternatives)
                for end in _path_into(core, item, trie)]
    inverse = core.value(path, SH.inversePath)
    if inverse is not None:
        if not isinstance(inverse, URIRef):
            raise _Unsupported("a complex inverse path")
        return [trie.setdefault((str(inverse), True, False, False), {})]
    for pred, transitive, zero in ((SH.zeroOrMorePath, True, True),
                                   (SH.oneOrMorePath, True, False),
                                   (SH.zeroOrOnePath, False, True)):
        inner = core.value(path, pred)
        if inner is None:
            continue
        backward = False
        if not isinstance(inner, URIRef):
            inner = core.value(inner, SH.inversePath)
            backward = True
        if not isinstance(inner, URIRef):
            raise _Unsupported("a complex path under *, + or ?")
        return [trie.setdefault((str(inner), backward, transitive, zero), {})]
    raise _Unsupported(f"path {path}")


def _freeze(trie: dict[Any, Any]) -> Trie:
    return tuple(sorted((edge, _freeze(child)) for edge, child in trie.items()))


def _trie_edges(trie: Trie) -> Iterable[tuple[str, bool, bool, bool]]:
    for edge, child in trie:
        yield edge
        yield from _trie_edges(child)


# --------------------------------------------------------------------------- SPARQL checks


def run_check(
    store: ox.Store,
    check: SparqlCheck,
    keep: Callable[[str], bool] | None = None,
    focus: Iterable[str] | None = None,
) -> list[Finding]:
    """The findings of one SPARQL constraint over every focus node in ``store``, or over
    ``focus`` (which must be focus nodes of its shape: they replace the target patterns,
    in every group that has them, as pySHACL's pre-binding of ``$this`` would)."""
    query = check.query
    if focus is not None:
        values = "VALUES ?this { " + " ".join(f"<{f}>" for f in sorted(focus)) + " }"
        query = check.focus_query.replace(_FOCUS, values)
    try:
        result = store.query(query, use_default_graph_as_union=True)
    except (SyntaxError, OSError, RuntimeError) as exc:
        raise DataError(f"SPARQL constraint {check.constraint} failed: {exc}") from exc
    variables = [v.value for v in result.variables]  # type: ignore[union-attr]
    findings = []
    for solution in result:  # type: ignore[union-attr]
        row = {v: solution[v] for v in variables if solution[v] is not None}
        focus = row.get("this")
        if focus is None or (keep is not None and not keep(focus.value)):
            continue
        path = row.get("path")
        value = row.get("value")
        if value is None and not check.is_property_shape:
            value = focus
        path_text = path.value if path is not None else check.shape_path
        texts = sorted(_format(m, row) for m in check.messages) or [
            f"SPARQL constraint {check.constraint} is violated"
        ]
        findings.append(
            Finding(
                severity=check.severity,
                focus=focus.value,
                path=path_text,
                value=None if value is None else value.value,
                message=texts[0],
                shape=check.shape,
                component="SPARQLConstraintComponent",
            )
        )
    return findings


def _format(message: str, row: dict[str, Any]) -> str:
    for var, val in row.items():
        message = re.sub("{[?$]" + re.escape(var) + "}", lambda _m, v=val: v.value, message)
    return message


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


def _pack(digests: dict[str, int]) -> bytes:
    text = "\n".join(f"{v:x} {k}" for k, v in sorted(digests.items()))
    return zlib.compress(text.encode(), 1)


def _unpack(blob: bytes | None) -> dict[str, int]:
    if not blob:
        return {}
    out = {}
    for line in zlib.decompress(blob).decode().split("\n"):
        if line:
            value, _sp, key = line.partition(" ")
            out[key] = int(value, 16)
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
            from .store import ontology_graph_name

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
                and o.datatype.value not in _PLAIN
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
            if type(o) is ox.Literal and o.datatype.value not in _PLAIN:
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

        from .rdfio import to_rdflib_graph
        from .validate import report_from_graph

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


# --------------------------------------------------------------------------- the cache


class _Cache:
    """Per-unit results in SQLite, with the nodes each unit read (to know what a change hits).

    ``reads`` is the index from a node to the units that read it; each unit also keeps its
    own list (a blob), to drop its rows when it is validated again. ``sparql`` holds the
    SPARQL constraints' findings by (constraint, focus node), with the owning unit.
    """

    def __init__(self, path: Path, env: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        row = self.db.execute("SELECT value FROM meta WHERE key='env'").fetchone()
        if row is None or row[0] != env:
            self.db.executescript(
                "DROP TABLE IF EXISTS units; DROP TABLE IF EXISTS reads; "
                "DROP TABLE IF EXISTS sparql; DELETE FROM meta;"
                "CREATE TABLE units (id INTEGER PRIMARY KEY, name TEXT UNIQUE, hash TEXT, "
                "findings TEXT, digests BLOB, reads BLOB, owned BLOB);"
                "CREATE TABLE reads (node INTEGER, unit INTEGER, PRIMARY KEY (node, unit)) "
                "WITHOUT ROWID;"
                "CREATE TABLE sparql (constraint_iri TEXT, focus TEXT, unit TEXT, "
                "findings TEXT, PRIMARY KEY (constraint_iri, focus)) WITHOUT ROWID;"
                "CREATE INDEX sparql_unit ON sparql(unit);"
            )
            self.db.execute("INSERT INTO meta VALUES ('env', ?)", (env,))
            self.db.commit()

    def hashes(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT name, hash FROM units"))

    def digests(self, name: str) -> dict[str, int] | None:
        row = self.db.execute("SELECT digests FROM units WHERE name=?", (name,)).fetchone()
        return None if row is None else _unpack(row[0])

    def hint(self, name: str) -> tuple[frozenset[str], frozenset[str]] | None:
        """The nodes ``name`` owned and mentioned when it was last validated."""
        row = self.db.execute("SELECT owned, digests FROM units WHERE name=?",
                              (name,)).fetchone()
        if row is None or row[0] is None:
            return None
        owned = zlib.decompress(row[0]).decode().split("\n") if row[0] else []
        mentioned = {k[2:] for k in _unpack(row[1]) if k.startswith(("s ", "m "))}
        return frozenset(filter(None, owned)), frozenset(mentioned)

    def readers_of(self, keys: Iterable[int]) -> set[str]:
        ids: set[int] = set()
        keys = list(keys)
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            marks = ",".join("?" * len(chunk))
            ids.update(r[0] for r in self.db.execute(
                f"SELECT DISTINCT unit FROM reads WHERE node IN ({marks})", chunk))
        names: set[str] = set()
        found = sorted(ids)
        for i in range(0, len(found), 500):
            chunk = found[i : i + 500]
            marks = ",".join("?" * len(chunk))
            names.update(r[0] for r in self.db.execute(
                f"SELECT name FROM units WHERE id IN ({marks})", chunk))
        return names

    def findings(self) -> list[Finding]:
        out = []
        for (text,) in self.db.execute("SELECT findings FROM units"):
            out.extend(Finding(*f) for f in json.loads(text))
        for (text,) in self.db.execute("SELECT findings FROM sparql"):
            out.extend(Finding(*f) for f in json.loads(text))
        return out

    def _forget_reads(self, name: str) -> int | None:
        row = self.db.execute("SELECT id, reads FROM units WHERE name=?", (name,)).fetchone()
        if row is None:
            return None
        unit, blob = row
        self.db.executemany("DELETE FROM reads WHERE node=? AND unit=?",
                            ((n, unit) for n in _unpack_keys(blob)))
        return int(unit)

    def store(self, results: list[UnitResult], hashes: dict[str, str]) -> None:
        for r in results:
            values = (hashes[r.name], _findings_json(r.findings), _pack(r.digests),
                      _pack_keys(r.reads), zlib.compress("\n".join(r.owned).encode(), 1))
            unit = self._forget_reads(r.name)
            if unit is None:
                unit = self.db.execute(
                    "INSERT INTO units (name, hash, findings, digests, reads, owned) "
                    "VALUES (?, ?, ?, ?, ?, ?)", (r.name, *values)).lastrowid
            else:
                self.db.execute("UPDATE units SET hash=?, findings=?, digests=?, reads=?, "
                                "owned=? WHERE id=?", (*values, unit))
            self.db.executemany("INSERT OR IGNORE INTO reads VALUES (?, ?)",
                                ((n, unit) for n in r.reads))
            self.db.execute("DELETE FROM sparql WHERE unit=?", (r.name,))
            self.set_sparql({k: (r.name, v) for k, v in r.sparql.items()}, commit=False)
        self.db.commit()

    def set_sparql(self, rows: dict[tuple[str, str], tuple[str, list[Finding]]],
                   *, commit: bool = True) -> None:
        """Replace the findings of (constraint, focus) pairs (no findings: no row)."""
        self.db.executemany("DELETE FROM sparql WHERE constraint_iri=? AND focus=?", rows)
        self.db.executemany(
            "INSERT INTO sparql VALUES (?, ?, ?, ?)",
            ((c, f, unit, _findings_json(found))
             for (c, f), (unit, found) in rows.items() if found),
        )
        if commit:
            self.db.commit()

    def invalidate(self, names: Iterable[str]) -> None:
        """Forget the content hashes of ``names``: they count as changed until stored."""
        self.db.executemany("UPDATE units SET hash='' WHERE name=?", ((n,) for n in names))
        self.db.commit()

    def drop(self, names: Iterable[str]) -> None:
        for name in names:
            if self._forget_reads(name) is not None:
                self.db.execute("DELETE FROM units WHERE name=?", (name,))
                self.db.execute("DELETE FROM sparql WHERE unit=?", (name,))
        self.db.commit()


def _pack_keys(keys: list[int]) -> bytes:
    return struct.pack(f">{len(keys)}q", *keys)


def _unpack_keys(blob: bytes | None) -> list[int]:
    return list(struct.unpack(f">{len(blob) // 8}q", blob)) if blob else []


def _findings_json(findings: list[Finding]) -> str:
    return json.dumps([_finding_row(f) for f in findings], ensure_ascii=False)


def _finding_row(f: Finding) -> list[Any]:
    return [f.severity, f.focus, f.path, f.value, f.message, f.shape, f.component]


# --------------------------------------------------------------------------- the driver


def _plan(shapes: Graph, cache_path: Path | None, key: str | None) -> ShapePlan:
    """The shape plan, kept beside the cache (analysing the SPARQL takes a second or two)."""
    if cache_path is None or key is None:
        return ShapePlan.from_shapes(shapes)
    saved = cache_path.with_name(f"plan-{key}-v{_CACHE_VERSION}.pickle")
    try:
        with open(saved, "rb") as fh:
            core_text, checks, depth, inverse, fingerprint, core_reach = pickle.load(fh)
        core = Graph()
        core.parse(data=core_text, format="nt")
        return ShapePlan(core, checks, depth, inverse, fingerprint, core_text, core_reach)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError):
        pass
    plan = ShapePlan.from_shapes(shapes)
    plan.fingerprint = key
    saved.parent.mkdir(parents=True, exist_ok=True)
    for old in saved.parent.glob("plan-*.pickle"):
        old.unlink()
    with open(saved, "wb") as fh:
        pickle.dump((plan.core_text, plan.checks, plan.depth, plan.inverse_predicates,
                     plan.fingerprint, plan.core_reach), fh)
    return plan


def _env_hash(plan: ShapePlan, ontology: list[ox.Quad]) -> str:
    h = hashlib.sha256(plan.fingerprint.encode())
    h.update(f"cache={_CACHE_VERSION}".encode())
    for line in sorted(str(q) for q in ontology):
        h.update(line.encode())
    for dist in ("pressgraph", "pyshacl", "pyoxigraph", "rdflib"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            h.update(f"{dist}={metadata.version(dist)}".encode())
    h.update(f"depth={plan.depth}".encode())
    return h.hexdigest()


def _unit_triples(root: Path, files: list[str]) -> list[ox.Triple]:
    from .store import ontology_graph_name

    out = []
    for rel in files:
        path = root / rel
        graph = ontology_graph_name(path) if rel.startswith("ontology/") else None
        out.extend(ox.Triple(q.subject, q.predicate, q.object) for q in parse_file(path, graph))
    return out


def touched_nodes(before: dict[str, int] | None, after: dict[str, int] | None) -> set[str]:
    """Digest keys (``s <node>`` / ``o <node>``) that differ between two versions of a unit."""
    before, after = before or {}, after or {}
    return {k for k in before.keys() | after.keys()
            if before.get(k) != after.get(k) and not k.startswith("m ")}


#: above this many changed nodes, working out which focus nodes they affect costs more than
#: validating everything again
_MAX_TOUCHED = 20_000


def sparql_candidates(
    store: ox.Store, reach: Reach, touched_s: set[str], touched_o: set[str]
) -> set[str] | None:
    """Focus nodes whose results for a constraint with this :class:`Reach` a change may
    alter: the change touched the descriptions of ``touched_s`` (subjects of added or
    removed triples) and the triples pointing at ``touched_o`` along a predicate followed
    backwards. Found by walking the constraint's pattern tree back from every pattern node
    such a node may stand for, to ``$this``. None: any focus node may be affected (a
    constant of the query was touched)."""
    out: set[str] = set()
    for steps, constants, subjects in reach.scopes:
        if any(c[1:-1] in touched_s for c in constants if c in subjects) or any(
            st.source[1:-1] in touched_o for st in steps
            if st.backward and st.source in constants
        ):
            return None
        seeds: dict[str, set[Any]] = {}
        for var in subjects:
            _seed(seeds, var, touched_s)
        for st in steps:
            if st.binds and st.transitive:
                _seed(seeds, st.target, touched_o if st.backward else touched_s)
            if st.backward:
                _seed(seeds, st.source, touched_o)
            if not st.binds:  # walked for the nodes in between: any of them may have changed
                back = Step("", "", st.predicate, not st.backward, True, True)
                for ref in touched_o if st.backward else touched_s:
                    seeds.setdefault(st.source, set()).update(
                        _walk_store(store, _ref_term(ref), back))
        for st in reversed(steps):  # leaves first: each variable's seeds go to its parent
            if not st.binds or st.target not in seeds:
                continue
            back = Step("", "", st.predicate, not st.backward, st.transitive, st.zero)
            found = seeds.setdefault(st.source, set())
            for node in seeds[st.target]:
                found.update(_walk_store(store, node, back))
        out.update(n.value for n in seeds.get("?this", ()) if isinstance(n, ox.NamedNode))
    return out


def _seed(seeds: dict[str, set[Any]], var: str, refs: Iterable[str]) -> None:
    if var.startswith("?"):
        seeds.setdefault(var, set()).update(_ref_term(r) for r in refs)


def _ref_term(ref: str) -> Any:
    return ox.NamedNode(ref) if not ref.startswith(('"', "_:")) else _term(ref)


def _walk_store(store: ox.Store, node: Any, step: Step) -> set[Any]:
    reached: set[Any] = {node} if step.zero or step.predicate == "=" else set()
    frontier = [node]
    while frontier:
        nxt = []
        for current in frontier:
            for found in _one_step(store, current, step):
                if found not in reached:
                    reached.add(found)
                    nxt.append(found)
        frontier = nxt if step.transitive else []
    return reached


def _owner(store: ox.Store, graph_units: dict[str, str], focus: str) -> str | None:
    units = {graph_units.get(q.graph_name.value, "")
             for q in store.quads_for_pattern(ox.NamedNode(focus), None, None)
             if isinstance(q.graph_name, ox.NamedNode)}
    units.discard("")
    return min(units) if units else None


def _is_target(store: ox.Store, node: ox.NamedNode, targets: Targets,
               superclasses: dict[str, set[str]]) -> bool:
    if node.value in targets.nodes:
        return True
    for pred in targets.subjects_of:
        if next(store.quads_for_pattern(node, ox.NamedNode(pred), None), None):
            return True
    for pred in targets.objects_of:
        if next(store.quads_for_pattern(None, ox.NamedNode(pred), node), None):
            return True
    wanted = set(targets.classes)
    for q in store.quads_for_pattern(node, ox.NamedNode(RDF_TYPE), None):
        if isinstance(q.object, ox.NamedNode):
            up = superclasses.get(q.object.value)
            if up is None:
                up = superclasses[q.object.value] = _superclasses(store, q.object.value)
            if up & wanted:
                return True
    return False


def _recheck(worker: _Worker, cache: _Cache, graph_units: dict[str, str], todo: set[str],
             touched_s: set[str], touched_o: set[str]) -> None:
    """Run the SPARQL constraints again for the focus nodes the change may affect that no
    re-validated unit owns (those were checked with their unit)."""
    store = worker.store
    superclasses: dict[str, set[str]] = {}
    by_owner: dict[str, dict[str, list[str]]] = {}
    for check in worker.plan.checks:
        if check.reach is None:
            continue
        found = sparql_candidates(store, check.reach, touched_s, touched_o)
        if found is None:  # a constant of the query changed: every focus node
            found = {f.value for f in _all_targets(store, check.targets, superclasses)}
        for focus in sorted(found):
            owner = _owner(store, graph_units, focus)
            if owner is not None and owner not in todo:
                by_owner.setdefault(owner, {}).setdefault(check.constraint, []).append(focus)
    for owner, foci in sorted(by_owner.items()):
        targets = {c: worker.targets_of(next(x for x in worker.plan.checks if x.constraint == c),
                                        nodes) for c, nodes in foci.items()}
        rows = {(c, f): (owner, []) for c, nodes in foci.items() for f in nodes}
        for key, found_here in worker.sparql(targets).items():
            rows[key] = (owner, found_here)
        cache.set_sparql(rows)


def _all_targets(store: ox.Store, targets: Targets,
                 superclasses: dict[str, set[str]]) -> set[ox.NamedNode]:
    found: set[ox.NamedNode] = {ox.NamedNode(n) for n in targets.nodes}
    for pred in targets.subjects_of:
        found |= {q.subject for q in store.quads_for_pattern(None, ox.NamedNode(pred), None)
                  if isinstance(q.subject, ox.NamedNode)}
    for pred in targets.objects_of:
        found |= {q.object for q in store.quads_for_pattern(None, ox.NamedNode(pred), None)
                  if isinstance(q.object, ox.NamedNode)}
    for cls in targets.classes:
        subclasses = {cls}
        todo = [cls]
        while todo:
            current = todo.pop()
            for q in store.quads_for_pattern(None, ox.NamedNode(SUBCLASS_OF),
                                             ox.NamedNode(current)):
                if isinstance(q.subject, ox.NamedNode) and q.subject.value not in subclasses:
                    subclasses.add(q.subject.value)
                    todo.append(q.subject.value)
        for c in subclasses:
            found |= {q.subject for q in store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE),
                                                                  ox.NamedNode(c))
                      if isinstance(q.subject, ox.NamedNode)}
    return found


def validate_units(
    store_path: Path,
    store: ox.Store,
    root: Path,
    unit_files: dict[str, list[str]],
    units: dict[str, list[str]],
    hashes: dict[str, str],
    shapes: Graph,
    ontology: list[ox.Quad],
    *,
    cache_path: Path | None = None,
    shapes_key: str | None = None,
    jobs: int | None = None,
    progress: Progress | None = None,
    lossy_graphs: Iterable[str] = (),
) -> tuple[ValidationReport, list[str]]:
    """Validate ``units`` (name -> graph IRIs; ``unit_files``: name -> files under ``root``).

    ``lossy_graphs``: graphs of files whose literals the store does not keep as written
    (their typed literals are read from the parsed files). Returns the report and the
    names of the units that were (re)validated.
    """
    plan = _plan(shapes, cache_path, shapes_key)
    units = dict(units)
    units[ONTOLOGY_UNIT] = sorted({q.graph_name.value for q in ontology
                                   if isinstance(q.graph_name, ox.NamedNode)})
    hashes = dict(hashes)
    hashes[ONTOLOGY_UNIT] = "ontology"
    unit_files = {**unit_files, ONTOLOGY_UNIT: unit_files.get(ONTOLOGY_UNIT, [])}
    env = _env_hash(plan, ontology)
    cache = _Cache(cache_path, env) if cache_path is not None else None
    cached = cache.hashes() if cache else {}
    changed = {u for u in units if cached.get(u) != hashes[u]}
    gone = set(cached) - set(units)
    stale = set(changed)
    touched_s: set[str] = set()
    touched_o: set[str] = set()
    if cache is not None and cached and (changed or gone):
        backward = plan.backward_predicates
        for name in changed | gone:
            after = (unit_digests(_unit_triples(root, unit_files.get(name, [])), backward)
                     if name in units else {})
            for key in touched_nodes(cache.digests(name), after):
                (touched_s if key.startswith("s ") else touched_o).add(key[2:])
        if len(touched_s) + len(touched_o) > _MAX_TOUCHED:
            stale = set(units)
        else:
            keys = {node_key(n) for n in touched_s | touched_o}
            stale |= cache.readers_of(keys) & set(units)
        cache.drop(gone)
    todo = sorted(stale)
    hints: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
    if cache is not None and len(todo) < len(units):
        for name in todo:
            found = cache.hint(name)
            if found is not None:
                hints[name] = found
    touched = frozenset(touched_s | touched_o)
    graph_units = {g: u for u, gs in units.items() for g in gs}
    results: list[UnitResult] = []
    local: _Worker | None = None
    ontology_nt = ox.serialize(
        [ox.Triple(q.subject, q.predicate, q.object) for q in ontology],
        format=ox.RdfFormat.N_TRIPLES,
    ) or b""
    init = (str(store_path), plan.core_text, plan.fingerprint, plan.checks, plan.depth,
            plan.inverse_predicates, plan.core_reach, ontology_nt, graph_units, str(root),
            unit_files, frozenset(lossy_graphs), hints, touched)
    if todo:
        batches = [todo[i : i + _BATCH] for i in range(0, len(todo), _BATCH)]
        workers = max(1, min(jobs or os.cpu_count() or 1, len(batches)))
        done = 0
        if cache is not None:
            # if this run stops half-way, the next one validates these units again
            cache.invalidate(todo)

        def keep(out: list[UnitResult]) -> None:
            nonlocal done
            if cache is not None:
                cache.store(out, hashes)  # as they come: memory stays flat, work is kept
            else:
                results.extend(out)
            done += len(out)
            if progress:
                progress(done, len(todo))

        if workers == 1:
            local = _STATE["w"] = _Worker(str(store_path), plan, ontology_nt, graph_units,
                                          str(root), unit_files, frozenset(lossy_graphs))
            local.hints, local.touched = hints, touched
            for batch in batches:
                keep(_run_batch(batch))
        else:
            with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=init) as pool:
                for out in pool.map(_run_batch, batches):
                    keep(out)
    if cache is not None and (touched_s or touched_o) and len(stale) < len(units):
        if local is None:
            local = _STATE["w"] = _Worker(str(store_path), plan, ontology_nt, graph_units,
                                          str(root), unit_files, frozenset(lossy_graphs))
        _recheck(local, cache, graph_units, set(todo), touched_s, touched_o)
    if cache is not None:
        findings = cache.findings()
    else:
        findings = [f for r in results for f in r.findings]
        findings += [f for r in results for found in r.sparql.values() for f in found]
    for check in plan.checks:
        if check.reach is None:
            findings.extend(run_check(store, check))
    unique = sorted(set(findings), key=lambda f: (f.severity, f.focus, f.path or "", f.message))
    return _Report(unique), todo


class _Report(ValidationReport):
    """A report whose SHACL report graph is made only when asked for (``--format turtle``):
    making it for thousands of findings costs more than the re-validation itself."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(findings, None)

    @property  # type: ignore[override]
    def graph(self) -> Graph | None:
        if self._graph is None:
            self._graph = report_graph(self.findings)
        return self._graph

    @graph.setter
    def graph(self, value: Graph | None) -> None:
        self._graph = value


def validate_project(
    project: Project, *, jobs: int | None = None, progress: Progress | None = None
) -> ValidationReport:
    """Validate a project whose store is the persistent one (see :mod:`pressgraph.store`).

    Falls back to pySHACL on the whole dataset when the data has blank nodes (their labels
    differ between the store and the files, so they cannot be looked up).
    """
    manifest = project.manifest
    assert manifest is not None and project._opened is not None
    if any(e.blank_nodes for path, e in manifest.files.items() if path.startswith("data/")):
        from .validate import validate_quads

        return validate_quads(project.data, project.shapes, project.ontology_graph)
    units: dict[str, list[str]] = {}
    unit_files: dict[str, list[str]] = {}
    digests: dict[str, Any] = {}
    lossy: set[str] = set()
    for rel, entry in sorted(manifest.files.items()):
        unit = announcement_of(rel)
        unit_files.setdefault(unit or ONTOLOGY_UNIT, []).append(rel)
        if unit is not None:
            units.setdefault(unit, []).extend(entry.graphs)
            h = digests.get(unit)
            if h is None:
                h = digests[unit] = hashlib.sha256()
            h.update(f"{rel}\0{entry.sha256}\0".encode())  # as Manifest.content_hash
        if not entry.exact:
            lossy.update(entry.graphs)
    hashes = {unit: h.hexdigest() for unit, h in digests.items()}
    cache = project.settings.resolve(project.settings.store_path).parent / "cache" / "validation.db"
    report, _todo = validate_units(
        project._opened.path,
        project.store,
        project.root,
        unit_files,
        units,
        hashes,
        project.shapes,
        project.ontology,
        cache_path=cache,
        shapes_key=_files_key(project.root / "shapes"),
        jobs=jobs,
        progress=progress,
        lossy_graphs=lossy,
    )
    return report


def _files_key(folder: Path) -> str:
    """A hash of the shape files (names and bytes): stable, unlike blank node labels."""
    h = hashlib.sha256()
    for path in sorted(folder.glob("*.ttl")) if folder.is_dir() else []:
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:32]


def report_graph(findings: list[Finding]) -> Graph:
    """A SHACL validation report graph made from findings (for ``--format turtle``)."""
    g = Graph()
    report = BNode("report")
    g.add((report, RDF.type, SH.ValidationReport))
    g.add((report, SH.conforms, Literal(not any(f.severity == "Violation" for f in findings))))
    for i, f in enumerate(findings):
        r = BNode(f"r{i}")
        g.add((report, SH.result, r))
        g.add((r, RDF.type, SH.ValidationResult))
        g.add((r, SH.focusNode, URIRef(f.focus)))
        g.add((r, SH.resultSeverity, SH[f.severity]))
        g.add((r, SH.sourceShape, URIRef(f.shape)))
        g.add((r, SH.sourceConstraintComponent, SH[f.component]))
        g.add((r, SH.resultMessage, Literal(f.message)))
        if f.path and not f.path.startswith(("_:", "n")):
            g.add((r, SH.resultPath, URIRef(f.path)))
        if f.value is not None:
            g.add((r, SH.value, URIRef(f.value) if "://" in f.value else Literal(f.value)))
    return g
