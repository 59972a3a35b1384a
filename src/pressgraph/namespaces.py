"""RDF namespaces used by the project, spelled out once.

rdflib's ``SDO`` and ``WGS`` constants use ``https``; schema.org data here is
``http://schema.org/`` (see docs/decisions/0001), so every namespace is defined
here rather than imported from rdflib.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, TIME, VOID, XSD

__all__ = [
    "BASE",
    "DCAT",
    "DCTERMS",
    "GEO",
    "GEOF",
    "GRAPH",
    "ID",
    "OA",
    "ORG",
    "OWL",
    "PG",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SH",
    "SKOS",
    "TIME",
    "VOID",
    "XSD",
    "curie",
]

BASE = "https://data.example.org/"
PG = Namespace(BASE + "ns#")
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")

SCHEMA = Namespace("http://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
OA = Namespace("http://www.w3.org/ns/oa#")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
GEOF = Namespace("http://www.opengis.net/def/function/geosparql/")

#: Prefixes written into every dump and preloaded in the query editor, in this order.
PREFIXES: dict[str, str] = {
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "owl": str(OWL),
    "skos": str(SKOS),
    "schema": str(SCHEMA),
    "org": str(ORG),
    "prov": str(PROV),
    "oa": str(OA),
    "time": str(TIME),
    "geo": str(GEO),
    "dcterms": str(DCTERMS),
    "dcat": str(DCAT),
    "void": str(VOID),
    "sh": str(SH),
    "spdx": "http://spdx.org/rdf/terms#",
    "pg": str(PG),
    "pgsh": BASE + "shapes#",
    "article": BASE + "id/article/",
    "event": BASE + "id/event/",
    "orgs": BASE + "id/org/",
    "person": BASE + "id/person/",
    "membership": BASE + "id/membership/",
    "role": BASE + "id/role/",
    "place": BASE + "id/place/",
    "quote": BASE + "id/quote/",
    "figure": BASE + "id/figure/",
    "value": BASE + "id/value/",
    "audience": BASE + "id/audience/",
    "programme": BASE + "id/programme/",
    "instant": BASE + "id/time/",
    "span": BASE + "id/span/",
    "concept": BASE + "id/concept/",
    "activity": BASE + "id/activity/",
    "graph": str(GRAPH),
}


def curie(iri: str) -> str:
    """A prefixed name where a known prefix fits (the longest), else the IRI itself.

    >>> curie("http://schema.org/Event")
    'schema:Event'
    """
    best = max(
        ((p, ns) for p, ns in PREFIXES.items() if iri.startswith(ns)),
        key=lambda pn: len(pn[1]),
        default=None,
    )
    return f"{best[0]}:{iri[len(best[1]) :]}" if best else iri
