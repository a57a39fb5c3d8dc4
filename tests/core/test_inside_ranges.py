"""Texts with very many expanding characters keep the positions inside them as ranges (to
bound memory); the matches must be the same as with the set used for ordinary text."""

from hypothesis import given, settings, strategies as st

from termlight import Glossary
from termlight.engine import positions

GLOSSARY = Glossary.from_terms([dict(t, definition="d") for t in [
    {"id": "fi", "term": "fi"}, {"id": "ss", "term": "ss"}, {"id": "fine", "term": "fine tuning"},
    {"id": "i", "term": "i"}, {"id": "dots", "term": "..."}, {"id": "strasse", "term": "Straße"}]])
PIECES = ["ﬁ", "ß", "İ", "…", "fi", "ss", " ", "  ", "ne", "tuning", "stra", "e", "\u0301", "x"]


def matches(text):
    return [tuple(m) for m in GLOSSARY.match(text, offsets="utf16")]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_ranges_and_set_agree(text):
    expected = matches(text)
    saved = positions.MAX_INSIDE_SET
    positions.MAX_INSIDE_SET = -1  # always ranges
    try:
        assert matches(text) == expected
    finally:
        positions.MAX_INSIDE_SET = saved


def test_a_long_run_of_expanding_characters_uses_ranges():
    from termlight.engine.normalize import normalize
    norm = normalize("ß" * 60_000 + " fi ss")
    inside = norm.inside_positions()
    assert isinstance(inside, positions.InsideRanges)
    assert 1 in inside and 2 not in inside
    assert [m.text for m in GLOSSARY.match("ß" * 60_000 + " ﬁ ss")] == ["ﬁ", "ss"]
