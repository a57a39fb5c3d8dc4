"""Real Chromium for tests and benchmarks: the one place that launches it.

Chromium is Debian's (/usr/bin/chromium); Playwright drives it. A plain browser serves the
home page tests, the reliability checks and the benchmark's mark.js rounds; the extension only
loads into a persistent context, which ExtensionBrowser starts. Its own pages (an options tab
kept open as a "control page") read and write chrome.storage and the toolbar badge, and the
service worker runs the keyboard command's handler. The pytest fixtures over these helpers are
in support/browser_fixtures.py; `bench` imports this module directly.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
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


def highlight_texts(page, name: str = "termlight") -> list[str]:
    return page.evaluate(JS_HIGHLIGHT_TEXTS, name)


def handlers_had_their_chance(page) -> None:
    """Wait until an <img> with a failing src, added now, has run its onerror handler: by then
    a payload such as `<img src=x onerror=...>` that the page already holds had the same
    chance to run. The positive sentinel for checks that an injected handler never ran."""
    page.evaluate("""() => new Promise((resolve) => {
        const img = new Image();
        img.onerror = img.onload = () => resolve(true);
        img.src = 'x?handler-sentinel=' + Math.random();
        document.body.append(img);
    }).then((ok) => { document.querySelectorAll('img[src*="handler-sentinel"]').forEach((n) => n.remove()); return ok; })""")


def require_chromium() -> str:
    """The Chromium binary; a missing one is an error with the fix, never a skip."""
    if not os.path.exists(CHROMIUM):
        raise RuntimeError(f"{CHROMIUM} is missing: run `make chromium` (apt-get install chromium)")
    return CHROMIUM


def launch_plain(playwright, extra_args=()):
    """A plain headless Chromium (no extension)."""
    return playwright.chromium.launch(executable_path=require_chromium(), headless=True,
                                      args=[*launch_args(), *extra_args])


def loopback_only(route) -> None:
    """A page.route handler: requests to anything but loopback are aborted, so a page that
    pulls scripts from a CDN costs the same everywhere and nothing leaves the machine."""
    url = route.request.url
    if url.startswith(("http://127.0.0.1", "http://localhost", "chrome-extension:", "data:")):
        route.continue_()
    else:
        route.abort()


class PageServer:
    """Serves a folder of test pages on a free loopback port."""

    def __init__(self, directory: Path, host: str = "127.0.0.1"):
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


def launch_args(extension_dir: Path | None = None) -> list[str]:
    """Chromium's flags for tests: quiet, no sandbox (containers), and the unpacked extension
    when `extension_dir` is given."""
    extension = [f"--disable-extensions-except={extension_dir}",
                 f"--load-extension={extension_dir}"] if extension_dir else []
    return [
        *extension,
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
            executable_path=require_chromium(),
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

    def stop_workers(self) -> None:
        """Stop the extension's service worker as the browser does when it is idle; the next
        event (a page view, a message) starts a new one with empty memory."""
        cdp = self.context.new_cdp_session(self.control)
        cdp.send("ServiceWorker.enable")
        cdp.send("ServiceWorker.stopAllWorkers")
        cdp.detach()

    def set_settings(self, values: dict, match_mode: str | None = "server") -> None:
        """Replace every stored setting (defaults for the rest) and forget cached answers.

        The tests that read what the extension sends run in server mode unless they say
        otherwise (``match_mode=None`` keeps the extension's own default: local matching).
        Every occurrence is underlined unless `values` says otherwise: the suites count drawn
        occurrences; the default (only each term's first underlined) has its own tests, which
        pass ``{"occurrences": None}`` to keep the default."""
        if match_mode is not None:
            values = {"matchMode": match_mode, **values}
        values = {"occurrences": "every", **values}
        values = {key: value for key, value in values.items() if value is not None}
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

    @contextlib.contextmanager
    def fresh(self, server_url: str):
        """Default settings pointed at `server_url`; pages opened meanwhile are closed after."""
        self.set_settings({"serverUrl": server_url})
        before = set(self.context.pages)
        try:
            yield self
        finally:
            for page in self.context.pages:
                if page not in before and page is not self.control:
                    page.close()

    def close(self) -> None:
        try:
            self.context.close()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)


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
