"""The pressgraph HTTP server: a thin Starlette layer over the library API.

``create_app(project, settings)`` builds the app; ``pressgraph serve`` runs it
with uvicorn. See docs/decisions/0004-server.md.
"""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
