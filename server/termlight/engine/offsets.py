"""Offset units: code points (Python), UTF-16 code units (JavaScript) and UTF-8 bytes.

The matcher works in code points; a text can have tens of thousands of matches, so conversion
is a few C-level passes over all of them, never a Python call per match:

* UTF-16 differs from code points only after characters beyond the BMP (emoji, rare CJK), which
  take two units: each position moves by the number of those before it;
* UTF-8 is the accumulated byte length of the slices between consecutive positions.

Pure-ASCII text (and, for UTF-16, text without astral characters) needs no work at all.
"""

from __future__ import annotations

from itertools import accumulate, chain
from operator import methodcaller

from termlight.engine.positions import shift_sorted
from termlight.engine.wordchars import find_all, non_ascii_chars

UNITS = ("codepoint", "utf16", "utf8")
_to_utf8 = methodcaller("encode", "utf-8", "surrogatepass")


def check_unit(unit: str) -> None:
    if unit not in UNITS:
        raise ValueError(f"unknown offset unit {unit!r}; expected one of {', '.join(UNITS)}")


def convert_spans(text: str, unit: str, starts: list[int], ends: list[int]) -> tuple[list[int], list[int]]:
    """Code point spans of ``text`` in ``unit``.  The spans must be sorted and must not overlap
    (each start <= its end <= the next start), as matches are."""
    check_unit(unit)
    if unit == "codepoint" or not starts or text.isascii():
        return starts, ends
    if unit == "utf16":
        astral_count = len(text.encode("utf-16-le", "surrogatepass")) // 2 - len(text)
        if not astral_count:
            return starts, ends
        astral = find_all(text, [ch for ch in non_ascii_chars(text) if ch > "\uffff"])
        deltas = list(range(len(astral) + 1))
        return shift_sorted(starts, astral, deltas, strict=True), shift_sorted(ends, astral, deltas, strict=True)
    points = list(chain.from_iterable(zip(starts, ends)))
    pieces = map(text.__getitem__, map(slice, [0, *points], points))
    offsets = list(accumulate(map(len, map(_to_utf8, pieces))))
    return offsets[0::2], offsets[1::2]
