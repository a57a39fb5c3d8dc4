"""Issue 10, item 3: every failure mode of the JSON parser is a 400 problem, never a 500.

Python's json module fails in more ways than JSONDecodeError (an integer past the
integer-digits limit raises ValueError, deep nesting RecursionError) and accepts what is not
JSON (NaN, Infinity, numbers that overflow to inf). Each is sent to a real gunicorn, in the
places a value can sit: the top level, a field, a batch item, an object key's value.
"""

from __future__ import annotations

import pytest

from support.problems import check_problem

from .hostile import check_bounded, http_call, measure

pytestmark = pytest.mark.server

BIG = "1" * 100_000
MALFORMED = {
    "100,000-digit integer": '{"text": "LLM", "offsets": %s}' % BIG,
    "100,000-digit negative integer in a batch": '{"texts": ["LLM", -%s]}' % BIG,
    "100,000-digit integer at the top level": BIG,
    "4,301-digit integer (just past the limit)": '{"text": %s}' % ("9" * 4301),
    "integer with a huge exponent form": '{"text": "x", "offsets": 1%s}' % ("0" * 5000),
    "NaN": '{"text": NaN}',
    "Infinity": '{"text": "x", "offsets": Infinity}',
    "-Infinity in a batch": '{"texts": [-Infinity]}',
    "1e400 (past float range)": '{"text": "x", "offsets": 1e400}',
    "-1e400 inside an unknown field": '{"text": "x", "zzz": {"a": -1e400}}',
    "1.8e308": '{"texts": [1.8e308]}',
    "20,000 nested arrays": "[" * 20_000 + "]" * 20_000,
    "20,000 nested objects in a field": '{"text": "x", "glossaries": ' + '{"a":' * 20_000 + "1"
                                        + "}" * 20_000 + "}",
    "trailing comma": '{"text": "x",}',
    "single quotes": "{'text': 'x'}",
    "control character in a string": '{"text": "a\x01b"}',
    "two documents": '{"text": "x"} {"text": "y"}',
    "empty body": "",
    "truncated escape": '{"text": "\\u12"}',
}


@pytest.mark.parametrize("name", list(MALFORMED))
def test_malformed_json_is_a_400_problem(srv, pid, name):
    body = MALFORMED[name].encode()
    answer = measure(srv, pid, http_call(srv, "POST", "/v1/match", body))
    check_bounded(srv, pid, name, answer)
    check_problem(answer.status, answer.headers["content-type"], answer.body, 400)
    assert answer.body["title"] == "Malformed JSON", answer.body
    assert len(answer.body["detail"]) < 300  # a 100,000-digit number is not echoed back


@pytest.mark.parametrize("value", ["4300 nines", "1.7976931348623157e308", "1e-400", "-0"])
def test_numbers_within_range_are_json_and_get_the_shape_error(srv, pid, value):
    """Positive control: valid numbers parse, and the answer is the 422 of a wrong type."""
    number = "9" * 4300 if value == "4300 nines" else value
    answer = measure(srv, pid, http_call(srv, "POST", "/v1/match",
                                         ('{"text": %s}' % number).encode()))
    check_bounded(srv, pid, f"number {value}", answer)
    check_problem(answer.status, answer.headers["content-type"], answer.body, 422, "text")
