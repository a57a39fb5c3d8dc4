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

from typing import Iterable, NamedTuple

import ahocorasick

from termlight.forms import effective_case_sensitive, plurals
from termlight.normalize import normalize, normalize_form
from termlight.wordchars import skeleton


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


class Found(NamedTuple):
    """A match in code point offsets of the original text."""

    start: int
    end: int
    term_id: str
    alternatives: tuple[str, ...]


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
                shape = skeleton(cand.folded)
                if shape[0] != " ":
                    bucket = anchored.setdefault(" " + shape, [])
                else:
                    bucket = free.setdefault(cand.folded, [])
                if cand not in bucket:
                    bucket.append(cand)
        self._anchored = _build(anchored)
        self._free = _build(free)

    def find(self, text: str, glossaries: frozenset[str] | None = None) -> list[Found]:
        norm = normalize(text)
        ntext = norm.text
        shape = skeleton(ntext)
        hits = []
        if self._anchored is not None:
            # The key's leading space sits one position before the form: see module docstring.
            hits = [(end - off, end, cands) for end, (off, cands) in self._anchored.iter(" " + shape)]
        if self._free is not None:
            hits.extend((end - off, end + 1, cands) for end, (off, cands) in self._free.iter(ntext))
        hits.sort(key=_leftmost_longest)
        size = len(shape)
        found: list[Found] = []
        taken = 0
        for start, stop, cands in hits:
            if start < taken:
                continue
            if stop < size and shape[stop] != " " and shape[stop - 1] != " ":
                continue
            if start > 0 and shape[start] != " " and shape[start - 1] != " ":
                continue
            o_start = norm.back(start)
            o_end = norm.back(stop, end=True)
            if o_start is None or o_end is None or o_start >= o_end:
                continue
            chosen = _choose(ntext[start:stop], cands, text[o_start:o_end], glossaries)
            if chosen is not None:
                found.append(Found(o_start, o_end, chosen[0], chosen[1]))
                taken = stop
        return found


def _leftmost_longest(hit: tuple) -> tuple[int, int]:
    return hit[0], -hit[1]


def _build(keys: dict[str, list[Candidate]]) -> ahocorasick.Automaton | None:
    if not keys:
        return None
    automaton = ahocorasick.Automaton()
    for key, cands in keys.items():
        cands.sort(key=lambda c: c.plural)  # explicit forms before generated plurals (stable)
        automaton.add_word(key, (len(key) - 1, tuple(cands)))
    automaton.make_automaton()
    return automaton


def _choose(
    segment: str, cands: tuple[Candidate, ...], original: str, glossaries: frozenset[str] | None
) -> tuple[str, tuple[str, ...]] | None:
    """The winning term for a hit, and the terms of other glossaries that share the form."""
    primary: Candidate | None = None
    others: list[str] = []
    cased_original: str | None = None
    for cand in cands:
        if cand.folded != segment or (glossaries is not None and cand.glossary not in glossaries):
            continue
        if cand.cased is not None:
            if cased_original is None:
                cased_original = normalize_form(original, fold=False)
            if cand.cased != cased_original:
                continue
        if primary is None:
            primary = cand
        elif cand.plural != primary.plural:
            break  # an explicit form outranks every generated plural
        elif cand.term_id != primary.term_id and cand.term_id not in others:
            others.append(cand.term_id)
    if primary is None:
        return None
    return primary.term_id, tuple(others)
