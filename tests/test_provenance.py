"""pressgraph.spans, and the provenance of the real announcement.

Unit tests run on small texts; the rest reads ``data/announcements/*/`` and
checks that every sentence is covered by a span, that selectors agree with the
text, that every claim graph has provenance, that numbers and dates are
supported by their words, that quoted words are attributed to the speaker, and
that ``provenance.trig`` is exactly what the code generates.
"""

from __future__ import annotations

import doctest
import re
from datetime import date
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Literal, URIRef

from pressgraph.errors import DataError
from pressgraph.namespaces import GRAPH, OA, PG, PROV, RDF, SCHEMA, XSD
from pressgraph.spans import (
    AFFIX_LENGTH,
    Claim,
    ClaimsFile,
    Span,
    compute_spans,
    load_claims,
    main,
    provenance_dataset,
    render_provenance,
    render_trig,
    write_provenance,
)

ROOT = Path(__file__).resolve().parents[1]
ANNOUNCEMENTS = sorted(p for p in (ROOT / "data" / "announcements").iterdir() if p.is_dir())
SEED = "2016-10-06-osce-anti-trafficking-seminars"
OSCE = "https://data.example.org/id/org/osce"

MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
NUMERIC = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.nonNegativeInteger, XSD.int}
QUOTE_MARKS = '"“”'


def test_there_is_the_seed_announcement() -> None:
    assert [p.name for p in ANNOUNCEMENTS] == [SEED]


# --------------------------------------------------------------------------- unit: compute_spans


def claim(graph: str, exact: str, occurrence: int | None = None) -> Claim:
    return Claim(graph=graph, exact=exact, attributed_to=OSCE, occurrence=occurrence)


def test_offsets_count_code_points_with_curly_quotes() -> None:
    text = "Headline\n“Trafficking is complex,” said Ms X. “It needs care”."
    spans = compute_spans(text, [claim("a", "“Trafficking is complex,”"), claim("b", "said Ms X.")])
    first, second = spans
    assert (first.start, first.end) == (9, 34)
    assert text[first.start : first.end] == "“Trafficking is complex,”"
    assert (second.start, second.end) == (35, 45)
    # UTF-8 byte offsets would differ: each curly quote is three bytes
    assert len(text[: second.start].encode("utf-8")) == second.start + 4


def test_prefix_and_suffix_are_at_most_32_characters_of_context() -> None:
    text = "x" * 40 + "WORDS" + "y" * 40
    (span,) = compute_spans(text, [claim("a", "WORDS")])
    assert span.prefix == "x" * AFFIX_LENGTH == text[span.start - 32 : span.start]
    assert span.suffix == "y" * AFFIX_LENGTH
    (edge,) = compute_spans("WORDS and more", [claim("a", "WORDS")])
    assert edge.prefix == ""
    assert edge.suffix == " and more"


def test_missing_words_raise_an_error_naming_the_file_and_words(tmp_path: Path) -> None:
    source = tmp_path / "spans.toml"
    with pytest.raises(DataError) as info:
        compute_spans("He said “yes”.", [claim("s02", "He said “no”")], source=source)
    message = str(info.value)
    assert "He said “no”" in message
    assert "s02" in message
    assert str(source) in message


def test_ambiguous_words_raise_unless_an_occurrence_is_given() -> None:
    text = "the series; the series again"
    with pytest.raises(DataError, match=r"occur 2 times.*'the series'"):
        compute_spans(text, [claim("s01", "the series")])
    (second,) = compute_spans(text, [claim("s01", "the series", occurrence=2)])
    assert (second.start, second.end) == (12, 22)
    with pytest.raises(DataError, match="occurrence 3"):
        compute_spans(text, [claim("s01", "the series", occurrence=3)])


def test_docstring_examples_run() -> None:
    import pressgraph.spans

    result = doctest.testmod(pressgraph.spans)
    assert result.attempted >= 3
    assert result.failed == 0


# --------------------------------------------------------------------------- unit: files


def make_announcement(root: Path, spans_toml: str, text: str = "Title\nHe said “yes”.") -> Path:
    folder = root / "2020-01-01-test"
    folder.mkdir(parents=True)
    (folder / "announcement.txt").write_bytes(text.encode("utf-8"))
    (folder / "spans.toml").write_text(spans_toml, encoding="utf-8")
    return folder


GOOD_TOML = """
article = "article:2020-01-01-test"
publisher = "orgs:osce"
activity = "activity:curation-2020-01-01-test"
activity_label = "Test curation"

[[claim]]
graph = "s01"
exact = 'Title'
attributed_to = "orgs:osce"

[[claim]]
graph = "s02a"
exact = '“yes”.'
attributed_to = "https://data.example.org/id/person/x"
"""


