# ruff: noqa: RUF001, RUF002 -- typographic quotes and dashes are this module's subject
"""From the text of an announcement to what it says: entities and facts, each fact
tied to the clause (claim graph) whose words support it.

This module decides *what* the text says; :mod:`pressgraph.ingest.draft` decides
how it is written as RDF. Nothing is invented: a fact is made only from words of
the clause it is put in; what the rules cannot settle becomes a review note.
"""

from __future__ import annotations

import re
from datetime import date

from .dates import DateMention, find_dates
from .entities import Person, find_orgs, find_people
from .events import (
    GENERIC_KINDS,
    EventMention,
    find_audiences,
    find_event_mentions,
    find_topic_phrases,
)
from .figures import FigureRules
from .gazetteer import Gazetteer, PlaceMention, fold
from .known import Known
from .model import (
    Event,
    Extraction,
    Fact,
    Figure,
    Place,
    QuoteFact,
    Topic,
    overlaps,
)
from .roles import RoleRules, publisher_guess
from .text import Clause, NotAnAnnouncement, check_announcement, parse_document

__all__ = [
    "Event",
    "Extraction",
    "Fact",
    "Figure",
    "Place",
    "QuoteFact",
    "Topic",
    "extract",
]

_ENGLISH = re.compile(r"(?i)\b(?:the|of|and|in|to|for|on|with|was|were|is|by|a|an)\b")


# --------------------------------------------------------------------------- helpers


_LOCATIVE_HEAD = re.compile(
    r"(?i)\b(?:in|at|inside|within|across|throughout|(?:visits?|trip|tour)\s+to)\s+(?:the\s+)?(?:(?:cities|towns|regions|"
    r"city|town|region|capital|capitals|villages?|districts?|provinces?|municipalities|"
    r"municipality)\s+of\s+)?(?:(?:northern|southern|eastern|western|central)\s+)?$"
)
_ORIGIN_HEAD = re.compile(
    r"(?i)\b(?:from|of|representing)\s+(?:the\s+)?(?:(?:all\s+)?regions\s+of\s+|across\s+)?"
    r"(?:(?:northern|southern|eastern|western|central)\s+)?$"
)
_RELATIVE = re.compile(r"(?i)\b(?:that|which|who|whose|since|campaign|project|programme)\b")

_DATELINE = re.compile(
    r"^(?P<place>[A-ZÀ-Þ][A-Za-zÀ-ÿ’'.\- ]{1,40}?),\s+(?P<date>[^–—]{4,40}?)\s*(?:–|—|--|-)\s+"
)
_END_VERBS = re.compile(r"(?i)\b(?:ended|ends|end|concluded|concludes|closed|closes|completed|"
                        r"completes|wrapped\s+up|finished|finishes)\b")
_START_VERBS = re.compile(r"(?i)\b(?:opened|opens|open|started|starts|start|began|begins|begin|"
                          r"launched|launches|kicked\s+off|will\s+start|will\s+open)\b")


# --------------------------------------------------------------------------- the extractor


