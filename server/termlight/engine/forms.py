"""Surface forms: which strings a term answers to, and how strictly.

A term's forms are its ``term`` and its ``aliases``.  Each form also matches its regular English
plural, so a glossary does not have to list "LLMs" or "embeddings" by hand.
"""

from __future__ import annotations

import re
import unicodedata

_LAST_WORD = re.compile(r"([^\W\d_]+)$")
_VOWELS = frozenset("aeiou")


def is_all_upper(form: str) -> bool:
    """True for forms like "AI", "ROI" or "C++": cased letters, none of them lower-case.

    Such forms are acronyms, and matching them case-insensitively would find the French "roi"
    or the word "ai" in ordinary prose.
    """
    if form.isascii():
        return form.isupper()  # the same test: ASCII has no title-case letters
    return any(map(str.isupper, form)) and not any(map(str.islower, form))


def effective_case_sensitive(form: str, explicit: bool | None) -> bool:
    """A term's own ``case_sensitive`` wins; otherwise only all-upper-case forms are strict."""
    return explicit if explicit is not None else is_all_upper(form)


def _is_latin_word(word: str) -> bool:
    return all("LATIN" in unicodedata.name(c, "") for c in word)


def plurals(form: str, upper: bool | None = None) -> list[str]:
    """The regular English plural of a form whose last word is written in Latin letters.

    -s in general; -es after s, x, z, ch or sh; -ies for a consonant followed by y.  An
    all-upper-case form takes only a lower-case -s ("LLMs", never "LLMES").  ``upper`` is
    :func:`is_all_upper` of the form, when the caller knows it already.
    """
    if form.isascii():
        if not form[-1:].isalpha():  # for ASCII, the same test as the regular expression below
            return []
    else:
        m = _LAST_WORD.search(form)
        if not m or not _is_latin_word(m.group(1)):
            return []
    if upper if upper is not None else is_all_upper(form):
        return [form + "s"]
    lower = form.lower()
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return [form + "es"]
    if lower.endswith("y") and len(lower) >= 2 and lower[-2] not in _VOWELS and lower[-2].isalpha():
        return [form[:-1] + "ies"]
    return [form + "s"]
