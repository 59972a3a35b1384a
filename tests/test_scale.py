"""Validation at scale gives exactly what pySHACL gives on the whole dataset at once.

The reference is pySHACL over the whole synthetic corpus (data + ontology in one graph),
split in two runs for speed: the core shapes on a plain rdflib graph, and the SHACL-SPARQL
constraints alone (rdflib's engine makes them slow, so on a corpus of 6). The sharded
report must give the same (focus, path, severity, sourceShape, value, message) set.
"""

from __future__ import annotations

import json
import shutil
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from pyshacl import validate
from rdflib import Graph

from pressgraph import scale
from pressgraph.project import Project
from pressgraph.rdfio import parse_file, to_rdflib_graph
from pressgraph.scale import ShapePlan, run_check, sparql_reach
from pressgraph.scale.plan import _inject_targets
from pressgraph.settings import Settings
from pressgraph.synth import generate, write_corpus
from pressgraph.validate import report_from_graph

ROOT = Path(__file__).resolve().parents[1]


def key(f):  # type: ignore[no-untyped-def]
    return (f.focus, f.path, f.severity, f.shape, f.value, f.message)


def whole(project: Project, shapes: Graph) -> set[tuple]:
    graph = to_rdflib_graph([*project.data, *project.ontology])
    _c, report, _t = validate(graph, shacl_graph=shapes, inference="none", advanced=True,
                              allow_warnings=True, allow_infos=True, inplace=True)
    return {key(f) for f in report_from_graph(report).findings}


@cache
def corpus(n: int, seed: int, defects: int, base: str) -> Path:
    out = Path(base) / f"n{n}-s{seed}-d{defects}"
    if not out.exists():
        write_corpus(generate(n, seed=seed, defects=defects), out, source=ROOT)
    return out


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("scale"))


def core_part(findings) -> set[tuple]:  # type: ignore[no-untyped-def]
    return {key(f) for f in findings if f.component != "SPARQLConstraintComponent"}


def test_core_shapes_equal_whole_dataset(base: str) -> None:
    root = corpus(14, 5, 8, base)
    p = Project.load(settings=Settings(root=root), sync=True)
    plan = ShapePlan.from_shapes(p.shapes)
    assert core_part(p.validate(jobs=2).findings) == whole(p, plan.core)


def test_everything_equals_whole_dataset_small(base: str) -> None:
    root = corpus(1, 3, 1, base)
    p = Project.load(settings=Settings(root=root), sync=True)
    mine = {key(f) for f in p.validate(jobs=1).findings}
    assert mine == whole(p, p.shapes)


def test_injected_defects_are_reported_exactly(base: str) -> None:
    root = corpus(14, 5, 8, base)
    p = Project.load(settings=Settings(root=root), sync=True)
    report = p.validate(jobs=2)
    manifest = json.loads((root / "defects.json").read_text())["defects"]
    kinds = {d["kind"] for d in manifest}
    assert "cross-announcement-inverse" in kinds
    expand = lambda c: c and ({**_prefixes()}[c.split(":")[0]] + c.split(":", 1)[1])  # noqa: E731
    violations = {(f.focus, f.path) for f in report.findings if f.severity == "Violation"}
    expected = {(expand(d["focus"]), expand(d["path"])) for d in manifest}
    assert expected <= violations
    # a defect may make neighbours fail too (the quotations of an undated post), but
    # never anything in an announcement that was not broken
    broken = {d["announcement"] for d in manifest}
    assert all(any(slug in focus for slug in broken) for focus, _ in violations)
    clean = generate(14, seed=5, defects=0)
    assert clean.defects == []


def _prefixes() -> dict[str, str]:
    from pressgraph.namespaces import PREFIXES

    return {**PREFIXES, "pgsh": "https://data.example.org/shapes#"}


