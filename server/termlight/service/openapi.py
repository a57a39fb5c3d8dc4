"""The OpenAPI 3.1 document served at /openapi.json (and rendered by /docs).

Built per request from the live settings and glossary, so limits (TERMLIGHT_MAX_TEXTS)
and the list of glossary ids are what this server really accepts. tests/service check
that the schemas here agree with `validation.py` and with real responses.
"""

from __future__ import annotations

from typing import Collection

import termlight
from termlight.service.problems import PROBLEM_MIME, PROBLEM_TYPES, type_uri
from termlight.engine.offsets import UNITS

REF = "#/components/schemas/"


def _ref(name: str) -> dict:
    return {"$ref": REF + name}


def _string_list() -> dict:
    return {"type": "array", "items": {"type": "string"}}


def _schemas(max_texts: int, glossary_ids: Collection[str]) -> dict:
    glossary_id = {"type": "string", "description": "A glossary id (the file name without .json)."}
    if glossary_ids:
        glossary_id["enum"] = sorted(glossary_ids)
    matches = {"type": "array", "items": _ref("Match"),
               "description": "Sorted by start; never overlapping."}
    common = {
        "terms": {"type": "object", "additionalProperties": _ref("Term"),
                  "description": "Each matched term (and each alternative) once, by id."},
        "offsets": {"type": "string", "enum": list(UNITS)},
        "glossary_version": {"type": "string"},
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
            "required": ["start", "end", "term_id", "text"],
            "properties": {
                "start": {"type": "integer", "minimum": 0},
                "end": {"type": "integer", "minimum": 0, "description": "Exclusive."},
                "term_id": {"type": "string"},
                "text": {"type": "string", "description": "The original text under the span."},
                "alternatives": {**_string_list(), "description":
                                 "Terms of other glossaries that claim the same form."},
            },
            "additionalProperties": False,
        },
        "MatchRequest": {
            "type": "object",
            "description": "Exactly one of `text` or `texts`.",
            "properties": {
                "text": {"type": "string"},
                "texts": {"type": "array", "items": {"type": "string"}, "maxItems": max_texts},
                "offsets": {"type": "string", "enum": list(UNITS), "default": "utf16",
                            "description": "The unit of start/end: utf16 (JavaScript string "
                                           "indices), codepoint (Python) or utf8 (bytes)."},
                "glossaries": {"type": "array", "items": glossary_id, "minItems": 1,
                               "description": "Only match terms of these glossaries."},
            },
            "oneOf": [{"required": ["text"]}, {"required": ["texts"]}],
            "additionalProperties": False,
        },
        "MatchResponse": {
            "type": "object",
            "required": ["matches", "terms", "offsets", "glossary_version"],
            "properties": {"matches": matches, **common},
            "additionalProperties": False,
        },
        "BatchMatchResponse": {
            "type": "object",
            "required": ["results", "terms", "offsets", "glossary_version"],
            "properties": {
                "results": {"type": "array", "description": "One per input text, in order.",
                            "items": {"type": "object", "required": ["matches"],
                                      "properties": {"matches": matches},
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
            },
            "additionalProperties": False,
        },
        "Health": {
            "type": "object",
            "required": ["status", "terms", "glossaries", "glossary_version", "errors"],
            "properties": {
                "status": {"type": "string", "enum": ["ok", "degraded"]},
                "terms": {"type": "integer", "minimum": 0},
                "glossaries": {"type": "integer", "minimum": 0},
                "glossary_version": {"type": "string"},
                "errors": {**_string_list(), "description":
                           "Problems of the latest load; the last good glossary keeps serving."},
            },
            "additionalProperties": False,
        },
    }


def _problems(*slugs: str) -> dict:
    """Responses for these problem types, grouped by status."""
    by_status: dict[str, list[str]] = {}
    for slug in slugs:
        by_status.setdefault(str(PROBLEM_TYPES[slug][0]), []).append(slug)
    return {status: {
        "description": " ".join(f"{PROBLEM_TYPES[s][1]}: {PROBLEM_TYPES[s][2]}" for s in group),
        "content": {PROBLEM_MIME: {"schema": _ref("Problem")}},
    } for status, group in by_status.items()}


# gunicorn itself answers a malformed HTTP request or oversized headers, on any route.
HTTP_LEVEL = ("bad-request", "headers-too-large")


def _op(operation: dict, *slugs: str) -> dict:
    operation["responses"].update(_problems(*HTTP_LEVEL, *slugs))
    return operation


def _json(schema: dict, description: str, headers: dict | None = None) -> dict:
    out = {"description": description, "content": {"application/json": {"schema": schema}}}
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


def _cached_get(summary: str, schema: dict, auth: bool, params: list, *statuses: str) -> dict:
    return _v1({
        "summary": summary,
        "parameters": [*params, IF_NONE_MATCH],
        "responses": {
            "200": _json(schema, "OK", CACHE_HEADERS),
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
               "description": "Prefix search on a term's forms, case-insensitive; a later word "
                              "of a form also counts. Empty lists every term.",
               "schema": {"type": "string"}}
    id_param = {"name": "term_id", "in": "path", "required": True, "schema": {"type": "string"}}
    html = {"200": {"description": "An HTML page.", "content": {"text/html": {
        "schema": {"type": "string"}}}}}
    paths = {
        "/v1/match": {"post": _v1({
            "summary": "Find glossary terms in a text or a batch of texts",
            "requestBody": {"required": True, "content": {"application/json": {
                "schema": _ref("MatchRequest")}}},
            "responses": {"200": _json({"oneOf": [_ref("MatchResponse"),
                                                  _ref("BatchMatchResponse")]},
                                       "Matches: `matches` for `text`, `results` for `texts`.")},
        }, auth, "invalid-json", "request-timeout", "too-large", "unsupported-media-type",
            "invalid-request")},
        "/v1/terms": {"get": _cached_get("Search or list terms", _ref("TermList"), auth,
                                         [q_param, glossary_param], "uri-too-long",
                                         "invalid-request")},
        "/v1/terms/{term_id}": {"get": _cached_get("One term by id", _ref("Term"), auth,
                                                   [id_param], "not-found", "uri-too-long")},
        "/v1/glossaries": {"get": _cached_get("The loaded glossaries", _ref("GlossaryList"),
                                              auth, [])},
        "/healthz": {"get": _op({"summary": "Health; open even when a token is configured",
                                 "responses": {"200": _json(_ref("Health"), "Status")}})},
        "/openapi.json": {"get": _op({"summary": "This document", "responses": {
            "200": _json({"type": "object"}, "OpenAPI 3.1")}})},
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
                            for slug, (status, title, when) in PROBLEM_TYPES.items()},
    }
    if auth:
        doc["components"]["securitySchemes"] = {"bearerAuth": {
            "type": "http", "scheme": "bearer",
            "description": "One of the tokens in TERMLIGHT_API_TOKEN."}}
    return doc
