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


def _fold_cluster(cluster: str, fold: bool) -> str:
    """Normalize one cluster (a base character and the marks that follow it)."""
    out = unicodedata.normalize("NFKC", cluster)
    if fold:
        out = unicodedata.normalize("NFKC", out.casefold())
    return out.translate(CHAR_TABLE)


def _clusters(piece: str):
    """Split into clusters: a new one starts at every character that is not a mark or a
    Hangul vowel/final jamo, because NFKC only ever combines those with what precedes them."""
    start = 0
    for i in range(1, len(piece)):
        ch = piece[i]
        cp = ord(ch)
        if unicodedata.category(ch) in _IS_MARK or 0x1160 <= cp <= 0x11FF or 0xD7B0 <= cp <= 0xD7FF:
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
    """A normalized string and how to get from its positions to the original's."""

    __slots__ = ("text", "_piece_map", "_space_map")

    def __init__(self, text: str, piece_map: OffsetMap | None, space_map: OffsetMap | None):
        self.text = text
        self._piece_map = piece_map
        self._space_map = space_map

    def back(self, pos: int, end: bool = False) -> int | None:
        if self._space_map is not None:
            pos = self._space_map.back(pos, end)
            if pos is None:
                return None
        if self._piece_map is not None:
            return self._piece_map.back(pos, end)
        return pos


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


def _map_pieces(text: str, fold: bool) -> tuple[str, OffsetMap | None]:
    """Everything but the collapsing of space runs; positions stay one-to-one where possible."""
    if text.isascii():
        return (text.lower() if fold else text).translate(CHAR_TABLE), None
    out: list[str] = []
    omap = OffsetMap()
    out_len = 0
    pos = 0
    for m in _NON_ASCII.finditer(text):
        start, stop = m.span()
        if start > pos and unicodedata.category(text[start]) in _IS_MARK:
            start -= 1  # a mark belongs to the ASCII letter before it
        if start > pos:
            ascii_part = text[pos:start]
            omap.add(out_len, pos, True)
            out.append((ascii_part.lower() if fold else ascii_part).translate(CHAR_TABLE))
            out_len += start - pos
        piece = text[start:stop]
        fast = _fast_piece(piece, fold)
        if fast is not None:
            omap.add(out_len, start, True)
            out.append(fast)
            out_len += len(fast)
        else:
            out_len = _slow_piece(piece, start, out, out_len, omap, fold)
        pos = stop
    if pos < len(text):
        omap.add(out_len, pos, True)
        tail = text[pos:]
        out.append((tail.lower() if fold else tail).translate(CHAR_TABLE))
        out_len += len(tail)
    omap.add(out_len, len(text), True)
    return "".join(out), omap


def normalize(text: str, fold: bool = True) -> Normalized:
    """Normalize ``text`` for matching, keeping the way back to original offsets."""
    pre, piece_map = _map_pieces(text, fold)
    if "  " not in pre:
        return Normalized(pre, piece_map, None)
    space_map = OffsetMap()
    parts: list[str] = []
    prev = 0
    out_len = 0
    for m in _SPACE_RUN.finditer(pre):
        start, stop = m.span()
        space_map.add(out_len, prev, True)
        parts.append(pre[prev : start + 1])
        out_len += start + 1 - prev
        space_map.add(out_len - 1, start, False)  # one space stands for the whole run
        prev = stop
    space_map.add(out_len, prev, True)
    parts.append(pre[prev:])
    out_len += len(pre) - prev
    space_map.add(out_len, len(pre), True)
    return Normalized("".join(parts), piece_map, space_map)


def normalize_form(form: str, fold: bool = True) -> str:
    """A surface form as the matcher sees it: normalized like text, without outer spaces."""
    return normalize(form, fold).text.strip(" ")
