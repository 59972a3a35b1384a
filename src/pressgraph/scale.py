"""Validation at scale: announcement by announcement, in parallel, cached, exact.

The report equals what pySHACL gives on the whole dataset at once, for a fraction of the
cost. The dataset is cut into *units*: each announcement, each reference file, and the
ontology. Every focus node is validated once, in the unit that owns it (the first unit,
by name, that has it as a subject), against a small data graph: the unit's own graphs
plus the whole description (every triple, from any graph) of each node within the
reach of the shapes (:attr:`ShapePlan.depth` hops, forward and along the inverse paths
the shapes use), plus the ontology. So a shape sees exactly what it would see in the
whole dataset, including facts other announcements state about the same nodes.

SHACL-SPARQL constraints are not run by pySHACL (rdflib's engine makes them the slow
part) but on pyoxigraph, with the shape's targets joined in:

* *local* ones, which only walk forward from ``$this``, per unit on its small graph;
* *spanning* ones, which look a node up from the other side (``?m org:member $this``)
  or follow a path of unbounded length, over the whole store, every time: such a
  constraint may find its answer in any announcement.

Per-unit results are cached under ``.pressgraph/cache/`` by the unit's content hash, the
shapes, the ontology and the versions; a unit is validated again when its files change
or when a node whose description it read is a subject of a unit that changed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import re
import sqlite3
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from pyshacl.errors import ReportableRuntimeError, ValidationFailure
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from .errors import DataError
from .namespaces import RDF, SH
from .rdfio import parse_file, to_rdflib_graph
from .store import announcement_of
from .validate import Finding, ValidationReport, report_from_graph

if TYPE_CHECKING:
    from .project import Project

__all__ = ["ShapePlan", "SparqlCheck", "UnitResult", "validate_project", "validate_units"]

Progress = Callable[[int, int], None]
ONTOLOGY_UNIT = "~ontology"
_MAX_DEPTH = 6
_BATCH = 24
_LEX = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*'
)
_THIS = re.compile(r"[?$]this\b")
_EXISTS = re.compile(r"(?i)\bEXISTS\s*$")


# --------------------------------------------------------------------------- the shapes


@dataclass(frozen=True)
class SparqlCheck:
    """One SHACL-SPARQL constraint, ready to run on pyoxigraph over all its focus nodes."""

    constraint: str
    shape: str
    severity: str
    messages: tuple[str, ...]
    query: str
    #: True when it only walks forward from $this (exact on a unit's graph)
    local: bool
    #: the result path of the owning property shape, if any
    shape_path: str | None = None
    is_property_shape: bool = False


@dataclass
class ShapePlan:
    """What the shapes need: the core shapes for pySHACL, the SPARQL checks, the reach."""

    core: Graph
    checks: list[SparqlCheck]
    depth: int
    inverse_predicates: tuple[str, ...]
    fingerprint: str
    core_text: str = ""

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
        depth, inverse = _reach(core)
        text = core.serialize(format="nt")
        digest = hashlib.sha256(
            "\n".join(sorted(shapes.serialize(format="nt").splitlines())).encode()
        ).hexdigest()
        return cls(core, checks, depth, tuple(sorted(inverse)), digest, text)


def _severity(shapes: Graph, shape: Node) -> str:
    value = shapes.value(shape, SH.severity)
    return str(value or SH.Violation).rsplit("#", 1)[-1]


def _targets(shapes: Graph, shape: Node) -> list[str] | None:
    """SPARQL patterns binding ?this to the shape's focus nodes; None when unsupported."""
    patterns = []
    for cls in shapes.objects(shape, SH.targetClass):
        patterns.append(f"?this a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{cls}> .")
    if (shape, RDF.type, URIRef("http://www.w3.org/2000/01/rdf-schema#Class")) in shapes:
        patterns.append(
            f"?this a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{shape}> ."
        )
    for node in shapes.objects(shape, SH.targetNode):
        if not isinstance(node, URIRef):
            return None
        patterns.append(f"VALUES ?this {{ <{node}> }}")
    for pred in shapes.objects(shape, SH.targetSubjectsOf):
        patterns.append(f"?this <{pred}> [] .")
    for pred in shapes.objects(shape, SH.targetObjectsOf):
        patterns.append(f"[] <{pred}> ?this .")
    if (shape, SH.target, None) in shapes:
        return None
    return patterns


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
    targets = _targets(shapes, shape)
    if not targets:
        return None
    prefixes = {}
    for holder in shapes.objects(constraint, SH.prefixes):
        for decl in shapes.objects(holder, SH.declare):
            prefixes[str(shapes.value(decl, SH.prefix))] = str(shapes.value(decl, SH.namespace))
    path = shapes.value(shape, SH.path)
    text = str(select)
    if "$PATH" in text:
        return None
    body = _inject_targets(text, targets)
    if body is None:
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
        local=_is_forward_only(head + text),
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


