"""Server benchmark: pressgraph serve vs oxigraph serve vs rdflib-endpoint, on the same data.

Not part of the test suite. For each server, for each workload (three canned queries
sent to /sparql with their example parameters bound in a VALUES block, and one
entity page), sends ``--requests`` requests from ``--concurrency`` client threads
over keep-alive connections, after a warm-up, and reports throughput and p50/p99
latency. Every server listens on 127.0.0.1 only.

    .venv/bin/python bench/bench_server.py                          # the project's data
    .venv/bin/python bench/bench_server.py --project /tmp/synth200  # a synthetic corpus

pressgraph runs twice: as configured (with its response cache, which answers a repeated
identical request from memory until the next write) and with ``PRESSGRAPH_RESPONSE_CACHE=0``,
which evaluates every request. oxigraph serve comes from the venv's ``oxigraph`` package.
rdflib-endpoint is run
from its own virtual environment (``--rdflib-venv``, default /tmp/pg-bench-venv,
made with ``python3 -m venv /tmp/pg-bench-venv && /tmp/pg-bench-venv/bin/pip install
'rdflib-endpoint[cli]'``): installing it into the project's venv would replace the
pinned Starlette with the one FastAPI wants.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from pressgraph.project import Project
from pressgraph.remote import bind_values, with_prefixes
from pressgraph.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
QUERIES = ("seminars", "places", "quotations")
ENTITY = "/id/event/osce-astana-2016-anti-trafficking-seminar-series"


@dataclass
class Workload:
    name: str
    method: str
    path: str
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Result:
    server: str
    workload: str
    ok: int
    errors: int
    seconds: float
    latencies: list[float]

    @property
    def throughput(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(port: int, path: str, process: subprocess.Popen[bytes], limit: float = 600) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server on port {port} exited with {process.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            if conn.getresponse().status < 500:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server on port {port} did not start")


def run_load(port: int, w: Workload, requests: int, concurrency: int, timeout: float) -> Result:
    """``requests`` requests from ``concurrency`` threads (bounded in count and time)."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    remaining = [requests]
    deadline = time.monotonic() + timeout

    def worker() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        while time.monotonic() < deadline:
            with lock:
                if remaining[0] <= 0:
                    break
                remaining[0] -= 1
            start = time.perf_counter()
            try:
                conn.request(w.method, w.path, body=w.body, headers=w.headers)
                response = conn.getresponse()
                response.read()
                good = response.status == 200
            except (OSError, http.client.HTTPException):
                good = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
            elapsed = time.perf_counter() - start
            with lock:
                if good:
                    latencies.append(elapsed)
                else:
                    errors += 1
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return Result("", w.name, len(latencies), errors, time.perf_counter() - started, latencies)


def workloads(project: Project, entity_for: Callable[[str], Workload]) -> list[Workload]:
    out = []
    for name in QUERIES:
        canned = project.queries[name]
        params = {p.name: p.example for p in canned.params if p.example is not None}
        text = with_prefixes(bind_values(canned.text, canned.bind(params)))
        out.append(
            Workload(
                f"query {name}",
                "POST",
                "/sparql",
                urllib.parse.urlencode({"query": text}).encode(),
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Accept": "application/sparql-results+json",
                },
            )
        )
    out.append(entity_for(project.settings.base_iri + ENTITY.lstrip("/")))
    return out


