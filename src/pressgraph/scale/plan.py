"""The shapes as a validation plan: the core shapes pySHACL runs and how far they read,
and the SHACL-SPARQL constraints run on the store (:func:`run_check`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from ..errors import DataError
from ..namespaces import RDF, SH
from ..validate import Finding
from .reach import (
    Reach,
    Trie,
    _freeze,
    _trie_edges,
    _Unsupported,
    sparql_reach,
)

_MAX_DEPTH = 6
_LEX = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*'
)
_THIS = re.compile(r"[?$]this\b")
#: stands in a constraint's query where the focus nodes go (``VALUES ?this { ... }``)
_FOCUS = "\u0000FOCUS\u0000"
_EXISTS = re.compile(r"(?i)\bEXISTS\s*$")


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
