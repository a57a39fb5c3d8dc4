"""What the automata store: the keys of the surface forms and, with each key, how to judge a hit.

A form that starts with a word character is *anchored*: its key is a space, the form's skeleton
(see :mod:`termlight.engine.wordchars`) and, when the form ends with a word character, another space.
Scanned over the text's skeleton, such a key can only be found where the whole-word rule holds.
A form that starts with a character of a no-space script (or has no word character at all) is
*free*: its key is the normalized form itself, and the matcher checks the rule after each hit.

The automata store a row number per key; the rows live in a :class:`KeyStore`, one column per
field.  ``KeyStore.info`` gives a row as a :class:`KeyInfo`, the record the per-hit reference
checks (``selection.verify``) read.  Its fields:

``offset``
    anchored: start of the form = index of the key's last character in the scanned string
    minus ``offset``; free: the form's length.
``trail``
    anchored: stop of the form = that index minus ``trail``; free: :data:`FREE`.
``term``, ``folded``, ``cased``
    term id, normalized form and (for a case-sensitive form) its normalized original case, of
    the first candidate.
``check``
    how much a hit needs to be looked at: :data:`FAST` (nothing: one case-insensitive form of
    word characters only), :data:`TEXT` (the skeleton forgets punctuation and no-space
    scripts, so the normalized text must read ``folded``), :data:`CASE` (also the original
    case), :data:`FULL` (several candidates, or a free key: see ``selection.choose``).
``cands``
    every candidate that shares the key, explicit forms before generated plurals.
``glossaries``
    the glossaries of those candidates, so a glossary filter can pass most hits untouched.
``extra``
    other rows' KeyInfos for the same key string with a different span: "C#" and "C" share the key
    " c " (the skeleton blanks "#"), but a hit means [0, 2) for one and [0, 1) for the other.
``alts``
    the alternatives of ``term`` when several candidates share one form with no case rule
    (the same form in two glossaries, a plural that is another term's explicit form): decided
    once when the key is built, so such hits need no per-hit choice.
``how``
    what the first candidate is, as bits: :data:`ALIAS` (an alias rather than the term's
    name), :data:`PLURAL` (a generated plural), :data:`AMBIGUOUS` (a form marked ambiguous:
    it counts only with context, see :mod:`termlight.engine.context`), :data:`EXCLUDED` (an
    excluded form: picked like a form so that nothing inside it matches, then dropped).

The rules about a form (its case, its plurals, whether it is ambiguous or excluded) are all
decided here, once, when the table is built; the matcher only reads them back.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Iterable, NamedTuple

from termlight.engine.forms import has_mixed_case_word, is_exact_case, plurals
from termlight.engine.normalize import fold_ascii, normalize_form
from termlight.engine.wordchars import is_no_space_script, skeleton

FAST, TEXT, CASE, FULL = range(4)
FREE = -1  # the trail of a free key
ALIAS, PLURAL, AMBIGUOUS, EXCLUDED = 1, 2, 4, 8  # bits of how (and of a FormEntry's role)
_rank = itemgetter(4)


class KeyInfo(NamedTuple):
    """One row of a :class:`KeyStore` as a record (see the module docstring for each field)."""

    offset: int
    trail: int
    term: str
    check: int
    folded: str
    cased: str | None
    cands: tuple  # of candidate tuples, in Candidate's field order
    glossaries: frozenset[str]
    extra: tuple  # of KeyInfo
    alts: tuple[str, ...]
    how: int


class Candidate(NamedTuple):
    """One way a term can appear: a form or its plural, as the matcher compares it."""

    term_id: str
    glossary: str
    folded: str  # normalized and case-folded; the text under a hit must equal it
    cased: str | None  # normalized, original case; set only when the case must match too
    rank: int  # 0 a written form, 1 a generated plural, 2 an excluded form: the lower wins a key
    how: int  # how bits


class FormEntry(NamedTuple):
    """What the glossary hands the matcher: one surface form of one term."""

    term_id: str
    glossary: str
    form: str
    case_sensitive: bool | None  # the term's explicit setting, or None for the default rule
    role: int = 0  # ALIAS, AMBIGUOUS and EXCLUDED bits


def candidates_for(entry: FormEntry) -> list[Candidate]:
    """The form itself and its generated plurals, each in the shape the matcher compares."""
    return [Candidate(*c) for c in _candidates(*entry)]


def _candidates(term_id: str, glossary: str, form: str, case_sensitive: bool | None, role: int = 0) -> list[tuple]:
    """Plain tuples in :class:`Candidate`'s field order (what the automata store).

    An excluded form gets no plurals; a plural keeps its form's ALIAS and AMBIGUOUS bits."""
    excluded = role & EXCLUDED
    rank = 2 if excluded else 0
    if form.isascii():  # the same steps, inlined for the forms that make up most glossaries
        exact = form.isupper() or has_mixed_case_word(form)
        strict = exact if case_sensitive is None else case_sensitive
        folded = fold_ascii(form)
        if not folded:
            return []
        out = [(term_id, glossary, folded, fold_ascii(form, False) if strict else None, rank, role)]
        for plural in () if excluded else plurals(form, exact):
            out.append((term_id, glossary, fold_ascii(plural), fold_ascii(plural, False) if strict else None, 1,
                        role | PLURAL))
        return out
    exact = is_exact_case(form)
    strict = exact if case_sensitive is None else case_sensitive
    folded = normalize_form(form)
    out = [(term_id, glossary, folded, normalize_form(form, False) if strict else None, rank, role)] if folded else []
    for plural in () if excluded else plurals(form, exact):
        folded = normalize_form(plural)
        if folded:
            out.append((term_id, glossary, folded, normalize_form(plural, False) if strict else None, 1, role | PLURAL))
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
        # key -> ((lead, trail), candidate): almost every key has exactly one, so the others
        # of a key, if any, go to ``more`` (no list per key).
        self.anchored: dict[str, tuple[tuple[int, int], tuple]] = {}
        self.more: dict[str, list[tuple[tuple[int, int], tuple]]] = {}
        self.free: dict[str, list[tuple]] = {}
        anchored, free = self.anchored, self.free
        both = (1, 1)
        for entry in entries:
            for cand in _candidates(*entry):
                folded = cand[2]
                if folded.isascii() and folded.replace(" ", "").isalnum():
                    # The common case, without skeleton: ASCII words, so key = form + anchors.
                    key, spot = " " + folded + " ", both
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
                first = anchored.get(key)
                if first is None:
                    anchored[key] = (spot, cand)
                elif first != (spot, cand):
                    bucket = self.more.setdefault(key, [first])
                    if (spot, cand) not in bucket:
                        bucket.append((spot, cand))

    def anchored_rows(self, store: "KeyStore") -> Iterable[tuple[str, int]]:
        """``(key, row)`` for the anchored automaton, adding each key's rows to ``store``."""
        more = self.more
        for key, ((lead, trail), cand) in self.anchored.items():
            # Scanned string = " " + skeleton + " ", so position p of the text is p + 1 there.
            if key not in more:
                yield key, store.add((cand,), len(key) - lead, trail, key[lead : len(key) - trail])
                continue
            bucket = more[key]
            variants: dict[tuple[int, int], list[tuple]] = {}
            for spot, cand in bucket:
                variants.setdefault(spot, []).append(cand)
            rows = [store.add(cands, len(key) - lead, trail, key[lead : len(key) - trail])
                    for (lead, trail), cands in variants.items()]
            if len(rows) > 1:
                store.extra[rows[0]] = tuple(rows[1:])
            yield key, rows[0]

    def free_rows(self, store: "KeyStore") -> Iterable[tuple[str, int]]:
        """``(normalized form, row)`` for the free automaton, adding the rows to ``store``."""
        for folded, cands in self.free.items():
            yield folded, store.add(cands, len(folded), FREE, None)


