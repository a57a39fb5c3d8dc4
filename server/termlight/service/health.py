"""GET /healthz: open (no token), and free of anything secret.

It answers 200 even when degraded: a broken edit leaves the last good glossary
serving, and a load balancer should keep routing to it. Monitoring should alert on
`status` instead. Problem lines name files relative to the glossary location.
"""

from __future__ import annotations

from flask import Blueprint, jsonify

from termlight.service import current

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    snap = current.snapshot()
    resp = jsonify({
        "status": snap.status,
        "terms": len(snap.glossary),
        "glossaries": len(snap.glossary.glossaries),
        "glossary_version": snap.glossary.version,
        "errors": list(snap.errors),
    })
    resp.headers["Cache-Control"] = "no-store"
    return resp
