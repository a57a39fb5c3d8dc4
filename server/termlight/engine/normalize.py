"""Text normalization with an exact map back to the original offsets.

Forms and text go through the same function, character cluster by character cluster:
NFKC, case folding (optional), curly quotes to straight ones, hyphens and dashes and every
whitespace character to a space, zero-width characters and soft hyphens dropped, and finally
runs of spaces collapsed to one.  Because several of those steps change the length of the text
(``ß`` → ``ss``, ``ﬁ`` → ``fi``, a run of blank lines → one space), the result carries an
:class:`OffsetMap` that turns a position in the normalized text back into one in the original.

Speed matters here: every request normalizes its whole text.  Almost every character of real
text is *regular*: on its own it normalizes to exactly one character, and it never combines with
its neighbours.  A text made only of regular characters keeps its length, so it is normalized by
``str.translate`` with a table that learns each character the first time it is seen, and needs no
offset map at all.  ``str.translate`` is fast only on ASCII strings, so the text is split into
ASCII and non-ASCII runs first.  Only the clusters around *irregular* characters (combining marks,
ligatures, ``ß`` when folding, ``…``, zero-width characters) are normalized one by one.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import accumulate, repeat
from operator import add, itemgetter, sub

from termlight.engine.positions import Normalized, OffsetMap
from termlight.engine.wordchars import (LEARN_LIMIT, NON_ASCII_RUNS, find_all, non_ascii_chars, skeleton,
                                        skeleton_by_table, wide_word_chars)

IGNORABLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
HYPHENS = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d"
SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u02bc"
DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033"


def _build_table() -> dict[int, int | None]:
    table: dict[int, int | None] = {ord(c): None for c in IGNORABLE}
    for c in HYPHENS:
        table[ord(c)] = 0x20
    for c in SINGLE_QUOTES:
        table[ord(c)] = ord("'")
    for c in DOUBLE_QUOTES:
        table[ord(c)] = ord('"')
    for cp in range(0x3001):  # U+3000 is the last whitespace character in Unicode
        if chr(cp).isspace():
            table[cp] = 0x20
    return table


#: One character in, at most one out: what the steps after NFKC and folding do to each character.
CHAR_TABLE = _build_table()
_SPACE_RUN = re.compile(r"  [ ]*")  # faster than "  +" on text with many single spaces
_IS_MARK = frozenset(("Mn", "Mc", "Me"))
_span = re.Match.span
_first = itemgetter(0)
_second = itemgetter(1)


def _attaches(ch: str) -> bool:
    """True for a character that belongs to the cluster before it."""
    cp = ord(ch)
    return (
        unicodedata.category(ch) in _IS_MARK
        or ch in IGNORABLE
        or 0x1160 <= cp <= 0x11FF
        or 0xD7B0 <= cp <= 0xD7FF
    )


@lru_cache(maxsize=8192)
def _fold_cluster(cluster: str, fold: bool) -> str:
    """Normalize one cluster (a base character and the marks that follow it).

    Cached: a text repeats its few irregular clusters, and the cache also makes every repeat
    share one string object (5 MiB of "ß" would otherwise hold millions of copies of "ss")."""
    out = unicodedata.normalize("NFKC", cluster)
    if fold:
        out = unicodedata.normalize("NFKC", out.casefold())
    return out.translate(CHAR_TABLE)


class _CharTable(dict):
    """A ``str.translate`` table from each regular character to its normalized character.

    It classifies a character the first time it is looked up and remembers the answer, so the
    Unicode database is consulted once per distinct character per process, not once per
    occurrence.  Irregular characters map to themselves here and are collected in
    ``irregular``: the caller never lets ``str.translate`` see them (see :func:`normalize`).

    For the bulk path (:func:`_bulk`) it also records which regular characters change
    (``changing``, with their result in ``out``) and which would defeat that path (``unsafe``:
    their result is not a fixed point of the normalization or of ``str.lower``).

    It remembers at most ``LEARN_LIMIT`` characters: a request can hold a million distinct
    code points, and a worker must not grow by hundreds of megabytes for it.  Characters met
    after that are treated as irregular, which is slower but just as exact.
    """

    def __init__(self, fold: bool):
        super().__init__()
        self.fold = fold
        self.known: set[str] = set()
        self.irregular: set[str] = set()
        self.changing: set[str] = set()
        self.unsafe: set[str] = set()
        self.out: dict[str, str] = {}
        for cp in range(128):  # ASCII up front, so str.translate's ASCII fast path applies
            self[cp]
        # Latin-1 text goes through bytes.translate; its characters above ASCII are fixed
        # points by then (see _bulk), so only the ASCII half of this table does anything.
        self.latin1 = bytes(self[cp] for cp in range(128)) + bytes(range(128, 256))

    def __missing__(self, cp: int) -> int:
        ch = chr(cp)
        out = _fold_cluster(ch, self.fold)
        regular = len(out) == 1 and not _attaches(ch)
        value = ord(out) if regular else cp
        if len(self) >= LEARN_LIMIT:
            return value
        if regular:
            if out != ch and cp >= 128:
                self.changing.add(ch)
                self.out[ch] = out
            if _fold_cluster(out, self.fold) != out or (self.fold and out.lower() != out):
                self.unsafe.add(ch)
        else:
            self.irregular.add(ch)
        self[cp] = value
        self.known.add(ch)
        return value

    def irregular_in(self, chars: set[str]) -> set[str]:
        """The irregular characters among ``chars``, classifying the ones never seen before;
        characters the table could not remember count as irregular."""
        unknown = chars - self.known
        for ch in unknown:
            if len(self) >= LEARN_LIMIT:
                break
            self[ord(ch)]
        return (chars & self.irregular) | (unknown - self.known)


UNLEARNED_LIMIT = 1024  # new characters a text may bring once the tables are full, still fast
_TABLES = {True: _CharTable(True), False: _CharTable(False)}  # by "fold"
_ASCII_SPACES = "".join(chr(cp) for cp in range(128) if _TABLES[True][cp] == 0x20 and cp != 0x20)


def _translated_parts(text: str, table: dict) -> list[str]:
    """``text`` through ``table``, as alternating ASCII and non-ASCII parts.

    ``str.translate`` costs about a nanosecond per character on an ASCII string and twenty or
    more on any other, so the (usually few and short) non-ASCII runs are translated apart.
    """
    if text.isascii():
        return [text.translate(table)]
    return list(map(str.translate, NON_ASCII_RUNS.split(text), repeat(table)))


REPLACE_LIMIT = 16  # distinct changing characters up to which _bulk replaces them one by one


def _plan(chars: set[str], table: _CharTable) -> tuple[str, ...] | None:
    """How :func:`_bulk` handles a text whose non-ASCII characters are ``chars`` (all regular):
    the characters to replace one by one, or None for the per-character table.

    ``str.replace`` makes a pass over the text per character, which is the fastest way for a
    handful of them (curly quotes, dashes, full-width punctuation) but quadratic for a hostile
    text with thousands; and characters whose result is not a fixed point of the later steps
    (``unsafe``) cannot go that way at all.
    """
    changing = chars & table.changing
    if len(changing) > REPLACE_LIMIT or not chars.isdisjoint(table.unsafe):
        return None
    return tuple(changing)


def _bulk(text: str, plan: tuple[str, ...] | None, table: _CharTable) -> list[str]:
    """Normalize a text of regular characters, as :func:`_plan` decided.

    Each non-ASCII character that changes is replaced with ``str.replace``; then, when
    everything fits in Latin-1, one ``bytes.translate`` folds and maps the ASCII part, else
    ``str.lower`` and a replace per ASCII space character do.  That is exact because every
    result is a fixed point of both steps.
    """
    if plan is None:
        return _translated_parts(text, table)
    out = table.out
    for ch in plan:
        text = text.replace(ch, out[ch])
    try:
        data = text.encode("latin-1")
    except UnicodeEncodeError:
        pass
    else:
        return [data.translate(table.latin1).decode("latin-1")]
    if table.fold:
        text = text.lower()
    for ch in _ASCII_SPACES:
        if ch in text:
            text = text.replace(ch, " ")
    return [text]


#: Unicode's stream-safe format allows 30 marks in a row; a longer run is cut into clusters of
#: this size, so a hostile run of a million marks costs linear time (NFKC reorders marks by
#: sorting, and one huge cluster would take minutes).
MAX_CLUSTER = 32


def _irregular_clusters(text: str, irregular: set[str]) -> list[tuple[int, int]]:
    """The clusters that hold an irregular character, in order: an irregular base character
    with the marks after it, or any character followed by attaching ones (a mark, a zero-width
    character, a Hangul vowel or final consonant), since NFKC may combine those with it.

    Occurrences are found with ``str.find`` rather than a regular expression, whose
    per-character cost showed up as a third of the time on long texts with a few emoji.
    """
    positions = find_all(text, irregular)
    attaching = {ch for ch in irregular if _attaches(ch)}
    size = len(text)
    clusters: list[tuple[int, int]] = []
    covered = 0
    for at in positions:
        if at < covered:
            continue
        start = at - 1 if at > covered and text[at] in attaching else at
        stop = at + 1
        while stop < size and stop - start < MAX_CLUSTER and text[stop] in attaching:
            stop += 1
        clusters.append((start, stop))
        covered = stop
    return clusters


def _with_clusters(text: str, chars: set[str], irregular: set[str], table: _CharTable) -> tuple[list[str], OffsetMap, set[str]]:
    """Normalize a text that holds irregular characters: their clusters one by one, the
    stretches between them in bulk, with the offset map of both and the clusters' results."""
    out: list[str] = []
    cluster_out: list[str] = []
    omap = OffsetMap()
    out_len = 0
    pos = 0
    plan = _plan(chars - irregular, table)
    for start, stop in _irregular_clusters(text, irregular):
        if start > pos:
            omap.add(out_len, pos, True)
            out.extend(_bulk(text[pos:start], plan, table))
            out_len += start - pos
        norm = _fold_cluster(text[start:stop], table.fold)
        omap.add(out_len, start, stop - start == 1 and len(norm) == 1)
        out.append(norm)
        cluster_out.append(norm)
        out_len += len(norm)
        pos = stop
    if pos < len(text):
        omap.add(out_len, pos, True)
        out.extend(_bulk(text[pos:], plan, table))
        out_len += len(text) - pos
    omap.add(out_len, len(text), True)
    return out, omap, set("".join(cluster_out))


