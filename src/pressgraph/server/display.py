"""How RDF terms are shown to people: labels, links, literals, and schema.org JSON-LD.

Every value reaches a template as a plain dict and is escaped there (Jinja2
autoescape); the JSON-LD embedded in a page is escaped for ``<script>``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox
from markupsafe import Markup

from ..namespaces import PREFIXES, curie

__all__ = ["Labeler", "curie", "schema_org", "script_json"]

RDF_TYPE = PREFIXES["rdf"] + "type"
SCHEMA = PREFIXES["schema"]
_LABEL_PROPERTIES = [
    ox.NamedNode(SCHEMA + "name"),
    ox.NamedNode(PREFIXES["skos"] + "prefLabel"),
    ox.NamedNode(PREFIXES["rdfs"] + "label"),
    ox.NamedNode(SCHEMA + "headline"),
    ox.NamedNode(PREFIXES["dcterms"] + "title"),
    ox.NamedNode(SCHEMA + "roleName"),
]


class Labeler:
    """Labels and links for terms, looked up in the store once per term."""

    def __init__(self, store: ox.Store, base: str) -> None:
        self.store = store
        self.base = base
        self._cache: dict[str, str | None] = {}

    def label(self, iri: str) -> str | None:
        """The best human label of ``iri`` (English or untagged first), if it has one."""
        if iri in self._cache:
            return self._cache[iri]
        node = ox.NamedNode(iri)
        found: str | None = None
        for prop in _LABEL_PROPERTIES:
            values = [
                q.object
                for q in self.store.quads_for_pattern(node, prop, None)
                if isinstance(q.object, ox.Literal)
            ]
            if values:
                values.sort(key=lambda lit: (lit.language not in (None, "en"), lit.value))
                found = values[0].value
                break
        self._cache[iri] = found
        return found

    def href(self, iri: str) -> str:
        """Where a link to ``iri`` points: the local page for IRIs under the base."""
        if iri.startswith(self.base):
            return "/" + iri[len(self.base) :]
        return iri

    def term(
        self, term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.DefaultGraph | Any
    ) -> dict[str, Any]:
        """A term as a dict a template renders: kind, text, href, title, lang, datatype."""
        if isinstance(term, ox.NamedNode):
            label = self.label(term.value)
            return {
                "kind": "iri",
                "text": label or curie(term.value),
                "href": self.href(term.value),
                "title": term.value,
                "local": term.value.startswith(self.base),
            }
        if isinstance(term, ox.BlankNode):
            return {"kind": "bnode", "text": f"_:{term.value}", "href": None, "title": ""}
        if isinstance(term, ox.Literal):
            datatype = term.datatype.value if term.datatype else ""
            shown = "" if term.language or datatype.endswith("#string") else curie(datatype)
            return {
                "kind": "literal",
                "text": term.value,
                "href": None,
                "title": shown,
                "lang": term.language or "",
                "datatype": shown,
            }
        return {"kind": "graph", "text": "default graph", "href": None, "title": ""}

    def terms(self, values: Iterable[Any]) -> list[dict[str, Any]]:
        return [self.term(v) for v in values]


def schema_org(iri: str, quads: Iterable[ox.Quad]) -> dict[str, Any]:
    """The schema.org view of a resource as a JSON-LD object (co-organisers as ``organizer``)."""
    co_organizer = PREFIXES["pg"] + "coOrganizer"
    doc: dict[str, Any] = {"@context": "https://schema.org", "@id": iri}
    types: list[str] = []
    values: dict[str, list[Any]] = {}
    for q in quads:
        if not isinstance(q.subject, ox.NamedNode) or q.subject.value != iri:
            continue
        p = q.predicate.value
        if p == RDF_TYPE and isinstance(q.object, ox.NamedNode):
            if q.object.value.startswith(SCHEMA):
                types.append(q.object.value[len(SCHEMA) :])
            continue
        if p == co_organizer:
            p = SCHEMA + "organizer"
        if not p.startswith(SCHEMA):
            continue
        value = _json_value(q.object)
        bucket = values.setdefault(p[len(SCHEMA) :], [])
        if value not in bucket:
            bucket.append(value)
    if types:
        doc["@type"] = sorted(set(types)) if len(set(types)) > 1 else types[0]
    for key in sorted(values):
        vals = values[key]
        doc[key] = vals[0] if len(vals) == 1 else vals
    return doc


def _json_value(term: Any) -> Any:
    if isinstance(term, ox.NamedNode):
        return {"@id": term.value}
    if isinstance(term, ox.Literal):
        if term.language:
            return {"@value": term.value, "@language": term.language}
        dt = term.datatype.value
        if dt.endswith("#string"):
            return term.value
        return {"@value": term.value, "@type": dt}
    return {"@id": f"_:{term.value}"}


def script_json(doc: Any) -> Markup:
    """JSON safe inside ``<script type="application/ld+json">`` (no ``</script>`` escape)."""
    text = json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)
