"""Offset units: code points (Python), UTF-16 code units (JavaScript) and UTF-8 bytes.

The matcher works in code points.  Converting sorted positions walks the text once, encoding only
the stretch between one position and the next, so the cost stays linear however many matches
there are; pure-ASCII text (and, for UTF-16, text without astral characters) needs no work at all.
"""

from __future__ import annotations

UNITS = ("codepoint", "utf16", "utf8")


def converter(text: str, unit: str):
    """A function from code point offsets (called in non-decreasing order) to ``unit`` offsets,
    or None when the two are the same for this text."""
    if unit not in UNITS:
        raise ValueError(f"unknown offset unit {unit!r}; expected one of {', '.join(UNITS)}")
    if unit == "codepoint" or text.isascii():
        return None
    if unit == "utf16":
        if max(text) < "\U00010000":
            return None
        codec, width = "utf-16-le", 2
    else:
        codec, width = "utf-8", 1
    state = [0, 0]  # last code point position, its offset in the unit

    def convert(pos: int) -> int:
        last, acc = state
        if pos < last:  # out of order: start again from the beginning
            last, acc = 0, 0
        acc += len(text[last:pos].encode(codec, "surrogatepass")) // width
        state[0], state[1] = pos, acc
        return acc

    return convert
