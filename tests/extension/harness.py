"""Driving real Chromium with the unpacked extension loaded, for the browser tests.

Chromium is Debian's (/usr/bin/chromium), started by Playwright as a persistent context
because extensions only load into one. The extension's own pages (an options tab kept open
as a "control page") are used to read and write chrome.storage and the toolbar badge, and
the service worker is used to run the keyboard command's handler.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
REPO = Path(__file__).resolve().parents[2]
# TERMLIGHT_EXTENSION_DIR points the tests at another copy of the extension (for example an
# older commit's, to watch an attack test fail on it).
EXTENSION_DIR = Path(os.environ.get("TERMLIGHT_EXTENSION_DIR") or REPO / "extension")
PAGES_DIR = Path(__file__).resolve().parent / "pages"

# Read the ranges registered in the page's CSS.highlights registry (shared by all worlds).
JS_HIGHLIGHT_TEXTS = """(name) => {
  const h = CSS.highlights.get(name || 'termlight');
  if (!h) return [];
  const out = [];
  for (const r of h) {
    const x = document.createRange();
    try { x.setStart(r.startContainer, r.startOffset); x.setEnd(r.endContainer, r.endOffset); out.push(x.toString()); }
    catch (e) { out.push(null); }
  }
  return out;
}"""

JS_HIGHLIGHT_COUNT = "(name) => { const h = CSS.highlights.get(name || 'termlight'); return h ? h.size : 0; }"

# The viewport rectangle of the first drawn occurrence whose text is `text`.
JS_RECT_OF = """(text) => {
  const h = CSS.highlights.get('termlight');
  if (!h) return null;
  for (const r of h) {
    const x = document.createRange();
    x.setStart(r.startContainer, r.startOffset); x.setEnd(r.endContainer, r.endOffset);
    if (x.toString() === text) {
      const b = x.getClientRects()[0];
      return b ? {x: b.left, y: b.top, w: b.width, h: b.height} : null;
    }
  }
  return null;
}"""

# What the popover shows, read through termlight's closed shadow root (see ui_eval).
JS_POPOVER = """(root) => {
  const card = root && root.querySelector('.card');
  if (!card) return null;
  const q = (s) => { const n = card.querySelector(s); return n ? n.textContent : null; };
  const link = card.querySelector('a.more');
  return {
    open: !card.hidden,
    term: q('.term'), definition: q('.definition'), aliases: q('.aliases'),
    related: [...card.querySelectorAll('button.chip')].map((b) => b.textContent),
    link: link ? link.href : null,
    elementCount: card.querySelectorAll('*').length,
    tags: [...new Set([...card.querySelectorAll('*')].map((n) => n.localName))].sort(),
    rect: (() => { const b = card.getBoundingClientRect(); return {x: b.left, y: b.top, w: b.width, h: b.height}; })(),
  };
}"""


class PageServer:
    """Serves tests/extension/pages (or another folder) on a free loopback port."""

    def __init__(self, directory: Path = PAGES_DIR, host: str = "127.0.0.1"):
        handler = functools.partial(_QuietHandler, directory=str(directory))
        self.httpd = http.server.ThreadingHTTPServer((host, 0), handler)
        self.httpd.daemon_threads = True
        self.url = f"http://{host}:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


def launch_args(extension_dir: Path) -> list[str]:
    return [
        f"--disable-extensions-except={extension_dir}",
        f"--load-extension={extension_dir}",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-dev-shm-usage",
    ]


class ExtensionBrowser:
    """A persistent Chromium context with the extension, plus helpers to steer it."""

    def __init__(self, playwright, extension_dir: Path = EXTENSION_DIR, viewport=None, extra_args=()):
        self.profile = tempfile.mkdtemp(prefix="termlight-chromium-")
        self.context = playwright.chromium.launch_persistent_context(
            self.profile,
            executable_path=CHROMIUM,
            headless=True,
            args=[*launch_args(extension_dir), *extra_args],
            viewport=viewport or {"width": 1200, "height": 800},
        )
        workers = self.context.service_workers
        self.worker = workers[0] if workers else self.context.wait_for_event("serviceworker", timeout=20000)
        self.extension_id = self.worker.url.split("/")[2]
        self.control = self.context.new_page()
        self.control.goto(self.extension_url("options/options.html"))
        poll(self.control, "() => document.body.dataset.ready === 'true'", timeout=10)

    def extension_url(self, path: str) -> str:
        return f"chrome-extension://{self.extension_id}/{path}"

    def service_worker(self):
        """The live worker; Chromium may have restarted it since the last call."""
        for w in self.context.service_workers:
            if self.extension_id in w.url:
                self.worker = w
                return w
        return self.worker

    def set_settings(self, values: dict, match_mode: str | None = "server") -> None:
        """Replace every stored setting (defaults for the rest) and forget cached answers.

        The tests that read what the extension sends run in server mode unless they say
        otherwise (``match_mode=None`` keeps the extension's own default)."""
        if match_mode is not None:
            values = {"matchMode": match_mode, **values}
        self.control.evaluate(
            "async (v) => { await chrome.storage.local.clear(); await chrome.storage.local.set(v); }", values)
        self.service_worker().evaluate(
            "async () => { termlightBackground.client.reset(); if (termlightBackground.local) termlightBackground.local.reset();"
            " if (termlightBackground.siteAccess) await termlightBackground.siteAccess.sync(); }")

    def settings(self) -> dict:
        return self.control.evaluate("() => chrome.storage.local.get(null)")

    def tab_id(self, page) -> int:
        return self.control.evaluate(
            "async (url) => { const tabs = await chrome.tabs.query({}); const t = tabs.find((t) => t.url === url); return t ? t.id : null; }",
            page.url)

    def badge(self, page) -> str:
        tab = self.tab_id(page)
        return self.control.evaluate("(tabId) => chrome.action.getBadgeText({tabId})", tab)

    def badge_title(self, page) -> str:
        tab = self.tab_id(page)
        return self.control.evaluate("(tabId) => chrome.action.getTitle({tabId})", tab)

    def run_command(self, page, command: str = "toggle-panel") -> bool:
        """Run the handler that chrome.commands.onCommand calls, for this page's tab."""
        tab = self.tab_id(page)
        return self.service_worker().evaluate(
            "([command, tabId]) => termlightBackground.handleCommand(command, {id: tabId})", [command, tab])

    def close(self) -> None:
        try:
            self.context.close()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)


