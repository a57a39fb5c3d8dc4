"""Issue 9, item 4: what is sent is what is visibly read, never what is typed.

tests/extension/pages/hidden.html hides a marked secret in each way a page hides text (closed
<details>, opacity 0, font-size 0, an sr-only clip, off-screen positioning, a huge negative
text-indent, a zero-size box, clip-path) and in each kind of editing surface the old reader
missed (-webkit-user-modify: read-write, role=textbox, a Monaco-style editor whose hidden
textarea is mirrored into divs). Then the person types into the editor and the user-modify
area. Visible prose on the same page must be sent: the positive control.
"""

from __future__ import annotations

import re

from support.waiting import wait_until

from .harness import wait_for_highlights


def wait_until_sent(proxy, needle, timeout=10.0):
    wait_until(lambda: needle in "\n".join(proxy.match_texts()), timeout, what=f"{needle!r} to be sent")


def test_hidden_and_typed_text_is_never_sent(ext, pages, proxy):
    page = ext.context.new_page()
    page.goto(f"{pages.url}/hidden.html?t=visible")
    wait_for_highlights(page, minimum=2)
    wait_until_sent(proxy, "plain visible prose")
    wait_until_sent(proxy, "open-details-9199")  # an open <details> is read
    wait_until_sent(proxy, "Retrieval-Augmented Generation is also visible")

    # The person types into the code editor and into the user-modify area.
    page.click("#editor")
    page.focus("#editor-input")
    page.keyboard.type("Embedding secret-editor-typed-9113")
    page.click("#user-modify")
    page.keyboard.press("End")
    page.keyboard.type(" Hallucination secret-usermodify-typed-9114")
    page.evaluate("""() => { const p = document.createElement('p'); p.textContent = 'A last visible Embedding line.';
        document.body.append(p); }""")
    wait_until_sent(proxy, "A last visible Embedding line")
    page.wait_for_timeout(1300)  # past the observer's debounce

    sent = "\n".join(proxy.match_texts())
    leaked = sorted(set(re.findall(r"secret-[a-z-]+-\d{4}", sent)))
    assert leaked == [], f"hidden or typed text was sent: {leaked}"
    assert page.evaluate("() => document.getElementById('editor-lines').textContent").endswith("typed-9113")
