"""How good a draft is: keys per kind compared with a curated graph or a gold file, and a
check that every extracted triple is supported by the words of its span.

Comparison is on normalised keys, never on IRIs:

============== ===============================================================
kind           key
============== ===============================================================
places         GeoNames id (``gn:1526273``), else the folded name
organisations  the organisation, its names matched against the gold names
people         the folded name
events         (kind, place, date): every single event or part of a series
series         (kind of its events, number of events)
roles          (organisation, role): organizer, co-organizer, sponsor, funder, attendee
posts          (person, role title, organisation)
quotes         (quoted words, speaker)
numbers        (value, hedge, speaker if stated inside a quotation)
topics         the folded label
============== ===============================================================

Precision, recall and F1 are micro-averaged over documents (true and false
positives and negatives summed before dividing).
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from ..namespaces import GRAPH, ORG, PG, PREFIXES, PROV, RDF, SCHEMA, SKOS, XSD
from ..rdfio import parse_file, to_rdflib
from .draft import Draft
from .entities import canonical
from .events import kind_of
from .gazetteer import fold
from .numbers import find_numbers
from .slugs import slugify

__all__ = [
    "KINDS",
    "DocumentResult",
    "Keys",
    "Score",
    "SupportReport",
    "check_support",
    "evaluate_gold_file",
    "evaluate_seed",
    "evaluate_text",
    "gold_keys",
    "graph_keys",
    "load_gold",
    "project_quads",
    "provenance_quads",
    "score",
    "total",
]

KINDS = (
    "places", "organisations", "people", "events", "series", "roles", "posts", "quotes",
    "numbers", "topics",
)  # fmt: skip
_ROLES = {
    str(SCHEMA.organizer): "organizer",
    str(PG.coOrganizer): "co-organizer",
    str(SCHEMA.sponsor): "sponsor",
    str(SCHEMA.funder): "funder",
    str(SCHEMA.attendee): "attendee",
}
_PLACE_TYPES = {SCHEMA.Place, SCHEMA.City, SCHEMA.Country, SCHEMA.AdministrativeArea}
_EVENT_TYPES = {SCHEMA.Event, SCHEMA.EducationEvent}
_CLAIM = re.compile(r"-s\d+[a-z]?$")


def _text_key(text: str) -> str:
    text = fold(re.sub(r"[“”\"«»]", "", text))
    text = re.sub(r"[,;:!?]", "", text)
    return text.strip(" .")


def _topic_key(text: str) -> str:
    return re.sub(r"^(?:the|a|an) ", "", fold(text))


def _org_names(names: Iterable[str]) -> set[str]:
    out = set()
    for name in names:
        out.add(canonical(name))
        out.add(canonical(re.sub(r"\s*\([^()]*\)", "", name)))
    return {n for n in out if n}


@dataclass
class Keys:
    """The keys of one document, per kind, and the names of its organisations."""

    keys: dict[str, Counter[Any]] = field(default_factory=lambda: {k: Counter() for k in KINDS})
    org_names: dict[str, set[str]] = field(default_factory=dict)  # org key -> canonical names


# --------------------------------------------------------------------------- from graphs


def _dataset(quads: Iterable[tuple[Node, Node, Node, Node]]) -> Dataset:
    data = Dataset()
    for s, p, o, g in quads:
        data.graph(URIRef(str(g))).add((s, p, o))
    return data


def project_quads(root: Path, exclude: Iterable[Path] = ()) -> list[tuple[Node, Node, Node, Node]]:
    """The quads of ``root``'s data/ and ontology/ as rdflib terms (for names and types)."""
    excluded = [Path(p).resolve() for p in exclude]
    out = []
    for folder, pattern in ((root / "data", "*.trig"), (root / "ontology", "*.ttl")):
        for path in sorted(folder.rglob(pattern)):
            resolved = path.resolve()
            if any(resolved == e or e in resolved.parents for e in excluded):
                continue
            for q in parse_file(path, f"urn:x-ontology:{path.stem}"):
                graph = q.graph_name
                out.append((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object),
                            URIRef(graph.value) if isinstance(graph, ox.NamedNode) else URIRef(
                                "urn:x-default")))
    return out


