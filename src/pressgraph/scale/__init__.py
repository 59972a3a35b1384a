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
import os
import pickle
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from ..namespaces import RDF, SH
from ..rdfio import parse_file
from ..store import announcement_of
from ..validate import Finding, ValidationReport
from .cache import _CACHE_VERSION, _Cache
from .plan import ShapePlan, SparqlCheck, Targets, run_check
from .reach import Reach, Step, sparql_reach
from .worker import (
    _STATE,
    RDF_TYPE,
    SUBCLASS_OF,
    UnitResult,
    _init_worker,
    _one_step,
    _run_batch,
    _superclasses,
    _term,
    _Worker,
    node_key,
    unit_digests,
)

if TYPE_CHECKING:
    from ..project import Project

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
_BATCH = 24


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
    from ..store import ontology_graph_name

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

    def in_process() -> _Worker:
        """A worker in this process (one job, or the re-check after the units)."""
        worker = _STATE["w"] = _Worker(str(store_path), plan, ontology_nt, graph_units,
                                       str(root), unit_files, frozenset(lossy_graphs))
        worker.hints, worker.touched = hints, touched
        return worker

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
            local = in_process()
            for batch in batches:
                keep(_run_batch(batch))
        else:
            with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=init) as pool:
                for out in pool.map(_run_batch, batches):
                    keep(out)
    if cache is not None and (touched_s or touched_o) and len(stale) < len(units):
        worker = local if local is not None else in_process()
        _recheck(worker, cache, graph_units, set(todo), touched_s, touched_o)
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
        from ..validate import validate_quads

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
            h.update(f"{rel}\0{entry.sha256}\0".encode())  # the unit's files and their hashes
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
