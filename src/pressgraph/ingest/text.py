# ruff: noqa: RUF001 -- typographic quotes and dashes are this module's subject
"""The text of an announcement: headline, sentences, quotations and clauses, with offsets.

Offsets are Python ``str`` indices (Unicode code points), 0-based, end exclusive,
into the whole text, exactly as :mod:`pressgraph.spans` counts them. Nothing is
normalised: the text is read as it is and every span is a slice of it.

A *clause* is the unit a claim graph is made for: a sentence, or, where a
sentence mixes quoted words with the publisher's words, each quoted run and each
run of the publisher's words (``s07a`` the quotation, ``s07b`` "said X, Head of …").

>>> doc = parse_document('Title\\n“We agree,” said Ann Lee. Then it rained.')
>>> [(c.graph, c.text, c.quoted) for c in doc.clauses]
[('s01', 'Title', False), ('s02a', '“We agree,”', True), ('s02b', 'said Ann Lee.', False), \
('s03', 'Then it rained.', False)]
>>> [q.words for q in doc.quotes]
['We agree,']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = [
    "Clause",
    "Document",
    "NotAnAnnouncement",
    "Quote",
    "Sentence",
    "check_announcement",
    "parse_document",
    "quote_pairs",
    "split_sentences",
]

OPENING = "“«„"
CLOSING = "”»"
STRAIGHT = '"'
MARKS = OPENING + CLOSING + STRAIGHT

#: abbreviations after which a full stop does not end a sentence
ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "no", "nos", "art", "gen", "lt", "col", "amb",
    "jr", "sr", "inc", "ltd", "co", "corp", "vs", "e.g", "i.e", "approx", "dept", "fig",
    "h.e", "rev", "hon", "sen", "rep", "gov", "capt", "maj", "sgt",
}  # fmt: skip

_SENTENCE_END = re.compile(r"[.!?]+[”»\"’)\]]*(?=\s+[“«\"(‘A-Z0-9À-Þ])")
_WORD_BEFORE = re.compile(r"([\w.]+)$")


class NotAnAnnouncement(ValueError):
    """The input is not the text of an announcement (with the reason, for the user)."""


@dataclass(frozen=True)
class Sentence:
    """A sentence (the headline is sentence 1): ``text == document[start:end]``."""

    index: int
    start: int
    end: int
    text: str
    paragraph: int

    @property
    def is_headline(self) -> bool:
        return self.index == 1


@dataclass(frozen=True)
class Quote:
    """A run of quoted words: ``open`` and ``close`` are the offsets of the marks."""

    open: int
    close: int
    words: str
    sentence: int
    paragraph: int

    @property
    def start(self) -> int:
        """Offset of the first quoted character (after the opening mark)."""
        return self.open + 1

    @property
    def end(self) -> int:
        """Offset of the closing mark (end of the words, exclusive)."""
        return self.close


@dataclass(frozen=True)
class Clause:
    """The words of one claim graph: a sentence or a quoted / unquoted part of one."""

    graph: str
    start: int
    end: int
    text: str
    sentence: int
    paragraph: int
    quoted: bool
    quote: Quote | None = None


@dataclass
class Document:
    """A parsed announcement."""

    text: str
    headline: str
    sentences: list[Sentence]
    quotes: list[Quote]
    clauses: list[Clause]
    notes: list[str] = field(default_factory=list)

    def sentence_of(self, offset: int) -> Sentence:
        """The sentence holding ``offset``."""
        for sentence in self.sentences:
            if sentence.start <= offset < sentence.end:
                return sentence
        raise ValueError(f"offset {offset} is in no sentence")

    def clause_of(self, offset: int) -> Clause | None:
        """The clause holding ``offset`` (None between clauses)."""
        for clause in self.clauses:
            if clause.start <= offset < clause.end:
                return clause
        return None

    def in_quote(self, start: int, end: int | None = None) -> Quote | None:
        """The quotation whose words hold ``start`` (to ``end``), if any."""
        end = start + 1 if end is None else end
        for quote in self.quotes:
            if quote.open < start and end <= quote.close + 1:
                return quote
        return None


# --------------------------------------------------------------------------- checks

_WORD = re.compile(r"[^\W\d_]{2,}")


def check_announcement(text: str) -> None:
    """Raise :class:`NotAnAnnouncement` unless ``text`` looks like headline + body prose.

    Content checks (is it about an event or an organisation?) come later, once
    the entities are known; this only rejects what is not prose at all.
    """
    if not text.strip():
        raise NotAnAnnouncement("the text is empty")
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t")
    if "\x00" in text or controls > 0:
        raise NotAnAnnouncement("the text holds control characters: it looks like a binary file")
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < 2:
        raise NotAnAnnouncement(
            "only one line: an announcement has a headline on the first line, then the body"
        )
    headline = lines[0].strip()
    if len(headline) > 300:
        raise NotAnAnnouncement("the first line is too long for a headline (over 300 characters)")
    body = " ".join(lines[1:])
    words = _WORD.findall(body)
    if len(words) < 15:
        raise NotAnAnnouncement(f"the body has {len(words)} words: too short for an announcement")
    letters = sum(c.isalpha() for c in body)
    if letters < 0.6 * len(body.replace(" ", "")):
        raise NotAnAnnouncement("the body is mostly not letters: it does not read as prose")


# --------------------------------------------------------------------------- quotation marks


def _is_space(char: str) -> bool:
    return char == "" or char.isspace()


def quote_pairs(line: str) -> tuple[list[tuple[int, int]], list[int]]:
    """Pair the double quotation marks of one paragraph: (open, close) offsets, orphans.

    Curly marks say which way they face; a straight ``"`` opens after a space or
    bracket and closes after a word or punctuation. Nesting is not supported
    (single quotes are left alone: they double as apostrophes).

    >>> quote_pairs('"Yes,” he said. “No."')
    ([(0, 5), (16, 20)], [])
    """
    pairs: list[tuple[int, int]] = []
    orphans: list[int] = []
    opened: int | None = None
    for i, char in enumerate(line):
        if char not in MARKS:
            continue
        before = line[i - 1] if i > 0 else ""
        after = line[i + 1] if i + 1 < len(line) else ""
        if char in OPENING:
            can_open, can_close = True, False
        elif char in CLOSING:
            can_open, can_close = False, True
        else:
            can_open = _is_space(before) or before in "([{—–-/"
            can_close = not _is_space(before) and (_is_space(after) or not after.isalnum())
            if not can_open and not can_close:
                can_open = can_close = True
        if opened is None:
            if can_open:
                opened = i
            else:
                orphans.append(i)
        elif can_close:
            pairs.append((opened, i))
            opened = None
        else:  # a second opening mark before a close: the first was an orphan
            orphans.append(opened)
            opened = i
    if opened is not None:
        orphans.append(opened)
    return pairs, orphans


# --------------------------------------------------------------------------- sentences


def _is_abbreviation(line: str, stop: int) -> bool:
    """Whether the full stop at ``stop`` ends an abbreviation or an initial."""
    if line[stop] != ".":
        return False
    match = _WORD_BEFORE.search(line[:stop])
    if not match:
        return False
    word = match.group(1)
    if word.lower().rstrip(".") in ABBREVIATIONS:
        return True
    if len(word) == 1 and word.isupper():  # an initial: "J. Smith"
        return True
    return bool(re.fullmatch(r"(?:[A-Z]\.)+[A-Z]", word))  # "U.S", "U.N"


def split_sentences(line: str, quotes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(start, end) of the sentences of one paragraph, never cutting inside a quotation.

    >>> line = 'He said “It works. Really.” Then the U.S. Embassy left.'
    >>> [line[s:e] for s, e in split_sentences(line, quote_pairs(line)[0])]
    ['He said “It works. Really.”', 'Then the U.S. Embassy left.']
    """
    found: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(line):
        cut = match.end()
        if any(a < cut <= b for a, b in quotes):
            continue
        if _is_abbreviation(line, match.start()) and match.group(0) == ".":
            continue
        piece = line[start:cut]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            found.append((start + lead, cut))
        start = cut
    rest = line[start:]
    if rest.strip():
        lead = len(rest) - len(rest.lstrip())
        found.append((start + lead, start + len(rest.rstrip())))
    return found