def test_cache_and_incremental(base: str) -> None:
    root = Path(base) / "incr"
    shutil.copytree(corpus(8, 4, 0, base), root)
    settings = Settings(root=root)
    p = Project.load(settings=settings, sync=True)
    first = p.validate(jobs=1)
    assert first.conforms
    folder = sorted((root / "data" / "announcements").iterdir())[0]
    claims = folder / "claims.trig"
    original = claims.read_text(encoding="utf-8")
    claims.write_text(original.replace("schema:location place:",
                                       'schema:location "somewhere"@en , place:', 1),
                      encoding="utf-8")
    second = Project.load(settings=settings, sync=True).validate(jobs=1)
    assert not second.conforms
    assert {f.shape for f in second.findings if f.severity == "Violation"} == {
        "https://data.example.org/shapes#Event-location"
    }
    claims.write_text(original, encoding="utf-8")
    third = Project.load(settings=settings, sync=True).validate(jobs=1)
    assert {key(f) for f in third.findings} == {key(f) for f in first.findings}


SCHEMA = "http://schema.org/"
_SHAPES = "https://data.example.org/shapes#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _parse(folder: Path) -> list[ox.Quad]:
    return [q for f in sorted(folder.glob("*.trig")) for q in parse_file(f)]


def _of_type(quads: list[ox.Quad], cls: str) -> list[str]:
    return sorted({q.subject.value for q in quads
                   if q.predicate.value == RDF_TYPE and q.object.value == cls})


def _look_back_edits(root: Path) -> tuple[Path, str, dict[str, str]]:
    """Facts written in announcement B about nodes that announcement A (or the reference
    data) owns, each found only by looking a node up from the other side; B's claims file
    and its new text, and the focus nodes that must get a finding because of them."""
    folders = sorted((root / "data" / "announcements").iterdir())
    a, b = folders[0], folders[1]
    quads = _parse(a)
    membership = _of_type(quads, "http://www.w3.org/ns/org#Membership")[0]
    article = _of_type(quads, SCHEMA + "Article")[0]
    publisher_claims = {q.subject.value for q in quads
                        if q.predicate.value == "http://www.w3.org/ns/prov#wasAttributedTo"
                        and "orgs:" not in q.object.value and q.object.value.endswith("/osce")}
    spans = {q.subject.value: q.object.value for q in quads
             if q.predicate.value == "http://www.w3.org/ns/prov#wasDerivedFrom"}
    exact = {q.subject.value.rsplit("-tq", 1)[0]: q.object.value for q in quads
             if q.predicate.value == "http://www.w3.org/ns/oa#exact"}
    claim = sorted(publisher_claims)[1]
    words = exact[spans[claim]][:40].replace('"', '\\"')
    geometry = _of_type(_parse(root / "data" / "reference"),
                        "http://www.opengis.net/ont/geosparql#Geometry")[0]
    claims = b / "claims.trig"
    text = claims.read_text(encoding="utf-8") + f"""
graph:test-look-back {{
    person:test-p a schema:Person ; schema:name "Test P"@en ; schema:memberOf <{membership}> .
    quote:test-q a schema:Quotation ; schema:isPartOf <{article}> ;
        schema:creator person:test-z ; schema:text "{words}" .
    person:test-z a schema:Person ; schema:name "Test Z"@en .
    place:test-f a schema:Place ; schema:name "Test F"@en ;
        <http://www.opengis.net/ont/geosparql#hasGeometry> <{geometry}> ;
        schema:geo place:test-f-coordinates .
    place:test-f-coordinates a schema:GeoCoordinates ;
        schema:latitude "1.5"^^xsd:double ; schema:longitude "2.5"^^xsd:double .
}}
"""
    expected = {  # the shapes of RoleViewMatchesMembership, QuotedWordsAttributedToSpeaker,
        # GeometryMatchesCoordinates
        "OrganizationRoleShape": membership,
        "ClaimGraphShape": claim,
        "GeometryShape": geometry,
    }
    return claims, text, expected