def test_load_claims_expands_curies_and_keeps_absolute_iris(tmp_path: Path) -> None:
    claims = load_claims(make_announcement(tmp_path, GOOD_TOML))
    assert claims.slug == "2020-01-01-test"
    assert claims.article == "https://data.example.org/id/article/2020-01-01-test"
    assert [c.graph for c in claims.claims] == ["s01", "s02a"]
    assert claims.claims[1].attributed_to == "https://data.example.org/id/person/x"
    assert claims.claims[1].line == 14


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('attributed_to = "orgs:osce"', 'attributed_to = "nope:osce"'), "nope:osce"),
        (('graph = "s02a"', 'graph = "s01"'), "appears twice"),
        (("exact = 'Title'", "exact = "), "invalid TOML"),
        (('publisher = "orgs:osce"\n', ""), "'publisher'"),
    ],
    ids=["unknown-prefix", "duplicate-graph", "bad-toml", "missing-key"],
)
def test_load_claims_errors_name_the_file(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    folder = make_announcement(tmp_path, GOOD_TOML.replace(*change, 1))
    with pytest.raises(DataError) as info:
        load_claims(folder)
    assert expected in str(info.value)
    assert info.value.path == str(folder / "spans.toml")


def test_bad_toml_error_carries_line_and_column(tmp_path: Path) -> None:
    folder = make_announcement(tmp_path, GOOD_TOML.replace("exact = 'Title'", "exact = ", 1))
    with pytest.raises(DataError) as info:
        load_claims(folder)
    assert info.value.line == 9
    assert info.value.column is not None


def test_missing_words_in_a_folder_name_spans_toml_and_line(tmp_path: Path) -> None:
    folder = make_announcement(tmp_path, GOOD_TOML.replace("'Title'", "'Titel'"))
    with pytest.raises(DataError) as info:
        write_provenance(folder)
    assert "Titel" in str(info.value)
    assert info.value.path == str(folder / "spans.toml")
    assert info.value.line == 9
    assert not (folder / "provenance.trig").exists()


def test_written_provenance_parses_in_both_engines_and_is_deterministic(tmp_path: Path) -> None:
    folder = make_announcement(tmp_path, GOOD_TOML)
    path = write_provenance(folder)
    first = path.read_bytes()
    assert write_provenance(folder).read_bytes() == first
    quads = list(ox.parse(first, format=ox.RdfFormat.TRIG))
    assert {q.graph_name.value for q in quads} == {str(GRAPH["2020-01-01-test-provenance"])}
    dataset = Dataset()
    dataset.parse(data=first.decode("utf-8"), format="trig")
    assert len(list(dataset.quads())) == len(quads)
    span = URIRef("https://data.example.org/id/span/2020-01-01-test-s02a-tq")
    assert (span, OA.exact, Literal("“yes”.")) in dataset.graph(GRAPH["2020-01-01-test-provenance"])


def test_render_trig_escapes_and_round_trips() -> None:
    graph = URIRef("https://data.example.org/graph/t")
    subject = URIRef("https://data.example.org/id/span/t")
    tricky = Literal('a "quoted"\nline\\with “curly” and\ttab')
    text = render_trig(graph, [(subject, OA.exact, tricky), (subject, RDF.type, OA.Selector)])
    quads = list(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TRIG))
    assert len(quads) == 2
    (exact,) = [q.object for q in quads if q.predicate.value == str(OA.exact)]
    assert exact.value == str(tricky)
    assert text == render_trig(
        graph, [(subject, RDF.type, OA.Selector), (subject, OA.exact, tricky)]
    )


def test_provenance_dataset_has_the_pattern(tmp_path: Path) -> None:
    folder = make_announcement(tmp_path, GOOD_TOML)
    claims = load_claims(folder)
    spans = compute_spans((folder / "announcement.txt").read_text("utf-8"), claims.claims)
    dataset = provenance_dataset(claims, spans)
    graph = dataset.graph(GRAPH["2020-01-01-test-provenance"])
    claim_graph = GRAPH["2020-01-01-test-s02a"]
    span = URIRef("https://data.example.org/id/span/2020-01-01-test-s02a")
    assert (claim_graph, RDF.type, PG.ClaimGraph) in graph
    assert (claim_graph, PROV.wasDerivedFrom, span) in graph
    position = URIRef(str(span) + "-tp")
    assert graph.value(position, OA.start) == Literal("14", datatype=XSD.nonNegativeInteger)
    assert graph.value(position, OA.end) == Literal("20", datatype=XSD.nonNegativeInteger)


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = make_announcement(tmp_path, GOOD_TOML)
    assert main([str(folder)]) == 0
    assert (folder / "provenance.trig").is_file()
    assert str(folder / "provenance.trig") in capsys.readouterr().out
    broken = make_announcement(tmp_path / "b", GOOD_TOML.replace("'Title'", "'Nope'"))
    assert main([str(broken)]) == 2
    assert "Nope" in capsys.readouterr().err


