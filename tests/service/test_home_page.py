"""The home page and /docs in real Chromium (Debian's), against a real gunicorn.

Checks what a person does: search, read definitions, paste a paragraph, hover a
highlight; and that definitions carrying HTML/JS payloads stay inert text.
"""

from __future__ import annotations

import json
import shutil

import pytest
from playwright.sync_api import expect

from support.server import run_server

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
IMG_PAYLOAD = '<img src=x onerror="window.__xss=1">'
SCRIPT_PAYLOAD = "<script>window.__xss=2</script>"
XSS_DEFINITION = f"Dangerous {IMG_PAYLOAD} and {SCRIPT_PAYLOAD} text."
PARAGRAPH = "😀 Teams use fine-tuning on an LLM with LoRA, then add RAG. Beware the Zebra Attack."


@pytest.fixture(scope="module", autouse=True)
def patient_expect():
    """Generous waits: other suites may share the CPUs; a real failure still fails."""
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)  # Playwright's default, for the other suites


@pytest.fixture(scope="module")
def browser(playwright_instance):
    b = playwright_instance.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
    yield b
    b.close()


@pytest.fixture
def site(tmp_path):
    glossary = tmp_path / "glossary"
    shutil.copytree(__import__("conftest").BASIC, glossary)
    (glossary / "xss.json").write_text(json.dumps({"name": "Hostile", "terms": [
        {"id": "zebra-attack", "term": "Zebra Attack", "definition": XSS_DEFINITION,
         "aliases": ["<script>zebra</script>"]},
    ]}), encoding="utf-8")
    with run_server(glossary, workers=1) as srv:
        yield srv


@pytest.fixture
def page(browser):
    context = browser.new_context()
    pg = context.new_page()
    problems: list[str] = []
    pg.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    pg.on("pageerror", lambda err: problems.append(f"page error: {err}"))
    pg.problems = problems
    yield pg
    context.close()


def assert_inert(pg):
    assert pg.evaluate("window.__xss") is None
    assert pg.locator("img").count() == 0
    assert pg.locator("body script").count() == 0  # only the two in <head>
    assert not pg.problems, pg.problems


def test_search_and_read_definitions(site, page):
    page.goto(site.url + "/")
    results = page.locator("#results li.term")
    expect(results).to_have_count(7)  # empty search lists every term
    page.fill("#search", "low-r")
    expect(results).to_have_count(1)
    expect(results.first.locator(".term-name")).to_have_text("LoRA")
    expect(results.first.locator(".aliases")).to_have_text("Also: Low-Rank Adaptation")
    expect(results.first.locator(".definition")).to_contain_text("two small matrices")
    page.fill("#search", "tok")
    expect(results).to_have_count(2)
    link = page.locator("#results a.term-url")
    expect(link).to_have_attribute("href", "https://example.org/token")
    page.fill("#search", "no such thing")
    expect(page.locator("#search-status")).to_have_text("No matching terms.")
    # A related-term button runs a search for that term.
    page.fill("#search", "LLM")
    expect(results).to_have_count(1)
    page.locator("#results button.related", has_text="fine-tuning").click()
    expect(page.locator("#search")).to_have_value("fine-tuning")
    expect(results.first.locator(".term-name")).to_have_text("Fine-tuning")
    assert_inert(page)


def test_paste_highlight_and_hover(site, page):
    page.goto(site.url + "/")
    page.fill("#paragraph", PARAGRAPH)
    page.click("#highlight")
    marks = page.locator("#highlighted mark.term-mark")
    expect(marks).to_have_count(5)
    assert marks.all_text_contents() == ["fine-tuning", "LLM", "LoRA", "RAG", "Zebra Attack"]
    # The highlighted copy keeps the whole paragraph, emoji included (UTF-16 offsets).
    expect(page.locator("#highlighted")).to_have_text(PARAGRAPH)
    expect(page.locator("#highlight-status")).to_contain_text("5 matches of 5 terms")
    tooltip = page.locator("#tooltip")
    expect(tooltip).to_be_hidden()
    marks.nth(2).hover()
    expect(tooltip).to_be_visible()
    expect(tooltip.locator(".tooltip-term")).to_have_text("LoRA")
    expect(tooltip.locator(".tooltip-definition")).to_contain_text("two small matrices")
    page.mouse.move(0, 0)
    expect(tooltip).to_be_hidden()
    marks.nth(1).focus()  # keyboard users get the same definition
    expect(tooltip.locator(".tooltip-term")).to_have_text("Large Language Model")
    expect(page.locator("#found li.term")).to_have_count(5)
    assert_inert(page)


def test_hostile_definitions_render_as_text(site, page):
    page.goto(site.url + "/")
    page.fill("#search", "zebra")
    expect(page.locator("#results li.term")).to_have_count(1)
    definition = page.locator("#results li.term .definition")
    expect(definition).to_have_text(XSS_DEFINITION)
    expect(page.locator("#results .aliases")).to_have_text("Also: <script>zebra</script>")
    page.fill("#paragraph", "A <script>zebra</script> and a Zebra Attack.")
    page.click("#highlight")
    marks = page.locator("#highlighted mark")
    expect(marks).to_have_count(2)
    assert marks.all_text_contents() == ["<script>zebra</script>", "Zebra Attack"]
    marks.nth(1).hover()
    expect(page.locator("#tooltip .tooltip-definition")).to_have_text(XSS_DEFINITION)
    page.wait_for_timeout(300)  # give any injected handler a chance to run
    assert_inert(page)


def test_errors_are_shown_not_thrown(site, page):
    page.goto(site.url + "/")
    page.fill("#paragraph", "x" * 10)
    page.route("**/v1/match", lambda route: route.fulfill(
        status=422, content_type="application/problem+json",
        body=json.dumps({"type": "about:blank", "title": "Invalid", "status": 422,
                         "detail": "<b>bad</b> input"})))
    page.click("#highlight")
    expect(page.locator("#highlight-status")).to_have_text("Highlighting failed: <b>bad</b> input")
    assert page.locator("#highlight-status b").count() == 0


def test_token_field(tmp_path, browser):
    glossary = tmp_path / "g"
    shutil.copytree(__import__("conftest").BASIC, glossary)
    with run_server(glossary, env={"TERMLIGHT_API_TOKEN": "page-token"}, workers=1) as srv:
        context = browser.new_context()
        pg = context.new_page()
        pg.goto(srv.url + "/")
        expect(pg.locator("#search-status")).to_contain_text("Search failed")
        pg.click("#token-box summary")
        pg.fill("#token", "page-token")
        pg.click("#token-save")
        expect(pg.locator("#results li.term")).to_have_count(6)
        pg.reload()  # remembered in localStorage
        expect(pg.locator("#results li.term")).to_have_count(6)
        pg.fill("#paragraph", "An LLM.")
        pg.click("#highlight")
        expect(pg.locator("#highlighted mark")).to_have_count(1)
        context.close()
        assert "page-token" not in srv.log()


def test_docs_page_renders_the_openapi_document(site, page):
    page.goto(site.url + "/docs#problem-invalid-json")
    expect(page.locator("#routes article.route")).to_have_count(17)  # 8 reading routes and pages, 9 for the team glossary
    expect(page.locator("#routes")).to_contain_text("/v1/match")
    expect(page.locator("#problem-invalid-json")).to_contain_text("400 Malformed JSON")
    expect(page.locator("#schema-MatchRequest + pre")).to_contain_text('"maxItems": 10000')
    assert not page.problems, page.problems
