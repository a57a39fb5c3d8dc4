"""A site nobody chose, like any site on the web (issue 9, item 2).

The manifest grants http://127.0.0.1/* and http://localhost/* (for a server on this machine), so
pages served from there would hide permission problems. 127.0.0.2 is loopback too, but for the
extension it is just another site: nobody chose it and the browser granted nothing for it, so
termlight must not even run there. Before issue 9 a static content script read every http(s)
page, this one included.
"""

from __future__ import annotations

import pytest

from .harness import PAGES_DIR, PageServer, wait_for_highlights

JS_COUNT = "() => (CSS.highlights.get('termlight') || {size: 0}).size"


@pytest.fixture(scope="module")
def other_site():
    with PageServer(PAGES_DIR, host="127.0.0.2") as server:
        yield server


def test_a_site_nobody_chose_is_not_read(ext, other_site, pages, proxy):
    page = ext.context.new_page()
    page.goto(f"{other_site.url}/plain.html?t=other")
    # Positive control, in another tab: this machine's own pages are read while the server is
    # on this machine, so the extension is up and the proxy records.
    control = ext.context.new_page()
    control.goto(f"{pages.url}/article.html?t=control")
    assert "Large Language Model" in wait_for_highlights(control, minimum=8)  # the sentinel
    assert page.evaluate(JS_COUNT) == 0
    sent = "\n".join(proxy.match_texts())
    assert "help centre" in sent  # from the control page
    assert "Another Large Language Model" not in sent, "a page on a site nobody chose was sent"
    assert page.evaluate("() => document.querySelector('termlight-ui')") is None
