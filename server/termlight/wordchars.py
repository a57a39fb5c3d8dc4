"""Which characters count as word characters for the whole-word rule.

Word characters are Unicode letters, marks, decimal digits and the underscore, except the
characters of scripts written without spaces between words (Han, Kana, Hangul, Thai, Lao,
Khmer, Myanmar): there a term may sit right against its neighbours, as in この基盤モデルは.

The matcher works on a *skeleton* of the normalized text: the same length, with every
character that is not a word character replaced by a space.  That makes the boundary test a
comparison with ``" "`` and lets keys be anchored on the space before a word.
"""

from __future__ import annotations

import unicodedata

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


def is_no_space_script(ch: str) -> bool:
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in NO_SPACE_RANGES)


def is_word_char(ch: str) -> bool:
    """A character that glues to its neighbours: a match may not begin or end next to one."""
    if ch == "_":
        return True
    cat = unicodedata.category(ch)
    if not (cat[0] in "LM" or cat == "Nd"):
        return False
    return not is_no_space_script(ch)


class _SkeletonTable(dict):
    """A ``str.translate`` table that classifies each character once and remembers it."""

    def __missing__(self, cp: int) -> int:
        value = cp if is_word_char(chr(cp)) else 0x20
        self[cp] = value
        return value


SKELETON = _SkeletonTable()
for _cp in range(128):
    SKELETON[_cp]  # fill the ASCII part up front so str.translate's ASCII fast path applies


def skeleton(text: str) -> str:
    """``text`` with every non-word character (and no-space script) turned into a space."""
    return text.translate(SKELETON)
