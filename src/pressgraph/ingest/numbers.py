# ruff: noqa: RUF001 -- typographic quotes and dashes are this module's subject
"""Numbers in announcement text, with their hedge and what they count.

"some 180" is 180, *approximately*; "over fifty" 50, *at least*; "up to 30" 30,
*at most*; "a total of 871 (405 women and 466 men)" three exact numbers, the last
two a breakdown of the first. The hedge is one of the project's number qualifiers
(``approximately``, ``at-least``, ``at-most``) or ``None`` for an exact number.

Not numbers of anything: dates and years, durations ("three-day", "two years"),
ordinals, numbers inside names ("Resolution 1325", "COVID-19") and the word
"one". A number of events ("five seminars") is returned with ``counts_events``
set: it says how many parts a series has, it is not a figure.

>>> [(n.value, n.hedge, n.unit) for n in find_numbers("targeting some 180 law-enforcement officers and social workers.")]
[(180, 'approximately', 'law-enforcement officers and social workers')]
>>> [(n.value, n.hedge, n.unit) for n in find_numbers("Over fifty observers met.")]
[(50, 'at-least', 'observers')]
>>> [(n.value, n.hedge, n.part_of) for n in find_numbers("a total of 871 (405 women and 466 men)")]
[(871, None, None), (405, None, 0), (466, None, 0)]
"""  # noqa: E501

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["HEDGES", "NumberMention", "find_numbers", "parse_number_words"]

#: hedge words (lower case) -> qualifier; longest first when matching
HEDGES: dict[str, str | None] = {
    "approximately": "approximately",
    "an estimated": "approximately",
    "estimated": "approximately",
    "roughly": "approximately",
    "around": "approximately",
    "about": "approximately",
    "some": "approximately",
    "close to": "approximately",
    "circa": "approximately",
    "more than": "at-least",
    "over": "at-least",
    "at least": "at-least",
    "well over": "at-least",
    "just over": "at-least",
    "upwards of": "at-least",
    "in excess of": "at-least",
    "no fewer than": "at-least",
    "no less than": "at-least",
    "a minimum of": "at-least",
    "up to": "at-most",
    "nearly": "at-most",
    "almost": "at-most",
    "fewer than": "at-most",
    "less than": "at-most",
    "at most": "at-most",
    "no more than": "at-most",
    "a maximum of": "at-most",
    "just under": "at-most",
    "under": "at-most",
    "a total of": None,
    "total of": None,
    "exactly": None,
}

_UNITS = {
    "zero": 0, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}

