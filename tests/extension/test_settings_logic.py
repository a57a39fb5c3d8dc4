"""The shared settings helpers (shared/settings.js), run in the extension's own options page."""

from __future__ import annotations

import pytest


def caller(browser, namespace):
    """Call `namespace.name(*args)` in the extension's options page."""
    def run(name, *args):
        return browser.control.evaluate(f"(args) => {namespace}.{name}(...args)", list(args))

    return run


@pytest.fixture
def call(extension_browser):
    return caller(extension_browser, "termlightSettings")


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
                   "occurrences": "first", "skipCode": True, "glossaries": ["ai"],
                   "mode": "sites", "sites": [], "insecureOk": False, "matchMode": "auto"}


@pytest.fixture
def sites(extension_browser):
    return caller(extension_browser, "termlightSites")


@pytest.mark.parametrize(("host", "entries"), [
    ("localhost.", ["localhost"]),
    ("bank.example.", ["bank.example"]),
    ("www.bank.example..", ["bank.example."]),
])
def test_a_trailing_dot_does_not_dodge_the_disable_list(call, host, entries):
    """Issue 9, item 4: before, `bank.example.` was read although `bank.example` was disabled."""
    assert call("isSiteDisabled", host, entries) is True


@pytest.mark.parametrize(("value", "expected"), [
    ("https://Wiki.Example.org:8443/page?q=1", "https://wiki.example.org"),
    ("wiki.example.org", "https://wiki.example.org"),
    ("http://bank.example./x", "http://bank.example"),
    ("ftp://example.org", None),
    ("", None),
])
def test_site_of(sites, value, expected):
    assert sites("siteOf", value) == expected


@pytest.mark.parametrize(("url", "settings", "expected"), [
    # On sites I choose, with a remote server: only chosen sites.
    ("https://wiki.example.org/a", {"mode": "sites", "sites": ["https://wiki.example.org"], "serverUrl": "https://t.example"}, True),
    ("http://wiki.example.org/a", {"mode": "sites", "sites": ["https://wiki.example.org"], "serverUrl": "https://t.example"}, False),
    ("https://mail.example.org/", {"mode": "sites", "sites": ["https://wiki.example.org"], "serverUrl": "https://t.example"}, False),
    ("http://127.0.0.1:8000/", {"mode": "sites", "sites": [], "serverUrl": "https://t.example"}, False),
    # With the server on this machine, this machine's pages count as chosen (and nothing else).
    ("http://127.0.0.1:8000/", {"mode": "sites", "sites": [], "serverUrl": "http://localhost:8765"}, True),
    ("http://localhost:3000/", {"mode": "sites", "sites": [], "serverUrl": "http://127.0.0.1:8765"}, True),
    ("http://127.0.0.2:3000/", {"mode": "sites", "sites": [], "serverUrl": "http://127.0.0.1:8765"}, False),
    ("https://mail.example.org/", {"mode": "sites", "sites": [], "serverUrl": "http://localhost:8765"}, False),
    # Everywhere: any http(s) page, nothing else.
    ("https://mail.example.org/", {"mode": "everywhere", "sites": [], "serverUrl": "https://t.example"}, True),
    ("file:///etc/passwd", {"mode": "everywhere", "sites": [], "serverUrl": "https://t.example"}, False),
])
def test_site_allowed(sites, url, settings, expected):
    assert sites("siteAllowed", url, settings, None) is expected


def test_content_matches(sites):
    base = {"enabled": True, "mode": "sites", "sites": ["https://wiki.example.org"], "serverUrl": "https://t.example"}
    assert sites("contentMatches", base) == ["https://wiki.example.org/*"]
    assert sites("contentMatches", {**base, "serverUrl": "http://localhost:8765"}) == [
        "https://wiki.example.org/*", "http://localhost/*", "http://127.0.0.1/*"]
    assert sites("contentMatches", {**base, "mode": "everywhere"}) == ["http://*/*", "https://*/*"]
    assert sites("contentMatches", {**base, "enabled": False}) == []


@pytest.mark.parametrize(("url", "expected"), [
    ("http://terms.example.org", True),
    ("http://10.0.0.5:8765", True),
    ("https://terms.example.org", False),
    ("http://localhost:8765", False),
    ("http://127.0.0.7:8765", False),
    ("http://[::1]:8765", False),
])
def test_is_insecure_server(call, url, expected):
    assert call("isInsecureServer", url) is expected
