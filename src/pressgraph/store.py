"""The embedded store on disk: immutable generations, a manifest, one atomically swapped link.

``pressgraph build`` (and ``validate``) bring a persistent pyoxigraph store up to date with
``data/`` and ``ontology/``; ``query`` and ``serve`` then open it in milliseconds instead of
parsing every file. :attr:`Settings.store_path` (``.pressgraph/store``) is a symbolic link
to the live generation, so it always opens as a plain pyoxigraph store::

    .pressgraph/store -> store.gens/gen-000007   replaced atomically (os.replace of a new link)
    .pressgraph/store.gens/
        gen-000007/          a pyoxigraph (RocksDB) store, never written once it is live
        gen-000007.json      its manifest: each source file's size, mtime, SHA-256 and graphs
        gen-000007.readers   readers hold a shared lock on it, so no build deletes it under them
        build.lock           held by the one build that may run at a time

A build copies the live generation (``Store.backup``: hard links, cheap), removes the graphs
of changed or deleted files, adds the quads of changed or new files, writes the manifest and
only then points the link at it. A crash or a kill at any moment before that leaves the
previous generation live and intact; the next build clears the leftovers.

Freshness is checked cheaply: the size and modification time of every source file against
the manifest; a file whose time changed but whose content hash did not (a ``git checkout``)
still counts as unchanged.

>>> import tempfile
>>> from pressgraph.settings import Settings
>>> settings = Settings(root=Path(tempfile.mkdtemp()))
>>> (settings.root / "data").mkdir()
>>> open_current(settings) is None
True
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import pyoxigraph as ox

from .errors import ConfigError, DataError
from .rdfio import mentions_blank_node, parse_file, require_named_graphs
from .settings import Settings

__all__ = [
    "DATA_SUFFIXES",
    "FileEntry",
    "Manifest",
    "OpenStore",
    "SyncResult",
    "announcement_of",
    "data_graph_filter",
    "diff_sources",
    "ontology_graph_name",
    "open_current",
    "scan_sources",
    "source_files",
    "sync",
]

MANIFEST_VERSION = 2
#: the last manifest read or written, by path: ((mtime_ns, size), manifest)
_MANIFESTS: dict[str, tuple[tuple[int, int], Any]] = {}
DATA_SUFFIXES = (".trig", ".nq")
ONTOLOGY_SUFFIXES = (".ttl",)
_LOCK = "build.lock"
#: above this share of changed files a build starts from an empty store instead of a copy
_REBUILD_SHARE = 0.5
#: quads handed to the bulk loader at a time (bounds memory on big datasets)
_CHUNK = 200_000

Progress = Callable[[int, int], None]


def ontology_graph_name(path: Path) -> str:
    """The named graph an ontology file is loaded into (``pressgraph.ttl`` is the vocabulary)."""
    from .namespaces import GRAPH, PG

    return str(PG)[:-1] if path.stem == "pressgraph" else f"{GRAPH}ontology-{path.stem}"


class FileEntry(NamedTuple):
    """One source file as the manifest records it (path relative to the project root).

    A named tuple: a manifest has one per file, 20,000 at 10,000 announcements, and a
    dataclass takes four times as long to make."""

    path: str
    size: int
    mtime_ns: int
    sha256: str = ""
    graphs: tuple[str, ...] = ()
    quads: int = 0
    #: whether the store gives back its literals as written (see :func:`store_keeps_exactly`)
    exact: bool = False
    #: whether the file has blank nodes (the store relabels them)
    blank_nodes: bool = True


@dataclass
class Manifest:
    """What a generation of the store holds: its source files, by path."""

    generation: str
    files: dict[str, FileEntry] = field(default_factory=dict)
    #: read from a format-1 manifest (no ``exact`` / ``blank_nodes``): rebuild the store
    legacy: bool = False

    @classmethod
    def read(cls, path: Path) -> Manifest:
        """The manifest in ``path`` (kept in memory while the file is unchanged: a build
        reads it, then the project opening the new generation reads it again)."""
        try:
            st = path.stat()
            cached = _MANIFESTS.get(str(path))
            if cached is not None and cached[0] == (st.st_mtime_ns, st.st_size):
                return cached[1]
            doc = json.loads(path.read_bytes())
        except (OSError, ValueError) as exc:
            raise ConfigError(f"unreadable store manifest {path}: {exc}") from exc
        version = doc.get("version")
        if version == 1:
            # written before "exact" and "blank_nodes" existed: the safe values
            files = {
                p: FileEntry(
                    p, e["size"], e["mtime_ns"], e["sha256"], tuple(e["graphs"]),
                    e.get("quads", 0), False, True,
                )
                for p, e in doc["files"].items()
            }
        elif version == MANIFEST_VERSION:
            _GRAPH_TEXT.clear()
            files = {
                p: FileEntry(p, e[0], e[1], e[2], _graphs_from_text(e[6]), e[3], e[4], e[5])
                for p, e in doc["files"].items()
            }
        else:
            raise ConfigError(f"store manifest {path} has version {version!r}")
        manifest = cls(doc["generation"], files, legacy=version == 1)
        _MANIFESTS.clear()
        _MANIFESTS[str(path)] = ((st.st_mtime_ns, st.st_size), manifest)
        return manifest

    def write(self, path: Path) -> None:
        """Write atomically: one line per file entry (size, mtime, SHA-256, quads, exact,
        blank nodes, graphs as their common prefix and the rest of each name)."""
        doc = {
            "version": MANIFEST_VERSION,
            "generation": self.generation,
            "files": {
                p: [e.size, e.mtime_ns, e.sha256, e.quads, e.exact, e.blank_nodes,
                    _graphs_to_text(e.graphs)]
                for p, e in sorted(self.files.items())
            },
        }
        tmp = path.with_name(path.name + ".tmp")
        # json's C encoder (indent would use the pure-Python one: ten times slower)
        text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
        tmp.write_text(text.replace('],"', '],\n"') + "\n", encoding="utf-8")
        _fsync(tmp)
        os.replace(tmp, path)
        st = path.stat()
        _MANIFESTS.clear()
        _MANIFESTS[str(path)] = ((st.st_mtime_ns, st.st_size), self)

    @property
    def ontology_graphs(self) -> set[str]:
        """Graph names loaded from ``ontology/``."""
        return {g for p, e in self.files.items() if p.startswith("ontology/") for g in e.graphs}


_GRAPH_TEXT: dict[tuple[str, ...], str] = {}


def _graphs_to_text(graphs: Iterable[str]) -> str:
    """Graph names as one string: their common prefix, a tab, the rest of each, spaced.

    >>> _graphs_to_text(["https://x/g/a-s01", "https://x/g/a-s02"])
    'https://x/g/a-s0\\t1 2'
    >>> _graphs_from_text(_graphs_to_text(["g", "g2"]))
    ('g', 'g2')
    """
    graphs = tuple(graphs)
    found = _GRAPH_TEXT.get(graphs)
    if found is not None:
        return found
    if not graphs:
        return ""
    prefix = os.path.commonprefix(graphs)  # noqa: RUF071 - characters, not path parts
    return prefix + "\t" + " ".join(g[len(prefix) :] for g in graphs)


def _graphs_from_text(text: str) -> tuple[str, ...]:
    if not text:
        return ()
    prefix, _tab, rest = text.partition("\t")
    graphs = tuple(prefix + g for g in rest.split(" "))
    _GRAPH_TEXT[graphs] = text  # written again as read, without working it out again
    return graphs


def announcement_of(path: str) -> str | None:
    """The validation unit a source file belongs to: the announcement slug, or ``reference/X``.

    >>> announcement_of("data/announcements/2016-10-06-x/claims.trig")
    '2016-10-06-x'
    >>> announcement_of("data/reference/places.trig")
    'reference/places.trig'
    >>> announcement_of("ontology/pressgraph.ttl") is None
    True
    """
    parts = path.split("/")
    if parts[0] != "data":
        return None
    if len(parts) >= 4 and parts[1] == "announcements":
        return parts[2]
    return "/".join(parts[1:])


# --------------------------------------------------------------------------- scanning


def source_files(root: Path) -> list[Path]:
    """Every file the store is made from: ``data/**/*.trig|nq`` and ``ontology/*.ttl``."""
    return [root / rel for rel in _scan(root)]


def _scan(root: Path) -> dict[str, tuple[int, int]]:
    """Relative path (sorted) -> (size, mtime_ns) of every source file.

    ``os.scandir`` with plain strings: 20,000 files take a fifth of a second, four times
    less than ``os.walk`` with ``Path`` objects and a ``stat`` each.
    """
    found: dict[str, tuple[int, int]] = {}

    def walk(folder: str, rel: str, suffixes: frozenset[str]) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if entry.is_dir():
                    walk(entry.path, rel + name + "/", suffixes)
                elif name[name.rfind(".") :].lower() in suffixes and entry.is_file():
                    st = entry.stat()
                    found[rel + name] = (st.st_size, st.st_mtime_ns)

    for folder, suffixes in (("data", DATA_SUFFIXES), ("ontology", ONTOLOGY_SUFFIXES)):
        base = root / folder
        if base.is_dir():
            walk(str(base), folder + "/", frozenset(suffixes))
    return dict(sorted(found.items()))


def scan_sources(root: Path) -> dict[str, FileEntry]:
    """Size and modification time of every source file (no hashing: a few µs per file)."""
    return {rel: FileEntry(rel, size, mtime) for rel, (size, mtime) in _scan(root).items()}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class SourceDiff:
    """How the files on disk differ from a manifest."""

    unchanged: dict[str, FileEntry]
    changed: list[str]
    added: list[str]
    removed: list[str]

    @property
    def clean(self) -> bool:
        return not (self.changed or self.added or self.removed)


def diff_sources(root: Path, manifest: Manifest | None) -> SourceDiff:
    """Compare the files on disk with ``manifest``: by size and time, then by content hash."""
    current = _scan(root)
    old = manifest.files if manifest else {}
    unchanged: dict[str, FileEntry] = {}
    changed: list[str] = []
    for rel, (size, mtime) in current.items():
        before = old.get(rel)
        if before is None:
            continue
        if before.size == size and before.mtime_ns == mtime:
            unchanged[rel] = before
        elif before.size == size and _sha256(root / rel) == before.sha256:
            unchanged[rel] = before._replace(mtime_ns=mtime)
        else:
            changed.append(rel)
    added = sorted(set(current) - set(old))
    removed = sorted(set(old) - set(current))
    return SourceDiff(unchanged, sorted(changed), added, removed)


# --------------------------------------------------------------------------- opening


@dataclass
class OpenStore:
    """A live generation opened read-only, with its manifest."""

    store: ox.Store
    manifest: Manifest
    path: Path
    #: keeps the shared reader lock for as long as this object lives
    _lock: Any = None

    def __post_init__(self) -> None:
        if self._lock is not None:
            weakref.finalize(self, _release, self._lock)

    def close(self) -> None:
        if self._lock is not None:
            _release(self._lock)
            self._lock = None


def _release(fd: int) -> None:
    with contextlib.suppress(OSError):
        os.close(fd)


def _link(settings: Settings) -> Path:
    return settings.resolve(settings.store_path)


def _store_dir(settings: Settings) -> Path:
    """The folder holding the generations, beside the link."""
    link = _link(settings)
    return link.with_name(link.name + ".gens")


def _live(base: Path) -> str | None:
    """The name of the live generation: where the link beside ``base`` points."""
    link = base.with_name(base.name[: -len(".gens")])
    try:
        target = os.readlink(link)
    except (FileNotFoundError, OSError):
        return None
    name = Path(target).name
    return name if Path(target).parent.name == base.name else None


def open_current(settings: Settings, *, check_fresh: bool = True) -> OpenStore | None:
    """The live generation, read-only, or ``None`` when there is none or it is out of date."""
    base = _store_dir(settings)
    name = _live(base)
    if name is None or not (base / name).is_dir():
        return None
    try:
        manifest = Manifest.read(base / f"{name}.json")
    except (ConfigError, KeyError):
        return None
    if check_fresh and not diff_sources(settings.root, manifest).clean:
        return None
    lock = _reader_lock(base / f"{name}.readers")
    try:
        store = ox.Store.read_only(str(base / name))
    except OSError:
        _release(lock)
        return None
    return OpenStore(store, manifest, base / name, lock)


def _reader_lock(path: Path) -> int:
    """A shared lock on ``path``, held by the returned descriptor until it is closed."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_SH)
    return fd


# --------------------------------------------------------------------------- building


@dataclass(frozen=True)
class SyncResult:
    """What :func:`sync` did."""

    generation: str
    path: Path
    #: source files (re)loaded, and files whose graphs were dropped
    loaded: list[str]
    removed: list[str]
    #: False when the store was already up to date (nothing was written)
    written: bool
    full_rebuild: bool


@contextlib.contextmanager
def _build_lock(base: Path) -> Iterator[None]:
    base.mkdir(parents=True, exist_ok=True)
    with open(base / _LOCK, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise ConfigError(f"another build is writing the store in {base}") from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def sync(
    settings: Settings,
    *,
    progress: Progress | None = None,
    full: bool = False,
    _before_commit: Callable[[], None] | None = None,
) -> SyncResult:
    """Bring the store up to date with ``data/`` and ``ontology/``; atomic, incremental.

    Only files whose content changed are parsed; their old graphs are removed first.
    ``full`` rebuilds from an empty store. Raises :class:`DataError` for malformed files
    (nothing is made live then) and :class:`ConfigError` when another build holds the lock.
    """
    base = _store_dir(settings)
    if not (settings.root / "data").is_dir():
        raise ConfigError(f"{settings.root} is not a pressgraph project (no data/ folder)")
    link = _link(settings)
    if link.exists() and not link.is_symlink():
        raise ConfigError(
            f"{link} is a store that `pressgraph build` did not make (a writable server's?): "
            "move it away, then build again"
        )
    with _build_lock(base):
        _clean_leftovers(base)
        name = _live(base)
        manifest = None
        if name is not None and (base / name).is_dir():
            with contextlib.suppress(ConfigError, KeyError):
                manifest = Manifest.read(base / f"{name}.json")
        diff = diff_sources(settings.root, manifest)
        if manifest is not None and diff.clean and not full and not manifest.legacy:
            if any(e.mtime_ns != manifest.files[p].mtime_ns for p, e in diff.unchanged.items()):
                Manifest(manifest.generation, diff.unchanged).write(base / f"{name}.json")
            return SyncResult(manifest.generation, base / manifest.generation, [], [], False, False)

        new_name = _next_generation(base, name)
        target = base / new_name
        to_load = diff.changed + diff.added
        total = len(diff.unchanged) + len(to_load)
        rebuild = (
            full
            or manifest is None
            or manifest.legacy
            or len(to_load) > _REBUILD_SHARE * max(total, 1)
        )
        if rebuild:
            to_load = sorted(set(to_load) | set(diff.unchanged))
            kept: dict[str, FileEntry] = {}
            store = ox.Store(str(target))
        else:
            ox.Store.read_only(str(base / str(name))).backup(str(target))
            store = ox.Store(str(target))
            kept = dict(diff.unchanged)
            for rel in diff.changed + diff.removed:
                for graph in manifest.files[rel].graphs:  # type: ignore[union-attr]
                    store.remove_graph(ox.NamedNode(graph))
        entries = _load_files(settings.root, store, sorted(to_load), kept, rebuild, progress)
        store.flush()
        if rebuild:
            store.optimize()
        del store
        Manifest(new_name, {**kept, **entries}).write(base / f"{new_name}.json")
        if _before_commit is not None:
            _before_commit()
        _point_at(base, new_name)
        _clean_leftovers(base)
        return SyncResult(new_name, target, sorted(to_load), diff.removed, True, rebuild)


def _load_files(
    root: Path,
    store: ox.Store,
    paths: list[str],
    kept: dict[str, FileEntry],
    bulk: bool,
    progress: Progress | None,
) -> dict[str, FileEntry]:
    """Parse ``paths`` into ``store``; check that every graph comes from exactly one file.

    The graphs of the ``kept`` files are in the store already (it is a copy with the graphs
    of the changed files removed): a new file's graph found there belongs to a kept file.
    """
    owner: dict[str, str] = {}
    entries: dict[str, FileEntry] = {}
    pending: list[ox.Quad] = []
    for done, rel in enumerate(paths, 1):
        path = root / rel
        data = path.read_bytes()
        graph = ontology_graph_name(path) if rel.startswith("ontology/") else None
        quads = parse_file(path, graph)
        graphs = sorted(
            {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
        )
        if graph is None:
            require_named_graphs(quads, path)
        for g in graphs:
            if g in owner:
                raise DataError(f"graph <{g}> is also defined in {owner[g]}", path)
            if kept and store.contains_named_graph(ox.NamedNode(g)):
                other = next((p for p, e in kept.items() if g in e.graphs), "another file")
                raise DataError(f"graph <{g}> is also defined in {other}", path)
            owner[g] = rel
        st = path.stat()
        entries[rel] = FileEntry(
            rel, st.st_size, st.st_mtime_ns, hashlib.sha256(data).hexdigest(), tuple(graphs),
            len(quads), store_keeps_exactly(quads), any(map(mentions_blank_node, quads)),
        )
        if bulk:
            pending.extend(quads)
            if len(pending) >= _CHUNK:
                store.bulk_extend(pending)
                pending = []
        else:
            store.extend(quads)
        if progress is not None:
            progress(done, len(paths))
    if pending:
        store.bulk_extend(pending)
    return entries


#: datatypes whose literals a store keeps as written
PLAIN_DATATYPES = frozenset(
    {
        "http://www.w3.org/2001/XMLSchema#string",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString",
    }
)


def store_keeps_exactly(quads: list[ox.Quad]) -> bool:
    """Whether a pyoxigraph store gives ``quads`` back as they are.

    It does not for some typed literals: it keeps their value, not their text, so
    ``"91"^^xsd:nonNegativeInteger`` comes back as ``"91"^^xsd:integer``, ``"1.50"^^xsd:decimal``
    as ``"1.5"``, ``"1"^^xsd:boolean`` as ``"true"``. Found out by a round trip of the typed
    literals through a scratch in-memory store (which encodes terms like the on-disk one).

    >>> xsd = "http://www.w3.org/2001/XMLSchema#"
    >>> def q(v, t):
    ...     return ox.Quad(ox.NamedNode("http://s"), ox.NamedNode("http://p"),
    ...                    ox.Literal(v, datatype=ox.NamedNode(xsd + t)), ox.NamedNode("http://g"))
    >>> store_keeps_exactly([q("91", "integer"), q("2016-10-06", "date")])
    True
    >>> store_keeps_exactly([q("91", "nonNegativeInteger")])
    False
    """
    typed = [
        q
        for q in quads
        if type(q.object) is ox.Literal and q.object.datatype.value not in PLAIN_DATATYPES
    ]
    if not typed:
        return True
    scratch = ox.Store()
    scratch.extend(typed)
    return set(scratch) == set(typed)


def _next_generation(base: Path, live: str | None) -> str:
    numbers = [int(p.name[4:]) for p in base.glob("gen-*") if p.name[4:].isdigit()]
    if live is not None and live[4:].isdigit():
        numbers.append(int(live[4:]))
    return f"gen-{max(numbers, default=0) + 1:06d}"


def _point_at(base: Path, name: str) -> None:
    """Make the link beside ``base`` point at generation ``name``, in one rename."""
    link = base.with_name(base.name[: -len(".gens")])
    tmp = link.with_name(link.name + ".link-tmp")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    os.symlink(f"{base.name}/{name}", tmp)
    if link.exists() and not link.is_symlink():
        raise ConfigError(
            f"{link} is a store that `pressgraph build` did not make (a writable server's?): "
            "move it away, then build again"
        )
    os.replace(tmp, link)
    with contextlib.suppress(OSError):
        fd = os.open(link.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _clean_leftovers(base: Path) -> None:
    """Delete generations other than the live one and the one before it, unless being read."""
    live = _live(base)
    gens = sorted(p.name for p in base.glob("gen-*") if p.is_dir() and p.name[4:].isdigit())
    keep = {live}
    if live in gens:
        older = [g for g in gens if g < live]
        if older:
            keep.add(older[-1])
    for name in gens:
        if name in keep:
            continue
        readers = base / f"{name}.readers"
        if readers.exists():
            with open(readers, "a+b") as handle:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue  # someone still reads it
                shutil.rmtree(base / name, ignore_errors=True)
        else:
            shutil.rmtree(base / name, ignore_errors=True)
        for suffix in (".json", ".json.tmp", ".readers"):
            with contextlib.suppress(FileNotFoundError):
                (base / f"{name}{suffix}").unlink()


def data_graph_filter(manifest: Manifest) -> Callable[[ox.Quad], bool]:
    """A predicate that is true for quads of ``data/`` (not of the ontology)."""
    ontology = manifest.ontology_graphs

    def is_data(q: ox.Quad) -> bool:
        return not isinstance(q.graph_name, ox.NamedNode) or q.graph_name.value not in ontology

    return is_data


def iter_graphs(store: ox.Store, graphs: Iterable[str]) -> Iterator[ox.Quad]:
    """The quads of the named ``graphs``, graph by graph."""
    for g in graphs:
        yield from store.quads_for_pattern(None, None, None, ox.NamedNode(g))
