"""Canned queries: ``queries/NAME.rq`` files with a grlc-style ``#+`` YAML header.

::

    #+ summary: Where and when the seminars took place
    #+ description: ...
    #+ tags: [events, places]
    #+ params:
    #+   - name: city
    #+     type: iri
    #+     description: only events in this place
    #+     default: null          # optional parameter (unbound when absent)
    #+     example: place:shymkent

A parameter binds the query variable of the same name (``?city``) as an RDF
term: it is substituted by the engine (SEP-0007 substitution in pyoxigraph, a
``VALUES`` block for remote endpoints), never pasted into the query text.
Loading a catalogue prepares every query, so a syntax error stops start-up
naming the file, line and column.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml

from .errors import ParameterError, QueryError, QueryNotFound
from .namespaces import PREFIXES

__all__ = [
    "PARAMETER_TYPES",
    "CannedQuery",
    "Catalogue",
    "Parameter",
    "parse_query_text",
    "syntax_error",
]

XSD = "http://www.w3.org/2001/XMLSchema#"
_HEADER = re.compile(r"^#\+ ?(.*)$")
_POSITION = re.compile(r"error at (\d+):(\d+): ?(.*)", re.S)
_EMPTY_STORE = ox.Store()


def _iri(value: str) -> ox.NamedNode:
    if ":" in value and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", value):
        prefix, _, local = value.partition(":")
        if prefix in PREFIXES:
            value = PREFIXES[prefix] + local
    if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]+$", value):
        raise ValueError("not an absolute IRI or known prefixed name")
    return ox.NamedNode(value)


def _langstring(value: str) -> ox.Literal:
    text, sep, lang = value.rpartition("@")
    if not sep or not re.fullmatch(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*", lang):
        raise ValueError("expected text@lang, e.g. Astana@en")
    return ox.Literal(text, language=lang.lower())


def _typed(datatype: str, check: Any) -> Any:
    def convert(value: str) -> ox.Literal:
        check(value)
        return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))

    return convert


def _boolean(value: str) -> ox.Literal:
    if value.lower() not in {"true", "false", "1", "0"}:
        raise ValueError("expected true or false")
    return ox.Literal(
        str(value.lower() in {"true", "1"}).lower(), datatype=ox.NamedNode(XSD + "boolean")
    )


def _decimal(value: str) -> None:
    try:
        Decimal(value)
    except InvalidOperation as exc:
        raise ValueError("expected a decimal number") from exc


#: parameter type -> (description, converter from text to an RDF term)
PARAMETER_TYPES: dict[str, tuple[str, Any]] = {
    "iri": ("an IRI or prefixed name (e.g. place:shymkent)", _iri),
    "string": ("a string", lambda v: ox.Literal(v)),
    "langstring": ("a language-tagged string (text@lang)", _langstring),
    "integer": ("an integer", _typed("integer", int)),
    "decimal": ("a decimal number", _typed("decimal", _decimal)),
    "date": ("a date (YYYY-MM-DD)", _typed("date", dt.date.fromisoformat)),
    "datetime": (
        "a date-time (YYYY-MM-DDThh:mm:ss)",
        _typed("dateTime", dt.datetime.fromisoformat),
    ),
    "boolean": ("true or false", _boolean),
}


@dataclass(frozen=True)
class Parameter:
    """One typed parameter of a canned query."""

    name: str
    type: str
    description: str = ""
    default: str | None = None
    example: str | None = None
    required: bool = True

    @property
    def type_description(self) -> str:
        return PARAMETER_TYPES[self.type][0]

    def convert(self, value: str) -> ox.NamedNode | ox.Literal:
        """The RDF term for a textual value; :class:`ParameterError` names the parameter."""
        try:
            return PARAMETER_TYPES[self.type][1](str(value))
        except (ValueError, TypeError) as exc:
            raise ParameterError(
                f"parameter {self.name!r} must be {self.type_description}; got {value!r} ({exc})",
                self.name,
            ) from exc


@dataclass(frozen=True)
class CannedQuery:
    """A prepared canned query and its metadata."""

    name: str
    path: Path
    text: str
    kind: str  # "select", "ask" or "graph" (CONSTRUCT/DESCRIBE)
    summary: str = ""
    description: str = ""
    tags: tuple[str, ...] = ()
    params: tuple[Parameter, ...] = ()
    header: Mapping[str, Any] = field(default_factory=dict)

    def bind(self, values: Mapping[str, Any]) -> dict[str, ox.NamedNode | ox.Literal]:
        """Typed bindings for ``values`` (text or terms); errors name the parameter and its type."""
        known = {p.name for p in self.params}
        unknown = sorted(set(values) - known)
        if unknown:
            expected = ", ".join(sorted(known)) or "none"
            raise ParameterError(
                f"query {self.name!r} has no parameter {unknown[0]!r} (parameters: {expected})",
                unknown[0],
            )
        bindings: dict[str, ox.NamedNode | ox.Literal] = {}
        for p in self.params:
            raw = values.get(p.name)
            if raw is None or raw == "":
                raw = p.default
            if raw is None:
                if p.required:
                    raise ParameterError(
                        f"query {self.name!r} needs parameter {p.name!r}: {p.type_description}"
                        + (f", e.g. {p.example}" if p.example else ""),
                        p.name,
                    )
                continue
            if isinstance(raw, ox.NamedNode | ox.Literal):
                bindings[p.name] = raw
            else:
                bindings[p.name] = p.convert(raw)
        return bindings


def parse_query_text(text: str, source: str) -> str:
    """Check ``text`` is valid SPARQL and return its kind; errors carry line and column."""
    try:
        result = _EMPTY_STORE.query(text)
    except SyntaxError as exc:
        raise syntax_error(exc, source, text) from exc
    if isinstance(result, ox.QueryBoolean):
        return "ask"
    if isinstance(result, ox.QueryTriples):
        return "graph"
    return "select"


def syntax_error(exc: SyntaxError, source: str, text: str = "") -> QueryError:
    """A :class:`QueryError` from a pyoxigraph syntax error, positioned on the offending token."""
    msg = exc.msg or str(exc)
    m = _POSITION.match(msg)
    if m:
        line, column = _token_position(text, int(m.group(1)), int(m.group(2)))
        return QueryError(f"SPARQL syntax error: {m.group(3)}", source, line, column)
    return QueryError(f"SPARQL syntax error: {msg}", source)


def _token_position(text: str, line: int, column: int) -> tuple[int, int]:
    """Move the parser's furthest position back from white space onto the offending token.

    pyoxigraph reports where parsing gave up, which is often just past the token
    that did not fit (or at the end of the text).
    """
    lines = text.split("\n")
    if not text or line > len(lines):
        return line, column
    offset = sum(len(x) + 1 for x in lines[: line - 1]) + column - 1
    if offset < len(text) and not text[offset].isspace():
        return line, column
    offset = min(offset, len(text)) - 1
    while offset > 0 and text[offset].isspace():
        offset -= 1
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _load_one(path: Path) -> CannedQuery:
    text = path.read_text(encoding="utf-8")
    header_lines = []
    for line in text.splitlines():
        m = _HEADER.match(line)
        if not m:
            break
        header_lines.append(m.group(1))
    try:
        header = yaml.safe_load("\n".join(header_lines)) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise QueryError(
            f"bad #+ header: {getattr(exc, 'problem', exc)}",
            path,
            mark.line + 1 if mark else None,
            mark.column + 1 if mark else None,
        ) from exc
    if not isinstance(header, dict):
        raise QueryError("the #+ header must be a YAML mapping", path, 1, 1)
    params = tuple(_parameter(path, p) for p in header.get("params") or ())
    kind = parse_query_text(text, str(path))
    _check_substitutable(text, path, params)
    tags = header.get("tags") or ()
    return CannedQuery(
        name=path.stem,
        path=path,
        text=text,
        kind=kind,
        summary=str(header.get("summary", "")),
        description=str(header.get("description", "")).strip(),
        tags=tuple(str(t) for t in ([tags] if isinstance(tags, str) else tags)),
        params=params,
        header=header,
    )


def _check_substitutable(text: str, path: Path, params: tuple[Parameter, ...]) -> None:
    """Substitution needs each parameter's variable in the top-level projection: check it now."""
    for p in params:
        sample = p.example or p.default
        if sample is None:
            continue
        try:
            _EMPTY_STORE.query(text, substitutions={ox.Variable(p.name): p.convert(sample)})
        except RuntimeError as exc:
            raise QueryError(
                f"parameter {p.name!r} cannot be bound: ?{p.name} must be a variable of the "
                f"query's top-level result (project it, or GROUP BY it) [{exc}]",
                path,
            ) from exc


