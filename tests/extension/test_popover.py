"""The hover popover in real Chromium: delay, content, related terms, hiding, flipping and XSS."""

from __future__ import annotations

import json

from support.browser import handlers_had_their_chance
from support.waiting import wait_until

from .conftest import GLOSSARY_DIR
from .harness import popover, rect_of, ui_eval, ui_wait, wait_for_highlights

# Evaluated in termlight's content-script world (harness.ui_eval); root is its closed shadow root.
JS_OPEN = """(root) => { const c = root && root.querySelector('.card'); return !!c && !c.hidden; }"""
JS_CLOSED = f"(root) => !({JS_OPEN})(root)"
# The centre of the related-term button labelled `arg`, for a real click.
JS_CHIP_POINT = """(root, label) => { const b = [...root.querySelectorAll('button.chip')].find((c) => c.textContent === label);
  if (!b) return null; const r = b.getBoundingClientRect(); return {x: r.left + r.width / 2, y: r.top + r.height / 2}; }"""


def click_chip(page, label):
    point = ui_wait(page, JS_CHIP_POINT, label)
    page.mouse.click(point["x"], point["y"])


def glossary_term(term_id):
    data = json.loads((GLOSSARY_DIR / "aitest.json").read_text())
    return next(t for t in data["terms"] if t["id"] == term_id)


def hover(page, text, occurrence_point=0.5):
    r = rect_of(page, text)
    assert r, f"{text!r} is not drawn"
    x, y = r["x"] + r["w"] * occurrence_point, r["y"] + r["h"] / 2
    page.mouse.move(x, y)
    return r


def test_hover_shows_the_definition_and_moving_away_hides_it(ext, pages):
    page = ext.context.new_page()
    page.goto(f"{pages.url}/article.html?t=hover")
    wait_for_highlights(page, minimum=8)
    assert not ui_eval(page, JS_OPEN)

    r = hover(page, "Large Language Model")
    page.wait_for_timeout(250)
    assert not ui_eval(page, JS_OPEN), "the card must wait for the show delay"
    ui_wait(page, JS_OPEN, timeout=3)

    llm = glossary_term("llm")
    card = popover(page)
    assert card["term"] == llm["term"]
    assert card["definition"] == llm["definition"]
    assert card["aliases"] == "Also: LLM"
    assert card["related"] == ["Token", "Context Window", "Fine-tuning"]
    assert card["link"] == llm["url"]
    # It sits next to the term: just below it, starting at its left edge unless that would
    # push it past the viewport's right margin (8 px), where it is moved left just enough.
    assert 0 <= card["rect"]["y"] - (r["y"] + r["h"]) <= 20
    width = page.evaluate("() => document.documentElement.clientWidth")
    expected_x = max(8, min(r["x"], width - 8 - card["rect"]["w"]))
    assert abs(card["rect"]["x"] - expected_x) < 2, (card["rect"], r, width)
    # The hovered occurrence is marked while the card explains it.
    assert page.evaluate("() => CSS.highlights.get('termlight-active').size") == 1

    # Moving onto the card keeps it open (grace period), moving far away closes it.
    page.mouse.move(card["rect"]["x"] + 20, card["rect"]["y"] + 10, steps=4)
    page.wait_for_timeout(600)
    assert ui_eval(page, JS_OPEN)
    page.mouse.move(5, 790, steps=3)
    page.wait_for_timeout(150)
    assert ui_eval(page, JS_OPEN), "the card waits for the grace period before hiding"
    ui_wait(page, JS_CLOSED, timeout=3)
    assert page.evaluate("() => CSS.highlights.get('termlight-active').size") == 0


def test_related_term_click_shows_that_term(ext, pages):
    page = ext.context.new_page()
    page.goto(f"{pages.url}/article.html?t=related")
    wait_for_highlights(page, minimum=8)
    hover(page, "Large Language Model")
    ui_wait(page, JS_OPEN, timeout=3)
    click_chip(page, "Context Window")
    ui_wait(page, "(root) => root.querySelector('.term').textContent === 'Context Window'")
    card = popover(page)
    assert card["definition"] == glossary_term("context-window")["definition"]
    assert card["open"]


def test_escape_closes_the_popover(ext, pages):
    page = ext.context.new_page()
    page.goto(f"{pages.url}/article.html?t=escape")
    wait_for_highlights(page, minimum=8)
    hover(page, "embedding")
    ui_wait(page, JS_OPEN, timeout=3)
    assert popover(page)["term"] == "Embedding"
    page.keyboard.press("Escape")
    ui_wait(page, JS_CLOSED, timeout=1)


def test_popover_flips_above_near_the_bottom_of_the_viewport(ext, pages):
    page = ext.context.new_page()
    page.set_viewport_size({"width": 700, "height": 400})
    page.goto(f"{pages.url}/article.html?t=flip")
    wait_for_highlights(page, minimum=8)
    # Scroll so that the "token" line sits near the bottom edge.
    page.evaluate("""() => { const p = document.getElementById('budget');
        window.scrollTo(0, p.getBoundingClientRect().top + window.scrollY - (window.innerHeight - 40)); }""")
    # Scrolled: the occurrence is drawn near the bottom once the scroll has been laid out.
    wait_until(lambda: (rect_of(page, "token") or {}).get("y", 0) > 300, timeout=10, what="the scroll")
    r = hover(page, "token")
    assert r["y"] > 300
    ui_wait(page, JS_OPEN, timeout=3)
    card = popover(page)["rect"]
    assert card["y"] + card["h"] <= r["y"] + 1, "the card must sit above the term"
    assert card["y"] >= 0 and card["x"] >= 0 and card["x"] + card["w"] <= 700


def test_xss_in_a_definition_shows_as_inert_text(ext, pages, console_log):
    page = ext.context.new_page()
    page.goto(f"{pages.url}/xss.html?t=xss")
    texts = wait_for_highlights(page, minimum=1)
    assert "prompt injection" in texts
    hover(page, "prompt injection")
    ui_wait(page, JS_OPEN, timeout=3)
    handlers_had_their_chance(page)  # an injected onerror would have run by now
    card = popover(page)
    definition = glossary_term("prompt-injection")["definition"]
    assert "<img src=x onerror=" in definition and "<script>" in definition
    assert card["definition"] == definition  # shown literally, as text
    assert "img" not in card["tags"] and "script" not in card["tags"]
    assert page.evaluate("() => window.__termlightXss === undefined")
    assert ui_eval(page, "(root) => root.querySelectorAll('img, script').length") == 0
    assert not [m for m in console_log if "termlightXss" in m]


def test_hover_works_without_highlights_from_point(playwright_instance, proxy, pages):
    """Firefox has no CSS.highlights.highlightsFromPoint; the caret-position fallback must do the job."""
    from .harness import ExtensionBrowser

    browser = ExtensionBrowser(playwright_instance, extra_args=["--disable-blink-features=HighlightsFromPoint"])
    try:
        browser.set_settings({"serverUrl": proxy.url})
        page = browser.context.new_page()
        page.goto(f"{pages.url}/article.html?t=fallback")
        assert page.evaluate("() => typeof CSS.highlights.highlightsFromPoint") == "undefined"
        wait_for_highlights(page, minimum=8)
        hover(page, "vector store")
        ui_wait(page, JS_OPEN, timeout=3)
        assert popover(page)["term"] == "Vector Database"
        page.mouse.move(5, 790)
        ui_wait(page, JS_CLOSED, timeout=3)
    finally:
        browser.close()
