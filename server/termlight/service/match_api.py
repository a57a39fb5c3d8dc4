"""POST /v1/match: the one call the extension and other tools make."""

from __future__ import annotations

from flask import Blueprint, jsonify

from termlight.service import current
from termlight.service.match_request import parse_match_request
from termlight.service.validation import read_json_body

bp = Blueprint("match", __name__, url_prefix="/v1")


@bp.post("/match")
def match():
    cfg = current.settings()
    body = read_json_body(cfg.max_body, cfg.body_timeout)
    glossary = current.snapshot().glossary
    req = parse_match_request(body, cfg.max_texts,
                              {info.id for info in glossary.glossaries})
    result = glossary.match_document(text=req.text, texts=req.texts, offsets=req.offsets,
                                     glossaries=req.glossaries, context=req.context_rule,
                                     explain=req.explain)
    resp = jsonify(result)
    resp.headers["Cache-Control"] = "no-store"
    return resp
