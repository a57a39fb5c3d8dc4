"""Shared setup for the reliability suite: short runs by default, long ones under `make soak`.

`make test` runs every check here in a short form so the whole suite stays fast; `make soak`
sets TERMLIGHT_SOAK=1 and the same tests run long enough to find what only shows up at volume
(leaks, rare races, the odd generated input). One switch, read in one place, so a test never
has two code paths: only its sizes change.
"""

from __future__ import annotations

import os
import shutil

import pytest

SOAK = os.environ.get("TERMLIGHT_SOAK", "").strip() not in ("", "0", "false", "no")


def scaled(short, long):
    """`long` under `make soak`, `short` otherwise."""
    return long if SOAK else short


@pytest.fixture(scope="session")
def wrk_path() -> str:
    path = shutil.which("wrk")
    if path is None:  # a missing tool must fail loudly, never skip
        pytest.fail("wrk is missing: run `make load-tools` (apt-get install wrk)")
    return path


# --- real Chromium with the extension, for the XSS and privacy checks ---------------------
# The shared browser fixtures (support/browser_fixtures.py); a server with a hostile glossary
# sits behind the recording proxy, so every body the extension sends is kept.

HERE = os.path.dirname(os.path.abspath(__file__))
HOSTILE_GLOSSARY = os.path.join(HERE, "data", "hostile")
PAGES = os.path.join(HERE, "pages")


@pytest.fixture(scope="session")
def hostile_server():
    from support.server import run_server

    with run_server(HOSTILE_GLOSSARY, workers=1) as server:
        yield server


@pytest.fixture(scope="session")
def recording_proxy(hostile_server):
    from extension.recording_proxy import RecordingProxy

    with RecordingProxy(hostile_server.url) as proxy:
        yield proxy


@pytest.fixture(scope="session")
def page_server():
    from pathlib import Path

    from support.browser import PageServer

    with PageServer(Path(PAGES)) as server:
        yield server


@pytest.fixture
def ext(extension_browser, recording_proxy):
    """The shared extension browser (support/browser_fixtures.py) pointed at the recording
    proxy, with a clean record."""
    with extension_browser.fresh(recording_proxy.url):
        recording_proxy.clear()
        yield extension_browser


# --- the hostile-input tests' server ------------------------------------------------------

@pytest.fixture(scope="module")
def bundled():
    """The bundled glossary in-process: what the server's answers are compared with."""
    from termlight import Glossary
    from termlight.paths import bundled_glossary

    return Glossary.load(bundled_glossary())


@pytest.fixture(scope="module")
def srv():
    """A one-worker server for the hostile-input tests (hostile.py measures its worker)."""
    from support.server import run_server

    from .hostile import BODY_TIMEOUT, FIGURES
    from .procstats import wait_for_workers

    env = {"TERMLIGHT_BODY_TIMEOUT": str(BODY_TIMEOUT)}
    with run_server(None, env=env, workers=1) as server:
        wait_for_workers(server, 1)
        yield server
    print("\n" + "\n".join(FIGURES))


@pytest.fixture
def pid(srv):
    """The worker of `srv`, waited for afresh (a test may have killed the last one)."""
    from .procstats import wait_for_workers

    return wait_for_workers(srv, 1)[0]
