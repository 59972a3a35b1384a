"""Settings as data: one frozen object, defaults here, overridable by environment and flags.

Nothing is read at import time; call :meth:`Settings.from_env`.
Environment variables are ``PRESSGRAPH_<FIELD>`` in upper case (``PRESSGRAPH_BASE_IRI``).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .namespaces import BASE

__all__ = ["Settings"]


@dataclass(frozen=True)
class Settings:
    """Every setting of pressgraph, with its default."""

    #: the project folder (holds ontology/ data/ shapes/ queries/)
    root: Path = field(default_factory=Path.cwd)
    #: the base IRI the data was minted under
    base_iri: str = BASE
    #: where the embedded store lives (relative paths are under ``root``)
    store_path: Path = Path(".pressgraph/store")
    #: where ``build`` writes dumps (relative paths are under ``root``)
    dist_path: Path = Path("dist")
    #: seconds a query may run before it is stopped
    query_timeout: float = 10.0
    #: the most rows a SELECT returns
    max_rows: int = 10_000
    #: the largest request body the server accepts, in bytes
    max_body_bytes: int = 10 * 1024 * 1024
    #: token that enables writes on the server; ``None`` keeps it read-only
    write_token: str | None = None
    #: origins allowed by CORS (default: anonymous read from anywhere)
    cors_origins: tuple[str, ...] = ("*",)
    host: str = "127.0.0.1"
    port: int = 8080
    #: public address the server answers at; ``None``: derived from host and port
    public_url: str | None = None
    #: worker processes that evaluate SPARQL for the server (0: threads in the server process,
    #: whose time limit cannot stop a running query; for tests and debugging)
    query_workers: int = 2
    #: how many query results and rendered pages the server keeps for repeated requests
    #: (keyed by the dataset's write generation, so a write never serves stale ones; 0: none)
    response_cache: int = 512

    def __post_init__(self) -> None:
        if not self.base_iri.endswith("/"):
            raise ConfigError(f"base_iri must end with '/': {self.base_iri!r}")
        if self.query_timeout <= 0:
            raise ConfigError(f"query_timeout must be positive, got {self.query_timeout}")
        if self.max_rows <= 0:
            raise ConfigError(f"max_rows must be positive, got {self.max_rows}")
        if self.query_workers < 0:
            raise ConfigError(f"query_workers must be 0 or more, got {self.query_workers}")
        if self.response_cache < 0:
            raise ConfigError(f"response_cache must be 0 or more, got {self.response_cache}")

    def resolve(self, path: Path) -> Path:
        """``path`` made absolute against the project root."""
        return path if path.is_absolute() else self.root / path

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from ``PRESSGRAPH_*`` variables, then ``overrides`` (flags) on top.

        >>> Settings.from_env({"PRESSGRAPH_MAX_ROWS": "5"}).max_rows
        5
        """
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            key = f"PRESSGRAPH_{f.name.upper()}"
            if key in env:
                values[f.name] = _cast(key, env[key], f.type)
        values.update({k: v for k, v in overrides.items() if v is not None})
        unknown = set(values) - {f.name for f in dataclasses.fields(cls)}
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        if "root" in values:
            values["root"] = Path(values["root"]).resolve()
        return cls(**values)


def _cast(key: str, raw: str, type_name: Any) -> Any:
    """Cast an environment string to the field's type, naming the key when it fails."""
    t = str(type_name)
    try:
        if t.startswith("int"):
            return int(raw)
        if t.startswith("float"):
            return float(raw)
        if "Path" in t:
            return Path(raw)
        if t.startswith("tuple"):
            return tuple(part.strip() for part in raw.split(",") if part.strip())
        return raw or None if "None" in t else raw
    except ValueError as exc:
        raise ConfigError(f"{key}={raw!r} is not a valid {t}") from exc
