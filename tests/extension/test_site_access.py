"""Issue 9, items 2, 4 (host names) and 7: which sites termlight reads is the person's choice.

Browsers grant optional host permissions only through a prompt, which a test cannot click. So
this module runs a copy of the extension whose manifest already holds access to every site, as
after the person said yes: what gets read is then decided by termlight's own rules alone, which
is what is under test. Host names under .test resolve to this machine
(--host-resolver-rules), so site-a.test and site-b.test are two different sites, and the
server at termlight.test counts as "not on this machine".

Before issue 9 every page of every site was read (a static content script on http://*/*).
"""

from __future__ import annotations

import json
import os
import shutil

import pytest

from support.waiting import wait_until

from .harness import EXTENSION_DIR, REPO, ExtensionBrowser, poll, wait_for_highlights

JS_COUNT = "() => (CSS.highlights.get('termlight') || {size: 0}).size"

# The page's own script: plant many candidate names, wait, then list every highlighted text
# in the CSS.highlights registry the page shares with the extension.
JS_PLANT_AND_PROBE = """async (candidates) => {
  const p = document.createElement('p');
  p.textContent = candidates.join(' \u00b7 ');
  document.body.append(p);
  await new Promise((r) => setTimeout(r, 2500));
  const found = new Set();
  for (const [, h] of CSS.highlights) for (const r of h) {
    const x = document.createRange(); x.setStart(r.startContainer, r.startOffset); x.setEnd(r.endContainer, r.endOffset);
    if (r.startContainer.parentNode === p) found.add(x.toString());
  }
  return [...found].sort();
}"""
REAL = ["Embedding", "Prompt Injection", "Quantization"]
CANDIDATES = [f"Project{i:04d}" for i in range(2000)] + REAL


