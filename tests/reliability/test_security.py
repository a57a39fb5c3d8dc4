"""Issue 6, item 6 (server side): the token guards every /v1 route, is compared in constant
time and never reaches a log; CORS answers only the configured origins. All over a real
gunicorn, with routes taken from the service's own OpenAPI document so a new route cannot
slip through unguarded.
"""

from __future__ import annotations

import ast
import base64
import json
from pathlib import Path
from urllib.parse import quote

import pytest

from support.server import NO_RATE_LIMIT, run_server
from termlight.service import auth
from termlight.settings import Settings, SettingsError

from .hostile import raw_call

pytestmark = pytest.mark.server

TOKENS = ("tok-Alpha_7f3e9c", "tok+beta/2b81=")  # the second one needs URL-encoding
SERVICE_DIR = Path(auth.__file__).resolve().parent


def request(srv, method: str, target: str, headers: dict | None = None, body: bytes = b""):
    lines = [f"{method} {target} HTTP/1.1", "Host: 127.0.0.1", "Connection: close",
             f"Content-Length: {len(body)}"]
    if body:
        lines.append("Content-Type: application/json")
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    data = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
    status, hdrs, raw = raw_call(srv, data)()
    return status, hdrs, raw


@pytest.fixture(scope="module")
def secured():
    # Hundreds of requests on purpose, from one client: no rate limit.
    with run_server(None, env={"TERMLIGHT_API_TOKEN": ",".join(TOKENS), **NO_RATE_LIMIT},
                    workers=1) as srv:
        yield srv


def v1_operations(srv) -> list[tuple[str, str, bytes]]:
    status, doc = srv.get_json("/openapi.json")
    assert status == 200
    ops = []
    for path, methods in doc["paths"].items():
        if not path.startswith("/v1"):
            continue
        for method, op in methods.items():
            assert op["security"] == [{"bearerAuth": []}], (path, method)
            assert "401" in op["responses"], (path, method)
            body = BODIES.get((method, path), b"")
            target = (path.replace("{term_id}", "large-language-model")
                      .replace("{seq}", "1").replace("{suggestion_id}", "1"))
            ops.append((method.upper(), target, body, op.get("x-role", "reader")))
    assert len(ops) >= 13 and {op[3] for op in ops} == {"reader", "editor", "admin"}, ops
    return ops


BODIES = {("post", "/v1/match"): b'{"text": "An LLM."}',
          ("post", "/v1/suggestions"): b'{"term": "An LLM", "definition": "d"}',
          ("put", "/v1/terms/{term_id}"): b'{"term": "LLM", "definition": "d"}'}


WRONG_CREDENTIALS = {
    "no header": {},
    "empty bearer": {"Authorization": "Bearer "},
    "wrong token": {"Authorization": "Bearer tok-Alpha_7f3e9d"},
    "token minus its last character": {"Authorization": f"Bearer {TOKENS[0][:-1]}"},
    "token plus a character": {"Authorization": f"Bearer {TOKENS[0]}x"},
    "both tokens glued": {"Authorization": f"Bearer {TOKENS[0]},{TOKENS[1]}"},
    "token in Basic auth": {"Authorization": "Basic " + base64.b64encode(
        f"{TOKENS[0]}:".encode()).decode()},
    "other scheme": {"Authorization": f"Token {TOKENS[0]}"},
    "token in another header": {"X-Api-Key": TOKENS[0]},
    "token in a cookie": {"Cookie": f"token={TOKENS[0]}"},
}


def test_every_v1_route_refuses_requests_without_the_token(secured):
    refused = 0
    for method, path, body, role in v1_operations(secured):
        for name, headers in WRONG_CREDENTIALS.items():
            status, hdrs, raw = request(secured, method, path, headers, body)
            assert status == 401, (method, path, name, status)
            assert hdrs["content-type"] == "application/problem+json"
            assert hdrs["www-authenticate"].startswith("Bearer")
            assert TOKENS[0].encode() not in raw
            refused += 1
        for sep in ("?token=", "?access_token=", "?api_key="):
            status, _, _ = request(secured, method, path + sep + quote(TOKENS[0]), {}, body)
            assert status == 401, (method, path, sep)
            refused += 1
        if body:  # a token in the body counts for nothing either
            status, _, _ = request(secured, method, path, {}, json.dumps(
                {"text": "x", "token": TOKENS[0]}).encode())
            assert status == 401
        for token in TOKENS:  # and each configured token works, the scheme in any case
            for scheme in ("Bearer", "bearer"):
                status, _, raw = request(secured, method, path,
                                         {"Authorization": f"{scheme} {token}"}, body)
                # TERMLIGHT_API_TOKEN is a reader: editor routes answer 403, never 401.
                expected = (200, 201) if role == "reader" else (403,)
                assert status in expected, (method, path, scheme, raw[:200])
    print(f"\n{refused} requests without a valid token, all refused")


