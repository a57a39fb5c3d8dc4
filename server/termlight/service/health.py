"""GET /healthz: open (no token), and free of anything secret.

It answers 200 even when degraded: a broken edit leaves the last good glossary
serving, and a load balancer should keep routing to it. Monitoring should alert on
`status` (or the `problems` count) instead. The problem lines themselves quote the
glossary (term names, forms, ids, key names), so with a token configured they, and the
glossary version, are shown only to requests that carry a valid token. Problem lines
name files relative to the glossary location.
"""

from __future__ import annotations

from flask import Blueprint, jsonify

from termlight.service import current
from termlight.service.auth import is_authenticated

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    snap = current.snapshot()
    body = {
        "status": snap.status,
        "terms": len(snap.glossary),
        "glossaries": len(snap.glossary.glossaries),
        "problems": len(snap.errors),
    }
    if is_authenticated():
        body["glossary_version"] = snap.glossary.version
        body["errors"] = list(snap.errors)
    resp = jsonify(body)
    resp.headers["Cache-Control"] = "no-store"
    resp.vary.add("Authorization")
    return resp
