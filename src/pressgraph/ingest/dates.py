# ruff: noqa: RUF001, RUF003 -- typographic quotes and dashes are this module's subject
"""Dates in announcement text: absolute, partial and relative, with the words that say them.

Absolute dates need no anchor (``6 October 2016``, ``October 6, 2016``, ``10 and 12
December 2019``, ``from 3 to 5 May 2021``, ``between 15 February and 4 March 2021``).
A day and month without a year (``on 10 and 12 December``) and relative words
(``today``, ``yesterday``, ``tomorrow``, ``on Friday``) need an *anchor*: the
publication date (``--date``) or, for weekdays, a full date stated earlier in the
text. Without one they are returned unresolved (``days == ()``) with a note, so
that the draft flags them for review instead of inventing a date.

>>> from datetime import date
>>> [m.days for m in find_dates("held on 6 October 2016 in Shymkent")]
[(datetime.date(2016, 10, 6),)]
>>> [m.days for m in find_dates("on 10 and 12 December", anchor=date(2019, 12, 13))]
[(datetime.date(2019, 12, 10), datetime.date(2019, 12, 12))]
>>> m = find_dates("ended on Friday", anchor=date(2020, 2, 10))[0]
>>> m.days, m.relative
((datetime.date(2020, 2, 7),), True)
>>> find_dates("opened today")[0].days
()
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["MONTHS", "WEEKDAYS", "DateMention", "find_dates", "spoken"]

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_MONTH = r"(?P<{name}>January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"  # noqa: E501
_DAY = r"(?P<{name}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{name}>(?:19|20)\d\d)"
_DASH = r"\s*(?:-|–|—|to|until|till)\s*"
_AND = r"\s*(?:,|and|&)\s*"


def _m(name: str) -> str:
    return _MONTH.format(name=name)


def _d(name: str) -> str:
    return _DAY.format(name=name)


def _y(name: str) -> str:
    return _YEAR.format(name=name)


# The order matters: longer forms first; each is tried at every position.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # between 15 February and 4 March 2021 / from 28 February to 3 March 2021
    (
        "range2",
        re.compile(
            rf"\b(?:between|from)\s+{_d('d1')}\s+{_m('m1')}(?:\s+{_y('y1')})?"
            rf"\s+(?:and|to|until|till|-|–)\s+{_d('d2')}\s+{_m('m2')}(?:,?\s+{_y('y2')})?\b"
        ),
    ),
    # 15 February – 4 March 2021
    (
        "range2",
        re.compile(
            rf"\b{_d('d1')}\s+{_m('m1')}(?:\s+{_y('y1')})?\s*(?:-|–|—)\s*"
            rf"{_d('d2')}\s+{_m('m2')}(?:,?\s+{_y('y2')})?\b"
        ),
    ),
    # from 3 to 5 May 2021 / 3-5 May 2021
    (
        "range1",
        re.compile(rf"\b(?:from\s+)?{_d('d1')}{_DASH}{_d('d2')}\s+{_m('m1')}(?:,?\s+{_y('y1')})?\b"),
    ),
    # 10 and 12 December 2019 / 10, 11 and 12 December
    (
        "list",
        re.compile(
            rf"\b(?P<days>[0-3]?\d(?:{_AND}[0-3]?\d)+)\s+{_m('m1')}(?:,?\s+{_y('y1')})?\b"
        ),
    ),
    # 6 October 2016 / 6 October
    ("dmy", re.compile(rf"\b{_d('d1')}\s+{_m('m1')}(?:,?\s+{_y('y1')})?\b")),
    # October 6, 2016 / October 6
    ("mdy", re.compile(rf"\b{_m('m1')}\s+{_d('d1')}(?:,\s*{_y('y1')})?\b(?!\s*(?:per|%))")),
    # ISO 2016-10-06
    ("iso", re.compile(r"\b(?P<y1>(?:19|20)\d\d)-(?P<m1>[01]\d)-(?P<d1>[0-3]\d)\b")),
    # relative words
    ("today", re.compile(r"\b(?:today|this morning|this afternoon|this evening)\b", re.I)),
    ("yesterday", re.compile(r"\byesterday\b", re.I)),
    ("tomorrow", re.compile(r"\btomorrow\b", re.I)),
    (
        "weekday",
        re.compile(
            r"\b(?:(?P<which>(?i:last|next|this|on))\s+)?"
            r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
        ),
    ),
]

_FUTURE = re.compile(
    r"\b(?:will|shall|is to|are to|is due|are due|is scheduled|are scheduled|is planned|"
    r"are planned|is expected|are expected|upcoming|next)\b",
    re.I,
)


@dataclass(frozen=True)
class DateMention:
    """Words that name one or more days.

    ``days`` holds the days in text order (a range: its first and last day);
    ``range`` says the two days are a start and an end, not two separate days;
    ``relative`` that an anchor was needed; ``note`` why nothing was resolved, or
    how it was.
    """

    start: int
    end: int
    text: str
    days: tuple[date, ...]
    range: bool = False
    relative: bool = False
    note: str | None = None


def _month(name: str) -> int:
    key = name.rstrip(".")[:3].lower()
    return [m[:3].lower() for m in MONTHS].index(key) + 1


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year_for(month: int, day: int, anchor: date | None, future: bool) -> int | None:
    """The year of a day-and-month without one: the anchor's, moved to keep the tense."""
    if anchor is None:
        return None
    year = anchor.year
    candidate = _safe_date(year, month, day)
    if candidate is None:
        return year
    # more than half a year away from the anchor, on the wrong side: the other year
    if not future and candidate > anchor + timedelta(days=183):
        return year - 1
    if future and candidate < anchor - timedelta(days=183):
        return year + 1
    return year


