"""Pages that change after load: added text, replaced text, SPA navigation, infinite scroll."""

from __future__ import annotations

from .harness import highlight_texts, wait_for_highlights

JS_TEXTS = "() => [...(CSS.highlights.get('termlight') || [])].map((r) => { const x = document.createRange(); x.setStart(r.startContainer, r.startOffset); x.setEnd(r.endContainer, r.endOffset); return x.toString(); })"


def wait_until(page, predicate_js, timeout=5000):
    page.wait_for_function(f"() => {{ const texts = ({JS_TEXTS})(); return ({predicate_js})(texts); }}", timeout=timeout)
    return highlight_texts(page)


def test_text_added_later_by_a_script_is_highlighted(ext, pages):
    page = ext.context.new_page()
    page.goto(f"{pages.url}/dynamic.html?t=added")
    assert wait_for_highlights(page, minimum=1) == ["Large Language Model"]
    page.evaluate("() => addParagraph('Later the page loaded a paragraph about quantization and hallucination.')")
    texts = wait_until(page, "(t) => t.includes('quantization') && t.includes('hallucination')")
    assert sorted(texts) == ["Large Language Model", "hallucination", "quantization"]


def test_text_replaced_by_a_script_is_redrawn(ext, pages):
    page = ext.context.new_page()
    page.goto(f"{pages.url}/dynamic.html?t=replaced")
    wait_for_highlights(page, minimum=1)
    # textContent replaces the text node; the old highlight must go, the new term must come.
    page.evaluate("() => setText('static', 'Now this sentence is about an embedding instead.')")
    texts = wait_until(page, "(t) => t.includes('embedding') && !t.includes('Large Language Model')")
    assert texts == ["embedding"]
    # Changing a text node's data in place (what frameworks do) is picked up too.
    page.evaluate("() => setData('static', 'In place: a vector database and its latency.')")
    texts = wait_until(page, "(t) => t.includes('vector database') && !t.includes('embedding')")
    assert sorted(texts) == ["latency", "vector database"]
    # Every drawn range still covers exactly its term (none left pointing at stale offsets).
    assert all(t.lower() in {"latency", "vector database"} for t in highlight_texts(page))


def test_spa_navigation_keeps_highlights_right(ext, pages):
    page = ext.context.new_page()
    page.goto(f"{pages.url}/dynamic.html?t=spa")
    wait_for_highlights(page, minimum=1)
    page.evaluate("""() => navigate('guide', ['The guide explains retrieval-augmented generation.',
                                            'It also covers the context window.'])""")
    texts = wait_until(page, "(t) => t.length === 2 && t.includes('context window')")
    assert sorted(texts) == ["context window", "retrieval-augmented generation"]
    assert page.url.endswith("?route=guide")
    page.evaluate("() => navigate('home', ['Back home: fine-tuning.'])")
    texts = wait_until(page, "(t) => t.length === 1 && t[0] === 'fine-tuning'")
    assert texts == ["fine-tuning"]


def test_infinite_scroll(ext, pages, proxy):
    page = ext.context.new_page()
    page.goto(f"{pages.url}/dynamic.html?t=scroll")
    wait_for_highlights(page, minimum=1)
    proxy.clear()
    page.evaluate("() => infiniteScroll(40)")
    wait_until(page, "(t) => t.filter((x) => x === 'vector database').length === 40")
    page.evaluate("() => infiniteScroll(40)")  # same texts again: answered from the cache
    texts = wait_until(page, "(t) => t.filter((x) => x === 'vector database').length === 80")
    assert texts.count("observability") == 80
    # 40 distinct new paragraphs went out in a few requests, not one per node.
    assert len(proxy.match_requests()) <= 4
    assert len(set(proxy.match_texts())) == 40
