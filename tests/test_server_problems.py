"""One error shape everywhere: problem+json, the status table, and no stack trace ever."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from pressgraph import errors
from pressgraph.project import Project
from pressgraph.server import create_app
from pressgraph.server.problems import KINDS, PROBLEM_MEDIA_TYPE, from_error, status_for


def _is_problem(response: object, status: int) -> dict[str, object]:
    assert response.status_code == status  # type: ignore[attr-defined]
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE  # type: ignore[attr-defined]
    doc = response.json()  # type: ignore[attr-defined]
    assert {"type", "title", "status", "detail"} <= set(doc)
    assert doc["status"] == status
    assert doc["type"].startswith("/problems#")
    assert doc["type"].split("#")[1] in KINDS
    return doc  # type: ignore[no-any-return]


def test_every_error_class_has_a_status_and_a_kind() -> None:
    classes = [getattr(errors, name) for name in errors.__all__]
    for cls in classes:
        assert issubclass(cls, errors.PressgraphError)
        assert cls.kind in KINDS, cls
    samples = {
        errors.QueryNotFound: errors.QueryNotFound("x", ["y"]),
        errors.ValidationFailed: errors.ValidationFailed("no", report=_EmptyReport()),
        errors.ParameterError: errors.ParameterError("bad", "p"),
    }
    for cls in classes:
        exc = samples.get(cls) or cls("message")
        problem = from_error(exc)
        assert problem.status == status_for(exc)
        assert 400 <= problem.status < 600


class _EmptyReport:
    findings: tuple[object, ...] = ()

    def counts(self) -> dict[str, int]:
        return {"Violation": 0, "Warning": 0, "Info": 0}


@pytest.mark.parametrize(
    ("path", "status"),
    [("/nothing-here", 404), ("/queries/no-such-query", 404), ("/dumps/none.ttl", 404)],
)
def test_not_found_is_a_problem(server_client: TestClient, path: str, status: int) -> None:
    _is_problem(server_client.get(path), status)


def test_method_not_allowed_is_a_problem(server_client: TestClient) -> None:
    _is_problem(server_client.delete("/"), 405)
    _is_problem(server_client.put("/sparql"), 405)


def test_unknown_query_suggests_close_names(server_client: TestClient) -> None:
    doc = _is_problem(server_client.get("/queries/evnts"), 404)
    assert doc["didYouMean"] == ["events", "has-events"]


def test_internal_errors_say_nothing_about_internals(
    server_project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = create_app(server_project)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret path /etc/passwd and a traceback")

    monkeypatch.setattr("pressgraph.server.pages._counts", broken)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/")
    doc = _is_problem(response, 500)
    assert "secret" not in response.text
    assert "Traceback" not in response.text
    assert "RuntimeError" not in response.text
    assert doc["type"] == "/problems#internal-error"


def test_config_errors_hide_their_message(server_project: Project) -> None:
    problem = from_error(errors.ConfigError("the store at /secret/path is broken"))
    assert problem.status == 500
    assert "/secret/path" not in problem.detail


def test_problems_page_documents_every_kind(server_client: TestClient) -> None:
    page = server_client.get("/problems")
    assert page.status_code == 200
    for kind in KINDS:
        assert f'id="{kind}"' in page.text


def test_head_errors_have_no_body(server_client: TestClient) -> None:
    response = server_client.head("/id/nothing-at-all", headers={"Accept": "text/turtle"})
    assert response.status_code == 404
    assert response.content == b""
