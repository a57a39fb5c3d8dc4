"""Issue 10, item 10: a per-client rate limit (Flask-Limiter), answered with a 429 problem and
Retry-After, over a real gunicorn; and the default limit is far above what the extension sends.
"""

from __future__ import annotations

import http.client
import json
import time

import pytest

from support.problems import check_problem
from support.server import run_server

pytestmark = pytest.mark.server


def call(srv, method: str, path: str, body: bytes | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
    try:
        conn.request(method, path, body=body,
                     headers={"Content-Type": "application/json"} if body else {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def test_past_the_limit_a_client_gets_429_with_retry_after():
    with run_server(None, env={"TERMLIGHT_RATE_LIMIT": "10/minute"}, workers=1) as srv:
        statuses = [call(srv, "GET", "/v1/glossaries")[0] for _ in range(8)]
        statuses.append(call(srv, "POST", "/v1/match", b'{"text": "LLM"}')[0])
        statuses.append(call(srv, "GET", "/openapi.json")[0])
        assert statuses == [200] * 10  # positive control: up to the limit, all routes count
        status, headers, raw = call(srv, "POST", "/v1/match", b'{"text": "LLM"}')
        body = check_problem(status, headers["content-type"], json.loads(raw), 429)
        retry = int(headers["retry-after"])
        assert 0 < retry <= 60, retry
        assert "rate limit" in body["detail"]
        assert call(srv, "GET", "/healthz")[0] == 200  # monitoring is never locked out
        print(f"\n11th request in a minute: {status} Retry-After: {retry} {raw.decode()}")


def test_the_default_limit_lets_a_burst_far_above_the_extensions_through():
    """A long page costs the extension 3 match requests (tests/extension/test_long_page.py
    allows at most 6); a living page at most one every 200 ms (observe.js). 90 requests at
    once, like 30 tabs restored together, stay under the default."""
    with run_server(None, workers=1) as srv:
        started = time.monotonic()
        statuses = [call(srv, "POST", "/v1/match", b'{"text": "An LLM."}')[0] for _ in range(90)]
        took = time.monotonic() - started
        assert statuses == [200] * 90, (statuses.count(429), took)


def test_the_limit_can_be_turned_off():
    with run_server(None, env={"TERMLIGHT_RATE_LIMIT": "off"}, workers=1) as srv:
        status, headers, _ = call(srv, "GET", "/v1/glossaries")
        assert status == 200 and "x-ratelimit-limit" not in headers
