"""What every route needs: the project, the live dataset, settings and the IRI mapping.

The base IRI the data was minted under is mapped onto the server's own root:
request path ``/id/event/x`` is the IRI ``{base}id/event/x``, whatever host the
server answers at.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request

from ..project import Project
from ..settings import Settings
from .dataset import LiveDataset
from .problems import Problem

__all__ = ["Context", "context"]


@dataclass
class Context:
    """The state a server app is built around."""

    project: Project
    settings: Settings
    dataset: LiveDataset
    templates: Any = None
    #: class hierarchy used to pick a page layout (entities.Hierarchy)
    kinds: Any = None
    #: values computed once per dataset generation (VoID, counts)
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return self.settings.base_iri

    @property
    def writable(self) -> bool:
        return bool(self.settings.write_token)

    def iri_for_path(self, path: str) -> str:
        """The IRI a request path stands for (``/id/x`` -> ``{base}id/x``)."""
        return self.base + path.lstrip("/")

    def path_for_iri(self, iri: str) -> str | None:
        """The local path of an IRI under the base (``None`` for other IRIs)."""
        if iri.startswith(self.base):
            return "/" + iri[len(self.base) :]
        return None

    def origin(self, request: Request) -> str:
        """The public address of the server (``public_url``, else the request's own)."""
        if self.settings.public_url:
            return self.settings.public_url.rstrip("/")
        return f"{request.url.scheme}://{request.url.netloc}"

    def require_write(self, request: Request) -> None:
        """403 when writes are disabled, 401 unless the request carries the write token."""
        token = self.settings.write_token
        if not token:
            raise Problem(403, "this server is read-only: no write token is configured")
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not given:
            raise Problem(401, "writes need an 'Authorization: Bearer <token>' header")
        if not hmac.compare_digest(given.strip().encode(), token.encode()):
            raise Problem(401, "the bearer token is not valid")


def context(request: Request) -> Context:
    """The :class:`Context` of the app serving ``request``."""
    return request.app.state.pressgraph  # type: ignore[no-any-return]