def graph_keys(
    quads: Iterable[tuple[Node, Node, Node, Node]], slug: str
) -> Keys:
    """The keys of announcement ``slug`` read from ``quads`` (its graphs, provenance and the
    reference data that names things)."""
    data = _dataset(quads)
    union = Graph()
    for s, p, o, _g in data.quads((None, None, None, None)):
        union.add((s, p, o))
    prefix = str(GRAPH[f"{slug}-"])
    claims = Graph()
    claim_graphs: dict[URIRef, Graph] = {}
    for graph in data.graphs():
        name = str(graph.identifier)
        if name.startswith(prefix) and _CLAIM.search(name):
            claim_graphs[URIRef(name)] = graph
            for triple in graph:
                claims.add(triple)
    article = URIRef(PREFIXES["article"] + slug)
    keys = Keys()

    def names(node: Node) -> list[str]:
        out = [str(x) for p in (SCHEMA.name, SCHEMA.alternateName, SKOS.prefLabel)
               for x in union.objects(node, p)]
        return sorted(set(out), key=lambda n: (n != str(union.value(node, SCHEMA.name)), n))

    def place_key(node: Node) -> str:
        for same in union.objects(node, SCHEMA.sameAs):
            match = re.match(r"https://sws\.geonames\.org/(\d+)/?$", str(same))
            if match:
                return f"gn:{match.group(1)}"
        found = names(node)
        return f"name:{fold(found[0])}" if found else f"iri:{node}"

    def person_key(node: Node) -> str:
        found = names(node)
        return fold(found[0]) if found else str(node)

    def org_key(node: Node) -> str:
        keys.org_names.setdefault(str(node), _org_names(names(node)))
        return str(node)

    # places: mentioned by the article or used in the claims
    places = {o for o in union.objects(article, SCHEMA.mentions)
              if any((o, RDF.type, t) in union for t in _PLACE_TYPES)}
    for s, _p, o in claims:
        for node in (s, o):
            if isinstance(node, URIRef) and str(node).startswith(PREFIXES["place"]) and any(
                (node, RDF.type, t) in union for t in _PLACE_TYPES
            ):
                places.add(node)
    keys.keys["places"] = Counter({place_key(p) for p in places})
    orgs = {
        o for o in union.objects(article, SCHEMA.mentions) if str(o).startswith(PREFIXES["orgs"])
    }
    orgs |= {n for t in claims for n in (t[0], t[2]) if isinstance(n, URIRef)
             and str(n).startswith(PREFIXES["orgs"])}
    keys.keys["organisations"] = Counter({org_key(o) for o in orgs})
    people = {s for s in claims.subjects(RDF.type, SCHEMA.Person)}
    keys.keys["people"] = Counter({person_key(p) for p in people})

    # events and series
    events = Counter()
    for event in set(claims.subjects(RDF.type, None)):
        types = set(claims.objects(event, RDF.type)) | set(union.objects(event, RDF.type))
        if not types & _EVENT_TYPES or SCHEMA.EventSeries in types:
            continue
        kind = _event_kind(union, event)
        when = union.value(event, SCHEMA.startDate) or union.value(event, SCHEMA.endDate)
        day = str(when) if when is not None else None
        where = [place_key(p) for p in union.objects(event, SCHEMA.location)]
        cities = [p for p in union.objects(event, SCHEMA.location)
                  if (p, RDF.type, SCHEMA.City) in union]
        if cities:
            where = [place_key(p) for p in cities]
        for place in where or [None]:
            events[(kind, place, day)] += 1
    keys.keys["events"] = events
    series = Counter()
    for s in set(claims.subjects(RDF.type, SCHEMA.EventSeries)):
        parts = set(union.objects(s, SCHEMA.subEvent))
        series[(_event_kind(union, s), len(parts))] += 1
    keys.keys["series"] = series

    # roles
    roles = Counter()
    for _s, p, o in claims:
        if str(p) in _ROLES and str(o).startswith(PREFIXES["orgs"]):
            roles[(org_key(o), _ROLES[str(p)])] = 1
    keys.keys["roles"] = roles

    # posts
    posts = Counter()
    for membership in set(claims.subjects(RDF.type, ORG.Membership)):
        person = union.value(membership, ORG.member)
        org = union.value(membership, ORG.organization)
        role = union.value(membership, SCHEMA.roleName) or union.value(
            union.value(membership, ORG.role), SKOS.prefLabel)
        if person is not None:
            posts[(person_key(person), fold(str(role or "")),
                   org_key(org) if org is not None else None)] = 1
    for person, title in claims.subject_objects(SCHEMA.jobTitle):
        posts[(person_key(person), fold(str(title)), None)] = 1
    keys.keys["posts"] = posts

    # quotations
    quotes = Counter()
    for quote in set(union.subjects(RDF.type, SCHEMA.Quotation)):
        if union.value(quote, SCHEMA.isPartOf) != article:
            continue
        text = union.value(quote, SCHEMA.text)
        creator = union.value(quote, SCHEMA.creator)
        quotes[(_text_key(str(text or "")), person_key(creator) if creator else None)] = 1
    keys.keys["quotes"] = quotes

    # numbers, with the speaker when the graph that states them is a person's
    attributed = {g: union.value(g, PROV.wasAttributedTo) for g in claim_graphs}
    numbers = Counter()
    for name, graph in claim_graphs.items():
        for value in set(graph.subjects(RDF.type, SCHEMA.QuantitativeValue)):
            number = graph.value(value, SCHEMA.value)
            hedge = graph.value(value, SCHEMA.valueReference)
            who = attributed.get(name)
            by = person_key(who) if who is not None and (who, RDF.type, SCHEMA.Person) in union \
                else None
            numbers[(_number(number), str(hedge).rsplit("/", 1)[-1] if hedge else "exact",
                     by)] = 1
    keys.keys["numbers"] = numbers

    # topics
    topics = Counter()
    for prop in (SCHEMA.about, PG.aimsToAddress):
        for s, o in claims.subject_objects(prop):
            types = set(union.objects(s, RDF.type))
            if types & (_EVENT_TYPES | {SCHEMA.EventSeries}):
                label = union.value(o, SKOS.prefLabel)
                if label is not None:
                    topics[_topic_key(str(label))] = 1
    keys.keys["topics"] = topics
    return keys