# --------------------------------------------------------------------------- the real data


def text_of(folder: Path) -> str:
    return (folder / "announcement.txt").read_bytes().decode("utf-8")


@cache
def dataset() -> Dataset:
    """Every data file of the project, each graph as in its file."""
    data = Dataset()
    for path in sorted((ROOT / "data").glob("**/*.trig")):
        data.parse(path, format="trig")
    return data


def graph_name(slug: str, local: str) -> URIRef:
    return GRAPH[f"{slug}-{local}"]


def claim_graphs(slug: str) -> set[URIRef]:
    """Named graphs of an announcement except its article and provenance graphs."""
    prefix = str(GRAPH[f"{slug}-"])
    skip = {graph_name(slug, "article"), graph_name(slug, "provenance")}
    return {
        URIRef(g.identifier)
        for g in dataset().graphs()
        if str(g.identifier).startswith(prefix) and g.identifier not in skip
    }


SENTENCE_END = re.compile(r"(?<=[.”\"])\s+(?=[“\"A-Z])")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: lines, then a sentence end followed by a new one."""
    found = []
    offset = 0
    for line in text.split("\n"):
        start = 0
        for match in SENTENCE_END.finditer(line):
            found.append((offset + start, offset + match.start()))
            start = match.end()
        if line[start:].strip():
            found.append((offset + start, offset + len(line)))
        offset += len(line) + 1
    return found


def test_sentence_splitter() -> None:
    text = "Head line\nOne. Two said “x,” said A. “B.”\n“C”. D"
    assert [text[s:e] for s, e in sentences(text)] == [
        "Head line",
        "One.",
        "Two said “x,” said A.",
        "“B.”",
        "“C”.",
        "D",
    ]


def quoted_regions(text: str) -> list[tuple[int, int]]:
    """(start, end) of the words between each pair of quotation marks, line by line."""
    regions = []
    offset = 0
    for line in text.split("\n"):
        marks = [i for i, char in enumerate(line) if char in QUOTE_MARKS]
        assert len(marks) % 2 == 0, f"unbalanced quotation marks in {line!r}"
        regions += [
            (offset + a + 1, offset + b) for a, b in zip(marks[::2], marks[1::2], strict=True)
        ]
        offset += len(line) + 1
    return regions


def spans_of(folder: Path) -> tuple[ClaimsFile, list[Span]]:
    claims = load_claims(folder)
    return claims, compute_spans(text_of(folder), claims.claims, source=claims.path)


@pytest.mark.parametrize("folder", ANNOUNCEMENTS, ids=lambda p: p.name)
def test_every_sentence_is_covered_by_spans(folder: Path) -> None:
    text = text_of(folder)
    found = sentences(text)
    if folder.name == SEED:
        assert len(found) == 11, [text[s:e] for s, e in found]
    _claims, spans = spans_of(folder)
    covered = set()
    for span in spans:
        covered.update(range(span.start, span.end))
    for start, end in found:
        missing = [i for i in range(start, end) if not text[i].isspace() and i not in covered]
        assert not missing, f"not covered: {text[missing[0] : missing[-1] + 1]!r}"


@pytest.mark.parametrize("folder", ANNOUNCEMENTS, ids=lambda p: p.name)
def test_spans_toml_names_exactly_the_claim_graphs(folder: Path) -> None:
    claims, _spans = spans_of(folder)
    named = {graph_name(folder.name, c.graph) for c in claims.claims}
    assert named == claim_graphs(folder.name)


@pytest.mark.parametrize("folder", ANNOUNCEMENTS, ids=lambda p: p.name)
def test_selectors_agree_with_the_text(folder: Path) -> None:
    text = text_of(folder)
    graph = dataset().graph(graph_name(folder.name, "provenance"))
    rows = list(
        graph.query(
            """
            SELECT ?span ?exact ?prefix ?suffix ?start ?end WHERE {
              ?span oa:hasSelector ?tq , ?tp .
              ?tq a oa:TextQuoteSelector ; oa:exact ?exact .
              OPTIONAL { ?tq oa:prefix ?prefix } OPTIONAL { ?tq oa:suffix ?suffix }
              ?tp a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
            }""",
            initNs={"oa": OA},
        )
    )
    assert len(rows) == len(claim_graphs(folder.name))
    for row in rows:
        start, end = int(row.start), int(row.end)
        assert row.start.datatype == XSD.nonNegativeInteger
        assert text[start:end] == str(row.exact), row.span
        prefix = str(row.prefix) if row.prefix is not None else ""
        suffix = str(row.suffix) if row.suffix is not None else ""
        assert text[start - len(prefix) : start] == prefix
        assert text[end : end + len(suffix)] == suffix
        assert len(prefix) == min(AFFIX_LENGTH, start)
        assert len(suffix) == min(AFFIX_LENGTH, len(text) - end)


@pytest.mark.parametrize("folder", ANNOUNCEMENTS, ids=lambda p: p.name)
def test_every_claim_graph_has_provenance(folder: Path) -> None:
    rows = dataset().query(
        """
        SELECT DISTINCT ?g WHERE {
          GRAPH ?p {
            ?g a pg:ClaimGraph ;
               prov:wasDerivedFrom ?span ;
               prov:wasAttributedTo ?who ;
               prov:wasGeneratedBy ?activity .
            ?span a oa:SpecificResource ; oa:hasSource ?article ; oa:hasSelector ?tq , ?tp .
            ?tq a oa:TextQuoteSelector .
            ?tp a oa:TextPositionSelector .
            ?activity a prov:Activity .
          }
          GRAPH ?a { ?article schema:articleBody ?body }
        }""",
        initNs={"pg": PG, "prov": PROV, "oa": OA, "schema": SCHEMA},
    )
    with_provenance = {URIRef(row.g) for row in rows}
    graphs = claim_graphs(folder.name)
    assert len(graphs) >= 11
    assert graphs - with_provenance == set()
    assert with_provenance - graphs == set(), "provenance for graphs that hold nothing"


def spoken_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@pytest.mark.parametrize("folder", ANNOUNCEMENTS, ids=lambda p: p.name)
def test_numbers_and_dates_are_supported_by_their_words(folder: Path) -> None:
    _claims, spans = spans_of(folder)
    exact = {graph_name(folder.name, s.graph): s.exact for s in spans}
    checked = {"date": 0, "number": 0}
    for name in claim_graphs(folder.name):
        for _s, _p, obj in dataset().graph(name):
            if not isinstance(obj, Literal):
                continue
            if obj.datatype == XSD.date:
                words = spoken_date(obj.toPython())
                checked["date"] += 1
            elif obj.datatype in NUMERIC:
                words = str(obj)
                checked["number"] += 1
            else:
                continue
            assert re.search(rf"\b{re.escape(words)}\b", exact[name]), (
                f"{obj!r} in {name} is not supported by its words {exact[name]!r}"
            )
    if folder.name == SEED:
        assert checked == {"date": 3, "number": 2}


def test_spoken_date() -> None:
    assert spoken_date(date(2016, 10, 6)) == "6 October 2016"


@pytest.mark.parametrize("folder", ANNOUNCEMENTS, ids=lambda p: p.name)
def test_quoted_words_and_only_they_are_attributed_to_people(folder: Path) -> None:
    text = text_of(folder)
    regions = quoted_regions(text)
    people = {str(s) for s, _p, _o, _g in dataset().quads((None, RDF.type, SCHEMA.Person, None))}
    _claims, spans = spans_of(folder)
    quoted_spans = 0
    for span in spans:
        letters = [i for i in range(span.start, span.end) if text[i].isalnum()]
        inside = [any(a <= i < b for a, b in regions) for i in letters]
        assert all(inside) or not any(inside), f"{span.graph} mixes quoted and own words"
        quoted = all(inside)
        quoted_spans += quoted
        assert quoted == (span.attributed_to in people), (
            f"{span.graph}: quoted={quoted} but attributed to {span.attributed_to}"
        )
        if not quoted:
            assert span.attributed_to == OSCE
    if folder.name == SEED:
        assert quoted_spans == 4


@pytest.mark.parametrize("folder", ANNOUNCEMENTS, ids=lambda p: p.name)
def test_provenance_file_is_what_the_code_generates(folder: Path) -> None:
    committed = (folder / "provenance.trig").read_bytes()
    assert render_provenance(folder).encode("utf-8") == committed, (
        f"regenerate with: python -m pressgraph.spans {folder.relative_to(ROOT)}"
    )
