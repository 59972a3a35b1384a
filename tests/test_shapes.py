"""The SHACL shapes in ``shapes/``, checked against their examples and the real data.

* Every node shape and every SHACL-SPARQL constraint has a conforming example
  ``tests/shapes/<local-name>.pass.trig`` and a non-conforming one
  ``tests/shapes/<local-name>.fail.trig`` (more fail examples may follow as
  ``<local-name>.fail-<what>.trig``). A fail example starts with a header
  ``#+ expect: pgsh:A pgsh:B`` naming the property shapes / SPARQL constraints of
  that node shape that must fire on it, and none of its others may fire: it fails
  *because of* that shape, and only for the reason it was written for.
* The real data (``data/**/*.trig``) has no Violation, and exactly the Warnings
  and Infos listed in ``EXPECTED_WARNINGS`` and ``EXPECTED_INFOS``.
* The shapes themselves are documented and guarded against the pySHACL traps of
  docs/decisions/0003-shapes.md (undeclared prefixes in ``sh:sparql``; Warning
  shapes that also check structure; ``sh:class`` on classes the ontology lacks).

Validation is what the project runs: the shapes in ``shapes/*.ttl``; the ontology
files that hold the class and property hierarchy as pySHACL's ``ont_graph`` (no
inference); the SKOS concepts of ``ontology/concepts.ttl`` as data, in their own named
graph, as the served dataset holds them (see ``ONTOLOGY_DATA_FILES``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import OWL, RDF, RDFS, Dataset, Graph, Namespace, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from pressgraph.namespaces import PG, PREFIXES, PROV

ROOT = Path(__file__).resolve().parents[1]
SHAPES_DIR = ROOT / "shapes"
EXAMPLES_DIR = ROOT / "tests" / "shapes"
ONTOLOGY_DIR = ROOT / "ontology"
DATA_DIR = ROOT / "data"

PGSH = Namespace("https://data.example.org/shapes#")
CURIES: dict[str, str] = {**PREFIXES, "pgsh": str(PGSH)}

#: How many node shapes and SHACL-SPARQL constraints ``shapes/`` defines. Change these
#: numbers on purpose when adding or removing one: the suite must not shrink silently.
EXPECTED_NODE_SHAPES = 34
EXPECTED_SPARQL_CONSTRAINTS = 15

#: Ontology files that hold instances (SKOS concepts and schemes), not the class and
#: property hierarchy. They are validated as data, in their own named graph, as the
#: served dataset holds them. Given as ``ont_graph`` they cost 30-40 s per validation:
#: pySHACL copies each owl:NamedIndividual of the ``ont_graph`` into the data graph by
#: a recursive deep clone (to depth 10) that follows skos:broader / skos:narrower /
#: skos:hasTopConcept back and forth.
ONTOLOGY_DATA_FILES = {"concepts.ttl"}

SLUG = "2016-10-06-osce-anti-trafficking-seminars"
SEMINAR = "event:osce-astana-2016-anti-trafficking-seminar-"

#: What the real data lacks but should have, as (focus node, result path). Reasons in
#: docs/decisions/0003-shapes.md.
EXPECTED_WARNINGS: list[tuple[str, str]] = [
    # The text dates only the last seminar (Shymkent, 6 October 2016); no date is invented.
    (f"{SEMINAR}almaty", "schema:startDate"),
    (f"{SEMINAR}astana", "schema:startDate"),
    (f"{SEMINAR}karaganda", "schema:startDate"),
    (f"{SEMINAR}kostanay", "schema:startDate"),
    # The text does not say when it was published, and no date is invented.
    (f"article:{SLUG}", "schema:datePublished"),
]

#: What is not yet linked to an external identifier (none could be verified offline).
EXPECTED_INFOS: list[tuple[str, str]] = [
    (f"orgs:akimat-{SLUG}", "schema:sameAs"),
    ("orgs:karaganda-barimbek-beisenov-police-academy", "schema:sameAs"),
    ("orgs:karaganda-police-academy-centre-illegal-migration-trafficking", "schema:sameAs"),
    ("orgs:ministry-health-care-social-development-kazakhstan", "schema:sameAs"),
    ("orgs:ministry-internal-affairs-kazakhstan", "schema:sameAs"),
    ("orgs:osce-programme-office-astana", "schema:sameAs"),
    ("orgs:prosecutor-general-office-kazakhstan", "schema:sameAs"),
    ("orgs:us-embassy-kazakhstan", "schema:sameAs"),
    ("place:south-kazakhstan-region", "schema:sameAs"),
]

#: Parameters a Warning or Info property shape may carry besides its documentation:
#: "recommended" shapes only ask for presence; structure is a Violation elsewhere (trap 2).
SOFT_SHAPE_PARAMETERS = {
    RDF.type,
    SH.path,
    SH.severity,
    SH.name,
    SH.description,
    SH.message,
    SH.order,
    SH.group,
    SH.minCount,
}

#: Classes in the data that say nothing about the thing they type.
META_CLASSES = {OWL.NamedIndividual}


# --------------------------------------------------------------------------- loading


def expand(curie: str) -> URIRef:
    """``"schema:startDate"`` -> the full IRI, with the project's prefixes plus ``pgsh:``."""
    prefix, _, local = curie.partition(":")
    if prefix not in CURIES:
        raise KeyError(f"unknown prefix in {curie!r}")
    return URIRef(CURIES[prefix] + local)


