"""The browser fixtures every suite shares (registered in tests/conftest.py).

One Playwright driver, one plain Chromium and one Chromium with the extension for the whole
run, whichever suites use them: the extension tests, the reliability checks and the home page
tests. A test that needs the extension takes `extension_browser` through its suite's `ext`
fixture, which points it at that suite's server (see ExtensionBrowser.fresh).
"""

from __future__ import annotations

import pytest

from support.browser import ExtensionBrowser, launch_plain, require_chromium


def _chromium() -> None:
    try:
        require_chromium()
    except RuntimeError as err:  # a missing browser fails loudly, never skips
        pytest.fail(str(err))


@pytest.fixture(scope="session")
def playwright_instance():
    """One Playwright driver: its sync API cannot start twice in a process."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def plain_chromium(playwright_instance):
    """Chromium without the extension (new_context() per test keeps tests apart)."""
    _chromium()
    browser = launch_plain(playwright_instance)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def extension_browser(playwright_instance):
    """Chromium with the unpacked extension."""
    _chromium()
    browser = ExtensionBrowser(playwright_instance)
    yield browser
    browser.close()
