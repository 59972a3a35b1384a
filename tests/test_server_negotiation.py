"""Content negotiation: Accept with q-values, specificity, server order, Content-Type parsing."""

from __future__ import annotations

import pytest

from pressgraph.server.negotiation import media_type_of, negotiate, parse_accept

OFFERS = ["text/html", "text/turtle", "application/ld+json"]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "text/html"),
        ("", "text/html"),
        ("*/*", "text/html"),
        ("text/turtle", "text/turtle"),
        ("application/ld+json;q=0.9, text/turtle;q=0.8", "application/ld+json"),
        ("text/*;q=0.5, application/ld+json;q=0.4", "text/html"),
        ("text/html;q=0, */*;q=0.1", "text/turtle"),
        ("text/turtle;q=0.2, */*;q=0.3", "text/html"),
        ("image/png", None),
        ("text/turtle;q=0", None),
        ("garbage, text/turtle", "text/turtle"),
        ("TEXT/Turtle", "text/turtle"),
        ("text/turtle;q=abc, application/ld+json", "application/ld+json"),
    ],
)
def test_negotiate(accept: str | None, expected: str | None) -> None:
    assert negotiate(accept, OFFERS) == expected


def test_most_specific_range_sets_the_quality() -> None:
    # text/turtle is excluded explicitly even though text/* would allow it
    assert negotiate("text/*;q=1, text/turtle;q=0", ["text/turtle", "text/csv"]) == "text/csv"


def test_parse_accept_clamps_q() -> None:
    ranges = parse_accept("a/b;q=5, c/d;q=-1")
    assert [r.q for r in ranges] == [1.0, 0.0]


def test_media_type_of() -> None:
    assert media_type_of('Application/SPARQL-Query; Charset="UTF-16"') == (
        "application/sparql-query",
        {"charset": "UTF-16"},
    )
    assert media_type_of(None) == ("", {})
