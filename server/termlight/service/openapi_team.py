"""The team-glossary part of /openapi.json: editing, history, undo, suggestions, identity.

Each operation says the role it needs (`x-role`); editor routes always declare the
bearer scheme, since an anonymous caller can never use them.
"""

from __future__ import annotations

from termlight.service.openapi import _json, _op, _ref, _string_list
from termlight.service.writes import HTTP_URL, NON_BLANK
from termlight.store import suggestions, tokens
from termlight.store.team import MAX_ID

BODY_ERRORS = ("invalid-json", "request-timeout", "too-large", "unsupported-media-type",
               "invalid-request")


def _schemas() -> dict:
    text = {"type": "string", "pattern": NON_BLANK}
    stored = {"type": "object", "required": ["term", "definition"], "properties": {
        "id": {"type": "string", "description": "If given, the same as the path's."},
        "term": text, "definition": text,
        "aliases": {"type": ["array", "null"], "items": text},
        "url": {"type": ["string", "null"], "pattern": "^https?://\\S+$"},
        "related": {"type": ["array", "null"], "items": text,
                    "description": "Ids of existing terms."},
        "tags": {"type": ["array", "null"], "items": text},
        "case_sensitive": {"type": ["boolean", "null"]},
        "ambiguous": {"type": ["boolean", "array", "null"], "items": text,
                      "description": "true, or the forms that are also ordinary words."},
        "exclude": {"type": ["array", "null"], "items": text,
                    "description": "Longer forms, each holding one of the term's, that must "
                                   "not produce it."}},
        "additionalProperties": False,
        "description": "A term in the glossary file format; checked like `termlight check`."}
    suggestion = {"type": "object", "properties": {
        "id": {"type": "integer"}, "kind": {"type": "string", "enum": list(suggestions.KINDS)},
        "term": {"type": "string"}, "definition": {"type": "string"},
        "aliases": _string_list(), "source_url": {"type": ["string", "null"]},
        "term_id": {"type": ["string", "null"]}, "comment": {"type": "string"},
        "author": {"type": "string", "description": "The name of the token that sent it."},
        "created_at": {"type": "string"},
        "state": {"type": "string", "enum": list(suggestions.STATES)},
        "decided_by": {"type": ["string", "null"]}, "decided_at": {"type": ["string", "null"]},
        "note": {"type": "string"}, "result_term_id": {"type": ["string", "null"]}},
        "required": ["id", "kind", "term", "definition", "aliases", "state", "author"]}
    change = {"type": "object", "required": ["seq", "term_id", "action", "before", "after",
                                             "actor", "at"], "properties": {
        "seq": {"type": "integer"}, "term_id": {"type": "string"},
        "action": {"type": "string", "enum": ["create", "update", "delete"]},
        "before": {"type": ["object", "null"]}, "after": {"type": ["object", "null"]},
        "actor": {"type": "string"}, "at": {"type": "string"},
        "undoes": {"type": ["integer", "null"]}}}
    note = {"type": "string", "maxLength": 2000}
    return {
        "TeamTerm": stored,
        "Suggestion": suggestion,
        "SuggestionRequest": {
            "type": "object", "required": ["term"], "additionalProperties": False,
            "properties": {
                "kind": {"type": "string", "enum": list(suggestions.KINDS), "default": "new"},
                "term": {**text, "maxLength": 200},
                "definition": {"type": "string", "maxLength": 5000},
                "aliases": {"type": "array", "maxItems": 50,
                            "items": {"type": "string", "maxLength": 200}},
                "source_url": {"type": ["string", "null"], "maxLength": 2000,
                               "pattern": f"^$|{HTTP_URL}",
                               "description": "The page it was met on (optional)."},
                "term_id": {"type": ["string", "null"], "maxLength": 200,
                            "description": "The term a better definition is for."},
                "comment": {"type": "string", "maxLength": 2000}},
            "anyOf": [{"properties": {"kind": {"const": "new"},
                                      "definition": {"pattern": NON_BLANK}},
                       "required": ["definition"]},
                      {"properties": {"kind": {"enum": ["better-definition", "wrong-meaning"]},
                                      "term_id": {"type": "string", "pattern": NON_BLANK}},
                       "required": ["kind", "term_id"]}]},
        "Approval": {**stored, "required": [], "properties": {**stored["properties"],
                                                              "note": note},
                     "description": "Changes to the suggested term before it is written."},
        "Rejection": {"type": "object", "properties": {"note": note},
                      "additionalProperties": False},
        "History": {"type": "object", "required": ["term_id", "changes"], "properties": {
            "term_id": {"type": "string"}, "changes": {"type": "array", "items": change}}},
        "SuggestionList": {"type": "object", "required": ["suggestions", "count", "scope"],
                           "properties": {"suggestions": {"type": "array",
                                                          "items": _ref("Suggestion")},
                                          "count": {"type": "integer"},
                                          "scope": {"type": "string", "enum": ["own", "all"]}}},
        "NewToken": {"type": "object", "required": ["name", "role"], "additionalProperties": False,
                     "properties": {"name": {"type": "string", "pattern": TOKEN_NAME},
                                    "role": {"type": "string", "enum": list(tokens.ROLES)}}},
        "TokenList": {"type": "object", "required": ["tokens"], "properties": {"tokens": {
            "type": "array", "items": {"type": "object", "required": ["name", "role", "created_at"],
                                       "properties": {"name": {"type": "string"},
                                                      "role": {"type": "string"},
                                                      "created_at": {"type": "string"}}}}}},
        "Identity": {"type": "object", "required": ["name", "role", "anonymous"], "properties": {
            "name": {"type": "string"}, "role": {"type": "string",
                                                 "enum": ["reader", "editor", "admin"]},
            "anonymous": {"type": "boolean"}}},
    }


