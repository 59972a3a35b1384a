"""Page layouts by kind: what to show for an event, a person, an organisation, a place, an article.

:func:`kind_of` reads the class hierarchy of the ontology (``rdfs:subClassOf``),
so ``schema:EducationEvent`` is laid out as an event and ``schema:City`` as a
place. Each ``*_view`` returns plain data for its template partial.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise
from typing import Any

import pyoxigraph as ox

from ..namespaces import PREFIXES
from .display import RDF_TYPE, Labeler
from .geo import MapPoint, coordinates, places_with_coordinates, project_points

__all__ = ["KINDS", "Hierarchy", "build_view", "kind_of"]

S, ORG, PG, OA, PROV, TIME, SKOS = (
    PREFIXES[p] for p in ("schema", "org", "pg", "oa", "prov", "time", "skos")
)
SUBCLASS = PREFIXES["rdfs"] + "subClassOf"
#: kind -> the class whose subclasses are laid out that way, most specific first
KINDS: list[tuple[str, str]] = [
    ("article", S + "Article"),
    ("event", S + "Event"),
    ("person", S + "Person"),
    ("organisation", S + "Organization"),
    ("organisation", ORG + "Organization"),
    ("place", S + "Place"),
]
Node = ox.NamedNode | ox.BlankNode


class Hierarchy:
    """Superclasses of each class, from the ontology's ``rdfs:subClassOf``."""

    def __init__(self, quads: Iterable[ox.Quad]) -> None:
        self.parents: dict[str, set[str]] = {}
        for q in quads:
            if q.predicate.value == SUBCLASS and isinstance(q.object, ox.NamedNode):
                self.parents.setdefault(q.subject.value, set()).add(q.object.value)

    def ancestors(self, cls: str) -> set[str]:
        seen, todo = {cls}, [cls]
        while todo:
            for parent in self.parents.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen


def types_of(store: ox.Store, node: Node) -> list[str]:
    return sorted(
        q.object.value
        for q in store.quads_for_pattern(node, ox.NamedNode(RDF_TYPE), None)
        if isinstance(q.object, ox.NamedNode)
    )


def kind_of(store: ox.Store, hierarchy: Hierarchy, iri: str) -> str:
    """The layout for ``iri``: article, event, person, organisation, place or generic."""
    classes: set[str] = set()
    for t in types_of(store, ox.NamedNode(iri)):
        classes |= hierarchy.ancestors(t)
    return next((kind for kind, cls in KINDS if cls in classes), "generic")


class _Reader:
    """Small pattern lookups over the store, labelled for display."""

    def __init__(self, store: ox.Store, labels: Labeler) -> None:
        self.store = store
        self.labels = labels

    def objects(self, node: Node, prop: str) -> list[Any]:
        out = {q.object for q in self.store.quads_for_pattern(node, ox.NamedNode(prop), None)}
        return sorted(out, key=str)

    def subjects(self, prop: str, node: Node) -> list[Any]:
        out = {q.subject for q in self.store.quads_for_pattern(None, ox.NamedNode(prop), node)}
        return sorted(out, key=str)

    def first(self, node: Node, prop: str) -> Any:
        values = self.objects(node, prop)
        return values[0] if values else None

    def show(self, terms: Iterable[Any]) -> list[dict[str, Any]]:
        return self.labels.terms(terms)

    def text(self, node: Node, prop: str) -> str:
        value = self.first(node, prop)
        return value.value if isinstance(value, ox.Literal) else ""

    def is_a(self, node: Node, cls: str) -> bool:
        pattern = self.store.quads_for_pattern(node, ox.NamedNode(RDF_TYPE), ox.NamedNode(cls))
        return next(iter(pattern), None) is not None


def _date_of(r: _Reader, node: Node) -> str:
    return r.text(node, S + "startDate") or r.text(node, S + "endDate")


