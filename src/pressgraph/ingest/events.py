# ruff: noqa: RUF001 -- typographic quotes and dashes are this module's subject
"""Event words, topics and audiences: the lexical rules the extractor builds on.

An *event mention* is a noun of an event kind ("seminar", "training course",
"round table" …) with what comes before it (a determiner, a number, "a series
of") and the phrase it heads ("workshop on alternatives to detention"). A *topic
phrase* is what an event is on, focused on, discussed, covered, dealt with or
aimed at, split into the items of an enumeration.

>>> [(m.kind, m.plural, m.definite, m.count, m.series) for m in find_event_mentions(
...     "The OSCE held the last in a series of five seminars on anti-trafficking")]
[('seminar', True, False, 5, True)]
>>> split_items("national and international standards, social isolation and discomfort, "
...             "issues of integration and rehabilitation and compensation for damages")
['national and international standards', 'social isolation and discomfort', \
'issues of integration and rehabilitation', 'compensation for damages']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numbers import parse_number_words

__all__ = [
    "AUDIENCE_HEADS",
    "EVENT_KINDS",
    "EventMention",
    "TopicPhrase",
    "find_audiences",
    "find_event_mentions",
    "find_topic_phrases",
    "kind_of",
    "split_items",
]

#: surface words (singular) -> the kind of event they name
EVENT_KINDS: dict[str, str] = {
    "training course": "training",
    "training session": "training",
    "training seminar": "seminar",
    "training workshop": "workshop",
    "training programme": "training",
    "training": "training",
    "course": "training",
    "seminar": "seminar",
    "workshop": "workshop",
    "conference": "conference",
    "round table": "round table",
    "round-table": "round table",
    "roundtable": "round table",
    "meeting": "meeting",
    "forum": "forum",
    "webinar": "webinar",
    "summer school": "summer school",
    "study visit": "study visit",
    "study tour": "study visit",
    "briefing": "briefing",
    "lecture": "lecture",
    "simulation exercise": "exercise",
    "exercise": "exercise",
    "consultation": "meeting",
    "event": "event",
    "series": "series",
}
#: nouns that refer back to events without naming a kind
GENERIC_KINDS = {"event", "series"}

_KIND_WORDS = sorted(EVENT_KINDS, key=len, reverse=True)
_KIND = re.compile(
    r"(?i)(?<![\w-])(?P<noun>"
    + "|".join(re.escape(k) + "(?:es|s)?" for k in _KIND_WORDS)
    + r")(?![\w-])"
)
_DEFINITE = re.compile(r"(?i)\b(?:the|this|these|that|those|each|every|both|its|their|our|all)\s+$")
_INDEFINITE = re.compile(
    r"(?i)\b(?:a|an|another|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"several|many|\d+|series\s+of|first|second|third|last|new)\s+$"
)
_MODIFIER = r"(?:[\w’'-]+\s+){0,4}?"
_SERIES = re.compile(
    r"(?i)\b(?:(?P<pos>last|first|second|third|fourth|fifth|final)\s+(?:in|of)\s+)?(?:a|the)\s+"
    r"series\s+of\s+(?:(?P<count>\d+|[a-z]+(?:-[a-z]+)?)\s+)?" + _MODIFIER + r"$"
)

_NOT_MODIFIERS = {
    "the", "a", "an", "this", "these", "that", "those", "each", "every", "both", "its",
    "their", "our", "all", "of", "in", "at", "for", "on", "to", "and", "by", "with", "host",
    "hold", "holds", "hosts", "organize", "organise", "organizes", "organises", "conclude",
    "concludes", "support", "supports", "train", "trains", "launch", "launches", "open",
    "opens", "discuss", "discusses", "start", "starts", "end", "ends", "held", "was",
    "were", "is", "are", "be", "will", "has", "have", "had", "completed", "attended",
    "during", "after", "before", "from", "as", "or", "than", "into",
}  # fmt: skip

#: heads of audience phrases: groups of people an event is for
AUDIENCE_HEADS = {
    "officers", "officials", "judges", "prosecutors", "journalists", "workers", "teachers",
    "students", "lawyers", "investigators", "experts", "practitioners", "representatives",
    "members", "activists", "guards", "servants", "police", "staff", "personnel",
    "employees", "women", "youth", "leaders", "professionals", "specialists", "trainers",
    "librarians", "observers", "administrators", "inspectors", "advocates", "defenders",
    "parliamentarians", "mps", "councillors", "councilors", "diplomats", "analysts",
    "managers", "entrepreneurs", "researchers", "academics", "ngos", "authorities",
    "institutions", "society", "people", "reporters", "editors", "bloggers", "mediators",
    "psychologists", "doctors", "nurses", "clerks", "candidates", "voters", "volunteers",
}  # fmt: skip


@dataclass(frozen=True)
class EventMention:
    """An event noun in the text and what is said with it."""

    start: int  # of the phrase (modifiers included, determiner excluded)
    end: int  # of the noun
    noun: str
    kind: str
    plural: bool
    definite: bool
    count: int | None = None
    series: bool = False  # "a series of N <kind>s": names a series and its parts
    position: str | None = None  # "last" in "the last in a series of"
    series_start: int | None = None  # where "series of" begins
    proper_name: str | None = None  # "Youth Civic Forum"
    each: bool = False  # "each seminar", "every course", "both events", "all workshops"


@dataclass(frozen=True)
class TopicPhrase:
    """An item of what an event is about: ``text[start:end] == label``."""

    start: int
    end: int
    label: str
    trigger: str  # "on", "focused on", "discussed", "aimed at" …
    aim: bool = False


def kind_of(words: str) -> str | None:
    """The event kind a phrase names, by its last event noun (None if it names none).

    >>> kind_of("Anti-trafficking seminar in Almaty"), kind_of("three training courses")
    ('seminar', 'training')
    """
    found = None
    for match in _KIND.finditer(words):
        found = match
    if found is None:
        return None
    return EVENT_KINDS[_singular(found.group("noun").lower())]


def _singular(noun: str) -> str:
    noun = noun.lower()
    if noun in EVENT_KINDS:
        return noun
    if noun.endswith("es") and noun[:-2] in EVENT_KINDS:
        return noun[:-2]
    if noun.endswith("s") and noun[:-1] in EVENT_KINDS:
        return noun[:-1]
    return noun


def _count(word: str | None) -> int | None:
    if not word:
        return None
    if word.isdigit():
        return int(word)
    return parse_number_words(word)


def find_event_mentions(text: str, *, offset: int = 0) -> list[EventMention]:
    """Event nouns of ``text`` (a sentence), with determiner, number and series."""
    found: list[EventMention] = []
    for match in _KIND.finditer(text):
        noun = match.group("noun")
        singular = _singular(noun)
        kind = EVENT_KINDS[singular]
        after = text[match.end() :]
        before = text[: match.start()]
        # "training" before another kind noun is a modifier: "training seminars"
        if singular == "training" and re.match(r"(?i)\s+(?:course|session|seminar|workshop|"
                                                r"programme|materials?|modules?|needs)", after):
            continue
        if singular in ("course",) and re.search(r"(?i)\b(?:in|of|over)\s+the\s+$", before):
            continue  # "in the course of"
        if singular in ("training", "course", "meeting", "exercise") and re.match(
            r"\s+of\b", after
        ):
            continue  # "the training of probation staff"
        if singular == "training" and not re.search(
            r"(?i)(?:\b(?:a|an|the|this|that|one|two|three|\d+|day|week|two-day|three-day|"
            r"-day|online|joint|regional|national|international|specialized|specialised)\s+)$",
            before,
        ):
            continue
        if singular == "meeting" and (
            re.match(r"(?i)\s+(?:the|a|an|their|its|our|his|her|with|international|"
                     r"national|needs|demands|standards|targets|deadlines)\b", after)
            or re.search(r"(?i)\b(?:is|are|was|were|by|for|in|of)\s+$", before)
        ):
            continue  # "meeting the needs", "by meeting": a verb
        if singular == "series" and re.match(r"\s+of\b", after):
            continue  # "a series of five seminars": said by the seminars' mention
        plural = noun.lower() != singular and singular != "series"
        start = match.start()
        # modifiers before the noun: "two-day international", "regional", "anti-trafficking"
        mods = re.search(r"((?:[\w’'-]+\s+){0,3})$", before)
        determiner_def = _DEFINITE.search(before)
        series = _SERIES.search(before)
        count = None
        position = None
        series_start = None
        if series and kind not in GENERIC_KINDS:
            count = _count(series.group("count"))
            position = series.group("pos").lower() if series.group("pos") else None
            series_start = series.start()
            start = series.end()
        elif mods:
            words = mods.group(1).split()
            keep: list[str] = []
            first_of_text = before[: mods.start(1)].strip() == ""
            for i, word in enumerate(reversed(words)):
                low = word.lower()
                index = len(words) - 1 - i
                if low in _NOT_MODIFIERS or low.rstrip(",") != low:
                    break
                number = _count(low)
                if number is not None and count is None and not low.endswith("-day"):
                    count = number
                    break
                if word[0].isupper() and not (first_of_text and index == 0):
                    break
                if low.endswith("ed") or (low.endswith("s") and not low.endswith("ss")
                                          and "-" not in low):
                    break
                keep.insert(0, word)
            if keep:
                start = before.rfind(" ".join(keep), 0, match.start())
        capital = re.search(r"((?:[A-Z][\w’'-]*\s+){1,4})$", before)
        proper = None
        if noun[0].isupper() and capital:
            proper = (capital.group(1) + noun).strip()
            start = match.start() - len(capital.group(1))
        definite = (bool(determiner_def) or bool(_DEFINITE.search(text[:start]))) and not series
        if proper and re.search(r"(?i)\bthe\s+$", before[: start]):
            definite = False
        found.append(
            EventMention(
                start=start + offset,
                end=match.end() + offset,
                noun=noun,
                kind=kind,
                plural=plural,
                definite=definite,
                count=count,
                series=bool(series) and kind not in GENERIC_KINDS,
                position=position,
                series_start=series_start + offset if series_start is not None else None,
                proper_name=proper,
                each=bool(re.search(r"(?i)\b(?:each|every|both|all)\s+(?:of\s+the\s+)?$",
                                    text[:start])),
            )
        )
    return found


# --------------------------------------------------------------------------- topics

_TRIGGERS = re.compile(
    r"(?i)\b(?P<trigger>focus(?:ed|es|ing)?\s+on|concentrated\s+on|discuss(?:ed|es|ing)?|"
    r"dealt\s+with|deals?\s+with|cover(?:ed|s|ing)?|address(?:ed|es)|examin(?:ed|es)|"
    r"explor(?:ed|es)|aim(?:ed|s)?\s+at|aim(?:ed|s)?\s+to\s+(?:address|promote|improve|"
    r"strengthen|enhance|raise)|topics\s+(?:included|were|such\s+as)|reviewed|"
    r"looked\s+(?:at|into))\s+"
)
_BOUNDARY = re.compile(
    r"(?i)(?:[.;:!?](?:\s|$)|\s+[–—-]\s+|\s*\(|,\s+(?:organi[sz]ed|held|hosted|bringing|"
    r"targeting|which|while|who|where|when|as\s+well|in\s+co-?operation|together|supported|"
    r"funded|with\s+the\s+support|said|according|including|and\s+(?:is|was|were|are|will|"
    r"has|have|had)\b)|\s+(?:organi[sz]ed\s+by|held\s+by|hosted\s+by|took\s+place|"
    r"will\s+(?:be|take|start|open|end|close)|(?:is|was|were|are)\s+(?:held|organi[sz]ed|"
    r"attended|supported|funded|open)|ended|opened|concluded|closed|started|began|continued|"
    r"bringing|targeting|(?:that|which|who)\s+(?:was|were|is|are|will|has|have|had|\w+ed)\b|"
    r"for\s+the\s+first\s+time|"
    r"with\s+(?:the\s+)?(?:financial\s+)?support|with\s+funding)\b)"
)
_EVENT_AT = re.compile(r"(?i)\s+(?:at|during)\s+(?:a|an|the)\s+(?:[\w’'-]+\s+){0,3}?(?:"
                       + "|".join(map(re.escape, _KIND_WORDS)) + r")s?\b")


def split_items(phrase: str) -> list[str]:
    """The items of an enumeration: "A, B and C" -> A, B, C (an "and" without commas
    is kept: "bride kidnapping and early marriage" is one item)."""
    parts = [p.strip() for p in re.split(r",\s+(?:and\s+)?", phrase) if p.strip()]
    if len(parts) > 1:
        last = parts[-1]
        if " and " in last:
            left, _sep, right = last.rpartition(" and ")
            parts = [*parts[:-1], left, right]
    return [p for p in parts if p]


def _strip_article(item: str) -> tuple[str, int]:
    match = re.match(r"(?i)(?:the|a|an)\s+", item)
    return (item[match.end() :], match.end()) if match else (item, 0)


def find_topic_phrases(
    text: str,
    *,
    offset: int = 0,
    stops: list[tuple[int, int]] | None = None,
    events: list[EventMention] | None = None,
) -> list[TopicPhrase]:
    """Topics of ``text`` (one clause): after an event noun ("seminar on X") or a verb
    ("focused on", "discussed", "aimed at"). ``stops`` are spans (document offsets)
    where a topic ends: places, dates and audience phrases."""
    stop_starts = sorted(a - offset for a, _b in (stops or []) if a >= offset)
    found: list[TopicPhrase] = []

    def cut(start: int, end: int) -> int:
        for stop in stop_starts:
            if start < stop < end:
                # the word before the stop is a preposition: cut there
                head = text[start:stop]
                prep = re.search(r"(?i)\s+(?:in|on|at|for|from|across|throughout|between|by|"
                                 r"to)\s+(?:the\s+)?(?:cities\s+of\s+)?$", head)
                if prep:
                    return start + prep.start()
        return end

    def add(start: int, end: int, trigger: str, single: bool) -> None:
        phrase = text[start:end]
        items = [phrase] if single else split_items(phrase)
        cursor = start
        for item in items:
            at = text.find(item, cursor, end)
            if at < 0:
                continue
            cursor = at + len(item)
            label, skip = _strip_article(item)
            label = label.strip().rstrip(",")
            if len(label) < 3 or not re.search(r"[a-z]", label):
                continue
            if re.match(r"(?i)(?:it|them|this|that|these|those|how|what|why|ways|issues)$", label):
                continue
            a = at + skip
            found.append(
                TopicPhrase(a + offset, a + len(label) + offset, label, trigger,
                            aim=trigger.lower().startswith("aim"))
            )

    for event in events or []:
        e = event.end - offset
        match = re.match(r"\s+(?:on|about|dedicated\s+to|devoted\s+to)\s+", text[e:])
        if not match:
            continue
        start = e + match.end()
        boundary = re.compile(r"(?i),|\s+on\s+\d|\s+(?:for|from)\s+(?:the\s+)?(?:[\w’'-]+\s+)?"
                              r"(?:" + "|".join(AUDIENCE_HEADS) + r")\b")
        stop = _BOUNDARY.search(text, start)
        end = stop.start() if stop else len(text)
        other = boundary.search(text, start, end)
        if other:
            end = other.start()
        end = cut(start, end)
        at_event = _EVENT_AT.search(text, start, end)
        if at_event:
            end = at_event.start()
        add(start, end, "on", single=True)
    for match in _TRIGGERS.finditer(text):
        start = match.end()
        stop = _BOUNDARY.search(text, start)
        end = stop.start() if stop else len(text)
        at_event = _EVENT_AT.search(text, start, end)
        if at_event:
            end = at_event.start()
        end = cut(start, end)
        while end > start and text[end - 1] in " ,":
            end -= 1
        trigger = re.sub(r"\s+", " ", match.group("trigger").lower())
        add(start, end, trigger, single=False)
    return found


# --------------------------------------------------------------------------- audiences


def find_audiences(text: str, *, offset: int = 0) -> list[tuple[int, int, str]]:
    """Groups an event is for: "for judges and prosecutors", "targeting … social workers".

    >>> [a[2] for a in find_audiences("seminars for law-enforcement officers and social workers in X")]
    ['law-enforcement officers', 'social workers']
    """  # noqa: E501
    found = []
    heads = "|".join(sorted(AUDIENCE_HEADS, key=len, reverse=True))
    pattern = re.compile(
        r"\b(?:[Ff]or|[Tt]argeting)\s+(?:(?:some|about|around|over|up\s+to|more\s+than|"
        r"both)\s+)?(?:[\d,]+\s+)?"
        r"(?P<phrase>(?:[a-z][\w’'-]*\s+){0,3}(?:" + heads + r")(?:(?:,\s+|\s+and\s+)"
        r"(?:[a-z][\w’'-]*\s+){0,3}(?:" + heads + r"))*)\b"
    )
    for match in pattern.finditer(text):
        phrase = match.group("phrase")
        base = match.start("phrase")
        cursor = 0
        for item in split_items(phrase) if "," in phrase else phrase.split(" and "):
            at = phrase.find(item, cursor)
            cursor = at + len(item)
            label, skip = _strip_article(item)
            if label.split()[-1].lower() not in AUDIENCE_HEADS:
                continue
            found.append((base + at + skip + offset, base + at + skip + len(label) + offset, label))
    return found
