"""The compiled matcher: surface forms in, non-overlapping whole-word matches out.

Two Aho-Corasick automata do the scanning (their keys are described in :mod:`termlight.engine.keytable`):

* the *anchored* one is scanned over the text's skeleton and only ever reports hits that begin
  at a word start, so the hits that begin in the middle of a word ("ai" in "said") are never
  produced and never cost a Python iteration;
* the *free* one holds the forms that start with a character of a no-space script (基盤モデル).

pyahocorasick finds a node's child by a linear search, so a node with hundreds of children is
slow, and the free automaton's root would have one child per distinct first character (hundreds
of kanji, kana and hangul).  So the free keys and the text are both written as UTF-16 code units
spelled as two Latin-1 characters each (high byte, low byte): the root then has one child per
256-character block, every node at most 256, and the ASCII that fills most pages meets a root
child first in line.  Hits that straddle two code units are dropped, and on texts with only a few
no-space characters just the windows around them are scanned.

Both automata store row numbers of a :class:`~termlight.engine.keytable.KeyStore`; every hit is then judged
and the matches selected by :mod:`termlight.engine.selection`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import compress
from operator import itemgetter, sub
from typing import Iterable

import ahocorasick

from termlight.engine.collector import paused_collector
from termlight.engine.keytable import FormEntry, KeyStore, KeyTable, candidates_for
from termlight.engine.normalize import normalize
from termlight.engine.positions import Normalized
from termlight.engine.selection import select
from termlight.engine.wordchars import find_all

__all__ = ["Matcher", "FormEntry", "candidates_for"]

_first = itemgetter(0)
_second = itemgetter(1)

# The low byte of ASCII in rough order of frequency in web text, so that the dummy child that
# catches it (see _build_free) is found after a few comparisons.
_ASCII_ORDER = " etaoinsrhldcumfpgwybvkxjqz,.-\n0123456789()/:\"'_=#*[]|>`<;!?&%+@$\\{}~^\t" + "".join(
    map(chr, range(128)))
_NEVER = "\u0100"  # not a Latin-1 character, so never in a scanned string: ends dummy keys


def utf16_latin1(text: str) -> str:
    """``text`` as big-endian UTF-16 code units, each written as two Latin-1 characters."""
    return text.encode("utf-16-be", "surrogatepass").decode("latin-1")


class Matcher:
    """Both automata and the selection of matches; picklable, so workers can load it cached."""

    def __init__(self, entries: Iterable[FormEntry]):
        with paused_collector():
            table = KeyTable(entries)
            self._store = store = KeyStore()
            self._anchored = _build(table.anchored_rows(store))
            free = sorted(table.free_rows(store))
            self._free = _build_free(free)
        self._free_firsts = frozenset(key[0] for key, _ in free)
        # Forms without any word character ("::", "+") are free keys that start with ASCII.
        self._free_ascii = "".join(sorted(ch for ch in self._free_firsts if ch.isascii()))
        self._free_span = max((len(key) for key, _ in free), default=0)

    def candidate_groups(self) -> dict[str, list[tuple]]:
        """Every candidate by its normalized form, in the order :func:`select.choose` tries
        them (written forms, then generated plurals, then excluded forms): what a client needs
        to match alike."""
        store = self._store
        groups: dict[str, list[tuple]] = {}
        for row in range(len(store.term)):
            for cand in store.row_cands(row):
                groups.setdefault(cand[2], []).append(cand)
        return groups

    def find(self, text: str, glossaries: frozenset[str] | None = None):
        """Parallel lists ``(starts, ends, term_ids, alternatives, hows)``, in code points of
        ``text``; ``hows`` are HOW bits (see :mod:`~termlight.engine.keytable`).  Occurrences of
        excluded forms are among them, flagged EXCLUDED, for the caller to drop or explain."""
        norm = normalize(text, with_skeleton=True)
        starts, stops, ids, alts, hows = select(*self._scan(norm), self._store, norm, text, glossaries)
        starts, stops = norm.back_all(starts, stops)
        return starts, stops, ids, alts, hows

    def _scan(self, norm: Normalized) -> tuple[list[int], list[int], list[tuple]]:
        if self._anchored is None:
            raw = []
        else:
            # Keys carry a space before and after the form; the scanned string has one at each
            # end, so position i of the string is position i - 1 of the text (see keytable's offset).
            raw = list(self._anchored.iter(" " + norm.skeleton + " "))
        store = self._store
        ends = list(map(_first, raw))
        rows = list(map(_second, raw))
        starts = list(map(sub, ends, map(store.offset.__getitem__, rows)))
        stops = list(map(sub, ends, map(store.trail.__getitem__, rows)))
        more: list[tuple[int, int, int]] = []  # (stop, start, row) of hits not yet in order
        extras = list(map(store.extra.get, rows)) if store.extra else ()
        if any(extras):
            for i in compress(range(len(rows)), extras):
                more += [(ends[i] - store.trail[row], ends[i] - store.offset[row], row) for row in extras[i]]
        if self._free is not None and (
            not self._free_firsts.isdisjoint(norm.chars) or any(map(norm.text.__contains__, self._free_ascii))
        ):
            more += self._free_hits(norm)
        if more:
            starts, stops, rows = _merge_by_stop(starts, stops, rows, more)
        return starts, stops, rows

    def _free_hits(self, norm: Normalized) -> list[tuple[int, int, int]]:
        ntext = norm.text
        present = (self._free_firsts & norm.chars).union(filter(ntext.__contains__, self._free_ascii))
        scan = utf16_latin1(ntext)
        span = self._free_span
        # Characters beyond the BMP take two UTF-16 units: the k-th of them, at code point p,
        # covers units p + k and p + k + 1.
        astral = find_all(ntext, [ch for ch in norm.chars if ch > "\uffff"])
        astral_ends = [at + k + 2 for k, at in enumerate(astral)]
        # UTF-8 spends two or three bytes on each no-space character: an upper bound on how many
        # windows there would be, far cheaper than counting each first character.
        if (len(ntext.encode("utf-8", "surrogatepass")) - len(ntext)) * span * 4 < len(ntext):
            raw = []
            for start, stop in _windows(ntext, present, span):
                start += bisect_left(astral, start)
                stop += bisect_left(astral, stop)
                raw += self._free.iter(scan, 2 * start, 2 * stop)
        else:
            raw = list(self._free.iter(scan))
        out = []
        offset = self._store.offset
        for end, row in raw:
            if end & 1:  # the key ends on the low byte of a code unit
                stop = (end + 1) >> 1
                if astral_ends:
                    stop -= bisect_right(astral_ends, stop)
                out.append((stop, stop - offset[row], row))
        return out


def _merge_by_stop(starts: list[int], stops: list[int], values: list[int], more: list[tuple[int, int, int]]):
    """The hit lists with the (few) hits of ``more`` slotted in, still ordered by stop: a merge
    by slices rather than a sort of everything."""
    more.sort(key=_first)
    new_starts: list[int] = []
    new_stops: list[int] = []
    new_values: list[int] = []
    done = 0
    for stop, start, info in more:
        cut = bisect_right(stops, stop, done)
        new_starts += starts[done:cut]
        new_stops += stops[done:cut]
        new_values += values[done:cut]
        new_starts.append(start)
        new_stops.append(stop)
        new_values.append(info)
        done = cut
    return new_starts + starts[done:], new_stops + stops[done:], new_values + values[done:]


def _windows(text: str, firsts: set[str], span: int) -> list[tuple[int, int]]:
    """Stretches of ``text`` that can hold a free hit: ``span`` characters from each character
    that starts a free key, merged where they overlap."""
    out: list[tuple[int, int]] = []
    for at in find_all(text, firsts):
        stop = min(at + span, len(text))
        if out and at <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], stop))
        else:
            out.append((at, stop))
    return out


def _build(items: Iterable[tuple[str, int]]) -> ahocorasick.Automaton | None:
    # Values are row numbers, stored as C integers: smaller and quicker to unpickle than
    # Python objects, and a hit hands back a small int instead of touching a tuple.
    automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    for key, info in items:
        automaton.add_word(key, info)
    if not len(automaton):
        return None
    automaton.make_automaton()
    return automaton


def _build_free(items: list[tuple[str, int]]) -> ahocorasick.Automaton | None:
    """The free automaton over UTF-16 units (see the module docstring).

    Dummy keys that can never be found (they end with a non-Latin-1 character) put the high
    byte of ASCII first among the root's children, and every ASCII low byte under it in order
    of frequency, so ASCII text walks two short lists instead of the root's whole list.
    """
    if not items:
        return None
    dummies = [("\x00" + _NEVER, 0)] + [("\x00" + ch + _NEVER, 0) for ch in dict.fromkeys(_ASCII_ORDER)]
    return _build(dummies + [(utf16_latin1(key), info) for key, info in items])
