"""Issue 6, item 5: hostile request bodies get a clear 4xx or a correct answer, in bounded
time and memory: 5 MiB of text, 100,000 tiny texts, deeply nested JSON, lone surrogates and
bad UTF-8, NUL bytes, RTL overrides, one 1,000,000-character word, and 5 MiB of characters
that grow under normalization. How time and peak memory are measured: see hostile.py.
"""

from __future__ import annotations

import json

import pytest

from support.problems import check_problem
from support.server import run_server

from .hostile import (
    EXPANDING_PEAK_LIMIT_MIB, MIB, TIME_LIMIT, body_of_size, check_bounded, check_matches,
    http_call, measure, post_json, prose, raw_call, record)
from .procstats import wait_for_workers

pytestmark = pytest.mark.server


# --- size -----------------------------------------------------------------------------

def test_five_mib_of_text(srv, pid, bundled):
    body = body_of_size(prose(5 * MIB, bundled), 5 * MIB)
    assert len(body) == 5 * MIB
    answer = measure(srv, pid, http_call(srv, "POST", "/v1/match", body))
    check_bounded(srv, pid, "5 MiB of text (exactly the limit)", answer)
    check_matches(json.loads(body)["text"], answer, bundled)
    assert len(answer.body["matches"]) > 10_000

    over = json.dumps({"text": json.loads(body)["text"] + "y"}, ensure_ascii=False).encode()
    assert len(over) == 5 * MIB + 1
    # The 413 comes as soon as the headers are read, before the body; a client that kept
    # pushing 5 MiB into a closed connection would get a broken pipe instead of reading it,
    # so this one sends the first 64 KiB and then listens (what Expect: 100-continue is for).
    head = (b"POST /v1/match HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(over))
    answer = measure(srv, pid, raw_call(srv, head + over[:65536]))
    check_bounded(srv, pid, "5 MiB + 1 byte", answer)
    check_problem(answer.status, answer.headers["content-type"], answer.body, 413)


def test_100000_tiny_texts(srv, pid, bundled):
    texts = ["LLM", "x", "RAG ok", ""] * 25_000
    answer = measure(srv, pid, post_json(srv, {"texts": texts}))
    check_bounded(srv, pid, "100,000 tiny texts (limit 10,000)", answer)
    check_problem(answer.status, answer.headers["content-type"], answer.body, 422, "texts")
    answer = measure(srv, pid, post_json(srv, {"texts": texts[:10_000]}))
    check_bounded(srv, pid, "10,000 tiny texts (at the limit)", answer)
    assert answer.status == 200 and len(answer.body["results"]) == 10_000
    assert [len(r["matches"]) for r in answer.body["results"][:4]] == [1, 0, 1, 0]


def test_100000_tiny_texts_with_the_limit_raised(bundled, tmp_path):
    with run_server(None, env={"TERMLIGHT_MAX_TEXTS": "100000"}, workers=1) as server:
        pid = wait_for_workers(server, 1)[0]
        texts = ["LLM", "x", "RAG ok", "", "😀 LoRA"] * 20_000
        answer = measure(server, pid, post_json(server, {"texts": texts}))
        check_bounded(server, pid, "100,000 tiny texts (limit raised to 100,000)", answer)
        assert answer.status == 200
        expected = bundled.match_document(texts=texts[:5])
        assert answer.body["results"][:5] == expected["results"]
        assert answer.body["results"] == expected["results"] * 20_000


# --- structure and encoding -------------------------------------------------------------

NESTED = {
    "2,000,000 nested arrays": b"[" * 2_000_000 + b"]" * 2_000_000,
    "500,000 nested objects": b'{"a":' * 500_000 + b"1" + b"}" * 500_000,
    "deep nesting inside a field": b'{"text": "LLM", "glossaries": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
}


@pytest.mark.parametrize("name", list(NESTED))
def test_deeply_nested_json(srv, pid, name):
    answer = measure(srv, pid, http_call(srv, "POST", "/v1/match", NESTED[name]))
    check_bounded(srv, pid, name, answer)
    check_problem(answer.status, answer.headers["content-type"], answer.body, 400)
    assert "nested too deeply" in answer.body["detail"]


def test_moderate_nesting_is_a_wrong_type(srv, pid):
    body = b'{"text": "LLM", "glossaries": ' + b"[" * 500 + b"]" * 500 + b"}"
    answer = measure(srv, pid, http_call(srv, "POST", "/v1/match", body))
    check_bounded(srv, pid, "500 nested arrays in a field", answer)
    check_problem(answer.status, answer.headers["content-type"], answer.body, 422, "glossaries[0]")


SURROGATES = [
    ("lone surrogate in text", b'{"text": "LLM \\ud800 RAG"}', 422, "text"),
    ("lone low surrogate in a batch", b'{"texts": ["ok", "\\udfff"]}', 422, "texts[1]"),
    ("reversed surrogate pair", b'{"text": "\\ude00\\ud83d"}', 422, "text"),
    ("lone surrogate in a key", b'{"text": "x", "\\ud800": 1}', 422, None),
    ("lone surrogate in a glossary id", b'{"text": "x", "glossaries": ["\\ud800"]}', 422,
     "glossaries[0]"),
    ("surrogate as raw UTF-8 bytes (CESU)", b'{"text": "\xed\xa0\x80"}', 400, None),
    ("overlong UTF-8 for a quote", b'{"text": "\xc0\xa2"}', 400, None),
]


@pytest.mark.parametrize("name, body, status, field", SURROGATES, ids=[s[0] for s in SURROGATES])
def test_lone_surrogates_and_bad_utf8(srv, pid, name, body, status, field):
    answer = measure(srv, pid, http_call(srv, "POST", "/v1/match", body))
    check_bounded(srv, pid, name, answer)
    check_problem(answer.status, answer.headers["content-type"], answer.body, status, field)


def test_surrogates_and_nul_in_urls(srv, pid):
    for target, status in [("/v1/terms?q=%ED%A0%80", 200), ("/v1/terms/%ED%A0%80", 404),
                           ("/v1/terms?q=%00", 200), ("/v1/terms/%00", 404),
                           ("/v1/terms?q=LL%00M", 200), ("/v1/terms?glossary=%00", 422)]:
        answer = measure(srv, pid, http_call(srv, "GET", target))
        check_bounded(srv, pid, f"GET {target}", answer)
        assert answer.status == status, (target, answer.body)


def test_nul_bytes(srv, pid, bundled):
    text = "\x00LLM\x00 and RAG\x00\x00 with\x00LoRA \x00"
    answer = measure(srv, pid, post_json(srv, {"text": text}))
    check_bounded(srv, pid, "NUL characters around terms", answer)
    check_matches(text, answer, bundled)
    assert [m["text"] for m in answer.body["matches"]] == ["LLM", "RAG", "LoRA"]
    # A raw NUL byte inside a JSON string is not JSON (control characters must be escaped).
    answer = measure(srv, pid, http_call(srv, "POST", "/v1/match", b'{"text": "LLM\x00"}'))
    check_bounded(srv, pid, "raw NUL byte in a JSON string", answer)
    check_problem(answer.status, answer.headers["content-type"], answer.body, 400)


def test_rtl_overrides(srv, pid, bundled):
    text = "\u202eLLM\u202c \u2067RAG\u2069 \u200fLoRA\u200f \u202bשלום LLM עולם\u202c \u061cRAG"
    for unit in ("utf16", "codepoint", "utf8"):
        answer = measure(srv, pid, post_json(srv, {"text": text, "offsets": unit}))
        check_bounded(srv, pid, f"RTL overrides and marks ({unit})", answer)
        check_matches(text, answer, bundled, unit)
        assert [m["text"] for m in answer.body["matches"]] == ["LLM", "RAG", "LoRA", "LLM", "RAG"]


ONE_WORD = {
    "a × 1,000,000": "a" * 1_000_000,
    "LLM × 333,334 (no word boundary)": ("LLM" * 333_334)[:1_000_000],
    "ß × 1,000,000 (folds to ss)": "ß" * 1_000_000,
    "ﬁ × 1,000,000 (NFKC to fi)": "ﬁ" * 1_000_000,
    "İ × 1,000,000 (folds to i + dot)": "İ" * 1_000_000,
    "a + 999,999 acute accents": "a" + "\u0301" * 999_999,
    "a + 999,999 marks out of canonical order": "a" + "\u0301\u0316" * 499_999 + "\u0301",
}


@pytest.mark.parametrize("name", list(ONE_WORD))
def test_one_million_character_word(srv, pid, name):
    word = ONE_WORD[name]
    assert len(word) == 1_000_000
    text = f"LLM {word} RAG"
    answer = measure(srv, pid, post_json(srv, {"text": text}, timeout=TIME_LIMIT + 60))
    check_bounded(srv, pid, f"one word: {name}", answer)
    assert answer.status == 200
    assert [m["term_id"] for m in answer.body["matches"]] == [
        "large-language-model", "retrieval-augmented-generation"]
    assert answer.body["matches"][1]["start"] == len(text.encode("utf-16-le")) // 2 - 3


def test_memory_for_five_mib_of_characters_that_change_length(srv, pid, bundled):
    """Case folding and NFKC make these characters longer (İ -> i̇, ß -> ss, ﬁ -> fi), which
    takes the normalizer's slow path: every character becomes a segment of the offset map.
    5 MiB of prose peaks near 130 MiB; these peaked at 1009/772/486 MiB before the offset map
    moved to machine-integer arrays and shared cluster strings, and at 640/488/316 MiB after.
    The bound here is that measured worst case with headroom, so a regression still fails."""
    failures = []
    for ch in ("İ", "ß", "ﬁ"):
        text = ch * (5 * MIB // len(ch.encode()) - 20)
        answer = measure(srv, pid, post_json(srv, {"text": text}))
        record(f"5 MiB of {ch}", answer)
        assert answer.status == 200 and answer.body["matches"] == []
        assert answer.seconds < TIME_LIMIT
        if answer.peak_mib >= EXPANDING_PEAK_LIMIT_MIB:
            failures.append(f"{ch}: {answer.peak_mib:.0f} MiB")
    assert not failures, f"peak worker memory over {EXPANDING_PEAK_LIMIT_MIB} MiB for a 5 MiB body: {failures}"
