"""What a SHACL-SPARQL constraint reads from its focus node: the :class:`Reach` of its
query, worked out from its triple patterns (see :mod:`pressgraph.scale`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Variable

#: a predicate "any predicate" stands for (a variable or a negated property set)
ANY = "*"


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


#: what a core shape reads from a focus node: edges (predicate, backward, transitive, zero)
#: to follow, each to the rest of the walk; every node reached is read whole (its types)
Trie = tuple[tuple[tuple[str, bool, bool, bool], Any], ...]


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


def _freeze(trie: dict[Any, Any]) -> Trie:
    return tuple(sorted((edge, _freeze(child)) for edge, child in trie.items()))


def _trie_edges(trie: Trie) -> Iterable[tuple[str, bool, bool, bool]]:
    for edge, child in trie:
        yield edge
        yield from _trie_edges(child)
