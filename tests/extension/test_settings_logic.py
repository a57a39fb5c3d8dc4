"""The shared settings helpers (shared/settings.js), run in the extension's own options page."""

from __future__ import annotations

import pytest


@pytest.fixture
def call(browser):
    def run(name, *args):
        return browser.control.evaluate(f"(args) => termlightSettings.{name}(...args)", list(args))

    return run


@pytest.mark.parametrize(("value", "expected"), [
    ("http://localhost:8765", "http://localhost:8765"),
    ("  http://localhost:8765/  ", "http://localhost:8765"),
    ("https://terms.example.org/api/?x=1#y", "https://terms.example.org/api"),
    ("HTTP://LOCALHOST:8765", "http://localhost:8765"),
    ("javascript:alert(1)", None),
    ("ftp://example.org", None),
    ("http://user:pw@example.org", None),
    ("not a url", None),
    ("", None),
])
def test_normalize_server_url(call, value, expected):
    assert call("normalizeServerUrl", value) == expected


@pytest.mark.parametrize(("host", "entries", "expected"), [
    ("example.com", ["example.com"], True),
    ("www.example.com", ["example.com"], True),
    ("docs.example.com", ["example.com"], True),
    ("example.com", ["docs.example.com"], False),
    ("notexample.com", ["example.com"], False),
    ("example.com", ["https://Example.com/some/page"], True),
    ("127.0.0.1", ["127.0.0.1:8000"], True),
    ("example.org", [], False),
    ("", ["example.com"], False),
])
def test_is_site_disabled(call, host, entries, expected):
    assert call("isSiteDisabled", host, entries) is expected


@pytest.mark.parametrize(("url", "expected"), [
    ("http://localhost:8765", None),
    ("http://127.0.0.1:9999", None),
    ("https://localhost:8765", "https://localhost/*"),
    ("https://terms.example.org/api", "https://terms.example.org/*"),
    ("http://10.0.0.5:8765", "http://10.0.0.5/*"),
])
def test_permission_pattern(call, url, expected):
    assert call("permissionPattern", url) == expected


def test_sanitize_falls_back_to_defaults(call):
    out = call("sanitize", {"serverUrl": "javascript:x", "enabled": "yes", "occurrences": "some",
                            "disabledSites": ["A.com", "", 5, "a.com"], "glossaries": ["ai", 3, ""], "token": " t ",
                            "matchMode": "everywhere"})
    assert out == {"serverUrl": "http://localhost:8765", "token": "t", "enabled": True, "disabledSites": ["a.com"],
                   "occurrences": "every", "skipCode": True, "glossaries": ["ai"], "matchMode": "auto"}
