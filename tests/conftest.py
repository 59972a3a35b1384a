"""Shared fixtures. Server fixtures are named ``server_*`` (see tests/server_support.py)."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import time
import urllib.error
from collections.abc import Iterator
from pathlib import Path

import pytest
from server_support import ROOT, TOKEN, free_port, http_get, make_project
from starlette.testclient import TestClient

from pressgraph.project import Project
from pressgraph.server import create_app
from pressgraph.settings import Settings


@pytest.fixture
def server_root(tmp_path: Path) -> Path:
    """A fresh copy of the small server test project."""
    return make_project(tmp_path / "project")


@pytest.fixture
def server_project(server_root: Path) -> Project:
    return Project.load(settings=Settings(root=server_root, query_workers=0))


@pytest.fixture
def server_client(server_project: Project) -> Iterator[TestClient]:
    """An in-process client of a read-only app (queries in threads)."""
    app = create_app(server_project)
    with TestClient(app, base_url="http://testserver") as client:
        yield client


@pytest.fixture
def server_writable(server_project: Project) -> Iterator[TestClient]:
    """An in-process client of an app with writes enabled (token ``TOKEN``)."""
    settings = dataclasses.replace(server_project.settings, write_token=TOKEN)
    app = create_app(server_project, settings)
    with TestClient(app, base_url="http://testserver") as client:
        client.headers["Authorization"] = f"Bearer {TOKEN}"
        yield client


@pytest.fixture(scope="session")
def server_live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``pressgraph serve`` on 127.0.0.1:<free port>, stopped at the end of the session."""
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "server.log"
    env = {**os.environ, "PRESSGRAPH_WRITE_TOKEN": ""}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import sys; from pressgraph.cli import main; sys.exit(main())",
                "-C",
                str(ROOT),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                "1",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):  # up to ~30 s for start-up
            if process.poll() is not None:
                raise RuntimeError(f"server exited: {log.read_text()}")
            try:
                if http_get(url + "/health")[0] == 200:
                    break
            except (urllib.error.URLError, ConnectionError):
                pass
            time.sleep(0.1)
        else:
            raise RuntimeError(f"server did not start: {log.read_text()}")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many W3C conformance tests ran and passed, per manifest."""
    from w3c_runner import RESULTS

    for name, counts in sorted(RESULTS.items()):
        terminalreporter.write_line(f"W3C {name}: ran {counts['ran']}, passed {counts['passed']}")