# --------------------------------------------------------------------------- clauses


def _has_words(text: str) -> bool:
    return any(c.isalnum() for c in text)


def _clauses_of(
    text: str, sentence: Sentence, quotes: list[Quote]
) -> list[tuple[int, int, Quote | None]]:
    """Split a sentence into quoted and unquoted runs; punctuation joins its neighbour."""
    inside = [q for q in quotes if sentence.start <= q.open and q.close < sentence.end]
    if not inside:
        return [(sentence.start, sentence.end, None)]
    pieces: list[list] = []
    cursor = sentence.start
    for quote in inside:
        if cursor < quote.open:
            pieces.append([cursor, quote.open, None])
        pieces.append([quote.open, quote.close + 1, quote])
        cursor = quote.close + 1
    if cursor < sentence.end:
        pieces.append([cursor, sentence.end, None])
    merged: list[list] = []
    pending: int | None = None
    for piece in pieces:
        if pending is not None:
            piece[0], pending = pending, None
        if piece[2] is None and not _has_words(text[piece[0] : piece[1]]):
            if merged:
                merged[-1][1] = piece[1]
            else:
                pending = piece[0]
            continue
        merged.append(piece)
    out = []
    for start, end, quote in merged:
        chunk = text[start:end]
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk) - len(chunk.rstrip())
        out.append((start + lead, end - trail, quote))
    return out


