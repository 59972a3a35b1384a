
"""Numbers as facts: a participant count or target of an event, or a figure
(``schema:Observation``) about a place, stated by the publisher or, inside quotation
marks, by the person quoted.
"""

from __future__ import annotations

import re

from .events import find_event_mentions
from .model import Figure, Place, inside
from .numbers import NumberMention, find_numbers
from .text import Clause

__all__ = ["FigureRules"]

_PARTICIPATION = re.compile(
    r"(?i)\b(?:took\s+part|take\s+part|taking\s+part|attended|attend|participated|participate|"
    r"brought\s+together|bringing\s+together|gathered|met|completed|were\s+trained|trained|"
    r"participants|joined|with\s+(?:some|about|around|over|more\s+than|up\s+to)?\s*[\d,]+)\b"
)
_TARGET = re.compile(r"(?i)\b(?:targeting|targeted\s+at|aimed\s+at|open\s+to|for\s+up\s+to|"
                     r"designed\s+for|intended\s+for|for\s+(?:some|about|around)\s+[\d,]+)\b")
_PEOPLE_UNIT = re.compile(
    r"(?i)\b(?:participants|people|persons|officers|officials|judges|prosecutors|journalists|"
    r"workers|teachers|students|lawyers|investigators|experts|practitioners|representatives|"
    r"members|activists|guards|servants|staff|women|men|girls|boys|youth|leaders|observers|"
    r"administrators|academics|librarians|trainees|delegates|guests|reporters|police|"
    r"specialists|professionals|advisers|candidates|inspectors|parliamentarians|councillors|"
    r"mediators|interpreters|volunteers|citizens)\b"
)
_CUMULATIVE = re.compile(
    r"(?i)\b(?:since\s+(?:\d{4}|its|the|then)|over\s+the\s+(?:past|last)|in\s+the\s+(?:past|last)|"
    r"each\s+year|every\s+year|a\s+year|per\s+year|annually|so\s+far|to\s+date|"
    r"last\s+year|this\s+year|in\s+(?:19|20)\d\d)\b"
)


class FigureRules:
    """The figure rules, mixed into the extractor (they use its clauses, events and facts)."""


    def extract_figures(self) -> None:
        for clause in self.doc.clauses:
            dates = [(d.start - clause.start, d.end - clause.start) for d in self.dates_in(clause)]
            if self.dateline is not None:
                dates.append((self.dateline[0] - clause.start, self.dateline[1] - clause.start))
            numbers = find_numbers(clause.text, exclude=dates, offset=clause.start)
            made: list[Figure] = []
            for number in numbers:
                if number.counts_events:
                    continue
                if inside(number.start, number.end, self.blocked):
                    continue
                figure = Figure(number, clause.graph)
                if number.part_of is not None:
                    index = [n for n in numbers if not n.counts_events].index(
                        numbers[number.part_of])
                    if index < len(made):
                        figure.total = made[index]
                made.append(figure)
                self.figures.append(figure)
                self.place_figure(figure, clause)

    def place_figure(self, figure: Figure, clause: Clause) -> None:
        number = figure.number
        if clause.quoted:
            quote = next((q for q in self.quotes if q.clause is clause), None)
            figure.quote = quote
            figure.place = self.figure_place(clause, figure)
            self.fact(clause.graph, "figure", figure)
            if figure.place is None:
                self.review(figure, "which place the figure is about is not said: add "
                            "schema:observationAbout")
            if not number.unit:
                self.review(figure, "what the figure counts is not said next to it: add "
                            "schema:variableMeasured")
            return
        if not number.unit and figure.total is not None and figure.total.number.unit:
            number = figure.number = NumberMention(**{
                **number.__dict__, "unit": figure.total.number.unit,
                "unit_start": figure.total.number.unit_start,
                "unit_end": figure.total.number.unit_end,
            })
        unit = number.unit or ""
        text = clause.text
        people = bool(_PEOPLE_UNIT.search(unit))
        if figure.total is not None:
            figure.prop = figure.total.prop
            figure.events = figure.total.events
        elif _CUMULATIVE.search(text):
            figure.prop = "observation"  # "1,200 officers trained since 2015": not this event's
        elif people and _TARGET.search(text):
            figure.prop = "target"
        elif people and (_PARTICIPATION.search(text) or find_event_mentions(text)):
            figure.prop = "participants"  # "Ten prosecutors concluded a study visit"
        if figure.prop in ("participants", "target"):
            events = (self.referents.get(clause.graph) or self.focus(clause)
                      if re.search(r"(?i)\beach\b", text) else self.together(clause))
            figure.events = [e for e in events if not e.series] if any(
                e.parent is not None for e in events) else events
            if re.search(r"(?i)\beach\b", text) and any(e.series for e in events):
                figure.events = [p for e in events if e.series for p in e.parts] or events
            if not figure.events:
                figure.prop = "observation"
        if figure.prop == "observation":
            figure.place = self.figure_place(clause, figure)
            if figure.place is None:
                self.review(figure, "which place the figure is about is not said: add "
                            "schema:observationAbout")
            if not number.unit:
                self.review(figure, "what the figure counts is not said next to it: add "
                            "schema:variableMeasured")
        elif len(figure.events) > 1 and not re.search(r"(?i)\beach\b", text):
            self.review(figure, "the figure is given for several events together; it is "
                        "attached to each: check")
        self.fact(clause.graph, "figure", figure)

    def figure_place(self, clause: Clause, figure: Figure) -> Place | None:
        inside = [m for m in self.place_mentions if clause.start <= m.start < clause.end]
        if inside:
            return self.place_of(inside[-1])
        sentence = self.doc.sentences[clause.sentence - 1]
        inside = [m for m in self.place_mentions if sentence.start <= m.start < sentence.end]
        if inside:
            return self.place_of(inside[-1])
        country = self.main_country()
        if country is not None:
            self.review(figure, f"the figure's place is not in its sentence: {country.name}, "
                        "the country the text is about, was assumed; check")
        return country
