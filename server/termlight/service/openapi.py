"""The OpenAPI 3.1 document served at /openapi.json (and rendered by /docs).

Built per request from the live settings and glossary, so limits (TERMLIGHT_MAX_TEXTS)
and the list of glossary ids are what this server really accepts. The MatchRequest schema is
generated from the body's model (match_request.py); tests/service check that the schemas here
agree with the checks and with real responses.
"""

from __future__ import annotations

from typing import Collection

import termlight
from termlight.engine.offsets import UNITS
from termlight.glossary import SEARCH_RULE
from termlight.service import openapi_examples as ex
from termlight.service.match_request import match_request_schema
from termlight.service.problems import PROBLEM_MIME, PROBLEM_TYPES, type_uri

REF = "#/components/schemas/"


def _ref(name: str) -> dict:
    return {"$ref": REF + name}


def _string_list() -> dict:
    return {"type": "array", "items": {"type": "string"}}


def _schemas(max_texts: int, glossary_ids: Collection[str]) -> dict:
    matches = {"type": "array", "items": _ref("Match"),
               "description": "Sorted by start; never overlapping."}
    suppressed = {"type": "array", "description": "With `explain`: what the rules dropped from this text.",
                  "items": {"type": "object", "required": ["start", "end", "term_id", "text", "reason"],
                            "properties": {"start": {"type": "integer", "minimum": 0},
                                           "end": {"type": "integer", "minimum": 0},
                                           "term_id": {"type": "string"}, "text": {"type": "string"},
                                           "reason": {"type": "string", "enum": ["no context", "excluded"]}},
                            "additionalProperties": False}}
    context = {"type": "object", "required": ["needed", "found"], "additionalProperties": False,
               "description": "With `explain`: the context rule's threshold (0 when it is off) and, per "
                              "glossary, how many different terms were found by unambiguous forms.",
               "properties": {"needed": {"type": "integer", "minimum": 0},
                              "found": {"type": "object", "additionalProperties": {"type": "integer"}}}}
    common = {
        "terms": {"type": "object", "additionalProperties": _ref("Term"),
                  "description": "Each matched term (and each alternative) once, by id."},
        "offsets": {"type": "string", "enum": list(UNITS)},
        "glossary_version": {"type": "string"},
        "context": context,
    }
    return {
        "Problem": {
            "type": "object",
            "description": "RFC 9457 problem details; every error uses this shape.",
            "required": ["type", "title", "status", "detail"],
            "properties": {
                "type": {"type": "string", "description": "A reference to /docs#problem-<slug>, "
                                                           "or about:blank for plain HTTP errors."},
                "title": {"type": "string"},
                "status": {"type": "integer", "minimum": 400, "maximum": 599},
                "detail": {"type": "string"},
                "field": {"type": "string",
                          "description": "The offending field, e.g. `texts[3]` or `Authorization`."},
            },
            "additionalProperties": False,
        },
        "Term": {
            "type": "object",
            "required": ["id", "term", "aliases", "definition", "url", "related", "tags", "glossary"],
            "properties": {
                "id": {"type": "string"},
                "term": {"type": "string"},
                "aliases": _string_list(),
                "definition": {"type": "string", "description": "Plain text; render it as text."},
                "url": {"type": ["string", "null"]},
                "related": {**_string_list(), "description": "Ids of related terms."},
                "tags": _string_list(),
                "glossary": {"type": "string", "description": "The id of the glossary it came from."},
            },
            "additionalProperties": False,
        },
        "Match": {
            "type": "object",
            "required": ["start", "end", "term_id", "text", "why"],
            "properties": {
                "start": {"type": "integer", "minimum": 0},
                "end": {"type": "integer", "minimum": 0, "description": "Exclusive."},
                "term_id": {"type": "string"},
                "text": {"type": "string", "description": "The original text under the span."},
                "why": {"type": "string", "pattern": "^(term|alias)( plural)?( context| ambiguous)?$",
                        "description": "How it matched: the term's name or an alias, maybe its plural, "
                                       "and for an ambiguous form `context` (the context rule held) or "
                                       "`ambiguous` (the rule was off)."},
                "alternatives": {**_string_list(), "description":
                                 "Terms of other glossaries that claim the same form."},
            },
            "additionalProperties": False,
        },
        "MatchRequest": match_request_schema(max_texts, glossary_ids),
        "MatchResponse": {
            "type": "object",
            "required": ["matches", "terms", "offsets", "glossary_version"],
            "properties": {"matches": matches, "suppressed": suppressed, **common},
            "additionalProperties": False,
        },
        "BatchMatchResponse": {
            "type": "object",
            "required": ["results", "terms", "offsets", "glossary_version"],
            "properties": {
                "results": {"type": "array", "description": "One per input text, in order.",
                            "items": {"type": "object", "required": ["matches"],
                                      "properties": {"matches": matches, "suppressed": suppressed},
                                      "additionalProperties": False}},
                **common,
            },
            "additionalProperties": False,
        },
        "TermList": {
            "type": "object",
            "required": ["terms", "count", "glossary_version"],
            "properties": {"terms": {"type": "array", "items": _ref("Term")},
                           "count": {"type": "integer", "minimum": 0},
                           "glossary_version": {"type": "string"}},
            "additionalProperties": False,
        },
        "GlossaryList": {
            "type": "object",
            "required": ["glossaries", "glossary_version"],
            "properties": {
                "glossaries": {"type": "array", "items": {
                    "type": "object", "required": ["id", "name", "description", "terms"],
                    "properties": {"id": {"type": "string"}, "name": {"type": "string"},
                                   "description": {"type": "string"},
                                   "terms": {"type": "integer", "minimum": 0}},
                    "additionalProperties": False}},
                "glossary_version": {"type": "string"},
                "context_min": {"type": "integer", "minimum": 0, "description":
                                "How many different unambiguous terms of a glossary make its "
                                "ambiguous forms count (matching rule 9), for clients that keep "
                                "matches per text and apply the rule themselves."},
            },
            "additionalProperties": False,
        },
        "Health": {
            "type": "object",
            "required": ["status", "terms", "glossaries", "problems"],
            "properties": {
                "status": {"type": "string", "enum": ["ok", "degraded"]},
                "terms": {"type": "integer", "minimum": 0},
                "glossaries": {"type": "integer", "minimum": 0},
                "problems": {"type": "integer", "minimum": 0,
                             "description": "How many problems the latest load found."},
                "glossary_version": {"type": "string", "description":
                                     "Only with a valid token, or when no token is configured."},
                "errors": {**_string_list(), "description":
                           "Problems of the latest load; the last good glossary keeps serving. "
                           "Only with a valid token, or when no token is configured."},
            },
            "additionalProperties": False,
        },
    }


