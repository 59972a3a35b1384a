"""Where SPARQL runs: worker processes with a hard time limit, or threads for tests.

pyoxigraph releases the GIL while it evaluates, so a slow query in a thread does
not block the event loop, but it cannot be interrupted: only a process can be
stopped. :class:`ProcessRunner` keeps ``size`` worker processes, each with an
in-memory copy of the dataset (an N-Quads snapshot, then every committed change
in order). A query that passes its time limit gets its worker killed and
replaced, and the client a :class:`~pressgraph.errors.QueryTimeout` (503).

:class:`ThreadRunner` runs on the live store in a thread; its limit only stops
waiting (the query runs on until its next row is produced). Use it where no
untrusted query runs (tests, debugging): ``Settings.query_workers = 0``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing as mp
import signal
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any, Protocol

import pyoxigraph as ox

from ..errors import (
    ExportError,
    ParameterError,
    PressgraphError,
    QueryError,
    QueryRefused,
    QueryTimeout,
)
from ..results import render
from ..sparql import QueryResult, Term, run_query

__all__ = ["ProcessRunner", "QueryJob", "QueryReply", "Runner", "ThreadRunner", "execute"]

log = logging.getLogger("pressgraph.server")
_NQ = ox.RdfFormat.N_QUADS


@dataclass(frozen=True)
class QueryJob:
    """One query to evaluate, with its dataset and the output wanted per result kind."""

    text: str
    source: str = "query"
    bindings: dict[str, Term] | None = None
    default_graph: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    base_iri: str | None = None
    max_rows: int = 10_000
    timeout: float = 10.0
    #: result kind ("select", "ask", "graph") -> results.render format; ``None``: the result itself
    formats: dict[str, str | None] | None = None


@dataclass
class QueryReply:
    """What a worker sends back: the rendered bytes, or the result itself."""

    kind: str
    fmt: str | None = None
    body: bytes | None = None
    result: QueryResult | None = None
    truncated: bool = False
    error: tuple[str, str, int | None, int | None, str | None] | None = field(default=None)

    def raise_error(self) -> None:
        """Re-raise the error the worker met, as the pressgraph error it was."""
        if self.error is None:
            return
        name, message, line, column, extra = self.error
        if name == "QueryTimeout":
            raise QueryTimeout(message, None, line, column)
        if name == "ParameterError":
            raise ParameterError(message, extra)
        if name == "ExportError":
            raise ExportError(message)
        if name == "QueryRefused":
            raise QueryRefused(message, None, line, column)
        raise QueryError(message, None, line, column)


def execute(store: ox.Store, job: QueryJob) -> QueryReply:
    """Evaluate ``job`` on ``store`` (in this process); errors go into the reply."""
    try:
        result = run_query(
            store,
            job.text,
            bindings=job.bindings,
            source=job.source,
            timeout=job.timeout,
            max_rows=job.max_rows,
            default_graph=_nodes(job.default_graph),
            named_graphs=_nodes(job.named_graphs),
            base_iri=job.base_iri,
        )
        if job.formats is None:
            return QueryReply(result.kind, result=result, truncated=result.truncated)
        fmt = job.formats.get(result.kind)
        if fmt is None:
            return QueryReply(result.kind, truncated=result.truncated)
        return QueryReply(result.kind, fmt, render(result, fmt), truncated=result.truncated)
    except PressgraphError as exc:
        # the message without the source prefix: the HTTP layer says where it came from
        message = getattr(exc, "message", str(exc))
        extra = getattr(exc, "parameter", None)
        error = (
            type(exc).__name__,
            message,
            getattr(exc, "line", None),
            getattr(exc, "column", None),
            extra,
        )
        return QueryReply("error", error=error)


def _nodes(iris: tuple[str, ...] | None) -> list[ox.NamedNode] | None:
    return None if iris is None else [ox.NamedNode(i) for i in iris]


class Runner(Protocol):
    """Evaluates query jobs and follows committed changes of the dataset."""

    async def start(self) -> None: ...
    async def run(self, job: QueryJob) -> QueryReply: ...
    def changed(self, removed: list[ox.Quad], added: list[ox.Quad]) -> None: ...
    async def close(self) -> None: ...


class ThreadRunner:
    """Queries in threads on the live store (no hard stop: for tests and debugging)."""

    def __init__(self, store: Callable[[], ox.Store]) -> None:
        self._store = store

    async def start(self) -> None:
        return None

    async def run(self, job: QueryJob) -> QueryReply:
        store = self._store()
        try:
            return await asyncio.wait_for(asyncio.to_thread(execute, store, job), job.timeout)
        except TimeoutError:
            raise QueryTimeout(f"query stopped after {job.timeout:g} s (time limit)") from None

    def changed(self, removed: list[ox.Quad], added: list[ox.Quad]) -> None:
        return None

    async def close(self) -> None:
        return None


def _worker_main(conn: Connection) -> None:  # pragma: no cover - runs in a child process
    """A worker process: load the snapshot, then apply changes and answer queries in order."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    store = ox.Store()
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        op = message[0]
        if op == "stop":
            return
        if op == "reset":
            store.clear()
            store.bulk_extend(ox.parse(message[1], format=_NQ))
            conn.send(("ready",))
        elif op == "sync":
            for quad in ox.parse(message[1], format=_NQ):
                store.remove(quad)
            store.extend(ox.parse(message[2], format=_NQ))
        elif op == "query":
            conn.send(execute(store, message[1]))


