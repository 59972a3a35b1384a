
"""Sentences, quotations and clauses of an announcement (pressgraph.ingest.text)."""

from __future__ import annotations

import doctest
import tomllib
from pathlib import Path

import pytest

from pressgraph.ingest import text as text_module
from pressgraph.ingest.text import (
    NotAnAnnouncement,
    check_announcement,
    parse_document,
    quote_pairs,
    split_sentences,
)

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "announcements" / "2016-10-06-osce-anti-trafficking-seminars"


def test_docstring_examples_run() -> None:
    assert doctest.testmod(text_module).failed == 0


def test_seed_clauses_are_the_curated_spans() -> None:
    """The clauses the ingest makes are, word for word, the spans curated by hand."""
    text = (SEED / "announcement.txt").read_bytes().decode("utf-8")
    curated = tomllib.loads((SEED / "spans.toml").read_text(encoding="utf-8"))["claim"]
    doc = parse_document(text)
    assert [(c.graph, c.text) for c in doc.clauses] == [(c["graph"], c["exact"]) for c in curated]
    assert [c.graph for c in doc.clauses if c.quoted] == ["s07a", "s08", "s09a", "s10"]
    for clause in doc.clauses:
        assert text[clause.start : clause.end] == clause.text


def test_mixed_straight_and_curly_marks_pair_up() -> None:
    line = '"The scope is wide,” said A. “Every year, 300 cases."'
    pairs, orphans = quote_pairs(line)
    assert [line[a + 1 : b] for a, b in pairs] == ["The scope is wide,", "Every year, 300 cases."]
    assert orphans == []


def test_unpaired_mark_is_reported_not_guessed() -> None:
    doc = parse_document("Title\nHe said “this never closes. It goes on and on and on here.")
    assert doc.quotes == []
    assert doc.notes and "unpaired" in doc.notes[0]


def test_no_sentence_break_inside_a_quotation_or_after_an_abbreviation() -> None:
    line = "“Twenty years ago, few. Today there are 412,” said Ms. Beridze. The U.S. Embassy met."
    found = [line[a:b] for a, b in split_sentences(line, quote_pairs(line)[0])]
    assert found == [
        "“Twenty years ago, few. Today there are 412,” said Ms. Beridze.",
        "The U.S. Embassy met.",
    ]


def test_clause_letters_follow_the_text_order() -> None:
    doc = parse_document('Title\nAnn Lee, Head of X, said: "We agree." Then it rained.')
    assert [(c.graph, c.quoted) for c in doc.clauses] == [
        ("s01", False),
        ("s02a", False),
        ("s02b", True),
        ("s03", False),
    ]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("   \n\n", "empty"),
        ("Only a headline here", "only one line"),
        ("Title\nToo short a body.", "too short"),
        ("Title\n\x00\x01binary" + "x" * 200, "binary"),
        ("Title\n" + "ab 12 34 56 78 90 " * 30, "not letters"),
    ],
)
def test_what_is_not_an_announcement_is_refused(text: str, reason: str) -> None:
    with pytest.raises(NotAnAnnouncement, match=reason):
        check_announcement(text)
