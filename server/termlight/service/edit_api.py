"""Editing the team glossary: PUT and DELETE /v1/terms/{id}, history and undo (editors).

Terms from glossary files are read-only here (409): they change in git. Every write
checks If-Match against the stored term in the same transaction as the write, so of
two editors who read the same version, exactly one succeeds and the other gets 412.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from termlight.service import current
from termlight.service.problems import ApiError, safe_text
from termlight.service.roles import identity, requires
from termlight.service.writes import (TERM_FIELDS, json_object, store_errors, stored_term,
                                      validator, written)
from termlight.store import team

bp = Blueprint("edit", __name__, url_prefix="/v1")


def _not_from_a_file(term_id: str) -> None:
    term = current.snapshot().glossary.terms.get(term_id)
    if term is not None and term.glossary != team.TEAM_ID:
        raise ApiError("conflict", f"{safe_text(term_id, 80)!r} comes from the glossary file "
                                   f"{term.glossary!r}, which is read-only here; change it in git.",
                       field="id")


def term_response(data: dict, status: int = 200) -> Response:
    resp = jsonify(team.public(data))
    resp.status_code = status
    resp.headers["ETag"] = team.etag_of(data)
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.put("/terms/<term_id>")
@requires("editor")
def put_term(term_id: str):
    body = json_object(TERM_FIELDS)
    if "id" in body and body["id"] != term_id:
        raise ApiError("invalid-request", "The id in the body differs from the one in the path.",
                       field="id")
    _not_from_a_file(term_id)
    data = stored_term({**body, "id": term_id})
    with store_errors():
        action, _ = team.write(current.database(), term_id, data, identity().name, validator(),
                               if_match=request.headers.get("If-Match"),
                               if_none_match=request.headers.get("If-None-Match"))
    written()
    resp = term_response(data, 201 if action == "create" else 200)
    if action == "create":
        resp.headers["Location"] = f"/v1/terms/{term_id}"
    return resp


@bp.delete("/terms/<term_id>")
@requires("editor")
def delete_term(term_id: str):
    _not_from_a_file(term_id)
    with store_errors():
        team.write(current.database(), term_id, None, identity().name, validator(),
                   if_match=request.headers.get("If-Match"), require_match=False)
    written()
    return Response(status=204)


@bp.get("/terms/<term_id>/history")
@requires("editor")
def term_history(term_id: str):
    changes = team.history(current.database(), term_id)
    if not changes and term_id not in current.snapshot().glossary.terms:
        raise ApiError("not-found", f"No term with id {safe_text(term_id, 80)!r}.", field="id")
    resp = jsonify({"term_id": term_id, "changes": changes})
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.post("/history/<int:seq>/undo")
@requires("editor")
def undo_change(seq: int):
    with store_errors():
        change, (action, data) = team.undo(current.database(), seq, identity().name, validator())
    written()
    resp = jsonify({"undone": change["seq"], "term_id": change["term_id"], "action": action,
                    "term": None if data is None else team.public(data)})
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.get("/me")
def me():
    """Who the token belongs to and its role (the pages and the extension adapt to it)."""
    resp = jsonify(identity().to_dict())
    resp.headers["Cache-Control"] = "no-store"
    return resp
