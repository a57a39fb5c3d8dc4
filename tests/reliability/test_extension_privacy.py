"""Issue 6, item 6: the extension never sends what people type or edit, and stays silent on
disabled sites, checked in real Chromium on the bodies the server really received.

tests/extension already covers a page that *loads* with inputs, a password field, a textarea,
contenteditable areas and hidden text, typing into them, and the disable list (options page,
popup, a site without host permission). These cases add what arrives *later*, through the
extension's MutationObserver: fields and editable areas inserted by a script, an element made
editable after load, a whole document switched to designMode, text typed into each, and a
site disabled while its page is open. Each page also adds plain prose at the same moment,
which must be sent: proof that the observer ran and the test would have seen a leak.
"""

from __future__ import annotations

from extension.harness import wait_for_highlights
from support.waiting import wait_until

SECRETS = {
    "input": "zebra-dyn-input-5101",
    "password": "zebra-dyn-password-5102",
    "textarea": "zebra-dyn-textarea-5103",
    "editable": "zebra-dyn-editable-5104",
    "editable-empty-attr": "zebra-dyn-editable-5105",
    "plaintext-only": "zebra-dyn-plain-5106",
    "inside-editable": "zebra-dyn-nested-5107",
    "made-editable": "zebra-dyn-made-5108",
    "typed-input": "zebra-typed-input-5109",
    "typed-editable": "zebra-typed-editable-5110",
    "option": "zebra-dyn-option-5111",
}

INSERT = """(s) => {
  const main = document.getElementById('dynamic');
  const add = (html) => { const t = document.createElement('template'); t.innerHTML = html; main.append(t.content); };
  add(`<p id="plain">A quagga walks past the zebra crossing again.</p>`);
  add(`<form><input id="in" value="zebra crossing ${s.input}">
        <input id="pw" type="password" value="quagga ${s.password}">
        <textarea id="ta">zebra crossing ${s.textarea}</textarea>
        <select><option>quagga ${s.option}</option></select></form>`);
  add(`<div id="ed" contenteditable="true"><p>quagga ${s.editable}</p></div>`);
  add(`<div contenteditable="">zebra crossing ${s['editable-empty-attr']}</div>`);
  add(`<div contenteditable="plaintext-only">quagga ${s['plaintext-only']}</div>`);
  add(`<section contenteditable="true"><article><p><em>zebra crossing ${s['inside-editable']}</em></p></article></section>`);
}"""


def sent_text(proxy) -> str:
    return "\n".join(proxy.match_texts())


def wait_until_sent(proxy, needle: str, timeout: float = 10.0) -> None:
    wait_until(lambda: needle in sent_text(proxy), timeout=timeout, what=f"{needle!r} sent")


def test_fields_and_editable_areas_added_later_are_never_sent(ext, page_server, recording_proxy):
    page = ext.context.new_page()
    page.goto(f"{page_server.url}/private.html?t=dynamic")
    wait_for_highlights(page, minimum=1)
    wait_until_sent(recording_proxy, "This page talks about a zebra crossing")

    page.evaluate(INSERT, SECRETS)
    wait_until_sent(recording_proxy, "A quagga walks past")  # the observer saw the insertion
    # An ordinary paragraph turned editable after load, then typed into.
    page.evaluate("""(s) => { const p = document.createElement('p'); p.id = 'later';
        p.textContent = 'A zebra crossing, soon editable.'; document.getElementById('dynamic').append(p); }""",
                  SECRETS)
    wait_until_sent(recording_proxy, "soon editable")
    page.evaluate("""(s) => { const p = document.getElementById('later'); p.contentEditable = 'true';
        p.append(' quagga ' + s['made-editable']); }""", SECRETS)
    page.fill("#in", f"zebra crossing {SECRETS['typed-input']}")
    page.click("#ed p")
    page.keyboard.type(f" quagga {SECRETS['typed-editable']}")
    page.evaluate("""() => { const p = document.createElement('p');
        p.textContent = 'Last quagga here.'; document.getElementById('dynamic').append(p); }""")
    wait_until_sent(recording_proxy, "Last quagga here")  # the sentinel, added after the typing

    sent = sent_text(recording_proxy)
    leaked = [name for name, secret in SECRETS.items() if secret in sent]
    assert leaked == [], f"sent from form fields or editable areas: {leaked}"
    # Nothing is drawn in what was a field or an editable area when it appeared. (#later was
    # plain prose when it was read and drawn; the drawing may stay after it turns editable.)
    drawn = page.evaluate("""() => [...CSS.highlights.get('termlight')].map((r) =>
        r.startContainer.parentElement.closest('form, [contenteditable]:not(#later)') ? 'editable' : 'prose')""")
    assert set(drawn) == {"prose"}