def parse_document(text: str) -> Document:
    """Sentences, quotations and clauses of an announcement (headline on the first line).

    The headline is the first non-empty line and sentence 1 (graph ``s01``);
    every other line is a paragraph of the body.
    """
    sentences: list[Sentence] = []
    quotes: list[Quote] = []
    notes: list[str] = []
    offset = 0
    paragraph = 0
    headline = ""
    for line in text.split("\n"):
        line_start = offset
        offset += len(line) + 1
        content = line.rstrip("\r")
        if not content.strip():
            continue
        paragraph += 1
        pairs, orphans = quote_pairs(content)
        for orphan in orphans:
            notes.append(
                f"unpaired quotation mark at offset {line_start + orphan}: the words around it "
                "were not treated as a quotation"
            )
        if paragraph == 1:
            lead = len(content) - len(content.lstrip())
            headline = content.strip()
            spans = [(lead, lead + len(headline))]
        else:
            spans = split_sentences(content, pairs)
        first = len(sentences)
        for start, end in spans:
            sentences.append(
                Sentence(
                    index=len(sentences) + 1,
                    start=line_start + start,
                    end=line_start + end,
                    text=content[start:end],
                    paragraph=paragraph,
                )
            )
        for a, b in pairs:
            owner = next(
                (s for s in sentences[first:] if s.start <= line_start + a < s.end), None
            )
            if owner is None:
                continue
            quotes.append(
                Quote(
                    open=line_start + a,
                    close=line_start + b,
                    words=content[a + 1 : b],
                    sentence=owner.index,
                    paragraph=paragraph,
                )
            )
    clauses: list[Clause] = []
    for sentence in sentences:
        parts = _clauses_of(text, sentence, quotes)
        for n, (start, end, quote) in enumerate(parts):
            suffix = "" if len(parts) == 1 else chr(ord("a") + n)
            clauses.append(
                Clause(
                    graph=f"s{sentence.index:02d}{suffix}",
                    start=start,
                    end=end,
                    text=text[start:end],
                    sentence=sentence.index,
                    paragraph=sentence.paragraph,
                    quoted=quote is not None,
                    quote=quote,
                )
            )
    return Document(text, headline, sentences, quotes, clauses, notes)