_NUMBER_WORD = "|".join(sorted([*_UNITS, *_TENS, *_SCALES], key=len, reverse=True))
_WORD_NUMBER = (
    rf"(?:(?:a|one)\s+(?=hundred|thousand|million|billion))?(?:{_NUMBER_WORD})"
    rf"(?:(?:\s+and\s+|[\s-])(?:{_NUMBER_WORD}))*"
)
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUMBER = re.compile(
    rf"(?<![\w.,\-/])(?P<num>(?:{_DIGITS})(?:\s+(?:million|billion|thousand))?|(?i:{_WORD_NUMBER}))"
    r"(?![\w\-/]|,\d|\.\d)",
)
_HEDGE = re.compile(
    r"(?i)\b(?P<hedge>" + "|".join(sorted(map(re.escape, HEDGES), key=len, reverse=True)) + r")\s+$"
)
_DURATION = re.compile(
    r"(?i)^(?:\s|-)(?:and\s+a\s+half\s+)?(?:days?|weeks?|months?|years?|hours?|minutes?|"
    r"decades?|centuries|century|nights?)\b"
)
_PERCENT = re.compile(r"(?i)^\s*(?:%|per\s?cent|percent)")
_CURRENCY_BEFORE = re.compile(r"(?i)(?:EUR|USD|US\$|\$|€|£|CHF|GBP|KZT|RUB)\s?$")
_NAME_BEFORE = re.compile(
    r"(?:Resolution|Article|Articles|Protocol|Room|No\.|Section|Chapter|Law|Decree|Order|"
    r"Paragraph|Point|Goal|Agenda|Convention|Code|Part|Annex|Item|Table|Figure|Page|"
    r"Phase|Level|Grade|Class|Number)\s+$"
)
_EVENT_NOUN = re.compile(
    r"(?i)^\s+(?:[\w-]+\s+){0,2}?(?:seminars?|workshops?|courses?|trainings?|conferences?|"
    r"round[\s-]?tables?|roundtables?|meetings?|forums?|webinars?|sessions?|events?|"
    r"visits?|lectures?|briefings?|consultations?|exercises?|schools?)\b"
)
_UNIT_STOP = {
    "a", "about", "across", "adds", "after", "against", "all", "also", "among", "an", "and/or",
    "are", "around", "as", "at", "attend", "attended", "be", "been", "before", "began",
    "between", "both", "brought", "built", "but", "by", "came", "can", "come", "completed",
    "could", "dealt", "during", "each", "for", "found", "from", "gathered", "gave", "get", "go",
    "got", "grew", "had", "has", "have", "heard", "held", "i", "in", "including", "into", "is",
    "it", "its", "joined", "kept", "last", "led", "left", "like", "made", "met", "need",
    "needs", "next", "of", "on", "or", "our", "over", "paid", "participate", "participated",
    "per", "put", "ran", "receive", "received", "receives", "remain", "remains", "said", "saw",
    "say", "says", "sent", "set", "since", "spoke", "take", "takes", "taking", "than", "that",
    "the", "their", "them", "there", "these", "they", "this", "those", "through", "to", "told",
    "took", "trained", "under", "visit", "was", "we", "went", "were", "which", "who", "whom",
    "will", "with", "won", "work", "worked", "would", "wrote", "you",
}  # fmt: skip
_TOKEN = re.compile(r"[\w’'\-]+|[^\w\s]")


@dataclass(frozen=True)
class NumberMention:
    """A number in the text: ``text`` (hedge and number, e.g. "some 180") at [start, end)."""

    start: int
    end: int
    text: str
    value: int | float
    hedge: str | None
    number_text: str
    unit: str | None = None
    unit_start: int | None = None
    unit_end: int | None = None
    part_of: int | None = None
    counts_events: bool = False
    percent: bool = False


def parse_number_words(words: str) -> int | None:
    """The value of a number in words: "twenty-five" 25, "a hundred and twenty" 120.

    >>> parse_number_words("Over fifty".split()[1]), parse_number_words("two hundred and five")
    (50, 205)
    """
    total, current = 0, 0
    seen = False
    for word in re.split(r"[\s-]+", words.lower()):
        if word in ("and", ""):
            continue
        if word in ("a", "one"):
            current += 1
            seen = True
        elif word in _UNITS:
            current += _UNITS[word]
            seen = True
        elif word in _TENS:
            current += _TENS[word]
            seen = True
        elif word in _SCALES:
            scale = _SCALES[word]
            current = max(current, 1) * scale
            if scale >= 1000:
                total += current
                current = 0
            seen = True
        else:
            return None
    return total + current if seen else None


def _value(text: str) -> int | float | None:
    match = re.fullmatch(rf"({_DIGITS})(?:\s+(million|billion|thousand))?", text)
    if match:
        number = float(match.group(1).replace(",", ""))
        if match.group(2):
            number *= _SCALES[match.group(2)]
        return int(number) if number.is_integer() else number
    return parse_number_words(text)


