"""What the extension tests read from a page: highlights, the popover, the panel.

Launching Chromium with the extension (ExtensionBrowser), the page server and `poll` live in
tests/support/browser.py, shared with the reliability and home-page tests and with `bench`;
they are re-exported here for the extension tests.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from support.browser import (  # noqa: F401  (re-exported for the extension tests)
    CHROMIUM, EXTENSION_DIR, REPO, ExtensionBrowser, PageServer, highlight_texts, launch_args, poll)

PAGES_DIR = Path(__file__).resolve().parent / "pages"

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


# Whether termlight's panel is open, read through its closed shadow root (see ui_eval).
JS_PANEL_OPEN = "(root) => { const p = root && root.querySelector('.panel'); return !!p && !p.hidden; }"


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
