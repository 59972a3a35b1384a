"""A pressgraph project folder: its ontology, data, shapes and canned queries, loaded.

This is the library API used by the command line and the server::

    project = Project.load("path/to/project")
    report = project.validate()
    result = project.query("seminars", city="place:shymkent")
    turtle = project.export("turtle")
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from .errors import ConfigError, DataError, ExportError
from .export import FORMATS, Format, export_quads
from .namespaces import GRAPH, PG
from .queries import Catalogue
from .rdfio import parse_file, to_rdflib_graph
from .schemaorg import schemaorg_view
from .settings import Settings
from .sparql import QueryResult, Term, run_query
from .validate import ValidationReport, validate_quads

__all__ = ["EXPORT_FORMATS", "ONTOLOGY_GRAPH", "Project", "ProjectInfo", "ontology_graph_name"]

#: graph holding the project vocabulary (its IRI is the ontology IRI)
ONTOLOGY_GRAPH = str(PG)[:-1]
DATA_SUFFIXES = (".trig", ".nq")
#: every export format: the RDF dumps and the schema.org publication view (JSON-LD)
EXPORT_FORMATS: dict[str, Format] = {
    **FORMATS,
    "schemaorg": Format("schemaorg", ".schemaorg.jsonld", "application/ld+json", False),
}
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def ontology_graph_name(path: Path) -> str:
    """The named graph an ontology file is loaded into."""
    return ONTOLOGY_GRAPH if path.stem == "pressgraph" else f"{GRAPH}ontology-{path.stem}"


@dataclass(frozen=True)
class ProjectInfo:
    """Counts that describe a loaded project."""

    triples: int
    data_triples: int
    graphs: int
    entities_by_type: dict[str, int]
    shapes: int
    queries: list[str]


class Project:
    """A loaded project: parsed files, a query store, shapes and canned queries."""

    def __init__(
        self,
        settings: Settings,
        data: list[ox.Quad],
        ontology: list[ox.Quad],
        shapes: Graph,
        queries: Catalogue,
        store: ox.Store | None = None,
    ) -> None:
        self.settings = settings
        self.data = data
        self.ontology = ontology
        self.shapes = shapes
        self.queries = queries
        if store is None:
            store = ox.Store()
            store.bulk_extend(self.quads())
        self.store = store
        self._ontology_graph: Graph | None = None

    @property
    def root(self) -> Path:
        return self.settings.root

    @classmethod
    def load(cls, root: str | Path | None = None, settings: Settings | None = None) -> Project:
        """Read and check every file of the project folder.

        Raises :class:`DataError` (file, line, column) for malformed RDF and
        :class:`QueryError` for a canned query that does not parse.
        """
        if settings is None:
            settings = Settings.from_env(root=Path(root) if root else None)
        elif root is not None:
            raise ConfigError("give either root or settings, not both")
        base = settings.root
        if not (base / "data").is_dir():
            raise ConfigError(f"{base} is not a pressgraph project (no data/ folder)")
        data = load_data(base / "data")
        ontology = [
            q
            for p in _files(base / "ontology", (".ttl",))
            for q in parse_file(p, ontology_graph_name(p))
        ]
        shapes = to_rdflib_graph(
            q
            for p in _files(base / "shapes", (".ttl",))
            for q in parse_file(p, "urn:x-pressgraph:shapes")
        )
        queries = Catalogue.load(base / "queries")
        return cls(settings, data, ontology, shapes, queries)

    def quads(self) -> Iterable[ox.Quad]:
        """Every quad of the published dataset: the data and the ontology graphs."""
        yield from self.data
        yield from self.ontology

    @property
    def ontology_graph(self) -> Graph:
        """The ontology as one rdflib graph (pySHACL's ``ont_graph``)."""
        if self._ontology_graph is None:
            self._ontology_graph = to_rdflib_graph(self.ontology)
        return self._ontology_graph

    def validate(self, focus_nodes: list[str] | None = None) -> ValidationReport:
        """Validate the data against the shapes, with the ontology mixed in."""
        return validate_quads(self.data, self.shapes, self.ontology_graph, focus_nodes)

    def query(self, name: str, params: Mapping[str, Any] | None = None, **kw: Any) -> QueryResult:
        """Run canned query ``name`` with typed parameters (text values or RDF terms)."""
        canned = self.queries[name]
        bindings = canned.bind({**(params or {}), **kw})
        return self.sparql(canned.text, bindings=bindings, source=str(canned.path))

    def sparql(
        self,
        text: str,
        *,
        bindings: Mapping[str, Term] | None = None,
        source: str = "query",
        **options: Any,
    ) -> QueryResult:
        """Run an ad-hoc SPARQL query under the configured time and row limits."""
        return run_query(
            self.store,
            text,
            bindings=bindings,
            source=source,
            timeout=options.pop("timeout", self.settings.query_timeout),
            max_rows=options.pop("max_rows", self.settings.max_rows),
            **options,
        )

    @property
    def context_path(self) -> Path:
        """The project's own JSON-LD context."""
        return self.root / "ontology" / "context.jsonld"

    def export(self, fmt: str, graph: str | None = None) -> bytes:
        """The dataset (or one named graph) as ``fmt``: a name of :data:`EXPORT_FORMATS`."""
        if fmt == "schemaorg":
            if graph is not None:
                raise ExportError("the schema.org view covers the whole dataset; drop --graph")
            doc = schemaorg_view(self.store)
            return (json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()
        return export_quads(self.quads(), fmt, graph=graph, context_path=self.context_path)

    def info(self) -> ProjectInfo:
        """Triples, graphs, entities by type, shapes and queries."""
        all_quads = list(self.quads())
        types = Counter(
            q.object.value
            for q in self.data
            if q.predicate == RDF_TYPE and isinstance(q.object, ox.NamedNode)
        )
        subjects_by_type = {t: n for t, n in sorted(types.items())}
        shape_count = sum(
            1
            for _ in self.shapes.query(
                "SELECT DISTINCT ?s WHERE { { ?s a <http://www.w3.org/ns/shacl#NodeShape> } "
                "UNION { ?s a <http://www.w3.org/ns/shacl#PropertyShape> } }"
            )
        )
        return ProjectInfo(
            triples=len(all_quads),
            data_triples=len(self.data),
            graphs=len({q.graph_name for q in all_quads}),
            entities_by_type=subjects_by_type,
            shapes=shape_count,
            queries=list(self.queries),
        )


def _files(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)


def load_data(folder: Path) -> list[ox.Quad]:
    """Parse every TriG / N-Quads file under ``folder``; every triple must be in a named graph."""
    quads: list[ox.Quad] = []
    for path in _files(folder, DATA_SUFFIXES):
        parsed = parse_file(path)
        stray = next((q for q in parsed if isinstance(q.graph_name, ox.DefaultGraph)), None)
        if stray is not None:
            raise DataError(
                "triples outside a named graph: every fact must sit in a claim or reference "
                f"graph (first: {stray.subject} {stray.predicate} {stray.object})",
                path,
            )
        quads.extend(parsed)
    return quads
