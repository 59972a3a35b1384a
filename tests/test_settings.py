"""Settings: defaults, environment overrides with casts, and clear messages for bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

from pressgraph.errors import ConfigError
from pressgraph.settings import Settings


def test_defaults_are_read_only_and_local() -> None:
    s = Settings.from_env({})
    assert s.write_token is None
    assert s.host == "127.0.0.1"
    assert s.base_iri == "https://data.example.org/"


def test_environment_is_cast_to_field_types() -> None:
    s = Settings.from_env(
        {
            "PRESSGRAPH_MAX_ROWS": "5",
            "PRESSGRAPH_QUERY_TIMEOUT": "1.5",
            "PRESSGRAPH_CORS_ORIGINS": "https://a.example, https://b.example",
            "PRESSGRAPH_STORE_PATH": "/tmp/store",
            "PRESSGRAPH_WRITE_TOKEN": "s3cret",
        }
    )
    assert s.max_rows == 5
    assert s.query_timeout == 1.5
    assert s.cors_origins == ("https://a.example", "https://b.example")
    assert s.store_path == Path("/tmp/store")
    assert s.write_token == "s3cret"


def test_flags_override_environment() -> None:
    s = Settings.from_env({"PRESSGRAPH_MAX_ROWS": "5"}, max_rows=7)
    assert s.max_rows == 7


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PRESSGRAPH_MAX_ROWS": "many"}, "PRESSGRAPH_MAX_ROWS='many' is not a valid int"),
        ({"PRESSGRAPH_QUERY_TIMEOUT": "-1"}, "query_timeout must be positive"),
        ({"PRESSGRAPH_BASE_IRI": "https://x.example"}, "base_iri must end with '/'"),
    ],
)
def test_bad_values_name_the_setting(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Settings.from_env(env)


def test_unknown_override_is_refused() -> None:
    with pytest.raises(ConfigError, match="unknown setting"):
        Settings.from_env({}, colour="blue")


def test_relative_paths_resolve_under_the_root(tmp_path: Path) -> None:
    s = Settings.from_env({}, root=tmp_path)
    assert s.resolve(s.store_path) == tmp_path / ".pressgraph" / "store"