def test_incremental_equals_from_scratch_across_announcements(
    base: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Changing one announcement re-validates what it can change (also through look-backs:
    ``?p schema:memberOf $this`` written elsewhere, or a date three hops away from a
    quotation in another announcement), and nothing else: the report equals a validation
    from scratch, and the SPARQL findings equal those of the constraints run over the whole
    dataset at once."""
    # one unit per batch, as at scale: a unit sees nothing of the others but what it reads;
    # and every node with two quads or more read as a hub (a DISTINCT query)
    monkeypatch.setattr(scale, "_BATCH", 1)
    monkeypatch.setattr(scale.worker, "_HUB", 2)
    root = Path(base) / "look-back"
    shutil.copytree(corpus(4, 8, 0, base), root)
    settings = Settings(root=root)
    before = Project.load(settings=settings, sync=True).validate(jobs=1)
    claims, text, expected = _look_back_edits(root)
    original = claims.read_text(encoding="utf-8")
    claims.write_text(text, encoding="utf-8")
    # announcement C: an undated post of the person quoted in B's new quotation
    c_claims = sorted((root / "data" / "announcements").iterdir())[2] / "claims.trig"
    c_original = c_claims.read_text(encoding="utf-8")
    c_claims.write_text(c_original + _POST, encoding="utf-8")
    seen: list[int] = []
    project = Project.load(settings=settings, sync=True)
    after = project.validate(jobs=1, progress=lambda _done, total: seen.append(total))
    assert 2 <= seen[-1] < 6, seen[-1]  # B, C, A, the reference places; not everything
    new = {(f.shape, f.focus) for f in after.findings
           if f.component == "SPARQLConstraintComponent"} - {
        (f.shape, f.focus) for f in before.findings}
    quote = (_SHAPES + "QuotationShape", "https://data.example.org/id/quote/test-q")
    assert {(_SHAPES + shape, focus) for shape, focus in expected.items()} | {quote} <= new
    assert_same_as_from_scratch(root, after, project)
    # date the post in C: B's quotation is now fine, though B itself did not change and
    # read nothing of C (the interval is three hops from the quotation, the other way)
    published = next(q.object.value for q in _parse(sorted(
        (root / "data" / "announcements").iterdir())[0])
        if q.predicate.value == SCHEMA + "datePublished")
    c_claims.write_text(c_original + _POST + _DATED.format(day=published), encoding="utf-8")
    project = Project.load(settings=settings, sync=True)
    dated = project.validate(jobs=1, progress=lambda _done, total: seen.append(total))
    assert seen[-1] == 1  # C only
    assert quote not in {(f.shape, f.focus) for f in dated.findings}
    assert_same_as_from_scratch(root, dated, project)
    claims.write_text(original, encoding="utf-8")
    c_claims.write_text(c_original, encoding="utf-8")
    back = Project.load(settings=settings, sync=True).validate(jobs=1)
    assert {key(f) for f in back.findings} == {key(f) for f in before.findings}


_POST = """
graph:test-post {
    membership:test-m a org:Membership ; org:member person:test-z ;
        org:memberDuring instant:test-period .
    instant:test-period a time:Interval .
}
"""
_DATED = """
graph:test-post-dated {{
    instant:test-period time:inside instant:test-day .
    instant:test-day a time:Instant ; time:inXSDDate "{day}"^^xsd:date .
}}
"""


def assert_same_as_from_scratch(root: Path, report, project: Project) -> None:  # type: ignore[no-untyped-def]
    cache = root / ".pressgraph" / "cache"
    saved = root / "saved-cache"
    shutil.rmtree(saved, ignore_errors=True)
    shutil.copytree(cache, saved)
    shutil.rmtree(cache)
    scratch = Project.load(settings=Settings(root=root)).validate(jobs=1)
    shutil.rmtree(cache)
    shutil.copytree(saved, cache)
    assert {key(f) for f in report.findings} == {key(f) for f in scratch.findings}
    assert sparql_part(report.findings) == whole_store_sparql(project)


def test_a_validation_stopped_half_way_is_finished_by_the_next(
    base: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scale, "_BATCH", 1)
    root = Path(base) / "stopped"
    shutil.copytree(corpus(4, 8, 0, base), root)
    settings = Settings(root=root)
    Project.load(settings=settings, sync=True).validate(jobs=1)
    claims, text, _expected = _look_back_edits(root)
    claims.write_text(text, encoding="utf-8")

    def stop(done: int, _total: int) -> None:
        if done == 2:  # A and B (the changed one) are stored, the reference places are not
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        Project.load(settings=settings, sync=True).validate(jobs=1, progress=stop)
    resumed = Project.load(settings=settings, sync=True).validate(jobs=1)
    shutil.rmtree(root / ".pressgraph" / "cache")
    scratch = Project.load(settings=settings).validate(jobs=1)
    assert {key(f) for f in resumed.findings} == {key(f) for f in scratch.findings}


def sparql_part(findings) -> set[tuple]:  # type: ignore[no-untyped-def]
    return {key(f) for f in findings if f.component == "SPARQLConstraintComponent"}


def whole_store_sparql(project: Project) -> set[tuple]:
    """Every SPARQL constraint over the whole dataset in one store, focus nodes by target
    patterns (what pySHACL's pre-binding gives: see the tests above)."""
    store = ox.Store()
    store.bulk_extend(project.quads())
    plan = ShapePlan.from_shapes(project.shapes)
    return {key(f) for check in plan.checks for f in run_check(store, check)}


def test_targets_are_injected_into_every_group() -> None:
    query = "SELECT $this WHERE { FILTER NOT EXISTS { $this <p> ?x } { $this <q> ?y } }"
    out = _inject_targets(query, ["?this a <T> ."])
    assert out is not None
    assert out.count("?this a <T> .") == 2  # the top group and the inner group, not EXISTS


def steps(query: str) -> set[tuple[str, str, str, bool]] | None:
    reach = sparql_reach(query)
    if reach is None:
        return None
    return {(s.source, s.target, s.predicate.rsplit("/", 1)[-1], s.backward)
            for found, _c, _s in reach.scopes for s in found}


def test_reach_analysis() -> None:
    assert steps("SELECT $this WHERE { $this <http://p> ?v . ?v <http://q> ?w }") == {
        ("?this", "?v", "p", False), ("?v", "?w", "q", False)}
    # a look-back: only from $this, along that predicate
    assert steps("SELECT $this WHERE { ?m <http://member> $this }") == {
        ("?this", "?m", "member", True)}
    # patterns inside NOT EXISTS count, with the outer bindings
    assert steps("SELECT $this WHERE { $this <http://p> ?v FILTER NOT EXISTS { ?m <http://q> ?v } }"
                 ) == {("?this", "?v", "p", False), ("?v", "?m", "q", True)}
    # union branches are separate scopes: ?v is reached forward in one, backward in the other
    assert steps("SELECT $this WHERE { { $this <http://p> ?v } UNION { ?v <http://p> $this } }"
                 ) == {("?this", "?v", "p", False), ("?this", "?v", "p", True)}
    # forward edges are preferred: ?a is reached through ?s, not looked up from the publisher
    assert ("?v", "?a", "publisher", True) not in steps(
        "SELECT $this WHERE { $this <http://by> ?v ; <http://from> ?s . ?s <http://src> ?a "
        "FILTER NOT EXISTS { ?a <http://publisher> ?v } }")  # type: ignore[operator]
    # a class constant is not a root: ?x a C is checked on ?x
    assert steps("SELECT $this WHERE { $this <http://p> ?x . ?x a <http://C> }") == {
        ("?this", "?x", "p", False)}
    # unbounded paths are walked to their end
    reach = sparql_reach("SELECT $this WHERE { $this <http://p>+ $this }")
    assert reach is not None and all(s.transitive for found, _c, _s in reach.scopes for s in found)
    # patterns tied to nothing, GRAPH and VALUES: run over the whole store
    assert sparql_reach("SELECT $this WHERE { $this <http://p> ?v . ?a <http://q> ?b }") is None
    assert sparql_reach("SELECT $this WHERE { GRAPH ?g { $this <http://p> ?v } }") is None
    assert sparql_reach("SELECT $this WHERE { VALUES ?v { 1 } $this <http://p> ?v }") is None


def test_every_constraint_of_the_project_runs_unit_by_unit() -> None:
    shapes = Project.load(ROOT).shapes
    assert all(c.local for c in ShapePlan.from_shapes(shapes).checks)


def test_real_project_sharded_equals_whole(tmp_path: Path) -> None:
    for name in ("data", "ontology", "shapes", "queries"):
        shutil.copytree(ROOT / name, tmp_path / name)
    p = Project.load(settings=Settings(root=tmp_path), sync=True)
    plan = ShapePlan.from_shapes(p.shapes)
    assert core_part(p.validate(jobs=1).findings) == whole(p, plan.core)
