"""The app factory: ``create_app(project, settings)`` and its routes.

::

    /                         home: what the dataset is, counts, queries, dumps
    /sparql                   SPARQL 1.1 Protocol (query, update, service description)
    /rdf-graphs/service       Graph Store Protocol, indirect (?graph= / ?default)
    /graph/...                named graphs (direct Graph Store identification)
    /id/...                   resources; /ns the vocabulary
    /query                    the query editor; /queries the canned queries
    /openapi.json             OpenAPI 3.1 for the canned queries
    /.well-known/void         DCAT + VoID; /dumps/<file> the dumps of dist/
    /map  /health  /problems  /static/...
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import PressgraphError
from ..project import Project
from ..settings import Settings
from .canned import canned_query, query_list
from .context import Context, context
from .dataset import LiveDataset
from .dumps import dump_file, well_known_void
from .entities import Hierarchy
from .graph_store import direct_graph, graph_service
from .openapi import openapi_json
from .pages import home, make_templates, map_page, problems_page
from .problems import (
    Problem,
    handle_exception,
    handle_http,
    handle_pressgraph,
    handle_problem,
    problem_response,
)
from .query_page import query_page
from .resources import resource, vocabulary
from .sparql_protocol import sparql_endpoint

__all__ = ["BodyLimit", "create_app"]

READ = ["GET", "HEAD"]
WRITE = ["GET", "HEAD", "PUT", "POST", "DELETE"]


class BodyLimit:
    """413 for request bodies larger than ``limit`` bytes (declared or streamed)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            response = problem_response(self._problem())
            await response(scope, receive, send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise self._problem()
            return message

        await self.app(scope, limited, send)

    def _problem(self) -> Problem:
        return Problem(413, f"the request body is larger than {self.limit} bytes")


async def health(request: Request) -> Response:
    """``/health``: answers at once, whatever queries are running."""
    ctx = context(request)
    runner: Any = ctx.dataset.runner
    body = {
        "status": "ok",
        "generation": ctx.dataset.generation,
        "writable": ctx.writable,
        "queryWorkers": getattr(runner, "alive", 0),
        "queriesStopped": getattr(runner, "killed", 0),
    }
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


async def dataset_iri(request: Request) -> Response:
    """``{base}dataset`` (the VoID dataset) resolves to its description."""
    return RedirectResponse("/.well-known/void", status_code=303)


def create_app(project: Project, settings: Settings | None = None) -> Starlette:
    """A Starlette app serving ``project`` (settings default to the project's)."""
    settings = settings or project.settings
    dataset = LiveDataset.open(project, settings)
    ctx = Context(project, settings, dataset, make_templates(), Hierarchy(project.ontology))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await dataset.start(settings)
        try:
            yield
        finally:
            await dataset.close()

    routes = [
        Route("/", home, methods=READ),
        Route("/sparql", sparql_endpoint, methods=["GET", "HEAD", "POST"]),
        Route("/rdf-graphs/service", graph_service, methods=WRITE),
        Route("/graph/{path:path}", direct_graph, methods=WRITE),
        Route("/id/{path:path}", resource, methods=READ),
        Route("/ns", vocabulary, methods=READ),
        Route("/ns.{suffix}", vocabulary, methods=READ),
        Route("/query", query_page, methods=READ),
        Route("/queries", query_list, methods=READ),
        Route("/queries.json", query_list, methods=READ),
        Route("/queries/{name}", canned_query, methods=READ),
        Route("/openapi.json", openapi_json, methods=READ),
        Route("/.well-known/void", well_known_void, methods=READ),
        Route("/dataset", dataset_iri, methods=READ),
        Route("/dumps/{name}", dump_file, methods=READ),
        Route("/map", map_page, methods=READ),
        Route("/health", health, methods=READ),
        Route("/problems", problems_page, methods=READ),
        Mount("/static", StaticFiles(packages=[("pressgraph", "static")]), name="static"),
    ]
    methods = ["GET", "HEAD", "POST", "OPTIONS"] + (
        ["PUT", "DELETE"] if settings.write_token else []
    )
    middleware = [
        Middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=methods,
            allow_headers=["Accept", "Authorization", "Content-Type", "If-None-Match"],
            expose_headers=["ETag", "Link", "Location", "Content-Location", "Pressgraph-Truncated"],
            allow_credentials=False,
            max_age=600,
        ),
        Middleware(BodyLimit, limit=settings.max_body_bytes),
    ]
    handlers: dict[Any, Any] = {
        Problem: handle_problem,
        PressgraphError: handle_pressgraph,
        HTTPException: handle_http,
        Exception: handle_exception,
    }
    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers=handlers,
        lifespan=lifespan,
    )
    app.state.pressgraph = ctx
    return app