def describe_workload(iri: str) -> Workload:
    """The entity as the plain endpoints can give it: its statements, as Turtle."""
    text = (
        f"CONSTRUCT {{ <{iri}> ?p ?o . ?s ?q <{iri}> }} WHERE {{ "
        f"{{ GRAPH ?g {{ <{iri}> ?p ?o }} }} UNION {{ GRAPH ?h {{ ?s ?q <{iri}> }} }} }}"
    )
    return Workload(
        "entity (CONSTRUCT, Turtle)",
        "POST",
        "/sparql",
        urllib.parse.urlencode({"query": text}).encode(),
        {"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/turtle"},
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", type=Path, default=ROOT)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--timeout", type=float, default=120.0, help="per workload, seconds")
    parser.add_argument("--workers", type=int, default=2, help="pressgraph query workers")
    parser.add_argument("--rdflib-venv", type=Path, default=Path("/tmp/pg-bench-venv"))
    parser.add_argument("--skip", nargs="*", default=[], help="servers to leave out")
    args = parser.parse_args()

    project = Project.load(settings=Settings(root=args.project.resolve(), query_workers=0))
    work = Path(tempfile.mkdtemp(prefix="pg-bench-"))
    dump = work / "data.nq"
    dump.write_bytes(ox.serialize(list(project.quads()), format=ox.RdfFormat.N_QUADS) or b"")
    print(
        f"data: {args.project} ({len(project.store)} quads), "
        f"{args.requests} requests x {args.concurrency} threads per workload",
        flush=True,
    )

    servers: list[tuple[str, list[str], str, list[Workload]]] = []
    port = free_port()
    servers.append(
        (
            "pressgraph serve",
            [
                str(VENV_BIN / "pressgraph"),
                "-C",
                str(args.project),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(args.workers),
            ],
            "/health",
            [
                *workloads(project, describe_workload),
                Workload("entity page (HTML)", "GET", ENTITY, None, {"Accept": "text/html"}),
                Workload("entity (Turtle, /id/)", "GET", ENTITY, None, {"Accept": "text/turtle"}),
            ],
        )
    )
    port = free_port()
    servers.append(
        (
            "pressgraph serve (no cache)",
            [
                str(VENV_BIN / "pressgraph"),
                "-C",
                str(args.project),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(args.workers),
            ],
            "/health",
            servers[0][3],
        )
    )
    oxi_port = free_port()
    location = work / "oxigraph"
    subprocess.run(
        [str(VENV_BIN / "oxigraph"), "load", "--location", str(location), "--file", str(dump)],
        check=True,
        capture_output=True,
    )
    servers.append(
        (
            "oxigraph serve",
            [
                str(VENV_BIN / "oxigraph"),
                "serve-read-only",
                "--location",
                str(location),
                "--bind",
                f"127.0.0.1:{oxi_port}",
            ],
            "/query?query=ASK%7B%7D",
            workloads(project, describe_workload),
        )
    )
    rdflib_bin = args.rdflib_venv / "bin" / "rdflib-endpoint"
    if rdflib_bin.exists():
        rdf_port = free_port()
        servers.append(
            (
                "rdflib-endpoint",
                [
                    str(rdflib_bin),
                    "serve",
                    str(dump),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(rdf_port),
                ],
                "/?query=ASK%7B%7D",
                workloads(project, describe_workload),
            )
        )
    else:
        print(f"rdflib-endpoint not found at {rdflib_bin}: skipped", flush=True)

    results: list[Result] = []
    for name, command, ready, loads in servers:
        if name in args.skip:
            continue
        port = (
            int(command[command.index("--port") + 1])
            if "--port" in command
            else int(command[-1].rsplit(":", 1)[1])
        )
        env = {**os.environ, "PRESSGRAPH_WRITE_TOKEN": ""}
        if name.endswith("(no cache)"):
            env["PRESSGRAPH_RESPONSE_CACHE"] = "0"
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
        )
        try:
            wait_ready(port, ready, process)
            for w in loads:
                # each server's endpoint path: /sparql, oxigraph's /query, rdflib-endpoint's /
                path = {"oxigraph serve": "/query", "rdflib-endpoint": "/"}.get(name, w.path)
                w2 = Workload(w.name, w.method, path, w.body, w.headers)
                run_load(port, w2, min(20, args.requests), min(4, args.concurrency), args.timeout)
                result = run_load(port, w2, args.requests, args.concurrency, args.timeout)
                result.server = name
                results.append(result)
                print(
                    f"{name:18} {w.name:28} {result.throughput:8.1f} req/s  "
                    f"p50 {result.percentile(50):8.2f} ms  p99 {result.percentile(99):8.2f} ms  "
                    f"ok {result.ok} errors {result.errors}",
                    flush=True,
                )
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
    shutil.rmtree(work, ignore_errors=True)

    print("\n| server | workload | req/s | p50 ms | p99 ms | ok | errors |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        print(
            f"| {r.server} | {r.workload} | {r.throughput:.1f} | {r.percentile(50):.2f} | "
            f"{r.percentile(99):.2f} | {r.ok} | {r.errors} |"
        )
    by = {(r.server, r.workload): r for r in results}
    print("\n| pressgraph | workload | / oxigraph (throughput) | / rdflib-endpoint (throughput) |")
    print("| --- | --- | ---: | ---: |")
    for r in results:
        if not r.server.startswith("pressgraph serve"):
            continue
        oxi = by.get(("oxigraph serve", r.workload))
        rdf = by.get(("rdflib-endpoint", r.workload))
        ratio_oxi = f"{r.throughput / oxi.throughput:.2f}" if oxi and oxi.throughput else "-"
        ratio_rdf = f"{r.throughput / rdf.throughput:.1f}" if rdf and rdf.throughput else "-"
        print(f"| {r.server} | {r.workload} | {ratio_oxi} | {ratio_rdf} |")


if __name__ == "__main__":
    main()
