"""Scale benchmark: pressgraph's pipeline against the naive one, at N synthetic announcements.

Not a test. Run from the project root::

    .venv/bin/python bench/bench_scale.py --sizes 1 100 1000 10000 --cap 300

For each N it writes a synthetic project (``pressgraph synth``, seed 1) under
``bench/.work/N<n>`` and measures, each step in its own subprocess (wall time, and the
child's peak RSS from ``ru_maxrss``):

* full build: ``pressgraph build --store-only`` from an empty ``.pressgraph/`` (parse, load
  the persistent store, validate) vs rdflib ``Dataset`` + pySHACL over the whole graph;
* re-validation after changing one announcement (library call, store and cache warm);
* each canned query with its example parameters: pyoxigraph store vs rdflib's engine
  (query prepared once, timed on the second run);
* exports: Turtle, N-Triples, JSON-LD: ``Project.export`` vs rdflib's serializers.

A naive step that runs past ``--cap`` seconds is stopped and recorded as ``> cap``.
Results go to ``bench/.work/results.json`` and, as a table, to standard output.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / ".work"
PY = sys.executable


def child(step: str, project: str, arg: str) -> None:
    """One measured step, run in a fresh process; prints a JSON line."""
    out: dict[str, object] = {}
    t0 = time.perf_counter()
    if step == "ours-build":
        from pressgraph.project import Project

        p = Project.load(project, sync=True)
        report = p.validate()
        out["violations"] = report.counts()["Violation"]
    elif step == "ours-revalidate":
        from pressgraph.project import Project

        t0 = time.perf_counter()
        p = Project.load(project, sync=True)
        report = p.validate()
        out["violations"] = report.counts()["Violation"]
    elif step == "ours-query":
        from pressgraph.project import Project

        p = Project.load(project)
        q = p.queries[arg]
        params = {x.name: x.example for x in q.params if x.example is not None}
        p.query(arg, params)
        t0 = time.perf_counter()
        result = p.query(arg, params)
        out["rows"] = len(result.rows) + len(result.triples)
    elif step == "ours-export":
        from pressgraph.project import Project

        p = Project.load(project)
        t0 = time.perf_counter()
        out["bytes"] = len(p.export(arg))
    else:
        from rdflib import Dataset

        ds = Dataset()
        ds.default_union = True
        for path in sorted(Path(project, "data").rglob("*.trig")):
            ds.parse(path, format="trig")
        onto = Dataset()
        for path in sorted(Path(project, "ontology").glob("*.ttl")):
            onto.graph().parse(path, format="turtle")
        if step == "naive-build":
            from pyshacl import validate
            from rdflib import Graph

            shapes = Graph()
            for path in sorted(Path(project, "shapes").glob("*.ttl")):
                shapes.parse(path, format="turtle")
            conforms, _g, _t = validate(ds, shacl_graph=shapes, ont_graph=onto,
                                        inference="none", advanced=True, allow_warnings=True)
            out["conforms"] = bool(conforms)
        elif step == "naive-query":
            from rdflib.plugins.sparql import prepareQuery

            from pressgraph.queries import Catalogue
            from pressgraph.rdfio import to_rdflib

            for g in onto.graphs():
                for t in g:
                    ds.graph(g.identifier).add(t)
            q = Catalogue.load(Path(project, "queries"))[arg]
            params = {x.name: x.example for x in q.params if x.example is not None}
            bindings = {k: to_rdflib(v) for k, v in q.bind(params).items()}
            prepared = prepareQuery(q.text)
            t0 = time.perf_counter()
            result = ds.query(prepared, initBindings=bindings)
            out["rows"] = len(list(result))
        elif step == "naive-export":
            t0 = time.perf_counter()
            fmt = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld"}[arg]
            if fmt == "json-ld":
                data = ds.serialize(format=fmt)
            else:
                from rdflib import Graph

                union = Graph()
                for t in ds.triples((None, None, None)):
                    union.add(t)
                data = union.serialize(format=fmt)
            out["bytes"] = len(data)
    out["seconds"] = time.perf_counter() - t0
    out["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def measure(step: str, project: Path, arg: str = "", cap: float = 300) -> dict[str, object]:
    cmd = [PY, __file__, "--child", step, str(project), arg]
    start = time.perf_counter()
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=cap, check=False)
    except subprocess.TimeoutExpired:
        return {"seconds": None, "capped": cap}
    wall = time.perf_counter() - start
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1:] or ["?"]}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall"] = wall
    return result


def touch_one(project: Path) -> None:
    """Change one announcement's claims (a name) the way an editor would."""
    first = sorted((project / "data" / "announcements").iterdir())[0] / "claims.trig"
    text = first.read_text(encoding="utf-8")
    marker = ' (edited)"@en'
    text = text.replace(marker, '"@en', 1) if marker in text else text.replace('"@en', marker, 1)
    first.write_text(text, encoding="utf-8")


def run(sizes: list[int], cap: float, naive: bool) -> dict[str, object]:
    results: dict[str, object] = {}
    for n in sizes:
        project = WORK / f"N{n}"
        if not (project / "data").is_dir():
            shutil.rmtree(project, ignore_errors=True)
            subprocess.run(
                [PY, "-m", "pressgraph.cli", "synth", "-n", str(n), "--seed", "1", "-q",
                 "-o", str(project)], check=True, cwd=ROOT,
                env={**os.environ, "CI": "1"},
            )
        shutil.rmtree(project / ".pressgraph", ignore_errors=True)
        row: dict[str, object] = {"N": n}
        row["ours-build"] = measure("ours-build", project, cap=cap * 10)
        touch_one(project)
        row["ours-revalidate"] = measure("ours-revalidate", project, cap=cap)
        if naive:
            row["naive-build"] = measure("naive-build", project, cap=cap)
        queries = sorted(p.stem for p in (project / "queries").glob("*.rq"))
        for q in queries:
            row[f"ours-query {q}"] = measure("ours-query", project, q, cap)
            if naive:
                row[f"naive-query {q}"] = measure("naive-query", project, q, cap)
        for fmt in ("turtle", "ntriples", "jsonld"):
            row[f"ours-export {fmt}"] = measure("ours-export", project, fmt, cap)
            if naive:
                row[f"naive-export {fmt}"] = measure("naive-export", project, fmt, cap)
        results[str(n)] = row
        WORK.mkdir(parents=True, exist_ok=True)
        (WORK / "results.json").write_text(json.dumps(results, indent=1) + "\n")
        print(json.dumps(row), flush=True)
    return results


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else "")
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 100, 1000, 10000])
    parser.add_argument("--cap", type=float, default=300.0, help="seconds per naive step")
    parser.add_argument("--no-naive", action="store_true")
    args = parser.parse_args()
    run(args.sizes, args.cap, not args.no_naive)


if __name__ == "__main__":
    main()