@pytest.fixture(scope="module")
def granted(playwright_instance, tmp_path_factory):
    copy = tmp_path_factory.mktemp("granted") / "extension"
    shutil.copytree(EXTENSION_DIR, copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["host_permissions"] = [*manifest.get("host_permissions", []), "http://*/*", "https://*/*"]
    (copy / "manifest.json").write_text(json.dumps(manifest))
    b = ExtensionBrowser(playwright_instance, extension_dir=copy,
                         extra_args=["--host-resolver-rules=MAP *.test 127.0.0.1, MAP *.test. 127.0.0.1"])
    yield b
    b.close()


@pytest.fixture
def remote(proxy):
    """The recording proxy, seen as a server on another machine."""
    return f"http://termlight.test:{proxy.port}"


@pytest.fixture
def g(granted, proxy):
    proxy.clear()
    before = set(granted.context.pages)
    yield granted
    for page in granted.context.pages:
        if page not in before and page is not granted.control:
            page.close()


def site(pages, name):
    return pages.url.replace("127.0.0.1", name)


def sent(proxy):
    return "\n".join(proxy.match_texts())


def test_on_sites_i_choose_only_chosen_sites_are_read(g, pages, proxy, remote):
    g.set_settings({"serverUrl": remote, "insecureOk": True, "sites": ["http://site-a.test"]})
    b = g.context.new_page()
    b.goto(f"{site(pages, 'site-b.test')}/plain.html?t=b")
    local = g.context.new_page()
    local.goto(f"{pages.url}/dynamic.html?t=local")
    a = g.context.new_page()
    a.goto(f"{site(pages, 'site-a.test')}/article.html?t=a")
    assert "Large Language Model" in wait_for_highlights(a, minimum=8)  # positive control
    b.wait_for_timeout(500)
    text = sent(proxy)
    assert "help centre" in text
    assert "Another Large Language Model" not in text, "site-b.test was not chosen"
    assert "starts with a single sentence" not in text, "with a remote server, this machine's pages are not chosen"
    assert b.evaluate(JS_COUNT) == 0 and local.evaluate(JS_COUNT) == 0


def test_a_page_learns_no_terms_from_the_highlight_registry_on_a_site_not_chosen(g, pages, proxy, remote):
    g.set_settings({"serverUrl": remote, "insecureOk": True, "sites": ["http://site-a.test"]})
    b = g.context.new_page()
    b.goto(f"{site(pages, 'site-b.test')}/plain.html?t=probe-b")
    assert b.evaluate(JS_PLANT_AND_PROBE, CANDIDATES) == []
    assert "Project0001" not in sent(proxy)
    # What remains (README, "What a page can still learn"): on a chosen site the registry
    # does show which words are terms. This is the positive control of the probe.
    a = g.context.new_page()
    a.goto(f"{site(pages, 'site-a.test')}/plain.html?t=probe-a")
    wait_for_highlights(a, minimum=9)
    assert a.evaluate(JS_PLANT_AND_PROBE, CANDIDATES) == REAL


def test_every_site_is_an_explicit_mode(g, pages, proxy, remote):
    g.set_settings({"serverUrl": remote, "insecureOk": True, "mode": "everywhere"})
    b = g.context.new_page()
    b.goto(f"{site(pages, 'site-b.test')}/plain.html?t=everywhere")
    assert "Hallucination" in wait_for_highlights(b, minimum=9)


def test_a_trailing_dot_does_not_dodge_the_disable_list(g, pages, proxy, remote):
    g.set_settings({"serverUrl": remote, "insecureOk": True, "mode": "everywhere", "disabledSites": ["bank.test"]})
    bank = g.context.new_page()
    bank.goto(f"{site(pages, 'bank.test.')}/plain.html?t=dot")
    other = g.context.new_page()
    other.goto(f"{site(pages, 'other.test')}/article.html?t=dot-control")
    assert "Large Language Model" in wait_for_highlights(other, minimum=8)
    bank.wait_for_timeout(500)
    assert bank.evaluate("() => location.hostname") == "bank.test."
    assert "Another Large Language Model" not in sent(proxy), "bank.test. was read though bank.test is disabled"
    assert bank.evaluate(JS_COUNT) == 0


def test_plain_http_to_another_machine_needs_a_confirmation(g, pages, proxy, remote):
    g.set_settings({"serverUrl": remote, "sites": ["http://site-a.test"]})
    a = g.context.new_page()
    a.goto(f"{site(pages, 'site-a.test')}/plain.html?t=insecure")
    # The sentinel: the worker has refused this page's text when the badge says why.
    wait_until(lambda: g.badge(a) == "HTTP", what="the HTTP badge")
    assert proxy.requests == [], "token and page text went over plain http without a confirmation"
    # Positive control: confirmed, the same page is read.
    g.set_settings({"serverUrl": remote, "sites": ["http://site-a.test"], "insecureOk": True})
    a.reload()
    assert "Hallucination" in wait_for_highlights(a, minimum=9)


def test_popup_chooses_this_site_and_highlights_one_page(g, pages, proxy, remote):
    g.set_settings({"serverUrl": remote, "insecureOk": True})
    once = g.context.new_page()
    once.goto(f"{site(pages, 'site-c.test')}/plain.html?t=once")
    popup = g.context.new_page()
    popup.set_viewport_size({"width": 340, "height": 300})
    popup.goto(g.extension_url(f"popup/popup.html?tab={g.tab_id(once)}"))
    poll(popup, "() => document.body.dataset.ready === 'true'")
    assert popup.text_content("#host") == "site-c.test"
    assert not popup.is_checked("#site-toggle")
    assert popup.text_content("#count") == "Off for this site."
    # One page, once: that tab only; the site is not chosen.
    popup.click("#highlight-once")
    assert "Hallucination" in wait_for_highlights(once, minimum=9)
    assert g.settings().get("sites", []) == []
    later = g.context.new_page()
    later.goto(f"{site(pages, 'site-c.test')}/article.html?t=once-later")
    later.wait_for_timeout(800)
    assert later.evaluate(JS_COUNT) == 0
    # "Highlight terms on this site": chosen from now on.
    popup.goto(g.extension_url(f"popup/popup.html?tab={g.tab_id(later)}"))
    poll(popup, "() => document.body.dataset.ready === 'true'")
    if os.environ.get("TERMLIGHT_SCREENSHOTS"):  # docs/screenshots, refreshed on demand
        popup.screenshot(path=str(REPO / "docs" / "screenshots" / "popup-site-access.png"))
    popup.check("#site-toggle")
    assert "Large Language Model" in wait_for_highlights(later, minimum=8)
    assert g.settings()["sites"] == ["http://site-c.test"]
    fresh = g.context.new_page()
    fresh.goto(f"{site(pages, 'site-c.test')}/dynamic.html?t=chosen")
    wait_for_highlights(fresh, minimum=1)


def test_options_page_every_site_and_unencrypted_confirmation(g, pages, proxy, remote):
    g.set_settings({"serverUrl": proxy.url})
    options = g.context.new_page()
    options.goto(g.extension_url("options/options.html"))
    poll(options, "() => document.body.dataset.ready === 'true'")
    assert options.is_checked("#mode-sites")  # the default
    assert options.is_hidden("#insecure-row")
    options.fill("#serverUrl", remote)
    assert options.is_visible("#insecure-row")
    options.click("#save")
    poll(options, "() => document.querySelector('#save-result').textContent.startsWith('Not saved')")
    assert g.settings().get("serverUrl") == proxy.url
    options.check("#insecureOk")
    options.check("#mode-everywhere")
    options.click("#save")  # the browser already granted every site here, so no prompt
    poll(options, "() => document.querySelector('#save-result').textContent === 'Saved.'")
    stored = g.settings()
    assert (stored["serverUrl"], stored["mode"], stored["insecureOk"]) == (remote, "everywhere", True)
    b = g.context.new_page()
    b.goto(f"{site(pages, 'site-d.test')}/plain.html?t=options-everywhere")
    assert "Hallucination" in wait_for_highlights(b, minimum=9)


def test_an_update_from_before_site_access_lands_in_sites_mode(g):
    g.control.evaluate("() => chrome.storage.local.clear()")
    worker = g.service_worker()
    worker.evaluate("() => termlightMigrate.migrate({reason: 'update', previousVersion: '0.1.0'})")
    assert g.settings() == {"mode": "sites", "migratedFrom": "0.1.0"}
    options = g.context.new_page()
    options.goto(g.extension_url("options/options.html"))
    poll(options, "() => document.body.dataset.ready === 'true'")
    assert options.is_visible("#migrated")
    # A later update, or a fresh install, changes nothing.
    g.control.evaluate("() => chrome.storage.local.clear()")
    worker.evaluate("() => termlightMigrate.migrate({reason: 'update', previousVersion: '0.2.0'})")
    worker.evaluate("() => termlightMigrate.migrate({reason: 'install'})")
    assert g.settings() == {}
