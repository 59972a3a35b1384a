"""A small project for the server tests, written into a temporary folder.

It has one entity of every kind the pages lay out (a series with two seminars,
organisations, a person with a post and a quote, places with coordinates, the
article with text spans), a shapes file of its own (so that write validation has
something to reject) and three canned queries (SELECT with a parameter, ASK,
CONSTRUCT). The ontology is the project's own (``ontology/*.ttl``).
"""

from __future__ import annotations

import shutil
import socket
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASE = "https://data.example.org/"
TOKEN = "test-write-token"

ARTICLE_BODY = (
    "Alpha held the last of two seminars in Shymkent on 6 October 2016.\n"
    '"Training matters," said Bob Smith, Head of the Alpha Unit.'
)
SENTENCES = {
    "s01": "Alpha held the last of two seminars in Shymkent on 6 October 2016.",
    "s02": '"Training matters,"',
}

PREFIXES = """\
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix schema: <http://schema.org/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix pg: <https://data.example.org/ns#> .
@prefix article: <https://data.example.org/id/article/> .
@prefix event: <https://data.example.org/id/event/> .
@prefix orgs: <https://data.example.org/id/org/> .
@prefix person: <https://data.example.org/id/person/> .
@prefix membership: <https://data.example.org/id/membership/> .
@prefix role: <https://data.example.org/id/role/> .
@prefix place: <https://data.example.org/id/place/> .
@prefix quote: <https://data.example.org/id/quote/> .
@prefix value: <https://data.example.org/id/value/> .
@prefix audience: <https://data.example.org/id/audience/> .
@prefix instant: <https://data.example.org/id/time/> .
@prefix concept: <https://data.example.org/id/concept/> .
@prefix span: <https://data.example.org/id/span/> .
@prefix graph: <https://data.example.org/graph/> .
"""

REFERENCE = """
graph:reference-places {
  place:kazakhstan a schema:Country ; schema:name "Kazakhstan"@en ;
      schema:sameAs <https://www.wikidata.org/wiki/Q232> .
  place:shymkent a schema:City ; schema:name "Shymkent"@en ;
      schema:containedInPlace place:kazakhstan ;
      schema:sameAs <https://sws.geonames.org/1518980/> ;
      schema:geo place:shymkent-coordinates .
  place:shymkent-coordinates a schema:GeoCoordinates ;
      schema:latitude "42.30988"^^xsd:double ; schema:longitude "69.60042"^^xsd:double .
  place:almaty a schema:City ; schema:name "Almaty"@en ;
      schema:containedInPlace place:kazakhstan ;
      schema:geo place:almaty-coordinates .
  place:almaty-coordinates a schema:GeoCoordinates ;
      schema:latitude "43.25667"^^xsd:double ; schema:longitude "76.92861"^^xsd:double .
}
graph:reference-organisations {
  orgs:alpha a schema:GovernmentOrganization , org:FormalOrganization ;
      schema:name "Alpha Office"@en ; schema:alternateName "Alpha Centre"@en .
  orgs:alpha-unit a org:OrganizationalUnit , schema:Organization ;
      schema:name "Alpha Unit"@en ; org:unitOf orgs:alpha .
  orgs:beta a schema:GovernmentOrganization ; schema:name "Beta Ministry"@en .
  orgs:gamma a schema:Organization ; schema:name "<script>alert(1)</script> & Gamma"@en .
}
"""

CLAIMS = """
graph:test-article {
  article:test a pg:Announcement , schema:Article ;
      schema:name "Alpha concludes seminars"@en ;
      schema:headline "Alpha concludes seminars" ;
      schema:articleBody \"\"\"{body}\"\"\" ;
      schema:publisher orgs:alpha .
}
graph:test-s01 {
  event:series a schema:EventSeries ;
      schema:name "Series of seminars"@en ;
      schema:organizer orgs:alpha , orgs:beta ;
      pg:coOrganizer orgs:beta ;
      schema:attendee orgs:gamma ;
      schema:audience audience:officers ;
      schema:about concept:trafficking-in-human-beings ;
      pg:targetParticipantCount value:target ;
      schema:location place:shymkent , place:almaty ;
      schema:subEvent event:seminar-shymkent , event:seminar-almaty .
  event:seminar-shymkent a schema:EducationEvent ;
      schema:name "Seminar in Shymkent"@en ;
      schema:startDate "2016-10-06"^^xsd:date ;
      schema:location place:shymkent ;
      schema:superEvent event:series .
  event:seminar-almaty a schema:EducationEvent ;
      schema:name "Seminar in Almaty"@en ;
      schema:location place:almaty ;
      schema:superEvent event:series .
  audience:officers a schema:Audience ; schema:name "officers"@en ;
      schema:audienceType "officers"@en .
  value:target a schema:QuantitativeValue ; schema:value 180 ;
      schema:valueReference concept:approximately ; schema:description "some 180"@en .
}
graph:test-s02 {
  quote:training a schema:Quotation ;
      schema:text "Training matters," ;
      schema:creator person:bob .
  person:bob a schema:Person ; schema:name "Bob Smith"@en .
  membership:bob-head a org:Membership ;
      org:member person:bob ; org:organization orgs:alpha-unit ; org:role role:head ;
      org:memberDuring instant:bob-head-period .
  role:head a org:Role ; skos:prefLabel "Head"@en .
  instant:bob-head-period a time:Interval ; time:inside instant:2016-10-06 .
  instant:2016-10-06 a time:Instant ; time:inXSDDate "2016-10-06"^^xsd:date .
}
"""

SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix schema: <http://schema.org/> .
@prefix pgsh: <https://data.example.org/shapes#> .

pgsh:Event a sh:NodeShape ;
    sh:targetClass schema:Event , schema:EducationEvent , schema:EventSeries ;
    sh:property [ sh:path schema:name ; sh:minCount 1 ;
                  sh:message "an event needs a name" ] ;
    sh:property [ sh:path schema:location ; sh:class schema:Place ;
                  sh:message "an event takes place in a place" ] .
"""

QUERIES = {
    "events": """#+ summary: Events and where they took place
#+ description: One row per event with its place.
#+ tags: [events]
#+ params:
#+   - name: place
#+     type: iri
#+     description: only events in this place
#+     default: null
#+     example: place:shymkent
PREFIX schema: <http://schema.org/>
SELECT ?event ?name ?place WHERE {
  GRAPH ?g { ?event schema:location ?place ; schema:name ?name }
} ORDER BY ?name
""",
    "has-events": """#+ summary: Is there any event?
PREFIX schema: <http://schema.org/>
ASK { GRAPH ?g { ?e a schema:EducationEvent } }
""",
    "about": """#+ summary: The statements about one resource
#+ params:
#+   - name: resource
#+     type: iri
#+     description: the resource
#+     example: event:series
CONSTRUCT { ?resource ?p ?o } WHERE { GRAPH ?g { ?resource ?p ?o } }
""",
    "after": """#+ summary: Events that started after a day
#+ params:
#+   - name: day
#+     type: date
#+     description: the day
#+     example: 2016-01-01
PREFIX schema: <http://schema.org/>
SELECT ?event ?start ?day WHERE {
  GRAPH ?g { ?event schema:startDate ?start }
  FILTER (?start > ?day)
}
""",
}


def provenance() -> str:
    """Claim graph provenance with offsets computed from the article text."""
    parts = ["graph:test-provenance {"]
    for key, words in SENTENCES.items():
        start = ARTICLE_BODY.index(words)
        end = start + len(words)
        parts.append(
            f"""
  graph:test-{key} a pg:ClaimGraph ;
      rdfs:label "Claims of test, {key}"@en ;
      prov:wasDerivedFrom span:test-{key} ;
      prov:wasAttributedTo {"orgs:alpha" if key == "s01" else "person:bob"} .
  span:test-{key} a oa:SpecificResource ;
      oa:hasSource article:test ;
      oa:hasSelector span:test-{key}-tq , span:test-{key}-tp .
  span:test-{key}-tq a oa:TextQuoteSelector ; oa:exact {_literal(words)} .
  span:test-{key}-tp a oa:TextPositionSelector ;
      oa:start {start} ; oa:end {end} ."""
        )
    parts.append("}")
    return "\n".join(parts)


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def make_project(root: Path) -> Path:
    """Write the test project into ``root`` and return it."""
    (root / "data" / "reference").mkdir(parents=True)
    (root / "data" / "announcements" / "test").mkdir(parents=True)
    (root / "shapes").mkdir()
    (root / "queries").mkdir()
    shutil.copytree(ROOT / "ontology", root / "ontology")
    (root / "data" / "reference" / "reference.trig").write_text(PREFIXES + REFERENCE)
    body = ARTICLE_BODY.replace("\\", "\\\\").replace('"', '\\"')
    (root / "data" / "announcements" / "test" / "claims.trig").write_text(
        PREFIXES + CLAIMS.replace("{body}", body)
    )
    (root / "data" / "announcements" / "test" / "provenance.trig").write_text(
        PREFIXES + provenance()
    )
    (root / "shapes" / "test.ttl").write_text(SHAPES)
    for name, text in QUERIES.items():
        (root / "queries" / f"{name}.rq").write_text(text)
    return root


def make_empty_project(root: Path, shapes: bool = True) -> Path:
    """A project with no data: the project's ontology (and shapes, unless told otherwise)."""
    (root / "data").mkdir(parents=True)
    shutil.copytree(ROOT / "ontology", root / "ontology")
    if shapes and (ROOT / "shapes").is_dir():
        shutil.copytree(ROOT / "shapes", root / "shapes")
    return root


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def http_get(
    url: str, accept: str | None = None, etag: str | None = None
) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url)
    if accept:
        request.add_header("Accept", accept)
    if etag:
        request.add_header("If-None-Match", etag)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return (
                response.status,
                {k.lower(): v for k, v in response.headers.items()},
                response.read(),
            )
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()
