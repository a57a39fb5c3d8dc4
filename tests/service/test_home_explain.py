"""Issue 11, item 9: the home page's paste-and-highlight says why each term matched and what was
left plain, in real Chromium against a real gunicorn."""

from __future__ import annotations

import json
import shutil

import pytest
from playwright.sync_api import expect

from support.server import run_server

pytestmark = pytest.mark.server


@pytest.fixture
def site(tmp_path):
    glossary = tmp_path / "glossary"
    shutil.copytree(__import__("conftest").BASIC, glossary)
    (glossary / "words.json").write_text(json.dumps({"name": "Words", "terms": [
        {"id": "temperature", "term": "Temperature", "ambiguous": True, "definition": "How random sampling is."},
    ]}), encoding="utf-8")
    with run_server(glossary, workers=1) as srv:
        yield srv


def test_highlights_say_why_and_what_was_left_plain(site, plain_chromium):
    context = plain_chromium.new_context()
    page = context.new_page()
    try:
        page.goto(site.url + "/")
        page.fill("#paragraph", "The temperature rose while the LLMs ran.")
        page.click("#highlight")
        marks = page.locator("#highlighted mark.term-mark")
        expect(marks).to_have_count(1, timeout=15_000)
        marks.nth(0).hover()
        expect(page.locator("#tooltip .tooltip-why")).to_have_text("Matched: an alias, in the plural.")
        expect(page.locator("#suppressed li")).to_have_text(
            ["“temperature” (temperature): an ambiguous word without enough other terms of its glossary in the text"])
        expect(page.locator("#suppressed .suppressed-title")).to_contain_text("this text has: ai 1")
    finally:
        context.close()
