"""The review and edit page (/review) in real Chromium against a real gunicorn: the queue,
approve with an edit, edit with If-Match, a term's history and undo; every suggestion field
carrying HTML/JS stays inert text. Saves the screenshots the README shows."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect

from support.server import run_server
from termlight.store import open_database, tokens

from .conftest import BASIC

pytestmark = pytest.mark.server

XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(scope="module", autouse=True)
def patient_expect():
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def site(tmp_path):
    url = f"sqlite:///{tmp_path / 'team.sqlite3'}"
    db = open_database(url)
    keys = {"editor": tokens.add(db, "erin", "editor"), "reader": tokens.add(db, "rita", "reader")}
    with run_server(BASIC, {"TERMLIGHT_DATABASE_URL": url}, workers=1) as srv:
        srv.keys = keys
        yield srv


def call(srv, method, path, role, body=None, **headers):
    return requests.request(method, srv.url + path, json=body, timeout=30,
                            headers={"Authorization": f"Bearer {srv.keys[role]}", **headers})


def shot(page, name: str) -> None:
    if os.environ.get("TERMLIGHT_SCREENSHOTS"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / name), full_page=True)


def test_review_approve_edit_history_undo_and_inert_payloads(site, plain_chromium):
    call(site, "POST", "/v1/suggestions", "reader", {
        "term": "Blameless postmortem", "definition": "A review of an incident that looks at "
        "systems, not people.", "source_url": "https://wiki.example.org/incidents",
        "comment": "We say this a lot in #ops."}).raise_for_status()
    call(site, "POST", "/v1/suggestions", "reader", {
        "term": XSS, "definition": XSS, "aliases": [XSS], "comment": XSS,
        "source_url": "https://example.org/" + "%3Cimg%20src=x%3E"}).raise_for_status()
    call(site, "POST", "/v1/suggestions", "reader", {
        "kind": "wrong-meaning", "term": "Token", "term_id": "token", "comment": XSS,
        "source_url": None}).raise_for_status()

    context = plain_chromium.new_context(viewport={"width": 900, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on("dialog", lambda d: (problems.append(d.message), d.accept()))
    page.on("pageerror", lambda err: problems.append(str(err)))
    page.goto(site.url + "/review")
    page.fill("#token", site.keys["editor"])
    page.click("#token-save")
    expect(page.locator("#who")).to_contain_text("erin (editor)")
    cards = page.locator("#queue li.suggestion")
    expect(cards).to_have_count(3)
    hostile = cards.nth(1)
    expect(hostile.locator(".s-term")).to_have_text(XSS)
    expect(hostile.locator(".s-definition")).to_have_text(XSS)
    assert page.locator("#queue img, #queue script").count() == 0
    # What an editor types is plain; the field's label (the control) is bold.
    weights = hostile.evaluate(
        "(card) => [card.querySelector('label'), card.querySelector('input')]"
        ".map((el) => getComputedStyle(el).fontWeight)")
    assert weights == ["600", "400"], weights
    shot(page, "review-queue.png")

    first = cards.nth(0)
    first.locator(".a-definition").fill("A review of an incident that looks for causes in "
                                        "systems, never blame on people.")
    first.locator("button.approve").click()
    expect(page.locator("#queue li.suggestion")).to_have_count(2)
    expect(page.locator("#team-terms li.team-term")).to_have_count(1)
    for left in (1, 0):
        page.locator("#queue li.suggestion").first.locator("button.reject").click()
        expect(page.locator("#queue li.suggestion")).to_have_count(left)

    # Edit through the page: the If-Match it sends is current, so the save goes through.
    page.locator("#team-terms li.team-term button.edit").click()
    page.fill("#f-aliases", "blameless review")
    page.click("#f-save")
    expect(page.locator("#team-terms li.team-term .aliases")).to_contain_text("blameless review")
    # Someone else edits meanwhile: the page's next save is refused with a clear message.
    page.locator("#team-terms li.team-term button.edit").click()
    etag = call(site, "GET", "/v1/terms/blameless-postmortem", "reader").headers["ETag"]
    call(site, "PUT", "/v1/terms/blameless-postmortem", "editor",
         {"term": "Blameless postmortem", "definition": "Changed elsewhere."},
         **{"If-Match": etag}).raise_for_status()
    page.fill("#f-definition", "My edit.")
    page.click("#f-save")
    expect(page.locator("#editor-status")).to_contain_text("Someone changed this term")
    page.click("#f-cancel")

    page.locator("#team-terms li.team-term button.history").click()
    changes = page.locator("#history li.change")
    expect(changes).to_have_count(3)
    expect(changes.first).to_contain_text("update by erin")
    shot(page, "review-history.png")
    changes.first.locator("button.undo").click()
    expect(page.locator("#history li.change")).to_have_count(4)
    expect(page.locator("#history li.change").first).to_contain_text("undoes")
    # Served by every worker within the reload interval (a request that overlaps the reload may
    # still get the previous glossary): poll briefly.
    deadline = time.monotonic() + 5
    while True:
        term = call(site, "GET", "/v1/terms/blameless-postmortem", "reader").json()
        if term["aliases"] == ["blameless review"] or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert term["aliases"] == ["blameless review"] and term["definition"].startswith("A review")

    assert page.evaluate("window.__xss") is None
    assert not problems, problems
    context.close()


def test_a_reader_token_cannot_review(site, plain_chromium):
    context = plain_chromium.new_context()
    page = context.new_page()
    page.goto(site.url + "/review")
    page.fill("#token", site.keys["reader"])
    page.click("#token-save")
    expect(page.locator("#who")).to_contain_text("needs the editor role")
    expect(page.locator("#queue li")).to_have_count(0)
    assert call(site, "GET", "/v1/suggestions", "reader").json()["scope"] == "own"
    context.close()


def test_the_home_page_shows_a_readers_own_suggestions_as_text(site, plain_chromium):
    mine = call(site, "POST", "/v1/suggestions", "reader", {"term": XSS, "definition": "x"}).json()
    call(site, "POST", "/v1/suggestions", "editor", {"term": "Not mine", "definition": "x"})
    call(site, "POST", "/v1/suggestions", "reader", {"term": "Canary", "definition": "x"})
    call(site, "POST", f"/v1/suggestions/{mine['id']}/reject", "editor", {"note": XSS})
    context = plain_chromium.new_context()
    page = context.new_page()
    page.goto(site.url + "/")
    expect(page.locator("#mine-status")).to_contain_text("Save your token")
    page.evaluate("document.getElementById('token-box').open = true")
    page.fill("#token", site.keys["reader"])
    page.click("#token-save")
    items = page.locator("#mine li")
    expect(items).to_have_count(2)  # the reader's own two, not the editor's
    expect(items.nth(0)).to_contain_text("pending")
    expect(items.nth(1).locator(".term-name")).to_have_text(XSS)
    expect(items.nth(1)).to_contain_text("rejected")
    expect(items.nth(1)).to_contain_text(f"Editor: {XSS}")
    assert page.locator("#mine img, #mine script").count() == 0
    assert page.evaluate("window.__xss") is None
    context.close()