def event_view(r: _Reader, node: ox.NamedNode) -> dict[str, Any]:
    co = r.objects(node, PG + "coOrganizer")
    organisers = [o for o in r.objects(node, S + "organizer") if o not in co]
    audiences = []
    for a in r.objects(node, S + "audience"):
        if not isinstance(a, ox.NamedNode | ox.BlankNode):
            continue
        audiences.append(
            {
                "term": r.labels.term(a),
                "types": r.show(
                    r.objects(a, PG + "audienceTypeConcept") + r.objects(a, S + "audienceType")
                ),
            }
        )
    targets = []
    for value in r.objects(node, PG + "targetParticipantCount"):
        if isinstance(value, ox.NamedNode | ox.BlankNode):
            hedge = r.first(value, S + "valueReference")
            targets.append(
                {
                    "number": r.text(value, S + "value"),
                    "hedge": r.labels.term(hedge) if hedge is not None else None,
                    "words": r.text(value, S + "description"),
                    "term": r.labels.term(value),
                }
            )
    subs = []
    for sub in r.objects(node, S + "subEvent"):
        if isinstance(sub, ox.NamedNode):
            subs.append(
                {
                    "term": r.labels.term(sub),
                    "date": _date_of(r, sub),
                    "where": r.show(r.objects(sub, S + "location")),
                }
            )
    subs.sort(key=lambda s: (s["date"], s["term"]["text"]))
    return {
        "series": r.is_a(node, S + "EventSeries"),
        "start": r.text(node, S + "startDate"),
        "end": r.text(node, S + "endDate"),
        "where": r.show(r.objects(node, S + "location")),
        "organisers": r.show(organisers),
        "co_organisers": r.show(co),
        "attendees": r.show(r.objects(node, S + "attendee")),
        "audiences": audiences,
        "targets": targets,
        "topics": r.show(r.objects(node, S + "about")),
        "aims": r.show(r.objects(node, PG + "aimsToAddress")),
        "super_events": r.show(r.objects(node, S + "superEvent")),
        "sub_events": subs,
        "programmes": r.show(r.objects(node, PG + "partOfProgramme")),
    }


def _interval_text(r: _Reader, interval: Any) -> str:
    """'on 2016-10-06' for an interval known only to contain that day."""
    if not isinstance(interval, ox.NamedNode | ox.BlankNode):
        return ""
    for instant in r.objects(interval, TIME + "inside"):
        if isinstance(instant, ox.NamedNode | ox.BlankNode):
            day = r.text(instant, TIME + "inXSDDate") or r.text(instant, TIME + "inXSDDateTime")
            if day:
                return f"in post on {day}; start and end not stated"
    start = r.first(interval, TIME + "hasBeginning")
    end = r.first(interval, TIME + "hasEnd")
    if start is not None or end is not None:
        begin_text = r.text(start, TIME + "inXSDDate") if start is not None else ""
        end_text = r.text(end, TIME + "inXSDDate") if end is not None else ""
        return f"from {begin_text or '?'} to {end_text or '?'}"
    return ""


def person_view(r: _Reader, node: ox.NamedNode) -> dict[str, Any]:
    posts = []
    for m in r.subjects(ORG + "member", node):
        if not isinstance(m, ox.NamedNode | ox.BlankNode):
            continue
        posts.append(
            {
                "term": r.labels.term(m),
                "organisations": r.show(r.objects(m, ORG + "organization")),
                "roles": r.show(r.objects(m, ORG + "role")),
                "role_names": [v.value for v in r.objects(m, S + "roleName")],
                "when": _interval_text(r, r.first(m, ORG + "memberDuring")),
            }
        )
    return {"posts": posts, "quotes": _quotes(r, node)}


def _quotes(r: _Reader, node: ox.NamedNode) -> list[dict[str, Any]]:
    quotes = []
    seen = set()
    for q in r.store.quads_for_pattern(None, None, node):
        quote = q.subject
        if quote in seen or not r.is_a(quote, S + "Quotation"):
            continue
        seen.add(quote)
        quotes.append({"term": r.labels.term(quote), "text": r.text(quote, S + "text")})
    return sorted(quotes, key=lambda x: x["term"]["title"])


