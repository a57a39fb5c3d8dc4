"""The compiled matcher: surface forms in, non-overlapping whole-word matches out.

Two Aho-Corasick automata do the scanning:

* the *anchored* one holds every form that starts with a word character, keyed as a space
  followed by the form's skeleton (see :mod:`termlight.wordchars`).  Scanned over the text's
  skeleton, it only ever reports hits that begin at a word start, so the hits that begin in the
  middle of a word ("ai" in "said") are never produced, and never cost a Python iteration;
* the *free* one holds the few forms that start with anything else (a Han character, a dot),
  keyed by the normalized form itself and scanned over the normalized text.

Every hit is then checked in Python: the end boundary, the exact normalized form (the skeleton
forgets punctuation), the original case for case-sensitive forms, and the glossary filter.  The
hits are visited leftmost first and longest first, and the first one that passes at a position
wins, so a longer candidate that fails its boundary never hides a shorter valid one.
"""

from __future__ import annotations

import re
from operator import itemgetter, sub
from typing import Iterable, NamedTuple

import ahocorasick

from termlight.forms import effective_case_sensitive, plurals
from termlight.normalize import normalize, normalize_form
from termlight.select import FREE, select
from termlight.wordchars import is_no_space_script, skeleton


_first = itemgetter(0)
_second = itemgetter(1)


class Candidate(NamedTuple):
    """One way a term can appear: a form or its plural, as the matcher compares it."""

    term_id: str
    glossary: str
    folded: str  # normalized and case-folded; the text under a hit must equal it
    cased: str | None  # normalized, original case; set only when the case must match too
    plural: bool


class KeyInfo(NamedTuple):
    """What the automaton stores with each key (see :mod:`termlight.select` for its use)."""

    offset: int  # start of the form = position of the key's end - offset
    trail: int  # stop of the form = position of the key's end - trail (FREE: unanchored key)
    cands: tuple  # every candidate that shares the key, explicit forms first
    fast_id: str | None  # set when the hit needs no check at all: one case-insensitive word
    single: Candidate | None  # the only candidate, when there is just one


class FormEntry(NamedTuple):
    """What the glossary hands the matcher: one surface form of one term."""

    term_id: str
    glossary: str
    form: str
    case_sensitive: bool | None  # the term's explicit setting, or None for the default rule


def candidates_for(entry: FormEntry) -> list[Candidate]:
    """The form itself and its generated plurals, each in the shape the matcher compares."""
    strict = effective_case_sensitive(entry.form, entry.case_sensitive)
    out = []
    for plural, variant in [(False, entry.form)] + [(True, p) for p in plurals(entry.form)]:
        folded = normalize_form(variant)
        if folded:
            cased = normalize_form(variant, fold=False) if strict else None
            out.append(Candidate(entry.term_id, entry.glossary, folded, cased, plural))
    return out


class Matcher:
    """Both automata and the selection of matches; picklable, so workers can load it cached."""

    def __init__(self, entries: Iterable[FormEntry]):
        anchored: dict[str, list[Candidate]] = {}
        free: dict[str, list[Candidate]] = {}
        for entry in entries:
            for cand in candidates_for(entry):
                key = anchored_key(cand.folded)
                bucket = anchored.setdefault(key, []) if key else free.setdefault(cand.folded, [])
                if cand not in bucket:
                    bucket.append(cand)
        self._anchored = _build(anchored, anchored=True)
        self._free = _build(free, anchored=False)
        # The free automaton runs only on texts holding a character that starts one of its keys:
        # its root has a child per such character, and pyahocorasick looks children up one by one.
        firsts = sorted({k[0] for k in free})
        self._free_first = re.compile("[" + "".join(map(re.escape, firsts)) + "]") if firsts else None

    def find(self, text: str, glossaries: frozenset[str] | None = None):
        """Parallel lists ``(starts, ends, term_ids, alternatives)``, in code points of ``text``."""
        norm, starts, stops, values = self.hits(text)
        starts, stops, ids, alts = select(starts, stops, values, norm, text, glossaries)
        starts, stops = norm.back_all(starts, stops)
        return starts, stops, ids, alts

    def hits(self, text: str):
        """The normalized text and every raw hit as parallel lists ``starts, stops, values``,
        in normalized positions, ordered by stop."""
        norm = normalize(text, with_skeleton=True)
        # Keys carry a space before and after the form; the scanned string has one at each end,
        # so position i of the string is position i - 1 of the text.
        raw = list(self._anchored.iter(" " + norm.skeleton + " ")) if self._anchored is not None else []
        if self._free_first is not None and self._free_first.search(norm.text):
            free = list(self._free.iter(norm.text))
            if free:
                raw = sorted(raw + free, key=lambda hit: hit[0] - hit[1][1])  # by stop
        ends = list(map(_first, raw))
        values = list(map(_second, raw))
        starts = list(map(sub, ends, map(_first, values)))
        stops = list(map(sub, ends, map(_second, values)))
        return norm, starts, stops, values


def anchored_key(folded: str) -> str | None:
    """The key of a form in the anchored automaton, or None if it belongs in the free one.

    A space stands before a form that starts with a word character and after one that ends with
    a word character: in the skeleton a space is exactly "not a word character", so those keys
    can only be found where the whole-word rule holds.  A form that starts with a character of a
    no-space script (or has no word character at all) goes to the free automaton instead, since
    the skeleton blanks such characters out; later ones are blanked in the key too, and the
    exact comparison with the normalized text after each hit tells them apart.
    """
    shape = skeleton(folded)
    if not shape.strip() or (shape[0] == " " and is_no_space_script(folded[0])):
        return None
    return (" " if shape[0] != " " else "") + shape + (" " if shape[-1] != " " else "")


def _build(keys: dict[str, list[Candidate]], anchored: bool) -> ahocorasick.Automaton | None:
    """Values are ``(start offset, end anchor, candidates, fast term id)``.

    The fast term id is set when one candidate owns the key and needs no further check (a single
    case-insensitive word): then a hit is a match without looking at the text again.
    """
    if not keys:
        return None
    automaton = ahocorasick.Automaton()
    for key, cands in keys.items():
        cands.sort(key=lambda c: c.plural)  # explicit forms before generated plurals (stable)
        only = cands[0]
        shape = skeleton(only.folded)  # the same for every candidate under this key
        lead = 1 if anchored and shape[0] != " " else 0
        trail = 1 if anchored and shape[-1] != " " else 0
        single = len(cands) == 1
        simple = single and only.cased is None and skeleton(only.folded) == only.folded and " " not in only.folded
        # start = end - offset; for anchored keys also shift by the scanned string's leading space
        offset = len(key) - 1 - lead + (1 if anchored else 0)
        if not anchored:
            offset, trail, simple, single = len(key) - 1, FREE, False, False
        automaton.add_word(key, KeyInfo(offset, trail, tuple(cands), only.term_id if simple else None, only if single else None))
    automaton.make_automaton()
    return automaton

