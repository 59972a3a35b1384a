"""The exception tree: one root, located messages, and complete mapping of dependency errors."""

from __future__ import annotations

import inspect

import pytest

from pressgraph import errors
from pressgraph.errors import DataError, PressgraphError, QueryError, QueryNotFound


def test_every_public_error_derives_from_the_root_and_has_a_kind() -> None:
    classes = [getattr(errors, name) for name in errors.__all__]
    assert len(classes) == 12
    kinds = set()
    for cls in classes:
        assert inspect.isclass(cls) and issubclass(cls, PressgraphError)
        kinds.add(cls.kind)
    assert len(kinds) == len(classes), "every error class needs its own kind"


@pytest.mark.parametrize(
    ("error", "text"),
    [
        (DataError("bad", "a.ttl", 3, 4), "a.ttl:3:4: bad"),
        (DataError("bad", "a.ttl"), "a.ttl: bad"),
        (QueryError("oops", None, 2, 7), "line 2:7: oops"),
        (QueryError("oops"), "oops"),
    ],
)
def test_located_errors_say_where(error: PressgraphError, text: str) -> None:
    assert str(error) == text


def test_query_not_found_lists_close_matches() -> None:
    err = QueryNotFound("seminar", ["seminars"])
    assert "seminars" in str(err) and err.close == ["seminars"]
    assert "Did you mean" not in str(QueryNotFound("zzz", []))
