"""Text spans: which exact words of an announcement support which claim graph.

An announcement folder holds the source text (``announcement.txt``), the claims
(``claims.trig``, one named graph per sentence or clause) and ``spans.toml``,
which says for each claim graph which words of the text support it and who
asserts it. This module finds those words in the text, computes their offsets
and writes the provenance graph ``graph:<slug>-provenance`` to
``provenance.trig``::

    graph:<slug>-s02 a pg:ClaimGraph ;
        prov:wasDerivedFrom span:<slug>-s02 ;      # an oa:SpecificResource
        prov:wasAttributedTo orgs:osce ;           # the publisher or the person quoted
        prov:wasGeneratedBy activity:<...> .
    span:<slug>-s02 oa:hasSource article:<slug> ;
        oa:hasSelector span:<slug>-s02-tq ,        # oa:TextQuoteSelector: exact, prefix, suffix
            span:<slug>-s02-tp .                   # oa:TextPositionSelector: start, end

Offsets count Unicode code points (Python ``str`` indices), 0-based, end
exclusive, against the whole text (headline line included). Nobody writes them
by hand: they are computed here, and the output is byte-for-byte deterministic.

>>> spans = compute_spans("He said “yes”.", [Claim("s01", "“yes”", "orgs:osce")])
>>> (spans[0].start, spans[0].end, spans[0].prefix, spans[0].suffix)
(8, 13, 'He said ', '.')

Run as ``python -m pressgraph.spans data/announcements/<slug>``.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Literal, URIRef
from rdflib.term import Node

from .errors import DataError, PressgraphError
from .namespaces import GRAPH, ID, OA, PG, PREFIXES, PROV, RDF, RDFS, XSD

__all__ = [
    "AFFIX_LENGTH",
    "PROVENANCE_FILE",
    "SPANS_FILE",
    "TEXT_FILE",
    "Claim",
    "ClaimsFile",
    "Span",
    "compute_spans",
    "expand_iri",
    "load_claims",
    "main",
    "provenance_dataset",
    "provenance_graph_iri",
    "read_text",
    "render_provenance",
    "render_trig",
    "write_provenance",
]

TEXT_FILE = "announcement.txt"
SPANS_FILE = "spans.toml"
PROVENANCE_FILE = "provenance.trig"

#: at most this many characters of context in oa:prefix / oa:suffix
AFFIX_LENGTH = 32

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_GRAPH_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_CURIE = re.compile(r"^([A-Za-z][\w-]*):(.*)$")
_ABSOLUTE = re.compile(r"^(https?|urn):\S+$")
_LOCAL_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


@dataclass(frozen=True)
class Claim:
    """One entry of ``spans.toml``: a claim graph and the words that support it.

    ``graph`` is the local suffix (``"s07a"`` for ``graph:<slug>-s07a``),
    ``attributed_to`` an IRI or a CURIE with a project prefix, ``occurrence`` the
    1-based occurrence of ``exact`` when the words occur more than once, ``line``
    the line of the entry's ``exact`` in ``spans.toml`` (for error messages).
    """

    graph: str
    exact: str
    attributed_to: str
    occurrence: int | None = None
    line: int | None = None


@dataclass(frozen=True)
class ClaimsFile:
    """The parsed ``spans.toml`` of one announcement, IRIs expanded."""

    slug: str
    article: str
    publisher: str
    activity: str
    activity_label: str
    claims: tuple[Claim, ...]
    path: Path | None = None


@dataclass(frozen=True)
class Span:
    """Where a claim's words are in the text: ``text[start:end] == exact``."""

    graph: str
    exact: str
    start: int
    end: int
    prefix: str
    suffix: str
    attributed_to: str


# --------------------------------------------------------------------------- reading


def expand_iri(value: str, *, path: Path | None = None, line: int | None = None) -> str:
    """A CURIE with a project prefix (``orgs:osce``) or an absolute IRI, as a full IRI.

    >>> expand_iri("orgs:osce")
    'https://data.example.org/id/org/osce'
    """
    match = _CURIE.match(value)
    if match and match.group(1) in PREFIXES:
        return PREFIXES[match.group(1)] + match.group(2)
    if _ABSOLUTE.match(value):
        return value
    raise DataError(f"not an IRI or a CURIE with a known prefix: {value!r}", path, line)


def read_text(path: Path) -> str:
    """The exact text of a UTF-8 file: no newline translation, no normalisation."""
    try:
        return path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise DataError(f"cannot read: {exc.strerror or exc}", path) from exc
    except UnicodeDecodeError as exc:
        raise DataError(f"not UTF-8 at byte {exc.start}", path) from exc