# Examples (tests/service/test_openapi.py checks each against its schema).
FLAG_BODY = {"term": "Feature flag", "aliases": ["flag"],
             "definition": "A switch that turns a piece of code on or off without a deploy.",
             "tags": ["release"]}
FLAG = {"id": "feature-flag", "term": "Feature flag", "aliases": ["flag"],
        "definition": FLAG_BODY["definition"], "url": None, "related": [], "tags": ["release"],
        "glossary": "team"}
STORED = {k: FLAG[k] for k in ("id", "term", "aliases", "definition", "url", "related", "tags")}
SUGGESTION_BODY = {"term": "Blue-green deploy", "definition": "Two copies of production; traffic "
                   "switches from one to the other at once.", "aliases": ["blue/green"],
                   "source_url": "https://wiki.example.org/releases"}
SUGGESTION = {"id": 7, "kind": "new", **SUGGESTION_BODY, "term_id": None, "comment": "",
              "author": "rita", "created_at": "2026-11-30T17:46:21.729Z", "state": "pending",
              "decided_by": None, "decided_at": None, "note": "", "result_term_id": None}
APPROVED = {**SUGGESTION, "state": "approved", "decided_by": "erin",
            "decided_at": "2026-11-30T18:02:10.001Z", "result_term_id": "blue-green-deploy"}
CHANGE = {"seq": 12, "term_id": "feature-flag", "action": "update",
          "before": {**STORED, "definition": "A switch."}, "after": STORED, "actor": "erin",
          "at": "2026-11-30T18:05:00.000Z", "undoes": None}


def _body_examples(summary: str, value: dict) -> dict:
    return {"example": {"summary": summary, "value": value}}


TERM_ETAG = {"ETag": {"required": True, "schema": {"type": "string"}}}
IF_MATCH = {"name": "If-Match", "in": "header", "required": False, "schema": {"type": "string"},
            "description": "The term's ETag from a GET; needed to replace or delete safely."}


TOKEN_NAME = tokens.NAME.pattern
BODY_EXAMPLES = {"NewToken": {"name": "erin", "role": "editor"},"TeamTerm": FLAG_BODY, "SuggestionRequest": SUGGESTION_BODY,
                 "Approval": {"definition": "Two copies of production; traffic moves at once.",
                              "note": "Tightened the definition."},
                 "Rejection": {"note": "We already have this as 'Canary'."}}


def _operation(summary: str, role: str, auth: bool, responses: dict, *slugs: str,
               params: list | None = None, body: str | None = None, optional: bool = False) -> dict:
    op: dict = {"summary": f"{summary} ({role})", "x-role": role, "responses": responses}
    if params:
        op["parameters"] = params
        if any(p["in"] in ("path", "query") for p in params):
            # A long enough id or query makes the request line too long for gunicorn.
            slugs = (*slugs, "uri-too-long")
    if body:
        op["requestBody"] = {"required": not optional, "content": {
            "application/json": {"schema": _ref(body), "examples": _body_examples(
                f"A {body} body", BODY_EXAMPLES[body])}}}
        slugs = (*slugs, *BODY_ERRORS)
    slugs = (*slugs, "unavailable")
    if role != "reader" or auth:
        op["security"] = [{"bearerAuth": []}]
        slugs = (*slugs, "unauthorized")
    if role != "reader":
        slugs = (*slugs, "forbidden")
    _op(op, *slugs)
    if "401" in op["responses"]:
        op["responses"]["401"]["headers"] = {
            "WWW-Authenticate": {"required": True, "schema": {"type": "string"}}}
    return op


