"""The SPARQL editor page: canned queries and prefixes preloaded, results as a table without JS."""

from __future__ import annotations

from starlette.testclient import TestClient
from test_server_pages import page


def test_query_page_works_without_javascript(server_client: TestClient) -> None:
    parsed, html = page(server_client, "/query")
    assert 'action="/query"' in html and "<textarea" in html
    assert "PREFIX schema: &lt;http://schema.org/&gt;" in html
    assert '<option value="events">' in html
    query = "SELECT ?name WHERE { ?s a schema:City ; schema:name ?name } ORDER BY ?name"
    parsed, html = page(server_client, "/query?query=" + query.replace(" ", "%20"))
    text = " ".join(parsed.text)
    assert "2 results" in text and "Almaty" in text and "Shymkent" in text
    loaded = server_client.get("/query", params={"canned": "events", "load": "1", "query": ""})
    assert "ORDER BY ?name" in loaded.text


def test_query_page_shows_errors_in_the_page(server_client: TestClient) -> None:
    response = server_client.get("/query", params={"query": "SELECT * WHERE {"})
    assert response.status_code == 400
    assert "text/html" in response.headers["content-type"]
    assert 'class="problem"' in response.text and "line 1" in response.text
