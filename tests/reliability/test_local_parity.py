"""Issue 15, item 4: the extension's local matcher answers exactly what the server answers.

Texts from the reliability suite's hypothesis strategies (astral characters, combining marks in
and out of order, ß/İ/ﬁ, CJK, RTL and bidi controls, NUL, arbitrary Unicode) go through the
server's matcher in-process and through extension/matcher under Node, with the same glossary
compiled as GET /v1/compiled serves it; the spans, term ids, texts and alternatives must be
identical.  Three glossaries: the property tests' (every normalization rule), random forms of
random Unicode, and the bundled one.  `make test`: a few thousand texts; `make soak`: far more.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, reject, settings, strategies as st

from core.test_properties import GLOSSARY, PIECES, words
from support.node_matcher import NodeMatcher, server_batch
from termlight import Glossary, GlossaryError
from termlight.paths import bundled_glossary

from .conftest import scaled
from .test_match_invariants import HOSTILE_PIECES, texts

# A long-running node process matches beside the Python matcher: not for the fast tier.
pytestmark = pytest.mark.external

QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large]
BATCHES = settings(max_examples=scaled(100, 2000), deadline=None, database=None, suppress_health_check=QUIET,
                   print_blob=True)
# Characters that Python's Unicode database (14.0) does not assign but newer ones do (Node and
# Chromium ship 15-17): Cyrillic modifier letters with compatibility decompositions, a Kawi
# mark, CJK extension H, Kaktovik numerals, an Arabic mark with a combining class.
NEWER_UNICODE = ["\U0001e030", "\U0001e031\u0301", "a\U00011f00", "\U00031350", "\U0001d2c0", "\U00010efd", "e\U00010efd\u0301"]
batches = st.lists(st.one_of(texts, st.lists(st.sampled_from(NEWER_UNICODE + HOSTILE_PIECES + PIECES), max_size=12)
                             .map("".join)), min_size=10, max_size=40)
compared = {"texts": 0, "matches": 0}


@pytest.fixture(scope="module")
def node():
    matcher = NodeMatcher()
    yield matcher
    matcher.close()
    print(f"\nlocal parity: {compared['texts']} texts compared, {compared['matches']} matches, 0 divergences")


def assert_same(node, glossary, batch, glossaries=None):
    node.load(glossary)
    local = node.match(batch, glossaries)
    # The batch together, as one request: the context rule for ambiguous forms spans its texts.
    for text, got, expected in zip(batch, local, server_batch(glossary, batch, glossaries), strict=True):
        assert got == expected, f"local matcher diverges on {text!r}:\n local  {got}\n server {expected}"
        compared["matches"] += len(got)
    compared["texts"] += len(batch)


def test_hostile_texts(node):
    @BATCHES
    @given(batches)
    def check(batch):
        assert_same(node, GLOSSARY, batch)

    check()


def test_glossary_filter(node):
    two = Glossary.from_terms([{"id": "a", "term": "data", "definition": "d"}], glossary_id="one")

    @settings(BATCHES, max_examples=scaled(20, 300))
    @given(batches)
    def check(batch):
        assert_same(node, GLOSSARY, batch, ["default"])
        assert_same(node, GLOSSARY, batch, [])

    check()
    assert_same(node, two, ["data"], ["one"])
    assert node.match(["data"], []) == [[]] and node.match(["data"], ["one"])[0]


def test_random_glossaries(node):
    @settings(BATCHES, max_examples=scaled(100, 2000))
    @given(st.lists(st.lists(words, min_size=1, max_size=3).map(" ".join), min_size=1, max_size=6, unique=True),
           batches)
    def check(forms, batch):
        terms = [{"id": f"t{i}", "term": f, "definition": "d", "case_sensitive": i % 3 == 0 or None}
                 for i, f in enumerate(forms)]
        terms = [{k: v for k, v in t.items() if v is not None} for t in terms]
        try:
            glossary = Glossary.from_terms(terms)
        except GlossaryError:
            reject()  # counted by hypothesis, not passed silently
        # Plant the forms so that the texts hold matches, not only misses.
        assert_same(node, glossary, [t + " " + " | ".join(forms) for t in batch])

    check()


BUNDLED = Glossary.load(bundled_glossary())
FORMS = sorted({form for t in BUNDLED.terms.values() for form in t.forms})
bundled_texts = st.lists(st.one_of(st.sampled_from(FORMS), st.sampled_from(FORMS).map(str.upper),
                                   st.sampled_from(FORMS).map(lambda f: f + "s"),
                                   st.sampled_from(PIECES + HOSTILE_PIECES + [" ", " ", ", ", "-", "\n"]),
                                   st.text(max_size=4)), max_size=30).map(" ".join)


def test_bundled_glossary(node):
    @settings(BATCHES, max_examples=scaled(100, 2000))
    @given(st.lists(bundled_texts, min_size=10, max_size=40))
    def check(batch):
        assert_same(node, BUNDLED, batch)

    before = compared["matches"]
    check()
    assert compared["matches"] - before > 1000  # the texts really held terms


def test_random_glossaries_with_context_and_exclusions(node):
    """Rules 8-10 on random glossaries: some terms ambiguous, some with excluded longer forms,
    texts holding the forms, the excluded forms and unrelated text, matched as one batch."""
    @settings(BATCHES, max_examples=scaled(80, 1500))
    @given(st.lists(st.lists(words, min_size=1, max_size=2).map(" ".join), min_size=3, max_size=7, unique=True),
           st.lists(st.sampled_from(["ambiguous", "exclude", "both", "plain", "plain"]), min_size=7, max_size=7),
           words, st.data())
    def check(forms, roles, extra, data):
        terms = []
        for i, form in enumerate(forms):
            term = {"id": f"t{i}", "term": form, "definition": "d"}
            if roles[i] in ("ambiguous", "both"):
                term["ambiguous"] = True
            if roles[i] in ("exclude", "both"):
                term["exclude"] = [f"{extra} {form}"]
            terms.append(term)
        try:
            glossary = Glossary.from_terms(terms)
        except GlossaryError:
            return
        pieces = forms + [f"{extra} {f}" for f in forms] + [extra, " ", ", ", "\n"]
        batch = data.draw(st.lists(st.lists(st.one_of(st.sampled_from(pieces), texts), max_size=12).map(" ".join),
                                   min_size=1, max_size=12))
        assert_same(node, glossary, batch)

    before = compared["matches"]
    check()
    assert compared["matches"] - before > 100
