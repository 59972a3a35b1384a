"""The persistent store: freshness, incremental rebuilds, atomic swaps, crash safety."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from pressgraph.errors import ConfigError, DataError
from pressgraph.project import Project
from pressgraph.settings import Settings
from pressgraph.store import (
    Manifest,
    announcement_of,
    diff_sources,
    open_current,
    store_keeps_exactly,
    sync,
)

ROOT = Path(__file__).resolve().parents[1]
SLUG = "2016-10-06-osce-anti-trafficking-seminars"


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    for name in ("data", "ontology", "shapes", "queries"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


def settings(root: Path) -> Settings:
    return Settings(root=root)


def test_no_store_means_parsing(project: Path) -> None:
    assert open_current(settings(project)) is None
    p = Project.load(settings=settings(project))
    assert not p.persistent
    assert len(p.store) == len(p.data) + len(p.ontology)


def test_build_then_open_without_parsing(project: Path) -> None:
    first = sync(settings(project))
    assert first.written and first.full_rebuild
    link = project / ".pressgraph" / "store"
    assert link.is_symlink() and link.resolve() == first.path.resolve()
    p = Project.load(settings=settings(project))
    assert p.persistent
    in_memory = Project.load(settings=Settings(root=project, store_path=Path("elsewhere")))
    assert len(p.store) == len(in_memory.store)
    assert p.info().triples == in_memory.info().triples
    # a second sync with nothing changed writes nothing
    assert not sync(settings(project)).written


def test_same_answers_as_in_memory(project: Path) -> None:
    sync(settings(project))
    disk = Project.load(settings=settings(project))
    memory = Project.load(settings=Settings(root=project, store_path=Path("none")))
    for name, query in disk.queries.items():
        params = {p.name: p.example for p in query.params if p.example is not None}
        try:
            expected = memory.query(name, params)
        except Exception:
            continue
        got = disk.query(name, params)
        assert sorted(map(str, got.rows)) == sorted(map(str, expected.rows)), name
        assert got.boolean == expected.boolean


def test_data_keeps_literal_types(project: Path) -> None:
    """pyoxigraph's store turns xsd:nonNegativeInteger into xsd:integer; project.data must not."""
    sync(settings(project))
    p = Project.load(settings=settings(project))
    nni = "http://www.w3.org/2001/XMLSchema#nonNegativeInteger"
    assert any(
        isinstance(q.object, ox.Literal) and q.object.datatype.value == nni for q in p.data
    )


