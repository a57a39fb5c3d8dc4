"""When the server is down or refuses us: the page stays as it was, the badge says why, the
console stays silent, and the extension recovers by itself once the server is back."""

from __future__ import annotations

import pytest

from support.server import run_server
from support.waiting import wait_until

from .conftest import GLOSSARY_DIR
from .harness import poll, wait_for_highlights
from .recording_proxy import RecordingProxy, free_port

REMEMBER_BODY = """document.addEventListener('DOMContentLoaded', () => {
  window.__bodyAtLoad = document.body.innerHTML;
  window.__childrenAtLoad = document.documentElement.children.length;
});"""

TOKEN = "tl-test-token-6f1d2c"


def loud(messages):
    """Console output that counts as noise: errors, warnings and uncaught exceptions."""
    return [m for m in messages if m.startswith(("console.error", "console.warning", "console.warn", "pageerror"))]


def test_server_down_leaves_the_page_alone_then_recovers(ext, pages, glossary_server, console_log):
    port = free_port()
    ext.set_settings({"serverUrl": f"http://127.0.0.1:{port}"})
    page = ext.context.new_page()
    page.add_init_script(REMEMBER_BODY)
    page.goto(f"{pages.url}/article.html?t=down")
    # hello, a match request with its retries, the first back-off: then the badge says so.
    wait_until(lambda: ext.badge(page) == "!", what="the '!' badge")
    assert "Cannot reach the termlight server" in ext.badge_title(page)
    assert page.evaluate("() => (CSS.highlights.get('termlight') || {size: 0}).size") == 0
    assert page.evaluate("() => document.body.innerHTML === window.__bodyAtLoad")
    assert page.evaluate("() => document.documentElement.children.length === window.__childrenAtLoad")
    assert loud(console_log) == [], console_log

    # The server comes back on that port: the content script's retry finds it without a reload.
    with RecordingProxy(glossary_server.url, port=port) as revived:
        texts = wait_for_highlights(page, minimum=8, timeout=40000)
        assert "Large Language Model" in texts
        assert revived.match_requests()
    assert ext.badge(page).isdigit()
    assert page.evaluate("() => document.body.innerHTML === window.__bodyAtLoad")
    assert loud(console_log) == [], console_log


@pytest.fixture(scope="module")
def token_server():
    with run_server(GLOSSARY_DIR, env={"TERMLIGHT_API_TOKEN": TOKEN}, workers=1) as server:
        with RecordingProxy(server.url) as proxy:
            yield proxy


def test_wrong_token_shows_on_the_badge_and_nothing_else(ext, pages, token_server, console_log):
    ext.set_settings({"serverUrl": token_server.url, "token": "not-the-token"})
    page = ext.context.new_page()
    page.add_init_script(REMEMBER_BODY)
    page.goto(f"{pages.url}/plain.html?t=badtoken")
    wait_until(lambda: ext.badge(page) == "KEY", what="the KEY badge")  # the 401 has arrived
    assert "token" in ext.badge_title(page)
    assert page.evaluate("() => (CSS.highlights.get('termlight') || {size: 0}).size") == 0
    assert page.evaluate("() => document.body.innerHTML === window.__bodyAtLoad")
    assert loud(console_log) == [], console_log
    sent = token_server.match_requests()
    assert sent and sent[-1].headers.get("Authorization") == "Bearer not-the-token"


def test_token_set_in_the_options_fixes_an_open_page(ext, pages, token_server):
    """Saving the right token in the options page re-reads open pages; it goes out as a Bearer header."""
    ext.set_settings({"serverUrl": token_server.url})
    page = ext.context.new_page()
    page.goto(f"{pages.url}/plain.html?t=goodtoken")
    wait_until(lambda: ext.badge(page) == "KEY", what="the KEY badge")
    assert page.evaluate("() => (CSS.highlights.get('termlight') || {size: 0}).size") == 0

    options = ext.context.new_page()
    options.goto(ext.extension_url("options/options.html"))
    poll(options, "() => document.body.dataset.ready === 'true'")
    options.fill("#token", TOKEN)
    token_server.clear()
    options.click("#save")
    poll(options, "() => document.querySelector('#save-result').textContent === 'Saved.'")
    assert ext.settings()["token"] == TOKEN

    texts = wait_for_highlights(page, minimum=9)  # the open page, without a reload
    assert "Large Language Model" in texts
    requests = token_server.match_requests()
    assert any(r.headers.get("Authorization") == f"Bearer {TOKEN}" for r in requests)
    assert ext.badge(page) == "5"