class _Extractor(RoleRules, FigureRules):
    def __init__(
        self, text: str, known: Known, gazetteer: Gazetteer, anchor: date | None
    ) -> None:
        self.text = text
        self.known = known
        self.gaz = gazetteer
        self.anchor = anchor
        self.doc = parse_document(text)
        self.facts: list[Fact] = []
        self.reviews: list[tuple[object, str]] = []
        self.events: list[Event] = []
        self.figures: list[Figure] = []
        self.topics: dict[str, Topic] = {}
        self.quotes: list[QuoteFact] = []

    # ----------------------------------------------------------------- basics

    def fact(self, graph: str, kind: str, subject: object, obj: object = None,
             extra: object = None) -> None:
        item = Fact(graph, kind, subject, obj, extra)
        if item not in self.facts:
            self.facts.append(item)

    def review(self, subject: object, note: str) -> None:
        if (subject, note) not in self.reviews:
            self.reviews.append((subject, note))

    def clause_at(self, offset: int) -> Clause:
        clause = self.doc.clause_of(offset)
        if clause is None:  # between clauses (a space): the next one
            clause = next(c for c in self.doc.clauses if c.start >= offset)
        return clause

    # ----------------------------------------------------------------- places

    def find_places(self) -> None:
        text = self.text
        first = self.gaz.find(text)
        self.countries = self.gaz.countries_of([(m.record, m.preposition) for m in first])
        country_iris = []
        for code in self.countries:
            record = self.gaz.country(code)
            iri = self.gaz.known_iri(record) if record else None
            if iri:
                country_iris.append(iri)
        self.orgs = find_orgs(
            text,
            self.known,
            places=[(m.start, m.end) for m in first],
            countries=country_iris,
        )
        org_spans = [(m.start, m.end) for o in self.orgs for m in o.mentions]
        org_spans += [
            (m.start, m.end + len(m.full_text or "") - len(m.text))
            for o in self.orgs
            for m in o.mentions
        ]
        mentions = self.gaz.find(text, blocked=org_spans, countries=self.countries)
        quote_spans = [(q.open, q.close) for q in self.doc.quotes]
        self.people = find_people(text, self.orgs, quotes=quote_spans)
        person_spans = [span for p in self.people for span in p.mentions]
        self.place_mentions = [
            m for m in mentions if not overlaps(m.start, m.end, person_spans)
        ]
        places: dict[str, Place] = {}
        for mention in self.place_mentions:
            place = places.get(mention.record.key)
            if place is None:
                place = Place(mention.record)
                places[mention.record.key] = place
            place.mentions.append(mention)
            if mention.ambiguous:
                others = [
                    f"{c.name} ({c.country})"
                    for c in mention.candidates[1:4]
                    if c.key != mention.record.key
                ]
                if others:
                    self.review(place, f"'{mention.text}' read as {mention.record.name} "
                                f"({mention.record.country}); it could also be "
                                + ", ".join(others))
        self.places = list(places.values())
        self._place_by_mention = {id(m): places[m.record.key] for m in self.place_mentions}
        self.blocked = org_spans + person_spans + [(m.start, m.end) for m in self.place_mentions]

    def place_of(self, mention: PlaceMention) -> Place:
        return self._place_by_mention[id(mention)]

    def main_country(self) -> Place | None:
        for code in self.countries:
            for place in self.places:
                if place.record.kind == "country" and place.record.country == code:
                    return place
        return None

    # ----------------------------------------------------------------- dates

    def find_dateline(self) -> None:
        """"YEREVAN, 12 April 2019 – …": the place and day the release was issued. The day
        is the publication date when none was given."""
        self.dateline: tuple[int, int] | None = None
        body = next((s for s in self.doc.sentences if s.index > 1), None)
        if body is None:
            return
        match = _DATELINE.match(body.text)
        if not match:
            return
        found = [m for m in find_dates(match.group("date")) if m.days and not m.relative]
        if not found:
            return
        day = found[0].days[0]
        self.dateline = (body.start, body.start + match.end())
        if self.anchor is None:
            self.anchor = day
            self.review("article", f"publication date {day.isoformat()} taken from the "
                        f"dateline '{match.group(0).strip()}'")
        elif self.anchor != day:
            self.review("article", f"the dateline says {day.isoformat()}, the publication date "
                        f"given is {self.anchor.isoformat()}")

    def find_all_dates(self) -> None:
        self.dates: list[DateMention] = []
        text_anchor: date | None = None
        for sentence in self.doc.sentences:
            found = find_dates(sentence.text, self.anchor, text_anchor=text_anchor,
                               offset=sentence.start)
            if self.dateline is not None:
                found = [m for m in found if not (self.dateline[0] <= m.start < self.dateline[1])]
            for mention in found:
                if mention.days and not mention.relative:
                    text_anchor = mention.days[0]
            self.dates.extend(found)

    def dates_in(self, clause: Clause) -> list[DateMention]:
        return [d for d in self.dates if clause.start <= d.start and d.end <= clause.end]

    # ----------------------------------------------------------------- events

    def new_event(self, kind: str, graph: str, *, series: bool = False,
                  parent: Event | None = None) -> Event:
        event = Event(kind=kind, series=series, parent=parent, first_graph=graph)
        self.events.append(event)
        if parent is not None:
            parent.parts.append(event)
        return event

    def event_phrase(self, mention: EventMention, clause: Clause) -> str:
        """The words that name the event: modifiers, the noun, and "on <topic>"."""
        start = mention.start
        if mention.series and mention.series_start is not None:
            start = mention.series_start
            start = self.text.find("series", start, mention.end)
        end = mention.end
        topics = find_topic_phrases(
            self.text[mention.end : clause.end], offset=mention.end,
            stops=self.stops(clause), events=[EventMention(
                mention.end, mention.end, "", mention.kind, False, False)],
        )
        for topic in topics:
            if topic.trigger == "on" and topic.start - end < 40:
                end = topic.end
                break
        return self.text[start:end]

    def stops(self, clause: Clause) -> list[tuple[int, int]]:
        """Where a topic phrase ends: a place or a date ("… in Almaty on 6 October"). An
        audience ("for judges") ends one only after an event noun, which
        :func:`find_topic_phrases` sees itself."""
        spans = [
            (m.start, m.end) for m in self.place_mentions if clause.start <= m.start < clause.end
        ]
        spans += [(d.start, d.end) for d in self.dates_in(clause)]
        return spans

    def locative_places(self, clause: Clause, after: int | None = None) -> list[PlaceMention]:
        """Places the clause says something happens in (not where people come from)."""
        found: list[PlaceMention] = []
        inside = [m for m in self.place_mentions if clause.start <= m.start < clause.end]
        list_prep: str | None = None
        previous_end = None
        for mention in inside:
            gap = self.text[previous_end : mention.start] if previous_end is not None else None
            if gap is not None and re.fullmatch(r"\s*(?:,|and|,\s*and)\s*", gap):
                prep = list_prep
            else:
                head = self.text[max(clause.start, mention.start - 60) : mention.start]
                if re.search(r"(?i)\bfrom\s+across\s+(?:the\s+)?$", head):
                    prep = "from"
                elif _LOCATIVE_HEAD.search(head):
                    prep = "in"
                elif _ORIGIN_HEAD.search(head):
                    prep = "from"
                else:
                    prep = None
                list_prep = prep
            previous_end = mention.end
            if prep != "in":
                continue
            if after is not None and mention.start < after:
                between = self.text[mention.end : after]
            else:
                between = self.text[after if after is not None else clause.start : mention.start]
            if after is not None and _RELATIVE.search(between):
                continue
            found.append(mention)
        return found

    def extract_events(self) -> None:
        """Introduce events from body sentences, then headline mentions."""
        self.referents: dict[str, list[Event]] = {}
        self.collective: set[str] = set()
        order = [c for c in self.doc.clauses if not c.quoted and c.sentence != 1]
        order += [c for c in self.doc.clauses if not c.quoted and c.sentence == 1]
        for clause in order:
            self.events_of_clause(clause)
        if not self.events:
            return
        for clause in self.doc.clauses:
            if clause.graph not in self.referents and not clause.quoted:
                self.referents[clause.graph] = []

    def main_event(self) -> Event | None:
        series = [e for e in self.events if e.series]
        if series:
            return series[0]
        tops = [e for e in self.events if e.parent is None]
        return tops[0] if tops else None

    def focus(self, clause: Clause) -> list[Event]:
        """What a clause without an event noun is about: its own events, the series, or
        the events introduced together, or the one event."""
        if self.referents.get(clause.graph):
            return self.referents[clause.graph]
        series = [e for e in self.events if e.series]
        if series:
            return [series[0]]
        tops = [e for e in self.events if e.parent is None]
        if len(tops) == 1:
            return tops
        # the events of the latest sentence that introduced several
        first_graphs = [e.first_graph for e in tops]
        if first_graphs and all(g == first_graphs[0] for g in first_graphs):
            return tops
        return tops[:1] if len(tops) == 1 else [
            e for e in tops if e.first_graph == first_graphs[0]
        ]

    def events_of_clause(self, clause: Clause) -> None:
        mentions = find_event_mentions(clause.text, offset=clause.start)
        mentions = [m for m in mentions if not overlaps(m.start, m.end, self.blocked)
                    or m.proper_name]
        headline = clause.sentence == 1
        referents: list[Event] = []
        dates = [d for d in self.dates_in(clause)]
        for mention in mentions:
            if mention.kind in GENERIC_KINDS:
                if mention.kind == "series" and mention.definite:
                    referents += [e for e in self.events if e.series][:1]
                elif mention.definite and mention.plural:
                    referents += [e for e in self.events if e.parent is None and not e.series]
                continue
            existing = [e for e in self.events if e.kind == mention.kind and not e.series]
            series_of_kind = [e for e in self.events if e.series and e.kind == mention.kind]
            if mention.series:
                series = series_of_kind[0] if series_of_kind else None
                if series is None:
                    series = self.new_event(mention.kind, clause.graph, series=True)
                    series.expected_parts = mention.count
                    series.names.append((clause.graph, self.event_phrase(mention, clause)))
                    self.fact(clause.graph, "event", series)
                    self.fact(clause.graph, "event-name", series, series.names[0][1])
                referents.append(series)
                if mention.position in ("last", "first", "final", "second", "third",
                                        "fourth", "fifth"):
                    part = self.new_event(mention.kind, clause.graph, parent=series)
                    self.fact(clause.graph, "event", part)
                    self.fact(clause.graph, "sub-event", series, part)
                    referents.append(part)
                    part.position = mention.position
                continue
            if headline:
                # the headline names what the body tells: refer to it if it is there
                target = series_of_kind or existing or ([self.main_event()] if
                                                        self.main_event() and mention.kind
                                                        == "event" else [])
                if target:
                    referents += target[:1] if not mention.plural or series_of_kind else target
                    continue
            if mention.definite and (existing or series_of_kind):
                if mention.plural or mention.each:
                    if series_of_kind:
                        referents += series_of_kind[:1] + series_of_kind[0].parts
                    else:
                        referents += existing
                else:
                    referents.append(existing[-1] if existing else series_of_kind[0])
                continue
            if mention.definite and not mention.proper_name and self.events:
                referents.append(self.main_event())  # "the event"
                continue
            count = mention.count or 1
            if mention.plural and mention.count is None:
                places = self.locative_places(clause)
                count = max(1, len({self.place_of(p).record.key for p in places
                                    if self.place_of(p).record.kind == "city"}))
            new = []
            for _n in range(count):
                event = self.new_event(mention.kind, clause.graph)
                phrase = self.event_phrase(mention, clause)
                event.names.append((clause.graph, phrase))
                if mention.proper_name:
                    event.proper_name = mention.proper_name
                self.fact(clause.graph, "event", event)
                self.fact(clause.graph, "event-name", event, phrase)
                new.append(event)
            referents += new
        if not mentions and not headline:
            referents = []
        # dedupe, keep order
        seen: set[int] = set()
        unique = []
        for event in referents:
            if event is not None and id(event) not in seen:
                seen.add(id(event))
                unique.append(event)
        self.referents[clause.graph] = unique
        self.place_and_date(clause, unique, dates)
        # "The courses, held in A, B and C, …": the series and all its parts, those this
        # very clause named included; what is said of them together is said of the series
        series = [e for e in unique if e.series]
        if series and any(e.parent is series[0] for e in unique) and not any(
            e.position and e.first_graph == clause.graph for e in unique
        ):
            self.referents[clause.graph] = [series[0], *series[0].parts]
            self.collective.add(clause.graph)

    def together(self, clause: Clause) -> list[Event]:
        """The events a clause says something of as a whole: the series alone when the
        clause speaks of "the seminars" of a series, else its referents or the focus."""
        events = self.referents.get(clause.graph) or self.focus(clause)
        if clause.graph in self.collective:
            return [e for e in events if e.series]
        return events

    def place_and_date(self, clause: Clause, events: list[Event],
                       dates: list[DateMention]) -> None:
        if not events:
            return
        places = self.locative_places(clause)
        cities = [p for p in places if self.place_of(p).record.kind == "city"]
        broader = [p for p in places if self.place_of(p).record.kind != "city"]
        series = [e for e in events if e.series]
        singles = [e for e in events if not e.series]
        # "Shymkent, South Kazakhstan Region": the region holds the city (a claim of the text)
        for city in cities:
            for region in broader:
                gap = self.text[city.end : region.start]
                if re.fullmatch(r",\s*", gap) and self.place_of(region).record.kind == "region":
                    self.fact(clause.graph, "containment", self.place_of(city),
                              self.place_of(region))
        # a series and several cities: one part per city
        if series and len(cities) >= 1 and (not singles or all(e.parent is series[0]
                                                                for e in singles)):
            s = series[0]
            for mention in cities:
                place = self.place_of(mention)
                self.fact(clause.graph, "location", s, place)
                if place not in s.places:
                    s.places.append(place)
                part = next((e for e in s.parts if place in e.places), None)
                if part is None:
                    # the part this clause is about ("the last in a series … in Shymkent")
                    free = [e for e in singles if not e.places]
                    if free:
                        part = free[0]
                    else:
                        part = self.new_event(s.kind, clause.graph, parent=s)
                        self.fact(clause.graph, "event", part)
                        self.fact(clause.graph, "sub-event", s, part)
                    part.places.append(place)
                    self.fact(clause.graph, "location", part, place)
            self.dates_for(clause, series + singles, dates, [])
            if s.expected_parts and len(s.parts) > s.expected_parts:
                self.review(s, f"the text says the series has {s.expected_parts} parts, "
                            f"but {len(s.parts)} places were found")
            return
        if series and not cities:
            for mention in broader:
                self.fact(clause.graph, "location", series[0], self.place_of(mention))
                if self.place_of(mention) not in series[0].places:
                    series[0].places.append(self.place_of(mention))
            self.dates_for(clause, series + singles, dates, [])
            return
        # several events named together, as many places (and dates): in order
        targets = singles or events
        if len(targets) > 1 and len(cities) == len(targets):
            for event, mention in zip(targets, cities, strict=True):
                place = self.place_of(mention)
                if place not in event.places:
                    event.places.append(place)
                    self.fact(clause.graph, "location", event, place)
            self.dates_for(clause, targets, dates, cities)
            return
        chosen = cities[:1] or broader[:1]
        if len(targets) == 1:
            event = targets[0]
            for mention in chosen:
                place = self.place_of(mention)
                if not event.places:
                    event.places.append(place)
                    self.fact(clause.graph, "location", event, place)
        self.dates_for(clause, targets, dates, cities)

    def dates_for(self, clause: Clause, events: list[Event], dates: list[DateMention],
                  cities: list[PlaceMention]) -> None:
        if not dates or not events:
            return
        singles = [e for e in events if not e.series]
        series = [e for e in events if e.series]
        resolved = [d for d in dates if d.days]
        for mention in dates:
            if not mention.days:
                for event in events:
                    self.review(event, f"date left out: {mention.note}")
            elif mention.relative or mention.note:
                for event in events:
                    self.review(event, f"date {', '.join(d.isoformat() for d in mention.days)}"
                                f" from '{mention.text}': {mention.note}; check it")
        if not resolved:
            return
        days = [d for m in resolved for d in m.days]
        head = clause.text
        ends = bool(_END_VERBS.search(head))
        starts = bool(_START_VERBS.search(head))
        # one day per event, in order: "in Tirana on Tuesday and in Shkodra on Thursday"
        if len(singles) > 1 and len(days) == len(singles):
            for event, day in zip(singles, days, strict=True):
                self.date_fact(clause, event, day, "start")
            return
        ranged = next((m for m in resolved if m.range), None)
        if series and ranged and not singles:
            self.date_fact(clause, series[0], ranged.days[0], "start")
            self.date_fact(clause, series[0], ranged.days[-1], "end")
            return
        for event in singles:
            if ranged or len(days) > 1:
                self.date_fact(clause, event, days[0], "start")
                self.date_fact(clause, event, days[-1], "end")
            elif ends and not starts:
                self.date_fact(clause, event, days[0], "end")
            else:
                self.date_fact(clause, event, days[0], "start")
            position = event.position
            if event.parent is not None and position in ("last", "final"):
                self.date_fact(clause, event.parent, days[-1], "end")
            if event.parent is not None and position == "first":
                self.date_fact(clause, event.parent, days[0], "start")
        if series and not singles and len(days) == 1:
            self.date_fact(clause, series[0], days[0], "end" if ends else "start")

    def date_fact(self, clause: Clause, event: Event, day: date, which: str) -> None:
        if any(f.kind == which and f.subject is event for f in self.facts):
            return
        if which == "end" and any(
            f.kind == "start" and f.subject is event and isinstance(f.obj, date) and f.obj > day
            for f in self.facts
        ):
            return
        self.fact(clause.graph, which, event, day)

    # ----------------------------------------------------------------- topics, audiences

    def extract_topics(self) -> None:
        for clause in self.doc.clauses:
            if clause.quoted or clause.sentence == 1:
                continue
            mentions = find_event_mentions(clause.text, offset=clause.start)
            phrases = find_topic_phrases(
                clause.text, offset=clause.start, stops=self.stops(clause), events=mentions
            )
            if not phrases:
                continue
            events = self.referents.get(clause.graph) or self.focus(clause)
            for phrase in phrases:
                if any(p.start == phrase.start for p in self.place_mentions):
                    continue  # "in Kazakhstan" is a place, not a topic
                key = fold(phrase.label)
                topic = self.topics.setdefault(key, Topic(phrase.label))
                for event in events:
                    self.fact(clause.graph, "aim" if phrase.aim else "about", event, topic,
                              (phrase.start, phrase.end))

    def extract_audiences(self) -> None:
        for clause in self.doc.clauses:
            if clause.quoted:
                continue
            found = find_audiences(clause.text, offset=clause.start)
            if not found:
                continue
            events = self.referents.get(clause.graph) or self.focus(clause)
            mentions = find_event_mentions(clause.text, offset=clause.start)
            targeting = re.search(r"(?i)\btargeting\b", clause.text)
            if not mentions and not targeting:
                continue
            for a, b, label in found:
                if overlaps(a, b, self.blocked):
                    continue
                for event in events:
                    self.fact(clause.graph, "audience", event, label, (a, b))

    # ----------------------------------------------------------------- quotes and people

    def extract_people(self) -> None:
        for person in self.people:
            a, b = person.mentions[0]
            clause = self.clause_at(a)
            self.fact(clause.graph, "person", person, None, (a, b))
            for post in person.posts:
                graph = self.clause_at(post.start).graph
                self.fact(graph, "post", person, post)
                if post.org is None:
                    self.review(person, f"post '{post.role}' at an organisation the text does "
                                "not name: given as a job title")
        for org in self.orgs:
            mention = org.first
            graph = self.clause_at(mention.start).graph
            self.fact(graph, "org", org, None, (mention.start, mention.end))
            if org.parent is not None:
                self.fact(graph, "unit-of", org, org.parent)
            if org.known is None:
                note = "new organisation: check it is not already in data/ under another name"
                if org.generic:
                    note = ("the text does not say which one (a generic name): its IRI is scoped "
                            "to this announcement")
                self.review(org, note)
            elif org.matched_by == "partial name":
                self.review(org, f"'{mention.text}' matched to {org.known.iri} by a partial "
                            "name: check")

    def extract_quotes(self) -> None:
        by_sentence: dict[int, list[Clause]] = {}
        for clause in self.doc.clauses:
            by_sentence.setdefault(clause.sentence, []).append(clause)
        previous: QuoteFact | None = None
        pending: list[QuoteFact] = []
        for clause in self.doc.clauses:
            if not clause.quoted or clause.quote is None:
                continue
            fact = QuoteFact(clause.quote, clause)
            self.quotes.append(fact)
            speaker, graph = self.speaker_in_sentence(clause, by_sentence[clause.sentence])
            if speaker is not None:
                fact.speaker, fact.attribution = speaker, graph
                for waiting in pending:
                    if waiting.quote.paragraph == clause.quote.paragraph:
                        waiting.speaker, waiting.attribution = speaker, graph
                pending = []
            elif previous is not None and previous.speaker is not None and (
                previous.quote.paragraph == clause.quote.paragraph
            ):
                fact.speaker, fact.attribution = previous.speaker, previous.attribution
            else:
                pending.append(fact)
            previous = fact
        for fact in self.quotes:
            self.fact(fact.clause.graph, "quote-text", fact)
            if fact.speaker is None:
                self.review(fact, "the speaker of this quotation was not found: add "
                            "schema:creator")
                continue
            assert fact.attribution is not None
            self.fact(fact.attribution, "quote", fact, fact.speaker)

    def speaker_in_sentence(self, clause: Clause,
                            clauses: list[Clause]) -> tuple[Person | None, str | None]:
        """The person the sentence says said the quoted words, and the clause saying so."""
        others = [c for c in clauses if not c.quoted]
        # the nearest unquoted clause after, then before
        ordered = sorted(
            others, key=lambda c: (c.start < clause.start, abs(c.start - clause.start))
        )
        for other in ordered:
            for person in self.people:
                for a, _b in person.mentions:
                    if other.start <= a < other.end:
                        return person, other.graph
            if re.search(r"(?i)\b(?:he|she)\s+(?:said|added|noted|stressed|says)\b|"
                         r"\b(?:said|added|noted)\s+(?:he|she)\b", other.text):
                before = [p for p in self.people if any(a < other.start for a, _b in p.mentions)]
                if before:
                    latest = max(before, key=lambda p: max(a for a, _b in p.mentions
                                                           if a < other.start))
                    return latest, other.graph
        return None, None

    # ----------------------------------------------------------------- run

    def run(self) -> Extraction:
        self.find_places()
        self.find_dateline()
        self.find_all_dates()
        if not self.orgs and not find_event_mentions(self.text):
            raise NotAnAnnouncement(
                "no organisation and no event (seminar, workshop, conference …) is named: "
                "this does not read as an announcement"
            )
        self.extract_events()
        self.extract_people()
        self.extract_quotes()
        self.extract_roles()
        self.extract_topics()
        self.extract_audiences()
        self.extract_figures()
        for event in self.events:
            if not event.places:
                self.review(event, "the text names no place for this event")
            if event.series and not event.parts:
                self.review(event, "the series' events are not named")
        for place in self.places:
            if place.record.kind == "region" and not place.record.iri:
                self.review(place, "a region with no GeoNames entry in the tables shipped: "
                            "add its identifier if one can be verified")
        return Extraction(
            document=self.doc,
            anchor=self.anchor,
            orgs=self.orgs,
            people=self.people,
            places=self.places,
            events=self.events,
            quotes=self.quotes,
            figures=self.figures,
            topics=list(self.topics.values()),
            facts=self.facts,
            reviews=self.reviews,
            countries=self.countries,
            dates=self.dates,
        )


def extract(
    text: str,
    *,
    known: Known | None = None,
    gazetteer: Gazetteer | None = None,
    anchor: date | None = None,
    guess_publisher: bool = True,
) -> Extraction:
    """What ``text`` says, by rule. Raises :class:`NotAnAnnouncement` for other texts."""
    check_announcement(text)
    if len(_ENGLISH.findall(text)) < 0.05 * len(text.split()):
        raise NotAnAnnouncement("the text does not read as English (the only language handled)")
    known = known or Known()
    gazetteer = gazetteer or Gazetteer(known.places)
    extraction = _Extractor(text, known, gazetteer, anchor).run()
    if not guess_publisher:
        return extraction
    publisher, how = publisher_guess(extraction.orgs, extraction.document, known)
    extraction.publisher = publisher
    if publisher is not None:
        extraction.reviews.insert(0, ("article", f"publisher guessed: {publisher.name} ({how});"
                                      " give --publisher if it is another"))
    return extraction
