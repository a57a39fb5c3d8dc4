"""Local matching in real Chromium (issue 15, items 2-3): with the default mode the extension
matches in its worker with the compiled glossary, so no page text reaches the server; the
compiled glossary survives in IndexedDB and is revalidated with its ETag; definitions are
fetched on hover. Server mode (the positive control) sends the text as before."""

from __future__ import annotations

from .harness import ui_wait, wait_for_highlights
from .test_popover import JS_OPEN, glossary_term, hover

PAGE_WORDS = ["Large Language Model", "tokens", "Hallucination", "Observability", "latency", "reads"]


def log_of(proxy) -> list[tuple[str, str, bytes]]:
    with proxy.lock:
        return [(r.method, r.path, r.body) for r in proxy.requests]


def assert_no_page_text(proxy):
    for method, path, body in log_of(proxy):
        assert method == "GET", (method, path)
        assert not path.startswith("/v1/match"), path
        for word in PAGE_WORDS:
            assert word.lower() not in (path + body.decode("utf-8", "replace")).lower(), (word, path)


def test_default_is_local_and_sends_no_page_text(ext, pages, proxy):
    ext.set_settings({"serverUrl": proxy.url}, match_mode=None)  # the extension's own default
    assert ext.service_worker().evaluate("() => termlightSettings.DEFAULTS.matchMode") == "auto"
    page = ext.context.new_page()
    page.goto(f"{pages.url}/plain.html?t=local")
    texts = wait_for_highlights(page, minimum=6)
    assert {"Large Language Model", "tokens", "Hallucination", "hallucination", "Observability",
            "latency"} <= set(texts)
    paths = [(m, p) for m, p, _ in log_of(proxy)]
    assert paths and set(paths) == {("GET", "/v1/compiled")}, paths  # (a check every 3 s at most)
    assert proxy.match_requests() == []
    assert_no_page_text(proxy)

    # A hover asks for that one definition, by id, and shows it.
    hover(page, "Large Language Model")
    ui_wait(page, JS_OPEN, timeout=5)
    llm = glossary_term("llm")
    ui_wait(page, "(root, d) => root.querySelector('.definition').textContent === d", llm["definition"], timeout=5)
    # ...and the names of its related terms, for the card's buttons: ids, never page text.
    # (GET /v1/glossaries is the worker's check that the glossary did not change: no page text.)
    later = [p for m, p, _ in log_of(proxy)][1:]
    assert "/v1/glossaries" in later
    later = [p for p in later if p not in ("/v1/glossaries", "/v1/compiled")]
    assert later[0] == "/v1/terms/llm"
    assert set(later[1:]) <= {f"/v1/terms/{r}" for r in llm.get("related", [])}, later
    assert_no_page_text(proxy)


def test_compiled_glossary_survives_a_worker_restart_and_is_revalidated(ext, pages, proxy):
    ext.set_settings({"serverUrl": proxy.url, "matchMode": "local"}, match_mode=None)
    page = ext.context.new_page()
    page.goto(f"{pages.url}/plain.html?t=first")
    wait_for_highlights(page, minimum=6)
    assert set(p for _, p, _ in log_of(proxy)) == {"/v1/compiled"}
    stored = ext.control.evaluate("""() => new Promise((resolve) => {
        const req = indexedDB.open('termlight');
        req.onsuccess = () => { const get = req.result.transaction('compiled').objectStore('compiled').getAll();
          get.onsuccess = () => resolve(get.result.map((r) => [r.serverUrl, r.etag, r.body.length])); };
        req.onerror = () => resolve(null); })""")
    stored = [r for r in stored if r[0] == proxy.url]  # other tests' servers may have copies too
    assert len(stored) == 1 and stored[0][1] and stored[0][2] > 1000

    # Stop the worker as the browser does when idle; the next page view starts a new one.
    ext.stop_workers()
    proxy.clear()
    again = ext.context.new_page()
    again.goto(f"{pages.url}/plain.html?t=second")
    wait_for_highlights(again, minimum=6)
    revalidations = [r for r in proxy.requests if r.path == "/v1/compiled"]
    # One check on the first page view (more when a page view outlasts the 3 s interval), each
    # a conditional GET with the stored copy's ETag.
    assert revalidations, [(r.method, r.path) for r in proxy.requests]
    assert all(r.headers.get("If-None-Match") == stored[0][1] for r in revalidations)
    assert_no_page_text(proxy)