# On routes without a body, a problem type can only happen for a narrower reason than the
# table's general "when"; these say what it means there.
WITHOUT_BODY = {
    "invalid-request": "A query parameter has a value this server does not accept: a `glossary` "
                       "id it does not serve.",
}


def _problems(*slugs: str, when: dict[str, str] | None = None) -> dict:
    """Responses for these problem types, grouped by status, each with an example body."""
    by_status: dict[str, list[str]] = {}
    for slug in slugs:
        by_status.setdefault(str(PROBLEM_TYPES[slug][0]), []).append(slug)
    when = when or {}
    return {status: {
        "description": " ".join(f"{PROBLEM_TYPES[s][1]}: {when.get(s, PROBLEM_TYPES[s][2])}"
                                for s in group),
        "content": {PROBLEM_MIME: {"schema": _ref("Problem"), "example": ex.problem(group[0])}},
    } for status, group in sorted(by_status.items())}


# gunicorn itself answers a malformed HTTP request, oversized headers or a head that does not
# arrive in time, on any route; the Host check and the rate limit also apply to every route.
HTTP_LEVEL = ("bad-request", "request-timeout", "headers-too-large", "misdirected-request",
              "too-many-requests")


def _op(operation: dict, *slugs: str) -> dict:
    when = WITHOUT_BODY if "requestBody" not in operation else None
    operation["responses"].update(_problems(*HTTP_LEVEL, *slugs, when=when))
    return operation


def _json(schema: dict, description: str, headers: dict | None = None, example=None) -> dict:
    media: dict = {"schema": schema}
    if example is not None:
        media["example"] = example
    out = {"description": description, "content": {"application/json": media}}
    if headers:
        out["headers"] = headers
    return out


CACHE_HEADERS = {
    "ETag": {"required": True, "schema": {"type": "string"}},
    "Cache-Control": {"required": True, "schema": {"type": "string"}},
}
IF_NONE_MATCH = {"name": "If-None-Match", "in": "header", "required": False,
                 "schema": {"type": "string"},
                 "description": "An ETag from an earlier answer; 304 if still current."}


def _v1(operation: dict, auth: bool, *slugs: str) -> dict:
    if auth:
        operation["security"] = [{"bearerAuth": []}]
        slugs = (*slugs, "unauthorized")
    _op(operation, *slugs)
    if auth:
        operation["responses"]["401"]["headers"] = {
            "WWW-Authenticate": {"required": True, "schema": {"type": "string"}}}
    return operation


def _cached_get(summary: str, schema: dict, auth: bool, params: list, *statuses: str,
                example=None) -> dict:
    return _v1({
        "summary": summary,
        "parameters": [*params, IF_NONE_MATCH],
        "responses": {
            "200": _json(schema, "OK", CACHE_HEADERS, example),
            "304": {"description": "Not modified (the If-None-Match ETag is current).",
                    "headers": CACHE_HEADERS},
        },
    }, auth, *statuses)


