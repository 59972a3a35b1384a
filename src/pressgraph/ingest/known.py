"""What ``data/`` (and ``ontology/``) already describe: organisations, people, places,
roles, concepts and audiences, with their names, so that a draft reuses their IRIs.

The announcement being ingested is left out (its own folder and its own reference
file), so ingesting the same text twice sees the same knowledge and writes the
same bytes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..namespaces import ORG, PREFIXES, RDF, SCHEMA, SKOS
from ..rdfio import parse_file
from .gazetteer import KnownPlace

__all__ = ["Known", "KnownOrg", "load_known"]

_GEONAMES = "https://sws.geonames.org/"
_NAMES = (str(SCHEMA.name), str(SCHEMA.alternateName))
_LABELS = (str(SKOS.prefLabel), str(SKOS.altLabel))


@dataclass(frozen=True)
class KnownOrg:
    """An organisation described in ``data/``."""

    iri: str
    names: tuple[str, ...]
    types: frozenset[str]
    parents: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()  # places it serves or is located in


@dataclass
class Known:
    """Entities already in the project, by kind."""

    orgs: list[KnownOrg] = field(default_factory=list)
    places: list[KnownPlace] = field(default_factory=list)
    people: dict[str, tuple[str, ...]] = field(default_factory=dict)
    roles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    concepts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    concept_schemes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    audiences: dict[str, tuple[str, ...]] = field(default_factory=dict)
    iris: set[str] = field(default_factory=set)

    def org(self, iri: str) -> KnownOrg | None:
        return next((o for o in self.orgs if o.iri == iri), None)


def _files(root: Path, exclude: list[Path]) -> list[Path]:
    found = []
    excluded = [p.resolve() for p in exclude]
    for folder, suffixes in ((root / "data", (".trig", ".nq")), (root / "ontology", (".ttl",))):
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or path.suffix.lower() not in suffixes:
                continue
            resolved = path.resolve()
            if any(resolved == e or e in resolved.parents for e in excluded):
                continue
            found.append(path)
    return found


def load_known(root: Path | None, exclude: list[Path] | None = None) -> Known:
    """Read ``root/data`` and ``root/ontology`` (minus ``exclude``); ``None``: nothing known."""
    known = Known()
    if root is None:
        return known
    quads: list[ox.Quad] = []
    for path in _files(Path(root), exclude or []):
        quads.extend(parse_file(path, "urn:x-pressgraph:ontology"))
    by_subject: dict[str, dict[str, list[ox.Term]]] = defaultdict(lambda: defaultdict(list))
    for quad in quads:
        if isinstance(quad.subject, ox.NamedNode):
            by_subject[quad.subject.value][quad.predicate.value].append(quad.object)

    def texts(props: dict[str, list[ox.Term]], keys: tuple[str, ...]) -> tuple[str, ...]:
        out: list[str] = []
        for key in keys:
            for value in props.get(key, []):
                if isinstance(value, ox.Literal) and value.value not in out:
                    out.append(value.value)
        return tuple(out)

    def iris(props: dict[str, list[ox.Term]], key: str) -> tuple[str, ...]:
        return tuple(sorted({v.value for v in props.get(key, []) if isinstance(v, ox.NamedNode)}))

    place_country: dict[str, str] = {}
    for iri, props in by_subject.items():
        types = set(iris(props, str(RDF.type)))
        if not types:
            continue
        known.iris.add(iri)
        if iri.startswith(PREFIXES["place"]) and types & {
            str(SCHEMA.City), str(SCHEMA.Country), str(SCHEMA.AdministrativeArea),
            str(SCHEMA.Place),
        }:  # fmt: skip
            geonames = next(
                (
                    int(s.rstrip("/").rsplit("/", 1)[1])
                    for s in iris(props, str(SCHEMA.sameAs))
                    if s.startswith(_GEONAMES)
                ),
                None,
            )
            kind = (
                "country"
                if str(SCHEMA.Country) in types
                else "city"
                if str(SCHEMA.City) in types
                else "region"
            )
            known.places.append(
                KnownPlace(iri, texts(props, _NAMES), kind, geonames, None)
            )
        elif iri.startswith(PREFIXES["orgs"]):
            parents = iris(props, str(ORG.unitOf)) + iris(props, str(ORG.subOrganizationOf))
            parents += iris(props, str(SCHEMA.parentOrganization))
            places = iris(props, str(SCHEMA.areaServed)) + iris(props, str(SCHEMA.location))
            places += iris(props, str(PREFIXES["pg"] + "hostCountry"))
            known.orgs.append(
                KnownOrg(
                    iri,
                    texts(props, _NAMES),
                    frozenset(types),
                    tuple(sorted(set(parents))),
                    tuple(sorted(set(places))),
                )
            )
        elif iri.startswith(PREFIXES["person"]):
            known.people[iri] = texts(props, _NAMES)
        elif iri.startswith(PREFIXES["role"]):
            known.roles[iri] = texts(props, _LABELS)
        elif iri.startswith(PREFIXES["concept"]) and str(SKOS.Concept) in types:
            known.concepts[iri] = texts(props, _LABELS)
            known.concept_schemes[iri] = iris(props, str(SKOS.inScheme))
        elif iri.startswith(PREFIXES["audience"]):
            known.audiences[iri] = texts(props, (str(SCHEMA.audienceType), str(SCHEMA.name)))
    # countries of places, for organisations located in or serving a city or country
    for place in known.places:
        if place.kind == "country":
            place_country[place.iri] = place.iri
    for iri, props in by_subject.items():
        if iri in {p.iri for p in known.places}:
            for parent in iris(props, str(SCHEMA.containedInPlace)):
                if parent in place_country:
                    place_country[iri] = parent
    known.orgs = [
        KnownOrg(
            o.iri,
            o.names,
            o.types,
            o.parents,
            tuple(sorted({place_country.get(c, c) for c in o.countries})),
        )
        for o in known.orgs
    ]
    known.orgs.sort(key=lambda o: o.iri)
    known.places.sort(key=lambda p: p.iri)
    return known
