"""The synthetic corpus: project layout, right offsets, determinism, the defect manifest."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pressgraph.cli import cli
from pressgraph.errors import ConfigError
from pressgraph.project import Project
from pressgraph.spans import compute_spans, load_claims, read_text
from pressgraph.synth import DEFECT_KINDS, generate, write_corpus

ROOT = Path(__file__).resolve().parents[1]


def tree_digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "p"
    write_corpus(generate(12, seed=5), out, source=ROOT)
    return out


def test_layout_is_the_projects(corpus_dir: Path) -> None:
    folders = sorted((corpus_dir / "data" / "announcements").iterdir())
    assert len(folders) == 12
    for folder in folders:
        names = {p.name for p in folder.iterdir()}
        assert names == {"announcement.txt", "claims.trig", "spans.toml", "provenance.trig"}
    for name in ("ontology", "shapes", "queries"):
        assert (corpus_dir / name).is_dir()
    refs = {p.name for p in (corpus_dir / "data" / "reference").glob("*.trig")}
    assert {"synthetic-places.trig", "synthetic-organisations.trig"} <= refs
    assert not (ROOT / "data" / "reference" / "synthetic-places.trig").exists()


def test_spans_are_right(corpus_dir: Path) -> None:
    for folder in sorted((corpus_dir / "data" / "announcements").iterdir()):
        text = read_text(folder / "announcement.txt")
        for span in compute_spans(text, load_claims(folder).claims):
            assert text[span.start : span.end] == span.exact
        assert "“" in text  # quotations with curly quotes, as in real announcements


def test_it_parses_and_varies(corpus_dir: Path) -> None:
    p = Project.load(corpus_dir)
    info = p.info()
    types = info.entities_by_type
    for cls in ("EventSeries", "EducationEvent", "Quotation", "Observation", "Membership"):
        assert any(t.endswith(cls) for t in types), cls
    countries = p.sparql(
        "SELECT DISTINCT ?c WHERE { ?a a <https://data.example.org/ns#Announcement> ; "
        "<http://schema.org/mentions> ?c . ?c a <http://schema.org/Country> }"
    ).rows
    assert len(countries) >= 3


def test_deterministic(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    write_corpus(generate(6, seed=9, defects=3), a, source=ROOT)
    write_corpus(generate(6, seed=9, defects=3), b, source=ROOT)
    assert tree_digest(a) == tree_digest(b)
    c = tmp_path / "c"
    write_corpus(generate(6, seed=10, defects=3), c, source=ROOT)
    assert tree_digest(a) != tree_digest(c)


def test_defects_manifest(tmp_path: Path) -> None:
    corpus = generate(20, seed=2, defects=len(DEFECT_KINDS))
    kinds = {d.kind for d in corpus.defects}
    assert len(corpus.defects) == len(DEFECT_KINDS)
    assert len(kinds) >= len(DEFECT_KINDS) - 1
    write_corpus(corpus, tmp_path / "p", source=ROOT)
    doc = json.loads((tmp_path / "p" / "defects.json").read_text())
    assert [d["kind"] for d in doc["defects"]] == [d.kind for d in corpus.defects]


def test_too_many_defects() -> None:
    with pytest.raises(ConfigError):
        generate(2, defects=3)


def test_cli(tmp_path: Path) -> None:
    out = tmp_path / "s"
    result = CliRunner().invoke(
        cli, ["-C", str(ROOT), "synth", "-n", "3", "--seed", "4", "--defects", "1", "-q",
              "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "3 announcement(s)" in result.output
    assert len(list((out / "data" / "announcements").iterdir())) == 3
    again = CliRunner().invoke(cli, ["-C", str(ROOT), "synth", "-n", "3", "-q", "-o", str(out)])
    assert again.exit_code != 0
