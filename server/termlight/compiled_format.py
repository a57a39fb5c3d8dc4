"""The compiled glossary for clients (``GET /v1/compiled``): what a browser needs to match a
text exactly as ``POST /v1/match`` would, without sending the text anywhere.

The server does the parts that depend on Python and on its Unicode database, and hands over
their results:

* every candidate already normalized (NFKC, case folding, dashes, quotes, spaces), with its
  plural generated and its case rule decided, grouped by normalized form in the order the
  server tries them (explicit forms before generated plurals);
* the character tables a browser cannot derive itself: Python's full case folding
  (JavaScript has only ``toLowerCase``, which differs for ß, ς, ﬁ, Cherokee...), the
  one-character replacements of the normalization, and, from the server's Unicode version,
  which code points are word characters, which attach to the character before them, and
  which are assigned at all (a browser with a newer Unicode must treat the others as the
  server does: as inert symbols).

The format is described field by field in the README ("Local matching"); ``FORMAT_VERSION``
changes whenever a client written for the old format would match differently.
"""

from __future__ import annotations

import gzip
import json
import unicodedata
from functools import lru_cache

from termlight.engine.context import CONTEXT_MIN
from termlight.engine.normalize import CHAR_TABLE, IGNORABLE, MAX_CLUSTER
from termlight.engine.wordchars import is_word_char

FORMAT = "termlight-compiled"
FORMAT_VERSION = 2  # 2: candidates carry rank and HOW bits (excluded, ambiguous, alias); context_min
_MAX_CODE_POINT = 0x110000


def _ranges(flags: bytearray) -> list[int]:
    """The code points whose flag is set, as alternating gaps and lengths: ``[gap, length,
    gap, length, ...]``, each gap counted from the end of the previous range (compact JSON)."""
    out: list[int] = []
    last_end = 0
    at = flags.find(1)
    while at >= 0:
        stop = flags.find(0, at)
        stop = len(flags) if stop < 0 else stop
        out += [at - last_end, stop - at]
        last_end = stop
        at = flags.find(1, stop)
    return out


@lru_cache(maxsize=1)
def unicode_tables() -> dict:
    """The character tables of this Python's Unicode database (the same for every glossary)."""
    category = unicodedata.category
    word, attach, assigned = bytearray(_MAX_CODE_POINT), bytearray(_MAX_CODE_POINT), bytearray(_MAX_CODE_POINT)
    casefold: dict[str, str] = {}
    for cp in range(_MAX_CODE_POINT):
        if 0xD800 <= cp < 0xE000:
            continue  # surrogates: never in a valid text
        ch = chr(cp)
        cat = category(ch)
        if cat == "Cn":
            continue
        assigned[cp] = 1
        if cat[0] in "LMN" or ch == "_":
            word[cp] = is_word_char(ch)
            attach[cp] = cat[0] == "M"
        folded = ch.casefold()
        if folded != ch:
            casefold[str(cp)] = folded
    for ch in IGNORABLE:
        attach[ord(ch)] = 1
    attach[0x1160:0x1200] = b"\x01" * 0xA0  # Hangul vowels and final consonants (as _attaches)
    attach[0xD7B0:0xD800] = b"\x01" * 0x50
    return {
        "unicode_version": unicodedata.unidata_version,
        "max_cluster": MAX_CLUSTER,
        "word": _ranges(word),
        "attach": _ranges(attach),
        "assigned": _ranges(assigned),
        "casefold": casefold,
        "replace": {str(cp): "" if out is None else chr(out) for cp, out in sorted(CHAR_TABLE.items())},
    }


def compiled_document(glossary) -> dict:
    """The compiled form of a :class:`~termlight.Glossary` as a JSON-ready dict."""
    terms: dict[str, int] = {}
    glossary_ids = [info.id for info in glossary.glossaries]
    glossary_index = {gid: i for i, gid in enumerate(glossary_ids)}
    keys = []
    for folded, cands in glossary._matcher.candidate_groups().items():
        entry: list = [folded]
        for term_id, glossary_id, _, cased, rank, how in cands:
            index = terms.setdefault(term_id, len(terms))
            cand = [index, glossary_index[glossary_id], rank, how]
            if cased is not None:
                cand.append(cased)
            entry.append(cand)
        keys.append(entry)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "glossary_version": glossary.version,
        "glossaries": glossary_ids,
        "terms": list(terms),
        "names": [glossary.terms[term_id].term for term_id in terms],
        "keys": keys,
        "context_min": CONTEXT_MIN,
        "tables": unicode_tables(),
    }


class CompiledBodies:
    """The compiled document of one glossary, serialized once and gzipped once (a worker
    answers every client from the same bytes until the glossary changes)."""

    __slots__ = ("version", "plain", "gzipped")

    def __init__(self, glossary):
        self.version = glossary.version
        self.plain = json.dumps(compiled_document(glossary), ensure_ascii=False,
                                separators=(",", ":")).encode("utf-8", "surrogatepass")
        self.gzipped = gzip.compress(self.plain, compresslevel=6, mtime=0)
