"""Positions of a derived string (normalized text) mapped back to its source, in bulk.

Normalization changes lengths (``ß`` → ``ss``, a run of blank lines → one space), so every match
found in the normalized text is mapped back through two maps: the per-character steps
(:class:`OffsetMap`, only present when some character did not stay one character) and the
collapsing of space runs.  A long page has tens of thousands of matches, so the mapping of many
positions is a few C-level passes (:func:`shift_sorted`), never a Python call per position.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from array import array
from itertools import chain, compress, repeat
from operator import add, le, not_, sub


def shift_sorted(positions: list[int], bounds: list[int], deltas: list[int], strict: bool) -> list[int]:
    """``positions[j] + deltas[k]``, where k counts the bounds below ``positions[j]`` (``strict``)
    or at or below it, for sorted positions and bounds.

    One bisection per bound instead of one per position: a long text has a few hundred space
    runs but tens of thousands of matches, and the rest is ``repeat``/``map`` in C.
    """
    if not positions:
        return positions
    cuts = list(map(bisect_right if strict else bisect_left, repeat(positions), bounds))
    counts = map(sub, [*cuts, len(positions)], [0, *cuts])
    return list(map(add, positions, chain.from_iterable(map(repeat, deltas, counts))))


class OffsetMap:
    """Maps positions of a derived string back to positions of its source.

    The derived string is cut into segments.  A *linear* segment maps one character to one
    character; an *atomic* one stands for a whole cluster or whitespace run, so only its two
    ends have a position in the source.  A position strictly inside an atomic segment has none:
    a match that would start or end there splits a character and is rejected.
    """

    __slots__ = ("_t", "_s", "_linear")

    def __init__(self) -> None:
        # Machine integers, not lists of int objects: a hostile text of 5 MiB of "İ" has a
        # segment per character, and lists would cost ~80 bytes a segment instead of 17.
        self._t = array("q")
        self._s = array("q")
        self._linear = bytearray()

    def add(self, t: int, s: int, linear: bool) -> None:
        """Start a segment at derived position ``t`` / source position ``s``."""
        if self._t and linear and self._linear[-1] and t - self._t[-1] == s - self._s[-1]:
            return  # continues the previous linear segment
        self._t.append(t)
        self._s.append(s)
        self._linear.append(1 if linear else 0)

    def inside_ranges(self) -> tuple[list[int], list[int], int]:
        """``[lo, hi)`` ranges of the derived positions strictly inside an atomic segment (no
        span may start or end there), and how many positions they hold."""
        ts = self._t
        lo: list[int] = []
        hi: list[int] = []
        count = 0
        for i in compress(range(len(ts) - 1), map(not_, self._linear)):
            if ts[i + 1] - ts[i] > 1:
                lo.append(ts[i] + 1)
                hi.append(ts[i + 1])
                count += ts[i + 1] - ts[i] - 1
        return lo, hi, count

    def back_many(self, positions: list[int]) -> list[int]:
        """:meth:`back` for many positions that are not inside an atomic segment.

        Only the very start of a text can hold a segment that stands for no character (see
        ``_clusters``), and a match never ends there, so starts and ends map alike.
        """
        if not self._t:
            return positions
        return shift_sorted(positions, self._t, [0, *map(sub, self._s, self._t)], strict=False)

    def back(self, t: int, end: bool = False) -> int | None:
        """The source position of derived position ``t``.

        Zero-length segments (dropped characters) make some positions ambiguous; a start takes
        the latest candidate and an end the earliest, so dropped characters stay outside matches.
        """
        ts = self._t
        if not ts:
            return t
        if end:
            i = bisect_left(ts, t)
            if i < len(ts) and ts[i] == t:
                return self._s[i]
            i -= 1
        else:
            i = bisect_right(ts, t) - 1
            if ts[i] == t:
                return self._s[i]
        if self._linear[i]:
            return self._s[i] + (t - ts[i])
        return None


MAX_INSIDE_SET = 50_000


class InsideRanges:
    """The positions of :meth:`Normalized.inside_positions` as sorted ranges, with the part of
    the set interface the matcher uses."""

    __slots__ = ("_lo", "_hi", "_runs", "_lost")

    def __init__(self, lo: list[int], hi: list[int], runs: list[int], lost: list[int]):
        self._lo, self._hi, self._runs, self._lost = lo, hi, runs, lost

    def __bool__(self) -> bool:
        return bool(self._lo)

    def __contains__(self, pos: int) -> bool:
        if self._runs:  # to the count before space runs were collapsed, where the ranges live
            pos += self._lost[bisect_left(self._runs, pos)]
        i = bisect_right(self._lo, pos) - 1
        return i >= 0 and pos < self._hi[i]

    def isdisjoint(self, positions) -> bool:
        return not any(map(self.__contains__, positions))


class Normalized:
    """A normalized string, optionally its skeleton, and the way back to original offsets.

    Two maps are chained: the *piece map* undoes the per-character steps (only present when some
    character did not stay one character), the *space map* undoes the collapsing of space runs.
    The space map is just the position of each collapsed run and how many characters it lost.
    ``chars`` holds the text's non-ASCII characters, which tells the matcher cheaply whether a
    no-space script (and so its second automaton) is involved at all.
    """

    __slots__ = ("text", "skeleton", "chars", "_piece_map", "_runs", "_lost")

    def __init__(self, text: str, skeleton: str | None, piece_map: OffsetMap | None, runs: list[int],
                 lost: list[int], chars: set[str]):
        self.text = text
        self.chars = chars  # the non-ASCII characters of text (and maybe some ASCII ones)
        self.skeleton = skeleton
        self._piece_map = piece_map
        self._runs = runs
        self._lost = lost

    @property
    def is_identity(self) -> bool:
        """True when every position of the normalized text is the same in the original."""
        return self._piece_map is None and not self._runs

    def inside_positions(self):
        """Positions of the normalized text that fall inside one character of the original
        (within the expansion of ``ﬁ`` or ``…``, say): a match may not start or end there.

        A set, whose C-level membership tests the matcher uses in bulk; for a text with very
        many expanding characters (an attack, not prose) ranges instead, to bound memory."""
        if self._piece_map is None:
            return set()
        lo, hi, count = self._piece_map.inside_ranges()
        if count > MAX_INSIDE_SET:
            return InsideRanges(lo, hi, self._runs, self._lost)
        inside = set(chain.from_iterable(map(range, lo, hi)))
        if self._runs and inside:
            # Those positions are counted before space runs were collapsed; run r ends (in
            # that count) at runs[r] + lost[r + 1] + 1, and everything after it moved back.
            ends = [run + self._lost[r + 1] + 1 for r, run in enumerate(self._runs)]
            inside = {q - self._lost[bisect_right(ends, q)] for q in inside}
        return inside

    def back(self, pos: int, end: bool = False) -> int | None:
        if self._runs:
            pos += self._lost[bisect_left(self._runs, pos)]
        if self._piece_map is not None:
            return self._piece_map.back(pos, end)
        return pos

    def back_unsorted(self, positions: list[int]) -> list[int]:
        """:meth:`back` for positions in any order that are not inside a character, with one
        bisection per position (for the few hits that need their original text)."""
        if self.is_identity:
            return positions
        if all(map(le, positions, positions[1:])):
            return self.back_sorted(positions)
        if self._runs:
            runs, lost = self._runs, self._lost
            positions = list(map(add, positions, map(lost.__getitem__, map(bisect_left, repeat(runs), positions))))
        if self._piece_map is None:
            return positions
        ts, ss = self._piece_map._t, self._piece_map._s
        if not ts:
            return positions
        idx = list(map(sub, map(bisect_right, repeat(ts), positions), repeat(1)))
        return list(map(add, map(ss.__getitem__, idx), map(sub, positions, map(ts.__getitem__, idx))))

    def back_all(self, starts: list[int], ends: list[int]) -> tuple[list[int], list[int]]:
        """Map sorted span starts and ends back to the original text, all at once, with
        C-level passes.  No position may be one of :meth:`inside_positions`."""
        return self.back_sorted(starts), self.back_sorted(ends)

    def back_sorted(self, positions: list[int]) -> list[int]:
        """:meth:`back` for sorted positions that are not inside a character."""
        if self.is_identity:
            return positions
        if self._runs:
            positions = shift_sorted(positions, self._runs, self._lost, strict=True)
        if self._piece_map is None:
            return positions
        return self._piece_map.back_many(positions)
