"""The command line, in-process: exit codes, output formats and every error path's message."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from pressgraph.cli import main

ROOT = Path(__file__).resolve().parents[1]
SLUG = "2016-10-06-osce-anti-trafficking-seminars"

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(capsysbinary: pytest.CaptureFixture[bytes]) -> Run:
    def invoke(*args: str, project: Path = ROOT) -> tuple[int, str, str]:
        code = main(["-C", str(project), *args])
        out, err = capsysbinary.readouterr()
        return code, out.decode(), err.decode()

    return invoke


def remove_almaty_location(project: Path) -> None:
    """Make the data non-conforming: the Almaty seminar loses its place (a Violation)."""
    claims = project / "data" / "announcements" / SLUG / "claims.trig"
    text = claims.read_text(encoding="utf-8")
    located = (
        "schema:superEvent event:osce-astana-2016-anti-trafficking-seminar-series ;\n"
        "        schema:location place:almaty ."
    )
    assert located in text, "the fixture must actually remove something"
    claims.write_text(text.replace(located, located.split(" ;")[0] + " ."), encoding="utf-8")


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A throw-away copy of the project's knowledge folders."""
    for name in ("ontology", "data", "shapes", "queries"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


def test_validate_conforms_exit_0(run: Run) -> None:
    code, out, _ = run("validate")
    assert code == 0
    assert out.startswith("Conforms: 0 violation(s)")


def test_validate_json_report(run: Run) -> None:
    code, out, _ = run("validate", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["conforms"] is True
    assert doc["counts"]["Violation"] == 0


def test_validate_nonconforming_exit_1_names_focus_and_message(run: Run, copy: Path) -> None:
    remove_almaty_location(copy)
    code, out, _ = run("validate", project=copy)
    assert code == 1
    assert out.startswith("Does NOT conform: 1 violation(s)")
    assert "\nevent:osce-astana-2016-anti-trafficking-seminar-almaty\n  VIOLATION" in out


def test_malformed_turtle_names_file_line_column_and_exit_2(run: Run, copy: Path) -> None:
    bad = copy / "data" / "announcements" / SLUG / "claims.trig"
    lines = bad.read_text(encoding="utf-8").splitlines()
    lines.insert(30, "    this is not turtle ;;")
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run("validate", project=copy)
    assert code == 2 and out == ""
    assert err.startswith(f"error: {bad}:31:")
    assert "Traceback" not in err


@pytest.mark.parametrize("folder", ["ontology", "shapes"])
def test_malformed_ontology_or_shapes_is_reported(run: Run, copy: Path, folder: str) -> None:
    target = sorted((copy / folder).glob("*.ttl"))[0]
    target.write_text(target.read_text(encoding="utf-8") + "\n<broken\n", encoding="utf-8")
    code, _, err = run("info", project=copy)
    assert code == 2
    assert err.startswith(f"error: {target}:")


def test_not_a_project(run: Run, tmp_path: Path) -> None:
    code, _, err = run("info", project=tmp_path)
    assert code == 2 and "is not a pressgraph project (no data/ folder)" in err


def test_query_list_and_unknown_name_with_suggestions(run: Run) -> None:
    code, out, _ = run("query", "--list")
    assert code == 0
    names = [line.split()[0] for line in out.splitlines() if line and not line.startswith(" ")]
    assert names and names == sorted(names)
    code, _, err = run("query", names[0][:-1])
    assert code == 2
    assert f"no canned query named {names[0][:-1]!r}" in err and names[0] in err


def test_adhoc_sparql_formats(run: Run) -> None:
    q = "SELECT ?city WHERE { ?city a schema:City } ORDER BY ?city"
    code, out, _ = run("query", "--sparql", q, "--format", "csv")
    assert code == 0
    assert out.splitlines()[0] == "city"
    assert len(out.splitlines()) == 6  # header + five cities
    code, out, _ = run("query", "--sparql", q, "--format", "json")
    assert len(json.loads(out)["results"]["bindings"]) == 5
    code, out, _ = run("query", "--sparql", "ASK { ?s a schema:EventSeries }", "--format", "table")
    assert (code, out) == (0, "true\n")
    code, out, _ = run(
        "query", "--sparql", "CONSTRUCT { ?c a schema:City } WHERE { ?c a schema:City }"
    )
    assert code == 0 and out.count("schema:City") >= 1 and "@prefix" in out


def test_adhoc_sparql_from_file(run: Run, tmp_path: Path) -> None:
    f = tmp_path / "q.rq"
    f.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s a schema:Person }", encoding="utf-8")
    code, out, _ = run("query", "--file", str(f), "--format", "tsv")
    assert (code, out) == (0, '?n\n"2"^^<http://www.w3.org/2001/XMLSchema#integer>\n')


def test_bad_sparql_gives_line_and_column(run: Run) -> None:
    code, _, err = run("query", "--sparql", "SELECT *\nWHERE { ?s ?p }")
    assert code == 2
    assert err.startswith("error: --sparql:2:15: SPARQL syntax error")


def test_service_is_refused(run: Run) -> None:
    code, _, err = run("query", "--sparql", "SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }")
    assert code == 2 and "SERVICE is not allowed" in err


def test_bad_parameter_syntax_and_type(run: Run) -> None:
    code, _, err = run("query", "--sparql", "ASK {}", "--param", "x=1")
    assert code == 2 and "--param is for canned queries" in err
    code, out, _ = run("query", "--list")
    name = next(line.split()[0] for line in out.splitlines() if line and not line.startswith(" "))
    code, _, err = run("query", name, "--param", "novalue")
    assert code == 2 and "expected key=value" in err


def test_usage_errors(run: Run) -> None:
    code, _, err = run("query")
    assert code == 2 and "give exactly one of NAME, --list, --sparql or --file" in err


@pytest.mark.parametrize("fmt", ["turtle", "trig", "nquads", "ntriples", "jsonld", "rdfxml"])
def test_export_is_deterministic(run: Run, fmt: str) -> None:
    first = run("export", "--format", fmt)
    second = run("export", "--format", fmt)
    assert first[0] == 0 and first[1]
    assert first == second


def test_export_one_graph(run: Run) -> None:
    graph = "https://data.example.org/graph/reference-places"
    code, out, _ = run("export", "--format", "nquads", "--graph", graph)
    assert code == 0
    assert {line.rsplit(" ", 2)[-2] for line in out.splitlines()} == {f"<{graph}>"}
    code, _, err = run("export", "--graph", "https://nope.example/g")
    assert code == 2 and "no graph named <https://nope.example/g>" in err


def test_info(run: Run) -> None:
    code, out, _ = run("info")
    assert code == 0
    assert "triples:" in out
    assert "       6  schema:EducationEvent" in out.splitlines()


def test_build_writes_dumps_then_refuses_on_violation(run: Run, copy: Path) -> None:
    out_dir = copy / "dist"
    code, out, _ = run("build", "-o", str(out_dir), project=copy)
    assert code == 0, out
    written = sorted(p.name for p in out_dir.iterdir())
    assert "void.ttl" in written and "pressgraph.trig" in written
    before = {p.name: p.read_bytes() for p in out_dir.iterdir()}
    remove_almaty_location(copy)
    code, _, err = run("build", "-o", str(out_dir), project=copy)
    assert code == 1 and "nothing was written" in err
    assert {p.name: p.read_bytes() for p in out_dir.iterdir()} == before


def test_debug_shows_traceback(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="not a pressgraph project"):
        main(["-C", str(tmp_path), "--debug", "info"])


def test_two_builds_in_separate_processes_are_byte_identical(copy: Path) -> None:
    """Determinism across processes (hash seeds, dictionary orders), not only within one."""
    import subprocess
    import sys

    outputs = []
    for name in ("first", "second"):
        out_dir = copy / name
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pressgraph.cli",
                "-C",
                str(copy),
                "build",
                "-q",
                "-o",
                str(out_dir),
            ],
            check=True,
            capture_output=True,
            env={"PATH": "/usr/bin:/bin", "PYTHONHASHSEED": "random"},
        )
        outputs.append({p.name: p.read_bytes() for p in sorted(out_dir.iterdir())})
    assert len(outputs[0]) >= 9
    assert outputs[0] == outputs[1]
