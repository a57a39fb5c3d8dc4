"""The slow, bounded paths kept for hostile input give exactly the fast paths' answers.

Each fallback normally runs only on texts nobody writes (a million distinct characters,
thousands of distinct changing characters...). Here a limit is lowered so that ordinary random
text takes the fallback, and the result (the normalized text, its skeleton, every position
mapped back to the original, and the matches in all three offset units) must equal the
result of the default path. A spy shows that the fallback really ran. (MAX_INSIDE_SET, the
switch to position ranges, has its own test in test_inside_ranges.py.)
"""

from __future__ import annotations

from contextlib import ExitStack, contextmanager
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from termlight import Glossary
from termlight.engine import normalize as norm_mod
from termlight.engine import wordchars
from termlight.engine.normalize import normalize
from termlight.engine.offsets import UNITS

GLOSSARY = Glossary.from_terms([dict(t, definition="d") for t in [
    {"id": "strasse", "term": "Straße"}, {"id": "fine", "term": "fine tuning"},
    {"id": "cafe", "term": "Café"}, {"id": "quote", "term": "“quoted” words"},
    {"id": "greek", "term": "λόγος"}, {"id": "cyr", "term": "Модель"},
    {"id": "ja", "term": "基盤モデル"}, {"id": "bot", "term": "🤖 bot"},
    {"id": "dash", "term": "pre–training"}, {"id": "full", "term": "ＡＩ ＯＫ"},
    {"id": "ai", "term": "AI"}, {"id": "dots", "term": "wait…"},
]])

# Changing characters (quotes, dashes, full-width letters), irregular ones (ß, ﬁ, …, marks,
# zero-width), wide word characters (Greek, Cyrillic), a no-space script, emoji, plus any
# character: enough to take every branch of the default path too.
PIECES = ["Straße", "STRASSE", "ﬁne tuning", "pre–training", "fine-tuning", "“quoted” words", "λόγος", "ΛΌΓΟΣ",
          "Модель", "基盤モデル", "🤖 bot", "ＡＩ ＯＫ", "AI", "wait…", "Cafe\u0301", "Café", "e\u0301\u0302",
          "\u200b", "\u00ad", "  ", " ", "\n", "x", "’", "—", "ı", "İ", "ﬃ", "Ⅻ", "①"]
texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=25).map("".join)
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def observe(text: str):
    """Everything the engine derives from ``text``, for comparison."""
    n = normalize(text, with_skeleton=True)
    positions = range(len(n.text) + 1)
    back = [(n.back(p), n.back(p, end=True)) for p in positions]
    matches = {unit: [tuple(m) for m in GLOSSARY.match(text, offsets=unit)] for unit in UNITS}
    return n.text, n.skeleton, back, matches


@contextmanager
def fresh_tables():
    """New, empty learning tables (the module's own are full of characters seen before)."""
    with ExitStack() as stack:
        tables = {True: norm_mod._CharTable(True), False: norm_mod._CharTable(False)}
        stack.enter_context(mock.patch.dict(norm_mod._TABLES, tables))
        stack.enter_context(mock.patch.object(wordchars, "_wide_known", set()))
        stack.enter_context(mock.patch.object(wordchars, "_wide_words", set()))
        yield


def forced(name: str, spy_calls: list):
    """A context that forces one fallback; ``spy_calls`` collects evidence that it ran."""
    stack = ExitStack()

    def spy(module, attr):
        real = getattr(module, attr)

        def wrapper(*args, **kwargs):
            spy_calls.append(attr)
            return real(*args, **kwargs)
        stack.enter_context(mock.patch.object(module, attr, wrapper))

    if name == "REPLACE_LIMIT":  # the per-character table instead of str.replace per character
        stack.enter_context(mock.patch.object(norm_mod, "REPLACE_LIMIT", -1))
        spy(norm_mod, "_translated_parts")
    elif name == "FIND_LOOP_LIMIT":  # one Python pass instead of a str.find scan per character
        stack.enter_context(mock.patch.object(wordchars, "FIND_LOOP_LIMIT", -1))
        spy(wordchars, "skeleton_by_table")
    elif name == "LEARN_LIMIT":  # tables that remember nothing: every character classified anew
        stack.enter_context(mock.patch.object(norm_mod, "LEARN_LIMIT", 0))
        stack.enter_context(mock.patch.object(wordchars, "LEARN_LIMIT", 0))
        stack.enter_context(fresh_tables())
        spy(norm_mod, "_fold_cluster")
    elif name == "cluster_by_cluster":  # more new characters than the tables may learn
        stack.enter_context(mock.patch.object(norm_mod, "LEARN_LIMIT", 0))
        stack.enter_context(mock.patch.object(norm_mod, "UNLEARNED_LIMIT", -1))
        stack.enter_context(fresh_tables())
        spy(norm_mod, "_cluster_by_cluster")
    else:
        raise ValueError(name)
    return stack


FALLBACKS = ["REPLACE_LIMIT", "FIND_LOOP_LIMIT", "LEARN_LIMIT", "cluster_by_cluster"]


@pytest.mark.parametrize("name", FALLBACKS)
def test_each_fallback_agrees_with_the_fast_path(name):
    ran: list[str] = []

    @SETTINGS
    @given(texts)
    def agree(text):
        expected = observe(text)
        with forced(name, ran):
            got = observe(text)
        assert got == expected

    agree()
    assert ran, f"{name}: the fallback never ran, so this test compared nothing"


@pytest.mark.parametrize("name", FALLBACKS)
def test_the_comparison_can_fail(name):
    """Positive control: a fallback that gets one character wrong is caught."""
    text = "Straße ﬁne tuning “quoted” words λόγος Модель 基盤モデル Cafe\u0301 ＡＩ"
    expected = observe(text)
    real = norm_mod._fold_cluster.__wrapped__

    def wrong(cluster, fold):
        out = real(cluster, fold)
        return out.replace("ß", "s").replace("ss", "s").replace("l", "L")

    with forced(name, []), mock.patch.object(norm_mod, "_fold_cluster", wrong), \
            mock.patch.object(norm_mod, "_bulk", lambda t, plan, table: [t.translate(table).replace("l", "L")]):
        got = observe(text)
    assert got != expected