def _string(table: dict[str, object], key: str, path: Path, line: int | None) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value:
        raise DataError(f"{key!r} must be a non-empty string", path, line)
    return value


def _claim_lines(source: str) -> list[int]:
    """For each ``[[claim]]`` table, the line of its ``exact`` key (else of its header)."""
    found: list[int] = []
    in_claim = False
    for number, text in enumerate(source.splitlines(), 1):
        stripped = text.strip()
        if stripped == "[[claim]]":
            found.append(number)
            in_claim = True
        elif stripped.startswith("["):
            in_claim = False
        elif in_claim and re.match(r"exact\s*=", stripped):
            found[-1] = number
            in_claim = False
    return found


def load_claims(path: Path) -> ClaimsFile:
    """Parse ``spans.toml`` (or the announcement folder holding it).

    The folder name is the announcement's slug. Raises :class:`DataError` naming
    the file (and line where known) for bad TOML, missing keys, unknown prefixes
    and duplicate graphs.
    """
    path = Path(path)
    if path.is_dir():
        path = path / SPANS_FILE
    slug = path.parent.name
    if not _SLUG.match(slug):
        raise DataError(f"folder name {slug!r} is not a slug (a-z, 0-9, '-')", path.parent)
    source = read_text(path)
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        where = _TOML_POSITION.search(str(exc))
        line, column = (int(where.group(1)), int(where.group(2))) if where else (None, None)
        raise DataError(f"invalid TOML: {exc}", path, line, column) from exc

    entries = data.get("claim")
    if not isinstance(entries, list) or not entries:
        raise DataError("no [[claim]] entries", path)
    lines = _claim_lines(source)
    claims: list[Claim] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        line = lines[index] if index < len(lines) else None
        if not isinstance(entry, dict):
            raise DataError("a [[claim]] entry must be a table", path, line)
        unknown = sorted(set(entry) - {"graph", "exact", "occurrence", "attributed_to"})
        if unknown:
            raise DataError(f"unknown keys in [[claim]]: {', '.join(unknown)}", path, line)
        graph = _string(entry, "graph", path, line)
        if not _GRAPH_ID.match(graph):
            raise DataError(f"graph {graph!r} is not a local name like 's07a'", path, line)
        if graph in seen:
            raise DataError(f"graph {graph!r} appears twice", path, line)
        seen.add(graph)
        occurrence = entry.get("occurrence")
        if occurrence is not None and (
            not isinstance(occurrence, int) or isinstance(occurrence, bool) or occurrence < 1
        ):
            raise DataError(f"graph {graph!r}: occurrence must be an integer >= 1", path, line)
        claims.append(
            Claim(
                graph=graph,
                exact=_string(entry, "exact", path, line),
                attributed_to=expand_iri(
                    _string(entry, "attributed_to", path, line), path=path, line=line
                ),
                occurrence=occurrence,
                line=line,
            )
        )
    return ClaimsFile(
        slug=slug,
        article=expand_iri(_string(data, "article", path, None), path=path),
        publisher=expand_iri(_string(data, "publisher", path, None), path=path),
        activity=expand_iri(_string(data, "activity", path, None), path=path),
        activity_label=_string(data, "activity_label", path, None),
        claims=tuple(claims),
        path=path,
    )


# --------------------------------------------------------------------------- spans


def _occurrences(text: str, words: str) -> list[int]:
    found: list[int] = []
    start = text.find(words)
    while start != -1:
        found.append(start)
        start = text.find(words, start + 1)
    return found


