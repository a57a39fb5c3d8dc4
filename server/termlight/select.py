"""Choosing the matches among the automaton's hits: leftmost first, longest first, no overlaps.

A dense glossary produces tens of thousands of hits per article, and a Python iteration per hit
is what makes matchers slow.  So the selection runs as C-level ``map``/``zip``/``dict`` passes
over all hits, and Python loops only over the hits that need a closer look (see
:data:`~termlight.keys.CHECK`) and over the few picks that overlap.

Every hit is judged on its own before any is picked (whether a hit is valid never depends on the
others), so one greedy pass over the valid hits gives exactly what the obvious hit-by-hit walk
gives: a longer candidate that fails its check never hides a shorter valid one.
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import compress, repeat
from operator import eq, gt, itemgetter, not_

from termlight.keys import CANDS, CASE, CASED, CHECK, FAST, FOLDED, FREE, GLOSSARIES, TERM, TEXT, TRAIL
from termlight.normalize import Normalized, normalize_form

_check = itemgetter(CHECK)
_folded = itemgetter(FOLDED)
_term = itemgetter(TERM)
_glossaries = itemgetter(GLOSSARIES)

Picks = tuple[list[int], list[int], list[str], list[tuple]]


def select(starts: list[int], stops: list[int], values: list[tuple], norm: Normalized, text: str,
           glossaries: frozenset[str] | None) -> Picks:
    """Pick matches from hits given as parallel lists ordered by stop (ties in any order), in
    normalized positions.  Returns starts, stops, term ids and alternatives of the picks."""
    if not starts:
        return [], [], [], []
    results = _judge(starts, stops, values, norm, text, glossaries)
    if results:
        # A rejected hit gets a start below every real one, unique, so it never wins a start.
        starts = list(starts)
        for i, result in results.items():
            if result is None:
                starts[i] = -1 - i
    order, picked = _greedy(starts, stops)
    pick_stops = list(map(stops.__getitem__, picked))
    ids = list(map(_term, map(values.__getitem__, picked)))
    alts: list[tuple] = [()] * len(ids)
    if results:
        for k, i in enumerate(picked):
            result = results.get(i)
            if result is not None:
                ids[k], alts[k] = result
    return order, pick_stops, ids, alts


def _greedy(starts: list[int], stops: list[int]) -> tuple[list[int], list[int]]:
    """Leftmost-longest non-overlapping spans: sorted starts and the index of each pick."""
    # Hits are ordered by stop, so of two hits with the same start the later is the longer:
    # a dict keeps the last value written for each key.
    longest = dict(zip(starts, range(len(starts))))
    order = sorted(longest)
    if order[0] < 0:  # rejected hits (see select)
        order = order[bisect_left(order, 0):]
    picked = list(map(longest.__getitem__, order))
    pick_stops = list(map(stops.__getitem__, picked))
    overlapping = list(compress(range(len(order) - 1), map(gt, pick_stops, order[1:])))
    if not overlapping:
        return order, picked
    keep = [True] * len(order)
    size = len(order)
    for i in overlapping:
        if keep[i]:
            stop, j = pick_stops[i], i + 1
            while j < size and order[j] < stop:
                keep[j] = False
                j += 1
    return list(compress(order, keep)), list(compress(picked, keep))


def _judge(starts, stops, values, norm: Normalized, text: str, glossaries) -> dict[int, tuple | None]:
    """``{hit index: (term id, alternatives) or None}`` for every hit that is not plainly valid.

    Hits of a :data:`~termlight.keys.TEXT` key are compared with the normalized text in bulk;
    the rest of the closer looks go through :func:`verify` one by one.
    """
    kinds = list(map(_check, values))
    inside = norm.inside_positions()
    restricted: list[int] = []
    if glossaries is not None:
        # Hits of keys whose terms all belong to allowed glossaries need nothing more.
        restricted = list(compress(range(len(values)), map(not_, map(glossaries.issuperset, map(_glossaries, values)))))
    if not any(kinds) and not inside and not restricted:
        return {}
    results: dict[int, tuple | None] = {}
    need = list(compress(range(len(kinds)), kinds))
    ntext = norm.text
    by_text = list(compress(need, map(eq, map(kinds.__getitem__, need), repeat(TEXT))))
    if by_text:
        hit_values = list(map(values.__getitem__, by_text))
        segments = map(ntext.__getitem__, map(slice, map(starts.__getitem__, by_text), map(stops.__getitem__, by_text)))
        for i, ok, value in zip(by_text, map(eq, segments, map(_folded, hit_values)), hit_values):
            results[i] = (value[TERM], ()) if ok else None
    for i in need:
        if kinds[i] != TEXT:
            results[i] = verify(starts[i], stops[i], values[i], norm, text, None, ())
    for i in restricted:
        if results.get(i, True) is not None:
            results[i] = verify(starts[i], stops[i], values[i], norm, text, glossaries, ())
    if inside:
        for i in compress(range(len(starts)), map(inside.__contains__, starts)):
            results[i] = None
        for i in compress(range(len(stops)), map(inside.__contains__, stops)):
            results[i] = None
    return results


def verify(start: int, stop: int, value: tuple, norm: Normalized, text: str, glossaries, inside: set[int]):
    """``(term_id, alternatives)`` if the hit is a real match, else None: the reference that the
    bulk passes of :func:`select` must agree with."""
    if inside and (start in inside or stop in inside):
        return None  # the span would split a character of the original text
    if value[TRAIL] == FREE:  # unanchored key: the end of the whole-word rule is checked here
        shape = norm.skeleton
        if stop < len(shape) and shape[stop] != " " and shape[stop - 1] != " ":
            return None
        if start > 0 and shape[start] != " " and shape[start - 1] != " ":
            return None
    kind = value[CHECK]
    if glossaries is None or glossaries.issuperset(value[GLOSSARIES]):
        if kind == FAST:
            return value[TERM], ()
        if kind == TEXT:
            return (value[TERM], ()) if norm.text[start:stop] == value[FOLDED] else None
        if kind == CASE:
            if norm.text[start:stop] != value[FOLDED]:
                return None
            original = text[norm.back(start) : norm.back(stop, end=True)]
            return (value[TERM], ()) if same_case(original, value[CASED]) else None
    return choose(norm.text[start:stop], value, text, norm, start, stop, glossaries)


def choose(segment: str, value: tuple, text: str, norm: Normalized, start: int, stop: int, glossaries):
    """The winning term for a hit, and the terms of other glossaries that share the form."""
    primary = None
    others: list[str] = []
    original: str | None = None
    for term_id, glossary, folded, cased, plural in value[CANDS]:
        if folded != segment or (glossaries is not None and glossary not in glossaries):
            continue
        if cased is not None:
            if original is None:
                original = text[norm.back(start) : norm.back(stop, end=True)]
            if not same_case(original, cased):
                continue
        if primary is None:
            primary = (term_id, plural)
        elif plural != primary[1]:
            break  # an explicit form outranks every generated plural
        elif term_id != primary[0] and term_id not in others:
            others.append(term_id)
    if primary is None:
        return None
    return primary[0], tuple(others)


def same_case(original: str, cased: str) -> bool:
    """Whether the original text under a hit reads like a case-sensitive form."""
    if original == cased:
        return True  # the usual case: written exactly like the form
    if original.isalnum() and original.isascii():
        return False  # a plain ASCII word normalizes to itself: it just differs
    return normalize_form(original, fold=False) == cased
