"""Issue 9, item 6: an administrator rolls termlight out by Chrome enterprise policy.

The real Chromium policy path: Chromium on Linux reads /etc/chromium/policies/managed/*.json
at start-up. This test writes one file there naming a copy of the extension under this run's
private temporary directory (so the policy's extension id, derived from that path, belongs to
no other Chromium on the machine: concurrent runs of other tests are unaffected), starts a
browser, and removes the file when the module is done (also after a failure): Chromium
watches the folder, so the file must stay while the browser uses the policy, a few seconds.
The policy sets the server, a token, the site-access mode and `locked: true`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from pathlib import Path

import pytest

from .harness import EXTENSION_DIR, REPO, ExtensionBrowser, poll, wait_for_highlights

POLICY_DIR = Path("/etc/chromium/policies/managed")
POLICY_TOKEN = "policy-token-9-6"


def unpacked_extension_id(path: Path) -> str:
    """Chromium's id for an unpacked extension: the SHA-256 of its absolute path, first 32 hex
    digits written with the letters a-p."""
    digest = hashlib.sha256(str(path).encode("utf-8")).hexdigest()[:32]
    return "".join(chr(ord("a") + int(c, 16)) for c in digest)


@pytest.fixture(scope="module")
def managed(playwright_instance, tmp_path_factory, proxy):
    copy = (tmp_path_factory.mktemp("managed") / "extension").resolve()
    shutil.copytree(EXTENSION_DIR, copy)
    ext_id = unpacked_extension_id(copy)
    try:
        POLICY_DIR.mkdir(parents=True, exist_ok=True)
        policy_file = POLICY_DIR / f"termlight-test-{uuid.uuid4().hex}.json"
        policy = {"3rdparty": {"extensions": {ext_id: {
            "serverUrl": proxy.url, "token": POLICY_TOKEN, "mode": "sites",
            "sites": ["https://wiki.example.org"], "locked": True}}}}
        policy_file.write_text(json.dumps(policy))
    except PermissionError:
        pytest.fail(f"{POLICY_DIR} is not writable here; run as root (see README, Rolling out to a team)")
    browser = None
    try:
        browser = ExtensionBrowser(playwright_instance, extension_dir=copy)
        # The policy arrives a moment after start-up. Chromium watches the folder, so the file
        # stays while this module's tests run and goes at the end, even after a failure.
        poll(browser.control, "async () => (await chrome.storage.managed.get('locked')).locked === true", timeout=20)
        assert browser.extension_id == ext_id
        yield browser
    finally:
        policy_file.unlink(missing_ok=True)
        if browser is not None:
            browser.close()


def test_policy_values_are_used_and_locked(managed, pages, proxy):
    # A person's own saved values lose against locked policy values.
    managed.control.evaluate("(v) => chrome.storage.local.set(v)",
                             {"serverUrl": "http://localhost:1", "token": "mine", "mode": "everywhere",
                              "occurrences": "every"})
    managed.service_worker().evaluate("() => termlightBackground.client.reset()")
    proxy.clear()
    page = managed.context.new_page()
    page.goto(f"{pages.url}/plain.html?t=managed")
    wait_for_highlights(page, minimum=9)
    sent = [r for r in proxy.requests if r.path.startswith("/v1/")]
    assert sent and {r.headers.get("Authorization") for r in sent} == {f"Bearer {POLICY_TOKEN}"}
    in_force = managed.control.evaluate("() => termlightSettings.load()")
    assert in_force["serverUrl"] == proxy.url and in_force["mode"] == "sites"
    assert in_force["sites"] == ["https://wiki.example.org"]

    options = managed.context.new_page()
    options.set_viewport_size({"width": 700, "height": 900})
    options.goto(managed.extension_url("options/options.html"))
    poll(options, "() => document.body.dataset.ready === 'true'")
    assert options.is_visible("#managed")
    assert options.input_value("#serverUrl") == proxy.url
    for control in ("#serverUrl", "#token", "#mode-sites", "#mode-everywhere", "#sites"):
        assert options.is_disabled(control), control
    assert options.input_value("#token") == "", "the policy's token is never shown"
    assert options.is_enabled("#skipCode")  # what the policy leaves alone stays the person's
    # Saving cannot override a locked value.
    options.check("#skipCode")
    options.click("#save")
    poll(options, "() => document.querySelector('#save-result').textContent === 'Saved.'")
    assert managed.control.evaluate("() => termlightSettings.load()")["serverUrl"] == proxy.url
    if os.environ.get("TERMLIGHT_SCREENSHOTS"):
        options.screenshot(path=str(REPO / "docs" / "screenshots" / "options-managed.png"))