def compute_spans(text: str, claims: Sequence[Claim], *, source: Path | None = None) -> list[Span]:
    """Locate each claim's exact words in ``text``; pure, in the order of ``claims``.

    Raises :class:`DataError` (naming ``source`` and the words) when the words are
    missing, or occur more than once and no ``occurrence`` says which.

    >>> [(s.start, s.end) for s in compute_spans("a b a", [Claim("x", "a", "orgs:osce", 2)])]
    [(4, 5)]
    """
    spans: list[Span] = []
    for claim in claims:
        if not claim.exact:
            raise DataError(f"graph {claim.graph!r}: empty exact", source, claim.line)
        found = _occurrences(text, claim.exact)
        if not found:
            raise DataError(
                f"graph {claim.graph!r}: words not found in the text: {claim.exact!r}",
                source,
                claim.line,
            )
        if claim.occurrence is None:
            if len(found) > 1:
                raise DataError(
                    f"graph {claim.graph!r}: words occur {len(found)} times, say which with "
                    f"occurrence = 1..{len(found)}: {claim.exact!r}",
                    source,
                    claim.line,
                )
            start = found[0]
        elif claim.occurrence > len(found):
            raise DataError(
                f"graph {claim.graph!r}: occurrence {claim.occurrence} asked, but the words "
                f"occur {len(found)} time(s): {claim.exact!r}",
                source,
                claim.line,
            )
        else:
            start = found[claim.occurrence - 1]
        end = start + len(claim.exact)
        spans.append(
            Span(
                graph=claim.graph,
                exact=claim.exact,
                start=start,
                end=end,
                prefix=text[max(0, start - AFFIX_LENGTH) : start],
                suffix=text[end : end + AFFIX_LENGTH],
                attributed_to=claim.attributed_to,
            )
        )
    return spans


# --------------------------------------------------------------------------- provenance

Triple = tuple[URIRef, URIRef, Node]


def provenance_graph_iri(slug: str) -> URIRef:
    """``graph:<slug>-provenance``."""
    return GRAPH[f"{slug}-provenance"]


def _triples(claims: ClaimsFile, spans: Sequence[Span]) -> list[Triple]:
    slug = claims.slug
    article = URIRef(claims.article)
    activity = URIRef(claims.activity)
    article_graph = GRAPH[f"{slug}-article"]
    out: list[Triple] = [
        (activity, RDF.type, PROV.Activity),
        (activity, RDFS.label, Literal(claims.activity_label, lang="en")),
        (activity, PROV.used, article),
        (article_graph, RDF.type, PROV.Entity),
        (article_graph, RDFS.label, Literal(f"Article metadata of {slug}", lang="en")),
        (article_graph, PROV.wasGeneratedBy, activity),
    ]
    for span in spans:
        graph = GRAPH[f"{slug}-{span.graph}"]
        node = ID[f"span/{slug}-{span.graph}"]
        quote = ID[f"span/{slug}-{span.graph}-tq"]
        position = ID[f"span/{slug}-{span.graph}-tp"]
        out += [
            (graph, RDF.type, PG.ClaimGraph),
            (graph, RDFS.label, Literal(f"Claims of {slug}, {span.graph}", lang="en")),
            (graph, PROV.wasDerivedFrom, node),
            (graph, PROV.wasAttributedTo, URIRef(span.attributed_to)),
            (graph, PROV.wasGeneratedBy, activity),
            (node, RDF.type, OA.SpecificResource),
            (node, OA.hasSource, article),
            (node, OA.hasSelector, quote),
            (node, OA.hasSelector, position),
            (quote, RDF.type, OA.TextQuoteSelector),
            (quote, OA.exact, Literal(span.exact)),
            (position, RDF.type, OA.TextPositionSelector),
            (position, OA.start, Literal(str(span.start), datatype=XSD.nonNegativeInteger)),
            (position, OA.end, Literal(str(span.end), datatype=XSD.nonNegativeInteger)),
        ]
        if span.prefix:
            out.append((quote, OA.prefix, Literal(span.prefix)))
        if span.suffix:
            out.append((quote, OA.suffix, Literal(span.suffix)))
    return out


def provenance_dataset(claims: ClaimsFile, spans: Sequence[Span]) -> Dataset:
    """The provenance graph of one announcement, as an rdflib ``Dataset``."""
    dataset = Dataset()
    graph = dataset.graph(provenance_graph_iri(claims.slug))
    for triple in _triples(claims, spans):
        graph.add(triple)
    return dataset


# --------------------------------------------------------------------------- TriG


def _compact(iri: str) -> str | None:
    best: tuple[str, str] | None = None
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and (best is None or len(namespace) > len(best[1])):
            best = (prefix, namespace)
    if best is None:
        return None
    local = iri[len(best[1]) :]
    return f"{best[0]}:{local}" if _LOCAL_NAME.match(local) else None


def _escape(text: str) -> str:
    out = []
    for char in text:
        if char == "\\":
            out.append("\\\\")
        elif char == '"':
            out.append('\\"')
        elif char == "\n":
            out.append("\\n")
        elif char == "\r":
            out.append("\\r")
        elif char == "\t":
            out.append("\\t")
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return "".join(out)