def _cluster_by_cluster(text: str, table: _CharTable) -> tuple[list[str], OffsetMap, None]:
    """Every non-ASCII cluster on its own: the way for a text with more distinct characters
    than the tables may learn (tens of thousands: an attack, not prose), at about a
    microsecond per character.  Same clusters, same results as the other paths."""
    out: list[str] = []
    omap = OffsetMap()
    out_len = pos = 0
    fold = table.fold
    for run in NON_ASCII_RUNS.finditer(text):
        start, stop = run.span()
        if start > pos and _attaches(text[start]):
            start -= 1  # a mark belongs to the ASCII letter before it
        if start > pos:
            omap.add(out_len, pos, True)
            out.append(text[pos:start].translate(table))
            out_len += start - pos
        first = start
        for i in range(start + 1, stop + 1):
            if i == stop or i - first >= MAX_CLUSTER or not _attaches(text[i]):
                norm = _fold_cluster(text[first:i], fold)
                omap.add(out_len, first, i - first == 1 and len(norm) == 1)
                out.append(norm)
                out_len += len(norm)
                first = i
        pos = stop
    if pos < len(text):
        omap.add(out_len, pos, True)
        out.append(text[pos:].translate(table))
        out_len += len(text) - pos
    omap.add(out_len, len(text), True)
    return out, omap, None


