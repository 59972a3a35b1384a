# ruff: noqa: RUF001, RUF003 -- typographic quotes and dashes are this module's subject
"""Who did what at an event: organised, co-organised, supported, funded, attended; and who
published the text.

"organized by A and B", "in co-operation with C", "with the financial support of D",
"Representatives of E attended", "The F held …" (the organisations a clause starts
with, before a verb of holding). A country named where an organisation is expected
("funded by Norway") is left to the reviewer.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .entities import Org
from .known import Known
from .text import Clause, Document

if TYPE_CHECKING:
    from .model import Event

__all__ = [
    "ROLE_ATTENDEE",
    "ROLE_CO_ORGANIZER",
    "ROLE_FUNDER",
    "ROLE_ORGANIZER",
    "ROLE_SPONSOR",
    "RoleRules",
    "publisher_guess",
]

ROLE_ORGANIZER = "organizer"
ROLE_CO_ORGANIZER = "co-organizer"
ROLE_SPONSOR = "sponsor"
ROLE_FUNDER = "funder"
ROLE_ATTENDEE = "attendee"

_ROLE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (ROLE_CO_ORGANIZER, re.compile(r"(?i)\bco-?organi[sz]ed\s+(?:by|with)\s+")),
    (ROLE_CO_ORGANIZER, re.compile(
        r"(?i)\b(?:in\s+co-?operation|in\s+partnership|in\s+collaboration|in\s+conjunction|"
        r"jointly|together|co-?organi[sz]ed|co-?hosted)\s+with\s+")),
    (ROLE_FUNDER, re.compile(
        r"(?i)\b(?:funded|financed|co-?funded|co-?financed)\s+by\s+|\bwith\s+(?:the\s+)?"
        r"(?:financial\s+support|funding|financing|funds)\s+(?:of|from|provided\s+by)\s+|"
        r"\bthanks\s+to\s+(?:the\s+)?(?:financial\s+support|funding)\s+(?:of|from)\s+")),
    (ROLE_SPONSOR, re.compile(
        r"(?i)\b(?:supported|sponsored)\s+by\s+|\bwith\s+(?:the\s+)?support\s+(?:of|from)\s+|"
        r"\bthanks\s+to\s+(?:the\s+)?support\s+(?:of|from)\s+")),
    (ROLE_ORGANIZER, re.compile(
        r"(?i)(?<!co-)(?<!co)\b(?:organi[sz]ed|hosted|convened|conducted|held|run|arranged|"
        r"launched)\s+(?:jointly\s+)?by\s+")),
    (ROLE_ATTENDEE, re.compile(
        r"(?i)\battended\s+by\s+(?:(?:some|about|over|more\s+than)\s+[\d,]+\s+)?"
        r"(?:(?:representatives|members|officials|staff|delegations?)\s+(?:of|from)\s+)?|"
        r"\b(?:as\s+did|including|and)\s+representatives\s+(?:of|from)\s+|"
        r"\bbrought\s+together\s+representatives\s+(?:of|from)\s+")),
]
_SUBJECT_VERBS = {
    ROLE_ORGANIZER: r"held|holds|hold|organi[sz]ed|organi[sz]es|organi[sz]e|hosted|hosts|host|"
    r"convened|convenes|conducted|conducts|concluded|concludes|completed|completes|launched|"
    r"launches|opened|opens|trained|trains|co-hosted|ran|runs|arranged|delivered",
    ROLE_SPONSOR: r"supported|supports|support|sponsored|sponsors",
    ROLE_FUNDER: r"funded|funds|financed|finances",
    ROLE_ATTENDEE: r"attended|attend|attends|participated|took\s+part",
}
_ATTENDED_AFTER = re.compile(r"(?i)^\W*(?:(?:also|all)\s+)?(?:attended|took\s+part|participated)\b")


def publisher_guess(orgs: list[Org], doc: Document, known: Known) -> tuple[Org | None, str]:
    """The organisation that publishes the text: the top of the first organiser's family."""
    if not orgs:
        return None, "no organisation is named"
    first = min(orgs, key=lambda o: o.first.start)
    # a known organisation: go up to its formal organisation
    current = first
    if current.known is not None:
        seen = {current.known.iri}
        top = current.known
        while top.parents:
            parent = known.org(top.parents[0])
            if parent is None or parent.iri in seen:
                break
            seen.add(parent.iri)
            top = parent
        for org in orgs:
            if org.known is not None and org.known.iri == top.iri:
                return org, f"the organisation the first named one ({first.name}) belongs to"
        return Org(key=top.iri, names=list(top.names[:1]), known=top, matched_by="name"), (
            f"the organisation the first named one ({first.name}) belongs to"
        )
    # "OSCE Mission to Serbia": a name that starts with a known organisation's short name
    for org in known.orgs:
        for name in org.names:
            if len(name) >= 2 and first.name.startswith(name + " ") and not org.parents:
                return Org(key=org.iri, names=[org.names[0]], known=org, matched_by="name"), (
                    f"the first named organisation ({first.name}) carries its name"
                )
    return first, "the first organisation the text names"


