"""Dumps: every format is deterministic, lossless, and the same from a persistent store."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from pressgraph.errors import ExportError
from pressgraph.export import FORMATS, export_quads
from pressgraph.project import Project
from pressgraph.rdfio import canonical_blank_nodes
from pressgraph.settings import Settings
from pressgraph.store import sync

ROOT = Path(__file__).resolve().parents[1]
CONTEXT = ROOT / "ontology" / "context.jsonld"
N, L, B = ox.NamedNode, ox.Literal, ox.BlankNode
G1, G2 = N("https://data.example.org/graph/a"), N("https://data.example.org/graph/b")
P = N("http://schema.org/name")
NNI = N("http://www.w3.org/2001/XMLSchema#nonNegativeInteger")


def dataset(label: str) -> list[ox.Quad]:
    """The same dataset each time, blank nodes labelled differently (``label``)."""
    x, y = B(label + "x"), B(label + "y")
    return [
        ox.Quad(N("https://data.example.org/id/event/e"), P, L("event", language="en"), G1),
        ox.Quad(N("https://data.example.org/id/event/e"), N("http://schema.org/about"), x, G1),
        ox.Quad(x, P, L("x"), G1),
        ox.Quad(x, N("http://schema.org/subEvent"), y, G2),
        ox.Quad(y, N("http://www.w3.org/ns/oa#start"), L("091", datatype=NNI), G2),
        ox.Quad(N("https://data.example.org/id/event/f"), P, L("f"), y),
    ]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_same_bytes_whatever_the_order_and_labels(fmt: str) -> None:
    first = dataset("one")
    second = dataset("two")
    random.Random(2).shuffle(second)
    out = export_quads(first, fmt, context_path=CONTEXT)
    assert out == export_quads(second + second[:2], fmt, context_path=CONTEXT)
    if FORMATS[fmt].quads and fmt != "jsonld":
        back = ox.parse(out, format={"trig": ox.RdfFormat.TRIG,
                                     "nquads": ox.RdfFormat.N_QUADS}[fmt])
        assert isomorphic(list(back), first)


def isomorphic(a: list[ox.Quad], b: list[ox.Quad]) -> bool:
    return set(canonical_blank_nodes(list(set(a)))) == set(canonical_blank_nodes(list(set(b))))


def test_blank_nodes_are_labelled_as_for_the_whole_dataset() -> None:
    quads = dataset("z")
    whole = ox.Dataset(quads)
    whole.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    assert set(canonical_blank_nodes(quads)) == set(whole)
    plain = [q for q in quads if not isinstance(q.subject, ox.BlankNode)][:1]
    assert canonical_blank_nodes(plain) is plain


def test_n_triples_are_sorted_and_unique() -> None:
    lines = export_quads(dataset("a") * 2, "ntriples").decode().splitlines()
    assert lines == sorted(set(lines))


def test_one_graph_and_errors() -> None:
    out = export_quads(dataset("a"), "nquads", graph=G1.value)
    assert {q.graph_name for q in ox.parse(out, format=ox.RdfFormat.N_QUADS)} == {G1}
    with pytest.raises(ExportError, match="no graph named"):
        export_quads(dataset("a"), "nquads", graph="https://nope.example/g")
    with pytest.raises(ExportError, match="unknown export format"):
        export_quads(dataset("a"), "yaml")
    with pytest.raises(ExportError, match="context"):
        export_quads(dataset("a"), "jsonld")


def test_json_ld_reads_back_as_the_dataset() -> None:
    out = export_quads(dataset("a"), "jsonld", context_path=CONTEXT)
    assert isomorphic(list(ox.parse(out, format=ox.RdfFormat.JSON_LD)), dataset("b"))


def test_exports_from_the_persistent_store_are_exact(tmp_path: Path) -> None:
    """The store keeps 91 for "91"^^xsd:nonNegativeInteger; the dumps keep the type."""
    for name in ("data", "ontology", "shapes", "queries"):
        shutil.copytree(ROOT / name, tmp_path / name)
    memory = Project.load(settings=Settings(root=tmp_path))
    sync(Settings(root=tmp_path))
    disk = Project.load(settings=Settings(root=tmp_path))
    assert disk.persistent and not memory.persistent
    for fmt in ("nquads", "jsonld", "turtle"):
        assert disk.export(fmt) == memory.export(fmt)
    nquads = disk.export("nquads").decode()
    assert "^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>" in nquads
    stored = {q.object.datatype.value for q in disk.store
              if isinstance(q.object, ox.Literal) and q.object.datatype is not None}
    assert NNI.value not in stored  # what the store does, and why dumps read the files
