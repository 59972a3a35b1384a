"""The one exception tree of pressgraph.

Every error a user can cause is a :class:`PressgraphError`; errors from rdflib,
pySHACL, pyoxigraph, pyparsing and SPARQLWrapper are mapped onto it at the
boundary (``raise ... from exc``), so adapters (CLI, server) catch one root.

::

    PressgraphError
    ├── ConfigError          bad setting or project layout
    ├── DataError            malformed RDF / source file (path, line, column)
    ├── QueryError           bad SPARQL (query name or file, line, column)
    │   ├── QueryNotFound    unknown canned query (with close matches)
    │   ├── QueryRefused     forbidden by policy (SERVICE, LOAD, remote FROM)
    │   └── QueryTimeout     took longer than the configured limit
    ├── ParameterError       missing or ill-typed query parameter
    ├── ExportError          unknown format or impossible export
    ├── ValidationFailed     a write or build would leave a Violation (carries the report)
    ├── NotFound             no such resource or graph
    └── EndpointError        a remote SPARQL endpoint failed (never shows credentials)

Non-conformance found by ``validate()`` is a result, not an exception;
:class:`ValidationFailed` is raised only where a Violation must stop an action.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = [
    "ConfigError",
    "DataError",
    "EndpointError",
    "ExportError",
    "NotFound",
    "ParameterError",
    "PressgraphError",
    "QueryError",
    "QueryNotFound",
    "QueryRefused",
    "QueryTimeout",
    "ValidationFailed",
]


class PressgraphError(Exception):
    """Root of every error pressgraph reports to a user."""

    #: short machine-readable kind, used in problem+json ``type`` and CLI output
    kind = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class _Located(PressgraphError):
    """An error at a place in a file or query text (1-based line and column)."""

    def __init__(
        self,
        message: str,
        path: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.path = str(path) if path is not None else None
        self.line = line
        self.column = column

    def __str__(self) -> str:
        where = self.path or ""
        if self.line is not None:
            where += f"{':' if where else 'line '}{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}" if where else self.message


class ConfigError(PressgraphError):
    """A setting or the project layout is wrong."""

    kind = "config-error"


class DataError(_Located):
    """A data, ontology or shapes file cannot be read."""

    kind = "data-error"


class QueryError(_Located):
    """A SPARQL query is malformed or cannot be evaluated."""

    kind = "query-error"


class QueryNotFound(QueryError):
    """No canned query has that name."""

    kind = "query-not-found"

    def __init__(self, name: str, close: list[str]) -> None:
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        super().__init__(f"no canned query named {name!r}.{hint}")
        self.name = name
        self.close = close


class QueryRefused(QueryError):
    """A query asks for something the policy forbids (SERVICE, LOAD, remote FROM)."""

    kind = "query-refused"


class QueryTimeout(QueryError):
    """A query ran longer than its time limit and was stopped."""

    kind = "query-timeout"


class ParameterError(PressgraphError):
    """A query parameter is missing, unknown or of the wrong type."""

    kind = "parameter-error"

    def __init__(self, message: str, parameter: str | None = None) -> None:
        super().__init__(message)
        self.parameter = parameter


class ExportError(PressgraphError):
    """An export was asked in an unknown format or cannot be produced."""

    kind = "export-error"


class ValidationFailed(PressgraphError):
    """An action was stopped because the result would not conform to the shapes."""

    kind = "validation-failed"

    def __init__(self, message: str, report: Any) -> None:
        super().__init__(message)
        self.report = report


class NotFound(PressgraphError):
    """A resource, graph or file does not exist."""

    kind = "not-found"


class EndpointError(PressgraphError):
    """A remote SPARQL endpoint could not be reached or answered with an error."""

    kind = "endpoint-error"