class KeyStore:
    """What the automata know about their keys, one column per field and one row per key; the
    automata themselves store only row numbers.

    Columns of small ints and shared strings instead of a tuple per key: a cached glossary of
    100k terms unpickles in half the time (a few objects per key instead of five), the
    collector has almost nothing to walk, and a hit costs a list lookup per field it needs.
    :meth:`info` gives a row as a :class:`KeyInfo` record for the per-hit reference checks.
    """

    def __init__(self):
        self.offset: list[int] = []
        self.trail: list[int] = []
        self.term: list[str] = []
        self.check = bytearray()
        self.folded: list[str] = []
        self.glossaries: list[frozenset[str]] = []
        # Sparse columns, for the few rows that have a value.
        self.cased: dict[int, str] = {}
        self.cands: dict[int, tuple] = {}  # rows of several candidates, and free rows
        self.extra: dict[int, tuple[int, ...]] = {}
        self.how: dict[int, int] = {}  # HOW of the first candidate, when not 0
        self.alts: dict[int, tuple[str, ...]] = {}
        self._glossary_sets: dict[str, frozenset[str]] = {}

    def __getstate__(self) -> dict:
        return dict(self.__dict__, _glossary_sets={})

    def add(self, cands: list[tuple] | tuple[tuple], offset: int, trail: int, shape: str | None) -> int:
        """A row for the candidates of one key; ``shape`` is the skeleton of their form (None
        for a free key).  Nearly every key has one candidate: that way is kept short."""
        if len(cands) > 1:
            cands = sorted(cands, key=_rank)  # written forms, then generated plurals, then excluded forms (stable)
            glossaries = frozenset(c[1] for c in cands)
        else:
            glossary = cands[0][1]
            glossaries = self._glossary_sets.get(glossary)
            if glossaries is None:
                glossaries = self._glossary_sets[glossary] = frozenset((glossary,))
        term_id, _, folded, cased, rank, how = cands[0]
        alts = ()
        decided = len(cands) == 1
        if not decided and shape is not None and all(c[2] == folded and c[3] is None for c in cands):
            # Any hit that reads the form picks the same candidates: decide it now (as choose).
            alts = tuple(dict.fromkeys(c[0] for c in cands if c[4] == rank and c[0] != term_id))
            decided = True
        if not decided or shape is None:
            check = FULL
        elif cased is not None:
            check = CASE
        elif shape == folded and " " not in folded:
            check = FAST  # only word characters: the skeleton hit already read them exactly
        else:
            check = TEXT
        row = len(self.term)
        self.offset.append(offset)
        self.trail.append(trail)
        self.term.append(term_id)
        self.check.append(check)
        self.folded.append(folded)
        self.glossaries.append(glossaries)
        if cased is not None:
            self.cased[row] = cased
        if len(cands) > 1 or check == FULL:
            self.cands[row] = tuple(cands)
        if how:
            self.how[row] = how
        if alts:
            self.alts[row] = alts
        return row

    def row_cands(self, row: int) -> tuple:
        """The candidates of a row, in the order ``select.choose`` tries them."""
        cands = self.cands.get(row)
        if cands is None:
            how = self.how.get(row, 0)
            rank = 2 if how & EXCLUDED else 1 if how & PLURAL else 0
            cands = ((self.term[row], next(iter(self.glossaries[row])), self.folded[row], self.cased.get(row), rank, how),)
        return cands

    def info(self, row: int) -> KeyInfo:
        """The row as a :class:`KeyInfo`."""
        cased = self.cased.get(row)
        cands = self.row_cands(row)
        how = self.how.get(row, 0)
        return KeyInfo(self.offset[row], self.trail[row], self.term[row], self.check[row], self.folded[row],
                       cased, cands, self.glossaries[row], tuple(map(self.info, self.extra.get(row, ()))),
                       self.alts.get(row, ()), how)
