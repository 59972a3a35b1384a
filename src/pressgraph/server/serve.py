"""Running the server: with uvicorn, or for one request in-process (``serve --get``)."""

from __future__ import annotations

import asyncio
import dataclasses
import os
from typing import Any
from urllib.parse import urlsplit

from ..errors import ConfigError
from ..project import Project
from ..settings import Settings

__all__ = ["answer_once", "run_server", "serve_settings"]


def serve_settings(
    settings: Settings,
    *,
    host: str | None = None,
    port: int | None = None,
    base_iri: str | None = None,
    token_env: str | None = None,
    workers: int | None = None,
) -> Settings:
    """``settings`` with the command-line flags applied (the token read from ``token_env``)."""
    changes: dict[str, Any] = {}
    for key, value in (
        ("host", host),
        ("port", port),
        ("base_iri", base_iri),
        ("query_workers", workers),
    ):
        if value is not None:
            changes[key] = value
    if token_env:
        token = os.environ.get(token_env)
        if not token:
            raise ConfigError(f"--token-env {token_env}: that environment variable is not set")
        changes["write_token"] = token
    return dataclasses.replace(settings, **changes)


def run_server(project: Project, settings: Settings) -> None:
    """Serve with uvicorn until interrupted (127.0.0.1 unless ``host`` says otherwise)."""
    import uvicorn

    from .app import create_app

    app = create_app(project, settings)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level="info",
        proxy_headers=False,
        server_header=False,
    )


def answer_once(
    project: Project, settings: Settings, target: str, accept: str | None = None
) -> tuple[int, list[tuple[str, str]], bytes]:
    """Answer one GET request in-process (no socket): status, headers and body."""
    from .app import create_app

    app = create_app(project, dataclasses.replace(settings, query_workers=0))
    parts = urlsplit(target)
    headers = [(b"host", b"localhost")]
    if accept:
        headers.append((b"accept", accept.encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": parts.path or "/",
        "raw_path": (parts.path or "/").encode(),
        "query_string": parts.query.encode(),
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 0),
        "server": ("localhost", 80),
        "state": {},
    }
    status = 500
    out_headers: list[tuple[str, str]] = []
    chunks: list[bytes] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status, out_headers
        if message["type"] == "http.response.start":
            status = message["status"]
            out_headers = [(k.decode(), v.decode()) for k, v in message.get("headers", [])]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    return status, out_headers, b"".join(chunks)
