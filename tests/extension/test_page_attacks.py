"""Issue 9, item 1: a web page can neither read nor drive termlight's UI.

Each test plays the page's script against a real card or panel and checks the extension's side
through its own content-script world (harness.ui_eval). Each also has a positive control, done
with real input (Playwright's mouse and keyboard go through the browser like a person's), so
that nothing passes just because the UI never opened. On the code before issue 9 each attack
worked: the shadow root was open, synthetic events opened cards and closed panels, and the worker
fetched any term id it was asked for.
"""

from __future__ import annotations

from .harness import JS_PANEL_OPEN, popover, rect_of, ui_eval, ui_wait, wait_for_highlights
from .test_popover import JS_CLOSED, JS_OPEN, hover

# The page's own script: fire a synthetic pointer move at the middle of a drawn term.
JS_FAKE_HOVER = """(r) => {
  const x = r.x + r.w / 2, y = r.y + r.h / 2;
  for (let i = 0; i < 5; i++) {
    document.dispatchEvent(new PointerEvent('pointermove', {clientX: x + i, clientY: y, bubbles: true, pointerType: 'mouse'}));
  }
}"""

# The page's own script: everything it can reach of termlight's UI.
JS_PAGE_READS_UI = """() => {
  const host = document.querySelector('termlight-ui');
  if (!host) return {host: false};
  const root = host.shadowRoot;
  return {host: true, root: !!root, text: root ? root.textContent : null,
          chips: root ? root.querySelectorAll('button.chip').length : 0};
}"""

# Asked from the content-script world, as code that took over the content script would.
JS_ASK_TERM = """async (root, id) => {
  const reply = await chrome.runtime.sendMessage({type: 'term', id});
  return reply.error ? {error: reply.error.kind} : {term: reply.term.term};
}"""


def open_card(page, text):
    hover(page, text)
    ui_wait(page, JS_OPEN, timeout=5)


def test_a_page_cannot_read_the_card(ext, pages):
    page = ext.context.new_page()
    page.goto(f"{pages.url}/article.html?t=read-card")
    wait_for_highlights(page, minimum=8)
    open_card(page, "Large Language Model")
    # Positive control: the card is open and shows the definition.
    assert popover(page)["term"] == "Large Language Model"
    seen = page.evaluate(JS_PAGE_READS_UI)
    assert seen["host"] is True
    assert seen["root"] is False, f"the page read the card: {seen['text']!r}"


def test_synthetic_pointer_events_do_not_open_a_card(ext, pages):
    page = ext.context.new_page()
    page.goto(f"{pages.url}/article.html?t=fake-hover")
    wait_for_highlights(page, minimum=8)
    r = rect_of(page, "Large Language Model")
    page.evaluate(JS_FAKE_HOVER, r)
    page.wait_for_timeout(1200)  # more than twice the show delay
    assert not ui_eval(page, JS_OPEN), "a page script opened the card with synthetic events"
    # Positive control: a real pointer at the same place opens it.
    page.mouse.move(r["x"] + r["w"] / 2, r["y"] + r["h"] / 2)
    ui_wait(page, JS_OPEN, timeout=5)
    # A synthetic Escape does not close it; a real one does.
    page.evaluate("() => document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true}))")
    page.wait_for_timeout(300)
    assert ui_eval(page, JS_OPEN), "a page script closed the card with a synthetic Escape"
    page.keyboard.press("Escape")
    ui_wait(page, JS_CLOSED, timeout=3)


def test_synthetic_keys_do_not_drive_the_panel(ext, pages):
    page = ext.context.new_page()
    page.goto(f"{pages.url}/article.html?t=fake-keys")
    wait_for_highlights(page, minimum=8)
    assert ext.run_command(page) is True
    ui_wait(page, JS_PANEL_OPEN, timeout=5)
    page.evaluate("() => document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true}))")
    page.wait_for_timeout(300)
    assert ui_eval(page, JS_PANEL_OPEN), "a page script closed the panel with a synthetic Escape"
    page.keyboard.press("Escape")
    ui_wait(page, f"(root) => !({JS_PANEL_OPEN})(root)", timeout=3)


def test_the_worker_looks_up_only_terms_the_tab_was_shown(ext, pages, proxy):
    page = ext.context.new_page()
    page.goto(f"{pages.url}/plain.html?t=term-ids")
    wait_for_highlights(page, minimum=9)  # llm, hallucination, observability, latency
    # Positive controls: a term on the page, and a related term of one ('rag', of hallucination).
    assert ui_eval(page, JS_ASK_TERM, "hallucination") == {"term": "Hallucination"}
    assert ui_eval(page, JS_ASK_TERM, "rag") == {"term": "Retrieval-Augmented Generation"}
    term_requests = [r for r in proxy.requests if "/v1/terms/" in r.path]
    # A term of the glossary the page never mentioned, and an id that does not exist: both get
    # the same refusal, without a request to the server.
    assert ui_eval(page, JS_ASK_TERM, "quantization") == {"error": "forbidden"}
    assert ui_eval(page, JS_ASK_TERM, "no-such-term") == {"error": "forbidden"}
    assert [r for r in proxy.requests if "/v1/terms/" in r.path] == term_requests
