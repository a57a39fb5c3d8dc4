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

from operator import itemgetter
from typing import Iterable, NamedTuple

from termlight.forms import is_all_upper, plurals
from termlight.normalize import normalize_form
from termlight.wordchars import is_no_space_script, skeleton

OFFSET, TRAIL, TERM, CHECK, FOLDED, CASED, CANDS, GLOSSARIES, EXTRA = range(9)
FAST, TEXT, CASE, FULL = range(4)
FREE = -1  # the TRAIL of a free key
_plural = itemgetter(4)


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
    """Plain tuples in :class:`Candidate`'s field order (what the automata store)."""
    upper = is_all_upper(form)
    strict = upper if case_sensitive is None else case_sensitive
    folded = normalize_form(form)
    out = [(term_id, glossary, folded, normalize_form(form, False) if strict else None, False)] if folded else []
    for plural in plurals(form, upper):
        folded = normalize_form(plural)
        if folded:
            out.append((term_id, glossary, folded, normalize_form(plural, False) if strict else None, True))
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
    lead = int(shape[0] != " ")
    trail = int(shape[-1] != " ")
    return (" " if lead else "") + shape + (" " if trail else ""), lead, trail


class KeyTable:
    """Collects the candidates of every form by key, then describes each key (``infos``)."""

    def __init__(self, entries: Iterable[FormEntry]):
        # key -> [((lead, trail), candidate), ...]; almost every key has exactly one entry
        self.anchored: dict[str, list[tuple[tuple[int, int], tuple]]] = {}
        self.free: dict[str, list[tuple]] = {}
        anchored, free = self.anchored, self.free
        for entry in entries:
            for cand in _candidates(*entry):
                folded = cand[2]
                if folded.isascii() and folded.replace(" ", "").isalnum():
                    # The common case, without skeleton: ASCII words, so key = form + anchors.
                    key, spot = " " + folded + " ", (1, 1)
                else:
                    found = anchored_key(folded)
                    if found is None:
                        bucket = free.get(folded)
                        if bucket is None:
                            free[folded] = [cand]
                        elif cand not in bucket:
                            bucket.append(cand)
                        continue
                    key, spot = found[0], found[1:]
                bucket = anchored.get(key)
                if bucket is None:
                    anchored[key] = [(spot, cand)]
                elif (spot, cand) not in bucket:
                    bucket.append((spot, cand))

    def anchored_infos(self) -> Iterable[tuple[str, tuple]]:
        """``(key, KeyInfo)`` for the anchored automaton."""
        glossary_sets: dict[str, frozenset[str]] = {}
        for key, bucket in self.anchored.items():
            if len(bucket) == 1:
                [((lead, trail), cand)] = bucket
                # Scanned string = " " + skeleton + " ", so position p of the text is p + 1 there.
                yield key, _info([cand], len(key) - lead, trail, key[lead : len(key) - trail], glossary_sets) + ((),)
                continue
            variants: dict[tuple[int, int], list[tuple]] = {}
            for spot, cand in bucket:
                variants.setdefault(spot, []).append(cand)
            infos = [_info(cands, len(key) - lead, trail, key[lead : len(key) - trail], glossary_sets)
                     for (lead, trail), cands in variants.items()]
            yield key, infos[0] + (tuple(info + ((),) for info in infos[1:]),)

    def free_infos(self) -> Iterable[tuple[str, tuple]]:
        """``(normalized form, KeyInfo)`` for the free automaton."""
        glossary_sets: dict[str, frozenset[str]] = {}
        for folded, cands in self.free.items():
            yield folded, _info(cands, len(folded), FREE, None, glossary_sets) + ((),)


def _info(cands: list[tuple], offset: int, trail: int, shape: str | None, glossary_sets: dict) -> tuple:
    """A KeyInfo without its EXTRA field; ``shape`` is the skeleton of the candidates' form
    (None for a free key), ``glossary_sets`` shares one frozenset per glossary."""
    if len(cands) > 1:
        cands.sort(key=_plural)  # explicit forms before generated plurals (stable)
        check = FULL
        glossaries = frozenset(c[1] for c in cands)
    else:
        glossaries = glossary_sets.get(cands[0][1]) or glossary_sets.setdefault(cands[0][1], frozenset((cands[0][1],)))
    term_id, _, folded, cased, _ = cands[0]
    if len(cands) > 1 or shape is None:
        check = FULL
    elif cased is not None:
        check = CASE
    elif shape == folded and " " not in folded:
        check = FAST  # only word characters: the skeleton hit already read them exactly
    else:
        check = TEXT
    return (offset, trail, term_id, check, folded, cased, tuple(cands), glossaries)
