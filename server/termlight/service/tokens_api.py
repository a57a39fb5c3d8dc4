"""Named tokens over the API, for admins: the same as `termlight token add|list|revoke`.

A new token is in the answer to POST once; only its SHA-256 is kept. Changes reach every
worker and host within a second (the `tokens` revision; see auth.TokenTable).
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from termlight.service import current
from termlight.service.problems import ApiError
from termlight.service.roles import requires
from termlight.service.writes import json_object, text_field
from termlight.store import tokens

bp = Blueprint("tokens", __name__, url_prefix="/v1")


def _no_store(resp: Response) -> Response:
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.get("/tokens")
@requires("admin")
def list_tokens():
    return _no_store(jsonify({"tokens": tokens.listing(current.database())}))


@bp.post("/tokens")
@requires("admin")
def add_token():
    body = json_object(("name", "role"))
    for key in ("name", "role"):
        text_field(body, key, required=True, limit=64)  # a string, not blank
    name, role = body["name"], body["role"]  # checked as sent, like the document's pattern
    try:
        token = tokens.add(current.database(), name, role)
    except tokens.TokenError as err:
        raise ApiError("conflict" if "exists" in str(err) else "invalid-request", str(err)) from None
    resp = jsonify({"name": name, "role": role, "token": token})
    resp.status_code = 201
    return _no_store(resp)


@bp.delete("/tokens/<name>")
@requires("admin")
def revoke_token(name: str):
    try:
        tokens.revoke(current.database(), name)
    except tokens.TokenError as err:
        raise ApiError("not-found", str(err)) from None
    return _no_store(Response(status=204))
