"""Canned-query files: headers, preparation at load time, typed parameters."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from pressgraph.errors import ParameterError, QueryError, QueryNotFound
from pressgraph.queries import PARAMETER_TYPES, Catalogue

GOOD = """#+ summary: Things of a type
#+ description: |
#+   Lists the things of one type.
#+ tags: [demo]
#+ params:
#+   - name: type
#+     type: iri
#+     description: the class
#+     example: schema:Event
#+   - name: limit_date
#+     type: date
#+     default: "2016-10-06"
#+     example: "2016-10-06"
SELECT ?thing ?type ?limit_date WHERE { GRAPH ?g { ?thing a ?type } }
"""


def catalogue(tmp_path: Path, **files: str) -> Catalogue:
    for name, text in files.items():
        (tmp_path / f"{name}.rq").write_text(text, encoding="utf-8")
    return Catalogue.load(tmp_path)


def test_header_is_read(tmp_path: Path) -> None:
    q = catalogue(tmp_path, things=GOOD)["things"]
    assert q.summary == "Things of a type"
    assert q.description == "Lists the things of one type."
    assert q.tags == ("demo",)
    assert [(p.name, p.type, p.required) for p in q.params] == [
        ("type", "iri", True),
        ("limit_date", "date", False),
    ]
    assert q.kind == "select"


def test_binding_converts_and_applies_defaults(tmp_path: Path) -> None:
    q = catalogue(tmp_path, things=GOOD)["things"]
    bound = q.bind({"type": "schema:Event"})
    assert bound["type"] == ox.NamedNode("http://schema.org/Event")
    assert bound["limit_date"] == ox.Literal(
        "2016-10-06", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
    )


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({}, "query 'things' needs parameter 'type': an IRI or prefixed name"),
        ({"type": "not an iri"}, "parameter 'type' must be an IRI or prefixed name"),
        ({"type": "schema:Event", "limit_date": "6 Oct"}, "parameter 'limit_date' must be a date"),
        ({"type": "schema:Event", "colour": "red"}, "query 'things' has no parameter 'colour'"),
    ],
)
def test_bad_parameters_name_the_parameter_and_type(
    tmp_path: Path, values: dict[str, str], message: str
) -> None:
    q = catalogue(tmp_path, things=GOOD)["things"]
    with pytest.raises(ParameterError) as info:
        q.bind(values)
    assert str(info.value).startswith(message)
    assert info.value.parameter is not None and info.value.parameter in message


@pytest.mark.parametrize(
    ("ptype", "good", "bad"),
    [
        ("iri", "https://example.org/x", "x y"),
        ("string", "anything", None),
        ("langstring", "Astana@en", "Astana"),
        ("integer", "180", "some"),
        ("decimal", "1.5", "1,5"),
        ("date", "2016-10-06", "2016-13-01"),
        ("datetime", "2016-10-06T10:00:00", "yesterday"),
        ("boolean", "true", "maybe"),
    ],
)
def test_every_parameter_type_accepts_and_refuses(ptype: str, good: str, bad: str | None) -> None:
    convert = PARAMETER_TYPES[ptype][1]
    assert convert(good) is not None
    if bad is not None:
        with pytest.raises(ValueError):
            convert(bad)


def test_syntax_error_stops_loading_with_file_line_column(tmp_path: Path) -> None:
    with pytest.raises(QueryError) as info:
        catalogue(tmp_path, broken="#+ summary: x\nSELECT * WHERE {\n  ?s ?p }\n")
    err = info.value
    assert err.path == str(tmp_path / "broken.rq")
    assert (err.line, err.column) == (3, 9)  # the "}" where an object was expected


def test_bad_header_is_reported_with_position(tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="bad #\\+ header") as info:
        catalogue(tmp_path, bad="#+ summary: [unclosed\nASK {}\n")
    assert info.value.line is not None


def test_parameter_must_be_projected(tmp_path: Path) -> None:
    text = (
        "#+ params:\n#+   - name: p\n#+     type: iri\n#+     example: schema:x\n"
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }\n"
    )
    with pytest.raises(QueryError, match="parameter 'p' cannot be bound"):
        catalogue(tmp_path, agg=text)


def test_parameter_without_example_is_refused(tmp_path: Path) -> None:
    text = "#+ params:\n#+   - name: s\n#+     type: iri\nSELECT ?s WHERE { ?s ?p ?o }\n"
    with pytest.raises(QueryError, match="parameter 's' needs an example"):
        catalogue(tmp_path, noexample=text)


def test_unknown_parameter_type_is_refused(tmp_path: Path) -> None:
    text = "#+ params:\n#+   - name: s\n#+     type: colour\n#+     example: red\nASK {}\n"
    with pytest.raises(QueryError, match="unknown type 'colour'"):
        catalogue(tmp_path, t=text)


def test_unknown_name_suggests_close_matches(tmp_path: Path) -> None:
    cat = catalogue(tmp_path, things=GOOD)
    with pytest.raises(QueryNotFound) as info:
        cat["thing"]
    assert info.value.close == ["things"]
    assert len(cat) == 1 and list(cat) == ["things"]


def test_missing_folder_gives_empty_catalogue(tmp_path: Path) -> None:
    assert len(Catalogue.load(tmp_path / "nope")) == 0