def add_team_api(doc: dict, auth: bool) -> None:
    """Add the team routes and their schemas to a document from openapi.build_openapi."""
    doc["components"]["schemas"].update(_schemas())
    term_id = {"name": "term_id", "in": "path", "required": True, "schema": {"type": "string"}}
    number = {"type": "integer", "minimum": 0, "maximum": MAX_ID}
    seq = {"name": "seq", "in": "path", "required": True, "schema": number}
    sid = {"name": "suggestion_id", "in": "path", "required": True, "schema": number}
    term_ok = _json(_ref("Term"), "The term as written.", TERM_ETAG, FLAG)
    paths = doc["paths"]
    paths["/v1/terms/{term_id}"]["put"] = _operation(
        "Create or replace a team term", "editor", auth,
        {"200": term_ok, "201": _json(_ref("Term"), "Created.", TERM_ETAG, FLAG)},
        "conflict", "precondition-failed", "precondition-required", params=[term_id, IF_MATCH, {
            "name": "If-None-Match", "in": "header", "required": False,
            "schema": {"type": "string"}, "description": "`*`: only create."}],
        body="TeamTerm")
    paths["/v1/terms/{term_id}"]["delete"] = _operation(
        "Delete a team term", "editor", auth, {"204": {"description": "Deleted."}},
        "not-found", "conflict", "precondition-failed", "invalid-request",
        params=[term_id, IF_MATCH])
    paths["/v1/terms/{term_id}/history"] = {"get": _operation(
        "A term's changes, newest first", "editor", auth,
        {"200": _json(_ref("History"), "History", None,
                      {"term_id": "feature-flag", "changes": [CHANGE]})}, "not-found", params=[term_id])}
    paths["/v1/history/{seq}/undo"] = {"post": _operation(
        "Undo one change (as a new change)", "editor", auth,
        {"200": _json({"type": "object"}, "The term now (null if the undo deleted it).", None,
                      {"undone": 12, "term_id": "feature-flag", "action": "update",
                       "term": {**FLAG, "definition": "A switch."}})},
        "not-found", "conflict", "invalid-request", params=[seq])}
    paths["/v1/suggestions"] = {
        "post": _operation("Suggest a term or a better definition", "reader", auth,
                           {"201": _json(_ref("Suggestion"), "Queued for review.", None, SUGGESTION)},
                           body="SuggestionRequest"),
        "get": _operation("Suggestions: a reader's own, or every one for an editor", "reader",
                          auth, {"200": _json(_ref("SuggestionList"), "Oldest first", None,
                                            {"suggestions": [SUGGESTION], "count": 1,
                                             "scope": "own"})},
                          "invalid-request", params=[{
                              "name": "state", "in": "query", "required": False,
                              "schema": {"type": "string", "enum": list(suggestions.STATES)}}])}
    paths["/v1/suggestions/{suggestion_id}/approve"] = {"post": _operation(
        "Approve (optionally edited): the term joins the team glossary", "editor", auth,
        {"200": _json({"type": "object"}, "The suggestion and the term written.", None,
                      {"suggestion": APPROVED, "action": "create",
                       "term": {**FLAG, "id": "blue-green-deploy", "term": "Blue-green deploy"}})},
        "not-found", "conflict", "precondition-failed", params=[sid, IF_MATCH], body="Approval",
        optional=True)}
    paths["/v1/suggestions/{suggestion_id}/reject"] = {"post": _operation(
        "Reject with a note", "editor", auth, {"200": _json(_ref("Suggestion"), "Rejected.", None,
                                {**SUGGESTION, "state": "rejected", "decided_by": "erin",
                                 "note": "We already have this as 'Canary'."})},
        "not-found", "conflict", params=[sid], body="Rejection", optional=True)}
    name = {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}
    paths["/v1/tokens"] = {
        "get": _operation("Named tokens: names and roles, never the tokens", "admin", auth,
                          {"200": _json(_ref("TokenList"), "Every named token", None, {"tokens": [
                              {"name": "erin", "role": "editor",
                               "created_at": "2026-11-30T17:46:21.729Z"}]})}),
        "post": _operation("Create a named token (shown in this answer only)", "admin", auth,
                           {"201": _json({"type": "object"}, "The new token", None, {
                               "name": "erin", "role": "editor", "token": "tl_3x..."})},
                           "conflict", body="NewToken")}
    paths["/v1/tokens/{name}"] = {"delete": _operation(
        "Revoke a named token", "admin", auth, {"204": {"description": "Revoked."}}, "not-found",
        params=[name])}
    paths["/review"] = {"get": _op({"summary": "The review and edit page (editors)", "responses": {
        "200": {"description": "An HTML page.", "content": {"text/html": {
            "schema": {"type": "string"}}}}}})}
    paths["/v1/me"] = {"get": _operation("Who this token is and its role", "reader", auth,
                                         {"200": _json(_ref("Identity"), "The caller", None,
                                                       {"name": "rita", "role": "reader",
                                                        "anonymous": False})})}
    doc["components"]["securitySchemes"] = {"bearerAuth": {
        "type": "http", "scheme": "bearer",
        "description": "A named token (`termlight token add`, role reader, editor or admin) or "
                       "one of TERMLIGHT_API_TOKEN (role reader)."}}
