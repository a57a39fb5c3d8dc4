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


_WORDS = re.compile(r"[^\W_]+")


def has_mixed_case_word(form: str) -> bool:
    """True for forms like "RoPE", "QLoRA", "GenAI" or "ChatGPT": a *word* (a run of letters and
    digits) with a lower-case letter and, after its first character, an upper-case one.

    Title Case ("Base Model") is not mixed case.  Such forms are names written one particular
    way, and read in any case they are ordinary words: "rope", "cot", "yarn", "moe".
    """
    if form.islower() or form.isupper() or (form.isascii() and form.istitle()):
        return False  # quick answers for the usual shapes (istitle: every word Capitalised)
    for word in _WORDS.findall(form):
        if any(map(str.isupper, word[1:])) and any(map(str.islower, word)):
            return True
    return False


def is_exact_case(form: str) -> bool:
    """Forms that match only as written unless their term says otherwise: all upper-case
    ("AI") or holding a mixed-case word ("LoRA").  These also take only a lower-case -s plural."""
    return is_all_upper(form) or has_mixed_case_word(form)


def effective_case_sensitive(form: str, explicit: bool | None) -> bool:
    """A term's own ``case_sensitive`` wins; otherwise all-upper-case and mixed-case forms are strict."""
    return explicit if explicit is not None else is_exact_case(form)


def _is_latin_word(word: str) -> bool:
    return all("LATIN" in unicodedata.name(c, "") for c in word)


def plurals(form: str, upper: bool | None = None) -> list[str]:
    """The regular English plural of a form whose last word is written in Latin letters.

    -s in general; -es after s, x, z, ch or sh; -ies for a consonant followed by y.  An
    all-upper-case or mixed-case form takes only a lower-case -s ("LLMs", "LoRAs", never
    "LLMES").  ``upper`` is :func:`is_exact_case` of the form, when the caller knows it already.
    """
    if form.isascii():
        if not form[-1:].isalpha():  # for ASCII, the same test as the regular expression below
            return []
    else:
        m = _LAST_WORD.search(form)
        if not m or not _is_latin_word(m.group(1)):
            return []
    if upper if upper is not None else is_exact_case(form):
        return [form + "s"]
    lower = form.lower()
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return [form + "es"]
    if lower.endswith("y") and len(lower) >= 2 and lower[-2] not in _VOWELS and lower[-2].isalpha():
        return [form[:-1] + "ies"]
    return [form + "s"]