def highlight_texts(page, name: str = "termlight") -> list[str]:
    return page.evaluate(JS_HIGHLIGHT_TEXTS, name)


def wait_for_highlights(page, minimum: int = 1, timeout: float = 15000, settle: float = 0.6) -> list[str]:
    """Wait until at least `minimum` ranges are drawn and the count stops changing."""
    page.wait_for_function(f"({JS_HIGHLIGHT_COUNT})() >= {minimum}", timeout=timeout)
    last = -1
    deadline = time.monotonic() + timeout / 1000
    while time.monotonic() < deadline:
        count = page.evaluate(JS_HIGHLIGHT_COUNT)
        if count == last:
            break
        last = count
        time.sleep(settle)
    return highlight_texts(page)


def popover(page):
    return ui_eval(page, JS_POPOVER)


# termlight's shadow root, seen from its content-script world (older copies had an open one).
JS_ROOT = """() => { const ui = globalThis.termlight && globalThis.termlight.ui;
  if (ui && ui.existingRoot) return ui.existingRoot();
  const host = document.querySelector('termlight-ui'); return host ? host.shadowRoot : null; }"""


class _ContentWorld:
    """A DevTools session on one page that knows the execution context of the extension's
    content scripts (their isolated world), so tests can look inside termlight's *closed*
    shadow root, which page scripts (and page.evaluate) cannot."""

    def __init__(self, page):
        self.page = page
        self.context_id = None
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.on("Runtime.executionContextCreated", self._created)
        self.cdp.on("Runtime.executionContextDestroyed", self._destroyed)
        self.cdp.on("Runtime.executionContextsCleared", lambda _: setattr(self, "context_id", None))
        self.cdp.send("Runtime.enable")

    def _created(self, params):
        ctx = params["context"]
        aux = ctx.get("auxData") or {}
        if aux.get("type") == "isolated" and ctx.get("origin", "").startswith("chrome-extension://") \
                and aux.get("frameId") == self._main_frame_id():
            self.context_id = ctx["id"]

    def _destroyed(self, params):
        if params.get("executionContextId") == self.context_id:
            self.context_id = None

    def _main_frame_id(self):
        if not hasattr(self, "_frame_id"):
            self._frame_id = self.cdp.send("Page.getFrameTree")["frameTree"]["frame"]["id"]
        return self._frame_id

    def evaluate(self, js: str, arg, timeout: float):
        expression = f"({js})(({JS_ROOT})(), {json.dumps(arg)})"
        deadline = time.monotonic() + timeout
        while True:
            if self.context_id is not None:
                answer = self.cdp.send("Runtime.evaluate", {
                    "expression": expression, "contextId": self.context_id,
                    "returnByValue": True, "awaitPromise": True})
                if "exceptionDetails" not in answer:
                    return answer["result"].get("value")
                text = answer["exceptionDetails"].get("exception", {}).get("description", "")
                if "Cannot find context" not in text and "context" not in text.lower():
                    raise AssertionError(f"content-world evaluate failed: {text or answer['exceptionDetails']}")
            if time.monotonic() > deadline:
                raise AssertionError("termlight's content script never ran in this page")
            self.page.wait_for_timeout(50)


def ui_eval(page, js: str, arg=None, timeout: float = 10.0):
    """Run `js`, a function `(root, arg) => value`, in termlight's content-script world, where
    `root` is its closed shadow root (null before the UI first shows). Waits up to `timeout`
    seconds for the content script to be there."""
    world = getattr(page, "_termlight_world", None)
    if world is None:
        world = _ContentWorld(page)
        page._termlight_world = world
    return world.evaluate(js, arg, timeout)


def ui_wait(page, js: str, arg=None, timeout: float = 5.0):
    """Poll `ui_eval(page, js, arg)` until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        value = ui_eval(page, js, arg, timeout=max(0.5, deadline - time.monotonic()))
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {js}")
        page.wait_for_timeout(50)


def rect_of(page, text: str):
    return page.evaluate(JS_RECT_OF, text)


def poll(page, js: str, timeout: float = 5.0, interval: float = 0.05):
    """Evaluate `js` (a function) until it returns something truthy. Works on extension pages,
    where wait_for_function cannot run because their CSP forbids eval."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(js)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {js}")
        time.sleep(interval)