def _parameter(path: Path, spec: Any) -> Parameter:
    if not isinstance(spec, dict) or "name" not in spec:
        raise QueryError(f"each entry of 'params' needs a name, got {spec!r}", path)
    ptype = str(spec.get("type", "string"))
    if ptype not in PARAMETER_TYPES:
        raise QueryError(
            f"parameter {spec['name']!r} has unknown type {ptype!r} "
            f"(known: {', '.join(PARAMETER_TYPES)})",
            path,
        )
    if spec.get("example") is None:
        raise QueryError(f"parameter {spec['name']!r} needs an example", path)
    default = spec.get("default")
    param = Parameter(
        name=str(spec["name"]),
        type=ptype,
        description=str(spec.get("description", "")),
        default=None if default is None else str(default),
        example=None if spec.get("example") is None else str(spec["example"]),
        required=bool(spec.get("required", "default" not in spec)),
    )
    for value in (param.default, param.example):
        if value is not None:
            try:
                param.convert(value)
            except ParameterError as exc:
                raise QueryError(f"bad default or example: {exc}", path) from exc
    return param


class Catalogue(Mapping[str, CannedQuery]):
    """The canned queries of a folder, by name, all prepared."""

    def __init__(self, queries: Mapping[str, CannedQuery]) -> None:
        self._queries = dict(sorted(queries.items()))

    @classmethod
    def load(cls, folder: Path) -> Catalogue:
        """Load and prepare every ``*.rq`` in ``folder`` (none if it does not exist)."""
        paths = sorted(folder.glob("*.rq")) if folder.is_dir() else []
        return cls({p.stem: _load_one(p) for p in paths})

    def __getitem__(self, name: str) -> CannedQuery:
        try:
            return self._queries[name]
        except KeyError:
            close = difflib.get_close_matches(name, self._queries, n=3, cutoff=0.5)
            raise QueryNotFound(name, close) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._queries)

    def __contains__(self, name: object) -> bool:
        # Mapping's default calls __getitem__, whose QueryNotFound is not a KeyError
        return name in self._queries

    def __len__(self) -> int:
        return len(self._queries)
