"""Which characters count as word characters for the whole-word rule.

Word characters are Unicode letters, marks, decimal digits and the underscore, except the
characters of scripts written without spaces between words (Han, Kana, Hangul, Thai, Lao,
Khmer, Myanmar): there a term may sit right against its neighbours, as in この基盤モデルは.

The matcher works on a *skeleton* of the normalized text: the same length, with every
character that is not a word character replaced by a space.  That makes the boundary test a
comparison with ``" "`` and lets keys be anchored on the space before a word.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from itertools import chain, repeat, zip_longest

NO_SPACE_RANGES = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x1780, 0x17FF),  # Khmer
    (0x19E0, 0x19FF),  # Khmer symbols
    (0x2E80, 0x2FDF),  # CJK radicals
    (0x3005, 0x3007),  # 々 〆 〇
    (0x3021, 0x3029),  # Hangzhou numerals
    (0x3031, 0x3035),  # kana repeat marks
    (0x3038, 0x303C),
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3130, 0x318F),  # Hangul compatibility jamo
    (0x31F0, 0x31FF),  # Katakana extensions
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xA960, 0xA97F),  # Hangul jamo extended A
    (0xA9E0, 0xA9FF),  # Myanmar extended B
    (0xAA60, 0xAA7F),  # Myanmar extended A
    (0xAC00, 0xD7FF),  # Hangul syllables, jamo extended B
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF66, 0xFF9F),  # half-width Katakana
    (0xFFA0, 0xFFDC),  # half-width Hangul
    (0x1B000, 0x1B16F),  # Kana supplement and extensions
    (0x20000, 0x3134F),  # CJK extensions B and later
)


_NO_SPACE_BOUNDS = [bound for lo, hi in NO_SPACE_RANGES for bound in (lo, hi + 1)]


def is_no_space_script(ch: str) -> bool:
    # An odd number of bounds at or below the code point: inside one of the (sorted) ranges.
    return bisect_right(_NO_SPACE_BOUNDS, ord(ch)) & 1 == 1


def is_word_char(ch: str) -> bool:
    """A character that glues to its neighbours: a match may not begin or end next to one."""
    if ch == "_":
        return True
    cat = unicodedata.category(ch)
    if not (cat[0] in "LM" or cat == "Nd"):
        return False
    return not is_no_space_script(ch)


#: Characters each learning table (here and in normalize) remembers: a request can hold a
#: million distinct code points, and a worker must not grow unbounded for it.
LEARN_LIMIT = 1 << 16
#: Splits a text into alternating ASCII and non-ASCII runs (the non-ASCII ones captured);
#: ``str.translate`` is fast on ASCII strings only, so each kind of run is handled apart.
NON_ASCII_RUNS = re.compile(r"([^\x00-\x7f]+)")


class _SkeletonTable(dict):
    """A ``str.translate`` table that classifies each character once and remembers it (up to
    ``LEARN_LIMIT`` characters; beyond, each lookup classifies again)."""

    def __missing__(self, cp: int) -> int:
        value = cp if is_word_char(chr(cp)) else 0x20
        if len(self) < LEARN_LIMIT:
            self[cp] = value
        return value


SKELETON = _SkeletonTable()
for _cp in range(128):
    SKELETON[_cp]  # fill the ASCII part up front so str.translate's ASCII fast path applies


SKELETON_LATIN1 = bytes(SKELETON[cp] for cp in range(256))
_wide_known: set[str] = set()
_wide_words: set[str] = set()
PATCH_LIMIT = 2000
_ASCII_BYTES = bytes(range(128))


def non_ascii_chars(text: str) -> set[str]:
    """The distinct non-ASCII characters of ``text``, found without a Python-level loop: the
    UTF-8 bytes minus every ASCII byte are exactly the non-ASCII characters, in order."""
    data = text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES)
    return set(data.decode("utf-8", "surrogatepass"))


FIND_LOOP_LIMIT = 128  # distinct characters up to which find_all scans once per character


def find_all(text: str, chars) -> list[int]:
    """Every position of any of ``chars`` in ``text``, sorted.

    For the few distinct characters usually asked about, one ``str.find`` scan each (a C scan at
    a fraction of a nanosecond per character) beats any single pass in Python; but a scan per
    character is quadratic when a (hostile) text brings thousands of them, so beyond
    ``FIND_LOOP_LIMIT`` one Python pass over the text does it, in linear time.
    """
    if len(chars) > FIND_LOOP_LIMIT:
        members = chars if isinstance(chars, (set, frozenset)) else set(chars)
        return [i for i, ch in enumerate(text) if ch in members]
    out = []
    for ch in chars:
        at = text.find(ch)
        while at >= 0:
            out.append(at)
            at = text.find(ch, at + 1)
    out.sort()
    return out


def wide_word_chars(chars: set[str]) -> set[str]:
    """The word characters above U+00FF among ``chars`` (each character classified once, up
    to ``LEARN_LIMIT`` of them)."""
    found = chars & _wide_words
    for ch in chars - _wide_known:
        wide = ord(ch) > 0xFF and SKELETON[ord(ch)] != 0x20
        if wide:
            found.add(ch)
        if len(_wide_known) < LEARN_LIMIT:
            _wide_known.add(ch)
            if wide:
                _wide_words.add(ch)
    return found


def skeleton_by_table(text: str) -> str:
    """:func:`skeleton` through the table alone, run by run: for texts whose wide characters
    are too many to classify up front."""
    return "".join(map(str.translate, NON_ASCII_RUNS.split(text), repeat(SKELETON)))


def skeleton(text: str, wide: set[str] | None = None) -> str:
    """``text`` with every non-word character (and no-space script) turned into a space.

    ``str.translate`` costs a nanosecond per character on an ASCII string and twenty-five on
    any other, and every request pays this, so: Latin-1 is mapped with ``bytes.translate``;
    other text is first encoded to Latin-1 with each wider character replaced by ``?`` (a
    non-word character, like most wide characters: CJK, emoji, arrows, dashes), and the few
    wide *word* characters (``wide``: Greek, Cyrillic... letters the text holds, computed when
    not given) are put back where they were.  Text full of them is translated run by run.
    """
    if text.isascii():
        return text.translate(SKELETON)
    shape = text.encode("latin-1", "replace").translate(SKELETON_LATIN1).decode("latin-1")
    if wide is None:
        wide = wide_word_chars(non_ascii_chars(text))
    if not wide:
        return shape
    if len(wide) > FIND_LOOP_LIMIT or sum(map(text.count, wide)) > PATCH_LIMIT:
        return skeleton_by_table(text)
    positions = find_all(text, wide)
    pieces = map(shape.__getitem__, map(slice, [0, *map((1).__add__, positions)], [*positions, len(text)]))
    chars = map(text.__getitem__, positions)
    return "".join(chain.from_iterable(zip_longest(pieces, chars, fillvalue="")))
