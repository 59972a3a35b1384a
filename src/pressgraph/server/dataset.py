"""The served dataset: the store, where queries run, and committed writes.

Read-only by default, the store is the project's (in memory, or the one
``pressgraph build`` keeps on disk). When writes are enabled, the server writes
into a store of its own beside that one (``<store_path>-served``), and every
accepted write is also appended to a journal (``<store_path>-served.journal.jsonl``).
The data/ files are never modified: they stay the reviewed source. When they
change, the next start rebuilds the store from them and replays the journal
(see docs/decisions/0004-server.md).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import hashlib
import json
import logging
import pickle
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..project import Project
from ..settings import Settings
from .workers import ProcessRunner, QueryJob, QueryReply, Runner, ThreadRunner

__all__ = ["LiveDataset", "source_fingerprint"]

log = logging.getLogger("pressgraph.server")
_NQ = ox.RdfFormat.N_QUADS


def source_fingerprint(root: Path) -> str:
    """SHA-256 over the project's data and ontology files (names and bytes)."""
    digest = hashlib.sha256()
    for folder, suffixes in (("data", (".trig", ".nq")), ("ontology", (".ttl",))):
        base = root / folder
        if not base.is_dir():
            continue
        for path in sorted(p for p in base.rglob("*") if p.is_file() and p.suffix in suffixes):
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


class LiveDataset:
    """The store the server answers from, with its query runner and write journal."""

    def __init__(self, project: Project, store: ox.Store, journal: Path | None = None) -> None:
        self.project = project
        self.store = store
        self.journal = journal
        #: bumped by every committed write (part of every ETag)
        self.generation = 0
        self.write_lock = asyncio.Lock()
        #: values derived from the project that writes reuse (shape terms)
        self.cache: dict[str, Any] = {}
        #: query replies and rendered representations, for repeated requests (LRU)
        self._responses: OrderedDict[Any, Any] = OrderedDict()
        self.response_cache = project.settings.response_cache
        self.runner: Runner = ThreadRunner(lambda: self.store)

    @classmethod
    def open(cls, project: Project, settings: Settings) -> LiveDataset:
        """The dataset for ``project``: a writable store on disk when writes are enabled.

        The store ``pressgraph build`` keeps (``store_path``) is never written: the
        server writes into its own store beside it (``<store_path>-served``), made
        from the project and the journal of accepted writes.
        """
        writable = bool(settings.write_token)
        base = settings.resolve(settings.store_path)
        path = base.with_name(base.name + "-served")
        journal = path.with_name(path.name + ".journal.jsonl")
        stamp = path.with_name(path.name + ".source")
        fingerprint = source_fingerprint(settings.root)
        current = stamp.is_file() and stamp.read_text().strip() == fingerprint
        if not writable:
            if path.exists() and current:
                return cls(project, ox.Store.read_only(str(path)), journal)
            if path.exists():
                log.warning(
                    "accepted writes in %s were made on older data/ files: not served; "
                    "start with a write token to replay them on the new data",
                    path,
                )
            return cls(project, project.store)
        path.parent.mkdir(parents=True, exist_ok=True)
        store = ox.Store(str(path))
        if not current:
            _rebuild(store, project, journal)
            stamp.write_text(fingerprint + "\n")
        return cls(project, store, journal)

    async def start(self, settings: Settings) -> None:
        """Start the query runner (worker processes unless ``query_workers`` is 0)."""
        self.response_cache = settings.response_cache
        if settings.query_workers > 0:
            self.runner = ProcessRunner(settings.query_workers, self.snapshot)
        await self.runner.start()

    async def close(self) -> None:
        """Stop the workers and let go of an on-disk store (its lock goes with it)."""
        await self.runner.close()
        if self.store is not self.project.store:
            self.store = ox.Store()
            gc.collect()

    def snapshot(self) -> bytes:
        """The whole dataset as N-Quads (what a new worker starts from)."""
        return self.store.dump(format=_NQ) or b""

    async def query(self, job: QueryJob) -> QueryReply:
        """Evaluate ``job``; raises the pressgraph error the evaluation met.

        Answers are kept for repeated identical requests until the next write.
        """
        if self.response_cache <= 0:
            reply = await self.runner.run(job)
            reply.raise_error()
            return reply
        key = ("query", self.generation, pickle.dumps(job))
        cached: QueryReply | None = self.recall(key)
        if cached is None:
            cached = await self.runner.run(job)
            cached.raise_error()
            self.remember(key, cached)
        return cached

    def recall(self, key: Any) -> Any:
        """A kept response (``None`` if there is none)."""
        value = self._responses.get(key)
        if value is not None:
            self._responses.move_to_end(key)
        return value

    def remember(self, key: Any, value: Any) -> Any:
        """Keep ``value`` for ``key`` (the least recently used goes when full)."""
        if self.response_cache > 0:
            self._responses[key] = value
            self._responses.move_to_end(key)
            while len(self._responses) > self.response_cache:
                self._responses.popitem(last=False)
        return value

    def commit(self, removed: list[ox.Quad], added: list[ox.Quad], what: str) -> None:
        """Apply a validated change to the store, the workers and the journal."""
        if not removed and not added:
            return
        for quad in removed:
            self.store.remove(quad)
        if added:
            self.store.extend(added)
        self.runner.changed(removed, added)
        self.generation += 1
        self._responses.clear()
        if self.journal is not None:
            entry = {
                "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "what": what,
                "removed": _nquads(removed),
                "added": _nquads(added),
            }
            with self.journal.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(entry, ensure_ascii=False) + "\n")

    def graph_names(self) -> list[str]:
        """IRIs of the named graphs, sorted."""
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))

    def etag(self, *parts: str) -> str:
        """A strong ETag for a representation derived from the current state."""
        digest = hashlib.sha256("\0".join((str(self.generation), *parts)).encode()).hexdigest()
        return f'"{digest[:32]}"'


def _nquads(quads: Iterable[ox.Quad]) -> str:
    return (ox.serialize(list(quads), format=_NQ) or b"").decode()


def _rebuild(store: ox.Store, project: Project, journal: Path) -> None:
    """Reload ``store`` from the project files, then replay the accepted writes."""
    store.clear()
    store.bulk_extend(project.quads())
    if not journal.is_file():
        return
    replayed = 0
    for line in journal.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        entry = json.loads(line)
        for quad in ox.parse(entry["removed"].encode(), format=_NQ):
            store.remove(quad)
        store.extend(ox.parse(entry["added"].encode(), format=_NQ))
        replayed += 1
    log.warning("data/ changed: store rebuilt and %d journalled write(s) replayed", replayed)
