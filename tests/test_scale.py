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

import pytest
from pyshacl import validate
from rdflib import Graph

from pressgraph.project import Project
from pressgraph.rdfio import to_rdflib_graph
from pressgraph.scale import ShapePlan, _inject_targets, _is_forward_only
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


def test_targets_are_injected_into_every_group() -> None:
    query = "SELECT $this WHERE { FILTER NOT EXISTS { $this <p> ?x } { $this <q> ?y } }"
    out = _inject_targets(query, ["?this a <T> ."])
    assert out is not None
    assert out.count("?this a <T> .") == 2  # the top group and the inner group, not EXISTS


def test_forward_only_analysis() -> None:
    assert _is_forward_only("SELECT $this WHERE { $this <http://p> ?v . ?v <http://q> ?w }")
    assert not _is_forward_only("SELECT $this WHERE { ?m <http://member> $this }")
    assert not _is_forward_only("SELECT $this WHERE { $this <http://p>+ ?v }")


def test_real_project_sharded_equals_whole(tmp_path: Path) -> None:
    for name in ("data", "ontology", "shapes", "queries"):
        shutil.copytree(ROOT / name, tmp_path / name)
    p = Project.load(settings=Settings(root=tmp_path), sync=True)
    plan = ShapePlan.from_shapes(p.shapes)
    assert core_part(p.validate(jobs=1).findings) == whole(p, plan.core)