def _is_forward_only(query: str) -> bool:
    """Whether every triple pattern starts from ``$this`` or a node reached forward from it."""
    from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.term import Variable

    try:
        algebra = prepareQuery(query).algebra
    except Exception:
        return False
    triples: list[tuple[Any, Any, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "triples" in node and isinstance(node["triples"], list):
                triples.extend(t for t in node["triples"] if isinstance(t, tuple) and len(t) == 3)
            for v in node.values():
                walk(v)
        elif isinstance(node, list | tuple):
            for v in node:
                walk(v)

    walk(algebra)

    def simple(p: Any) -> bool:
        if isinstance(p, URIRef | Variable):
            return True
        if isinstance(p, SequencePath | AlternativePath):
            return all(simple(x) for x in p.args)
        return not isinstance(p, InvPath | MulPath)

    known = {Variable("this")}
    changed = True
    while changed:
        changed = False
        for s, _p, o in triples:
            if (s in known or isinstance(s, URIRef)) and isinstance(o, Variable) and o not in known:
                known.add(o)
                changed = True
    for s, p, _o in triples:
        if not simple(p):
            return False
        if isinstance(s, Variable) and s not in known:
            return False
        if isinstance(s, BNode):
            return False
    return True


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


def _reach(shapes: Graph) -> tuple[int, set[str]]:
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


# --------------------------------------------------------------------------- SPARQL checks


def run_check(
    store: ox.Store, check: SparqlCheck, keep: Callable[[str], bool] | None = None
) -> list[Finding]:
    """The findings of one SPARQL constraint over every focus node in ``store``."""
    try:
        result = store.query(check.query, use_default_graph_as_union=True)
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
    """What validating one unit gave: findings, the nodes it read, its own subjects."""

    name: str
    findings: list[Finding]
    reads: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)


class _Worker:
    """Per-process state: the store (an index: which graphs describe a node), the plan,
    the ontology, and parsed units.

    Triples are taken from the parsed files, not from the store: pyoxigraph's store turns
    derived integer types (``xsd:nonNegativeInteger``...) into ``xsd:integer``, which
    ``sh:datatype`` would then reject.
    """

    def __init__(self, store_path: str, plan: ShapePlan, ontology_nt: bytes,
                 graph_units: dict[str, str], root: str, unit_files: dict[str, list[str]]) -> None:
        self.store = ox.Store.read_only(store_path)
        self.plan = plan
        self.ontology = list(ox.parse(ontology_nt, format=ox.RdfFormat.N_TRIPLES))
        self.graph_units = graph_units
        self.root = Path(root)
        self.unit_files = unit_files
        self.inverse = [ox.NamedNode(p) for p in plan.inverse_predicates]
        self._parsed: dict[str, dict[ox.NamedNode, list[ox.Triple]]] = {}

    def unit_of(self, g: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> str:
        return self.graph_units.get(g.value, "") if isinstance(g, ox.NamedNode) else ""

    def described(self, unit: str) -> dict[ox.NamedNode, list[ox.Triple]]:
        """Subject -> triples of one unit, parsed from its files (a bounded cache)."""
        found = self._parsed.get(unit)
        if found is None:
            from .store import ontology_graph_name

            found = {}
            for rel in self.unit_files.get(unit, []):
                path = self.root / rel
                graph = ontology_graph_name(path) if rel.startswith("ontology/") else None
                for q in parse_file(path, graph):
                    found.setdefault(q.subject, []).append(  # type: ignore[arg-type]
                        ox.Triple(q.subject, q.predicate, q.object)
                    )
            if len(self._parsed) > 4000:
                self._parsed.clear()
            self._parsed[unit] = found
        return found

    def closure(self, name: str) -> tuple[set[ox.Triple], set[str], set[str], set[str]]:
        """The unit's data graph, the nodes read, owned focus candidates, own subjects."""
        own = self.described(name)
        triples: set[ox.Triple] = {t for ts in own.values() for t in ts}
        subjects = {s.value for s in own if isinstance(s, ox.NamedNode)}
        frontier = {
            t for tr in triples for t in (tr.subject, tr.object) if isinstance(t, ox.NamedNode)
        }
        seen: set[ox.NamedNode] = set()
        owned: set[str] = set()
        for level in range(self.plan.depth + 1):
            nxt: set[ox.NamedNode] = set()
            for node in frontier:
                if node in seen:
                    continue
                seen.add(node)
                units = {self.unit_of(g) for g in self._graphs_of(node)}
                units.discard("")
                for unit in units:
                    for t in self.described(unit).get(node, ()):
                        triples.add(t)
                        if isinstance(t.object, ox.NamedNode):
                            nxt.add(t.object)
                for pred in self.inverse:
                    for q in self.store.quads_for_pattern(None, pred, node):
                        triples.add(ox.Triple(q.subject, q.predicate, q.object))
                        if isinstance(q.subject, ox.NamedNode):
                            nxt.add(q.subject)
                if level == 0 and (
                    (node.value in subjects and min(units | {name}) == name)
                    or (not units and node.value not in subjects)
                ):
                    owned.add(node.value)
            frontier = nxt
        return triples, {n.value for n in seen}, owned, subjects

    def _graphs_of(self, node: ox.NamedNode) -> set[Any]:
        return {q.graph_name for q in self.store.quads_for_pattern(node, None, None)}

    def run(self, batch: list[str]) -> list[UnitResult]:
        data: set[ox.Triple] = set()
        per_unit = []
        for name in batch:
            triples, reads, owned, subjects = self.closure(name)
            data |= triples
            per_unit.append((name, reads, owned, subjects, triples))
        focus_owner = {f: name for name, _r, owned, _s, _t in per_unit for f in owned}
        findings: dict[str, list[Finding]] = {name: [] for name, *_ in per_unit}
        if focus_owner:
            for f in self._core(data, sorted(focus_owner)):
                owner = focus_owner.get(f.focus)
                if owner is not None:
                    findings[owner].append(f)
            local = [c for c in self.plan.checks if c.local]
            if local:
                store = ox.Store()
                store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in data)
                store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in self.ontology)
                for check in local:
                    for f in run_check(store, check, keep=focus_owner.__contains__):
                        findings[focus_owner[f.focus]].append(f)
        return [
            UnitResult(name, sorted(set(findings[name])), sorted(reads), sorted(subjects))
            for name, reads, _o, subjects, _t in per_unit
        ]

    def _core(self, data: set[ox.Triple], focus: list[str]) -> list[Finding]:
        graph = to_rdflib_graph([*data, *self.ontology])
        try:
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


