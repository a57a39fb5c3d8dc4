"""The keyboard panel: the command opens it, arrows and Enter jump between occurrences, Escape closes."""

from __future__ import annotations

from .harness import JS_PANEL_OPEN, highlight_texts, ui_eval, ui_wait, wait_for_highlights

# Read in termlight's content-script world through its closed shadow root (harness.ui_eval).
JS_PANEL = """(root) => {
  const panel = root && root.querySelector('.panel');
  if (!panel) return null;
  const list = panel.querySelector('ul');
  return {
    open: !panel.hidden,
    names: [...panel.querySelectorAll('li .name')].map((n) => n.textContent),
    counts: [...panel.querySelectorAll('li .count')].map((n) => n.textContent),
    selected: [...panel.querySelectorAll('li[aria-selected=true] .name')].map((n) => n.textContent),
    focused: root.activeElement === panel.querySelector('input.filter'),
    status: panel.querySelector('.status').textContent,
  };
}"""


def test_keyboard_panel(ext, pages):
    page = ext.context.new_page()
    page.goto(f"{pages.url}/article.html?t=panel")
    wait_for_highlights(page, minimum=8)
    page.focus("#q")

    assert ext.run_command(page) is True
    ui_wait(page, JS_PANEL_OPEN)
    panel = ui_eval(page, JS_PANEL)
    # Terms in the order the page first mentions them, each with its count.
    assert panel["names"][:4] == ["Large Language Model", "Hallucination", "Retrieval-Augmented Generation", "Embedding"]
    assert panel["counts"][panel["names"].index("Hallucination")] == "2\u00d7"
    assert panel["selected"] == ["Large Language Model"]
    assert panel["focused"]

    page.keyboard.press("ArrowDown")
    assert ui_eval(page, JS_PANEL)["selected"] == ["Hallucination"]
    start_scroll = page.evaluate("() => window.scrollY")
    page.keyboard.press("Enter")
    assert highlight_texts(page, "termlight-active") == ["hallucination"]
    assert ui_eval(page, JS_PANEL)["status"] == "Hallucination: occurrence 1 of 2"
    page.keyboard.press("Enter")
    assert ui_eval(page, JS_PANEL)["status"] == "Hallucination: occurrence 2 of 2"
    assert page.evaluate("() => window.scrollY") > start_scroll  # the last one is further down
    # The marked occurrence is the one in the aside paragraph.
    assert page.evaluate("""() => [...CSS.highlights.get('termlight-active')][0].startContainer.parentElement.id""") == "aside"
    page.keyboard.press("Enter")  # wraps around to the first one
    assert ui_eval(page, JS_PANEL)["status"] == "Hallucination: occurrence 1 of 2"

    page.keyboard.press("ArrowUp")
    assert ui_eval(page, JS_PANEL)["selected"] == ["Large Language Model"]
    page.keyboard.press("Escape")
    panel = ui_eval(page, JS_PANEL)
    assert not panel["open"]
    assert highlight_texts(page, "termlight-active") == []
    # Focus goes back to where it was.
    assert page.evaluate("() => document.activeElement.id") == "q"

    # The command toggles: run it twice, open then closed.
    ext.run_command(page)
    ui_wait(page, JS_PANEL_OPEN)
    ext.run_command(page)
    ui_wait(page, "(root) => root.querySelector('.panel').hidden")


def test_panel_says_so_when_nothing_was_found(ext, pages, proxy):
    page = ext.context.new_page()
    page.goto(f"{pages.url}/xss.html?t=panelempty")
    wait_for_highlights(page, minimum=1)
    page.evaluate("() => document.getElementById('p1').textContent = 'Nothing to explain here.'")
    page.wait_for_function("() => CSS.highlights.get('termlight').size === 0")
    ext.run_command(page)
    ui_wait(page, JS_PANEL_OPEN)
    text = ui_eval(page, "(root) => root.querySelector('.panel ul').textContent")
    assert text == "No glossary terms found on this page."


def test_the_command_has_its_shortcut(ext):
    """Chromium assigns the suggested key only when no browser shortcut owns it (Alt+Shift+T does)."""
    commands = ext.control.evaluate("() => chrome.commands.getAll()")
    toggle = next(c for c in commands if c["name"] == "toggle-panel")
    assert toggle["shortcut"] == "Alt+Shift+G"