@dataclass(eq=False)
class _Worker:
    process: Any
    conn: Connection
    pending: list[tuple[Any, ...]] = field(default_factory=list)
    ready: asyncio.Event = field(default_factory=asyncio.Event)


def _nquads(quads: Iterable[ox.Quad]) -> bytes:
    return ox.serialize(list(quads), format=_NQ) or b""


class ProcessRunner:
    """A pool of worker processes, each with its own copy of the dataset."""

    def __init__(self, size: int, snapshot: Callable[[], bytes]) -> None:
        if size < 1:
            raise ValueError("a process pool needs at least one worker")
        self.size = size
        self._snapshot = snapshot
        self._context = mp.get_context("spawn")
        self._workers: list[_Worker] = []
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._closed = False
        self._tasks: set[asyncio.Task[None]] = set()
        #: how many workers were killed at their time limit (for tests and /health)
        self.killed = 0

    async def start(self) -> None:
        await asyncio.gather(*(self._spawn() for _ in range(self.size)))

    async def _spawn(self) -> None:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_worker_main, args=(child,), daemon=True)
        worker = _Worker(process, parent)
        # snapshot and registration in the same step of the event loop: every change
        # committed later reaches this worker through ``pending``
        snapshot = self._snapshot()
        self._workers.append(worker)
        await asyncio.to_thread(process.start)
        child.close()
        await asyncio.to_thread(parent.send, ("reset", snapshot))
        reply = await self._receive(worker)
        if reply != ("ready",):  # pragma: no cover - defensive
            raise RuntimeError("query worker failed to start")
        if self._closed:
            self._kill(worker)
            return
        self._idle.put_nowait(worker)

    async def _receive(self, worker: _Worker) -> Any:
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[None] = loop.create_future()
        fd = worker.conn.fileno()

        def readable() -> None:
            if not fut.done():
                fut.set_result(None)

        loop.add_reader(fd, readable)
        try:
            await fut
        finally:
            loop.remove_reader(fd)
        return worker.conn.recv()

    async def run(self, job: QueryJob) -> QueryReply:
        if self._closed:
            raise QueryError("the server is shutting down")
        try:
            # all workers busy for the whole time limit: the server is overloaded, say so
            worker = await asyncio.wait_for(self._idle.get(), job.timeout)
        except TimeoutError:
            raise QueryTimeout(
                f"no query worker was free within {job.timeout:g} s (server busy)"
            ) from None
        try:
            for message in worker.pending:
                worker.conn.send(message)
            worker.pending.clear()
            worker.conn.send(("query", job))
            reply: QueryReply = await asyncio.wait_for(self._receive(worker), job.timeout)
        except TimeoutError:
            self._replace(worker)
            raise QueryTimeout(f"query stopped after {job.timeout:g} s (time limit)") from None
        except BaseException:
            # cancelled (client gone) or a broken pipe: the worker's state is unknown
            self._replace(worker)
            raise
        self._idle.put_nowait(worker)
        return reply

    def _kill(self, worker: _Worker) -> None:
        with contextlib.suppress(Exception):
            worker.process.kill()
        with contextlib.suppress(Exception):
            worker.conn.close()
        if worker in self._workers:
            self._workers.remove(worker)

    def _replace(self, worker: _Worker) -> None:
        self.killed += 1
        self._kill(worker)
        with contextlib.suppress(Exception):
            worker.process.join(1)
        if not self._closed:
            task = asyncio.get_running_loop().create_task(self._spawn())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    def changed(self, removed: list[ox.Quad], added: list[ox.Quad]) -> None:
        message = ("sync", _nquads(removed), _nquads(added))
        for worker in self._workers:
            worker.pending.append(message)

    async def close(self) -> None:
        self._closed = True
        for task in list(self._tasks):
            with contextlib.suppress(BaseException):
                await task
        for worker in list(self._workers):
            with contextlib.suppress(Exception):
                worker.conn.send(("stop",))
            await asyncio.to_thread(worker.process.join, 2)
            self._kill(worker)

    @property
    def alive(self) -> int:
        """Workers running now (busy or idle)."""
        return sum(1 for w in self._workers if w.process.is_alive())
