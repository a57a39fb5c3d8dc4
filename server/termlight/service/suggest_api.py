"""Suggestions: readers propose terms and better definitions; editors approve or reject.

A reader sees their own suggestions (by token name) and their state; an editor sees
the whole queue. Approving writes the (optionally edited) term into the team
glossary in the same transaction that closes the suggestion.
"""

from __future__ import annotations

import re

from flask import Blueprint, jsonify, request

from termlight.loader import slugify
from termlight.service import current
from termlight.service.problems import ApiError
from termlight.service.roles import identity, requires
from termlight.service.validation import query_param
from termlight.service.writes import (HTTP_URL, TERM_FIELDS, json_object, store_errors,
                                      stored_term, text_field, validator, written)
from termlight.store import suggestions, team

bp = Blueprint("suggest", __name__, url_prefix="/v1")

SUGGEST_FIELDS = ("kind", "term", "definition", "aliases", "source_url", "term_id", "comment")
DECIDE_FIELDS = (*TERM_FIELDS, "note")
URL = re.compile(HTTP_URL)
MAX_ALIASES = 50


def _aliases(body: dict) -> list[str]:
    value = body.get("aliases", [])
    if not isinstance(value, list) or len(value) > MAX_ALIASES:
        raise ApiError("invalid-request", f"Must be an array of at most {MAX_ALIASES} strings.",
                       field="aliases")
    out = []
    for i, item in enumerate(value):
        field = f"aliases[{i}]"
        item = text_field({field: item}, field, limit=200)  # blank ones are dropped
        if item:
            out.append(item)
    return out


@bp.post("/suggestions")
@requires("reader")
def suggest():
    body = json_object(SUGGEST_FIELDS)
    kind = body.get("kind", "new")
    if kind not in suggestions.KINDS:
        raise ApiError("invalid-request", f"One of {', '.join(suggestions.KINDS)}.", field="kind")
    term = text_field(body, "term", required=True, limit=200)
    definition = text_field(body, "definition", required=(kind == "new"), limit=5000)
    source_url = text_field(body, "source_url", limit=2000, nullable=True) or None
    if source_url is not None and not URL.match(body["source_url"]):  # as sent: no spaces around
        raise ApiError("invalid-request", "Must be an http(s) URL.", field="source_url")
    term_id = text_field(body, "term_id", limit=200, nullable=True) or None
    if kind != "new" and term_id is None:
        raise ApiError("invalid-request", "Say which term this is about.", field="term_id")
    row = suggestions.add(current.database(), kind=kind, term=term, definition=definition,
                          aliases=_aliases(body), source_url=source_url, term_id=term_id,
                          comment=text_field(body, "comment", limit=2000),
                          author=identity().name)
    resp = jsonify(row)
    resp.status_code = 201
    resp.headers["Location"] = f"/v1/suggestions/{row['id']}"
    return resp


@bp.get("/suggestions")
@requires("reader")
def list_suggestions():
    state = query_param("state")
    if state is not None and state not in suggestions.STATES:
        raise ApiError("invalid-request", f"One of {', '.join(suggestions.STATES)}.", field="state")
    who = identity()
    author = None if who.may("editor") else who.name
    rows = suggestions.listing(current.database(), state=state, author=author)
    resp = jsonify({"suggestions": rows, "count": len(rows), "scope": "own" if author else "all"})
    resp.headers["Cache-Control"] = "no-store"
    return resp


def _approved_term(found: dict, body: dict) -> dict:
    """The suggestion as a term, with the editor's changes on top."""
    existing = None
    if found["term_id"]:
        term = current.snapshot().glossary.terms.get(found["term_id"])
        if term is not None and term.glossary != team.TEAM_ID and "id" not in body:
            raise ApiError("conflict", f"{found['term_id']!r} comes from a read-only glossary "
                                       "file; give a new id to add a team term instead.",
                           field="id")
        existing = team.canonical(term) if term is not None else None
    raw = dict(existing or {"id": found["term_id"] or slugify(found["term"]),
                            "term": found["term"], "aliases": found["aliases"]})
    if found["definition"]:
        raw["definition"] = found["definition"]
    if found["source_url"] and not raw.get("url"):
        raw["url"] = found["source_url"]
    raw.update({k: v for k, v in body.items() if k != "note"})
    return stored_term({k: v for k, v in raw.items() if v is not None})


@bp.post("/suggestions/<int:suggestion_id>/approve")
@requires("editor")
def approve(suggestion_id: int):
    body = json_object(DECIDE_FIELDS, optional=True)
    found = suggestions.get(current.database(), suggestion_id)
    if found is None:
        raise ApiError("not-found", f"No suggestion {suggestion_id}.")
    data = _approved_term(found, body)
    with store_errors():
        row, action = suggestions.approve(current.database(), suggestion_id, data,
                                          identity().name, text_field(body, "note", limit=2000),
                                          validator(), if_match=request.headers.get("If-Match"))
    written()
    resp = jsonify({"suggestion": row, "action": action, "term": team.public(data)})
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.post("/suggestions/<int:suggestion_id>/reject")
@requires("editor")
def reject(suggestion_id: int):
    body = json_object(("note",), optional=True)
    with store_errors():
        row = suggestions.reject(current.database(), suggestion_id, identity().name,
                                 text_field(body, "note", limit=2000))
    resp = jsonify(row)
    resp.headers["Cache-Control"] = "no-store"
    return resp
