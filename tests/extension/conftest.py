"""Fixtures for the extension's browser tests.

One real gunicorn (the test glossary), one recording proxy in front of it, one static page
server and one Chromium with the unpacked extension (support/browser_fixtures.py, shared with
the other suites) serve the whole run;
every test starts from default settings pointed at the proxy and an empty record.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from support.server import run_server

from .harness import PAGES_DIR, PageServer
from .recording_proxy import RecordingProxy

DATA = Path(__file__).resolve().parent / "data"
GLOSSARY_DIR = DATA / "glossary"


@pytest.fixture(scope="session")
def glossary_server():
    with run_server(GLOSSARY_DIR, workers=2) as server:
        yield server


@pytest.fixture(scope="session")
def proxy(glossary_server):
    with RecordingProxy(glossary_server.url) as p:
        yield p


@pytest.fixture(scope="session")
def pages():
    with PageServer(PAGES_DIR) as server:
        yield server


@pytest.fixture
def ext(extension_browser, proxy):
    """The shared browser, reset to default settings that point at the recording proxy."""
    with extension_browser.fresh(proxy.url):
        proxy.clear()
        yield extension_browser


@pytest.fixture
def console_log(ext):
    """Collects console messages and page errors from every page a test opens."""
    messages: list[str] = []

    def watch(page):
        page.on("console", lambda m: messages.append(f"console.{m.type}: {m.text}"))
        page.on("pageerror", lambda e: messages.append(f"pageerror: {e}"))

    ext.context.on("page", watch)
    yield messages
    ext.context.remove_listener("page", watch)