def test_a_page_switched_to_design_mode_sends_nothing_more(ext, page_server, recording_proxy):
    page = ext.context.new_page()
    page.goto(f"{page_server.url}/private.html?t=design")
    wait_until_sent(recording_proxy, "This page talks about a zebra crossing")
    page.evaluate("() => { document.designMode = 'on'; }")
    page.click("#intro")
    page.keyboard.press("End")
    page.keyboard.type(" The quagga zebra-design-typed-5201.")
    page.evaluate("""() => { const p = document.createElement('p');
        p.textContent = 'A zebra crossing zebra-design-added-5202.';
        document.body.append(p); }""")
    # No positive sentinel exists here: in an editable document nothing is read at all, and the
    # observer's verdict is not visible from outside. Wait past its longest debounce (1 s) twice.
    page.wait_for_timeout(2000)
    sent = sent_text(recording_proxy)
    # The whole document is an editor now: what is typed into it is not prose to send.
    leaked = [s for s in ("zebra-design-typed-5201", "zebra-design-added-5202") if s in sent]
    assert leaked == [], (f"sent after document.designMode = 'on' (the extension checks "
                          f"designMode only when it starts): {leaked}")


def test_a_page_loaded_in_design_mode_sends_nothing(ext, page_server, recording_proxy):
    page = ext.context.new_page()
    page.add_init_script("document.addEventListener('DOMContentLoaded', () => { document.designMode = 'on'; })")
    page.goto(f"{page_server.url}/private.html?t=designload")
    # The sentinel: the content script has started, seen the editable document and told the
    # worker it is off here (the badge's title says so).
    wait_until(lambda: "off for this site" in ext.badge_title(page), what="the 'off' badge title")
    assert recording_proxy.match_requests() == []


def test_disabling_a_site_while_its_page_is_open(ext, page_server, recording_proxy):
    page = ext.context.new_page()
    page.goto(f"{page_server.url}/private.html?t=disable")
    wait_until_sent(recording_proxy, "This page talks about a zebra crossing")
    settings = ext.settings()
    ext.control.evaluate("(v) => chrome.storage.local.set(v)",
                         {**settings, "disabledSites": ["127.0.0.1"]})
    page.wait_for_function("() => !CSS.highlights.get('termlight') || CSS.highlights.get('termlight').size === 0",
                           timeout=5000)
    recording_proxy.clear()
    page.evaluate("""() => { const p = document.createElement('p');
        p.textContent = 'A quagga zebra-disabled-5301 on a disabled site.';
        document.body.append(p); }""")
    # The sentinel: the reloaded document's content script asks the worker, hears that the site
    # is off and says so in the badge's title (set to something else first, so the old
    # document's "off" cannot pass for the new one's).
    ext.control.evaluate("(tabId) => chrome.action.setTitle({tabId, title: 'before reload'})", ext.tab_id(page))
    page.reload()
    wait_until(lambda: "off for this site" in ext.badge_title(page), what="the 'off' badge title after reload")
    assert recording_proxy.match_requests() == [], "nothing from a disabled site may be sent"
