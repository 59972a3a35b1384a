"""A small deterministic TriG writer for generated files (terms given as Turtle text).

Subjects, predicates and objects keep the order they were added in, so a generator
decides the layout; the same calls give the same bytes.

>>> w = TrigWriter()
>>> w.add("graph:g", "event:e", "schema:name", lit("Seminar"))
>>> print(w.render(["schema", "event", "graph"]).splitlines()[-3])
    event:e schema:name "Seminar"@en .
"""

from __future__ import annotations

from .namespaces import PREFIXES

__all__ = ["TrigWriter", "lit", "plain", "typed"]


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )


def lit(text: str, lang: str = "en") -> str:
    """A language-tagged string."""
    return f'"{_escape(text)}"@{lang}'


def plain(text: str) -> str:
    """An ``xsd:string`` literal."""
    return f'"{_escape(text)}"'


def typed(value: object, datatype: str) -> str:
    """A typed literal, e.g. ``typed("2016-10-06", "xsd:date")``; integers written bare."""
    if datatype == "xsd:integer":
        return str(int(value))  # type: ignore[call-overload]
    return f'"{_escape(str(value))}"^^{datatype}'


class TrigWriter:
    """Named graphs of triples, in insertion order, without duplicates."""

    def __init__(self) -> None:
        self.graphs: dict[str, dict[str, dict[str, list[str]]]] = {}
        self.comments: dict[str, str] = {}

    def add(self, graph: str, s: str, p: str, o: str) -> None:
        objects = self.graphs.setdefault(graph, {}).setdefault(s, {}).setdefault(p, [])
        if o not in objects:
            objects.append(o)

    def remove(self, graph: str, s: str, p: str, o: str | None = None) -> None:
        """Drop ``s p o`` (every object when ``o`` is None) from ``graph``."""
        preds = self.graphs.get(graph, {}).get(s, {})
        if p in preds:
            preds[p] = [] if o is None else [x for x in preds[p] if x != o]
            if not preds[p]:
                del preds[p]

    def find(self, p: str, o: str | None = None) -> list[tuple[str, str, str]]:
        """``(graph, subject, object)`` of every triple with predicate ``p`` (and object ``o``)."""
        return [
            (g, s, x)
            for g, subjects in self.graphs.items()
            for s, preds in subjects.items()
            for x in preds.get(p, [])
            if o is None or x == o
        ]

    def render(self, prefixes: list[str], header: str = "") -> str:
        lines = [f"# {line}".rstrip() for line in header.splitlines()]
        if lines:
            lines.append("")
        lines += [f"@prefix {p}: <{PREFIXES[p]}> ." for p in prefixes]
        for graph, subjects in self.graphs.items():
            lines.append("")
            if graph in self.comments:
                lines += [f"# {c}".rstrip() for c in self.comments[graph].splitlines()]
            lines.append(f"{graph} {{")
            for s, preds in subjects.items():
                if not preds:
                    continue
                parts = []
                for p, objs in preds.items():
                    parts.append(("a" if p == "rdf:type" else p) + " " + " , ".join(objs))
                lines.append("")
                lines.append(f"    {s} " + " ;\n        ".join(parts) + " .")
            lines.append("}")
        return "\n".join(lines) + "\n"
