"""The POST /v1/match body's model (service/match_request.py) and the body parser (validation.py).

Properties, each over generated bodies: every kind of bad field is a 422 naming exactly that
field; every good body is accepted with its own values and the documented defaults; msgspec's
fast parser never reads a body that strict_json would refuse, nor reads one differently.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from termlight.engine.offsets import UNITS
from termlight.service.match_request import FIELDS, MatchRequest, parse_match_request
from termlight.service.problems import ApiError, safe_text
from termlight.service.validation import parse_json_body, parse_json_strictly

IDS = frozenset({"ai", "crypto"})
MAX_TEXTS = 5
PROPERTY = settings(max_examples=300, deadline=None, print_blob=True)

scalars = (st.none() | st.booleans() | st.integers() | st.text(max_size=6)
           | st.floats(allow_nan=False, allow_infinity=False))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(max_size=4), inner, max_size=3), max_leaves=6)
words = st.text(max_size=12)  # no surrogates: Hypothesis leaves them out unless asked
lone = st.sampled_from(["\ud800", "\udbff", "\udc00", "\udfff"])


def checked(body: object) -> MatchRequest:
    """The whole path after the body is read: JSON text (\\ud800 escapes for surrogates),
    the parser, the model."""
    return parse_match_request(parse_json_body(json.dumps(body).encode()), MAX_TEXTS, IDS)


def with_lone_surrogate(draw) -> str:
    text = draw(words)
    at = draw(st.integers(0, len(text)))
    return text[:at] + draw(lone) + text[at:]


@st.composite
def bad_bodies(draw) -> tuple[dict, str]:
    """A body with exactly one bad field, and the field a client must be told about."""
    kind = draw(st.sampled_from([
        "text", "texts", "texts item", "too many texts", "offsets", "glossaries", "glossary id",
        "flag", "unknown field", "surrogate in text", "surrogate in texts", "surrogate in offsets",
        "neither", "both"]))
    base = draw(st.sampled_from([{"text": "LLM"}, {"texts": ["LLM", "RAG"]}]))
    if kind == "text":
        return {"text": draw(values.filter(lambda v: not isinstance(v, str)))}, "text"
    if kind == "texts":
        return {"texts": draw(values.filter(lambda v: not isinstance(v, list)))}, "texts"
    if kind in ("texts item", "surrogate in texts"):
        before = draw(st.lists(words, max_size=2))
        bad = (with_lone_surrogate(draw) if kind == "surrogate in texts"
               else draw(values.filter(lambda v: not isinstance(v, str))))
        return {"texts": [*before, bad, *draw(st.lists(words, max_size=2))]}, f"texts[{len(before)}]"
    if kind == "too many texts":
        return {"texts": draw(st.lists(words, min_size=MAX_TEXTS + 1, max_size=MAX_TEXTS + 3))}, "texts"
    if kind in ("offsets", "surrogate in offsets"):
        bad = (with_lone_surrogate(draw) if kind == "surrogate in offsets"
               else draw(values.filter(lambda v: not (isinstance(v, str) and v in UNITS))))
        return {**base, "offsets": bad}, "offsets"
    if kind == "glossaries":
        return {**base, "glossaries": draw(values.filter(lambda v: not isinstance(v, list)) | st.just([]))}, \
            "glossaries"
    if kind == "glossary id":
        before = draw(st.lists(st.sampled_from(sorted(IDS)), max_size=2))
        bad = (with_lone_surrogate(draw) if draw(st.booleans())
               else draw(values.filter(lambda v: not (isinstance(v, str) and v in IDS))))
        return {**base, "glossaries": [*before, bad]}, f"glossaries[{len(before)}]"
    if kind == "flag":  # strict: 0 and 1 are not booleans, and "true" is not either
        name = draw(st.sampled_from(["context_rule", "explain"]))
        return {**base, name: draw(values.filter(lambda v: type(v) is not bool))}, name
    if kind == "unknown field":
        key = (with_lone_surrogate(draw) if draw(st.booleans())
               else draw(st.text(max_size=8).filter(lambda k: k not in FIELDS)))
        return {**base, key: draw(values)}, safe_text(key, 100)
    if kind == "surrogate in text":
        return {"text": with_lone_surrogate(draw)}, "text"
    if kind == "neither":
        return {k: v for k, v in {**base, "offsets": "utf8"}.items() if k not in ("text", "texts")}, "text"
    return {"text": "LLM", "texts": ["RAG"]}, "texts"


@PROPERTY
@given(bad_bodies())
def test_every_kind_of_bad_field_is_a_422_naming_that_field(case):
    body, field = case
    with pytest.raises(ApiError) as refused:
        checked(body)
    assert (refused.value.status, refused.value.field) == (422, field), refused.value.detail
    assert refused.value.detail and len(refused.value.detail) < 400


@st.composite
def good_bodies(draw) -> dict:
    body = draw(st.sampled_from([{"text": draw(words)},
                                 {"texts": draw(st.lists(words, max_size=MAX_TEXTS))}]))
    optional = st.fixed_dictionaries({}, optional={
        "offsets": st.sampled_from(UNITS), "context_rule": st.booleans(), "explain": st.booleans(),
        "glossaries": st.lists(st.sampled_from(sorted(IDS)), min_size=1, max_size=3)})
    return {**body, **draw(optional)}


@PROPERTY
@given(good_bodies())
def test_every_good_body_is_accepted_with_its_values_and_the_defaults(body):
    req = checked(body)
    assert (req.text, req.texts, req.offsets, req.glossaries, req.context_rule, req.explain) == (
        body.get("text"), body.get("texts"), body.get("offsets", "utf16"), body.get("glossaries"),
        body.get("context_rule", True), body.get("explain", False))


def test_bodies_accepted_before_the_model_are_still_accepted():
    # Bodies from the README and the extension, accepted by the hand-written checks it replaced.
    for body in ({"text": "LLM"}, {"texts": []}, {"texts": ["LoRA", ""]}, {"text": "", "offsets": "codepoint"},
                 {"text": "a", "glossaries": ["ai", "crypto", "ai"]},
                 {"texts": ["x"], "offsets": "utf16", "context_rule": False, "explain": True}):
        assert checked(body).offsets in UNITS


# --- the parser: msgspec where it can, strict_json for the rest ----------------------------

def reading(parse, raw: bytes):
    try:
        return "read", typed(parse(raw))
    except ApiError as err:
        return "refused", err.status, err.detail


def typed(value):
    """The value with its types spelled out (1 and 1.0 and True differ; so do 0.0 and -0.0)."""
    if isinstance(value, dict):
        return "dict", tuple((key, typed(item)) for key, item in value.items())
    if isinstance(value, list):
        return "list", tuple(map(typed, value))
    return type(value).__name__, repr(value)


edge_values = st.recursive(
    scalars | st.floats() | st.integers(-10**30, 10**30) | st.text(st.characters(codec=None), max_size=4),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=6)
numbers = (st.from_regex(r"-?(0|[1-9][0-9]{0,30})(\.[0-9]{1,20})?([eE][+-]?[0-9]{1,4})?", fullmatch=True)
           | st.integers(4290, 4310).map(lambda digits: "9" * digits))  # Python's int limit: 4300
JSONISH = b'{}[]",:\\ 019eE.+-ntruefalsNaIfiy\x00\x1f\x7f\x80\xc3\xa9\xed\xa0\xef\xbb\xbf'


@st.composite
def bodies(draw) -> bytes:
    """JSON texts of every kind of value, in ASCII or raw UTF-8 (lone surrogates as CESU bytes),
    numbers near every limit, some nesting, and then maybe one byte changed."""
    kind = draw(st.sampled_from(["value", "number", "nested", "bytes"]))
    if kind == "value":
        raw = json.dumps(draw(edge_values), ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")
    elif kind == "number":
        raw = f'{{"text": {draw(numbers)}}}'.encode()
    elif kind == "nested":
        depth = draw(st.integers(1, 500))  # see the test below for the recursion limit itself
        raw = b"[" * depth + b"]" * depth
    else:
        raw = draw(st.binary(max_size=16))
    if draw(st.booleans()) and raw:
        at = draw(st.integers(0, len(raw) - 1))
        change = draw(st.sampled_from(["replace", "insert", "delete"]))
        byte = bytes([draw(st.sampled_from(JSONISH))])
        raw = raw[:at] + (b"" if change == "delete" else byte) + raw[at + (change != "insert"):]
    return draw(st.sampled_from([b"", b"\xef\xbb\xbf", b" \n"])) + raw


@PROPERTY
@given(bodies())
def test_the_fast_parser_reads_and_refuses_exactly_what_strict_json_does(raw):
    assert reading(parse_json_body, raw) == reading(parse_json_strictly, raw)


def test_the_differential_check_can_fail():
    """Positive control: a parser that reads NaN (as Python's json does by default) is caught."""
    assert reading(json.loads, b"[NaN]") != reading(parse_json_strictly, b"[NaN]")


def test_nesting_at_the_recursion_limit():
    # Both parsers stop at Python's recursion limit; msgspec's frames are a little smaller, so a
    # body nested a few levels short of the limit (~990-997 here) is read by msgspec and then
    # refused by its shape (422) where strict_json said 400. Far from it they agree.
    for depth, kind in ((500, "read"), (20_000, "refused")):
        raw = b"[" * depth + b"]" * depth
        assert reading(parse_json_body, raw)[0] == reading(parse_json_strictly, raw)[0] == kind