def _number(node: Node | None) -> float | int | None:
    if node is None:
        return None
    value = float(str(node))
    return int(value) if value.is_integer() else value


def _event_kind(union: Graph, event: Node) -> str:
    for node in (event, union.value(event, SCHEMA.superEvent)):
        if node is None:
            continue
        for name in union.objects(node, SCHEMA.name):
            kind = kind_of(str(name))
            if kind and kind != "series":
                return kind
    return "event"


# --------------------------------------------------------------------------- from gold files


def load_gold(path: Path) -> dict[str, Any]:
    """A gold file (YAML), with its kinds checked."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    unknown = set(data) - {"date", *KINDS} - {"organisations"}
    if unknown:
        raise ValueError(f"{path}: unknown keys {sorted(unknown)}")
    return data


def gold_keys(gold: Mapping[str, Any]) -> Keys:
    """The keys of a gold file."""
    keys = Keys()
    place_names: dict[str, str] = {}
    for place in gold.get("places") or []:
        key = f"gn:{place['geonames']}" if place.get("geonames") else f"name:{fold(place['name'])}"
        place_names[fold(place["name"])] = key
        keys.keys["places"][key] = 1

    def place_key(name: str | None) -> str | None:
        if name is None:
            return None
        return place_names.get(fold(name), f"name:{fold(name)}")

    org_by_name: dict[str, str] = {}
    for org in gold.get("organisations") or []:
        key = f"gold:{canonical(org['name'])}"
        names = _org_names([org["name"], *(org.get("aliases") or [])])
        keys.org_names[key] = names
        for name in names:
            org_by_name[name] = key
        keys.keys["organisations"][key] = 1
        for role in org.get("roles") or []:
            keys.keys["roles"][(key, role)] = 1

    def org_key(name: str | None) -> str | None:
        if name is None:
            return None
        return org_by_name.get(canonical(name), f"gold:{canonical(name)}")

    for person in gold.get("people") or []:
        keys.keys["people"][fold(person["name"])] = 1
        keys.keys["posts"][(fold(person["name"]), fold(str(person.get("post") or "")),
                            org_key(person.get("org")))] = 1
    for event in gold.get("events") or []:
        day = event.get("date")
        keys.keys["events"][(event["kind"], place_key(event.get("place")),
                             day.isoformat() if isinstance(day, date) else day)] += 1
    for series in gold.get("series") or []:
        keys.keys["series"][(series["kind"], series["parts"])] += 1
    for quote in gold.get("quotes") or []:
        keys.keys["quotes"][(_text_key(str(quote["text"])), fold(quote["speaker"]))] = 1
    for number in gold.get("numbers") or []:
        by = number.get("by")
        keys.keys["numbers"][(number["value"], number["hedge"], fold(by) if by else None)] = 1
    for topic in gold.get("topics") or []:
        keys.keys["topics"][_topic_key(str(topic))] = 1
    return keys


# --------------------------------------------------------------------------- scoring


@dataclass
class Score:
    """True positives, false positives and false negatives of one kind."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.misses += other.misses
        self.extras += other.extras

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _align_orgs(predicted: Keys, gold: Keys) -> dict[str, str]:
    """Predicted organisation -> gold organisation sharing a name with it."""
    mapping: dict[str, str] = {}
    for key, names in sorted(predicted.org_names.items()):
        match = next((g for g, gnames in sorted(gold.org_names.items()) if names & gnames), None)
        mapping[key] = match or f"pred:{sorted(names)[0] if names else key}"
    return mapping


