"""Issue 9, item 3: secrets stay in trusted contexts, and page text goes only to the saved server.

Code running in the content script's world is what a renderer exploit on any page would get;
harness.ui_eval runs there. Before issue 9 such code read the token from chrome.storage.local
and made the worker send it (with "test connection") to any host, and a server that answered
307 to another origin had the page's text re-sent there.
"""

from __future__ import annotations

import http.server
import threading

import pytest

from support.waiting import wait_until

from .harness import poll, ui_eval, wait_for_highlights
from .recording_proxy import RecordingProxy

TOKEN = "tok-issue9-secret-7731"

JS_READ_TOKEN = """async () => {
  try {
    if (!chrome.storage || !chrome.storage.local) return {error: 'no chrome.storage.local'};
    const v = await chrome.storage.local.get('token');
    return {token: v.token === undefined ? null : v.token};
  } catch (e) { return {error: String(e && e.message || e)}; }
}"""

JS_SEND_TEST = """async (root, serverUrl) => {
  const reply = await chrome.runtime.sendMessage({type: 'test', serverUrl});
  return reply && reply.error ? {error: reply.error.kind} : {ok: true};
}"""


@pytest.fixture
def elsewhere(glossary_server):
    """Another server, in front of the real service, that records what reaches it."""
    with RecordingProxy(glossary_server.url) as other:
        yield other


class _Redirector(http.server.BaseHTTPRequestHandler):
    target = ""
    seen: list[str] = []

    def _redirect(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        type(self).seen.append(body.decode("utf-8", "replace"))
        self.send_response(307)
        self.send_header("Location", type(self).target + self.path)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = _redirect

    def log_message(self, *args):
        pass


@pytest.fixture
def redirector(elsewhere):
    handler = type("Redirector", (_Redirector,), {"target": elsewhere.url, "seen": []})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield handler, f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_the_content_world_cannot_read_the_token(ext, pages, proxy):
    ext.set_settings({"serverUrl": proxy.url, "token": TOKEN})
    page = ext.context.new_page()
    page.goto(f"{pages.url}/plain.html?t=token-read")
    wait_for_highlights(page, minimum=9)
    # Positive control: the options page (a trusted context) reads it, and the server got it.
    assert ext.control.evaluate("async () => (await chrome.storage.local.get('token')).token") == TOKEN
    assert proxy.match_requests()[-1].headers.get("Authorization") == f"Bearer {TOKEN}"
    seen = ui_eval(page, JS_READ_TOKEN)
    assert seen.get("token") != TOKEN, "the content script's world read the API token"
    assert "error" in seen


def test_test_connection_is_refused_from_the_content_world(ext, pages, proxy, elsewhere):
    ext.set_settings({"serverUrl": proxy.url, "token": TOKEN})
    page = ext.context.new_page()
    page.goto(f"{pages.url}/plain.html?t=token-send")
    wait_for_highlights(page, minimum=9)
    assert ui_eval(page, JS_SEND_TEST, elsewhere.url) == {"error": "forbidden"}
    assert elsewhere.requests == [], "the worker sent a request where a page asked"

    # Positive control: the options page tests the saved server with the token...
    options = ext.context.new_page()
    options.goto(ext.extension_url("options/options.html"))
    poll(options, "() => document.body.dataset.ready === 'true'")
    proxy.clear()
    options.click("#test")
    poll(options, "() => document.querySelector('#test-result').textContent.startsWith('Connected')")
    assert {r.headers.get("Authorization") for r in proxy.requests if r.path.startswith("/v1/")} == {f"Bearer {TOKEN}"}
    # ... but a URL typed into the form is tried without the saved token.
    options.fill("#serverUrl", elsewhere.url)
    options.click("#test")
    poll(options, "() => document.querySelector('#test-result').textContent.startsWith('Connected')")
    assert elsewhere.requests, "the typed server was tried"
    assert all("Authorization" not in r.headers for r in elsewhere.requests), "the saved token went to an unsaved URL"


def test_a_redirect_does_not_carry_the_page_elsewhere(ext, pages, redirector, elsewhere):
    handler, url = redirector
    ext.set_settings({"serverUrl": url, "token": TOKEN})
    page = ext.context.new_page()
    page.goto(f"{pages.url}/plain.html?t=redirect")
    # Positive control: the worker sends (after its GET /v1/glossaries), the redirector answers 307.
    wait_until(lambda: any("Hallucination" in body for body in handler.seen), timeout=10,
               what="the page sent to the server")
    # The sentinel: the worker has given up on this request (its retries are over) when the badge
    # says so; a followed redirect would have reached `elsewhere` before that.
    wait_until(lambda: ext.badge(page) == "!", what="the '!' badge")
    assert elsewhere.requests == [], "the page text followed the redirect to another origin"
