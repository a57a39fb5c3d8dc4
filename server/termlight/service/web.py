"""The human-facing routes: the home page, /docs and the OpenAPI document.

The pages are static files plus a little JavaScript that calls the public API, so
the home page is also a working example of a client. A strict Content-Security-
Policy (scripts only from this origin, no inline code) backs up the rule that
server data is only ever rendered as text.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, jsonify, send_from_directory

from termlight.service import current
from termlight.service.auth import is_authenticated, tokens_exist
from termlight.service.openapi import build_openapi
from termlight.service.openapi_team import add_team_api

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"

bp = Blueprint("web", __name__, static_folder=str(WEB_DIR / "assets"),
               static_url_path="/assets")

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def _page(name: str) -> Response:
    resp = send_from_directory(WEB_DIR, name, mimetype="text/html", max_age=0)
    resp.headers["Content-Security-Policy"] = CSP
    return resp


@bp.get("/")
def home():
    return _page("index.html")


@bp.get("/review")
def review():
    return _page("review.html")


@bp.get("/docs")
def docs():
    return _page("docs.html")


@bp.get("/favicon.ico")
def favicon():
    return send_from_directory(WEB_DIR, "favicon.ico", mimetype="image/vnd.microsoft.icon", max_age=86400)


@bp.get("/schema/glossary.json")
def glossary_schema():
    """The JSON Schema of the glossary file format, for editors and CI."""
    return send_from_directory(SCHEMA_DIR, "glossary.json", mimetype="application/schema+json", max_age=0)


@bp.get("/openapi.json")
def openapi():
    cfg = current.settings()
    # The glossary ids (file names) can be confidential: listed only for a valid token,
    # or when no token exists.
    ids = [g.id for g in current.snapshot().glossary.glossaries] if is_authenticated() else []
    auth = tokens_exist()
    doc = build_openapi(cfg.max_texts, ids, auth)
    add_team_api(doc, auth)
    resp = jsonify(doc)
    resp.headers["Cache-Control"] = "no-cache"
    resp.vary.add("Authorization")
    return resp
