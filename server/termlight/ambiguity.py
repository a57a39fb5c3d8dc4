"""Finding the forms that are also ordinary English words: candidates for ``"ambiguous"``.

Used by ``termlight check --suggest-ambiguous`` and ``termlight import`` (never while matching):
a form is a candidate when it is one word of Latin letters, matches in any case (an exact-case
form such as "RoPE" or "AI" is already safe from the ordinary word), is not marked ambiguous yet,
and is common in English according to the ``wordfreq`` package: a Zipf frequency of at least
:data:`ZIPF_MIN` (3 is once per million words; 2.4 catches "copilot").
"""

from __future__ import annotations

import re
from typing import Iterable, NamedTuple

from termlight.engine.forms import effective_case_sensitive

ZIPF_MIN = 2.4
_ONE_WORD = re.compile(r"^[A-Za-z]+$")


class Candidate(NamedTuple):
    term_id: str
    form: str
    zipf: float

    def __str__(self) -> str:
        return (f"term {self.term_id!r}: {self.form!r} is a common English word (Zipf {self.zipf:.1f}); "
                f"if it is also an ordinary word, list it in \"ambiguous\"")


def word_frequency():
    """wordfreq's ``zipf_frequency``, or None when the package is not installed."""
    try:
        from wordfreq import zipf_frequency
    except ImportError:
        return None
    return zipf_frequency


def candidates(terms: Iterable, zipf=None) -> list[Candidate]:
    """The forms of ``terms`` (Term objects, or term dictionaries in the file format) that look
    like ordinary English words and are not marked ambiguous, most common first."""
    zipf = zipf or word_frequency()
    if zipf is None:
        raise RuntimeError("finding ambiguous forms needs the wordfreq package: pip install 'termlight[suggest]'")
    out = []
    for term in terms:
        term_id, forms, marked, case = _fields(term)
        for form in forms:
            if form in marked or not _ONE_WORD.match(form) or effective_case_sensitive(form, case):
                continue
            score = zipf(form.lower(), "en")
            if score >= ZIPF_MIN:
                out.append(Candidate(term_id, form, score))
    out.sort(key=lambda c: (-c.zipf, c.term_id, c.form))
    return out


def _fields(term) -> tuple[str, tuple[str, ...], set[str], bool | None]:
    if isinstance(term, dict):
        forms = (term.get("term", ""), *term.get("aliases", ()))
        marked = term.get("ambiguous")
        marked = set(forms) if marked is True else set(marked or ())
        return term.get("id") or term.get("term", ""), forms, marked, term.get("case_sensitive")
    return term.id, term.forms, set(term.ambiguous), term.case_sensitive
