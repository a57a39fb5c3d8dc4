"""GET /v1/compiled: the compiled glossary, for clients that match locally (see
termlight.compiled_format).  Protected by the token like every /v1 route; ETag and 304 like
the other GET routes; gzipped when the client accepts it (a browser always does), from bytes
built once per glossary version and worker."""

from __future__ import annotations

import threading

from flask import Blueprint, Response, request

from termlight.compiled_format import CompiledBodies
from termlight.service import current
from termlight.service.terms_api import _cache_headers, _etag

bp = Blueprint("compiled", __name__, url_prefix="/v1")
_lock = threading.Lock()
_latest: list[CompiledBodies] = []  # the bodies of the newest glossary this worker served


def _bodies(glossary) -> CompiledBodies:
    with _lock:
        if not _latest or _latest[0].version != glossary.version:
            _latest[:] = [CompiledBodies(glossary)]
        return _latest[0]


@bp.get("/compiled")
def compiled():
    etag = _etag()
    gzipped = "gzip" in request.accept_encodings
    if gzipped:
        etag = etag[:-1] + '-gz"'  # another representation, another (strong) ETag
    if request.if_none_match and request.if_none_match.contains_weak(etag.strip('"')):
        resp = Response(status=304)
    else:
        bodies = _bodies(current.snapshot().glossary)
        resp = Response(bodies.gzipped if gzipped else bodies.plain, mimetype="application/json")
        if gzipped:
            resp.headers["Content-Encoding"] = "gzip"
    resp.vary.add("Accept-Encoding")
    return _cache_headers(resp, etag)
