"""Choosing the matches among the automaton's hits: leftmost first, longest first, no overlaps.

A dense glossary produces tens of thousands of hits per article, and a Python iteration per hit
is what makes matchers slow.  So the selection runs as C-level ``map``/``zip``/``dict`` passes
over all hits, and Python loops only over the hits that need a closer look (see
:data:`~termlight.engine.keytable.CHECK`) and over the few picks that overlap.

Every hit is judged on its own before any is picked (whether a hit is valid never depends on the
others), so one greedy pass over the valid hits gives exactly what the obvious hit-by-hit walk
gives: a longer candidate that fails its check never hides a shorter valid one.
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import compress, repeat
from operator import and_, eq, gt, not_

from termlight.engine.keytable import CASE, FAST, FREE, FULL, TEXT, KeyInfo, KeyStore
from termlight.engine.normalize import normalize_form
from termlight.engine.positions import Normalized


Picks = tuple[list[int], list[int], list[str], list[tuple], list[int]]


def select(starts: list[int], stops: list[int], rows: list[int], store: KeyStore, norm: Normalized, text: str,
           glossaries: frozenset[str] | None) -> Picks:
    """Pick matches from hits given as parallel lists ordered by stop (ties in any order), in
    normalized positions, with the ``store`` rows of their keys.  Returns starts, stops, term
    ids, alternatives and HOW bits (see :mod:`~termlight.engine.keytable`) of the picks."""
    if not starts:
        return [], [], [], [], []
    rejected, chosen = _judge(starts, stops, rows, store, norm, text, glossaries)
    if rejected:
        # A rejected hit gets a start below every real one, unique, so it never wins a start.
        starts = list(starts)
        for i in rejected:
            starts[i] = -1 - i
    order, picked = _greedy(starts, stops)
    pick_stops = list(map(stops.__getitem__, picked))
    pick_rows = list(map(rows.__getitem__, picked))
    ids = list(map(store.term.__getitem__, pick_rows))
    alts: list[tuple] = [()] * len(ids)
    hows = list(map(store.how.get, pick_rows, repeat(0))) if store.how else [0] * len(ids)
    if store.alts:
        found = list(map(store.alts.get, map(rows.__getitem__, picked)))
        for k in compress(range(len(found)), found):
            alts[k] = found[k]
    if chosen:
        found = list(map(chosen.get, picked))
        for k in compress(range(len(found)), found):
            ids[k], alts[k], hows[k] = found[k]
    return order, pick_stops, ids, alts, hows


def _greedy(starts: list[int], stops: list[int]) -> tuple[list[int], list[int]]:
    """Leftmost-longest non-overlapping spans: sorted starts and the index of each pick."""
    # Hits are ordered by stop, so of two hits with the same start the later is the longer:
    # a dict keeps the last value written for each key.  (Starts are rarely in order already
    # with a dense glossary, so checking for that first does not pay.)
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


def _judge(starts, stops, rows, store: KeyStore, norm: Normalized, text: str, glossaries) -> tuple[list[int], dict[int, tuple]]:
    """The hits that fail their closer look, and ``{hit index: (term id, alternatives, how)}`` for
    the valid hits whose term is not simply the key's first candidate.

    :data:`~termlight.engine.keytable.TEXT` and :data:`~termlight.engine.keytable.CASE` hits are compared with the
    normalized (and original) text in bulk; the others go through :func:`verify` one by one.
    """
    need = list(compress(range(len(rows)), map(store.check.__getitem__, rows)))  # all but FAST
    inside = norm.inside_positions()
    restricted: list[int] = []
    if glossaries is not None:
        # Hits of keys whose terms all belong to allowed glossaries need nothing more.
        allowed = map(glossaries.issuperset, map(store.glossaries.__getitem__, rows))
        restricted = list(compress(range(len(rows)), map(not_, allowed)))
    rejected: list[int] = []
    chosen: dict[int, tuple] = {}
    if not need and not inside and not restricted:
        return rejected, chosen
    need_kinds = list(map(store.check.__getitem__, map(rows.__getitem__, need)))
    for kind in (TEXT, CASE):
        group = list(compress(need, map(eq, need_kinds, repeat(kind))))
        if group:
            rejected += _bulk_check(group, starts, stops, list(map(rows.__getitem__, group)), store, norm, text)
    for i in compress(need, map(eq, need_kinds, repeat(FULL))):
        result = verify(starts[i], stops[i], store.info(rows[i]), norm, text, None, ())
        if result is None:
            rejected.append(i)
        else:
            chosen[i] = result
    if restricted:
        gone = set(rejected)
        for i in restricted:
            if i not in gone:
                result = verify(starts[i], stops[i], store.info(rows[i]), norm, text, glossaries, ())
                if result is None:
                    rejected.append(i)
                else:
                    chosen[i] = result
    if inside and not (inside.isdisjoint(starts) and inside.isdisjoint(stops)):
        rejected += compress(range(len(starts)), map(inside.__contains__, starts))
        rejected += compress(range(len(stops)), map(inside.__contains__, stops))
    return rejected, chosen


def _bulk_check(group: list[int], starts, stops, group_rows: list[int], store: KeyStore, norm: Normalized,
                text: str) -> list[int]:
    """The hits of ``group`` (one candidate each) whose normalized text is not the form, or
    (for a case-sensitive form) whose original text is not written like it."""
    group_starts = list(map(starts.__getitem__, group))
    group_stops = list(map(stops.__getitem__, group))
    segments = map(norm.text.__getitem__, map(slice, group_starts, group_stops))
    ok = list(map(eq, segments, map(store.folded.__getitem__, group_rows)))
    if store.check[group_rows[0]] == CASE:
        # Positions inside a character of the original map nowhere sensible, but such hits are
        # rejected anyway (see _judge).
        originals = list(map(text.__getitem__, map(slice, norm.back_unsorted(group_starts), norm.back_unsorted(group_stops))))
        forms = list(map(store.cased.__getitem__, group_rows))
        read_ok = ok
        ok = list(map(and_, read_ok, map(eq, originals, forms)))
        for k in compress(range(len(ok)), map(not_, ok)):  # not written exactly like the form
            ok[k] = read_ok[k] and same_case(originals[k], forms[k])
    return list(compress(group, map(not_, ok)))


def verify(start: int, stop: int, value: KeyInfo, norm: Normalized, text: str, glossaries, inside: set[int]):
    """``(term_id, alternatives, how)`` if the hit is a real match, else None: the reference that
    the bulk passes of :func:`select` must agree with."""
    if inside and (start in inside or stop in inside):
        return None  # the span would split a character of the original text
    if value.trail == FREE:  # unanchored key: the end of the whole-word rule is checked here
        shape = norm.skeleton
        if stop < len(shape) and shape[stop] != " " and shape[stop - 1] != " ":
            return None
        if start > 0 and shape[start] != " " and shape[start - 1] != " ":
            return None
    kind = value.check
    if glossaries is None or glossaries.issuperset(value.glossaries):
        if kind == FAST:
            return value.term, value.alts, value.how
        if kind == TEXT:
            return (value.term, value.alts, value.how) if norm.text[start:stop] == value.folded else None
        if kind == CASE:
            if norm.text[start:stop] != value.folded:
                return None
            original = text[norm.back(start) : norm.back(stop, end=True)]
            return (value.term, (), value.how) if same_case(original, value.cased) else None
    return choose(norm.text[start:stop], value, text, norm, start, stop, glossaries)


def choose(segment: str, value: KeyInfo, text: str, norm: Normalized, start: int, stop: int, glossaries):
    """The winning term for a hit, the terms of other glossaries that share the form, and the
    winner's HOW bits.  Candidates come in rank order: a written form outranks every generated
    plural, and both outrank an excluded form."""
    primary = None
    others: list[str] = []
    original: str | None = None
    for term_id, glossary, folded, cased, rank, how in value.cands:
        if folded != segment or (glossaries is not None and glossary not in glossaries):
            continue
        if cased is not None:
            if original is None:
                original = text[norm.back(start) : norm.back(stop, end=True)]
            if not same_case(original, cased):
                continue
        if primary is None:
            primary = (term_id, rank, how)
        elif rank != primary[1]:
            break
        elif term_id != primary[0] and term_id not in others:
            others.append(term_id)
    if primary is None:
        return None
    return primary[0], tuple(others), primary[2]


def same_case(original: str, cased: str) -> bool:
    """Whether the original text under a hit reads like a case-sensitive form."""
    if original == cased:
        return True  # the usual case: written exactly like the form
    if original.isalnum() and original.isascii():
        return False  # a plain ASCII word normalizes to itself: it just differs
    return normalize_form(original, fold=False) == cased