def spoken(day: date) -> str:
    """How the curated data writes a day: ``6 October 2016``."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _weekday(
    name: str, which: str | None, anchor: date, future: bool, from_text: bool
) -> date:
    target = WEEKDAYS.index(name)
    if which == "next":
        future = True
    elif which == "last":
        future = False
    if from_text:
        # anchored on a date the text gives: the nearest such day on the tense's side
        delta = (target - anchor.weekday()) % 7
        if delta == 0:
            return anchor
        after = anchor + timedelta(days=delta)
        before = after - timedelta(days=7)
        if which == "last":
            return before
        if which == "next" or future:
            return after
        return after if delta <= 3 else before
    if future:
        delta = (target - anchor.weekday()) % 7 or 7
        return anchor + timedelta(days=delta)
    delta = (anchor.weekday() - target) % 7 or 7
    return anchor - timedelta(days=delta)


def find_dates(
    text: str,
    anchor: date | None = None,
    *,
    text_anchor: date | None = None,
    offset: int = 0,
) -> list[DateMention]:
    """Every date expression of ``text`` (one sentence or clause), in text order.

    ``anchor`` is the publication date; ``text_anchor`` a full date stated earlier
    in the text, used for weekdays when there is no publication date. ``offset`` is
    added to the positions (the offset of ``text`` in the whole document).
    """
    future = bool(_FUTURE.search(text))
    years = [(m.start(), m.group(0)) for m in re.finditer(r"\b(?:19|20)\d\d\b", text)]
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            a, b = match.span()
            if any(a < y and x < b for x, y in taken):
                continue
            hint = next((int(y) for pos, y in years if pos >= b), None)
            mention = _mention(kind, match, anchor, text_anchor, future, offset, hint)
            if mention is None:
                continue
            taken.append((a, b))
            found.append(mention)
    found.sort(key=lambda m: m.start)
    return found


def _mention(
    kind: str,
    match: re.Match[str],
    anchor: date | None,
    text_anchor: date | None,
    future: bool,
    offset: int,
    year_hint: int | None = None,
) -> DateMention | None:
    groups = match.groupdict()
    words = match.group(0)
    start, end = match.start() + offset, match.end() + offset

    def make(days: list[date | None], *, rng: bool = False, rel: bool = False, note=None):
        clean = tuple(d for d in days if d is not None)
        if len(clean) != len(days):
            clean = ()
        return DateMention(start, end, words, clean, rng, rel, note)

    if kind in ("dmy", "mdy", "iso", "list", "range1", "range2"):
        m1 = int(groups["m1"]) if kind == "iso" else _month(groups["m1"])
        if kind == "list":
            day_numbers = [int(x) for x in re.findall(r"\d+", groups["days"])]
        elif kind in ("range1", "range2"):
            day_numbers = [int(groups["d1"]), int(groups["d2"])]
        else:
            day_numbers = [int(groups["d1"])]
        if any(not 1 <= d <= 31 for d in day_numbers):
            return None
        m2 = _month(groups["m2"]) if kind == "range2" else m1
        y2 = groups.get("y2") or groups.get("y1")
        y1 = groups.get("y1") or y2
        note = None
        if y1 is None:
            year = _year_for(m1, day_numbers[0], anchor, future)
            if year is None and year_hint is not None:
                year, hinted = year_hint, True
            else:
                hinted = False
            if year is None:
                return make(
                    [None],
                    note=f"'{words}' gives no year and no publication date is known",
                )
            y1 = y2 = str(year)
            note = (
                f"year {year} taken from a later date in the same sentence"
                if hinted
                else f"year {year} taken from the publication date"
            )
        if kind == "range2":
            first = _safe_date(int(y1), m1, day_numbers[0])
            last = _safe_date(int(y2), m2, day_numbers[1])
            if first and last and first > last and groups.get("y1") is None:
                first = _safe_date(int(y2) - 1, m1, day_numbers[0])
            return make([first, last], rng=True, note=note)
        days = [_safe_date(int(y1), m1, d) for d in day_numbers]
        return make(days, rng=kind == "range1", rel=note is not None, note=note)

    if kind in ("today", "yesterday", "tomorrow"):
        if anchor is None:
            return make([None], rel=True, note=f"'{words}' needs the publication date (--date)")
        shift = {"today": 0, "yesterday": -1, "tomorrow": 1}[kind]
        return make([anchor + timedelta(days=shift)], rel=True, note=f"'{words}' resolved "
                    f"against the publication date {anchor.isoformat()}")

    # weekday
    which = (groups.get("which") or "").lower() or None
    if which is None and not re.match(r"(?i)on\b", words):
        # a bare weekday ("Friday's meeting") still names a day; treat like "on"
        which = None
    base, from_text = (anchor, False) if anchor is not None else (text_anchor, True)
    if base is None:
        return make([None], rel=True, note=f"'{words}' needs the publication date (--date)")
    day = _weekday(groups["wd"], which if which in ("last", "next") else None, base,
                   future, from_text)
    source = "a date stated earlier in the text" if from_text else "the publication date"
    return make([day], rel=True, note=f"'{words}' resolved against {source} "
                f"{base.isoformat()}")
