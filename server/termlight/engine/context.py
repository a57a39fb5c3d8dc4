"""After the matcher: excluded forms dropped, the context rule for ambiguous forms, and why each
match matched.

The matcher picks matches text by text; these rules look at a whole request (all its texts, which
for the extension are the blocks of one page) at once:

* a pick of an *excluded* form (EXCLUDED) is never a match: it only kept the terms inside it
  from matching;
* a pick of an *ambiguous* form (AMBIGUOUS: a form that is also an ordinary word, such as
  "attention" or "agent") counts only when the request also holds at least :data:`CONTEXT_MIN`
  different terms of the same glossary found through forms that are not ambiguous.  The number
  comes from measurements on pages about AI and pages that are not (see the README).

A run is the parallel lists ``(starts, ends, term_ids, texts, alternatives, hows)`` of one text.
"""

from __future__ import annotations

from itertools import compress
from typing import Callable

from termlight.engine.keytable import ALIAS, AMBIGUOUS, EXCLUDED, PLURAL

CONTEXT_MIN = 3  # different unambiguous terms of the same glossary that make an ambiguous form count

Run = tuple[list, list, list, list, list, list]


def _why_table(context: bool) -> list[str]:
    table = []
    for how in range(16):
        words = ["alias" if how & ALIAS else "term"]
        if how & PLURAL:
            words.append("plural")
        if how & AMBIGUOUS:
            words.append("context" if context else "ambiguous")
        table.append(" ".join(words))
    return table


WHY = {True: _why_table(True), False: _why_table(False)}


def support(runs: list[Run], glossary_of: Callable[[str], str]) -> dict[str, int]:
    """``{glossary id: how many different terms of it were found by unambiguous forms}``."""
    found: set[str] = set()
    for run in runs:
        ids, hows = run[2], run[5]
        if any(hows):
            found.update(compress(ids, (not h & (AMBIGUOUS | EXCLUDED) for h in hows)))
        else:
            found.update(ids)
    counts: dict[str, int] = {}
    for term_id in found:
        glossary = glossary_of(term_id)
        counts[glossary] = counts.get(glossary, 0) + 1
    return counts


def apply_rules(runs: list[Run], glossary_of: Callable[[str], str], context: bool = True,
                explain: bool = False) -> tuple[list[Run], list[list[tuple]], dict[str, int]]:
    """The runs with excluded forms dropped and (with ``context``) the ambiguous forms that lack
    context; the ``hows`` column becomes the ``why`` strings.  With ``explain``, also what was
    dropped, per run, as ``(start, end, term_id, text, reason)``; and the support counts."""
    needed = explain or any(AMBIGUOUS & h for run in runs for h in run[5])
    counts = support(runs, glossary_of) if context and needed else {}
    why = WHY[context]
    out: list[Run] = []
    dropped: list[list[tuple]] = []
    for starts, ends, ids, texts, alts, hows in runs:
        gone: list[tuple] = []
        if any(hows):
            keep = []
            for i, how in enumerate(hows):
                if how & EXCLUDED:
                    reason = "excluded"
                elif how & AMBIGUOUS and context and counts.get(glossary_of(ids[i]), 0) < CONTEXT_MIN:
                    reason = "no context"
                else:
                    keep.append(True)
                    continue
                keep.append(False)
                if explain:
                    gone.append((starts[i], ends[i], ids[i], texts[i], reason))
            if not all(keep):
                starts, ends, ids, texts, alts, hows = (list(compress(column, keep)) for column in
                                                        (starts, ends, ids, texts, alts, hows))
            out.append((starts, ends, ids, texts, alts, [why[h] for h in hows]))
        else:
            out.append((starts, ends, ids, texts, alts, [why[0]] * len(ids)))
        dropped.append(gone)
    return out, dropped, counts