def test_server_mode_sends_the_text(ext, pages, proxy):
    """The positive control: the same page in server mode does send its text."""
    ext.set_settings({"serverUrl": proxy.url, "matchMode": "server"}, match_mode=None)
    page = ext.context.new_page()
    page.goto(f"{pages.url}/plain.html?t=server")
    wait_for_highlights(page, minimum=6)
    sent = "\n".join(proxy.match_texts())
    assert "Large Language Model reads tokens" in sent
    assert not any(p == "/v1/compiled" for _, p, _ in log_of(proxy))


def test_local_mode_draws_what_server_mode_draws(ext, pages, proxy):
    ext.set_settings({"serverUrl": proxy.url, "matchMode": "server"}, match_mode=None)
    page = ext.context.new_page()
    page.goto(f"{pages.url}/article.html?t=server-side")
    by_server = sorted(wait_for_highlights(page, minimum=8))
    ext.set_settings({"serverUrl": proxy.url, "matchMode": "local"}, match_mode=None)
    proxy.clear()
    page = ext.context.new_page()
    page.goto(f"{pages.url}/article.html?t=local-side")
    by_browser = sorted(wait_for_highlights(page, minimum=8))
    assert by_browser == by_server
    assert proxy.match_requests() == []


def test_an_administrator_can_set_the_mode(ext):
    """The policy schema and the settings agree on the mode's key and values (item 3, #7)."""
    import json

    from .harness import EXTENSION_DIR

    schema = json.loads((EXTENSION_DIR / "managed_schema.json").read_text(encoding="utf-8"))
    assert schema["properties"]["matchMode"]["enum"] == ["auto", "local", "server"]
    assert "matchMode" in ext.control.evaluate("() => termlightPolicy.MANAGED_KEYS")
    for value in ("auto", "local", "server"):
        assert ext.control.evaluate("(v) => termlightSettings.sanitize({matchMode: v}).matchMode", value) == value
    assert ext.control.evaluate("() => termlightSettings.sanitize({matchMode: 'nowhere'}).matchMode") == "auto"


JS_STORED = """() => new Promise((resolve) => {
    const req = indexedDB.open('termlight');
    req.onsuccess = () => { const get = req.result.transaction('compiled').objectStore('compiled').getAllKeys();
      get.onsuccess = () => resolve(get.result); };
    req.onerror = () => resolve(null); })"""


def test_a_refused_token_loses_the_copy(ext, pages):
    """A token the server stops accepting: the copy in hand answers one more page at most (it is
    revalidated meanwhile), then it is gone, from memory and from IndexedDB, and the badge says KEY."""
    from support.server import run_server
    from support.waiting import wait_until

    from .conftest import GLOSSARY_DIR
    from .recording_proxy import RecordingProxy

    token = "local-token-15"
    with run_server(GLOSSARY_DIR, env={"TERMLIGHT_API_TOKEN": token}, workers=1) as server, \
            RecordingProxy(server.url) as proxy:
        ext.set_settings({"serverUrl": proxy.url, "token": token, "matchMode": "local"}, match_mode=None)
        page = ext.context.new_page()
        page.goto(f"{pages.url}/plain.html?t=token-ok")
        wait_for_highlights(page, minimum=6)
        assert proxy.url in ext.control.evaluate(JS_STORED)

        ext.set_settings({"serverUrl": proxy.url, "token": "revoked", "matchMode": "local"}, match_mode=None)
        page = ext.context.new_page()
        page.goto(f"{pages.url}/plain.html?t=token-revoked")
        wait_until(lambda: any(r.headers.get("Authorization") == "Bearer revoked" for r in proxy.requests),
                   what="the revalidation with the new token")
        wait_until(lambda: proxy.url not in (ext.control.evaluate(JS_STORED) or []), what="the copy removed")
        page = ext.context.new_page()
        page.goto(f"{pages.url}/plain.html?t=token-after")
        wait_until(lambda: ext.badge(page) == "KEY", what="the KEY badge")
        assert page.evaluate("() => (CSS.highlights.get('termlight') || {size: 0}).size") == 0
