"""Canned queries as an API: the list, typed parameters, formats by suffix or Accept, OpenAPI."""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import pytest
from starlette.testclient import TestClient


def test_list_as_json_and_html(server_client: TestClient) -> None:
    doc = server_client.get("/queries", headers={"Accept": "application/json"}).json()
    names = [q["name"] for q in doc["queries"]]
    assert names == ["about", "after", "events", "has-events"]
    events = doc["queries"][2]
    assert events["title"] == "Events and where they took place"
    assert events["parameters"] == [
        {
            "name": "place",
            "type": "iri",
            "description": "only events in this place",
            "required": False,
            "default": None,
            "example": "place:shymkent",
        }
    ]
    assert "csv" in events["formats"] and "ttl" not in events["formats"]
    assert server_client.get("/queries.json").json() == doc
    page = server_client.get("/queries")
    assert page.headers["content-type"].startswith("text/html")
    assert 'href="/queries/events"' in page.text


@pytest.mark.parametrize(
    ("suffix", "media"),
    [
        (".json", "application/sparql-results+json"),
        (".xml", "application/sparql-results+xml"),
        (".csv", "text/csv; charset=utf-8"),
        (".tsv", "text/tab-separated-values; charset=utf-8"),
        (".html", "text/html; charset=utf-8"),
    ],
)
def test_select_by_suffix(server_client: TestClient, suffix: str, media: str) -> None:
    response = server_client.get(f"/queries/events{suffix}", params={"place": "place:shymkent"})
    assert response.status_code == 200
    assert response.headers["content-type"] == media
    assert b"Seminar in Shymkent" in response.content


def test_select_by_accept(server_client: TestClient) -> None:
    response = server_client.get("/queries/events", headers={"Accept": "text/csv"})
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["name"] for r in rows] == [
        "Seminar in Almaty",
        "Seminar in Shymkent",
        "Series of seminars",
        "Series of seminars",
    ]


def test_parameters_are_bound_not_pasted(server_client: TestClient) -> None:
    full = "https://data.example.org/id/place/almaty"
    rows = server_client.get("/queries/events.json", params={"place": full}).json()
    assert {b["place"]["value"] for b in rows["results"]["bindings"]} == {full}
    injection = server_client.get(
        "/queries/events.json", params={"place": "place:x> } UNION { ?s ?p ?o"}
    )
    assert injection.status_code == 400


@pytest.mark.parametrize(
    ("path", "params", "parameter"),
    [
        ("/queries/events.json", {"place": "not an iri"}, "place"),
        ("/queries/after.json", {"day": "2016-13-45"}, "day"),
        ("/queries/after.json", {}, "day"),
        ("/queries/events.json", {"colour": "red"}, "colour"),
    ],
)
def test_bad_parameter_is_400_naming_it(
    server_client: TestClient, path: str, params: dict[str, str], parameter: str
) -> None:
    response = server_client.get(path, params=params)
    assert response.status_code == 400
    doc = response.json()
    assert doc["type"] == "/problems#parameter-error"
    assert doc["parameter"] == parameter
    assert parameter in doc["detail"]


def test_typed_date_parameter(server_client: TestClient) -> None:
    rows = server_client.get("/queries/after.json", params={"day": "2016-01-01"}).json()
    assert len(rows["results"]["bindings"]) == 1
    rows = server_client.get("/queries/after.json", params={"day": "2017-01-01"}).json()
    assert rows["results"]["bindings"] == []


@pytest.mark.parametrize(
    ("suffix", "fmt"),
    [
        (".ttl", ox.RdfFormat.TURTLE),
        (".nt", ox.RdfFormat.N_TRIPLES),
        (".jsonld", ox.RdfFormat.JSON_LD),
        (".rdf", ox.RdfFormat.RDF_XML),
    ],
)
def test_construct_formats(server_client: TestClient, suffix: str, fmt: ox.RdfFormat) -> None:
    response = server_client.get(f"/queries/about{suffix}", params={"resource": "event:series"})
    assert response.status_code == 200
    triples = list(ox.parse(response.content, format=fmt))
    assert {t.subject.value for t in triples} == {"https://data.example.org/id/event/series"}


def test_format_that_does_not_fit_is_406(server_client: TestClient) -> None:
    assert (
        server_client.get("/queries/about.csv", params={"resource": "event:series"}).status_code
        == 406
    )
    assert server_client.get("/queries/events.ttl").status_code == 406
    assert server_client.get("/queries/events", headers={"Accept": "image/png"}).status_code == 406


def test_ask_query(server_client: TestClient) -> None:
    assert server_client.get("/queries/has-events.json").json()["boolean"] is True


def test_html_form_and_table(server_client: TestClient) -> None:
    form_only = server_client.get("/queries/after")
    assert form_only.status_code == 200
    assert 'name="day"' in form_only.text and 'type="date"' in form_only.text
    assert "Give day to run this query" in form_only.text
    page = server_client.get("/queries/after", params={"day": "2016-01-01"})
    assert "1 result" in page.text and "/id/event/seminar-shymkent" in page.text
    assert 'href="/queries/after.csv?day=2016-01-01"' in page.text
    bad = server_client.get("/queries/after", params={"day": "yesterday"})
    assert bad.status_code == 400 and 'class="problem"' in bad.text
