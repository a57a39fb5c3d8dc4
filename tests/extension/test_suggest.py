"""Suggesting from the extension, in real Chromium against a real gunicorn with a team database:
the form is the extension's own window (opened the way the context menu and the popover open
it), it sends through the worker, an editor approves, and the term then highlights on the
page. Hostile text in every field stays inert in the form's list of the reader's suggestions."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

import pytest
import requests

from support.server import run_server
from termlight.store import open_database, tokens

from .conftest import GLOSSARY_DIR
from .harness import PageServer, poll, rect_of, ui_wait, wait_for_highlights

pytestmark = pytest.mark.server

XSS = '<img src=x onerror="window.__xss=1"><b>bold</b>'
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Rollouts</title></head><body>
<article><h1>How we ship</h1>
<p>Every release starts as a zebra canary on two hosts, after the LLM review.</p>
<p>A zebra canary that fails rolls back by itself.</p></article></body></html>"""


@pytest.fixture
def team_site(tmp_path):
    url = f"sqlite:///{tmp_path / 'team.sqlite3'}"
    db = open_database(url)
    keys = {"reader": tokens.add(db, "rita", "reader"), "editor": tokens.add(db, "erin", "editor")}
    site = tmp_path / "pages"
    site.mkdir()
    (site / "ship.html").write_text(PAGE, encoding="utf-8")
    with run_server(GLOSSARY_DIR, {"TERMLIGHT_DATABASE_URL": url}, workers=1) as srv, \
            PageServer(site) as pages:
        srv.keys, srv.pages = keys, pages
        yield srv


def api(srv, method, path, role, body=None):
    resp = requests.request(method, srv.url + path, json=body, timeout=30,
                            headers={"Authorization": f"Bearer {srv.keys[role]}"})
    resp.raise_for_status()
    return resp.json()


def open_suggest_window(ext, **fields):
    """What the context menu does on a selection: the worker opens the suggest window."""
    with ext.context.expect_page(timeout=15_000) as opened:
        ext.service_worker().evaluate("(f) => termlightSuggest.openSuggest(f)", fields)
    window = opened.value
    wait_ready(window)
    return window


def wait_ready(window):
    window.wait_for_load_state()
    poll(window, "() => document.body.dataset.ready === 'true'", timeout=10)


def test_suggest_from_the_extension_then_approve_and_it_highlights(extension_browser, team_site):
    ext = extension_browser
    with ext.fresh(team_site.url):
        ext.set_settings({"serverUrl": team_site.url, "token": team_site.keys["reader"]})
        page = ext.context.new_page()
        page_url = f"{team_site.pages.url}/ship.html"
        page.goto(page_url)
        wait_for_highlights(page, minimum=1)  # the LLM of the file glossary
        assert "zebra canary" not in [t.lower() for t in wait_for_highlights(page, minimum=1)]

        window = open_suggest_window(ext, term="zebra canary", url=page_url)
        assert window.url.startswith(ext.extension_url("suggest/suggest.html"))
        assert window.input_value("#term") == "zebra canary"
        assert window.text_content("#source") == page_url
        window.fill("#definition", "A first release to two hosts that rolls back by itself.")
        window.fill("#aliases", "zebra canaries")
        if os.environ.get("TERMLIGHT_SCREENSHOTS"):
            window.set_viewport_size({"width": 480, "height": 640})
            window.screenshot(path=str(SHOTS / "suggest-form.png"))
        window.click("#send")
        poll(window, "() => document.body.dataset.sent", timeout=15)
        assert "editors will review" in window.text_content("#status")

        queue = api(team_site, "GET", "/v1/suggestions?state=pending", "editor")["suggestions"]
        assert [(s["term"], s["source_url"], s["author"]) for s in queue] == \
            [("zebra canary", page_url, "rita")]
        api(team_site, "POST", f"/v1/suggestions/{queue[0]['id']}/approve", "editor",
            {"term": "Zebra canary"})

        # Half a minute later (the worker's version check is due), the page shows the new term.
        ext.service_worker().evaluate("() => { termlightBackground.client.checkedAt = 0; }")
        page.reload()
        texts = [t.lower() for t in wait_for_highlights(page, minimum=3)]
        assert texts.count("zebra canary") == 2, texts

        # The reader's list shows the decision; hostile text from the server stays text.
        window.select_option("#kind", "new")
        window.fill("#term", XSS)
        window.fill("#definition", XSS)
        window.uncheck("#use-source")  # the reader may keep the page address to themselves
        window.click("#send")
        poll(window, "() => document.querySelectorAll('#mine li').length === 2", timeout=15)
        items = window.locator("#mine li").all_text_contents()
        assert any(XSS in t and "pending" in t for t in items)
        assert any(t.startswith("zebra canary") and "approved" in t for t in items)
        assert window.locator("#mine img, #mine b").count() == 0
        assert window.evaluate("window.__xss") is None
        latest = api(team_site, "GET", "/v1/suggestions", "editor")["suggestions"][-1]
        assert latest["term"] == XSS and latest["source_url"] is None


def test_a_popover_offers_a_better_definition_in_the_extensions_window(extension_browser, team_site):
    ext = extension_browser
    with ext.fresh(team_site.url):
        ext.set_settings({"serverUrl": team_site.url, "token": team_site.keys["reader"]})
        page = ext.context.new_page()
        page.goto(f"{team_site.pages.url}/ship.html")
        wait_for_highlights(page, minimum=1)
        r = rect_of(page, "LLM")
        page.mouse.move(r["x"] + r["w"] / 2, r["y"] + r["h"] / 2)
        point = ui_wait(page, """(root) => { const b = root && root.querySelector('.card:not([hidden]) button.suggest-better');
            if (!b) return null; const r = b.getBoundingClientRect(); return {x: r.left + r.width / 2, y: r.top + r.height / 2}; }""")
        # The page itself can neither see the button nor press it (closed shadow root).
        assert page.evaluate("() => document.querySelectorAll('button.suggest-better').length") == 0
        with ext.context.expect_page(timeout=15_000) as opened:
            page.mouse.move(point["x"], point["y"])
            page.mouse.click(point["x"], point["y"])
        window = opened.value
        wait_ready(window)
        assert window.input_value("#kind") == "better-definition"
        assert "About the glossary term" in window.text_content("#about")
        assert window.text_content("#source").endswith("/ship.html")
