"""A pressgraph project folder: its ontology, data, shapes and canned queries, loaded.

This is the library API used by the command line and the server::

    project = Project.load("path/to/project")
    report = project.validate()
    result = project.query("seminars", place="place:shymkent")
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

from .errors import ConfigError, ExportError
from .export import FORMATS, Format, export_quads
from .namespaces import PG
from .queries import Catalogue
from .rdfio import parse_file, require_named_graphs, to_rdflib_graph
from .schemaorg import schemaorg_view
from .settings import Settings
from .sparql import QueryResult, Term, run_query
from .store import Manifest, OpenStore, Progress, ontology_graph_name, open_current
from .store import sync as sync_store
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
    """A loaded project: parsed files, a query store, shapes and canned queries.

    The store is either the persistent one ``pressgraph build`` keeps under
    ``.pressgraph/store`` (opened read-only when it is up to date with ``data/``; then
    :attr:`manifest` is set and :attr:`data` is read from it on first use) or an
    in-memory store filled from the parsed files.
    """

    def __init__(
        self,
        settings: Settings,
        data: list[ox.Quad] | None,
        ontology: list[ox.Quad],
        shapes: Graph,
        queries: Catalogue,
        store: ox.Store | None = None,
        *,
        manifest: Manifest | None = None,
        opened: OpenStore | None = None,
    ) -> None:
        if data is None and store is None:
            raise ConfigError("a project needs its data quads or a store holding them")
        self.settings = settings
        self._data = data
        self.ontology = ontology
        self.shapes = shapes
        self.queries = queries
        if store is None:
            store = ox.Store()
            store.bulk_extend(self.quads())
        self.store = store
        #: the manifest of the persistent store generation, when the store is one
        self.manifest = manifest
        self._opened = opened
        self._ontology_graph: Graph | None = None

    @property
    def root(self) -> Path:
        return self.settings.root

    @property
    def data(self) -> list[ox.Quad]:
        """Every quad of ``data/``, parsed from the files on first use.

        Not read back from the store: pyoxigraph's store turns derived integer types
        (``xsd:nonNegativeInteger``, ``xsd:int``...) into ``xsd:integer``.
        """
        if self._data is None:
            self._data = load_data(self.root / "data")
        return self._data

    @property
    def persistent(self) -> bool:
        """Whether the store is the on-disk one that ``pressgraph build`` maintains."""
        return self.manifest is not None

    @classmethod
    def load(
        cls,
        root: str | Path | None = None,
        settings: Settings | None = None,
        *,
        sync: bool = False,
        progress: Progress | None = None,
    ) -> Project:
        """Read and check every file of the project folder.

        Opens the persistent store when it is up to date with ``data/`` (a few ms, whatever
        the size); otherwise parses the files into memory. ``sync=True`` first brings the
        persistent store up to date (parsing only the files that changed), as ``build`` does.

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
        if sync:
            sync_store(settings, progress=progress)
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
        # right after a sync the store is up to date: skip checking every file again
        opened = open_current(settings, check_fresh=not sync)
        if opened is not None:
            return cls(
                settings, None, ontology, shapes, queries, opened.store,
                manifest=opened.manifest, opened=opened,
            )
        data = load_data(base / "data")
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

    def validate(
        self,
        focus_nodes: list[str] | None = None,
        *,
        jobs: int | None = None,
        progress: Progress | None = None,
    ) -> ValidationReport:
        """Validate the data against the shapes, with the ontology mixed in.

        On the persistent store, the whole dataset is validated announcement by
        announcement in ``jobs`` processes, with a cache (:mod:`pressgraph.scale`); the
        report is the one pySHACL gives on the whole dataset at once.
        """
        if focus_nodes is None and self.persistent:
            from .scale import validate_project

            return validate_project(self, jobs=jobs, progress=progress)
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
        ontology_graphs = {q.graph_name for q in self.ontology}
        types = Counter(
            q.object.value
            for q in self.store.quads_for_pattern(None, RDF_TYPE, None)
            if q.graph_name not in ontology_graphs and isinstance(q.object, ox.NamedNode)
        )
        subjects_by_type = {t: n for t, n in sorted(types.items())}
        total = len(self.store)
        graphs = len(list(self.store.named_graphs()))
        if next(self.store.quads_for_pattern(None, None, None, ox.DefaultGraph()), None):
            graphs += 1
        shape_count = sum(
            1
            for _ in self.shapes.query(
                "SELECT DISTINCT ?s WHERE { { ?s a <http://www.w3.org/ns/shacl#NodeShape> } "
                "UNION { ?s a <http://www.w3.org/ns/shacl#PropertyShape> } }"
            )
        )
        return ProjectInfo(
            triples=total,
            data_triples=total - len(self.ontology),
            graphs=graphs,
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
        require_named_graphs(parsed, path)
        quads.extend(parsed)
    return quads
