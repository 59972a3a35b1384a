"""Local HTTP servers for end-to-end tests: a real ``oxigraph serve`` and small scripted fakes.

Everything listens on 127.0.0.1 on a free port and is stopped at teardown. Import
the fixtures into a test module (they are registered under the names ``oxigraph``
and ``fake_server``)::

    from oxigraph_server import fake_server_fixture, oxigraph_fixture  # noqa: F401

``oxigraph serve`` comes from the test extras (the ``oxigraph`` PyPI package); the
tests that need it are skipped, saying why, only when the binary is missing.
"""

from __future__ import annotations

import http.server
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

__all__ = [
    "FakeServer",
    "OxigraphServer",
    "Reply",
    "Request",
    "fake_server_fixture",
    "forward",
    "free_port",
    "oxigraph_binary",
    "oxigraph_fixture",
    "start_oxigraph",
]


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` CLI next to this Python (the venv), else on ``PATH``."""
    return shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which(
        "oxigraph"
    )


def free_port() -> int:
    """A TCP port nothing listens on right now, on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class OxigraphServer:
    """A running ``oxigraph serve``: its base URL, query and graph store URLs."""

    location: Path
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path
    _log: object = field(repr=False, default=None)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.base}/query"

    @property
    def store_url(self) -> str:
        return f"{self.base}/store"

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 5 s) and close its log."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        close = getattr(self._log, "close", None)
        if close:
            close()

    def kill(self) -> None:
        """Kill the server at once, as a crash would."""
        self.process.kill()
        self.process.wait(timeout=5)


def start_oxigraph(location: Path, port: int | None = None, *extra: str) -> OxigraphServer:
    """Start ``oxigraph serve`` on ``location`` and wait until it answers (10 s at most)."""
    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph CLI is not installed (pip install -e '.[test]' provides it)")
    port = port or free_port()
    location.mkdir(parents=True, exist_ok=True)
    log_path = location.with_name(location.name + f"-{port}.log")
    log = log_path.open("ab")
    process = subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", *extra],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    server = OxigraphServer(location, port, process, log_path, log)
    deadline = time.monotonic() + 10
    while True:
        if process.poll() is not None:
            server.stop()
            raise RuntimeError(f"oxigraph serve exited: {log_path.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{server.base}/", timeout=1) as response:
                response.read()
            return server
        except (urllib.error.URLError, OSError):
            if time.monotonic() > deadline:
                server.stop()
                raise RuntimeError(f"oxigraph serve did not answer on port {port}") from None
            time.sleep(0.05)


@pytest.fixture(name="oxigraph")
def oxigraph_fixture(tmp_path: Path) -> Iterator[OxigraphServer]:
    """An empty ``oxigraph serve`` of its own, stopped after the test."""
    server = start_oxigraph(tmp_path / "oxigraph")
    try:
        yield server
    finally:
        server.stop()


@dataclass(frozen=True)
class Request:
    """What a fake server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Reply:
    """What a fake server answers."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class FakeServer:
    """A threaded HTTP server on 127.0.0.1 that answers with ``handler`` and records requests.

    ``release`` is set at teardown so that handlers which wait on it (to play a slow
    server) end promptly.
    """

    def __init__(self, handler: Callable[[Request], Reply]) -> None:
        self.handler = handler
        self.requests: list[Request] = []
        self.release = threading.Event()
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                request = Request(self.command, self.path, dict(self.headers.items()), body)
                fake.requests.append(request)
                reply = fake.handler(request)
                self.send_response(reply.status)
                for key, value in reply.headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(reply.body)
                self.close_connection = True

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _any

            def log_message(self, format: str, *args: object) -> None:
                pass

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a client that gave up (timeout tests) is expected

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture(name="fake_server")
def fake_server_fixture() -> Iterator[Callable[[Callable[[Request], Reply]], FakeServer]]:
    """Start fake servers with a handler; all are stopped after the test."""
    started: list[FakeServer] = []

    def start(handler: Callable[[Request], Reply]) -> FakeServer:
        server = FakeServer(handler).__enter__()
        started.append(server)
        return server

    yield start
    for server in started:
        server.__exit__(None, None, None)


def forward(base: str, request: Request) -> Reply:
    """Pass ``request`` on to the server at ``base`` and return its answer (a proxy)."""
    keep = {"accept", "content-type", "authorization"}
    headers = {k: v for k, v in request.headers.items() if k.lower() in keep}
    upstream = urllib.request.Request(
        base + request.path, data=request.body or None, method=request.method, headers=headers
    )
    try:
        with urllib.request.urlopen(upstream, timeout=10) as response:
            ctype = response.headers.get("Content-Type", "")
            return Reply(response.status, response.read(), {"Content-Type": ctype} if ctype else {})
    except urllib.error.HTTPError as exc:
        with exc:
            return Reply(exc.code, exc.read(), {"Content-Type": "text/plain"})