def _term(node: Node) -> str:
    if isinstance(node, URIRef):
        if node == RDF.type:
            return "a"
        return _compact(str(node)) or f"<{node}>"
    if isinstance(node, Literal):
        text = f'"{_escape(str(node))}"'
        if node.language:
            return f"{text}@{node.language}"
        if node.datatype is not None and node.datatype != XSD.string:
            return f"{text}^^{_term(URIRef(node.datatype))}"
        return text
    raise ValueError(f"cannot write {node!r}: only IRIs and literals (no blank nodes)")


def _sort_key(node: Node) -> tuple[int, str]:
    if isinstance(node, Literal):
        return (1, f"{node}\x00{node.language or ''}\x00{node.datatype or ''}")
    return (0, str(node))


def _used_prefixes(triples: Sequence[Triple], graph: URIRef) -> list[str]:
    iris = {str(graph)}
    for triple in triples:
        for node in triple:
            if isinstance(node, URIRef) and node != RDF.type:
                iris.add(str(node))
            elif isinstance(node, Literal) and node.datatype not in (None, XSD.string):
                iris.add(str(node.datatype))
    used = {curie.split(":", 1)[0] for iri in iris if (curie := _compact(iri))}
    return [prefix for prefix in PREFIXES if prefix in used]


#: predicates written first, in this order (the rest follow sorted by IRI)
_FIRST_PREDICATES: tuple[URIRef, ...] = (RDF.type, RDFS.label, OA.start, OA.end, OA.exact)


def _predicate_key(predicate: Node) -> tuple[int, tuple[int, str]]:
    rank = _FIRST_PREDICATES.index(predicate) if predicate in _FIRST_PREDICATES else 99
    return (rank, _sort_key(predicate))


def render_trig(graph: URIRef, triples: Iterable[Triple], header: str = "") -> str:
    """One named graph as TriG, deterministically: the same triples give the same bytes.

    Prefixes are those of :data:`pressgraph.namespaces.PREFIXES` that are used, in
    that order; subjects, predicates (``a`` and a few others first) and objects are sorted.
    """
    unique = sorted(set(triples), key=lambda t: (_sort_key(t[0]), _sort_key(t[1]), _sort_key(t[2])))
    by_subject: dict[Node, dict[Node, list[Node]]] = {}
    for subject, predicate, obj in unique:
        by_subject.setdefault(subject, {}).setdefault(predicate, []).append(obj)
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    if lines:
        lines.append("")
    lines += [f"@prefix {p}: <{PREFIXES[p]}> ." for p in _used_prefixes(unique, graph)]
    lines += ["", f"{_term(graph)} {{"]
    for subject, predicates in by_subject.items():
        ordered = sorted(predicates, key=_predicate_key)
        parts = []
        for predicate in ordered:
            objects = [_term(o) for o in sorted(predicates[predicate], key=_sort_key)]
            parts.append(f"{_term(predicate)} " + " ,\n            ".join(objects))
        lines.append("")
        lines.append(f"    {_term(subject)} " + " ;\n        ".join(parts) + " .")
    lines += ["}", ""]
    return "\n".join(lines)


# --------------------------------------------------------------------------- files


def render_provenance(announcement_dir: Path) -> str:
    """The text ``provenance.trig`` of an announcement folder must have."""
    announcement_dir = Path(announcement_dir)
    claims = load_claims(announcement_dir / SPANS_FILE)
    text = read_text(announcement_dir / TEXT_FILE)
    spans = compute_spans(text, claims.claims, source=claims.path)
    header = (
        f"GENERATED by `python -m pressgraph.spans` from {SPANS_FILE} and {TEXT_FILE}:\n"
        "do not edit; edit spans.toml and regenerate. Offsets are 0-based Unicode\n"
        "code points into the whole text, end exclusive."
    )
    return render_trig(provenance_graph_iri(claims.slug), _triples(claims, spans), header)


def write_provenance(announcement_dir: Path) -> Path:
    """Write ``provenance.trig`` into the announcement folder; return its path."""
    target = Path(announcement_dir) / PROVENANCE_FILE
    content = render_provenance(Path(announcement_dir))
    target.write_bytes(content.encode("utf-8"))
    return target


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m pressgraph.spans FOLDER...``; 0 written, 2 error."""
    parser = argparse.ArgumentParser(
        prog="python -m pressgraph.spans",
        description="Compute text spans and write provenance.trig for announcement folders.",
    )
    parser.add_argument("folders", nargs="+", type=Path, help="data/announcements/<slug>")
    args = parser.parse_args(argv)
    try:
        for folder in args.folders:
            print(write_provenance(folder))
    except PressgraphError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
