"""Assertions about RFC 9457 problem responses, shared by the service test suites."""

from __future__ import annotations

PROBLEM_MIME = "application/problem+json"


def check_problem(status_code: int, content_type: str, body: dict, status: int,
                  field: str | None = None) -> dict:
    """Every error must be problem+json with the RFC 9457 members and the right status."""
    assert status_code == status, body
    assert content_type.split(";")[0].strip() == PROBLEM_MIME, content_type
    assert {"type", "title", "status", "detail"} <= body.keys(), body
    assert body["status"] == status
    assert isinstance(body["title"], str) and body["title"]
    assert isinstance(body["detail"], str) and body["detail"]
    if field is not None:
        assert body.get("field") == field, body
    return body


def assert_problem(resp, status: int, field: str | None = None) -> dict:
    """The same check for a Flask test-client response."""
    return check_problem(resp.status_code, resp.headers.get("Content-Type", ""),
                         resp.get_json(force=True), status, field)
