"""Scale benchmark: pressgraph's pipeline against the naive one, at N synthetic announcements.

Not a test. Run from the project root::

    .venv/bin/python bench/bench_scale.py --sizes 1 100 1000 10000 --cap 300

For each N it writes a synthetic project (``pressgraph synth``, seed 1) under
``bench/.work/N<n>`` and measures, each step in its own subprocess (wall time, and peak
RSS from ``ru_maxrss``: the process's own and its largest worker's):

* full build: ``Project.load(sync=True)`` + ``validate()`` from an empty ``.pressgraph/``
  (parse, load the persistent store, validate in worker processes) vs rdflib ``Dataset``
  + pySHACL over the whole dataset as one graph with the ontology in it; once it is
  stopped at ``--build-cap`` at some N it is not run at larger N (it only grows);
* re-validation after changing one announcement: the same calls, store and cache warm,
  modules imported (``pressgraph validate`` adds the interpreter and imports: timed too);
  the naive pipeline has no incremental path, its re-validation is its full validation;
* each canned query, parameters chosen so that it does real work on the synthetic corpus
  (an example IRI the corpus lacks is replaced by the IRI of the same namespace and type
  that the data uses most): pyoxigraph store vs rdflib's engine (prepared once, timed on
  the second run);
* exports: Turtle, N-Triples, JSON-LD: ``Project.export`` (which parses the files) vs
  rdflib's serializers (after parsing into a ``Dataset``, untimed);
* reading the dataset for an export: parsing the files vs iterating the store.

A step that runs past ``--cap`` seconds (the builds: ``--build-cap``) is stopped and
recorded as ``> cap``; the naive steps' untimed setup (parsing into rdflib) gets
``--setup-cap`` seconds of its own. Results go to ``bench/.work/results.json``; ``--table``
prints them as Markdown.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / ".work"
PY = sys.executable
READY = "--ready--"
_RDFLIB_FORMATS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld"}


def _peaks() -> dict[str, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"peak_mib": own, "worker_peak_mib": workers}


def ready(key: str = "") -> float:
    """Tell the parent the untimed setup is over; the timed step starts now."""
    print(f"{READY} {key}".strip(), flush=True)
    return time.perf_counter()


def child(step: str, project: str, arg: str) -> None:
    """One measured step, run in a fresh process; prints a JSON line."""
    out: dict[str, object] = {}
    t0 = time.perf_counter()
    if step == "ours-build":
        from pressgraph.project import Project

        t0 = ready()
        p = Project.load(project, sync=True)
        report = p.validate()
        out["violations"] = report.counts()["Violation"]
        out["warnings"] = report.counts()["Warning"]
    elif step == "ours-revalidate":
        import pyshacl  # noqa: F401 - imported before the clock starts, as in a server

        import pressgraph.scale  # noqa: F401
        from pressgraph.project import Project

        t0 = ready()
        p = Project.load(project, sync=True)
        report = p.validate()
        out["violations"] = report.counts()["Violation"]
        out["warnings"] = report.counts()["Warning"]
    elif step == "ours-query":
        from pressgraph.project import Project

        p = Project.load(project)
        params = json.loads(arg)
        name = params.pop("--query")
        p.query(name, params)
        t0 = ready()
        result = p.query(name, params)
        out["rows"] = len(result.rows) + len(result.triples)
        if result.boolean is not None:
            out["boolean"] = result.boolean
    elif step == "ours-export":
        from pressgraph.project import Project

        p = Project.load(project)
        t0 = ready()
        out["bytes"] = len(p.export(arg))
    elif step == "read-files":
        from pressgraph.project import load_data

        t0 = ready()
        out["quads"] = len(load_data(Path(project, "data")))
    elif step == "read-store":
        from pressgraph.project import Project
        from pressgraph.store import data_graph_filter

        p = Project.load(project)
        assert p.manifest is not None
        keep = data_graph_filter(p.manifest)
        t0 = ready()
        out["quads"] = sum(1 for q in p.store if keep(q))
    else:
        from rdflib import Dataset

        if step == "naive-build":
            t0 = ready()  # parsing into rdflib is part of the naive build
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
            # the whole dataset as one graph with the ontology in it: a Dataset would be
            # validated graph by graph (references across graphs unseen) and ``ont_graph``
            # adds ~35 s of its own even at N = 1, so this is the naive side at its fastest
            union = Graph()
            for t in ds.triples((None, None, None)):
                union.add(t)
            for g in onto.graphs():
                for t in g:
                    union.add(t)
            conforms, _g, _t = validate(union, shacl_graph=shapes, inference="none",
                                        advanced=True, allow_warnings=True)
            out["conforms"] = bool(conforms)
        elif step == "naive-many":
            # one parse, then each item in a forked process (it shares the parsed dataset),
            # killed at the cap: a capped rdflib query cannot be interrupted otherwise
            for g in onto.graphs():
                for t in g:
                    ds.graph(g.identifier).add(t)
            items, cap = json.loads(arg)
            print(json.dumps({"key": "setup", "seconds": time.perf_counter() - t0}), flush=True)
            for key, item in items:
                start = time.perf_counter()
                pid = os.fork()
                if pid == 0:
                    try:
                        result = _naive_item(ds, project, item)
                        result["key"] = key
                        print(json.dumps(result), flush=True)
                    finally:
                        os._exit(0)
                while True:
                    done, _status = os.waitpid(pid, os.WNOHANG)
                    if done:
                        break
                    if time.perf_counter() - start > cap:
                        os.kill(pid, 9)
                        os.waitpid(pid, 0)
                        print(json.dumps({"key": key, "seconds": None, "capped": cap}),
                              flush=True)
                        break
                    time.sleep(0.05)
            return
    out["seconds"] = time.perf_counter() - t0
    out.update(_peaks())
    print(json.dumps(out), flush=True)


def _naive_item(ds: Any, project: str, item: dict[str, Any]) -> dict[str, Any]:
    """One naive query (prepared, run twice, the second timed) or export, in rdflib."""
    out: dict[str, Any] = {}
    if item["kind"] == "query":
        from rdflib.plugins.sparql import prepareQuery

        from pressgraph.queries import Catalogue
        from pressgraph.rdfio import to_rdflib

        q = Catalogue.load(Path(project, "queries"))[item["query"]]
        bindings = {k: to_rdflib(v) for k, v in q.bind(dict(item["params"])).items()}
        prepared = prepareQuery(q.text)
        t0 = time.perf_counter()
        list(ds.query(prepared, initBindings=bindings))
        out["first"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        result = ds.query(prepared, initBindings=bindings)
        if result.type == "ASK":
            out["rows"], out["boolean"] = 0, bool(result.askAnswer)
        else:
            out["rows"] = len(list(result))
    else:
        fmt = _RDFLIB_FORMATS[item["format"]]
        t0 = time.perf_counter()
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
    return out


def measure(step: str, project: Path, arg: str = "", cap: float = 300,
            setup_cap: float = 1800) -> dict[str, object]:
    """Run one step; ``cap`` seconds from the child's ``ready`` line, ``setup_cap`` before."""
    cmd = [PY, __file__, "--child", step, str(project), arg]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    started: list[float] = []

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.strip().startswith(READY):
                started.append(time.perf_counter())
            else:
                lines.append(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    capped = None
    while proc.poll() is None:
        now = time.perf_counter()
        if started and now - started[0] > cap:
            capped = {"seconds": None, "capped": cap, "setup": started[0] - start}
        elif not started and now - start > setup_cap:
            capped = {"seconds": None, "setup_capped": setup_cap}
        if capped:
            proc.kill()
            proc.wait()
            return capped
        time.sleep(0.05)
    reader.join()
    wall = time.perf_counter() - start
    err = proc.stderr.read() if proc.stderr else ""
    if proc.returncode != 0 or not lines:
        return {"error": err.strip().splitlines()[-1:] or ["?"]}
    result = json.loads(lines[-1])
    result["wall"] = wall
    if started:
        result["setup"] = started[0] - start
    return result


def measure_many(project: Path, items: list[tuple[str, dict[str, Any]]], cap: float,
                 setup_cap: float) -> dict[str, object]:
    """Naive queries or exports on one rdflib parse (minutes at 10,000 announcements), each
    in a process forked from the one that parsed, killed at ``cap``."""
    cmd = [PY, __file__, "--child", "naive-many", str(project), json.dumps([items, cap])]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    results: dict[str, object] = {}
    lines: list[str] = []

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    limit = setup_cap + cap * (len(items) + 1)
    while proc.poll() is None:
        if time.perf_counter() - start > limit or (
            not lines and time.perf_counter() - start > setup_cap
        ):
            proc.kill()
            break
        time.sleep(0.1)
    proc.wait()
    reader.join(timeout=5)
    for line in lines:
        with contextlib.suppress(ValueError):
            found = json.loads(line)
            results[found.pop("key")] = found
    for key, _item in items:
        results.setdefault(key, {"seconds": None, "setup_capped": setup_cap}
                           if "setup" not in results else {"error": "child ended"})
    return results


def touch_one(project: Path) -> None:
    """Change one announcement's claims (a name) the way an editor would."""
    first = sorted((project / "data" / "announcements").iterdir())[0] / "claims.trig"
    text = first.read_text(encoding="utf-8")
    marker = ' (edited)"@en'
    text = text.replace(marker, '"@en', 1) if marker in text else text.replace('"@en', marker, 1)
    first.write_text(text, encoding="utf-8")


def query_params(project: Path) -> dict[str, dict[str, str]]:
    """Parameters for every canned query that name entities of the synthetic corpus.

    An example IRI that the corpus has is kept; one it lacks (the examples name the seed's
    entities) is replaced by the IRI of the same namespace and of a type the example has
    in the seed that the corpus uses most as an object: its busiest place, person...
    """
    from pressgraph.project import Project

    seed = Project.load(ROOT)
    corpus = Project.load(project)
    out: dict[str, dict[str, str]] = {}
    for name, q in corpus.queries.items():
        params: dict[str, str] = {}
        for p in q.params:
            if p.example is None:
                continue
            value = str(p.example)
            if p.type == "iri":
                iri = q.bind({p.name: value})[p.name].value
                if not _is_class(seed.store, iri):
                    best = _most_used_alike(seed.store, corpus.store, iri)
                    if best and _uses(corpus.store, best) > _uses(corpus.store, iri):
                        value = best
            params[p.name] = value
        out[name] = params
    return out


def _uses(store: Any, iri: str) -> int:
    """How often the data (not the ontology) has ``iri`` as an object."""
    import pyoxigraph as ox

    return sum(1 for q in store.quads_for_pattern(None, None, ox.NamedNode(iri))
               if "/graph/ontology" not in q.graph_name.value
               and not q.graph_name.value.endswith("/ns"))


def _is_class(seed: Any, iri: str) -> bool:
    import pyoxigraph as ox

    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    return next(seed.quads_for_pattern(None, rdf_type, ox.NamedNode(iri)), None) is not None


def _most_used_alike(seed: Any, corpus: Any, iri: str) -> str | None:
    """The IRI of the corpus in ``iri``'s namespace, with its types in the seed, that is
    most often the object of the predicates that point at ``iri`` in the seed."""
    import pyoxigraph as ox

    node = ox.NamedNode(iri)
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    types = sorted({q.object.value for q in seed.quads_for_pattern(node, rdf_type, None)})
    preds = sorted({q.predicate.value for q in seed.quads_for_pattern(None, None, node)
                    if q.predicate != rdf_type})
    if not preds:
        return None
    namespace = iri.rsplit("/", 1)[0] + "/" if "/" in iri else iri
    type_filter = ""
    if types:
        values = " ".join(f"<{t}>" for t in types)
        type_filter = f"FILTER EXISTS {{ VALUES ?t {{ {values} }} GRAPH ?tg {{ ?c a ?t }} }}"
    query = f"""
        SELECT ?c (COUNT(?s) AS ?n) WHERE {{
            VALUES ?p {{ {" ".join(f"<{p}>" for p in preds)} }}
            GRAPH ?g {{ ?s ?p ?c }}
            FILTER (isIRI(?c) && STRSTARTS(STR(?c), "{namespace}"))
            {type_filter}
        }} GROUP BY ?c ORDER BY DESC(?n) STR(?c) LIMIT 1
    """
    for row in corpus.query(query):
        return row["c"].value
    return None


def run(sizes: list[int], cap: float, build_cap: float, setup_cap: float, naive: bool,
        steps: set[str] | None, ours: bool = True) -> dict[str, object]:
    results: dict[str, object] = {}
    saved = WORK / "results.json"
    if saved.is_file():
        results = json.loads(saved.read_text())

    def want(kind: str) -> bool:
        return steps is None or kind in steps

    for n in sizes:
        project = WORK / f"N{n}"
        if not (project / "data").is_dir():
            shutil.rmtree(project, ignore_errors=True)
            subprocess.run(
                [PY, "-m", "pressgraph.cli", "synth", "-n", str(n), "--seed", "1", "-q",
                 "-o", str(project)], check=True, cwd=ROOT,
                env={**os.environ, "CI": "1"},
            )
        row: dict[str, object] = {"N": n}  # this run's steps; the others keep their results
        row["load"] = os.getloadavg()
        if want("build") and ours:
            shutil.rmtree(project / ".pressgraph", ignore_errors=True)
            row["ours-build"] = measure("ours-build", project, cap=build_cap * 4)
        if want("revalidate") and ours:
            touch_one(project)
            row["ours-revalidate"] = measure("ours-revalidate", project, cap=cap)
            touch_one(project)
            start = time.perf_counter()
            done = subprocess.run([PY, "-m", "pressgraph.cli", "-C", str(project), "validate",
                                   "-q"], capture_output=True, text=True, check=False)
            row["ours-revalidate-cli"] = {"seconds": time.perf_counter() - start,
                                          "exit": done.returncode}
        if naive and want("naive-build"):
            smaller = sorted(int(m) for m, r in results.items() if int(m) < n
                             and (r.get("naive-build") or {}).get("capped"))
            if smaller:  # pySHACL's work grows at least linearly: it would be capped too
                row["naive-build"] = {"seconds": None, "skipped": f"capped at N = {smaller[0]}"}
            else:
                row["naive-build"] = measure("naive-build", project, cap=build_cap,
                                             setup_cap=setup_cap)
        if want("queries"):
            chosen = query_params(project)
            row["query-params"] = chosen
            items: list[tuple[str, dict[str, Any]]] = []
            for q, params in sorted(chosen.items()):
                arg = json.dumps({**params, "--query": q})
                if ours:
                    row[f"ours-query {q}"] = measure("ours-query", project, arg, cap)
                items.append((f"naive-query {q}", {"kind": "query", "query": q,
                                                   "params": params}))
            if naive:
                row.update(measure_many(project, items, cap, setup_cap))
        if want("exports"):
            items = []
            for fmt in ("turtle", "ntriples", "jsonld"):
                if ours:
                    row[f"ours-export {fmt}"] = measure("ours-export", project, fmt, cap)
                items.append((f"naive-export {fmt}", {"kind": "export", "format": fmt}))
            if naive:
                found = measure_many(project, items, cap, setup_cap)
                found["export-setup"] = found.pop("setup", None)
                row.update(found)
        if want("read") and ours:
            row["read-files"] = measure("read-files", project, cap=cap)
            row["read-store"] = measure("read-store", project, cap=cap)
        # merged into what is on disk now: another run (other steps) may have saved since
        if saved.is_file():
            results = json.loads(saved.read_text())
        results[str(n)] = {**results.get(str(n), {}), **row}
        WORK.mkdir(parents=True, exist_ok=True)
        tmp = saved.with_suffix(".tmp")
        tmp.write_text(json.dumps(results, indent=1) + "\n")
        tmp.replace(saved)
        print(json.dumps(row), flush=True)
    return results


def _cell(found: Any) -> tuple[str, float | None, bool]:
    """A result as text, its seconds (the cap when stopped there) and whether it was stopped."""
    if not isinstance(found, dict):
        return "not run", None, False
    if found.get("seconds") is not None:
        text = _secs(found["seconds"])
        peak = max(found.get("peak_mib", 0), found.get("worker_peak_mib", 0))
        if peak:
            text += f", peak {peak:,.0f} MiB"
        if "rows" in found:
            text += f", {found['rows']:,} rows"
        return text, found["seconds"], False
    if found.get("capped"):
        return f"> {_secs(found['capped'])} (stopped)", found["capped"], True
    if found.get("setup_capped"):
        return f"not reached: parsing > {_secs(found['setup_capped'])}", None, False
    return str(found.get("skipped") or found.get("error") or "?"), None, False


def _secs(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:,.2f} s"


def table(results: dict[str, Any]) -> str:
    """The saved results as one Markdown table per N: ours, naive, naive / ours."""
    out = []
    for n, row in sorted(results.items(), key=lambda kv: int(kv[0])):
        out += [f"### N = {int(n):,}", "", "| step | ours | naive | naive / ours |",
                "| --- | ---: | ---: | ---: |"]
        pairs = [("full build (parse, load, validate)", "ours-build", "naive-build"),
                 ("re-validation after one change", "ours-revalidate", "naive-build"),
                 ("the same, `pressgraph validate` (process start-up included)",
                  "ours-revalidate-cli", "naive-build")]
        pairs += [(f"query `{k.split(' ', 1)[1]}`", k, "naive" + k[4:])
                  for k in sorted(row) if k.startswith("ours-query ")]
        pairs += [(f"export {k.split(' ', 1)[1]}", k, "naive" + k[4:])
                  for k in sorted(row) if k.startswith("ours-export ")]
        for label, ours_key, naive_key in pairs:
            ours, ours_s, _ = _cell(row.get(ours_key))
            naive, naive_s, stopped = _cell(row.get(naive_key))
            ratio = ""
            if ours_s and naive_s:
                ratio = ("> " if stopped else "") + f"{naive_s / ours_s:,.1f}x"
            out.append(f"| {label} | {ours} | {naive} | {ratio} |")
        out.append("")
    return "\n".join(out)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else "")
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 100, 1000, 10000])
    parser.add_argument("--cap", type=float, default=300.0, help="seconds per timed step")
    parser.add_argument("--build-cap", type=float, default=1800.0,
                        help="seconds for the naive build (ours gets four times as long)")
    parser.add_argument("--setup-cap", type=float, default=1800.0,
                        help="seconds for a naive step's untimed setup (parsing into rdflib)")
    parser.add_argument("--no-naive", action="store_true")
    parser.add_argument("--table", action="store_true",
                        help="print the saved results as Markdown tables and stop")
    parser.add_argument("--no-ours", action="store_true", help="only the naive pipeline")
    parser.add_argument("--steps", nargs="+", default=None,
                        choices=["build", "revalidate", "naive-build", "queries", "exports",
                                 "read"],
                        help="only these steps (the others keep their saved results)")
    args = parser.parse_args()
    if args.table:
        print(table(json.loads((WORK / "results.json").read_text())))
        return
    run(args.sizes, args.cap, args.build_cap, args.setup_cap, not args.no_naive,
        set(args.steps) if args.steps else None, ours=not args.no_ours)


if __name__ == "__main__":
    main()
