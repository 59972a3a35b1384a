"""Terms for people (labels, links, literals) and the schema.org JSON-LD embedded in pages."""

from __future__ import annotations

import json

import pyoxigraph as ox

from pressgraph.server.display import Labeler, schema_org, script_json

BASE = "https://data.example.org/"
G = ox.NamedNode(BASE + "graph/g")


def test_labels_prefer_english_and_names() -> None:
    store = ox.Store()
    x = ox.NamedNode(BASE + "id/x")
    store.extend(
        [
            ox.Quad(
                x,
                ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                ox.Literal("label"),
                G,
            ),
            ox.Quad(x, ox.NamedNode("http://schema.org/name"), ox.Literal("Nom", language="fr"), G),
            ox.Quad(
                x, ox.NamedNode("http://schema.org/name"), ox.Literal("Name", language="en"), G
            ),
        ]
    )
    labels = Labeler(store, BASE)
    assert labels.label(x.value) == "Name"
    term = labels.term(x)
    assert term == {"kind": "iri", "text": "Name", "href": "/id/x", "title": x.value, "local": True}
    other = labels.term(ox.NamedNode("http://schema.org/Event"))
    assert other["text"] == "schema:Event" and other["href"] == "http://schema.org/Event"
    assert not other["local"]


def test_literals_show_language_and_datatype() -> None:
    labels = Labeler(ox.Store(), BASE)
    date = labels.term(
        ox.Literal("2016-10-06", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))
    )
    assert date["datatype"] == "xsd:date" and date["lang"] == ""
    assert labels.term(ox.Literal("x", language="en"))["lang"] == "en"
    assert labels.term(ox.Literal("plain"))["datatype"] == ""
    assert labels.term(ox.BlankNode("b1"))["text"] == "_:b1"


def test_schema_org_view() -> None:
    e = ox.NamedNode(BASE + "id/event/e")
    quads = [
        ox.Quad(
            e,
            ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            ox.NamedNode("http://schema.org/EducationEvent"),
            G,
        ),
        ox.Quad(e, ox.NamedNode("http://schema.org/name"), ox.Literal("E", language="en"), G),
        ox.Quad(
            e,
            ox.NamedNode("https://data.example.org/ns#coOrganizer"),
            ox.NamedNode(BASE + "id/org/b"),
            G,
        ),
        ox.Quad(e, ox.NamedNode("http://schema.org/organizer"), ox.NamedNode(BASE + "id/org/a"), G),
        ox.Quad(e, ox.NamedNode("http://www.w3.org/ns/org#whatever"), ox.Literal("left out"), G),
    ]
    doc = schema_org(e.value, quads)
    assert doc["@context"] == "https://schema.org"
    assert doc["@type"] == "EducationEvent"
    assert doc["name"] == {"@value": "E", "@language": "en"}
    assert {"@id": BASE + "id/org/a"} in doc["organizer"]
    assert {"@id": BASE + "id/org/b"} in doc["organizer"]
    assert "whatever" not in json.dumps(doc)


def test_script_json_cannot_end_the_script() -> None:
    text = str(script_json({"name": "</script><script>alert(1)</script> & <!--"}))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"name": "</script><script>alert(1)</script> & <!--"}
