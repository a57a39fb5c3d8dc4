"""What the automata store: the keys of the surface forms and, with each key, how to judge a hit.

A form that starts with a word character is *anchored*: its key is a space, the form's skeleton
(see :mod:`termlight.wordchars`) and, when the form ends with a word character, another space.
Scanned over the text's skeleton, such a key can only be found where the whole-word rule holds.
A form that starts with a character of a no-space script (or has no word character at all) is
*free*: its key is the normalized form itself, and the matcher checks the rule after each hit.

Each key stores a plain tuple (a ``KeyInfo``), read by index in the hot loops; plain tuples also
pickle and unpickle in C, which keeps a cached matcher quick to load.  Its fields:

``OFFSET``
    anchored: start of the form = index of the key's last character in the scanned string
    minus ``OFFSET``; free: the form's length.
``TRAIL``
    anchored: stop of the form = that index minus ``TRAIL``; free: :data:`FREE`.
``TERM``, ``FOLDED``, ``CASED``
    term id, normalized form and (for a case-sensitive form) its normalized original case, of
    the first candidate.
``CHECK``
    how much a hit needs to be looked at: :data:`FAST` (nothing: one case-insensitive form of
    word characters only), :data:`TEXT` (the skeleton forgets punctuation and no-space
    scripts, so the normalized text must read ``FOLDED``), :data:`CASE` (also the original
    case), :data:`FULL` (several candidates, or a free key: see ``select.choose``).
``CANDS``
    every candidate that shares the key, explicit forms before generated plurals.
``GLOSSARIES``
    the glossaries of those candidates, so a glossary filter can pass most hits untouched.
``EXTRA``
    other KeyInfos of the same key string with a different span: "C#" and "C" share the key
    " c " (the skeleton blanks "#"), but a hit means [0, 2) for one and [0, 1) for the other.
"""

from __future__ import annotations

from typing import Iterable, NamedTuple

from termlight.forms import effective_case_sensitive, plurals
from termlight.normalize import normalize_form
from termlight.wordchars import is_no_space_script, skeleton

OFFSET, TRAIL, TERM, CHECK, FOLDED, CASED, CANDS, GLOSSARIES, EXTRA = range(9)
FAST, TEXT, CASE, FULL = range(4)
FREE = -1  # the TRAIL of a free key


class Candidate(NamedTuple):
    """One way a term can appear: a form or its plural, as the matcher compares it."""

    term_id: str
    glossary: str
    folded: str  # normalized and case-folded; the text under a hit must equal it
    cased: str | None  # normalized, original case; set only when the case must match too
    plural: bool


class FormEntry(NamedTuple):
    """What the glossary hands the matcher: one surface form of one term."""

    term_id: str
    glossary: str
    form: str
    case_sensitive: bool | None  # the term's explicit setting, or None for the default rule


def candidates_for(entry: FormEntry) -> list[Candidate]:
    """The form itself and its generated plurals, each in the shape the matcher compares."""
    return [Candidate(*c) for c in _candidates(*entry)]


def _candidates(term_id: str, glossary: str, form: str, case_sensitive: bool | None) -> list[tuple]:
    strict = effective_case_sensitive(form, case_sensitive)
    out = []
    for plural, variant in [(False, form)] + [(True, p) for p in plurals(form)]:
        folded = normalize_form(variant)
        if folded:
            out.append((term_id, glossary, folded, normalize_form(variant, fold=False) if strict else None, plural))
    return out


def anchored_key(folded: str) -> tuple[str, int, int] | None:
    """``(key, lead, trail)`` of a form in the anchored automaton, or None if it is free.

    ``lead``/``trail`` say whether the key has an anchoring space before/after the form.  Later
    characters of no-space scripts are blanked in the key like any non-word character; the
    exact comparison with the normalized text (:data:`TEXT`) tells them apart.
    """
    shape = skeleton(folded)
    if not shape.strip() or (shape[0] == " " and is_no_space_script(folded[0])):
        return None
    lead = shape[0] != " "
    trail = shape[-1] != " "
    return (" " if lead else "") + shape + (" " if trail else ""), lead, trail


class KeyTable:
    """Collects the candidates of every form by key, then describes each key (``infos``)."""

    def __init__(self, entries: Iterable[FormEntry]):
        self.anchored: dict[str, dict[tuple[int, int], list[tuple]]] = {}
        self.free: dict[str, list[tuple]] = {}
        for entry in entries:
            for cand in _candidates(*entry):
                spot = anchored_key(cand[2])
                if spot is None:
                    bucket = self.free.setdefault(cand[2], [])
                else:
                    key, lead, trail = spot
                    bucket = self.anchored.setdefault(key, {}).setdefault((lead, trail), [])
                if cand not in bucket:
                    bucket.append(cand)

    def anchored_infos(self) -> Iterable[tuple[str, tuple]]:
        """``(key, KeyInfo)`` for the anchored automaton."""
        for key, variants in self.anchored.items():
            infos = []
            for (lead, trail), cands in variants.items():
                # Scanned string = " " + skeleton + " ", so position p of the text is p + 1 there.
                infos.append(_info(cands, len(key) - lead, int(trail), exact_ok=True))
            yield key, infos[0] + (tuple(info + ((),) for info in infos[1:]),)

    def free_infos(self) -> Iterable[tuple[str, tuple]]:
        """``(normalized form, KeyInfo)`` for the free automaton."""
        for folded, cands in self.free.items():
            yield folded, _info(cands, len(folded), FREE, exact_ok=False) + ((),)


def _info(cands: list[tuple], offset: int, trail: int, exact_ok: bool) -> tuple:
    """A KeyInfo without its EXTRA field."""
    cands.sort(key=lambda c: c[4])  # explicit forms before generated plurals (stable)
    term_id, _, folded, cased, _ = cands[0]
    if len(cands) > 1 or not exact_ok:
        check = FULL
    elif cased is not None:
        check = CASE
    elif skeleton(folded) == folded and " " not in folded:
        check = FAST  # only word characters: the skeleton hit already read them exactly
    else:
        check = TEXT
    return (offset, trail, term_id, check, folded, cased, tuple(cands), frozenset(c[1] for c in cands))
