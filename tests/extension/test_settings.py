"""The options page and the popup: settings are saved, and they change what happens on pages."""

from __future__ import annotations

from support.waiting import wait_until

from .harness import poll, wait_for_highlights

JS_COUNT = "() => (CSS.highlights.get('termlight') || {size: 0}).size"


def open_options(ext):
    page = ext.context.new_page()
    page.goto(ext.extension_url("options/options.html"))
    page.wait_for_function("document.body.dataset.ready === 'true'")
    return page


def test_options_page_saves_settings_that_take_effect(ext, pages, proxy):
    options = open_options(ext)
    # Test connection lists the server's glossaries.
    options.fill("#serverUrl", proxy.url + "/")
    options.click("#test")
    poll(options, "() => document.querySelector('#test-result').textContent.startsWith('Connected')")
    assert options.text_content("#test-result") == "Connected (ok): 2 glossaries, 12 terms."
    boxes = options.locator("input[name=glossary]")
    assert boxes.count() == 2
    # Only the first occurrence, only the "aitest" glossary.
    options.check("#occ-first")
    options.uncheck("input[name=glossary][value=ops]")
    options.click("#save")
    poll(options, "() => document.querySelector('#save-result').textContent === 'Saved.'")

    stored = ext.settings()
    assert stored["serverUrl"] == proxy.url  # trailing slash cleaned
    assert stored["occurrences"] == "first"
    assert stored["glossaries"] == ["aitest"]

    page = ext.context.new_page()
    page.goto(f"{pages.url}/plain.html?t=options")
    texts = wait_for_highlights(page, minimum=3)
    lowered = [t.lower() for t in texts]
    assert lowered.count("hallucination") == 1 and lowered.count("large language model") == 1
    assert "observability" not in lowered and "latency" not in lowered  # the "ops" glossary is off
    assert proxy.match_requests()[-1].json()["glossaries"] == ["aitest"]

    # Reloading the options page shows what was saved.
    options.reload()
    poll(options, "() => document.body.dataset.ready === 'true'")
    assert options.input_value("#serverUrl") == proxy.url
    assert options.is_checked("#occ-first")


def test_options_rejects_a_bad_server_url(ext):
    options = open_options(ext)
    options.fill("#serverUrl", "javascript:alert(1)")
    options.click("#save")
    poll(options, "() => document.querySelector('#save-result').textContent.length > 0")
    assert "http" in options.text_content("#save-result")
    assert ext.settings()["serverUrl"] != "javascript:alert(1)"


def test_switching_off_everywhere(ext, pages, proxy):
    options = open_options(ext)
    options.uncheck("#enabled")
    options.click("#save")
    poll(options, "() => document.querySelector('#save-result').textContent === 'Saved.'")
    page = ext.context.new_page()
    # Switched off, the content script is not registered for any page: once that is so, a page
    # loaded after it can send nothing (the positive sentinel for the silence checked below).
    poll(ext.control, "async () => (await chrome.scripting.getRegisteredContentScripts()).length === 0")
    page.goto(f"{pages.url}/plain.html?t=off", wait_until="load")
    assert page.evaluate(JS_COUNT) == 0
    assert proxy.match_requests() == []


def test_per_site_disable_list_is_honoured(ext, pages, proxy):
    options = open_options(ext)
    options.fill("#disabledSites", "example.com\nhttp://127.0.0.1:9/some/path")
    options.click("#save")
    poll(options, "() => document.querySelector('#save-result').textContent === 'Saved.'")
    assert ext.settings()["disabledSites"] == ["example.com", "127.0.0.1"]

    page = ext.context.new_page()
    page.goto(f"{pages.url}/article.html?t=sitedisabled")
    wait_until(lambda: "off for this site" in ext.badge_title(page), what="the 'off' badge title")
    assert page.evaluate(JS_COUNT) == 0
    assert proxy.match_requests() == [], "nothing from a disabled site may be sent"
    assert ext.badge(page) == ""
    assert "off for this site" in ext.badge_title(page)


def test_popup_switches_this_site_off_and_on(ext, pages, proxy):
    page = ext.context.new_page()
    page.goto(f"{pages.url}/plain.html?t=popup")
    assert len(wait_for_highlights(page, minimum=9)) == 9
    assert ext.badge(page) == "5"  # five distinct terms

    popup = ext.context.new_page()
    popup.goto(ext.extension_url(f"popup/popup.html?tab={ext.tab_id(page)}"))
    poll(popup, "() => document.querySelector('#count').textContent.length > 0")
    assert popup.text_content("#host") == "127.0.0.1"
    assert popup.text_content("#count") == "5 terms found on this page"
    assert popup.is_checked("#site-toggle")

    popup.uncheck("#site-toggle")
    page.wait_for_function(f"({JS_COUNT})() === 0", timeout=5000)
    assert ext.settings()["disabledSites"] == ["127.0.0.1"]
    poll(popup, "() => document.querySelector('#count').textContent === 'Off for this site.'")
    proxy.clear()
    page.evaluate("() => { const p = document.createElement('p'); p.textContent = 'Quantization while off.'; document.body.append(p); }")
    page.wait_for_timeout(800)
    assert proxy.match_requests() == []

    popup.check("#site-toggle")
    assert "Quantization" in wait_for_highlights(page, minimum=10)
    assert ext.settings()["disabledSites"] == []