def _rewrite(value: Any, mapping: Mapping[str, str]) -> Any:
    if isinstance(value, tuple):
        return tuple(_rewrite(v, mapping) for v in value)
    if isinstance(value, str) and value in mapping:
        return mapping[value]
    return value


def score(predicted: Keys, gold: Keys, label: str = "") -> dict[str, Score]:
    """Per kind: what the prediction got right, what it added, what it missed."""
    mapping = _align_orgs(predicted, gold)
    out: dict[str, Score] = {}
    for kind in KINDS:
        pred = Counter({_rewrite(k, mapping): n for k, n in predicted.keys[kind].items()})
        want = gold.keys[kind]
        tp = sum((pred & want).values())
        result = Score(tp, sum(pred.values()) - tp, sum(want.values()) - tp)
        result.misses = [f"{label}: {k}" for k in sorted(map(str, (want - pred).elements()))]
        result.extras = [f"{label}: {k}" for k in sorted(map(str, (pred - want).elements()))]
        out[kind] = result
    return out


# --------------------------------------------------------------------------- span support


@dataclass
class SupportReport:
    """The outcome of checking that every triple of a draft is supported by its span."""

    checked: int = 0
    numbers: int = 0
    dates: int = 0
    assumed: list[str] = field(default_factory=list)  # flagged for review in the draft
    unsupported: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.unsupported


