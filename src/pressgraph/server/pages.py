"""Pages for people: home, entity pages by kind, graphs, the vocabulary, the map.

Templates are Jinja2 with autoescape on; every value is escaped. Pages work
without JavaScript; each embeds its schema.org JSON-LD.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import jinja2
import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response

from .. import __version__
from ..namespaces import PREFIXES
from ..project import ONTOLOGY_GRAPH
from .context import Context, context
from .display import RDF_TYPE, Labeler, curie, schema_org, script_json
from .dumps import list_dumps, void_description
from .entities import KINDS as LAYOUT_CLASSES
from .entities import _Reader, build_view, kind_of, map_points
from .negotiation import RDF_SUFFIXES
from .problems import KINDS
from .representations import conditional_response
from .resources import Description

__all__ = [
    "entity_page",
    "graph_page",
    "home",
    "make_templates",
    "map_page",
    "not_found_page",
    "problems_page",
    "render",
    "vocabulary_page",
]

OA, PROV, S = PREFIXES["oa"], PREFIXES["prov"], PREFIXES["schema"]


def make_templates() -> jinja2.Environment:
    """The template environment (autoescape on for every template)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("pressgraph", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals["version"] = __version__
    env.filters["curie"] = curie
    return env


def render(request: Request, template: str, **values: Any) -> bytes:
    """Render ``template`` with the common values (site title, write mode)."""
    ctx = context(request)
    page = ctx.templates.get_template(template)
    return page.render(request_path=request.url.path, writable=ctx.writable, **values).encode()


def html(request: Request, template: str, status: int = 200, **values: Any) -> Response:
    return Response(
        render(request, template, **values), status, media_type="text/html; charset=utf-8"
    )


def _labels(ctx: Context) -> Labeler:
    return Labeler(ctx.dataset.store, ctx.base)


def _alternates(path: str) -> list[dict[str, str]]:
    return [
        {"href": path + s, "media": m, "suffix": s} for s, m in RDF_SUFFIXES.items() if s != ".html"
    ]


def entity_page(request: Request, found: Description) -> bytes:
    """The page of one resource, laid out for its kind."""
    ctx = context(request)
    store = ctx.dataset.store
    labels = _labels(ctx)
    kind = kind_of(store, ctx.kinds, found.iri)
    grouped: dict[str, dict[str, Any]] = {}
    types = []
    for q in found.outgoing:
        if q.subject != ox.NamedNode(found.iri):
            continue
        if q.predicate.value == RDF_TYPE:
            types.append(q.object)
        row = grouped.setdefault(
            q.predicate.value, {"prop": labels.term(q.predicate), "values": {}}
        )
        key = str(q.object)
        entry = row["values"].setdefault(key, {"value": labels.term(q.object), "graphs": []})
        graph = labels.term(q.graph_name)
        if graph not in entry["graphs"]:
            entry["graphs"].append(graph)
    statements = [
        {"prop": row["prop"], "values": list(row["values"].values())}
        for _, row in sorted(
            grouped.items(), key=lambda kv: (kv[0] != RDF_TYPE, kv[1]["prop"]["text"])
        )
    ]
    incoming = sorted(
        (
            {
                "subject": labels.term(q.subject),
                "prop": labels.term(q.predicate),
                "graph": labels.term(q.graph_name),
            }
            for q in found.incoming
        ),
        key=lambda r: (r["prop"]["text"], r["subject"]["text"]),
    )
    path = ctx.path_for_iri(found.iri) or request.url.path
    return render(
        request,
        "entity.html",
        iri=found.iri,
        title=labels.label(found.iri) or curie(found.iri),
        kind=kind,
        view=build_view(store, labels, kind, found.iri),
        types=labels.terms(sorted(set(types), key=str)),
        statements=statements,
        incoming=incoming,
        alternates=_alternates(path),
        jsonld=script_json(schema_org(found.iri, found.outgoing)),
    )


def graph_page(request: Request, iri: str) -> Response:
    """The page of a named graph: its provenance (the words it comes from) and its statements."""
    ctx = context(request)
    store = ctx.dataset.store
    labels = _labels(ctx)
    node = ox.NamedNode(iri)
    quads = sorted(
        store.quads_for_pattern(None, None, None, node),
        key=lambda q: (str(q.subject), str(q.predicate), str(q.object)),
    )
    reader = _Reader(store, labels)
    spans = []
    for span in reader.objects(node, PROV + "wasDerivedFrom"):
        if not isinstance(span, ox.NamedNode | ox.BlankNode):
            continue
        exact = ""
        for selector in reader.objects(span, OA + "hasSelector"):
            if isinstance(selector, ox.NamedNode | ox.BlankNode):
                exact = exact or reader.text(selector, OA + "exact")
        spans.append(
            {
                "term": labels.term(span),
                "exact": exact,
                "source": reader.show(reader.objects(span, OA + "hasSource")),
            }
        )
    path = ctx.path_for_iri(iri) or request.url.path
    body = render(
        request,
        "graph.html",
        iri=iri,
        title=labels.label(iri) or curie(iri),
        spans=spans,
        attributed=reader.show(reader.objects(node, PROV + "wasAttributedTo")),
        generated=reader.show(reader.objects(node, PROV + "wasGeneratedBy")),
        about=[
            {"prop": labels.term(q.predicate), "value": labels.term(q.object)}
            for q in store.quads_for_pattern(node, None, None)
        ],
        statements=[
            {"s": labels.term(q.subject), "p": labels.term(q.predicate), "o": labels.term(q.object)}
            for q in quads
        ],
        alternates=_alternates(path),
        jsonld=script_json({"@context": "https://schema.org", "@id": iri, "@type": "Dataset"}),
    )
    return conditional_response(request, body, "text/html", ctx.dataset.etag("graph-page", iri))


def not_found_page(request: Request, iri: str) -> Response:
    """404 as a page, for people who followed a link to an unknown IRI."""
    return html(request, "not_found.html", 404, iri=iri, title="Not found")


def vocabulary_page(request: Request) -> bytes:
    """Documentation of the project vocabulary: classes, properties, concept schemes."""
    ctx = context(request)
    labels = _labels(ctx)
    onto = ox.Store()
    onto.bulk_extend(ctx.project.ontology)
    r = _Reader(onto, Labeler(onto, ctx.base))
    ns_graph = ox.NamedNode(ONTOLOGY_GRAPH)
    rdfs, owl, skos = PREFIXES["rdfs"], PREFIXES["owl"], PREFIXES["skos"]
    terms: dict[str, set[str]] = {}
    for q in onto.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), None, ns_graph):
        if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(ONTOLOGY_GRAPH + "#"):
            terms.setdefault(q.subject.value, set()).add(q.object.value)

    def entry(iri: str) -> dict[str, Any]:
        node = ox.NamedNode(iri)
        return {
            "iri": iri,
            "anchor": iri.split("#", 1)[1],
            "label": r.text(node, rdfs + "label") or iri.split("#", 1)[1],
            "definition": r.text(node, skos + "definition"),
            "comment": r.text(node, rdfs + "comment"),
            "super": labels.terms(
                r.objects(node, rdfs + "subClassOf") + r.objects(node, rdfs + "subPropertyOf")
            ),
            "domain": labels.terms(r.objects(node, rdfs + "domain")),
            "range": labels.terms(r.objects(node, rdfs + "range")),
            "matches": labels.terms(
                r.objects(node, skos + "closeMatch") + r.objects(node, skos + "exactMatch")
            ),
        }

    classes = [entry(i) for i, t in sorted(terms.items()) if {owl + "Class", rdfs + "Class"} & t]
    properties = [
        entry(i) for i, t in sorted(terms.items()) if not {owl + "Class", rdfs + "Class"} & t
    ]
    schemes = []
    for scheme in r.subjects(RDF_TYPE, ox.NamedNode(skos + "ConceptScheme")):
        concepts = sorted(
            (
                {
                    "term": labels.term(c),
                    "definition": r.text(c, skos + "definition"),
                    "broader": labels.terms(r.objects(c, skos + "broader")),
                }
                for c in set(r.subjects(skos + "inScheme", scheme))
                | set(r.objects(scheme, skos + "hasTopConcept"))
            ),
            key=lambda c: c["term"]["text"].lower(),
        )
        schemes.append(
            {
                "term": labels.term(scheme),
                "definition": r.text(scheme, skos + "definition"),
                "concepts": concepts,
            }
        )
    node = ox.NamedNode(ONTOLOGY_GRAPH)
    return render(
        request,
        "vocabulary.html",
        iri=ONTOLOGY_GRAPH,
        title=r.text(node, rdfs + "label") or "Vocabulary",
        comment=r.text(node, rdfs + "comment"),
        version=r.text(node, owl + "versionInfo"),
        classes=classes,
        properties=properties,
        schemes=schemes,
        alternates=_alternates("/ns"),
        jsonld=script_json(
            {
                "@context": "https://schema.org",
                "@id": ONTOLOGY_GRAPH,
                "@type": "DefinedTermSet",
                "name": r.text(node, rdfs + "label"),
            }
        ),
    )


