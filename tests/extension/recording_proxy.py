"""A tiny recording HTTP proxy for the browser tests.

The extension is pointed at this proxy instead of at gunicorn, so a test can read exactly
what the extension sent (method, path, headers, JSON body) and still get the real service's
answers. It forwards every request unchanged to the upstream server on loopback and relays
the answer unchanged; it never invents a response.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer"}


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body) if self.body else None


class RecordingProxy:
    """Start with `with RecordingProxy(upstream_url) as proxy:`; read `proxy.requests`."""

    def __init__(self, upstream: str, port: int = 0):
        parts = urlsplit(upstream)
        self.upstream_host = parts.hostname
        self.upstream_port = parts.port
        self.requests: list[Recorded] = []
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", port), self._handler_class())
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _handler_class(self):
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output clean
                pass

            def _forward(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                with proxy.lock:
                    proxy.requests.append(Recorded(self.command, self.path, dict(headers), body))
                # Like nginx's default, the upstream gets its own Host (http.client sets it):
                # the browser's names this proxy, which the server rightly refuses (421).
                headers = {k: v for k, v in headers.items() if k.lower() != "host"}
                conn = http.client.HTTPConnection(proxy.upstream_host, proxy.upstream_port, timeout=30)
                try:
                    conn.request(self.command, self.path, body=body or None, headers=headers)
                    resp = conn.getresponse()
                    payload = resp.read()
                    self.send_response(resp.status, resp.reason)
                    for k, v in resp.getheaders():
                        if k.lower() not in HOP_BY_HOP and k.lower() != "content-length":
                            self.send_header(k, v)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                finally:
                    conn.close()

            do_GET = do_POST = do_PUT = do_DELETE = do_OPTIONS = do_HEAD = _forward

        return Handler

    def match_texts(self) -> list[str]:
        """Every text the extension sent to /v1/match, in order."""
        texts = []
        with self.lock:
            recorded = list(self.requests)
        for r in recorded:
            if r.method == "POST" and r.path.startswith("/v1/match"):
                body = r.json() or {}
                texts.extend(body.get("texts") or [])
                if "text" in body:
                    texts.append(body["text"])
        return texts

    def match_requests(self) -> list[Recorded]:
        with self.lock:
            return [r for r in self.requests if r.method == "POST" and r.path.startswith("/v1/match")]

    def clear(self):
        with self.lock:
            self.requests.clear()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def free_port() -> int:
    """A loopback port nothing listens on right now (used to simulate a server that is down)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
