"""``/query``: a SPARQL editor that works offline, with or without JavaScript.

Without JavaScript the form is sent to this page (GET) and the results come
back as an HTML table; with it, ``static/query.js`` posts to ``/sparql`` and
draws the table in the page. Canned queries and the prefixes are preloaded.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ..errors import PressgraphError
from ..namespaces import PREFIXES
from .canned import result_table
from .context import context
from .display import Labeler, script_json
from .pages import html
from .problems import from_error
from .workers import QueryJob

__all__ = ["DEFAULT_QUERY", "prefix_block", "query_page"]

DEFAULT_QUERY = """SELECT ?type (COUNT(DISTINCT ?s) AS ?entities)
WHERE { GRAPH ?g { ?s a ?type } }
GROUP BY ?type
ORDER BY DESC(?entities)
"""


def prefix_block() -> str:
    """PREFIX lines for every prefix the project declares."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


async def query_page(request: Request) -> Response:
    """The editor; with ``?query=`` it also runs the query and shows the results."""
    ctx = context(request)
    text = request.query_params.get("query")
    canned_name = request.query_params.get("canned")
    loading = text is None or request.query_params.get("load")
    if loading and canned_name and canned_name in ctx.project.queries:
        text = ctx.project.queries[canned_name].text
        run = False
    else:
        run = text is not None and text.strip() != ""
    table, problem, status = None, None, 200
    if run:
        try:
            reply = await ctx.dataset.query(
                QueryJob(
                    text=text or "",
                    source="query",
                    max_rows=ctx.settings.max_rows,
                    timeout=ctx.settings.query_timeout,
                )
            )
            assert reply.result is not None
            table = result_table(reply.result, Labeler(ctx.dataset.store, ctx.base))
        except PressgraphError as exc:
            p = from_error(exc)
            problem, status = {"title": p.kind, "detail": p.detail, **p.extra}, p.status
    canned = {
        q.name: {"title": q.summary or q.name, "text": q.text} for q in ctx.project.queries.values()
    }
    return html(
        request,
        "query.html",
        status,
        title="Query",
        base=ctx.base,
        text=text if text is not None else prefix_block() + "\n" + DEFAULT_QUERY,
        canned=canned,
        canned_json=script_json(canned),
        prefixes_json=script_json(PREFIXES),
        table=table,
        problem=problem,
        jsonld=script_json({"@context": "https://schema.org", "@type": "WebPage", "name": "Query"}),
    )