def organisation_view(r: _Reader, node: ox.NamedNode) -> dict[str, Any]:
    co = r.subjects(PG + "coOrganizer", node)
    organised = [e for e in r.subjects(S + "organizer", node) if e not in co]
    people = []
    for m in r.subjects(ORG + "organization", node):
        if isinstance(m, ox.NamedNode | ox.BlankNode):
            for person in r.objects(m, ORG + "member"):
                people.append(
                    {
                        "person": r.labels.term(person),
                        "roles": r.show(r.objects(m, ORG + "role")),
                        "membership": r.labels.term(m),
                    }
                )
    return {
        "units": r.show(
            set(r.subjects(ORG + "unitOf", node)) | set(r.objects(node, ORG + "hasUnit"))
        ),
        "parents": r.show(
            set(r.objects(node, ORG + "unitOf"))
            | set(r.objects(node, ORG + "subOrganizationOf"))
            | set(r.objects(node, S + "parentOrganization"))
        ),
        "alternate_names": [v.value for v in r.objects(node, S + "alternateName")],
        "organised": r.show(organised),
        "co_organised": r.show(co),
        "attended": r.show(r.subjects(S + "attendee", node)),
        "people": people,
        "same_as": r.show(r.objects(node, S + "sameAs")),
    }


def place_view(r: _Reader, node: ox.NamedNode) -> dict[str, Any]:
    containing, todo = [], list(r.objects(node, S + "containedInPlace"))
    while todo:
        parent = todo.pop(0)
        if parent in containing or parent == node:
            continue
        containing.append(parent)
        if isinstance(parent, ox.NamedNode):
            todo += r.objects(parent, S + "containedInPlace")
    where = coordinates(r.store, node)
    return {
        "events": r.show(r.subjects(S + "location", node)),
        "lat": where[0] if where else None,
        "lon": where[1] if where else None,
        "map": map_points(r, highlight=node.value) if where else [],
        "containing": r.show(containing),
        "contained": r.show(r.subjects(S + "containedInPlace", node)),
        "same_as": r.show(r.objects(node, S + "sameAs")),
    }


def map_points(r: _Reader, highlight: str | None = None) -> list[MapPoint]:
    """Every place with coordinates, projected for the SVG map."""
    points = [
        MapPoint(
            node.value,
            r.labels.label(node.value) or node.value.rsplit("/", 1)[-1],
            r.labels.href(node.value),
            lat,
            lon,
            highlight=node.value == highlight,
        )
        for node, lat, lon in places_with_coordinates(r.store)
    ]
    project_points(points)
    return points


def article_view(r: _Reader, node: ox.NamedNode) -> dict[str, Any]:
    body = r.text(node, S + "articleBody")
    spans = []
    for span in r.subjects(OA + "hasSource", node):
        if not isinstance(span, ox.NamedNode | ox.BlankNode):
            continue
        graphs = [
            g for g in r.subjects(PROV + "wasDerivedFrom", span) if isinstance(g, ox.NamedNode)
        ]
        for selector in r.objects(span, OA + "hasSelector"):
            if not isinstance(selector, ox.NamedNode | ox.BlankNode):
                continue
            start, end = r.text(selector, OA + "start"), r.text(selector, OA + "end")
            if start.isdigit() and end.isdigit() and graphs:
                spans.append((int(start), int(end), graphs))
    return {
        "headline": r.text(node, S + "headline"),
        "published": r.text(node, S + "datePublished"),
        "publisher": r.show(r.objects(node, S + "publisher")),
        "segments": highlight_segments(body, spans, r.labels),
        "span_count": len(spans),
    }


def highlight_segments(
    body: str, spans: list[tuple[int, int, list[ox.NamedNode]]], labels: Labeler
) -> list[dict[str, Any]]:
    """``body`` cut at every span boundary; each piece knows the claim graphs it supports."""
    cuts = {0, len(body)}
    for start, end, _ in spans:
        if 0 <= start < end <= len(body):
            cuts |= {start, end}
    points = sorted(cuts)
    segments = []
    for a, b in pairwise(points):
        covering = [(e - s, g) for s, e, g in spans if s <= a and b <= e]
        covering.sort(key=lambda c: c[0])
        graphs = [g for _, gs in covering for g in gs]
        segments.append(
            {
                "text": body[a:b],
                "href": labels.href(graphs[0].value) if graphs else None,
                "graphs": [g.value for g in graphs],
            }
        )
    return segments


VIEWS = {
    "event": event_view,
    "person": person_view,
    "organisation": organisation_view,
    "place": place_view,
    "article": article_view,
}


def build_view(store: ox.Store, labels: Labeler, kind: str, iri: str) -> dict[str, Any]:
    """The data the ``kinds/<kind>.html`` partial shows (empty for the generic layout)."""
    builder = VIEWS.get(kind)
    return builder(_Reader(store, labels), ox.NamedNode(iri)) if builder else {}
