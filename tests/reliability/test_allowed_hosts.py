"""Issue 10, item 8: a DNS-rebinding page cannot read the glossary from a local server.

The page at `evil.example` makes its name resolve to 127.0.0.1 and reads
`http://evil.example:PORT/v1/...` as its own origin; the browser then sends
`Host: evil.example:PORT`. With the defaults (loopback address, no token), such requests now
get a 421 problem; the loopback names with the server's port still work. Over a real
gunicorn with raw sockets (the Host header is what a rebinding browser sends).
"""

from __future__ import annotations

import json

import pytest

from support.problems import check_problem
from support.server import run_server

from .hostile import raw_call

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def srv():
    with run_server(None, workers=1) as server:
        yield server


def get(srv, path: str, host: str):
    data = f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode()
    status, headers, body = raw_call(srv, data)()
    return status, headers, json.loads(body) if body else None


REBINDING = ["evil.example:{port}", "evil.example", "127.0.0.1.nip.io:{port}",
             "localhost.evil.example:{port}", "localhost:{other}", "127.0.0.1:{other}",
             "[::1]:{other}", "0.0.0.0:{port}", "{port}", "localhost:{port}@evil.example"]


@pytest.mark.parametrize("host", REBINDING)
@pytest.mark.parametrize("path", ["/v1/terms", "/v1/glossaries", "/healthz", "/openapi.json", "/"])
def test_a_rebound_name_gets_421(srv, host, path):
    host = host.format(port=srv.port, other=srv.port + 1)
    status, headers, body = get(srv, path, host)
    check_problem(status, headers["content-type"], body, 421, "Host")
    assert "large-language-model" not in json.dumps(body)


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}",
                                  "[::1]:{port}", "localhost", "127.0.0.1"])
def test_the_loopback_names_with_the_port_are_served(srv, host):
    status, _, body = get(srv, "/v1/terms/large-language-model", host.format(port=srv.port))
    assert status == 200 and body["id"] == "large-language-model"


def test_a_missing_host_header_gets_a_problem(srv):
    data = b"GET /v1/glossaries HTTP/1.0\r\n\r\n"
    status, headers, _ = raw_call(srv, data)()
    assert status in (400, 421)


def test_configured_names_replace_the_default():
    # 127.0.0.1 for the test's own health check, as a load balancer's address would be listed.
    env = {"TERMLIGHT_ALLOWED_HOSTS": "wiki.example.org, .team.example:8443, 127.0.0.1"}
    with run_server(None, env=env, workers=1) as srv:
        assert get(srv, "/v1/glossaries", "wiki.example.org")[0] == 200
        assert get(srv, "/v1/glossaries", "wiki.example.org:1234")[0] == 200
        assert get(srv, "/v1/glossaries", "docs.team.example:8443")[0] == 200
        assert get(srv, "/v1/glossaries", "docs.team.example:8444")[0] == 421
        assert get(srv, "/v1/glossaries", f"localhost:{srv.port}")[0] == 421
        assert get(srv, "/v1/glossaries", "evil.example")[0] == 421