def _map_pieces(text: str, fold: bool) -> tuple[list[str], OffsetMap | None, set[str] | None]:
    """Everything but the collapsing of space runs, as pieces to be joined.  The offset map is
    None when every character stayed one character (the usual case).  The set holds the
    non-ASCII characters of the result (and maybe some ASCII ones); None when there were too
    many to classify (see :func:`_cluster_by_cluster`)."""
    table = _TABLES[fold]
    if text.isascii():
        return [text.translate(table)], None, set()
    chars = non_ascii_chars(text)
    if len(chars - table.known) > max(LEARN_LIMIT - len(table), UNLEARNED_LIMIT):
        return _cluster_by_cluster(text, table)
    irregular = table.irregular_in(chars)
    if not irregular:
        pieces, omap, extra = _bulk(text, _plan(chars, table), table), None, set()
    else:
        pieces, omap, extra = _with_clusters(text, chars, irregular, table)
        chars = chars - irregular
    changing = chars & table.changing
    return pieces, omap, (chars - changing).union(map(table.out.__getitem__, changing), extra)


def normalize(text: str, fold: bool = True, with_skeleton: bool = False) -> Normalized:
    """Normalize ``text`` for matching, keeping the way back to original offsets.

    With ``with_skeleton`` the result also carries the skeleton of the normalized text (see
    :mod:`termlight.engine.wordchars`), position for position.
    """
    pieces, piece_map, chars = _map_pieces(text, fold)
    pre = "".join(pieces)
    if chars is None:  # too many distinct characters to classify: skip the shortcuts
        chars = set(pre)
        shape = skeleton_by_table if with_skeleton else None
    else:
        wide = wide_word_chars(chars) if with_skeleton and chars else set()
        shape = (lambda text: skeleton(text, wide)) if with_skeleton else None
    if "  " not in pre:
        return Normalized(pre, shape(pre) if shape else None, piece_map, [], [], chars)
    # Keep the first space of every run; the bookkeeping is C-level passes over the runs,
    # since code and Markdown have thousands of them.
    spans = list(map(_span, _SPACE_RUN.finditer(pre)))
    firsts = list(map(_first, spans))
    lasts = list(map(_second, spans))
    ntext = "".join(map(pre.__getitem__, map(slice, [0, *lasts], [*map(add, firsts, repeat(1)), len(pre)])))
    lost = list(accumulate(map(sub, map(sub, lasts, firsts), repeat(1)), initial=0))
    runs = list(map(sub, firsts, lost))
    # The skeleton is a character-by-character function of the text, so it is taken after
    # collapsing rather than collapsed alike.
    return Normalized(ntext, shape(ntext) if shape else None, piece_map, runs, lost, chars)


def fold_ascii(form: str, fold: bool = True) -> str:
    """:func:`normalize_form` of an ASCII form, in one C-level pass or two."""
    # The table turns every ASCII space character into " ", so split() cuts at space runs.
    return " ".join(form.translate(_TABLES[fold]).split())


def normalize_form(form: str, fold: bool = True) -> str:
    """A surface form as the matcher sees it: normalized like text, without outer spaces."""
    if form.isascii():
        return fold_ascii(form, fold)
    return normalize(form, fold).text.strip(" ")
