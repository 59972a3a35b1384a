"""One error shape for every route: ``application/problem+json`` (RFC 9457).

Each pressgraph error maps onto a status code here; anything else becomes a 500
that says nothing about the server's internals. ``type`` points at ``/problems``,
which documents every kind.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from ..errors import (
    ConfigError,
    DataError,
    EndpointError,
    ExportError,
    NotFound,
    ParameterError,
    PressgraphError,
    QueryError,
    QueryNotFound,
    QueryRefused,
    QueryTimeout,
    ValidationFailed,
)

__all__ = [
    "KINDS",
    "PROBLEM_MEDIA_TYPE",
    "Problem",
    "from_error",
    "handle_exception",
    "handle_http",
    "handle_pressgraph",
    "handle_problem",
    "problem_response",
    "status_for",
]

log = logging.getLogger("pressgraph.server")

PROBLEM_MEDIA_TYPE = "application/problem+json"

#: kind -> (title, explanation) documented at /problems
KINDS: dict[str, tuple[str, str]] = {
    "error": ("Error", "The request could not be handled."),
    "query-error": ("Malformed SPARQL", "The query or update does not parse; see line and column."),
    "query-not-found": ("No such canned query", "The name is not one of /queries."),
    "query-refused": (
        "Refused by policy",
        "SERVICE, LOAD and other requests that would fetch remote data are not allowed.",
    ),
    "query-timeout": (
        "Query took too long",
        "The query was stopped at the time limit; retry later or ask for less.",
    ),
    "parameter-error": ("Bad parameter", "A parameter is missing, unknown or of the wrong type."),
    "export-error": ("Format not available", "The format does not fit this kind of result."),
    "validation-failed": (
        "Write rejected by the shapes",
        "Applying the write would add SHACL Violations; nothing was changed.",
    ),
    "not-found": ("Not found", "No resource, graph or file is known under this address."),
    "data-error": ("Unreadable RDF", "The request body is not valid RDF in its declared format."),
    "config-error": ("Server misconfigured", "A setting of the server is wrong."),
    "endpoint-error": ("Upstream failure", "A remote endpoint failed."),
    "bad-request": ("Bad request", "The request does not follow the protocol."),
    "unauthorized": ("Credentials needed", "Writes need 'Authorization: Bearer <token>'."),
    "forbidden": ("Writes disabled", "This server is read-only: no write token is configured."),
    "method-not-allowed": ("Method not allowed", "This address does not accept that method."),
    "not-acceptable": ("Not acceptable", "None of the media types in Accept can be produced."),
    "unsupported-media-type": (
        "Unsupported media type",
        "The request body's Content-Type is not one this address reads.",
    ),
    "payload-too-large": ("Request body too large", "The body exceeds the configured limit."),
    "internal-error": ("Internal error", "Something failed on the server; it has been logged."),
}

_STATUS_KINDS = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "validation-failed",
    500: "internal-error",
    503: "query-timeout",
}


class Problem(Exception):
    """An HTTP error raised inside a route, rendered as problem+json."""

    def __init__(
        self,
        status: int,
        detail: str,
        kind: str | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.kind = kind or _STATUS_KINDS.get(status, "bad-request")
        self.headers = headers or {}
        self.extra = extra


def status_for(exc: PressgraphError) -> int:
    """The HTTP status for a pressgraph error."""
    table: list[tuple[type[PressgraphError], int]] = [
        (QueryNotFound, 404),
        (QueryTimeout, 503),
        (QueryRefused, 403),
        (QueryError, 400),
        (ParameterError, 400),
        (ExportError, 406),
        (ValidationFailed, 422),
        (NotFound, 404),
        (DataError, 400),
        (EndpointError, 502),
        (ConfigError, 500),
    ]
    return next((status for cls, status in table if isinstance(exc, cls)), 400)


def from_error(exc: PressgraphError) -> Problem:
    """A :class:`Problem` for a pressgraph error, keeping line, column and parameter."""
    status = status_for(exc)
    extra: dict[str, Any] = {}
    for attr in ("line", "column", "parameter"):
        value = getattr(exc, attr, None)
        if value is not None:
            extra[attr] = value
    if isinstance(exc, QueryNotFound) and exc.close:
        extra["didYouMean"] = exc.close
    if isinstance(exc, ValidationFailed):
        report = exc.report
        extra["conforms"] = False
        extra["counts"] = report.counts()
        extra["findings"] = [asdict(f) for f in report.findings]
    headers = {"Retry-After": "5"} if isinstance(exc, QueryTimeout) else {}
    detail = exc.message if isinstance(exc, QueryError | DataError) else str(exc)
    if status >= 500 and not isinstance(exc, QueryTimeout):
        detail = KINDS.get(exc.kind, KINDS["internal-error"])[1]
    return Problem(status, detail, exc.kind, headers, **extra)


def problem_response(problem: Problem, request: Request | None = None) -> Response:
    """The problem+json response (no body for HEAD)."""
    title = KINDS.get(problem.kind, KINDS["bad-request"])[0]
    doc: dict[str, Any] = {
        "type": f"/problems#{problem.kind}",
        "title": title,
        "status": problem.status,
        "detail": problem.detail,
    }
    if request is not None:
        doc["instance"] = request.url.path
    doc.update(problem.extra)
    body = b"" if request is not None and request.method == "HEAD" else _dump(doc)
    headers = dict(problem.headers)
    if problem.status == 401:
        headers.setdefault("WWW-Authenticate", 'Bearer realm="pressgraph"')
    return Response(body, problem.status, headers=headers, media_type=PROBLEM_MEDIA_TYPE)


def _dump(doc: dict[str, Any]) -> bytes:
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode()


async def handle_problem(request: Request, exc: Exception) -> Response:
    """Exception handler for :class:`Problem`."""
    assert isinstance(exc, Problem)
    return problem_response(exc, request)


async def handle_pressgraph(request: Request, exc: Exception) -> Response:
    """Exception handler for the pressgraph error tree."""
    assert isinstance(exc, PressgraphError)
    if status_for(exc) >= 500 and not isinstance(exc, QueryTimeout):
        log.error("server error on %s %s: %s", request.method, request.url.path, exc)
    return problem_response(from_error(exc), request)


async def handle_http(request: Request, exc: Exception) -> Response:
    """Starlette's own HTTP errors (404 for unknown routes, 405 ...) in the same shape."""
    assert isinstance(exc, HTTPException)
    kind = _STATUS_KINDS.get(exc.status_code, "bad-request")
    detail = exc.detail if isinstance(exc.detail, str) else KINDS[kind][1]
    headers = dict(exc.headers or {})
    return problem_response(Problem(exc.status_code, detail, kind, headers), request)


async def handle_exception(request: Request, exc: Exception) -> Response:
    """The catch-all: log the traceback, tell the client nothing about internals."""
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem_response(Problem(500, KINDS["internal-error"][1], "internal-error"), request)
