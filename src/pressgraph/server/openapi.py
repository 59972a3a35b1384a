"""``/openapi.json``: an OpenAPI 3.1 description generated from the canned queries' headers."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from .. import __version__
from ..queries import CannedQuery, Parameter
from .canned import SUFFIXES
from .context import Context, context
from .problems import PROBLEM_MEDIA_TYPE

__all__ = ["openapi_document", "openapi_json"]

_SCHEMAS: dict[str, dict[str, Any]] = {
    "iri": {"type": "string", "format": "iri"},
    "string": {"type": "string"},
    "langstring": {"type": "string", "pattern": "^.*@[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$"},
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "date": {"type": "string", "format": "date"},
    "datetime": {"type": "string", "format": "date-time"},
    "boolean": {"type": "boolean"},
}
_PROBLEM = {"$ref": "#/components/responses/Problem"}


def _parameter(p: Parameter) -> dict[str, Any]:
    schema = dict(_SCHEMAS[p.type])
    if p.default is not None:
        schema["default"] = p.default
    out: dict[str, Any] = {
        "name": p.name,
        "in": "query",
        "required": p.required,
        "description": p.description or p.type_description,
        "schema": schema,
    }
    if p.example is not None:
        out["example"] = p.example
    return out


def _media(q: CannedQuery) -> list[str]:
    graph = q.kind == "graph"
    formats = {"turtle", "ntriples", "jsonld", "rdfxml"}
    return [m for _s, (m, f) in SUFFIXES.items() if f == "html" or (f in formats) == graph]


def _operation(q: CannedQuery, media: list[str]) -> dict[str, Any]:
    return {
        "operationId": q.name.replace("-", "_"),
        "summary": q.summary or q.name,
        "description": q.description,
        "tags": list(q.tags) or ["queries"],
        "parameters": [_parameter(p) for p in q.params],
        "responses": {
            "200": {
                "description": "the query results",
                "content": {m: {} for m in media},
            },
            "400": _PROBLEM,
            "406": _PROBLEM,
            "503": _PROBLEM,
        },
    }


def openapi_document(ctx: Context, server_url: str) -> dict[str, Any]:
    """The OpenAPI 3.1 document: one path per canned query (and per suffix form)."""
    paths: dict[str, Any] = {}
    for q in ctx.project.queries.values():
        media = _media(q)
        paths[f"/queries/{q.name}"] = {"get": _operation(q, media)}
        for suffix, (m, _f) in SUFFIXES.items():
            if m in media and suffix != ".html":
                op = _operation(q, [m])
                op["operationId"] += "_" + suffix.lstrip(".")
                paths[f"/queries/{q.name}{suffix}"] = {"get": op}
    paths["/sparql"] = {
        "get": {
            "operationId": "sparql_query",
            "summary": "SPARQL 1.1 Protocol query (no query: the service description)",
            "parameters": [
                {"name": "query", "in": "query", "required": False, "schema": {"type": "string"}},
                {"name": "default-graph-uri", "in": "query", "schema": {"type": "string"}},
                {"name": "named-graph-uri", "in": "query", "schema": {"type": "string"}},
            ],
            "responses": {"200": {"description": "results"}, "400": _PROBLEM},
        }
    }
    paths["/health"] = {
        "get": {
            "operationId": "health",
            "summary": "liveness and readiness",
            "responses": {"200": {"description": "ok", "content": {"application/json": {}}}},
        }
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "pressgraph canned queries",
            "version": __version__,
            "description": "Named SPARQL queries over the announcements knowledge graph; "
            "parameters are typed and bound as RDF terms.",
        },
        "servers": [{"url": server_url}],
        "paths": paths,
        "components": {
            "responses": {
                "Problem": {
                    "description": "an error (RFC 9457 problem details)",
                    "content": {
                        PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}
                    },
                }
            },
            "schemas": {
                "Problem": {
                    "type": "object",
                    "required": ["type", "title", "status", "detail"],
                    "properties": {
                        "type": {"type": "string"},
                        "title": {"type": "string"},
                        "status": {"type": "integer"},
                        "detail": {"type": "string"},
                        "parameter": {"type": "string"},
                        "line": {"type": "integer"},
                        "column": {"type": "integer"},
                    },
                }
            },
        },
    }


async def openapi_json(request: Request) -> JSONResponse:
    ctx = context(request)
    return JSONResponse(openapi_document(ctx, ctx.origin(request)))