def shorten(node: Node | None) -> str:
    """A full IRI as the CURIE used in the expectations of this file."""
    if node is None:
        return "-"
    text = str(node)
    best = max(
        ((p, ns) for p, ns in CURIES.items() if text.startswith(ns)),
        key=lambda item: len(item[1]),
        default=None,
    )
    return f"{best[0]}:{text[len(best[1]) :]}" if best else text


@cache
def shapes_graph() -> Graph:
    graph = Graph()
    files = sorted(SHAPES_DIR.glob("*.ttl"))
    assert files, f"no shapes in {SHAPES_DIR}"
    for path in files:
        graph.parse(path, format="turtle")
    return graph


@cache
def ontology_graph() -> Graph:
    """The class and property hierarchy: every ontology file but the instance files."""
    graph = Graph()
    for path in sorted(ONTOLOGY_DIR.glob("*.ttl")):
        if path.name not in ONTOLOGY_DATA_FILES:
            graph.parse(path, format="turtle")
    return graph


def load_dataset(*paths: Path) -> Dataset:
    """TriG files plus the ontology's instance files, each of those in its own graph."""
    dataset = Dataset()
    for path in paths:
        dataset.parse(path, format="trig")
    for name in sorted(ONTOLOGY_DATA_FILES):
        graph = dataset.graph(URIRef(f"{CURIES['graph']}ontology-{Path(name).stem}"))
        graph.parse(ONTOLOGY_DIR / name, format="turtle")
    return dataset


def union_graph(dataset: Dataset) -> Graph:
    """All triples of all graphs of ``dataset``, plus the ontology's hierarchy."""
    union = Graph()
    for s, p, o, _g in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    union += ontology_graph()
    return union


@dataclass(frozen=True)
class Result:
    focus: Node
    path: Node | None
    severity: Node
    shape: Node
    constraint: Node | None
    messages: tuple[str, ...]

    @property
    def key(self) -> Node:
        """What fired: the SPARQL constraint if any, else the (property) shape."""
        return self.constraint if self.constraint is not None else self.shape

    @property
    def where(self) -> str:
        """The result path, or the shape / constraint for results without one."""
        return shorten(self.path) if isinstance(self.path, URIRef) else shorten(self.key)

    def __str__(self) -> str:
        text = " / ".join(self.messages)
        return f"{shorten(self.severity)} {shorten(self.focus)} {self.where}: {text}"