def _unit(text: str, start: int) -> tuple[str, int, int] | None:
    """The noun phrase after a number: what it counts ("law-enforcement officers")."""
    words: list[tuple[str, int, int]] = []
    for match in _TOKEN.finditer(text, start):
        token = match.group(0)
        if token in (",",):
            words.append((token, match.start(), match.end()))
            continue
        if not re.match(r"[\w]", token) or token.lower() in _UNIT_STOP:
            break
        if token[0].isdigit():
            break
        if words and token.lower().endswith("ed") and len(token) > 4:
            break  # a verb: "participants discussed", "recommendations made"
        words.append((token, match.start(), match.end()))
        if len([w for w in words if w[0] != ","]) >= 8:
            break
    while words and words[-1][0] in (",", "and"):
        words.pop()
    if not words:
        return None
    # a list with commas must end with "and X", else it was a list of clauses
    phrase_tokens = [w[0] for w in words]
    if "," in phrase_tokens:
        last_comma = max(i for i, t in enumerate(phrase_tokens) if t == ",")
        if "and" not in phrase_tokens[last_comma:]:
            words = words[: phrase_tokens.index(",")]
    if not words:
        return None
    a, b = words[0][1], words[-1][2]
    return text[a:b], a, b


def find_numbers(
    text: str, *, exclude: list[tuple[int, int]] | None = None, offset: int = 0
) -> list[NumberMention]:
    """Every number of ``text`` that counts something, in text order.

    ``exclude`` are (start, end) spans (relative to ``text``) to skip: the dates
    found by :func:`pressgraph.ingest.dates.find_dates`. ``offset`` is added to all
    positions.
    """
    exclude = exclude or []
    found: list[NumberMention] = []
    for match in _NUMBER.finditer(text):
        raw = match.group("num")
        a, b = match.span("num")
        if any(x <= a < y for x, y in exclude):
            continue
        lowered = raw.lower()
        if lowered in ("one", "a", "an"):
            continue
        if re.match(r"(?:a|one)\s", lowered) and not any(s in lowered for s in _SCALES):
            continue  # "one of", "a second"
        value = _value(raw)
        if value is None:
            continue
        after = text[b:]
        before = text[:a]
        if _DURATION.match(after):
            continue
        if re.fullmatch(r"(?:19|20)\d\d", raw) and not _HEDGE.search(before):
            continue  # a year
        if _NAME_BEFORE.search(before) or re.search(r"[\w]-$", before):
            continue
        if re.match(r"(?:st|nd|rd|th)\b", after):
            continue
        hedge_match = _HEDGE.search(before)
        hedge = HEDGES[hedge_match.group("hedge").lower()] if hedge_match else None
        start = hedge_match.start("hedge") if hedge_match else a
        counts_events = bool(_EVENT_NOUN.match(after))
        percent_match = _PERCENT.match(after)
        percent = percent_match is not None
        unit: tuple[str, int, int] | None = None
        percent_match = _PERCENT.match(after)
        currency = _CURRENCY_BEFORE.search(before)
        if percent_match:
            words = percent_match.group(0).strip()
            unit = (words, b + percent_match.end() - len(words), b + percent_match.end())
        elif currency:
            words = currency.group(0).strip()
            unit = (words, currency.start(), currency.start() + len(words))
        else:
                of_next = re.match(r"\s+of\s+the\s+(?:" + _DIGITS + r")\s+", after)
                unit = _unit(text, b + (of_next.end() if of_next else 0))
        found.append(
            NumberMention(
                start=start + offset,
                end=b + offset,
                text=text[start:b],
                value=value,
                hedge=hedge,
                number_text=raw,
                unit=unit[0] if unit else None,
                unit_start=unit[1] + offset if unit else None,
                unit_end=unit[2] + offset if unit else None,
                counts_events=counts_events,
                percent=percent,
            )
        )
    # breakdowns: "87 journalists (52 women and 35 men)", "60 officers, including 14 from"
    out: list[NumberMention] = []
    for i, number in enumerate(found):
        part_of = None
        if i > 0 and re.search(r"(?i)\b(?:including|of\s+whom|of\s+which|among\s+them)\s+$",
                               text[: number.start - offset]):
            part_of = i - 1
        elif i > 0:
            opening = text.rfind("(", 0, number.start - offset)
            closing = text.find(")", number.end - offset)
            if opening != -1 and closing != -1 and ")" not in text[opening : number.start - offset]:
                for j in range(i - 1, -1, -1):
                    if found[j].end - offset <= opening:
                        part_of = j
                        break
        out.append(
            NumberMention(**{**number.__dict__, "part_of": part_of})
            if part_of is not None
            else number
        )
    return out
