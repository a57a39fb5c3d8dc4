"""Issue 6, item 2: the matcher's invariants over random Unicode, in-process and over HTTP.

The invariants and the test glossary are those of tests/core/test_properties.py (imported,
not copied): in all three offset units, spans are sorted, disjoint and in bounds, the units
point at the same substring, and the original text under each span normalizes to a form of
its term or to that form's plural. Here the text is wider (astral characters, combining marks
in and out of canonical order, RTL scripts and bidi controls, NUL, ß, İ, ﬁ and other
characters whose case folding or NFKC changes their length), and the same texts also travel
through a real gunicorn as JSON, where the offsets a browser uses (utf16) must still cut out
exactly the `text` the server names, and the server must answer what the core answers.

`make test`: a few hundred texts each way. `make soak`: over 10,000 each way.
"""

from __future__ import annotations

import json

import pytest
import requests
from hypothesis import HealthCheck, given, settings, strategies as st

from core.test_properties import GLOSSARY, PIECES, TERMS, allowed_forms, check_invariants
from support.server import NO_RATE_LIMIT, run_server
from termlight.engine.normalize import normalize_form
from termlight.engine.offsets import UNITS

from .conftest import SOAK, scaled

HOSTILE_PIECES = [
    "😀", "𝔘𝔫𝔦", "𠀀", "🤖", "\U0010fffd",                         # astral
    "e\u0301", "a\u0301\u0316\u0301", "\u0316\u0301", "\u0345", "\u20dd",  # combining marks
    "שלום", "مرحبا", "\u202e", "\u202b", "\u200f", "\u2067", "\u061c",   # RTL text, bidi controls
    "\x00", "\x00AI\x00",                                              # NUL
    "ß", "ẞ", "İ", "ı", "ﬁ", "ﬃ", "ŉ", "ǰ", "ΐ", "ς", "Σ", "ﬀ",         # case folding / NFKC grow
    "\ufeff", "\u200d", "\u2028", "\u3000", "\r\n",
]
pieces = st.sampled_from(PIECES + HOSTILE_PIECES)
astral = st.text(st.characters(min_codepoint=0x10000, exclude_categories=["Cs"]), max_size=3)
any_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=8)
texts = st.lists(st.one_of(pieces, pieces, astral, any_text), max_size=30).map("".join)

QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large]
SETTINGS = settings(max_examples=scaled(300, 10_000), deadline=None, database=None,
                    suppress_health_check=QUIET)
# Each HTTP example is a batch of 1 to 8 texts, sent in all three units and once alone.
HTTP_SETTINGS = settings(max_examples=scaled(100, 3_000), deadline=None, database=None,
                         suppress_health_check=QUIET)


def unit_length(text: str, unit: str) -> int:
    if unit == "utf16":
        return len(text.encode("utf-16-le")) // 2
    if unit == "utf8":
        return len(text.encode("utf-8"))
    return len(text)


def cut(text: str, start: int, end: int, unit: str) -> str:
    """What a client in that unit cuts out: JavaScript's slice for utf16, bytes for utf8."""
    if unit == "utf16":
        # A span that splits a surrogate pair comes out as a lone surrogate and fails below.
        return text.encode("utf-16-le")[2 * start:2 * end].decode("utf-16-le", "surrogatepass")
    if unit == "utf8":
        return text.encode("utf-8")[start:end].decode("utf-8", "replace")
    return text[start:end]


def check_answer(text: str, matches: list[dict], unit: str, terms: dict) -> None:
    last = 0
    for m in matches:
        assert last <= m["start"] < m["end"] <= unit_length(text, unit), (unit, m, text)
        last = m["end"]
        assert cut(text, m["start"], m["end"], unit) == m["text"], (unit, m, text)
        assert m["term_id"] in terms
        assert normalize_form(m["text"]) in allowed_forms(m["term_id"]), (m, text)


@SETTINGS
@given(texts)
def test_invariants_in_process(text):
    check_invariants(GLOSSARY, text, allowed_forms)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    # The same terms as the core property tests, as a file named like their glossary id.
    folder = tmp_path_factory.mktemp("glossary")
    (folder / "default.json").write_text(json.dumps(
        {"name": "properties", "terms": [dict(t, definition="d") for t in TERMS]},
        ensure_ascii=False), encoding="utf-8")
    with run_server(folder, env=NO_RATE_LIMIT, workers=2) as srv:
        yield srv


@pytest.mark.server
def test_invariants_over_http(server):
    session = requests.Session()
    sent = {"texts": 0, "requests": 0, "matches": 0}

    def post(body: dict, raw_utf8: bool) -> dict:
        # Half the bodies escape everything to ASCII (astral characters as surrogate pairs),
        # half are raw UTF-8: the server must read both the same way.
        data = json.dumps(body, ensure_ascii=not raw_utf8).encode("utf-8")
        resp = session.post(server.url + "/v1/match", data=data, timeout=30,
                            headers={"Content-Type": "application/json"})
        sent["requests"] += 1
        assert resp.status_code == 200, (resp.status_code, resp.text[:500], body)
        return resp.json()

    @HTTP_SETTINGS
    @given(st.lists(texts, min_size=1, max_size=8), st.booleans())
    def check(batch, raw_utf8):
        sent["texts"] += len(batch)
        by_unit = {}
        for unit in UNITS:
            # The context rule off: each text's matches then depend on that text alone.
            answer = post({"texts": batch, "offsets": unit, "context_rule": False}, raw_utf8)
            assert answer["offsets"] == unit and len(answer["results"]) == len(batch)
            by_unit[unit] = answer
            for text, result in zip(batch, answer["results"], strict=True):
                check_answer(text, result["matches"], unit, answer["terms"])
                # The service answers exactly what the core answers.
                expected = [[m.start, m.end, m.term_id, m.text]
                            for m in GLOSSARY.match(text, offsets=unit, context=False)]
                assert [[m["start"], m["end"], m["term_id"], m["text"]]
                        for m in result["matches"]] == expected
                sent["matches"] += len(result["matches"])
        # The three units name the same terms over the same substrings.
        shape = {u: [[(m["term_id"], m["text"]) for m in r["matches"]]
                     for r in a["results"]] for u, a in by_unit.items()}
        assert shape["codepoint"] == shape["utf16"] == shape["utf8"]
        # A single `text` is answered like the first text of a batch.
        single = post({"text": batch[0], "context_rule": False}, raw_utf8)
        assert single["matches"] == by_unit["utf16"]["results"][0]["matches"]
        # With the rule (the default), the batch is answered as the core answers the batch.
        assert post({"texts": batch}, raw_utf8)["results"] == GLOSSARY.match_document(texts=batch)["results"]

    check()
    print(f"over HTTP: {sent['texts']} texts, {sent['requests']} requests, "
          f"{sent['matches']} matches checked")
    assert sent["texts"] >= (10_000 if SOAK else 300)
    assert sent["matches"] > 0
    log = server.log()
    assert '" 500 ' not in log and "Traceback" not in log
