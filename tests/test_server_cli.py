"""``pressgraph serve``: flags, the write token from the environment, and ``--get`` in-process."""

from __future__ import annotations

from pathlib import Path

import pytest

from pressgraph.cli import main
from pressgraph.errors import ConfigError
from pressgraph.server.serve import serve_settings
from pressgraph.settings import Settings


def test_get_answers_one_request(
    server_root: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    code = main(["-C", str(server_root), "serve", "--get", "/id/event/series.ttl"])
    out = capsysbinary.readouterr().out
    assert code == 0
    assert b"<https://data.example.org/id/event/series>" in out or b"event:series" in out


def test_get_with_headers_and_accept(
    server_root: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    code = main(
        [
            "-C",
            str(server_root),
            "serve",
            "--get",
            "/sparql?query=ASK%7B%7D",
            "--accept",
            "application/sparql-results+json",
            "--headers",
        ]
    )
    out = capsysbinary.readouterr().out
    assert code == 0
    assert out.startswith(b"HTTP 200\n")
    assert b"content-type: application/sparql-results+json" in out
    assert b'"boolean": true' in out


def test_get_of_a_missing_page_exits_1(
    server_root: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert main(["-C", str(server_root), "serve", "--get", "/nothing"]) == 1
    assert b"problems#not-found" in capsysbinary.readouterr().out


def test_serve_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    base = Settings()
    assert base.host == "127.0.0.1"
    monkeypatch.setenv("MY_TOKEN", "s3cret")
    s = serve_settings(
        base,
        host="0.0.0.0",
        port=9000,
        base_iri="https://x.example/",
        token_env="MY_TOKEN",
        workers=1,
    )
    assert (s.host, s.port, s.base_iri, s.write_token, s.query_workers) == (
        "0.0.0.0",
        9000,
        "https://x.example/",
        "s3cret",
        1,
    )
    monkeypatch.delenv("MY_TOKEN")
    with pytest.raises(ConfigError, match="MY_TOKEN"):
        serve_settings(base, token_env="MY_TOKEN")


def test_missing_token_variable_is_an_error(
    server_root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_SUCH_TOKEN", raising=False)
    code = main(["-C", str(server_root), "serve", "--token-env", "NO_SUCH_TOKEN", "--get", "/"])
    assert code == 2
    assert "NO_SUCH_TOKEN" in capsys.readouterr().err


def test_help_documents_every_flag(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--help"]) == 0
    text = capsys.readouterr().out
    for flag in ("--host", "--port", "--base-iri", "--token-env", "--workers", "--get", "--accept"):
        assert flag in text
