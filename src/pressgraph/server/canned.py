"""Canned queries as an API: ``/queries`` and ``/queries/{name}[.json|.csv|.tsv|.ttl ...]``.

Parameters come from the query string, typed by the query's ``#+`` header and
bound as RDF terms (never pasted into the text); a bad one is a 400 that names
it. Results are HTML (a form and a table), SPARQL JSON / XML, CSV, TSV, or RDF
for CONSTRUCT queries, chosen by suffix or by ``Accept``.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ..errors import ParameterError, PressgraphError
from ..queries import CannedQuery
from ..sparql import QueryResult
from .context import Context, context
from .display import Labeler
from .negotiation import negotiate
from .pages import html
from .problems import Problem, from_error
from .representations import content_type
from .workers import QueryJob

__all__ = ["SUFFIXES", "canned_query", "describe_query", "query_list", "result_table"]

#: URL suffix -> (media type, results.render format)
SUFFIXES: dict[str, tuple[str, str]] = {
    ".json": ("application/sparql-results+json", "json"),
    ".xml": ("application/sparql-results+xml", "xml"),
    ".csv": ("text/csv", "csv"),
    ".tsv": ("text/tab-separated-values", "tsv"),
    ".ttl": ("text/turtle", "turtle"),
    ".nt": ("application/n-triples", "ntriples"),
    ".jsonld": ("application/ld+json", "jsonld"),
    ".rdf": ("application/rdf+xml", "rdfxml"),
    ".html": ("text/html", "html"),
}
TABULAR_OFFERS = {
    "text/html": "html",
    "application/sparql-results+json": "json",
    "application/json": "json",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/sparql-results+xml": "xml",
}
GRAPH_OFFERS = {
    "text/html": "html",
    "text/turtle": "turtle",
    "application/ld+json": "jsonld",
    "application/n-triples": "ntriples",
    "application/rdf+xml": "rdfxml",
}


def describe_query(ctx: Context, q: CannedQuery) -> dict[str, Any]:
    """A canned query as JSON: name, title, description, parameters, URLs."""
    return {
        "name": q.name,
        "title": q.summary,
        "description": q.description,
        "kind": q.kind,
        "tags": list(q.tags),
        "url": f"/queries/{q.name}",
        "parameters": [
            {
                "name": p.name,
                "type": p.type,
                "description": p.description or p.type_description,
                "required": p.required,
                "default": p.default,
                "example": p.example,
            }
            for p in q.params
        ],
        "formats": [s.lstrip(".") for s, (m, f) in SUFFIXES.items() if _fits(q.kind, f)],
    }


def _fits(kind: str, fmt: str) -> bool:
    graph = {"turtle", "ntriples", "jsonld", "rdfxml"}
    return fmt == "html" or (fmt in graph) == (kind == "graph")


async def query_list(request: Request) -> Response:
    """``/queries``: the catalogue, as a page or JSON."""
    ctx = context(request)
    media = negotiate(request.headers.get("accept"), ["text/html", "application/json"])
    if request.url.path.endswith(".json"):
        media = "application/json"
    if media is None:
        raise Problem(406, "the query list is available as text/html or application/json")
    queries = [describe_query(ctx, q) for q in ctx.project.queries.values()]
    if media == "application/json":
        body = json.dumps({"queries": queries}, indent=2, ensure_ascii=False) + "\n"
        return Response(body, media_type="application/json", headers={"Vary": "Accept"})
    return html(
        request, "queries.html", title="Canned queries", queries=queries, jsonld=_page_jsonld()
    )


def _page_jsonld() -> Any:
    from .display import script_json

    return script_json(
        {"@context": "https://schema.org", "@type": "WebPage", "name": "Canned queries"}
    )


async def canned_query(request: Request) -> Response:
    """``/queries/{name}``: run one canned query with typed parameters."""
    ctx = context(request)
    name = request.path_params["name"]
    forced = None
    if name not in ctx.project.queries:
        for suffix, (media, fmt) in SUFFIXES.items():
            if name.endswith(suffix):
                name, forced = name[: -len(suffix)], (media, fmt)
                break
    canned = ctx.project.queries[name]  # QueryNotFound (404) with close matches
    offers = GRAPH_OFFERS if canned.kind == "graph" else TABULAR_OFFERS
    if forced is not None:
        media, fmt = forced
        if not _fits(canned.kind, fmt):
            raise Problem(
                406,
                f"query {name!r} is a {canned.kind.upper()} query; its formats are "
                + ", ".join(describe_query(ctx, canned)["formats"]),
            )
    else:
        chosen = negotiate(request.headers.get("accept"), list(offers))
        if chosen is None:
            raise Problem(406, f"query {name!r} can be sent as {', '.join(offers)}")
        media, fmt = chosen, offers[chosen]
    values = dict(request.query_params)
    if fmt == "html":
        return await _page(request, ctx, canned, values)
    job = QueryJob(
        text=canned.text,
        source=f"queries/{name}.rq",
        bindings=canned.bind(values),
        max_rows=ctx.settings.max_rows,
        timeout=ctx.settings.query_timeout,
        formats={canned.kind: fmt},
    )
    reply = await ctx.dataset.query(job)
    headers = {"Vary": "Accept", "Link": f'</queries/{name}>; rel="describedby"'}
    if reply.truncated:
        headers["Pressgraph-Truncated"] = f"true; max-rows={ctx.settings.max_rows}"
    return Response(reply.body or b"", headers=headers, media_type=content_type(media))


async def _page(
    request: Request, ctx: Context, canned: CannedQuery, values: dict[str, str]
) -> Response:
    info = describe_query(ctx, canned)
    missing = [p.name for p in canned.params if p.required and not values.get(p.name)]
    table, problem, status = None, None, 200
    if not missing:
        try:
            job = QueryJob(
                text=canned.text,
                source=f"queries/{canned.name}.rq",
                bindings=canned.bind(values),
                max_rows=ctx.settings.max_rows,
                timeout=ctx.settings.query_timeout,
            )
            reply = await ctx.dataset.query(job)
            assert reply.result is not None
            table = result_table(reply.result, Labeler(ctx.dataset.store, ctx.base))
        except PressgraphError as exc:
            p = from_error(exc)
            problem, status = {"detail": p.detail, **p.extra}, p.status
            if isinstance(exc, ParameterError):
                problem["parameter"] = exc.parameter
    query_string = request.url.query
    return html(
        request,
        "canned.html",
        status,
        title=canned.summary or canned.name,
        query=info,
        text=canned.text,
        values=values,
        missing=missing,
        table=table,
        problem=problem,
        query_string=query_string,
        jsonld=_page_jsonld(),
    )


def result_table(result: QueryResult, labels: Labeler) -> dict[str, Any]:
    """A query result as columns and rows of display terms."""
    if result.kind == "ask":
        return {
            "kind": "ask",
            "boolean": result.boolean,
            "columns": [],
            "rows": [],
            "truncated": False,
        }
    if result.kind == "graph":
        rows = [
            [labels.term(t.subject), labels.term(t.predicate), labels.term(t.object)]
            for t in sorted(set(result.triples), key=str)
        ]
        return {
            "kind": "graph",
            "columns": ["subject", "predicate", "object"],
            "rows": rows,
            "truncated": False,
        }
    rows = [[labels.term(t) if t is not None else None for t in row] for row in result.rows]
    return {
        "kind": "select",
        "columns": result.variables,
        "rows": rows,
        "truncated": result.truncated,
    }
