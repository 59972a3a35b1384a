
"""What the extractor finds: places, events, topics, quotations, figures and the facts
that tie them together, each fact tied to the clause (claim graph) whose words support it.

Entities compare by identity (two seminars in one city are two seminars).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from .dates import DateMention
from .entities import Org, Person
from .gazetteer import PlaceMention, PlaceRecord
from .numbers import NumberMention
from .text import Clause, Document, Quote

__all__ = [
    "Event",
    "Extraction",
    "Fact",
    "Figure",
    "Place",
    "QuoteFact",
    "Topic",
    "inside",
    "overlaps",
]


def inside(a: int, b: int, spans: Iterable[tuple[int, int]]) -> bool:
    """Whether [a, b) lies within one of ``spans``."""
    return any(x <= a and b <= y for x, y in spans)


def overlaps(a: int, b: int, spans: Iterable[tuple[int, int]]) -> bool:
    """Whether [a, b) overlaps one of ``spans``."""
    return any(a < y and x < b for x, y in spans)


@dataclass(eq=False)
class Place:
    """A place of the text: the GeoNames / data record it was resolved to, and its mentions."""

    record: PlaceRecord
    mentions: list[PlaceMention] = field(default_factory=list)
    iri: str | None = None

    @property
    def name(self) -> str:
        return self.record.name


@dataclass(eq=False)
class Event:
    """A single event, a part of a series, or a series."""

    kind: str
    series: bool = False
    parent: Event | None = None
    parts: list[Event] = field(default_factory=list)
    names: list[tuple[str, str]] = field(default_factory=list)  # (graph, words)
    places: list[Place] = field(default_factory=list)
    expected_parts: int | None = None
    proper_name: str | None = None
    #: "last" for "the last in a series of …": its date ends the series
    position: str | None = None
    iri: str | None = None
    first_graph: str | None = None

    @property
    def label(self) -> str:
        if self.names:
            return self.names[0][1]
        return self.kind


@dataclass(eq=False)
class Topic:
    label: str
    iri: str | None = None


@dataclass(eq=False)
class QuoteFact:
    """A quotation: its words, the clause that holds them, its speaker if known."""

    quote: Quote
    clause: Clause
    speaker: Person | None = None
    attribution: str | None = None  # graph of the "said X" words
    iri: str | None = None


@dataclass(eq=False)
class Figure:
    """A number with its hedge; what it is about and who states it."""

    number: NumberMention
    graph: str
    quote: QuoteFact | None = None
    events: list[Event] = field(default_factory=list)
    prop: str = "observation"  # "participants", "target", "observation"
    place: Place | None = None
    total: Figure | None = None
    iri: str | None = None


@dataclass(frozen=True)
class Fact:
    """One statement and the graph (clause) whose words support it.

    ``kind`` is one of: event, event-name, location, start, end, sub-event, role,
    about, aim, audience, figure, containment, person, post, quote, quote-text,
    org, unit-of, date-instant.
    """

    graph: str
    kind: str
    subject: object
    obj: object = None
    extra: object = None


@dataclass(eq=False)
class Extraction:
    """Everything the text says that the rules found, and what a person must review."""

    document: Document
    anchor: date | None
    orgs: list[Org]
    people: list[Person]
    places: list[Place]
    events: list[Event]
    quotes: list[QuoteFact]
    figures: list[Figure]
    topics: list[Topic]
    facts: list[Fact]
    reviews: list[tuple[object, str]]
    countries: list[str]
    dates: list[DateMention]
    publisher: Org | None = None

    def graphs(self) -> list[str]:
        """The claim graphs that hold at least one fact, in text order."""
        order = {c.graph: i for i, c in enumerate(self.document.clauses)}
        return sorted({f.graph for f in self.facts}, key=lambda g: order[g])
