"""CORS: off by default; only the configured origins, handled by flask-cors."""

from __future__ import annotations

ALLOWED = "https://wiki.example.org"


def test_no_cors_by_default(client):
    resp = client.post("/v1/match", json={"text": "LLM"}, headers={"Origin": ALLOWED})
    assert resp.status_code == 200
    assert "Access-Control-Allow-Origin" not in resp.headers


def test_only_configured_origins(make_app):
    client = make_app(cors_origins=f"{ALLOWED}, https://other.example.org").test_client()
    ok = client.post("/v1/match", json={"text": "LLM"}, headers={"Origin": ALLOWED})
    assert ok.headers["Access-Control-Allow-Origin"] == ALLOWED
    bad = client.post("/v1/match", json={"text": "LLM"}, headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in bad.headers
    # Errors carry the header too, so a browser client can read the problem details.
    err = client.post("/v1/match", json={"text": 1}, headers={"Origin": ALLOWED})
    assert err.status_code == 422 and err.headers["Access-Control-Allow-Origin"] == ALLOWED
    # Non-API routes are not opened to other origins.
    assert "Access-Control-Allow-Origin" not in client.get("/healthz", headers={"Origin": ALLOWED}).headers


def test_preflight_works_with_a_token_configured(make_app):
    client = make_app(cors_origins=ALLOWED, tokens="tok").test_client()
    pre = client.options("/v1/match", headers={
        "Origin": ALLOWED, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type"})
    assert pre.status_code == 200
    assert pre.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "authorization" in pre.headers["Access-Control-Allow-Headers"].lower()
    denied = client.options("/v1/match", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in denied.headers
    # The real request still needs the token.
    assert client.post("/v1/match", json={"text": "x"}, headers={"Origin": ALLOWED}).status_code == 401
