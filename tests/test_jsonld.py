"""The compact JSON-LD writer is lossless: read back by PyLD and by pyoxigraph, same quads.

PyLD (an independent JSON-LD processor, the reference) and pyoxigraph parse the output;
both must give back exactly the dataset written. One known deviation of PyLD 3.3 is
allowed for: its toRdf rewrites a *string* ``@value`` typed ``xsd:double`` into the
canonical form (``"49.80187"`` becomes ``"4.980187E1"``), where JSON-LD 1.1 only
canonicalises JSON numbers (digitalbazaar/pyld#202). So doubles are compared by value
against PyLD, exactly against pyoxigraph.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from pyld import jsonld as pyld

from pressgraph.errors import DataError, ExportError
from pressgraph.jsonld import Compactor, load_context, no_remote_loader, to_quads, write_dataset
from pressgraph.project import Project
from pressgraph.settings import Settings
from pressgraph.synth import generate, write_corpus

ROOT = Path(__file__).resolve().parents[1]
CONTEXT = load_context(ROOT / "ontology" / "context.jsonld")
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
S = "http://schema.org/"
ID = "https://data.example.org/id/"
N, L, B = ox.NamedNode, ox.Literal, ox.BlankNode


def canonical(quads: Any) -> set[ox.Quad]:
    ds = ox.Dataset(list(quads))
    ds.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return set(ds)


def doubles_by_value(quads: set[ox.Quad]) -> set[Any]:
    def term(t: Any) -> Any:
        if isinstance(t, ox.Literal) and t.datatype.value == XSD + "double":
            try:
                return ("double", float(t.value))
            except ValueError:
                return t
        return t

    return {(q.subject, q.predicate, term(q.object), q.graph_name) for q in quads}


def assert_lossless(quads: list[ox.Quad], context: dict[str, Any] = CONTEXT) -> bytes:
    out = write_dataset(quads, context)
    expected = canonical(quads)
    by_oxigraph = canonical(ox.parse(out, format=ox.RdfFormat.JSON_LD))
    assert by_oxigraph == expected, sorted(map(str, by_oxigraph ^ expected))[:6]
    by_pyld = canonical(to_quads(json.loads(out)))
    assert doubles_by_value(by_pyld) == doubles_by_value(expected)
    return out


GRAPH = N("https://data.example.org/graph/t")


def q(s: Any, p: str, o: Any, g: Any = GRAPH) -> ox.Quad:
    return ox.Quad(s, N(p), o, g)


def lit(value: str, datatype: str | None = None, language: str | None = None) -> ox.Literal:
    if language:
        return L(value, language=language)
    return L(value, datatype=N(datatype)) if datatype else L(value)


EVENT = N(ID + "event/x")
ODD = N(ID + "event/odd")
TRICKY = [
    # language-tagged strings: the term's own language, another one, a region subtag
    q(EVENT, S + "name", lit("Seminar", language="en")),
    q(EVENT, S + "name", lit("Семинар", language="ru")),
    q(EVENT, S + "description", lit("colour", language="en-gb")),
    # strings on a term with a language: plain and explicitly typed xsd:string
    q(EVENT, S + "name", lit("no language")),
    q(EVENT, S + "alternateName", lit("typed string", XSD + "string")),
    # typed literals whose datatype differs from the term's coercion
    q(EVENT, S + "startDate", lit("2016-10-06", XSD + "date")),
    q(EVENT, S + "startDate", lit("2016", XSD + "gYear")),
    q(EVENT, "http://www.w3.org/ns/oa#start", lit("091", XSD + "nonNegativeInteger")),
    q(EVENT, "http://www.w3.org/ns/oa#start", lit("5", XSD + "integer")),
    q(EVENT, S + "latitude", lit("49.80187", XSD + "double")),
    q(EVENT, S + "latitude", lit("INF", XSD + "double")),
    q(EVENT, S + "flag", lit("1", XSD + "boolean")),
    q(EVENT, S + "amount", lit("1.50", XSD + "decimal")),
    q(EVENT, S + "amount", lit("not a number", XSD + "decimal")),
    # an IRI as the value of a property coerced to a datatype
    q(EVENT, S + "startDate", N("http://example.org/a-date")),
    # literals that look like IRIs, compact IRIs and blank nodes, on an @id-coerced property
    q(EVENT, S + "about", lit("https://data.example.org/id/event/y")),
    q(EVENT, S + "about", lit("event:y")),
    q(EVENT, S + "about", lit("_:b0")),
    q(EVENT, S + "about", N(ID + "concept/c")),
    q(EVENT, S + "headline", lit("https://data.example.org/id/event/x")),
    # one property, values of every kind (numericValue: xsd:integer, quantity: @id)
    q(EVENT, S + "value", N(ID + "value/v")),
    q(EVENT, S + "value", lit("180", XSD + "integer")),
    q(EVENT, S + "value", lit("some", language="en")),
    q(EVENT, S + "value", lit("text")),
    q(EVENT, S + "value", B("b1")),
    # blank nodes as subjects and objects
    q(B("b1"), S + "name", lit("a blank node", language="en")),
    q(B("b1"), S + "subEvent", B("b2")),
    # odd strings
    q(EVENT, S + "text", lit('quote "x"\nline\ttab \\ ☃ 😀 \u2028 \u0001')),
    q(EVENT, S + "text", lit("")),
    # properties and types with no term, and rdf:type with other objects
    q(EVENT, "http://other.example/p", lit("o")),
    q(EVENT, "http://schema.org//double-slash", lit("after a prefix, // starts an IRI")),
    q(EVENT, RDF + "type", N(S + "EducationEvent")),
    q(EVENT, RDF + "type", N("http://other.example/T")),
    q(EVENT, RDF + "type", lit("a literal type")),
    q(EVENT, RDF + "type", B("b2")),
    # IRIs equal to a namespace, with another scheme, with non-ASCII characters
    q(EVENT, S + "sameAs", N(S)),
    q(EVENT, S + "url", N("urn:isbn:0451450523")),
    q(EVENT, S + "sameAs", N(ID + "place/Алматы")),
    # IRIs the context would misread as compact IRIs (scheme = a prefix of the context)
    q(ODD, S + "about", N("event:not-compact")),
    q(N("event:subject"), S + "name", lit("odd subject", language="en")),
    q(EVENT, "event:predicate", lit("odd predicate"), N("https://data.example.org/graph/t2")),
    q(EVENT, S + "startDate", L("x", datatype=N("event:datatype")),
      N("https://data.example.org/graph/t2")),
    q(EVENT, RDF + "type", N("place:Type"), N("https://data.example.org/graph/t3")),
    q(EVENT, S + "name", lit("in an odd graph", language="en"), N("graph:odd")),
    # a blank node graph, the default graph, a default-graph node that is a graph name
    q(EVENT, S + "name", lit("in a blank graph", language="en"), B("g1")),
    q(B("b1"), S + "name", lit("in the default graph", language="en"), ox.DefaultGraph()),
    q(N("https://data.example.org/graph/t"), "http://purl.org/dc/terms/source",
      N(ID + "article/a"), ox.DefaultGraph()),
    q(B("g1"), "http://purl.org/dc/terms/source", N(ID + "article/a"), ox.DefaultGraph()),
]


def test_tricky_cases_are_lossless() -> None:
    out = assert_lossless(TRICKY)
    text = out.decode()
    # what can be compact is compact
    assert '"@id": "event:x"' in text
    assert '"name": "Seminar"' in text
    assert '"startDate": "2016-10-06"' in text
    assert '"numericValue": "180"' in text
    assert '"quantity": ["value:v", "_:b1"]' in text
    assert '"@type": ["http://other.example/T", "EducationEvent"]' in text
    # what cannot is expanded
    assert '{"@language": "ru", "@value": "Семинар"}' in text
    assert '"schema:name": ["no language", {"@language": "ru", "@value": "Семинар"}]' in text
    assert '{"@context": null, "@id": "https://data.example.org/id/event/odd"' in text


def test_the_seed_project_is_lossless() -> None:
    p = Project.load(ROOT)
    assert_lossless(list(p.quads()))


def test_a_synthetic_corpus_is_lossless(tmp_path: Path) -> None:
    write_corpus(generate(3, seed=11, defects=2), tmp_path, source=ROOT)
    p = Project.load(settings=Settings(root=tmp_path))
    assert_lossless(list(p.quads()))


def test_output_is_deterministic_and_sorted() -> None:
    shuffled = list(TRICKY)
    random.Random(4).shuffle(shuffled)
    assert write_dataset(TRICKY, CONTEXT) == write_dataset(shuffled + TRICKY[:5], CONTEXT)
    doc = json.loads(write_dataset(TRICKY, CONTEXT))
    named = [g["@id"] for g in doc["@graph"] if "@graph" in g]
    assert named == sorted(named, key=lambda g: (g.startswith("_:"), g))
    assert named[1:4] == [f"https://data.example.org/graph/t{n}" for n in ("", "2", "3")]


def test_context_features_it_does_not_model() -> None:
    ctx = {
        "ex": "http://example.org/",
        "listed": {"@id": "ex:p", "@container": "@list"},
        "reversed": {"@reverse": "ex:q"},
        "vocab": {"@id": "ex:r", "@type": "@vocab"},
    }
    quads = [
        q(N("http://example.org/s"), "http://example.org/p", lit("a")),
        q(N("http://example.org/s"), "http://example.org/q", N("http://example.org/o")),
        q(N("http://example.org/s"), "http://example.org/r", N("http://example.org/o")),
    ]
    nodes = json.loads(assert_lossless(quads, ctx))["@graph"]
    assert not {"listed", "reversed", "vocab"} & {k for g in nodes for n in g["@graph"] for k in n}
    with pytest.raises(ExportError, match="@import"):
        Compactor({"@import": "https://example.org/ctx.jsonld"})
    with pytest.raises(ExportError, match="inline"):
        Compactor("https://schema.org")  # type: ignore[arg-type]


def test_a_default_language_in_the_context() -> None:
    ctx = {"@language": "fr", "ex": "http://example.org/"}
    quads = [
        q(N("http://example.org/s"), "http://example.org/p", lit("sans langue")),
        q(N("http://example.org/s"), "http://example.org/p", lit("en français", language="fr")),
    ]
    out = assert_lossless(quads, ctx).decode()
    assert '"ex:p": ["en français", {"@value": "sans langue"}]' in out


def test_what_json_ld_cannot_say_is_refused() -> None:
    triple_term = ox.Triple(EVENT, N(S + "name"), lit("x"))
    with pytest.raises(ExportError, match="triple terms"):
        write_dataset([q(EVENT, S + "about", triple_term)], CONTEXT)
    directional = L("שלום", language="he", direction=ox.BaseDirection.RTL)
    with pytest.raises(ExportError, match="base direction"):
        write_dataset([q(EVENT, S + "name", directional)], CONTEXT)


def test_remote_documents_are_never_loaded() -> None:
    with pytest.raises(DataError, match="refusing to load"):
        to_quads({"@context": "https://schema.org", "name": "x"})
    with pytest.raises(pyld.JsonLdError):
        no_remote_loader("https://example.org/context.jsonld")
