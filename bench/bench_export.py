"""Export speed, side by side in one run: pressgraph's writers against rdflib's serializers.

Usage (not part of the test suite)::

    .venv/bin/pressgraph synth --announcements 1000 --seed 1 -o /tmp/corpus-1000
    .venv/bin/python bench/bench_export.py /tmp/corpus-1000

Both sides start from the same parsed quads; parsing is not timed.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph

from pressgraph.export import export_quads
from pressgraph.project import load_data


def timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main(root: Path) -> None:
    quads = load_data(root / "data")
    context = root / "ontology" / "context.jsonld"
    nquads = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
    dataset = Dataset()
    dataset.parse(data=nquads, format="nquads")
    union = Graph()
    for s, p, o, _g in dataset.quads():
        union.add((s, p, o))
    rows = [
        (
            "JSON-LD (named graphs)",
            lambda: export_quads(quads, "jsonld", context_path=context),
            lambda: dataset.serialize(format="json-ld"),
        ),
        (
            "Turtle (union)",
            lambda: export_quads(quads, "turtle"),
            lambda: union.serialize(format="turtle"),
        ),
        (
            "N-Triples (union)",
            lambda: export_quads(quads, "ntriples"),
            lambda: union.serialize(format="nt"),
        ),
        ("TriG", lambda: export_quads(quads, "trig"), lambda: dataset.serialize(format="trig")),
    ]
    print(f"{len(quads)} quads from {root}")
    print("| export | pressgraph | rdflib | rdflib / pressgraph |")
    print("| --- | ---: | ---: | ---: |")
    for name, ours, theirs in rows:
        a, b = timed(ours), timed(theirs)
        print(f"| {name} | {a:.2f} s | {b:.2f} s | {b / a:.1f}x |")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
