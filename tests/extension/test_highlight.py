"""Highlighting in real Chromium against the real service: what gets drawn, and what is left alone."""

from __future__ import annotations

from collections import Counter

from support.waiting import wait_until

from .harness import highlight_texts, wait_for_highlights

JS_BODY = "() => document.body.innerHTML"


def test_expected_terms_are_highlighted(ext, pages):
    page = ext.context.new_page()
    page.goto(f"{pages.url}/article.html?t=expected")
    texts = wait_for_highlights(page, minimum=8)
    counts = Counter(t.lower() for t in texts)
    # Prose terms, by their surface text as it appears on the page.
    for surface in ["large language model", "hallucination", "embedding", "embeddings", "vector store",
                    "llm", "context window", "token", "quantization", "fine-tuning", "rag",
                    "observability", "latency"]:
        assert counts[surface] >= 1, (surface, sorted(counts))
    # Every drawn range covers exactly a glossary form, never a fragment of a word.
    assert all(t and t.strip() == t for t in texts)
    assert len(page.evaluate("() => [...CSS.highlights.keys()].filter((k) => k.startsWith('termlight'))")) >= 1


def test_term_split_across_inline_elements_is_found(ext, pages):
    page = ext.context.new_page()
    page.goto(f"{pages.url}/article.html?t=split")
    texts = wait_for_highlights(page, minimum=8)
    assert "large language model" in texts  # "large <em>language</em> model"
    assert "Retrieval-Augmented Generation" in texts  # "<a>Retrieval</a>-Augmented Generation"
    ranges = page.evaluate("""() => [...CSS.highlights.get('termlight')]
        .filter((r) => r.startContainer !== r.endContainer)
        .map((r) => [r.startContainer.parentElement.localName, r.endContainer.parentElement.localName])""")
    assert ["p", "p"] in ranges or any(a != b for a, b in ranges)


def test_text_of_different_blocks_is_never_joined(ext, pages):
    page = ext.context.new_page()
    page.goto(f"{pages.url}/article.html?t=blocks")
    texts = wait_for_highlights(page, minimum=8)
    # <li>Vector</li><li>Database</li> must not become "Vector Database".
    assert not any("vector" in t.lower() and "database" in t.lower() for t in texts)


def test_skipped_regions_are_neither_sent_nor_drawn(ext, pages, proxy):
    page = ext.context.new_page()
    page.goto(f"{pages.url}/article.html?t=skipped")
    wait_for_highlights(page, minimum=8)
    page.fill("#q", "Large Language Model zebra-typed-4420")
    page.type("#editor p", " more Token zebra-typed-4421")
    # A paragraph added after the typing is sent by the same observer: once it arrives, the
    # typed text had its chance to leak.
    page.evaluate("() => { const p = document.createElement('p'); p.textContent = 'Sentinel Token 4430.'; document.body.append(p); }")
    wait_until(lambda: any("Sentinel Token 4430" in t for t in proxy.match_texts()), what="the sentinel")
    sent = "\n".join(proxy.match_texts())
    assert "help centre" in sent  # the page's prose did go out
    for secret in ["zebra-input-4411", "zebra-password-4412", "zebra-textarea-4413", "zebra-editable-4414",
                   "zebra-hidden-4415", "zebra-none-4416", "zebra-option-4417", "zebra-plain-4418",
                   "zebra-typed-4420", "zebra-typed-4421", 'quantization = "int8"']:
        assert secret not in sent, secret
    drawn_in = page.evaluate("""() => [...CSS.highlights.get('termlight')].map((r) =>
        r.startContainer.parentElement.closest('form, [contenteditable], pre, [hidden]') ? 'bad' : 'ok')""")
    assert set(drawn_in) == {"ok"}


def test_requests_are_batched(ext, pages, proxy):
    page = ext.context.new_page()
    page.goto(f"{pages.url}/article.html?t=batched")
    wait_for_highlights(page, minimum=8)
    requests = proxy.match_requests()
    texts = proxy.match_texts()
    assert len(texts) >= 8
    assert 1 <= len(requests) <= 3, len(requests)
    body = requests[0].json()
    assert body["offsets"] == "utf16"
    assert "glossaries" not in body  # default: every glossary


def test_cache_keeps_the_same_text_from_being_sent_twice(ext, pages, proxy):
    page = ext.context.new_page()
    page.goto(f"{pages.url}/article.html?t=cache1")
    first = wait_for_highlights(page, minimum=8)
    sent_once = len(proxy.match_texts())
    page.goto(f"{pages.url}/article.html?t=cache2")
    second = wait_for_highlights(page, minimum=8)
    assert sorted(first) == sorted(second)
    assert len(proxy.match_texts()) == sent_once


def test_page_dom_is_the_same_with_and_without_the_extension(ext, pages, plain_chromium):
    from .harness import popover, rect_of, ui_wait

    plain = plain_chromium.new_context()
    try:
        ref = plain.new_page()
        ref.goto(f"{pages.url}/article.html?t=dom")
        expected = ref.evaluate(JS_BODY)
        expected_children = ref.evaluate("() => document.documentElement.children.length")
    finally:
        plain.close()

    page = ext.context.new_page()
    page.goto(f"{pages.url}/article.html?t=dom")
    wait_for_highlights(page, minimum=8)
    r = rect_of(page, "Large Language Model")
    page.mouse.move(r["x"] + r["w"] / 2, r["y"] + r["h"] / 2)
    ui_wait(page, "(root) => { const c = root && root.querySelector('.card'); return !!c && !c.hidden; }")
    assert popover(page)["open"]
    assert page.evaluate(JS_BODY) == expected
    # At most one element added to the page: our UI host, outside <body>.
    assert page.evaluate("() => document.documentElement.children.length") == expected_children + 1
    assert page.evaluate("() => document.querySelectorAll('termlight-ui').length") == 1
    assert page.evaluate("() => document.querySelector('termlight-ui').parentElement === document.documentElement")


def test_first_occurrence_only(ext, pages, proxy):
    ext.set_settings({"serverUrl": proxy.url, "occurrences": "first"})
    page = ext.context.new_page()
    page.goto(f"{pages.url}/plain.html?t=first")
    texts = wait_for_highlights(page, minimum=3)
    lowered = [t.lower() for t in texts]
    assert lowered.count("hallucination") == 1
    assert lowered.count("large language model") == 1
    # And the one drawn is the first in the page.
    first = page.evaluate("""() => { const r = [...CSS.highlights.get('termlight')].find((r) =>
        r.startContainer.data.slice(r.startOffset, r.endOffset).toLowerCase() === 'hallucination');
        return [r.startContainer.parentElement.id, r.startOffset]; }""")
    assert first == ["two", 0]


def test_every_occurrence_by_default(ext, pages):
    page = ext.context.new_page()
    page.goto(f"{pages.url}/plain.html?t=every")
    texts = wait_for_highlights(page, minimum=6)
    assert [t.lower() for t in texts].count("hallucination") == 3
    assert texts.count("Large Language Model") == 2
    assert highlight_texts(page, "termlight-active") == []
