"""RFC 9457 problem details: the only shape an error from this service ever takes.

Clients (the extension, scripts, schemathesis) can rely on one parser for every
failure, so every error path, including werkzeug's own (404, 405, 413) and bugs
(500), is turned into `application/problem+json` here.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, json, request
from werkzeug.exceptions import HTTPException

from termlight.store.database import StoreError

PROBLEM_MIME = "application/problem+json"

# slug -> (status, title, when it happens). The /docs page and the OpenAPI document
# read this table, so an error type is described in exactly one place.
PROBLEM_TYPES: dict[str, tuple[int, str, str]] = {
    "invalid-json": (400, "Malformed JSON",
                     "The body is not valid UTF-8 JSON, is nested too deeply, or is shorter "
                     "than its Content-Length."),
    "bad-request": (400, "Bad request",
                    "The HTTP request itself is malformed (request line, headers or chunked "
                    "encoding); answered by the HTTP server before the app sees it."),
    "unauthorized": (401, "Missing or wrong token",
                     "A token is configured and the request lacks `Authorization: Bearer <token>` "
                     "or the token does not match."),
    "forbidden": (403, "Role too low",
                  "The token is valid but its role may not do this (reader < editor < admin)."),
    "conflict": (409, "Conflict",
                 "The request clashes with the current state: a suggestion already decided, a "
                 "term that comes from a read-only glossary file, an undo over newer changes."),
    "precondition-failed": (412, "Precondition failed",
                            "The If-Match ETag is not the term's current one (someone changed "
                            "it since you read it), or If-None-Match: * and the term exists."),
    "precondition-required": (428, "Precondition required",
                              "Replacing an existing term needs If-Match with its ETag."),
    "request-timeout": (408, "Request timeout",
                        "The request head did not arrive within TERMLIGHT_HEADER_TIMEOUT seconds, "
                        "or the body within TERMLIGHT_BODY_TIMEOUT seconds (a client that stalls, "
                        "or announces more bytes than it sends)."),
    "not-found": (404, "Not found", "No such route, or no term with that id."),
    "method-not-allowed": (405, "Method not allowed",
                           "The route exists but not for this method; see the Allow header."),
    "misdirected-request": (421, "Misdirected request",
                            "The Host header names a host this server does not answer for "
                            "(TERMLIGHT_ALLOWED_HOSTS; by default, on a loopback address, only "
                            "`localhost`, `127.0.0.1` and `[::1]` with the server's port)."),
    "too-large": (413, "Request too large", "The body is over TERMLIGHT_MAX_BODY bytes."),
    "uri-too-long": (414, "URI too long", "The request line is over 4094 bytes."),
    "unsupported-media-type": (415, "Unsupported media type",
                               "The body must be sent as `Content-Type: application/json` (UTF-8)."),
    "headers-too-large": (431, "Request headers too large",
                          "A header is over 8190 bytes, or there are more than 100 headers."),
    "invalid-request": (422, "Invalid request",
                        "The JSON is well formed but has the wrong shape, a wrong type, an unknown "
                        "field or value, more `texts` than TERMLIGHT_MAX_TEXTS, or text that is "
                        "not valid Unicode (a lone surrogate)."),
    "too-many-requests": (429, "Too many requests",
                          "This client made more requests than TERMLIGHT_RATE_LIMIT allows; "
                          "retry after the seconds in the Retry-After header."),
    "unavailable": (503, "Database unavailable",
                    "The database of the team glossary cannot be reached; matching goes on "
                    "with the last good glossary. Retry later."),
    "internal-error": (500, "Internal error",
                       "A bug in termlight. It is logged; the request can be retried."),
}

_STATUS_SLUG = {status: slug for slug, (status, _t, _d) in PROBLEM_TYPES.items()
                if slug not in ("invalid-request", "bad-request")}

log = logging.getLogger("termlight.service")


def type_uri(slug: str) -> str:
    """Problem types are relative references into /docs, where each one is described."""
    return f"/docs#problem-{slug}"


class ApiError(Exception):
    """Raised by handlers to answer with a problem; caught by the app's error handler."""

    def __init__(self, slug: str, detail: str, field: str | None = None,
                 status: int | None = None, headers: dict[str, str] | None = None,
                 errors: list[str] | None = None):
        super().__init__(detail)
        self.errors = errors
        self.slug = slug
        self.status = status or PROBLEM_TYPES[slug][0]
        self.detail = detail
        self.field = field
        self.headers = headers or {}


def safe_text(value: str, limit: int = 200) -> str:
    """Echo client-supplied names safely: no lone surrogates, bounded length."""
    text = value.encode("utf-8", "backslashreplace").decode("utf-8")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def problem_response(status: int, title: str, detail: str, type_: str = "about:blank",
                     field: str | None = None, headers: dict[str, str] | None = None,
                     errors: list[str] | None = None) -> Response:
    body: dict = {"type": type_, "title": title, "status": status, "detail": detail}
    if field is not None:
        body["field"] = field
    if errors:
        body["errors"] = errors
    resp = Response(json.dumps(body), status=status, mimetype=PROBLEM_MIME)
    for name, value in (headers or {}).items():
        resp.headers[name] = value
    return resp


def from_api_error(err: ApiError) -> Response:
    title = PROBLEM_TYPES[err.slug][1]
    return problem_response(err.status, title, err.detail, type_uri(err.slug), err.field,
                            err.headers, err.errors)


def from_http_exception(err: HTTPException) -> Response:
    """werkzeug's errors (routing, size limits, bad requests) as problems, headers kept."""
    status = err.code or 500
    slug = _STATUS_SLUG.get(status)
    title = PROBLEM_TYPES[slug][1] if slug else (err.name or "Error")
    detail = err.description or title
    if status == 404:
        detail = f"No route or resource at {safe_text(request.path)}."
    elif status == 405:
        allowed = err.valid_methods or []
        detail = f"{request.method} is not allowed here; allowed: {', '.join(allowed)}."
    elif status == 413:
        detail = "The request body is larger than this server accepts."
    elif status == 429:
        detail = f"Over this client's rate limit ({err.description}); retry after Retry-After seconds."
    # Keep meaningful headers such as Allow on 405; drop werkzeug's HTML content type.
    headers = {k: v for k, v in err.get_headers() if k.lower() != "content-type"}
    return problem_response(status, title, detail, type_uri(slug) if slug else "about:blank",
                            headers=headers)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(err: ApiError):
        return from_api_error(err)

    @app.errorhandler(HTTPException)
    def _http_error(err: HTTPException):
        if err.code is not None and err.code < 400:  # routing redirects are not errors
            return err
        return from_http_exception(err)

    @app.errorhandler(StoreError)
    def _store_error(err: StoreError):
        log.error("database: %s", err)
        status, title, _ = PROBLEM_TYPES["unavailable"]
        return problem_response(status, title, "The database cannot be reached; retry later.",
                                type_uri("unavailable"), headers={"Retry-After": "2"})

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):
        # Input errors never get here (they are validated); this is a bug, so log it
        # fully but tell the client nothing about the internals.
        log.exception("unhandled error on %s %s", request.method, safe_text(request.path))
        status, title, _ = PROBLEM_TYPES["internal-error"]
        return problem_response(status, title, "Unexpected server error; it has been logged.",
                                type_uri("internal-error"))
