"""Read-only glossary routes with ETags, so clients can cache and revalidate cheaply.

The ETag is computed from the glossary version and the request's path and query
before any work is done, so a matching If-None-Match costs almost nothing.
"""

from __future__ import annotations

import hashlib

from flask import Blueprint, Response, jsonify, request

from termlight.engine.context import CONTEXT_MIN
from termlight.service import current
from termlight.service.auth import tokens_exist
from termlight.service.problems import ApiError, safe_text
from termlight.service.validation import query_param
from termlight.store import team

bp = Blueprint("terms", __name__, url_prefix="/v1")


def _etag() -> str:
    version = current.snapshot().glossary.version
    key = "\0".join([version, request.path, *sorted(f"{k}={v}" for k, v in request.args.items(multi=True))])
    return f'"{version}-{hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:12]}"'


def _cache_headers(resp: Response, etag: str) -> Response:
    resp.headers["ETag"] = etag
    # The glossary can change at any moment (hot reload): caches may keep the body but
    # must revalidate, which the ETag makes a cheap 304.
    private = "private, " if tokens_exist() else ""
    resp.headers["Cache-Control"] = f"{private}no-cache"
    if private:
        resp.vary.add("Authorization")
    return resp


def _not_modified(etag: str) -> Response | None:
    if request.if_none_match and request.if_none_match.contains_weak(etag.strip('"')):
        return _cache_headers(Response(status=304), etag)
    return None


def _cached(build) -> Response:
    etag = _etag()
    early = _not_modified(etag)
    if early is not None:
        return early
    return _cache_headers(jsonify(build()), etag)


@bp.get("/terms")
def list_terms():
    q = query_param("q") or ""
    glossary_id = query_param("glossary")
    glossary = current.snapshot().glossary
    if glossary_id is not None and glossary_id not in {g.id for g in glossary.glossaries}:
        raise ApiError("invalid-request", f"Unknown glossary {safe_text(glossary_id, 80)!r}.",
                       field="glossary")

    def build() -> dict:
        terms = [t.to_dict() for t in glossary.search(q, glossary=glossary_id)]
        return {"terms": terms, "count": len(terms), "glossary_version": glossary.version}

    return _cached(build)


@bp.get("/terms/<term_id>")
def get_term(term_id: str):
    term = current.snapshot().glossary.terms.get(term_id)
    if term is None:
        raise ApiError("not-found", f"No term with id {safe_text(term_id, 80)!r}.", field="id")
    if term.glossary == team.TEAM_ID:
        # A team term's ETag is its content's, the one PUT and DELETE check If-Match against.
        etag = team.etag_of(team.canonical(term))
        return _not_modified(etag) or _cache_headers(jsonify(term.to_dict()), etag)
    return _cached(term.to_dict)


@bp.get("/glossaries")
def list_glossaries():
    glossary = current.snapshot().glossary

    def build() -> dict:
        return {"glossaries": [g.to_dict() for g in glossary.glossaries],
                "glossary_version": glossary.version, "context_min": CONTEXT_MIN}

    return _cached(build)
