"""Issue 9, item 5: a page cannot drive the server through termlight.

The page's own script writes 100 paragraphs of 10 kB and rewrites every one of them with new
words twice a second. Before issue 9 one tab uploaded all of it each time (the issue measured
138 MB in 30 s); now the tab's upload budget (2 MB per minute, background/budget.js) and the
back-off for blocks that keep changing (content/observe.js) hold it. Positive controls: the
first version of the paragraphs is sent, and another tab is still read at once, since the
budget is per tab.
"""

from __future__ import annotations

import time

from .harness import wait_for_highlights

BUDGET_BYTES = 2_000_000

JS_CHURN = """() => {
  const words = () => Array.from({length: 1400}, () => Math.random().toString(36).slice(2, 8)).join(' ');
  const box = document.createElement('div');
  for (let i = 0; i < 100; i++) {
    const p = document.createElement('p');
    p.textContent = (i === 0 ? 'first-version-marker ' : '') + words();
    box.append(p);
  }
  document.body.append(box);
  window.__churn = setInterval(() => { for (const p of box.children) p.textContent = words(); }, 500);
}"""


def uploaded(proxy) -> int:
    return sum(len(r.body) for r in proxy.match_requests())


def test_a_page_rewriting_itself_cannot_make_a_tab_upload_more_than_its_budget(ext, pages, proxy):
    page = ext.context.new_page()
    page.goto(f"{pages.url}/plain.html?t=churn")
    wait_for_highlights(page, minimum=9)
    page.evaluate(JS_CHURN)
    deadline = time.monotonic() + 6
    while time.monotonic() < deadline:
        page.wait_for_timeout(250)
    total = uploaded(proxy)
    requests = len(proxy.match_requests())
    page.evaluate("() => clearInterval(window.__churn)")
    print(f"churn: {total:,} bytes uploaded in 6 s, {requests} requests")
    assert "first-version-marker" in "\n".join(proxy.match_texts()), "positive control: the page was read"
    assert total <= BUDGET_BYTES * 1.05, f"one tab uploaded {total:,} bytes in 6 s ({requests} requests)"
    assert ext.badge(page) in {"…", ""} or ext.badge(page).isdigit()

    # Another tab has its own budget: it is read straight away.
    other = ext.context.new_page()
    other.goto(f"{pages.url}/article.html?t=after-churn")
    assert "Large Language Model" in wait_for_highlights(other, minimum=8)


def test_text_the_cache_answered_is_not_sent_again(ext, pages, proxy):
    page = ext.context.new_page()
    page.goto(f"{pages.url}/article.html?t=cache")
    wait_for_highlights(page, minimum=8)
    first = uploaded(proxy)
    assert first > 0
    page.reload()
    wait_for_highlights(page, minimum=8)
    page.wait_for_timeout(300)
    assert uploaded(proxy) == first
