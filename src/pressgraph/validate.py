"""SHACL validation of the dataset: pySHACL underneath, a report object on top.

Non-conformance is a result (:class:`ValidationReport`), not an exception. The
report counts as conforming when it has no result of severity Violation:
Warnings (recommended but missing) and Infos (not yet linked) do not fail it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from pyshacl.errors import ReportableRuntimeError, ValidationFailure
from rdflib import Graph, URIRef
from rdflib.term import Node

from .errors import DataError
from .namespaces import PREFIXES, RDF, SH, curie
from .rdfio import to_rdflib_dataset

__all__ = ["SEVERITIES", "Finding", "ValidationReport", "validate_quads"]

SEVERITIES = ("Violation", "Warning", "Info")
#: the graph the ontology is mixed into for validation (never part of a dump)
ONTOLOGY_MIX_GRAPH = "urn:x-pressgraph:validation-ontology"


@dataclass(frozen=True, order=True)
class Finding:
    """One validation result, in words a person can act on."""

    severity: str
    focus: str
    path: str | None
    value: str | None
    message: str
    shape: str
    component: str


@dataclass
class ValidationReport:
    """The outcome of validating a dataset against the shapes."""

    findings: list[Finding] = field(default_factory=list)
    graph: Graph | None = None

    @property
    def conforms(self) -> bool:
        return not any(f.severity == "Violation" for f in self.findings)

    def counts(self) -> dict[str, int]:
        """Number of findings per severity (every severity present, zero or not)."""
        counts = dict.fromkeys(SEVERITIES, 0)
        for f in self.findings:
            counts[f.severity] = counts.get(f.severity, 0) + 1
        return counts

    def by_focus(self) -> dict[str, list[Finding]]:
        """Findings grouped by focus node, most severe first inside each group."""
        groups: dict[str, list[Finding]] = defaultdict(list)
        for f in sorted(self.findings, key=_order):
            groups[f.focus].append(f)
        return dict(sorted(groups.items(), key=lambda kv: (_order(kv[1][0])[0], kv[0])))

    def as_text(self) -> str:
        """A readable report: a summary line, then findings grouped by focus node."""
        c = self.counts()
        head = "Conforms" if self.conforms else "Does NOT conform"
        lines = [
            f"{head}: {c['Violation']} violation(s), {c['Warning']} warning(s), {c['Info']} info(s)"
        ]
        for focus, findings in self.by_focus().items():
            lines.append("")
            lines.append(_short(focus))
            for f in findings:
                where = f" [{_short(f.path)}]" if f.path else ""
                value = f" (value: {_short(f.value)})" if f.value else ""
                lines.append(f"  {f.severity.upper():9} {f.message}{where}{value}")
                lines.append(f"  {'':9} shape {_short(f.shape)}")
        return "\n".join(lines) + "\n"

    def as_json(self) -> str:
        """The report as JSON: conforms, counts and the findings grouped by focus node."""
        doc = {
            "conforms": self.conforms,
            "counts": self.counts(),
            "focusNodes": [
                {"focus": focus, "results": [asdict(f) for f in findings]}
                for focus, findings in self.by_focus().items()
            ],
        }
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"

    def as_turtle(self) -> str:
        """The SHACL validation report graph in Turtle."""
        g = self.graph if self.graph is not None else Graph()
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns, override=True)
        return g.serialize(format="turtle")


def _order(f: Finding) -> tuple[int, str, str, str]:
    return (SEVERITIES.index(f.severity), f.focus, f.path or "", f.message)


def _short(value: str | None) -> str:
    return curie(value) if value else ""


def validate_quads(
    quads: Iterable[ox.Quad],
    shapes: Graph,
    ontology: Graph,
    focus_nodes: list[str] | None = None,
) -> ValidationReport:
    """Validate ``quads`` (their union) against ``shapes``, with ``ontology`` mixed in.

    No inference is run: the class hierarchy the shapes need is given explicitly
    in the ontology (decision 0003), which keeps validation fast. The ontology is
    added to the data as one more graph rather than given as pySHACL's
    ``ont_graph``: pySHACL copies named individuals (the SKOS concepts) from an
    ``ont_graph`` recursively, which took 40 s on the seed instead of 2 s.
    """
    data = to_rdflib_dataset(quads)
    mixed = data.graph(URIRef(ONTOLOGY_MIX_GRAPH))
    for triple in ontology:
        mixed.add(triple)
    try:
        _conforms, report_graph, _text = shacl_validate(
            data,
            shacl_graph=shapes,
            ont_graph=None,
            inference="none",
            advanced=True,
            allow_warnings=True,
            allow_infos=True,
            focus_nodes=[URIRef(f) for f in focus_nodes] if focus_nodes else None,
        )
    except (ReportableRuntimeError, ValidationFailure) as exc:
        raise DataError(f"the shapes could not be applied: {exc}") from exc
    return report_from_graph(report_graph)


def path_text(graph: Graph, path: Node) -> str:
    """A SHACL property path as text: the IRI of a predicate, SPARQL syntax for a complex path.

    Blank-node paths get the same text in every report (their node ids do not).
    """
    if isinstance(path, URIRef):
        return str(path)
    items = list(graph.items(path))
    if items:
        return "(" + " / ".join(_path_part(graph, i) for i in items) + ")"
    for pred, fmt in (
        (SH.inversePath, "^{}"),
        (SH.zeroOrMorePath, "{}*"),
        (SH.oneOrMorePath, "{}+"),
        (SH.zeroOrOnePath, "{}?"),
    ):
        inner = graph.value(path, pred)
        if inner is not None:
            return fmt.format(_path_part(graph, inner))
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + " | ".join(_path_part(graph, i) for i in graph.items(alternatives)) + ")"
    return str(path)


def _path_part(graph: Graph, node: Node) -> str:
    return f"<{node}>" if isinstance(node, URIRef) else path_text(graph, node)


def report_from_graph(report_graph: Graph) -> ValidationReport:
    """A :class:`ValidationReport` read from a SHACL report graph."""
    findings = []
    for result in report_graph.subjects(RDF.type, SH.ValidationResult):

        def one(pred: URIRef, result: Node = result) -> str | None:
            value = report_graph.value(result, pred)
            return None if value is None else str(value)

        severity = (one(SH.resultSeverity) or str(SH.Violation)).rsplit("#", 1)[-1]
        path_node = report_graph.value(result, SH.resultPath)
        messages = sorted(str(m) for m in report_graph.objects(result, SH.resultMessage))
        findings.append(
            Finding(
                severity=severity,
                focus=one(SH.focusNode) or "",
                path=None if path_node is None else path_text(report_graph, path_node),
                value=one(SH.value),
                message=messages[0] if messages else "(no message)",
                shape=one(SH.sourceShape) or "",
                component=(one(SH.sourceConstraintComponent) or "").rsplit("#", 1)[-1],
            )
        )
    return ValidationReport(sorted(set(findings), key=_order), report_graph)