def _stem(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _words(text: str) -> set[str]:
    return {_stem(w) for w in re.findall(r"[^\W_]+", fold(text))}


def _word_supported(literal: str, spans: Iterable[str]) -> bool:
    available: set[str] = set()
    for span in spans:
        available |= _words(span)
    small = {"in", "of", "the", "a", "an", "and", "on", "for", "at", "to"}
    needed = [w for w in re.findall(r"[^\W_]+", fold(literal)) if w not in small]
    return all(_stem(w) in available for w in needed)


def _in_span(literal: str, span: str) -> bool:
    return fold(literal) in fold(span)


def check_support(draft: Draft, known_names: Mapping[str, Iterable[str]] | None = None
                  ) -> SupportReport:
    """Every literal of a claim graph appears in its span (composed event names: every word
    in the spans about the event); every date and number is read from the span's words;
    every organisation, person and place the graph names is named in the span. Values the
    draft marks as assumed (with a review note) are listed apart."""
    report = SupportReport()
    ex = draft.extraction
    assert ex is not None
    text = ex.document.text
    spans: dict[URIRef, str] = {}
    for rel, data in draft.files.items():
        if rel.endswith("spans.toml"):
            for claim in tomllib.loads(data.decode("utf-8"))["claim"]:
                spans[GRAPH[f"{draft.slug}-{claim['graph']}"]] = claim["exact"]
    flagged = {iri for iri, _note in draft.reviews}
    # the dates and numbers the text gives, clause by clause (relative dates resolved the same
    # way the extraction resolved them: against the publication date or an earlier date)
    days_in: dict[str, set[str]] = {}
    for mention in ex.dates:
        clause = ex.document.clause_of(mention.start)
        if clause is not None:
            days_in.setdefault(clause.text, set()).update(d.isoformat() for d in mention.days)
    names: dict[str, set[str]] = {k: set(v) for k, v in (known_names or {}).items()}
    composed: dict[str, set[str]] = {}  # names built from a shared head ("Interior ministry")
    for org in ex.orgs:
        iri = str(draft.iri_of(org))
        names.setdefault(iri, set()).update(org.names + ([org.acronym] if org.acronym else []))
        for mention in org.mentions:
            (composed if mention.coordinated else names).setdefault(iri, set()).add(mention.text)
    for person in ex.people:
        names.setdefault(str(draft.iri_of(person)), set()).add(person.name)
    for place in ex.places:
        iri = str(draft.iri_of(place))
        names.setdefault(iri, set()).update(m.text for m in place.mentions)
    # the graphs each resource appears in, for composed names
    about: dict[Node, list[str]] = {}
    for graph, triples in draft.graphs.items():
        if graph in spans:
            for s, _p, o in triples:
                about.setdefault(s, []).append(spans[graph])
                about.setdefault(o, []).append(spans[graph])
    supers = {s: o for g in draft.graphs.values() for s, p, o in g if p == SCHEMA.superEvent}
    for graph, triples in draft.graphs.items():
        span = spans.get(graph)
        if span is None:
            continue
        for s, p, o in triples:
            report.checked += 1
            where = f"{_short(graph)}: {_short(s)} {_short(p)} {_short(o)}"
            if isinstance(o, Literal):
                if o.datatype == XSD.date:
                    report.dates += 1
                    if str(o) not in days_in.get(span, set()):
                        report.unsupported.append(f"{where}: date not in its words")
                elif o.datatype in (XSD.integer, XSD.decimal, XSD.double):
                    report.numbers += 1
                    values = {n.value for n in find_numbers(span)}
                    if _number(o) not in values:
                        report.unsupported.append(f"{where}: number not in its words")
                elif p == SCHEMA.text:
                    if str(o) not in span:
                        report.unsupported.append(f"{where}: quoted words not in the span")
                elif _in_span(str(o), span):
                    continue
                elif p in (SCHEMA.name,) and _word_supported(
                    str(o), about.get(s, [span]) + about.get(supers.get(s), [])
                ):
                    if str(s) not in flagged:
                        report.unsupported.append(f"{where}: composed name not flagged")
                else:
                    report.unsupported.append(f"{where}: words not in the span")
                continue
            if p == RDF.type:
                continue
            for node in (s, o):
                iri = str(node)
                if not any(iri.startswith(PREFIXES[k]) for k in ("orgs", "person", "place")):
                    continue
                if any(_in_span(n, span) for n in names.get(iri, ())):
                    continue
                if any(_word_supported(n, [span]) for n in composed.get(iri, ())):
                    continue
                if str(s) in flagged and p == SCHEMA.observationAbout:
                    report.assumed.append(f"{where}: assumed, flagged for review")
                    continue
                report.unsupported.append(f"{where}: {_short(node)} is not named in the span")
    # the article graph: its text is the source, and what it mentions is named in the text
    for _s, p, o in draft.graphs.get(GRAPH[f"{draft.slug}-article"], []):
        if p == SCHEMA.articleBody and str(o) != text:
            report.unsupported.append("article: body differs from the text")
        if p != SCHEMA.mentions or str(o).startswith(PREFIXES["event"]):
            continue
        if not any(_in_span(n, text) for n in names.get(str(o), ())) and not any(
            _word_supported(n, [text]) for n in composed.get(str(o), ())
        ):
            report.unsupported.append(f"article: mentions {_short(o)}, not named in the text")
    return report


def _short(node: Node | None) -> str:
    if node is None:
        return "-"
    text = str(node)
    best = max(((p, ns) for p, ns in PREFIXES.items() if text.startswith(ns)),
               key=lambda pn: len(pn[1]), default=None)
    return f"{best[0]}:{text[len(best[1]):]}" if best else text


# --------------------------------------------------------------------------- provenance helper


def provenance_quads(draft: Draft) -> list[tuple[Node, Node, Node, Node]]:
    """The provenance graph of a draft as rdflib quads."""
    data = draft.files[f"{draft.folder}/provenance.trig"]
    out = []
    for q in ox.parse(data, format=ox.RdfFormat.TRIG):
        graph = q.graph_name
        assert isinstance(graph, ox.NamedNode)
        out.append((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object),
                    URIRef(graph.value)))
    return out