@pytest.mark.parametrize("target", [
    "//v1/match", "/v1//match", "/v1/match/", "/v1/./match", "/%76%31/match", "/v1%2fmatch",
    "/v1/terms/", "/v1/glossaries/", "/v1/glossaries?", "http://127.0.0.1/v1/glossaries",
    "/v1/terms/llm/..", "/v1/terms/%2e%2e", "/v1", "/v1/", "/v1/nope",
])
@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"])
def test_odd_paths_and_methods_never_get_data_without_the_token(secured, target, method):
    body = b'{"text": "LLM"}' if method in ("POST", "PUT", "PATCH") else b""
    status, headers, raw = request(secured, method, target, {}, body)
    assert status in (401, 404, 405) or (method == "OPTIONS" and status == 200), (status, raw[:200])
    assert b"large-language-model" not in raw and b'"terms"' not in raw
    # With the token too: a clear JSON answer, never a redirect or an HTML page.
    status, headers, raw = request(secured, method, target,
                                   {"Authorization": f"Bearer {TOKENS[0]}"}, body)
    assert status < 300 or status in (403, 404, 405), (status, raw[:200])
    assert not raw or headers["content-type"] in ("application/json", "application/problem+json")


def comparisons_with_secrets(tree: ast.AST) -> list[str]:
    """==, != and `in` with a token-ish name on either side: not constant time."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare):
            continue
        names = {n.id.lower() for n in ast.walk(node) if isinstance(n, ast.Name)}
        names |= {n.attr.lower() for n in ast.walk(node) if isinstance(n, ast.Attribute)}
        secretish = {n for n in names if "token" in n or "presented" in n or "secret" in n}
        risky = [op for op in node.ops if isinstance(op, (ast.Eq, ast.NotEq, ast.In, ast.NotIn))]
        if secretish and risky:
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


def test_tokens_are_compared_in_constant_time(monkeypatch):
    tree = ast.parse((SERVICE_DIR / "auth.py").read_text())
    calls = [ast.unparse(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)]
    assert "hmac.compare_digest" in calls
    for path in sorted(SERVICE_DIR.glob("*.py")):
        assert comparisons_with_secrets(ast.parse(path.read_text())) == [], path.name
    # The check itself can fail.
    assert comparisons_with_secrets(ast.parse("ok = presented == token"))
    assert comparisons_with_secrets(ast.parse("ok = presented in tokens"))
    # Every configured token is compared, with no early exit on a match.
    seen = []
    real = auth.hmac.compare_digest
    monkeypatch.setattr(auth.hmac, "compare_digest",
                        lambda a, b: seen.append(b) or real(a, b))
    encoded = tuple(t.encode() for t in ("one", "two", "three"))
    assert auth.token_matches(b"one", encoded) and seen == list(encoded)
    seen.clear()
    assert not auth.token_matches(b"nope", encoded) and seen == list(encoded)


def test_tokens_never_reach_the_logs(secured):
    token, other = TOKENS
    sent = 0
    attempts = [
        ("GET", "/v1/glossaries", {"Authorization": f"Bearer {token}"}, b""),
        ("POST", "/v1/match", {"Authorization": f"Bearer {other}"},
         json.dumps({"text": f"LLM {token}"}).encode()),
        ("POST", "/v1/match", {"Authorization": f"Bearer {token}"},
         json.dumps({"text": "x", token: 1}).encode()),  # echoed in the 422, never logged
        ("GET", f"/v1/glossaries?token={quote(token)}", {}, b""),
        ("GET", f"/v1/terms?q=x&access_token={quote(other, safe='')}", {}, b""),
        ("GET", f"/v1/terms?q={other}", {"Authorization": f"Bearer {token}"}, b""),
        ("GET", f"/v1/terms/{quote(token)}", {"Authorization": f"Bearer {token}"}, b""),
        ("GET", f"/{token}", {}, b""),
        ("GET", "/healthz", {"User-Agent": f"client/1.0 {token}"}, b""),
        ("GET", "/healthz", {"Referer": f"http://127.0.0.1/?t={token}", "X-Api-Key": token}, b""),
        ("GET", "/v1/glossaries", {"Authorization": "Basic " + base64.b64encode(
            f"{token}:x".encode()).decode()}, b""),
        ("GET", "/v1/glossaries", {"Authorization": f"Bearer {token}\x01"}, b""),  # bad header
        ("GET", "/v1/glossaries", {"Authorization": f"Bearer {token}" + "a" * 9000}, b""),
        ("GET", f"/v1/glossaries?{token}" + "a" * 5000, {}, b""),  # request line too long
    ]
    for method, target, headers, body in attempts:
        status, _, _ = request(secured, method, target, headers, body)
        assert status < 500
        sent += 1
    log = secured.log_through()
    for secret in TOKENS:
        for form in {secret, quote(secret), quote(secret, safe=""), base64.b64encode(
                f"{secret}:x".encode()).decode()}:
            assert form not in log, f"{form!r} is in the log"
    assert "[redacted]" in log  # the query-string and path attempts were logged, masked
    print(f"\n{sent} requests carrying a token in a header, a query, a path, a body, a "
          f"User-Agent, a Referer and malformed requests; no token in "
          f"{len(log.splitlines())} log lines")


# --- CORS -------------------------------------------------------------------------------

ALLOWED = ("https://wiki.example.org", "http://[::1]:8765")
REFUSED = ["https://evil.example", "https://wiki.example.org.evil.example",
           "https://wiki.example.orgx", "https://xwiki.example.org", "http://wiki.example.org",
           "https://wiki.example.org:444", "null", "https://wiki.example.org/",
           "http://[::1]:8766", "*"]


@pytest.fixture(scope="module")
def with_cors():
    with run_server(None, env={"TERMLIGHT_CORS_ORIGINS": ",".join(ALLOWED)}, workers=1) as srv:
        yield srv


def test_cors_allows_only_the_configured_origins(with_cors):
    body = b'{"text": "LLM"}'
    for origin in ALLOWED:
        for method, path, data in (("POST", "/v1/match", body), ("GET", "/v1/glossaries", b"")):
            status, headers, _ = request(with_cors, method, path, {"Origin": origin}, data)
            assert status == 200 and headers["access-control-allow-origin"] == origin
            assert "access-control-allow-credentials" not in headers  # bearer tokens, no cookies
            assert "Origin" in headers["vary"]
        status, headers, _ = request(with_cors, "OPTIONS", "/v1/match", {
            "Origin": origin, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type"})
        assert headers["access-control-allow-origin"] == origin
        assert "authorization" in headers["access-control-allow-headers"].lower()
    for origin in REFUSED:
        status, headers, _ = request(with_cors, "POST", "/v1/match", {"Origin": origin}, body)
        assert "access-control-allow-origin" not in headers, origin
        assert "Origin" in headers.get("vary", "")
        status, headers, _ = request(with_cors, "OPTIONS", "/v1/match", {
            "Origin": origin, "Access-Control-Request-Method": "POST"})
        assert "access-control-allow-origin" not in headers, origin
    # Pages and health are never opened to other origins.
    for path in ("/", "/healthz", "/openapi.json", "/docs"):
        _, headers, _ = request(with_cors, "GET", path, {"Origin": ALLOWED[0]})
        assert "access-control-allow-origin" not in headers, path


def test_no_cors_unless_configured(secured):
    for origin in (*ALLOWED, "null"):
        _, headers, _ = request(secured, "POST", "/v1/match", {
            "Origin": origin, "Authorization": f"Bearer {TOKENS[0]}"}, b'{"text": "LLM"}')
        assert "access-control-allow-origin" not in headers


@pytest.mark.parametrize("value", ["*", "https://*.example.org", "https://wiki.example.org/",
                                   "wiki.example.org", "https://wiki.example.org/path",
                                   "https://wiki.example.org$", "ftp://files.example.org"])
def test_cors_setting_takes_only_plain_origins(value):
    """flask-cors would read these as prefix regexes (or not match at all): refused up front."""
    with pytest.raises(SettingsError, match="TERMLIGHT_CORS_ORIGINS"):
        Settings.from_env({"TERMLIGHT_CORS_ORIGINS": f"https://ok.example, {value}"})
    assert Settings.from_env({"TERMLIGHT_CORS_ORIGINS": ", ".join(ALLOWED)}).cors_origins == ALLOWED