def run_validation(data: Dataset) -> list[Result]:
    _conforms, report, _text = validate(
        data,
        shacl_graph=shapes_graph(),
        ont_graph=ontology_graph(),
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    return [
        Result(
            focus=report.value(node, SH.focusNode),
            path=report.value(node, SH.resultPath),
            severity=report.value(node, SH.resultSeverity),
            shape=report.value(node, SH.sourceShape),
            constraint=report.value(node, SH.sourceConstraint),
            messages=tuple(sorted(str(m) for m in report.objects(node, SH.resultMessage))),
        )
        for node in report.subjects(RDF.type, SH.ValidationResult)
    ]


@cache
def example_results(name: str) -> tuple[Result, ...]:
    return tuple(run_validation(load_dataset(EXAMPLES_DIR / name)))


# --------------------------------------------------------------------------- discovery


def select(query: str) -> list[URIRef]:
    return sorted({row[0] for row in shapes_graph().query(query, initNs={"sh": SH})})


def node_shapes() -> list[URIRef]:
    return select("SELECT ?s WHERE { ?s a sh:NodeShape }")


def property_shapes() -> list[URIRef]:
    return select("SELECT ?p WHERE { { ?p a sh:PropertyShape } UNION { ?s sh:property ?p } }")


def sparql_constraints() -> list[URIRef]:
    return select("SELECT ?c WHERE { ?s sh:sparql ?c }")


def subjects_with_examples() -> list[URIRef]:
    return node_shapes() + sparql_constraints()


def owner(subject: URIRef) -> URIRef:
    """The node shape a SPARQL constraint belongs to (a node shape owns itself)."""
    if (subject, RDF.type, SH.NodeShape) in shapes_graph():
        return subject
    owners = set(shapes_graph().subjects(SH.sparql, subject))
    assert len(owners) == 1, f"{shorten(subject)} belongs to {len(owners)} shapes"
    return owners.pop()


def owned_keys(node_shape: URIRef) -> set[Node]:
    """Result keys that mean "this node shape fired": itself, its properties, its SPARQL."""
    graph = shapes_graph()
    return (
        {node_shape}
        | set(graph.objects(node_shape, SH.property))
        | set(graph.objects(node_shape, SH.sparql))
    )


def local(node: URIRef) -> str:
    assert str(node).startswith(str(PGSH)), f"{node} is not under {PGSH}"
    return str(node)[len(str(PGSH)) :]


EXAMPLE_NAME = re.compile(r"^(?P<subject>[A-Za-z]+)\.(?P<kind>pass|fail(?:-[a-z0-9-]+)?)\.trig$")


def fail_examples() -> list[str]:
    names = {local(s) for s in subjects_with_examples()}
    return sorted(
        p.name
        for p in EXAMPLES_DIR.glob("*.fail*.trig")
        if (m := EXAMPLE_NAME.match(p.name)) and m["subject"] in names
    )


def subject_of(example: str) -> URIRef:
    match = EXAMPLE_NAME.match(example)
    assert match, example
    return PGSH[match["subject"]]


EXPECT_HEADER = re.compile(r"^#\+\s*expect:\s*(.+)$", re.MULTILINE)


def expected_in_fail_example(path: Path) -> set[URIRef]:
    found = EXPECT_HEADER.findall(path.read_text(encoding="utf-8"))
    return {expand(curie) for line in found for curie in line.split()}


def has_focus_node(name: str, node_shape: URIRef) -> bool:
    """Whether the example itself (not the concepts) types something the shape targets."""
    example = Dataset()
    example.parse(EXAMPLES_DIR / name, format="trig")
    union = union_graph(example)
    for cls in shapes_graph().objects(node_shape, SH.targetClass):
        rows = union.query(
            "ASK { ?x a/rdfs:subClassOf* ?c }", initNs={"rdfs": RDFS}, initBindings={"c": cls}
        )
        if rows.askAnswer:
            return True
    for prop in shapes_graph().objects(node_shape, SH.targetSubjectsOf):
        if (None, prop, None) in union:
            return True
    return False


# --------------------------------------------------------------------------- the inventory


def test_counts_do_not_shrink_silently() -> None:
    assert len(node_shapes()) == EXPECTED_NODE_SHAPES, [shorten(s) for s in node_shapes()]
    assert len(sparql_constraints()) == EXPECTED_SPARQL_CONSTRAINTS, [
        shorten(c) for c in sparql_constraints()
    ]
    assert len(fail_examples()) >= len(subjects_with_examples())


@pytest.mark.parametrize("subject", subjects_with_examples(), ids=local)
def test_has_both_examples(subject: URIRef) -> None:
    name = local(subject)
    missing = [
        f"{name}.{kind}.trig"
        for kind in ("pass", "fail")
        if not (EXAMPLES_DIR / f"{name}.{kind}.trig").is_file()
    ]
    assert not missing, f"missing examples in {EXAMPLES_DIR}: {missing}"


def test_no_stray_examples() -> None:
    names = {local(s) for s in subjects_with_examples()}
    stray = [
        p.name
        for p in sorted(EXAMPLES_DIR.iterdir())
        if not ((m := EXAMPLE_NAME.match(p.name)) and m["subject"] in names)
    ]
    assert not stray, f"files in {EXAMPLES_DIR} that no shape or constraint owns: {stray}"


# --------------------------------------------------------------------------- examples


@pytest.mark.parametrize("subject", subjects_with_examples(), ids=local)
def test_pass_example_conforms(subject: URIRef) -> None:
    name = f"{local(subject)}.pass.trig"
    shape = owner(subject)
    assert has_focus_node(name, shape), f"{name} has no focus node of {shorten(shape)}"
    fired = [str(r) for r in example_results(name) if r.key in owned_keys(shape)]
    assert not fired, f"{name} should conform to {shorten(shape)}:\n" + "\n".join(fired)


@pytest.mark.parametrize("example", fail_examples())
def test_fail_example_fails_because_of_the_shape(example: str) -> None:
    subject = subject_of(example)
    shape = owner(subject)
    expected = expected_in_fail_example(EXAMPLES_DIR / example)
    assert expected, f"{example} lacks a '#+ expect: pgsh:…' header"
    assert expected <= owned_keys(shape), f"{example} expects what {shorten(shape)} lacks"
    if subject != shape:
        assert subject in expected, f"{example} must expect its own constraint"
    fired = {r.key for r in example_results(example) if r.key in owned_keys(shape)}
    assert fired == expected, (
        f"{example}: expected {sorted(map(shorten, expected))}, got {sorted(map(shorten, fired))}"
    )


# --------------------------------------------------------------------------- the shapes


@pytest.mark.parametrize("shape", node_shapes(), ids=local)
def test_node_shape_is_documented_and_targeted(shape: URIRef) -> None:
    graph = shapes_graph()
    assert graph.value(shape, SH.name), "sh:name missing"
    assert graph.value(shape, SH.description), "sh:description missing"
    targets = [*graph.objects(shape, SH.targetClass), *graph.objects(shape, SH.targetSubjectsOf)]
    assert targets, "sh:targetClass (or sh:targetSubjectsOf) missing"
    # pySHACL adds a node shape's sh:message to every result of its SPARQL constraints,
    # so the messages live on property shapes and constraints, where results come from.
    assert graph.value(shape, SH.message) is None, "node shapes carry no sh:message"


@pytest.mark.parametrize("shape", property_shapes(), ids=local)
def test_property_shape_is_named_documented_and_used(shape: URIRef) -> None:
    graph = shapes_graph()
    assert isinstance(shape, URIRef), "property shapes are named"
    for prop in (SH.name, SH.description, SH.message, SH.severity):
        assert graph.value(shape, prop), f"{shorten(prop)} missing"
    users = list(graph.subjects(SH.property, shape))
    assert len(users) == 1, f"used by {len(users)} node shapes"


@pytest.mark.parametrize("shape", property_shapes(), ids=local)
def test_soft_property_shape_only_asks_for_presence(shape: URIRef) -> None:
    """Trap 2: a Warning/Info shape that also checked type would downgrade real errors."""
    graph = shapes_graph()
    if graph.value(shape, SH.severity) == SH.Violation:
        return
    extra = set(graph.predicates(shape, None)) - SOFT_SHAPE_PARAMETERS
    assert not extra, f"a soft shape with {sorted(map(shorten, extra))}: split it"


@pytest.mark.parametrize("constraint", sparql_constraints(), ids=local)
def test_sparql_constraint_is_documented(constraint: URIRef) -> None:
    graph = shapes_graph()
    assert isinstance(constraint, URIRef), "constraints are named"
    for prop in (SH.name, SH.description, SH.message, SH.select):
        assert graph.value(constraint, prop), f"{shorten(prop)} missing"


PREFIX_TOKEN = re.compile(r"(?<![\w$?:/#.-])([A-Za-z][\w-]*):(?=[A-Za-z_0-9])")


def prefixes_used(query: str) -> set[str]:
    """``prefix:`` tokens in a query, ignoring IRIs, strings and comments."""
    text = re.sub(r"<[^<>\s]*>", " ", query)
    text = re.sub(r'"""[\s\S]*?"""|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'', " ", text)
    text = re.sub(r"#[^\n]*", " ", text)
    return set(PREFIX_TOKEN.findall(text))


def test_prefix_scanner() -> None:
    query = 'SELECT $this WHERE { $this schema:x <http://a/b:c> ; rdf:type "a:b" . } # c:d'
    assert prefixes_used(query) == {"schema", "rdf"}
    assert prefixes_used("FILTER (xsd:integer(?s) > 0)") == {"xsd"}


@pytest.mark.parametrize("constraint", sparql_constraints(), ids=local)
def test_sparql_prefixes_are_declared(constraint: URIRef) -> None:
    """Trap 1: pySHACL silently never fires a query with an undeclared prefix."""
    graph = shapes_graph()
    declared: dict[str, str] = {}
    holders = list(graph.objects(constraint, SH.prefixes))
    assert holders, "sh:prefixes missing"
    for holder in holders:
        for decl in graph.objects(holder, SH.declare):
            declared[str(graph.value(decl, SH.prefix))] = str(graph.value(decl, SH.namespace))
    query = str(graph.value(constraint, SH.select))
    assert not re.search(r"(?im)^\s*PREFIX\b", query), "declare prefixes, don't inline them"
    undeclared = prefixes_used(query) - set(declared)
    assert not undeclared, f"prefixes used but not declared: {sorted(undeclared)}"
    for prefix, namespace in declared.items():
        assert namespace == CURIES.get(prefix), f"{prefix}: not as in pressgraph.namespaces"


def test_classes_named_by_shapes_exist_in_the_ontology() -> None:
    """Trap 3: sh:class / sh:targetClass only work if the ontology knows the class."""
    ontology = ontology_graph()
    classes = set(shapes_graph().objects(None, SH["class"])) | set(
        shapes_graph().objects(None, SH.targetClass)
    )
    unknown = [shorten(c) for c in sorted(classes) if (c, None, None) not in ontology]
    assert not unknown, f"classes the ontology does not describe: {unknown}"


# --------------------------------------------------------------------------- the real data


def data_files() -> list[Path]:
    return sorted(DATA_DIR.glob("**/*.trig"))


@cache
def real_data() -> Dataset:
    files = data_files()
    assert files, f"no data in {DATA_DIR}"
    return load_dataset(*files)


@cache
def real_results() -> tuple[Result, ...]:
    return tuple(run_validation(real_data()))


def test_real_data_has_no_violation() -> None:
    violations = [str(r) for r in real_results() if r.severity == SH.Violation]
    assert not violations, "\n".join(violations)


@pytest.mark.parametrize(
    ("severity", "expected"),
    [(SH.Warning, EXPECTED_WARNINGS), (SH.Info, EXPECTED_INFOS)],
    ids=["warnings", "infos"],
)
def test_real_data_gaps_are_the_expected_ones(
    severity: URIRef, expected: list[tuple[str, str]]
) -> None:
    found = [r for r in real_results() if r.severity == severity]
    got = Counter((shorten(r.focus), r.where) for r in found)
    assert got == Counter(expected), "\n".join(sorted(str(r) for r in found))


def test_real_results_carry_one_readable_message() -> None:
    for result in real_results():
        assert len(result.messages) == 1 and result.messages[0].strip(), str(result)


def test_every_class_in_the_data_is_covered_by_a_shape() -> None:
    """A class is covered by a node shape targeting it or one of its super-classes."""
    union = union_graph(real_data())
    targeted = set(shapes_graph().objects(None, SH.targetClass))
    used = {o for _s, _p, o, _g in real_data().quads((None, RDF.type, None, None))}
    used -= META_CLASSES
    uncovered = [
        shorten(cls)
        for cls in sorted(used)
        if not set(union.transitive_objects(cls, RDFS.subClassOf)) & targeted
    ]
    assert not uncovered, f"classes in the data no shape targets: {uncovered}"


def test_every_claim_graph_has_provenance() -> None:
    """Trap 4: SHACL cannot see graph names, so the graphs themselves are checked here."""
    data = union_graph(real_data())
    for claims_file in sorted(DATA_DIR.glob("announcements/*/claims.trig")):
        slug = claims_file.parent.name
        claims = Dataset()
        claims.parse(claims_file, format="trig")
        names = {
            g.identifier for g in claims.graphs() if isinstance(g.identifier, URIRef) and len(g)
        }
        assert names, f"{claims_file} holds no named graph"
        article_graph = URIRef(f"{CURIES['graph']}{slug}-article")
        for name in sorted(names):
            assert (name, PROV.wasGeneratedBy, None) in data, f"{shorten(name)}: no provenance"
            if name != article_graph:
                assert (name, RDF.type, PG.ClaimGraph) in data, f"{shorten(name)}: no ClaimGraph"
        described = set(data.subjects(RDF.type, PG.ClaimGraph))
        mine = {g for g in described if str(g).startswith(f"{CURIES['graph']}{slug}-")}
        assert mine <= names, f"claim graphs without claims: {sorted(map(shorten, mine - names))}"
