"""The home page and /docs in real Chromium (Debian's), against a real gunicorn.

Checks what a person does: search, read definitions, paste a paragraph, hover a
highlight; and that definitions carrying HTML/JS payloads stay inert text.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import urllib.request

import pytest
from playwright.sync_api import expect

from support.browser import handlers_had_their_chance
from support.server import run_server

pytestmark = pytest.mark.server

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
def page(plain_chromium):
    context = plain_chromium.new_context()
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
    # A related-term chip shows the term's name and opens that term.
    page.fill("#search", "LLM")
    expect(results).to_have_count(1)
    expect(page.locator("#results button.related")).to_have_text(["Token", "Fine-tuning"])
    page.locator("#results button.related", has_text="Fine-tuning").click()
    expect(results).to_have_count(1)
    expect(results.first.locator(".term-name")).to_have_text("Fine-tuning")
    expect(page.locator("#search-status")).to_have_text("“Fine-tuning”, related to “Large Language Model”.")
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
    handlers_had_their_chance(page)
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


def test_token_field(tmp_path, plain_chromium):
    glossary = tmp_path / "g"
    shutil.copytree(__import__("conftest").BASIC, glossary)
    with run_server(glossary, env={"TERMLIGHT_API_TOKEN": "page-token"}, workers=1) as srv:
        context = plain_chromium.new_context()
        pg = context.new_page()
        pg.goto(srv.url + "/")
        expect(pg.locator("#search-status")).to_have_text(
            "This server needs an API token: paste it under “API token” at the top of the page "
            "and press Save.")
        expect(pg.locator("#token-box")).to_have_attribute("open", "")  # opened for the reader
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
    with urllib.request.urlopen(site.url + "/openapi.json", timeout=10) as resp:
        operations = sum(len(item) for item in json.loads(resp.read())["paths"].values())
    expect(page.locator("#routes article.route")).to_have_count(operations)
    expect(page.locator("#routes")).to_contain_text("/v1/match")
    expect(page.locator("#problem-invalid-json")).to_contain_text("400 Malformed JSON")
    # Problem types in status order (408 after 404).
    statuses = [int(t.split()[0]) for t in page.locator("#problems dt").all_text_contents()]
    assert statuses == sorted(statuses) and 404 in statuses and 408 in statuses
    # Schemas are tables of fields with limits, not JSON dumps.
    texts_row = page.locator("#schema-MatchRequest + p + table tr",
                             has=page.locator("td:first-child code", has_text=re.compile("^texts$")))
    expect(texts_row).to_contain_text("at most 10000 items")
    assert page.locator("#schemas pre").count() == 0
    # Backticks are code, never literal.
    assert "`" not in page.locator("main").inner_text()
    expect(page.locator("#problems dd code", has_text="Authorization: Bearer <token>")).to_have_count(1)
    # Examples: a request body and an answer for /v1/match.
    match = page.locator("article.route", has=page.locator("code", has_text="/v1/match"))
    expect(match.locator("pre.example").first).to_contain_text('"text": "We tried LoRA."')
    # The 422 of a GET route speaks of its query, not of JSON bodies.
    terms = page.locator("article.route", has=page.locator(".route-title code", has_text=re.compile("^/v1/terms$")))
    row_422 = terms.locator("ul.responses li", has_text="422")
    expect(row_422).to_contain_text("query parameter")
    assert "texts" not in row_422.inner_text()
    assert not page.problems, page.problems


def test_docs_curl_examples_name_this_server_and_work(site, page):
    page.goto(site.url + "/docs")
    intro = page.locator("#intro-curl")
    expect(intro).to_contain_text(f"curl -s {site.url}/v1/match")
    expect(page.locator("#routes article.route").first).to_be_visible()
    curls = page.locator("pre.curl").all_text_contents()
    assert curls and all(site.url in c for c in curls) and "8765" not in "".join(curls), curls
    for command in [intro.text_content(), *curls]:
        out = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=30)
        assert out.returncode == 0, (command, out.stderr)
        answer = json.loads(out.stdout)
        assert "type" not in answer or "status" not in answer, (command, answer)  # no problem


MEDICAL = {"name": "Cardiology", "terms": [
    {"id": "mi", "term": "Myocardial Infarction", "aliases": ["MI", "heart attack"],
     "definition": "Death of heart muscle from blocked blood flow.", "related": ["four-beat-rhythm"]},
    {"id": "four-beat-rhythm", "term": "4-beat rhythm", "definition": "A made-up rhythm for this test."},
    {"id": "ecg", "term": "ECG", "definition": "A recording of the heart's electrical activity."},
]}


@pytest.fixture
def medical(tmp_path):
    folder = tmp_path / "medical"
    folder.mkdir()
    (folder / "cardio.json").write_text(json.dumps(MEDICAL), encoding="utf-8")
    with run_server(folder, workers=1) as srv:
        yield srv


def test_related_chip_opens_a_term_its_id_would_not_find(medical, page):
    page.goto(medical.url + "/")
    page.fill("#search", "heart attack")
    results = page.locator("#results li.term")
    expect(results).to_have_count(1)
    chip = page.locator("#results button.related")
    expect(chip).to_have_text("4-beat rhythm")  # the name, not the id "four-beat-rhythm"
    chip.click()
    expect(results).to_have_count(1)
    expect(results.first.locator(".term-name")).to_have_text("4-beat rhythm")
    expect(page.locator("#search")).to_have_value("4-beat rhythm")
    assert not page.problems, page.problems


def test_placeholders_come_from_the_served_glossary_and_typed_text_is_not_bold(medical, page):
    page.goto(medical.url + "/")
    expect(page.locator("#search")).to_have_attribute("placeholder", re.compile(r"^e\.g\. .*ECG"))
    expect(page.locator("#paragraph")).to_have_attribute("placeholder", re.compile(r"mentions "))
    for selector in ("#search", "#paragraph"):
        placeholder = page.locator(selector).get_attribute("placeholder")
        assert "AI" not in placeholder and "LoRA" not in placeholder, placeholder
    weights = page.evaluate("""() => ["#search", "#paragraph"].map((s) => [
        getComputedStyle(document.querySelector(s)).fontWeight,
        getComputedStyle(document.querySelector(s), "::placeholder").fontWeight])""")
    assert weights == [["400", "400"], ["400", "400"]], weights
    label = page.evaluate("getComputedStyle(document.querySelector('label.wide')).fontWeight")
    assert label == "600"  # the label itself stays bold: the check can tell the difference


def _luminance(css_color: str) -> float:
    r, g, b = (int(v) for v in re.findall(r"\d+", css_color)[:3])
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_dark_mode_follows_the_system(site, plain_chromium, scheme):
    context = plain_chromium.new_context(color_scheme=scheme)
    pg = context.new_page()
    pg.goto(site.url + "/")
    expect(pg.locator("#results li.term").first).to_be_visible()
    colors = pg.evaluate("""() => [document.body, document.querySelector("#results li.term"),
        document.querySelector("#search")].map((n) => {
            const s = getComputedStyle(n);
            return [getComputedStyle(document.documentElement).backgroundColor, s.backgroundColor, s.color];
        })""")
    context.close()
    for page_bg, box_bg, ink in colors[1:]:
        if scheme == "dark":
            assert _luminance(page_bg) < 0.2 and _luminance(box_bg) < 0.2 and _luminance(ink) > 0.7, colors
        else:
            assert _luminance(page_bg) > 0.9 and _luminance(box_bg) > 0.9 and _luminance(ink) < 0.3, colors


def test_favicon(site):
    with urllib.request.urlopen(site.url + "/favicon.ico", timeout=10) as resp:
        body = resp.read()
        assert resp.status == 200 and resp.headers["Content-Type"] == "image/vnd.microsoft.icon"
    assert body[:4] == b"\x00\x00\x01\x00" and b"PNG" in body[:40]
