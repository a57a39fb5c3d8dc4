"""Issue 6, item 6: every string of a hostile glossary stays inert text, in real Chromium.

tests/service/test_home_page.py and tests/extension/test_popover.py already show that a
definition (and, on the home page, an alias) carrying <img onerror> and <script> renders as
text. This glossary (data/hostile) puts markup in every field a client shows: the term's
name, each alias, the definition (script, iframe with a javascript: URL, entities), a URL
that tries to break out of an href, tags, the glossary's own name and description, and the
name of a related term, which the popover and the home page show as a button. Each payload
would set window.__tlx in the page if it ever ran.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from support.browser import handlers_had_their_chance
from extension.harness import JS_PANEL_OPEN, popover, ui_eval, ui_wait, wait_for_highlights
from extension.test_panel import JS_PANEL
from extension.test_popover import JS_OPEN, click_chip, hover

from .conftest import HOSTILE_GLOSSARY

with open(f"{HOSTILE_GLOSSARY}/hostile.json", encoding="utf-8") as _f:
    GLOSSARY = json.load(_f)
ZEBRA, QUAGGA = GLOSSARY["terms"]
ACTIVE_TAGS = {"img", "script", "svg", "iframe", "b", "u", "object", "embed"}

# Evaluated in termlight's content-script world (harness.ui_eval); root is its closed shadow root.
JS_SHADOW_TAGS = """(root) => root ? [...new Set([...root.querySelectorAll('*')].map((n) => n.localName))] : []"""
JS_LINKS = """(root) => [...root.querySelectorAll('a')].map((a) => a.href)"""


def watch(page) -> list[str]:
    problems: list[str] = []
    page.on("pageerror", lambda err: problems.append(f"page error: {err}"))
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    return problems


def assert_inert(page, problems, tags) -> None:
    assert page.evaluate("() => window.__tlx") is None, page.evaluate("() => window.__tlx")
    assert not set(tags) & ACTIVE_TAGS, tags
    assert not problems, problems


def test_extension_popover_and_panel_show_hostile_strings_as_text(ext, page_server):
    page = ext.context.new_page()
    problems = watch(page)
    page.goto(f"{page_server.url}/hostile.html")
    assert sorted(wait_for_highlights(page, minimum=2)) == ["quagga", "zebra crossing"]

    hover(page, "zebra crossing")
    ui_wait(page, JS_OPEN, timeout=5)
    handlers_had_their_chance(page)
    card = popover(page)
    assert card["term"] == ZEBRA["term"]
    assert card["aliases"] == "Also: " + ", ".join(ZEBRA["aliases"])
    assert card["definition"] == ZEBRA["definition"]
    assert card["related"] == [QUAGGA["term"]]  # the related term's hostile name, as text
    links = ui_eval(page, JS_LINKS)
    assert len(links) == 1 and links[0].startswith("https://example.org/a")
    assert '"' not in links[0] and "<" not in links[0]  # the quote could not close the href
    assert_inert(page, problems, card["tags"])

    click_chip(page, QUAGGA["term"])
    ui_wait(page, """(root, name) => { const t = root.querySelector('.card .term'); return t && t.textContent === name; }""",
            QUAGGA["term"], timeout=5)
    assert popover(page)["definition"] == QUAGGA["definition"]
    assert_inert(page, problems, ui_eval(page, JS_SHADOW_TAGS))

    page.keyboard.press("Escape")
    assert ext.run_command(page) is True
    ui_wait(page, JS_PANEL_OPEN, timeout=5)
    panel = ui_eval(page, JS_PANEL)
    assert sorted(panel["names"]) == sorted([ZEBRA["term"], QUAGGA["term"]])
    page.keyboard.press("Enter")
    handlers_had_their_chance(page)
    assert_inert(page, problems, ui_eval(page, JS_SHADOW_TAGS))


def test_home_page_shows_hostile_strings_as_text(plain_chromium, hostile_server):
    context = plain_chromium.new_context()
    page = context.new_page()
    problems = watch(page)
    try:
        page.goto(hostile_server.url + "/")
        page.fill("#search", "zebra")
        term = page.locator("#results li.term")
        expect(term).to_have_count(1, timeout=15_000)
        expect(term.locator(".term-name")).to_have_text(ZEBRA["term"])
        expect(term.locator(".definition")).to_have_text(ZEBRA["definition"])
        expect(term.locator(".aliases")).to_have_text("Also: " + ", ".join(ZEBRA["aliases"]))
        href = term.locator("a.term-url").get_attribute("href")
        assert href.startswith("https://example.org/a") and '"' not in href and "<" not in href

        page.fill("#paragraph", "A zebra crossing, then a quagga.")
        page.click("#highlight")
        marks = page.locator("#highlighted mark")
        expect(marks).to_have_count(2, timeout=15_000)
        marks.nth(1).hover()
        expect(page.locator("#tooltip .tooltip-term")).to_have_text(QUAGGA["term"])
        marks.nth(0).hover()
        expect(page.locator("#tooltip .tooltip-definition")).to_have_text(ZEBRA["definition"])
        expect(page.locator("#found li.term .term-name")).to_have_text(
            [ZEBRA["term"], QUAGGA["term"]])
        handlers_had_their_chance(page)
        tags = page.evaluate("""() => [...new Set([...document.querySelectorAll(
            '#results *, #highlighted *, #found *, #tooltip *')].map((n) => n.localName))]""")
        assert_inert(page, problems, tags)
    finally:
        context.close()