_STATE: dict[str, _Worker] = {}


def _init_worker(store_path: str, plan_nt: str, shapes_fp: str, checks: list[SparqlCheck],
                 depth: int, inverse: tuple[str, ...], ontology_nt: bytes,
                 graph_units: dict[str, str], root: str,
                 unit_files: dict[str, list[str]]) -> None:
    core = Graph()
    core.parse(data=plan_nt, format="nt")
    plan = ShapePlan(core, checks, depth, inverse, shapes_fp, plan_nt)
    _STATE["w"] = _Worker(store_path, plan, ontology_nt, graph_units, root, unit_files)


def _run_batch(batch: list[str]) -> list[UnitResult]:
    return _STATE["w"].run(batch)


# --------------------------------------------------------------------------- the cache


class _Cache:
    """Per-unit results in SQLite, with the nodes each unit read (to know what a change hits)."""

    def __init__(self, path: Path, env: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path)
        self.db.executescript(
            "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);"
            "CREATE TABLE IF NOT EXISTS units (name TEXT PRIMARY KEY, hash TEXT, "
            "findings TEXT, subjects TEXT);"
            "CREATE TABLE IF NOT EXISTS reads (node INTEGER, unit TEXT);"
            "CREATE INDEX IF NOT EXISTS reads_node ON reads(node);"
            "CREATE INDEX IF NOT EXISTS reads_unit ON reads(unit);"
        )
        row = self.db.execute("SELECT value FROM meta WHERE key='env'").fetchone()
        if row is None or row[0] != env:
            self.db.executescript("DELETE FROM units; DELETE FROM reads; DELETE FROM meta;")
            self.db.execute("INSERT INTO meta VALUES ('env', ?)", (env,))
            self.db.commit()

    def hashes(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT name, hash FROM units"))

    def subjects(self, names: Iterable[str]) -> set[str]:
        out: set[str] = set()
        for name in names:
            row = self.db.execute("SELECT subjects FROM units WHERE name=?", (name,)).fetchone()
            if row:
                out.update(json.loads(row[0]))
        return out

    def readers_of(self, nodes: Iterable[str]) -> set[str]:
        found: set[str] = set()
        keys = [_node_key(n) for n in nodes]
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                r[0]
                for r in self.db.execute(f"SELECT DISTINCT unit FROM reads WHERE node IN ({marks})",
                                         chunk)
            )
        return found

    def findings(self) -> list[Finding]:
        out = []
        for (text,) in self.db.execute("SELECT findings FROM units"):
            out.extend(Finding(**f) for f in json.loads(text))
        return out

    def store(self, results: list[UnitResult], hashes: dict[str, str]) -> None:
        for r in results:
            self.db.execute("DELETE FROM reads WHERE unit=?", (r.name,))
            self.db.execute(
                "INSERT OR REPLACE INTO units VALUES (?, ?, ?, ?)",
                (r.name, hashes[r.name], json.dumps([f.__dict__ for f in r.findings]),
                 json.dumps(r.subjects)),
            )
            self.db.executemany(
                "INSERT INTO reads VALUES (?, ?)", ((_node_key(n), r.name) for n in r.reads)
            )
        self.db.commit()

    def drop(self, names: Iterable[str]) -> None:
        for name in names:
            self.db.execute("DELETE FROM units WHERE name=?", (name,))
            self.db.execute("DELETE FROM reads WHERE unit=?", (name,))
        self.db.commit()


