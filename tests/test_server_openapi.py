"""OpenAPI 3.1 generated from the canned queries' headers."""

from __future__ import annotations

from starlette.testclient import TestClient


def test_openapi(server_client: TestClient) -> None:
    doc = server_client.get("/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    events = doc["paths"]["/queries/events"]["get"]
    assert events["parameters"][0]["name"] == "place"
    assert events["parameters"][0]["schema"]["format"] == "iri"
    assert events["parameters"][0]["example"] == "place:shymkent"
    assert events["parameters"][0]["required"] is False
    assert "text/csv" in events["responses"]["200"]["content"]
    after = doc["paths"]["/queries/after"]["get"]
    assert after["parameters"][0]["schema"] == {"type": "string", "format": "date"}
    assert after["parameters"][0]["required"] is True
    about = doc["paths"]["/queries/about"]["get"]
    assert "text/turtle" in about["responses"]["200"]["content"]
    assert "/queries/events.csv" in doc["paths"]
    assert "/queries/about.ttl" in doc["paths"]
    assert doc["paths"]["/queries/events"]["get"]["responses"]["400"]["$ref"]
    ids = [op["get"]["operationId"] for op in doc["paths"].values()]
    assert len(ids) == len(set(ids))