def test_stale_store_is_not_used(project: Path) -> None:
    sync(settings(project))
    claims = project / "data" / "announcements" / SLUG / "claims.trig"
    claims.write_text(claims.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert open_current(settings(project)) is None
    assert not Project.load(settings=settings(project)).persistent


def test_touching_without_changing_keeps_the_store(project: Path) -> None:
    sync(settings(project))
    claims = project / "data" / "announcements" / SLUG / "claims.trig"
    claims.touch()
    assert open_current(settings(project)) is not None


def test_rebuild_touches_only_changed_files(project: Path) -> None:
    sync(settings(project))
    claims = project / "data" / "announcements" / SLUG / "claims.trig"
    text = claims.read_text(encoding="utf-8")
    claims.write_text(text.replace('"Anti-trafficking seminar in Almaty"@en',
                                   '"Seminar in Almaty"@en'), encoding="utf-8")
    result = sync(settings(project))
    assert result.loaded == [f"data/announcements/{SLUG}/claims.trig"]
    assert not result.full_rebuild
    p = Project.load(settings=settings(project))
    rows = p.sparql('SELECT ?n WHERE { ?e <http://schema.org/name> ?n FILTER(STR(?n) = '
                    '"Seminar in Almaty") }').rows
    assert len(rows) == 1
    old = p.sparql('ASK { ?e <http://schema.org/name> "Anti-trafficking seminar in Almaty"@en }')
    assert old.boolean is False


def test_removed_file_drops_its_graphs(project: Path) -> None:
    sync(settings(project))
    (project / "data" / "reference" / "places.trig").unlink()
    result = sync(settings(project))
    assert result.removed == ["data/reference/places.trig"]
    p = Project.load(settings=settings(project))
    assert not p.store.contains_named_graph(
        ox.NamedNode("https://data.example.org/graph/reference-places")
    )


def test_failure_mid_build_leaves_previous_store(project: Path) -> None:
    first = sync(settings(project))
    claims = project / "data" / "announcements" / SLUG / "claims.trig"
    claims.write_text(claims.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")

    def crash() -> None:
        raise RuntimeError("simulated crash before the swap")

    with pytest.raises(RuntimeError):
        sync(settings(project), _before_commit=crash)
    link = project / ".pressgraph" / "store"
    assert link.resolve() == first.path.resolve()
    still = ox.Store.read_only(str(link))
    assert len(still) > 0
    # the next build clears the leftovers and succeeds
    again = sync(settings(project))
    assert again.written and link.resolve() == again.path.resolve()


def test_kill_mid_build_leaves_previous_store(project: Path) -> None:
    first = sync(settings(project))
    claims = project / "data" / "announcements" / SLUG / "claims.trig"
    claims.write_text(claims.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from pressgraph.settings import Settings\n"
        "from pressgraph.store import sync\n"
        "sync(Settings(root=Path(sys.argv[1])),\n"
        "     _before_commit=lambda: os.kill(os.getpid(), signal.SIGKILL))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(project)], check=False)
    assert done.returncode == -9
    link = project / ".pressgraph" / "store"
    assert link.resolve() == first.path.resolve()
    assert len(ox.Store.read_only(str(link))) > 0
    assert sync(settings(project)).written


def test_malformed_file_makes_nothing_live(project: Path) -> None:
    first = sync(settings(project))
    bad = project / "data" / "reference" / "bad.trig"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        sync(settings(project))
    assert "bad.trig" in str(err.value)
    assert (project / ".pressgraph" / "store").resolve() == first.path.resolve()


def test_graph_in_two_files_is_refused(project: Path) -> None:
    src = project / "data" / "reference" / "places.trig"
    shutil.copyfile(src, project / "data" / "reference" / "copy.trig")
    with pytest.raises(DataError, match="also defined in"):
        sync(settings(project))


def test_graph_in_two_files_is_refused_in_an_incremental_build(project: Path) -> None:
    sync(settings(project))
    src = project / "data" / "reference" / "places.trig"
    shutil.copyfile(src, project / "data" / "reference" / "copy.trig")
    with pytest.raises(DataError, match=r"also defined in data/reference/places\.trig"):
        sync(settings(project))
    # a file that takes over a graph another file gave up is fine
    (project / "data" / "reference" / "copy.trig").unlink()
    text = src.read_text(encoding="utf-8")
    src.unlink()
    (project / "data" / "reference" / "moved.trig").write_text(text, encoding="utf-8")
    assert sync(settings(project)).written


def test_a_foreign_store_folder_is_not_overwritten(project: Path) -> None:
    (project / ".pressgraph" / "store").mkdir(parents=True)
    with pytest.raises(ConfigError, match="did not make"):
        sync(settings(project))


def test_diff_and_units() -> None:
    assert announcement_of(f"data/announcements/{SLUG}/claims.trig") == SLUG
    assert announcement_of("data/reference/places.trig") == "reference/places.trig"
    diff = diff_sources(ROOT, None)
    assert not diff.clean and diff.added


def test_manifest_flags_what_the_store_does_not_keep(project: Path) -> None:
    """Offsets typed xsd:nonNegativeInteger come back as xsd:integer: their file is flagged."""
    result = sync(settings(project))
    manifest = Manifest.read(result.path.with_name(result.generation + ".json"))
    provenance = f"data/announcements/{SLUG}/provenance.trig"
    assert not manifest.files[provenance].exact
    assert manifest.files["data/reference/places.trig"].exact
    assert not any(e.blank_nodes for e in manifest.files.values())
    # the manifest reads back as written (graph names are stored as prefix + the rest)
    path = result.path.with_name(result.generation + ".json")
    copy = path.with_name("copy.json")
    manifest.write(copy)
    assert Manifest.read(copy).files == manifest.files


def test_a_format_1_manifest_means_a_rebuild(project: Path) -> None:
    first = sync(settings(project))
    path = first.path.with_name(first.generation + ".json")
    old = Manifest.read(path)
    doc = {"version": 1, "generation": old.generation, "files": {
        p: {"size": e.size, "mtime_ns": e.mtime_ns, "sha256": e.sha256,
            "graphs": list(e.graphs), "quads": e.quads} for p, e in old.files.items()}}
    path.write_text(json.dumps(doc), encoding="utf-8")
    again = sync(settings(project))
    assert again.written and again.full_rebuild
    fresh = Manifest.read(again.path.with_name(again.generation + ".json"))
    assert not fresh.legacy and fresh.files["data/reference/places.trig"].exact


def test_store_keeps_exactly() -> None:
    xsd = "http://www.w3.org/2001/XMLSchema#"

    def quad(value: str, datatype: str) -> ox.Quad:
        return ox.Quad(ox.NamedNode("http://s"), ox.NamedNode("http://p"),
                       ox.Literal(value, datatype=ox.NamedNode(xsd + datatype)),
                       ox.NamedNode("http://g"))

    for value, datatype in (("091", "integer"), ("1.50", "decimal"), ("1", "boolean"),
                            ("1.0E0", "double"), ("5", "int"), ("2016-10-06+00:00", "date")):
        assert not store_keeps_exactly([quad(value, datatype)]), (value, datatype)
    assert store_keeps_exactly([quad("91", "integer"), quad("2016-10-06", "date"),
                                quad("51.1801", "double"), quad("abc", "nonNegativeInteger")])