def _counts(ctx: Context) -> dict[str, Any]:
    key = ("counts", ctx.dataset.generation)
    if ctx.cache.get("counts", (None,))[0] == key:
        return ctx.cache["counts"][1]  # type: ignore[no-any-return]
    store = ctx.dataset.store
    labels = _labels(ctx)
    types = Counter(
        q.object.value
        for q in store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), None)
        if isinstance(q.object, ox.NamedNode) and not _is_ontology(q.graph_name)
    )
    entities = Counter()
    subjects: dict[str, set[str]] = {}
    for q in store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), None):
        if isinstance(q.object, ox.NamedNode) and not _is_ontology(q.graph_name):
            subjects.setdefault(q.object.value, set()).add(str(q.subject))
    for t, s in subjects.items():
        entities[t] = len(s)
    by_type = [
        {"type": labels.term(ox.NamedNode(t)), "count": n, "examples": _examples(ctx, t, labels)}
        for t, n in sorted(entities.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    main_classes = [cls for _, cls in LAYOUT_CLASSES] + [S + "Quotation", S + "Observation"]

    def rank(cls: str) -> int:
        ancestors = ctx.kinds.ancestors(cls)
        return next((i for i, c in enumerate(main_classes) if c in ancestors), len(main_classes))

    by_type.sort(key=lambda t: (rank(t["type"]["title"]), -t["count"], t["type"]["text"]))
    value = {
        "triples": len(store),
        "graphs": len(ctx.dataset.graph_names()),
        "main": [t for t in by_type if rank(t["type"]["title"]) < len(main_classes)],
        "other": [t for t in by_type if rank(t["type"]["title"]) == len(main_classes)],
        "typed": sum(types.values()),
    }
    ctx.cache["counts"] = (key, value)
    return value


def _examples(ctx: Context, cls: str, labels: Labeler) -> list[dict[str, Any]]:
    found = []
    for q in ctx.dataset.store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(cls)):
        if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(ctx.base):
            term = labels.term(q.subject)
            if term not in found:
                found.append(term)
        if len(found) >= 5:
            break
    return found


def _is_ontology(graph: Any) -> bool:
    return isinstance(graph, ox.NamedNode) and (
        graph.value == ONTOLOGY_GRAPH or "/graph/ontology-" in graph.value
    )


async def home(request: Request) -> Response:
    """The home page: what the dataset is, its counts, queries, dumps and endpoints."""
    ctx = context(request)
    dumps = list_dumps(ctx)
    etag = ctx.dataset.etag("home", *(d.sha256 for d in dumps))
    body = ctx.dataset.recall(etag)
    if body is None:
        body = ctx.dataset.remember(etag, _home_page(request, ctx, dumps))
    return conditional_response(request, body, "text/html", etag)


def _home_page(request: Request, ctx: Context, dumps: list[Any]) -> bytes:
    void = list(ox.parse(void_description(ctx), format=ox.RdfFormat.TURTLE))
    dataset = ox.NamedNode(ctx.base + "dataset")
    dcterms = PREFIXES["dcterms"]

    def about(prop: str, default: str) -> str:
        return next(
            (
                q.object.value
                for q in void
                if q.subject == dataset and q.predicate.value == dcterms + prop
            ),
            default,
        )

    title, description = about("title", "pressgraph"), about("description", "")
    return render(
        request,
        "home.html",
        title=title,
        description=description,
        counts=_counts(ctx),
        queries=list(ctx.project.queries.values()),
        dumps=dumps,
        jsonld=script_json(
            {
                "@context": "https://schema.org",
                "@type": "Dataset",
                "@id": ctx.base + "dataset",
                "name": title,
                "description": description,
            }
        ),
    )


async def map_page(request: Request) -> Response:
    """``/map``: every place with coordinates on an offline SVG map."""
    ctx = context(request)
    labels = _labels(ctx)
    points = map_points(_Reader(ctx.dataset.store, labels))
    return html(
        request,
        "map.html",
        title="Map of places",
        points=points,
        jsonld=script_json(
            {"@context": "https://schema.org", "@type": "Map", "name": "Map of places"}
        ),
    )


async def problems_page(request: Request) -> Response:
    """``/problems``: what each ``type`` of an error response means."""
    kinds = [{"kind": k, "title": t, "text": d} for k, (t, d) in sorted(KINDS.items())]
    return html(request, "problems.html", title="Error types", kinds=kinds, jsonld=script_json({}))
