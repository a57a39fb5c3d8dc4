"""Text normalization with an exact map back to the original offsets.

Forms and text go through the same function, character cluster by character cluster:
NFKC, case folding (optional), curly quotes to straight ones, hyphens and dashes and every
whitespace character to a space, zero-width characters and soft hyphens dropped, and finally
runs of spaces collapsed to one.  Because several of those steps change the length of the text
(``ß`` → ``ss``, ``ﬁ`` → ``fi``, a run of blank lines → one space), the result carries an
:class:`OffsetMap` that turns a position in the normalized text back into one in the original.

Most real text is ASCII or already normalized, so those stretches take a fast path of
``str.lower``/``str.translate`` over the whole stretch; only the rest is walked cluster by cluster.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from itertools import accumulate, repeat
from operator import add, sub

from termlight.wordchars import skeleton

IGNORABLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
HYPHENS = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d"
SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u02bc"
DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033"


def _build_table() -> dict[int, int | None]:
    table: dict[int, int | None] = {ord(c): None for c in IGNORABLE}
    for c in HYPHENS:
        table[ord(c)] = 0x20
    for c in SINGLE_QUOTES:
        table[ord(c)] = ord("'")
    for c in DOUBLE_QUOTES:
        table[ord(c)] = ord('"')
    for cp in range(0x3001):  # U+3000 is the last whitespace character in Unicode
        if chr(cp).isspace():
            table[cp] = 0x20
    return table


#: One character in, at most one out: what the steps after NFKC and folding do to each character.
CHAR_TABLE = _build_table()
_NEEDS_TABLE = re.compile("[" + re.escape(IGNORABLE) + "]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_SPACE_RUN = re.compile(r"  +")
_IS_MARK = frozenset(("Mn", "Mc", "Me"))


def _attaches(ch: str) -> bool:
    """True for a character that belongs to the cluster before it."""
    cp = ord(ch)
    return (
        unicodedata.category(ch) in _IS_MARK
        or ch in IGNORABLE
        or 0x1160 <= cp <= 0x11FF
        or 0xD7B0 <= cp <= 0xD7FF
    )


def _fold_cluster(cluster: str, fold: bool) -> str:
    """Normalize one cluster (a base character and the marks that follow it)."""
    out = unicodedata.normalize("NFKC", cluster)
    if fold:
        out = unicodedata.normalize("NFKC", out.casefold())
    return out.translate(CHAR_TABLE)


def _clusters(piece: str):
    """Split into clusters: a new one starts at every character that is not a mark or a
    Hangul vowel/final jamo, because NFKC only ever combines those with what precedes them.

    Ignorable characters join the cluster before them too, so that no cluster normalizes to
    nothing (except at the very start): every normalized position then has exactly one
    original position, the same whether it starts or ends a match.
    """
    start = 0
    for i in range(1, len(piece)):
        if _attaches(piece[i]):
            continue
        yield start, piece[start:i]
        start = i
    if piece:
        yield start, piece[start:]


class OffsetMap:
    """Maps positions of a derived string back to positions of its source.

    The derived string is cut into segments.  A *linear* segment maps one character to one
    character; an *atomic* one stands for a whole cluster or whitespace run, so only its two
    ends have a position in the source.  A position strictly inside an atomic segment has none:
    a match that would start or end there splits a character and is rejected.
    """

    __slots__ = ("_t", "_s", "_linear")

    def __init__(self) -> None:
        self._t: list[int] = []
        self._s: list[int] = []
        self._linear: list[bool] = []

    def add(self, t: int, s: int, linear: bool) -> None:
        """Start a segment at derived position ``t`` / source position ``s``."""
        if self._t and linear and self._linear[-1] and t - self._t[-1] == s - self._s[-1]:
            return  # continues the previous linear segment
        self._t.append(t)
        self._s.append(s)
        self._linear.append(linear)

    def inside_positions(self) -> set[int]:
        """Derived positions strictly inside an atomic segment: no span may start or end there."""
        out: set[int] = set()
        ts = self._t
        for i, linear in enumerate(self._linear):
            if not linear and i + 1 < len(ts):
                out.update(range(ts[i] + 1, ts[i + 1]))
        return out

    def back_many(self, positions: list[int]) -> list[int]:
        """:meth:`back` for many positions that are not inside an atomic segment.

        Only the very start of a text can hold a segment that stands for no character (see
        ``_clusters``), and a match never ends there, so starts and ends map alike.
        """
        if not self._t:
            return positions
        ts, ss = self._t, self._s
        idx = list(map(sub, map(bisect_right, repeat(ts), positions), repeat(1)))
        return list(map(add, map(ss.__getitem__, idx), map(sub, positions, map(ts.__getitem__, idx))))

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


class Normalized:
    """A normalized string, optionally its skeleton, and the way back to original offsets.

    Two maps are chained: the *piece map* undoes the per-character steps (only present when the
    text had characters outside ASCII), the *space map* undoes the collapsing of space runs.  The
    space map is just the position of each collapsed run and how many characters it lost, so
    going back is one bisection and one addition.
    """

    __slots__ = ("text", "skeleton", "_piece_map", "_runs", "_lost")

    def __init__(self, text: str, skeleton: str | None, piece_map: OffsetMap | None, runs: list[int], lost: list[int]):
        self.text = text
        self.skeleton = skeleton
        self._piece_map = piece_map
        self._runs = runs
        self._lost = lost

    @property
    def is_identity(self) -> bool:
        """True when every position of the normalized text is the same in the original."""
        return self._piece_map is None and not self._runs

    def inside_positions(self) -> set[int]:
        """Positions of the normalized text that fall inside one character of the original
        (within the expansion of ``ﬁ`` or ``…``, say): a match may not start or end there."""
        if self._piece_map is None:
            return set()
        inside = self._piece_map.inside_positions()
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

    def back_all(self, starts: list[int], ends: list[int]) -> tuple[list[int], list[int]]:
        """Map sorted span starts and ends back to the original text, all at once, with
        C-level passes.  No position may be one of :meth:`inside_positions`."""
        if self.is_identity:
            return starts, ends
        if self._runs:
            runs, lost = self._runs, self._lost
            starts = list(map(add, starts, map(lost.__getitem__, map(bisect_left, repeat(runs), starts))))
            ends = list(map(add, ends, map(lost.__getitem__, map(bisect_left, repeat(runs), ends))))
        if self._piece_map is None:
            return starts, ends
        return self._piece_map.back_many(starts), self._piece_map.back_many(ends)


def _slow_piece(piece: str, base: int, out: list[str], out_len: int, omap: OffsetMap, fold: bool) -> int:
    for offset, cluster in _clusters(piece):
        norm = _fold_cluster(cluster, fold)
        omap.add(out_len, base + offset, len(cluster) == 1 and len(norm) == 1)
        out.append(norm)
        out_len += len(norm)
    return out_len


def _fast_piece(piece: str, fold: bool) -> str | None:
    """The normalized piece when every character maps to exactly one character, else None."""
    if not unicodedata.is_normalized("NFKC", piece) or _NEEDS_TABLE.search(piece):
        return None
    if fold:
        folded = piece.casefold()
        if len(folded) != len(piece) or not unicodedata.is_normalized("NFKC", folded):
            return None
        piece = folded
    return piece.translate(CHAR_TABLE)


def _ascii(part: str, fold: bool) -> str:
    return (part.lower() if fold else part).translate(CHAR_TABLE)


def _map_pieces(text: str, fold: bool) -> tuple[list[str], OffsetMap | None]:
    """Everything but the collapsing of space runs, as pieces that are each all-ASCII or not.

    Keeping the pieces apart lets the skeleton be computed piece by piece: ``str.translate`` is
    many times faster on an ASCII string than on one holding a single non-ASCII character.
    """
    if text.isascii():
        return [_ascii(text, fold)], None
    out: list[str] = []
    omap = OffsetMap()
    out_len = 0
    pos = 0
    for m in _NON_ASCII.finditer(text):
        start, stop = m.span()
        if start > pos and _attaches(text[start]):
            start -= 1  # a mark belongs to the ASCII letter before it
        if start > pos:
            omap.add(out_len, pos, True)
            out.append(_ascii(text[pos:start], fold))
            out_len += start - pos
        piece = text[start:stop]
        fast = _fast_piece(piece, fold)
        if fast is not None:
            omap.add(out_len, start, True)
            out.append(fast)
            out_len += len(fast)
        else:
            pieces: list[str] = []
            out_len = _slow_piece(piece, start, pieces, out_len, omap, fold)
            out.append("".join(pieces))
        pos = stop
    if pos < len(text):
        omap.add(out_len, pos, True)
        out.append(_ascii(text[pos:], fold))
        out_len += len(text) - pos
    omap.add(out_len, len(text), True)
    return out, omap


def normalize(text: str, fold: bool = True, with_skeleton: bool = False) -> Normalized:
    """Normalize ``text`` for matching, keeping the way back to original offsets.

    With ``with_skeleton`` the result also carries the skeleton of the normalized text (see
    :mod:`termlight.wordchars`), position for position.
    """
    pieces, piece_map = _map_pieces(text, fold)
    pre = "".join(pieces)
    pre_skel = "".join([skeleton(p) for p in pieces]) if with_skeleton else None
    if "  " not in pre:
        return Normalized(pre, pre_skel, piece_map, [], [])
    spans = [m.span() for m in _SPACE_RUN.finditer(pre)]
    keep_from = [0] + [b for _, b in spans]
    keep_to = [a + 1 for a, _ in spans] + [len(pre)]
    ntext = "".join([pre[a:b] for a, b in zip(keep_from, keep_to)])
    nskel = "".join([pre_skel[a:b] for a, b in zip(keep_from, keep_to)]) if pre_skel is not None else None
    lost = [0, *accumulate(b - a - 1 for a, b in spans)]
    runs = [a - lost[i] for i, (a, _) in enumerate(spans)]
    return Normalized(ntext, nskel, piece_map, runs, lost)


def normalize_form(form: str, fold: bool = True) -> str:
    """A surface form as the matcher sees it: normalized like text, without outer spaces."""
    return normalize(form, fold).text.strip(" ")
