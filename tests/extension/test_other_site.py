"""A site the extension holds no host permission for, like any site on the web.

The manifest grants http://127.0.0.1/* and http://localhost/* (for the server), so pages served
from there would hide permission problems. 127.0.0.2 is loopback too, but for the extension it
is just another site: only the content script's `matches` let it in.
"""

from __future__ import annotations

import pytest

from .harness import PageServer, wait_for_highlights


@pytest.fixture(scope="module")
def other_site():
    with PageServer(host="127.0.0.2") as server:
        yield server


def test_highlights_on_a_site_without_host_permission(ext, other_site, proxy):
    page = ext.context.new_page()
    page.goto(f"{other_site.url}/article.html?t=other")
    texts = wait_for_highlights(page, minimum=8)
    assert "Large Language Model" in texts
    sent = "\n".join(proxy.match_texts())
    assert "help centre" in sent and "zebra-input-4411" not in sent


def test_disable_list_on_a_site_without_host_permission(ext, other_site, pages, proxy):
    ext.set_settings({"serverUrl": proxy.url, "disabledSites": ["127.0.0.2"]})
    page = ext.context.new_page()
    page.goto(f"{other_site.url}/article.html?t=otheroff")
    page.wait_for_timeout(1500)
    assert page.evaluate("() => (CSS.highlights.get('termlight') || {size: 0}).size") == 0
    assert proxy.match_requests() == []
    # The same settings still let 127.0.0.1 through: the rule is per site.
    other = ext.context.new_page()
    other.goto(f"{pages.url}/article.html?t=otheron")
    assert "Large Language Model" in wait_for_highlights(other, minimum=8)
    assert proxy.match_requests()
