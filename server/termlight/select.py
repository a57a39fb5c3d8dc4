"""Choosing the matches among the automaton's hits: leftmost first, longest first, no overlaps.

A dense glossary produces tens of thousands of hits per article, and a Python iteration per hit
is what makes matchers slow.  So the selection runs as C-level ``map``/``zip``/``dict`` passes
over all hits, with Python loops only over the hits that overlap and the picks that need a
closer look (a case-sensitive form, punctuation inside a form, a glossary filter, an unanchored
key).  A pick that fails its closer look is dropped from the hits and the passes run again, which
gives exactly what a hit-by-hit walk would: whether a hit is valid never depends on the others.
"""

from __future__ import annotations

from itertools import compress, repeat
from operator import gt, is_, itemgetter, not_

from termlight.normalize import Normalized, normalize_form

_first = itemgetter(0)
_second = itemgetter(1)
_fast_id = itemgetter(3)
FREE = -1  # the "trail" of a free (unanchored) key: its stop is one past the automaton's end

Picks = tuple[list[int], list[int], list[str], list[tuple]]


def select(starts: list[int], stops: list[int], values: list[tuple], norm: Normalized, text: str, glossaries) -> Picks:
    """Pick matches from hits given as parallel lists, ordered by stop (ties in any order)."""
    rejected: set[tuple[int, int]] = set()
    verified: dict[tuple[int, int], tuple[str, tuple]] = {}
    inside = norm.inside_positions()
    checker = _Checker(norm, text, glossaries)
    while True:
        order, pick_stops, picked = _greedy(starts, stops, values)
        if inside and not (inside.isdisjoint(order) and inside.isdisjoint(pick_stops)):
            # A pick that would split a character of the original text (inside the expansion
            # of "…" or "ﬁ") is no match.
            rejected.update((a, b) for a, b in zip(order, pick_stops) if a in inside or b in inside)
            keep = list(map(not_, map(rejected.__contains__, zip(starts, stops))))
            starts, stops, values = (list(compress(xs, keep)) for xs in (starts, stops, values))
            continue
        ids = list(map(_fast_id, picked)) if glossaries is None else [None] * len(order)
        alts: list[tuple] = [()] * len(ids)
        need = list(compress(range(len(ids)), map(is_, ids, repeat(None))))
        failed = False
        if need:
            for k in need:
                span = (order[k], pick_stops[k])
                pick = verified.get(span)
                if pick is None:
                    pick = checker.check(span[0], span[1], picked[k])
                    if pick is None:
                        rejected.add(span)
                        failed = True
                        continue
                    verified[span] = pick
                ids[k], alts[k] = pick
        if not failed:
            return order, pick_stops, ids, alts
        keep = list(map(not_, map(rejected.__contains__, zip(starts, stops))))
        starts, stops, values = (list(compress(xs, keep)) for xs in (starts, stops, values))


class _Checker:
    """The closer look at one hit, with the cheap common cases first."""

    def __init__(self, norm: Normalized, text: str, glossaries):
        self.norm, self.text, self.glossaries = norm, text, glossaries
        self.ntext = norm.text

    def check(self, start: int, stop: int, value) -> tuple[str, tuple] | None:
        single = value.single
        if single is not None and self.glossaries is None and value.trail != FREE:
            # One candidate: the text must read exactly like it, in the original case if need be.
            if self.ntext[start:stop] != single.folded:
                return None
            if single.cased is not None:
                original = self.text[self.norm.back(start) : self.norm.back(stop, end=True)]
                if not _same_case(original, single):
                    return None
            return single.term_id, ()
        return verify(start, stop, value, self.norm, self.text, self.glossaries, ())


def _greedy(starts: list[int], stops: list[int], values: list[tuple]):
    """Leftmost-longest non-overlapping spans, trusting every hit."""
    # Hits are ordered by stop, so of two hits with the same start the later is the longer:
    # a dict keeps the last value written for each key.
    longest = dict(zip(starts, zip(stops, values)))
    order = sorted(longest)
    picked = list(map(longest.__getitem__, order))
    pick_stops = list(map(_first, picked))
    overlapping = list(compress(range(len(order) - 1), map(gt, pick_stops, order[1:])))
    if overlapping:
        keep = [True] * len(order)
        size = len(order)
        for i in overlapping:
            if keep[i]:
                stop, j = pick_stops[i], i + 1
                while j < size and order[j] < stop:
                    keep[j] = False
                    j += 1
        order = list(compress(order, keep))
        picked = list(compress(picked, keep))
        pick_stops = list(map(_first, picked))
    return order, pick_stops, list(map(_second, picked))


def verify(start: int, stop: int, value: tuple, norm: Normalized, text: str, glossaries, inside: set[int]):
    """``(term_id, alternatives)`` if the hit is a real match, else None."""
    if inside and (start in inside or stop in inside):
        return None  # the span would split a character of the original text
    if value[1] == FREE:  # unanchored key: the whole-word rule is checked here
        shape = norm.skeleton
        if stop < len(shape) and shape[stop] != " " and shape[stop - 1] != " ":
            return None
        if start > 0 and shape[start] != " " and shape[start - 1] != " ":
            return None
    if value[3] is not None and glossaries is None:
        return value[3], ()
    return choose(norm.text[start:stop], value[2], text, norm, start, stop, glossaries)


def choose(segment: str, cands: tuple, text: str, norm: Normalized, start: int, stop: int, glossaries):
    """The winning term for a hit, and the terms of other glossaries that share the form."""
    primary = None
    others: list[str] = []
    original: str | None = None
    for cand in cands:
        if cand.folded != segment or (glossaries is not None and cand.glossary not in glossaries):
            continue
        if cand.cased is not None:
            if original is None:
                original = text[norm.back(start) : norm.back(stop, end=True)]
            if not _same_case(original, cand):
                continue
        if primary is None:
            primary = cand
        elif cand.plural != primary.plural:
            break  # an explicit form outranks every generated plural
        elif cand.term_id != primary.term_id and cand.term_id not in others:
            others.append(cand.term_id)
    if primary is None:
        return None
    return primary.term_id, tuple(others)


def _same_case(original: str, cand) -> bool:
    if original == cand.cased:
        return True  # the usual case: written exactly like the form
    if original.isalnum() and original.isascii():
        return False  # a plain ASCII word normalizes to itself: it just differs
    return normalize_form(original, fold=False) == cand.cased
