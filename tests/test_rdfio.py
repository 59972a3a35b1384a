"""Parsing RDF files: errors name file, line and column; terms survive the rdflib round trip."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from pressgraph.errors import DataError
from pressgraph.rdfio import (
    canonical_quads,
    from_rdflib,
    parse_file,
    require_named_graphs,
    to_rdflib,
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_turtle_goes_into_the_named_graph(tmp_path: Path) -> None:
    path = write(tmp_path, "a.ttl", "<http://ex/a> <http://ex/b> <http://ex/c> .\n")
    (quad,) = parse_file(path, "http://ex/g")
    assert quad.graph_name == ox.NamedNode("http://ex/g")


@pytest.mark.parametrize(
    ("name", "text", "line", "column"),
    [
        ("bad.ttl", '@prefix ex: <http://ex/> .\nex:a ex:b ex:c .\nex:a ex:b "open .\n', 3, 11),
        ("bad.trig", "<http://ex/g> {\n  <http://ex/a> <http://ex/b> .\n}\n", 2, 31),
        ("undeclared.ttl", "\n\nfoo:a <http://ex/b> <http://ex/c> .\n", 3, 1),
    ],
)
def test_syntax_errors_name_file_line_and_column(
    tmp_path: Path, name: str, text: str, line: int, column: int
) -> None:
    path = write(tmp_path, name, text)
    with pytest.raises(DataError) as info:
        parse_file(path, "http://ex/g")
    err = info.value
    assert err.path == str(path)
    assert (err.line, err.column) == (line, column)
    assert str(err).startswith(f"{path}:{line}:{column}: ")


def test_unknown_suffix_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"unknown RDF file type '\.txt'"):
        parse_file(write(tmp_path, "a.txt", ""))


@pytest.mark.parametrize(
    "term",
    [
        ox.NamedNode("http://ex/a"),
        ox.Literal("plain"),
        ox.Literal("hallo", language="de"),
        ox.Literal("1.5", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#double")),
    ],
)
def test_terms_round_trip_through_rdflib(term: ox.NamedNode | ox.Literal) -> None:
    assert from_rdflib(to_rdflib(term)) == term


def test_plain_literal_becomes_untyped_rdflib_literal() -> None:
    assert to_rdflib(ox.Literal("x")) == Literal("x")
    assert to_rdflib(ox.NamedNode("http://ex/a")) == URIRef("http://ex/a")


def test_canonical_quads_are_sorted_and_blank_nodes_stable() -> None:
    def dataset(label: str) -> list[ox.Quad]:
        b = ox.BlankNode(label)
        g = ox.NamedNode("http://ex/g")
        return [
            ox.Quad(ox.NamedNode("http://ex/z"), ox.NamedNode("http://ex/p"), b, g),
            ox.Quad(b, ox.NamedNode("http://ex/p"), ox.Literal("v"), g),
        ]

    first = [str(q) for q in canonical_quads(dataset("one"))]
    second = [str(q) for q in canonical_quads(reversed(dataset("two")))]
    assert first == second
    assert first == [
        "<http://ex/z> <http://ex/p> _:c14n0 <http://ex/g>",
        '_:c14n0 <http://ex/p> "v" <http://ex/g>',
    ]


def test_data_outside_a_named_graph_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "a.trig", "<http://ex/a> <http://ex/b> <http://ex/c> .\n")
    with pytest.raises(DataError, match="triples outside a named graph") as info:
        require_named_graphs(parse_file(path), path)
    assert info.value.path == str(path)
