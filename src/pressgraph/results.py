"""Writing query results: SPARQL JSON, XML, CSV, TSV and a text table; RDF for graph results.

Pure functions from a :class:`~pressgraph.sparql.QueryResult` to bytes, shared by
the CLI and the server. Formats follow the W3C SPARQL 1.1 result specifications.
"""

from __future__ import annotations

import csv
import io
import json
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from .errors import ExportError
from .namespaces import PREFIXES, curie
from .sparql import QueryResult, Term

__all__ = [
    "GRAPH_FORMATS",
    "MEDIA_TYPES",
    "TABULAR_FORMATS",
    "render",
]

TABULAR_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("turtle", "ntriples", "jsonld", "rdfxml")

MEDIA_TYPES: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "table": "text/plain; charset=utf-8",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}

_RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def render(result: QueryResult, fmt: str) -> bytes:
    """``result`` in format ``fmt``; :class:`ExportError` when the format does not fit."""
    if result.kind == "graph":
        if fmt not in _RDF_FORMATS:
            raise ExportError(
                f"format {fmt!r} is for SELECT/ASK; a CONSTRUCT/DESCRIBE result can be "
                f"{', '.join(GRAPH_FORMATS)}"
            )
        return _graph(result.triples, fmt)
    writer = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv, "table": _table}.get(fmt)
    if writer is None:
        raise ExportError(
            f"format {fmt!r} is for CONSTRUCT/DESCRIBE; a SELECT/ASK result can be "
            f"{', '.join(TABULAR_FORMATS)}"
        )
    return writer(result)


def _graph(triples: list[ox.Triple], fmt: str) -> bytes:
    ordered = sorted(set(triples), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    prefixes = dict(PREFIXES) if fmt == "turtle" else None
    return ox.serialize(ordered, format=_RDF_FORMATS[fmt], prefixes=prefixes)  # type: ignore[arg-type]


def _json_term(term: Term) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != _XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


def _json(result: QueryResult) -> bytes:
    if result.kind == "ask":
        doc: dict[str, object] = {"head": {}, "boolean": result.boolean}
    else:
        bindings = [
            {v: _json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
            for row in result.rows
        ]
        doc = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode()


def _xml(result: QueryResult) -> bytes:
    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if result.kind == "ask":
        out += ["  <head/>", f"  <boolean>{str(result.boolean).lower()}</boolean>"]
    else:
        out.append("  <head>")
        out += [f"    <variable name={quoteattr(v)}/>" for v in result.variables]
        out += ["  </head>", "  <results>"]
        for row in result.rows:
            out.append("    <result>")
            for v, t in zip(result.variables, row, strict=True):
                if t is not None:
                    out.append(f"      <binding name={quoteattr(v)}>{_xml_term(t)}</binding>")
            out.append("    </result>")
        out.append("  </results>")
    out.append("</sparql>")
    return ("\n".join(out) + "\n").encode()


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        return f'<literal xml:lang="{escape(term.language)}">{escape(term.value)}</literal>'
    if term.datatype.value != _XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def _csv(result: QueryResult) -> bytes:
    """SPARQL 1.1 CSV: lexical values only, CRLF line ends."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if result.kind == "ask":
        w.writerow(["_askResult"])
        w.writerow([str(result.boolean).lower()])
    else:
        w.writerow(result.variables)
        for row in result.rows:
            w.writerow(["" if t is None else _csv_value(t) for t in row])
    return buf.getvalue().encode()


def _csv_value(term: Term) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def _tsv(result: QueryResult) -> bytes:
    """SPARQL 1.1 TSV: terms in Turtle syntax."""
    if result.kind == "ask":
        return f"?_askResult\n{str(result.boolean).lower()}\n".encode()
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join("" if t is None else _tsv_term(t) for t in row) for row in result.rows]
    return ("\n".join(lines) + "\n").encode()


def _tsv_term(term: Term) -> str:
    if isinstance(term, ox.Literal) and not term.language:
        dt = term.datatype.value
        if dt == _XSD_STRING:
            return str(ox.Literal(term.value))
    return str(term)


def _short(term: Term | None) -> str:
    """A term for people: prefixed names where a prefix fits, plain text for literals."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        short = curie(term.value)
        return short if short != term.value else f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value + (f"@{term.language}" if term.language else "")


def _table(result: QueryResult) -> bytes:
    """A plain-text table with aligned columns, for people at a terminal."""
    if result.kind == "ask":
        return f"{str(result.boolean).lower()}\n".encode()
    cells = [[_short(t).replace("\n", " ") for t in row] for row in result.rows]
    widths = [
        min(60, max([len(v)] + [len(r[i]) for r in cells])) for i, v in enumerate(result.variables)
    ]

    def line(values: list[str]) -> str:
        return "  ".join(_clip(v, w).ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

    out = [line(result.variables), line(["-" * w for w in widths])]
    out += [line(r) for r in cells]
    n = len(result.rows)
    out.append(f"({n} row{'s' if n != 1 else ''}{', truncated' if result.truncated else ''})")
    return ("\n".join(out) + "\n").encode()


def _clip(value: str, width: int) -> str:
    return value if len(value) <= width else value[: width - 1] + "…"