def _node_key(iri: str) -> int:
    return int.from_bytes(hashlib.blake2b(iri.encode(), digest_size=8).digest(), "big") >> 1


# --------------------------------------------------------------------------- the driver


def _plan(shapes: Graph, cache_path: Path | None, key: str | None) -> ShapePlan:
    """The shape plan, kept beside the cache (analysing the SPARQL takes a second or two)."""
    if cache_path is None or key is None:
        return ShapePlan.from_shapes(shapes)
    saved = cache_path.with_name(f"plan-{key}.pickle")
    try:
        with open(saved, "rb") as fh:
            core_text, checks, depth, inverse, fingerprint = pickle.load(fh)
        core = Graph()
        core.parse(data=core_text, format="nt")
        return ShapePlan(core, checks, depth, inverse, fingerprint, core_text)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError):
        pass
    plan = ShapePlan.from_shapes(shapes)
    plan.fingerprint = key
    saved.parent.mkdir(parents=True, exist_ok=True)
    for old in saved.parent.glob("plan-*.pickle"):
        old.unlink()
    with open(saved, "wb") as fh:
        pickle.dump((plan.core_text, plan.checks, plan.depth, plan.inverse_predicates,
                     plan.fingerprint), fh)
    return plan


def _env_hash(plan: ShapePlan, ontology: list[ox.Quad]) -> str:
    h = hashlib.sha256(plan.fingerprint.encode())
    for line in sorted(str(q) for q in ontology):
        h.update(line.encode())
    for dist in ("pressgraph", "pyshacl", "pyoxigraph", "rdflib"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            h.update(f"{dist}={metadata.version(dist)}".encode())
    h.update(f"depth={plan.depth}".encode())
    return h.hexdigest()


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
) -> tuple[ValidationReport, list[str]]:
    """Validate ``units`` (name -> graph IRIs; ``unit_files``: name -> files under ``root``).

    Returns the report and the names of the units that were (re)validated.
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
    if cache is not None and (changed or gone):
        touched = cache.subjects(changed | gone)
        touched |= _subjects_now(store, units, changed)
        stale |= cache.readers_of(touched) & set(units)
        cache.drop(gone)
    todo = sorted(stale)
    graph_units = {g: u for u, gs in units.items() for g in gs}
    results: list[UnitResult] = []
    if todo:
        ontology_nt = ox.serialize(
            [ox.Triple(q.subject, q.predicate, q.object) for q in ontology],
            format=ox.RdfFormat.N_TRIPLES,
        ) or b""
        init = (str(store_path), plan.core_text, plan.fingerprint, plan.checks, plan.depth,
                plan.inverse_predicates, ontology_nt, graph_units, str(root), unit_files)
        batches = [todo[i : i + _BATCH] for i in range(0, len(todo), _BATCH)]
        workers = max(1, min(jobs or os.cpu_count() or 1, len(batches)))
        done = 0
        if workers == 1:
            _init_worker(*init)
            for batch in batches:
                results.extend(_run_batch(batch))
                done += len(batch)
                if progress:
                    progress(done, len(todo))
        else:
            with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=init) as pool:
                for out in pool.map(_run_batch, batches):
                    results.extend(out)
                    done += len(out)
                    if progress:
                        progress(done, len(todo))
    if cache is not None:
        cache.store(results, hashes)
        findings = cache.findings()
    else:
        findings = [f for r in results for f in r.findings]
    for check in plan.checks:
        if not check.local:
            findings.extend(run_check(store, check))
    unique = sorted(set(findings), key=lambda f: (f.severity, f.focus, f.path or "", f.message))
    return ValidationReport(unique, report_graph(unique)), todo


def _subjects_now(store: ox.Store, units: dict[str, list[str]], names: set[str]) -> set[str]:
    out: set[str] = set()
    for name in names:
        for g in units.get(name, []):
            for q in store.quads_for_pattern(None, None, None, ox.NamedNode(g)):
                if isinstance(q.subject, ox.NamedNode):
                    out.add(q.subject.value)
    return out


def validate_project(
    project: Project, *, jobs: int | None = None, progress: Progress | None = None
) -> ValidationReport:
    """Validate a project whose store is the persistent one (see :mod:`pressgraph.store`)."""
    manifest = project.manifest
    assert manifest is not None and project._opened is not None
    units = manifest.graphs_by_announcement()
    hashes = {u: manifest.content_hash(u) for u in units}
    unit_files: dict[str, list[str]] = {}
    for rel in sorted(manifest.files):
        unit_files.setdefault(announcement_of(rel) or ONTOLOGY_UNIT, []).append(rel)
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
