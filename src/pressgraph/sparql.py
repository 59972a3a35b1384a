"""Running SPARQL on the embedded store: policy checks, limits, typed results.

The default graph of an ad-hoc query is the union of all named graphs (like
Fuseki's ``unionDefaultGraph``), unless the query or the protocol names a
dataset (``FROM``, ``default-graph-uri``). Canned queries use explicit
``GRAPH`` patterns and so answer the same on any engine.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from .errors import QueryError, QueryRefused, QueryTimeout
from .namespaces import PREFIXES
from .queries import syntax_error

__all__ = ["QueryResult", "Term", "check_policy", "code_only", "run_query", "run_update"]

Term = ox.NamedNode | ox.BlankNode | ox.Literal

# strings, IRIs and comments are blanked out before keywords are looked for
_LEXEMES = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|#[^\n]*",
)
# a keyword, not a variable (?service), a prefixed name (ex:service) or a prefix (service:)
_FORBIDDEN_QUERY = re.compile(r"(?<![?$:\w.-])(SERVICE)(?![\w:.-])", re.I)
_FORBIDDEN_UPDATE = re.compile(r"(?<![?$:\w.-])(SERVICE|LOAD)(?![\w:.-])", re.I)
_DATASET_CLAUSE = re.compile(r"(?<![?$:\w.-])FROM(?![\w:.-])", re.I)


def code_only(text: str) -> str:
    """``text`` with string literals, IRIs and comments replaced by spaces."""
    return _LEXEMES.sub(lambda m: " " * len(m.group(0)), text)


def check_policy(text: str, update: bool = False) -> None:
    """Refuse federated ``SERVICE`` calls and (in updates) ``LOAD`` of remote data."""
    pattern = _FORBIDDEN_UPDATE if update else _FORBIDDEN_QUERY
    m = pattern.search(code_only(text))
    if m:
        word = m.group(1).upper()
        line = text.count("\n", 0, m.start()) + 1
        column = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        raise QueryRefused(
            f"{word} is not allowed: this server does not fetch remote data on a user's behalf",
            None,
            line,
            column,
        )


@dataclass
class QueryResult:
    """What a query returned: rows for SELECT, a boolean for ASK, triples for CONSTRUCT/DESCRIBE."""

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)
    #: True when the row limit cut the result
    truncated: bool = False

    def records(self) -> list[dict[str, Term]]:
        """Rows as ``{variable: term}`` with unbound variables left out."""
        return [
            {v: t for v, t in zip(self.variables, row, strict=True) if t is not None}
            for row in self.rows
        ]

    def values(self) -> list[dict[str, str]]:
        """Rows as ``{variable: lexical value}`` (IRIs and literals as plain strings)."""
        return [{k: t.value for k, t in r.items()} for r in self.records()]


def run_query(
    store: ox.Store,
    text: str,
    *,
    bindings: Mapping[str, Term] | None = None,
    source: str = "query",
    timeout: float = 10.0,
    max_rows: int = 10_000,
    union_default_graph: bool = True,
    default_graph: Sequence[ox.NamedNode] | None = None,
    named_graphs: Sequence[ox.NamedNode] | None = None,
    base_iri: str | None = None,
) -> QueryResult:
    """Evaluate a SPARQL query on ``store`` with typed ``bindings`` substituted.

    Stops with :class:`QueryTimeout` once ``timeout`` seconds have passed between
    rows, and keeps at most ``max_rows`` rows (``truncated`` says so). Relative
    IRIs in the query resolve against ``base_iri`` when given.
    """
    check_policy(text)
    kwargs: dict[str, object] = {"prefixes": dict(PREFIXES)}
    if base_iri is not None:
        kwargs["base_iri"] = base_iri
    if default_graph is not None:
        kwargs["default_graph"] = list(default_graph)
    elif union_default_graph and not _DATASET_CLAUSE.search(code_only(text)):
        # a FROM / FROM NAMED in the query names the dataset itself (the union would hide it)
        kwargs["use_default_graph_as_union"] = True
    if named_graphs is not None:
        kwargs["named_graphs"] = list(named_graphs)
    if bindings:
        kwargs["substitutions"] = {ox.Variable(k): v for k, v in bindings.items()}
    deadline = time.monotonic() + timeout
    try:
        result = store.query(text, **kwargs)  # type: ignore[arg-type]
        if isinstance(result, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(result))
        if isinstance(result, ox.QueryTriples):
            triples = []
            for triple in result:
                triples.append(triple)
                _check_deadline(deadline, timeout, source)
            return QueryResult("graph", triples=triples)
        variables = [v.value for v in result.variables]
        rows: list[tuple[Term | None, ...]] = []
        truncated = False
        for solution in result:
            if len(rows) >= max_rows:
                truncated = True
                break
            rows.append(tuple(solution[v] for v in variables))
            _check_deadline(deadline, timeout, source)
        return QueryResult("select", variables=variables, rows=rows, truncated=truncated)
    except SyntaxError as exc:
        raise syntax_error(exc, source, text) from exc
    except (OSError, RuntimeError) as exc:
        raise QueryError(f"query failed: {exc}", source) from exc


def _check_deadline(deadline: float, timeout: float, source: str) -> None:
    if time.monotonic() > deadline:
        raise QueryTimeout(f"query stopped after {timeout:g} s (time limit)", source)


def run_update(
    store: ox.Store, text: str, *, source: str = "update", base_iri: str | None = None
) -> None:
    """Apply a SPARQL Update to ``store`` (policy-checked: no LOAD, no SERVICE).

    Relative IRIs in the update resolve against ``base_iri`` when given.
    """
    check_policy(text, update=True)
    try:
        store.update(text, prefixes=dict(PREFIXES), base_iri=base_iri)
    except SyntaxError as exc:
        raise syntax_error(exc, source, text) from exc
    except OSError as exc:
        raise QueryError(f"update failed: {exc}", source) from exc
