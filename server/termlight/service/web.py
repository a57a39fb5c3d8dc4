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
from termlight.service.openapi import build_openapi
from termlight.service.openapi_team import add_team_api

WEB_DIR = Path(__file__).resolve().parent.parent / "web"

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


@bp.get("/docs")
def docs():
    return _page("docs.html")


@bp.get("/openapi.json")
def openapi():
    cfg = current.settings()
    glossary = current.snapshot().glossary
    auth = current.auth_required()
    doc = build_openapi(cfg.max_texts, [g.id for g in glossary.glossaries], auth)
    add_team_api(doc, auth)
    resp = jsonify(doc)
    resp.headers["Cache-Control"] = "no-cache"
    return resp