# --------------------------------------------------------------------------- runs

SEED_SLUG = "2016-10-06-osce-anti-trafficking-seminars"


@dataclass
class DocumentResult:
    """The evaluation of one document: scores per kind, span support, validation."""

    name: str
    scores: dict[str, Score]
    support: SupportReport
    violations: list[str]
    warnings: int
    reviews: int


def _draft_quads(draft: Draft) -> list[tuple[Node, Node, Node, Node]]:
    return [*draft.quads(), *provenance_quads(draft)]


def evaluate_text(
    text: str,
    gold: Keys,
    root: Path,
    *,
    name: str,
    published: date | None = None,
    cold: bool = False,
    exclude: Iterable[Path] = (),
    validate: bool = True,
) -> DocumentResult:
    """Ingest ``text`` against the project at ``root`` (``cold``: knowing nothing of its
    data) and compare the draft with ``gold``."""
    from .known import Known, load_known
    from .pipeline import ingest

    slug = f"eval-{slugify(name)}"
    known = Known() if cold else load_known(root, [*exclude])
    result = ingest(text, root, published=published, slug=slug, known=known, validate=validate)
    names_from = [] if cold else project_quads(root, exclude)
    predicted = graph_keys([*_draft_quads(result.draft), *names_from], slug)
    counts = result.report.counts()
    return DocumentResult(
        name=name,
        scores=score(predicted, gold, name),
        support=check_support(result.draft),
        violations=[f"{_short(URIRef(f.focus))}: {f.message}" for f in result.must_add()],
        warnings=counts["Warning"],
        reviews=len(result.draft.reviews),
    )


def evaluate_seed(root: Path, *, cold: bool = False, validate: bool = True) -> DocumentResult:
    """The seed announcement's draft against its curated graph. ``cold``: the draft is made
    knowing nothing of data/ (the reference data was curated from this very text)."""
    folder = root / "data" / "announcements" / SEED_SLUG
    gold = graph_keys(project_quads(root), SEED_SLUG)
    text = (folder / "announcement.txt").read_bytes().decode("utf-8")
    return evaluate_text(
        text, gold, root, name="seed" + (" (cold)" if cold else ""), cold=cold,
        exclude=[folder], validate=validate,
    )


def evaluate_gold_file(path: Path, root: Path, *, validate: bool = True) -> DocumentResult:
    """A test-set text (``NN-name.txt``) against its gold file (``NN-name.gold.yaml``)."""
    path = Path(path)
    gold = load_gold(path.with_name(path.name.replace(".txt", ".gold.yaml")))
    text = path.read_bytes().decode("utf-8")
    return evaluate_text(text, gold_keys(gold), root, name=path.stem,
                         published=gold.get("date"), validate=validate)


def total(results: Iterable[DocumentResult]) -> dict[str, Score]:
    """Scores summed over documents (micro-average)."""
    out = {k: Score() for k in KINDS}
    for result in results:
        for kind in KINDS:
            out[kind].add(result.scores[kind])
    return out