class RoleRules:
    """The role rules, mixed into the extractor (they use its text, orgs and facts)."""


    def org_list(self, start: int, end: int) -> list[tuple[Org, int]]:
        """The organisations named one after another from ``start``: "A, B and the C"."""
        found: list[tuple[Org, int]] = []
        cursor = start
        mentions = sorted(
            ((m.start, m.end, o) for o in self.orgs for m in o.mentions if start <= m.start < end),
            key=lambda t: t[0],
        )
        for m_start, m_end, org in mentions:
            gap = self.text[cursor:m_start]
            gap = re.sub(r"\([^()]*\)", " ", gap)
            if not re.fullmatch(r"(?i)[\s,]*(?:(?:and|as\s+well\s+as|the|representatives\s+of|"
                                r"members\s+of|its|their|ministries|embassies|agencies|offices|"
                                r"councils|committees|courts|commissions|services|departments|"
                                r"(?:governments|embassies|ministries|parliaments)\s+of|’s|'s)"
                                r"[\s,]*)*", gap):
                break
            if re.fullmatch(r"\s*(?:’s|'s)\s*", gap) and found:
                found.pop()  # "the OSCE Secretariat’s Gender Issues Programme": the unit
            if org not in [o for o, _p in found]:
                found.append((org, m_start))
            cursor = m_end
            # skip an acronym in brackets right after: "(ODIHR)"
            bracket = re.match(r"\s*\([^()]*\)", self.text[cursor:end])
            if bracket:
                cursor += bracket.end()
        return found

    def extract_roles(self) -> None:
        for clause in self.doc.clauses:
            if clause.quoted:
                continue
            text = clause.text
            events = self.together(clause)
            if not events:
                continue
            # when a part of a series is the subject, its series gets the organiser too
            for role, pattern in _ROLE_PATTERNS:
                for match in pattern.finditer(text):
                    a = clause.start + match.end()
                    found = self.org_list(a, clause.end)
                    for org, _pos in found:
                        for event in events:
                            self.fact(clause.graph, "role", event, org, role)
                    country = next((m for m in self.place_mentions if a <= m.start < a + 12
                                    and m.record.kind == "country"), None)
                    if not found and country is not None:
                        for event in events:
                            self.review(event, f"'{match.group(0).strip()} {country.text}': the "
                                        f"text names a country as {role}, not an organisation; "
                                        "add its government if that is meant")
            for role, verbs in _SUBJECT_VERBS.items():
                self.subject_roles(clause, role, verbs, events)

    def subject_roles(self, clause: Clause, role: str, verbs: str, events: list[Event]) -> None:
        """"The OSCE Office in X held …", "Representatives of X also attended"."""
        text = self.text
        # the organisations at the start of the clause (its subject)
        lead = re.match(r"(?i)\s*(?:the\s+)?(?:representatives\s+of\s+(?:the\s+)?)?", clause.text)
        start = clause.start + (lead.end() if lead else 0)
        subjects = self.org_list(start, clause.end)
        if not subjects or subjects[0][1] > start + 1:
            return
        last_end = max(m.end for o, _p in subjects for m in o.mentions if m.start >= start
                       and m.start < clause.end)
        rest = text[last_end : clause.end]
        rest = re.sub(r"^\s*\([^()]*\)", "", rest)
        # skip an aside: ", in co-operation with the X,"
        aside = re.match(r"^\s*,[^,]{0,200},", rest)
        candidates = [rest]
        if aside:
            candidates.append(rest[aside.end() :])
        pattern = re.compile(
            r"(?i)^\W*(?:(?:today|yesterday|also|has|have|had|will|recently|successfully|"
            r"jointly|together)\s+)*(?:" + verbs + r")\b"
        )
        if role == ROLE_ATTENDEE:
            if not any(_ATTENDED_AFTER.match(c) for c in candidates):
                return
        elif not any(pattern.match(c) for c in candidates):
            return
        for org, _pos in subjects:
            for event in events:
                self.fact(clause.graph, "role", event, org, role)
                position = event.position
                if role == ROLE_ORGANIZER and event.parent is not None and position:
                    self.fact(clause.graph, "role", event.parent, org, role)