def build_openapi(max_texts: int, glossary_ids: Collection[str], auth: bool) -> dict:
    glossary_param = {"name": "glossary", "in": "query", "required": False,
                      "description": "Only terms of this glossary.",
                      "schema": {"type": "string", **({"enum": sorted(glossary_ids)}
                                                      if glossary_ids else {})}}
    q_param = {"name": "q", "in": "query", "required": False,
               "description": f"The search: {SEARCH_RULE}. Empty lists every term.",
               "schema": {"type": "string"}}
    id_param = {"name": "term_id", "in": "path", "required": True, "schema": {"type": "string"}}
    html = {"200": {"description": "An HTML page.", "content": {"text/html": {
        "schema": {"type": "string"}}}}}
    paths = {
        "/v1/match": {"post": _v1({
            "summary": "Find glossary terms in a text or a batch of texts",
            "requestBody": {"required": True, "content": {"application/json": {
                "schema": _ref("MatchRequest"),
                "examples": {"text": {"summary": "One text", "value": ex.MATCH_REQUEST},
                             "texts": {"summary": "A batch", "value": ex.BATCH_REQUEST}}}}},
            "responses": {"200": _json({"oneOf": [_ref("MatchResponse"),
                                                  _ref("BatchMatchResponse")]},
                                       "Matches: `matches` for `text`, `results` for `texts`.",
                                       example=ex.MATCH_RESPONSE)},
        }, auth, "invalid-json", "request-timeout", "too-large", "unsupported-media-type",
            "invalid-request")},
        "/v1/terms": {"get": _cached_get("Search or list terms", _ref("TermList"), auth,
                                         [q_param, glossary_param], "uri-too-long",
                                         "invalid-request", example=ex.TERM_LIST)},
        "/v1/terms/{term_id}": {"get": _cached_get("One term by id", _ref("Term"), auth,
                                                   [id_param], "not-found", "uri-too-long",
                                                   example=ex.LORA)},
        "/v1/glossaries": {"get": _cached_get("The loaded glossaries", _ref("GlossaryList"),
                                              auth, [], example=ex.GLOSSARY_LIST)},
        "/v1/compiled": {"get": _cached_get(
            "The compiled glossary, for clients that match locally (format in the README)",
            {"type": "object", "required": ["format", "format_version", "glossary_version",
                                            "glossaries", "terms", "keys", "tables"],
             "properties": {"format": {"const": "termlight-compiled"},
                            "format_version": {"type": "integer"},
                            "glossary_version": {"type": "string"},
                            "glossaries": {"type": "array", "items": {"type": "string"}},
                            "terms": {"type": "array", "items": {"type": "string"}},
                            "keys": {"type": "array", "items": {"type": "array"}},
                            "tables": {"type": "object"}}}, auth, [])},
        "/healthz": {"get": _op({"summary": "Health; open even when a token is configured",
                                 "responses": {"200": _json(_ref("Health"), "Status",
                                                            example=ex.HEALTH)}})},
        "/openapi.json": {"get": _op({"summary": "This document", "responses": {
            "200": _json({"type": "object"}, "OpenAPI 3.1")}})},
        "/favicon.ico": {"get": _op({"summary": "The site icon", "responses": {"200": {
            "description": "An icon", "content": {"image/vnd.microsoft.icon": {
                "schema": {"type": "string", "contentEncoding": "binary"}}}}}})},
        "/schema/glossary.json": {"get": _op({
            "summary": "The JSON Schema of the glossary file format (for editors and CI)",
            "responses": {"200": {"description": "JSON Schema 2020-12", "content": {
                "application/schema+json": {"schema": {"type": "object"}}}}}})},
        "/": {"get": _op({"summary": "The home page: search terms, highlight a paragraph",
                          "responses": dict(html)})},
        "/docs": {"get": _op({"summary": "Readable API documentation", "responses": dict(html)})},
    }
    doc = {
        "openapi": "3.1.0",
        "info": {
            "title": "termlight",
            "version": termlight.__version__,
            "description": "Finds glossary terms in text and returns their definitions. "
                           "Every error is application/problem+json (RFC 9457).",
        },
        "paths": paths,
        "components": {"schemas": _schemas(max_texts, glossary_ids)},
        "x-problem-types": {type_uri(slug): {"status": status, "title": title, "when": when}
                            for slug, (status, title, when)
                            in sorted(PROBLEM_TYPES.items(), key=lambda item: item[1][0])},
    }
    return doc  # openapi_team.add_team_api adds the routes with roles and the security scheme
