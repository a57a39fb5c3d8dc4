"""The public entry point: a validated set of glossaries with a compiled matcher.

``Glossary`` is what the CLI, the service and the tests all hold.  It is immutable once built,
so the service can swap a freshly loaded one in on hot reload without locking.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from operator import itemgetter
from collections.abc import Mapping
from dataclasses import fields
from typing import Iterable

from termlight.loader import Source, form_entries, load_sources, read_sources
from termlight.model import GlossaryInfo, Term
from termlight.engine.context import CONTEXT_MIN, apply_rules
from termlight.engine.matcher import Matcher
from termlight.engine.normalize import normalize_form
from termlight.engine.offsets import check_unit, convert_spans
from termlight.paths import GlossarySpec


# The one search rule, shown by `termlight terms --help`, GET /v1/terms in /docs and the home page.
SEARCH_RULE = ("a term is found when its name or one of its aliases starts with the query, or has a later "
               "word that does (case-insensitive, normalized like matching); exact names first, then names "
               "that start with the query, then the rest")


class Match(tuple):
    """One match: ``[start, end)`` in the requested unit, and the original text under it.

    A plain tuple underneath ``(start, end, term_id, text, alternatives, why)``, built by the
    tuple constructor in C: a large text can have tens of thousands of matches.
    """

    __slots__ = ()
    start = property(itemgetter(0), doc="first position, in the requested unit")
    end = property(itemgetter(1), doc="position after the last, in the requested unit")
    term_id = property(itemgetter(2))
    text = property(itemgetter(3), doc="the original substring")
    alternatives = property(itemgetter(4), doc="ids of terms in other glossaries with the same form")
    why = property(itemgetter(5), doc='why it matched: "term" or "alias", then "plural", "context" or "ambiguous"')

    def __repr__(self) -> str:
        return f"Match(start={self[0]}, end={self[1]}, term_id={self[2]!r}, text={self[3]!r})"


class TermTable(Mapping):
    """The terms by id: a read-only mapping that a cached glossary fills as terms are asked for.

    A pickled Term is an object with its own ``__dict__``; a pickled row is one tuple.  With
    100k terms that is the difference between a tenth of a second and a fiftieth when a worker
    loads a cached glossary, and a match request only ever needs the few terms it found.
    """

    __slots__ = ("_made", "_rows")
    FIELDS = tuple(field.name for field in fields(Term))

    def __init__(self, terms: Iterable[Term] = ()):
        self._made: dict[str, Term] = {t.id: t for t in terms}
        self._rows: dict[str, tuple] | None = None

    def __getstate__(self):
        if self._rows is not None and len(self._made) < len(self._rows):
            rows = self._rows
        else:
            rows = {key: tuple(map(vars(term).__getitem__, self.FIELDS)) for key, term in self._made.items()}
        return rows

    def __setstate__(self, rows: dict[str, tuple]) -> None:
        self._rows = rows
        self._made = {}

    def __getitem__(self, key: str) -> Term:
        term = self._made.get(key)
        if term is None:
            if self._rows is None:
                raise KeyError(key)
            row = self._rows[key]
            term = object.__new__(Term)  # what unpickling does: fields set without __init__
            vars(term).update(zip(self.FIELDS, row))
            self._made[key] = term
        return term

    def __iter__(self):
        return iter(self._made if self._rows is None else self._rows)

    def __len__(self) -> int:
        return len(self._made if self._rows is None else self._rows)

    def __repr__(self) -> str:
        return f"<TermTable of {len(self)} terms>"


class Glossary:
    """Terms from one or more glossaries, ready to match text."""

    def __init__(self, infos: list[GlossaryInfo], terms: list[Term], matcher: Matcher | None = None):
        self.glossaries = list(infos)
        self.terms: Mapping[str, Term] = TermTable(terms)
        self.version = _version(infos, terms)
        self._matcher = matcher or Matcher(
            entry for t in terms for entry in form_entries(t)
        )
        self._search_index: list[tuple[str, Term]] | None = None  # built on the first search

    def __getstate__(self) -> dict:
        # The search index is cheap to rebuild and would make a cached glossary slower to load.
        return dict(self.__dict__, _search_index=None)

    @classmethod
    def load(cls, path: GlossarySpec, cache: bool | str | Path = False) -> "Glossary":
        """Load a glossary file or a directory of them, or several (a list, or comma-separated
        paths); raises GlossaryError listing every problem.

        With ``cache`` (True for the default directory, or a directory), the compiled glossary
        is kept on disk and loaded from there while the files stay the same (see
        :mod:`termlight.cache`): seconds become a fraction of a second for large glossaries.
        """
        if cache is False or cache is None:
            return cls._from_sources(read_sources(path))
        from termlight.cache import load_cached

        return load_cached(path, cls.load, None if cache is True else cache)

    @classmethod
    def from_terms(
        cls, terms: Iterable[dict], glossary_id: str = "default", name: str | None = None, description: str = ""
    ) -> "Glossary":
        """Build from term dictionaries in the file format, validated the same way as a file."""
        data = {"name": name or glossary_id, "description": description, "terms": list(terms)}
        return cls._from_sources([Source(glossary_id, f"<{glossary_id}>", data)])

    @classmethod
    def _from_sources(cls, sources: list[Source]) -> "Glossary":
        infos, terms = load_sources(sources)
        return cls(infos, terms)

    def match(self, text: str, offsets: str = "codepoint", glossaries: Iterable[str] | None = None,
              context: bool = True) -> list[Match]:
        """Every term in ``text``: leftmost-longest, whole words, sorted and non-overlapping.

        With ``context`` (the default), a form marked ambiguous counts only when ``text`` also
        holds enough unambiguous terms of its glossary (see :mod:`termlight.engine.context`)."""
        [run], _, _ = self._runs([text], offsets, glossaries, context, False)
        return list(map(Match, zip(*run)))

    def _spans(self, text: str, offsets: str, allowed: frozenset[str] | None):
        """Parallel lists (starts, ends, term ids, texts, alternatives, hows) of the matcher's picks."""
        starts, ends, ids, alts, hows = self._matcher.find(text, allowed)
        texts = list(map(text.__getitem__, map(slice, starts, ends)))
        starts, ends = convert_spans(text, offsets, starts, ends)
        return starts, ends, ids, texts, alts, hows

    def _runs(self, texts: list[str], offsets: str, glossaries: Iterable[str] | None, context: bool, explain: bool):
        """The matches of each text (their last column says why), after the rules that look at
        all the texts together; what those rules dropped; the context counts."""
        allowed = frozenset(glossaries) if glossaries is not None else None
        check_unit(offsets)
        runs = [self._spans(one, offsets, allowed) for one in texts]
        return apply_rules(runs, self._glossary_of, context, explain)

    def _glossary_of(self, term_id: str) -> str:
        return self.terms[term_id].glossary

    def match_document(
        self,
        text: str | None = None,
        texts: list[str] | None = None,
        offsets: str = "utf16",
        glossaries: Iterable[str] | None = None,
        context: bool = True,
        explain: bool = False,
    ) -> dict:
        """The JSON body of ``POST /v1/match`` (and of ``termlight match``): matches and each term once.

        ``context``: apply the context rule to ambiguous forms; ``explain``: also list, per text,
        what the rules dropped (``suppressed``) and the context found (``context``)."""
        found: dict[str, dict] = {}
        runs, dropped, counts = self._runs([text or ""] if texts is None else texts, offsets, glossaries, context, explain)

        def run(spans, gone) -> dict:
            # Built straight from the parallel lists: a long page has thousands of matches.
            starts, ends, ids, texts, alts, whys = spans
            order = [term_id for first, alt in zip(ids, alts) for term_id in (first, *alt)] if any(alts) else ids
            for term_id in dict.fromkeys(order):
                if term_id not in found:
                    found[term_id] = self.terms[term_id].to_dict()
            out = [{"start": s, "end": e, "term_id": i, "text": t, "why": w}
                   for s, e, i, t, w in zip(starts, ends, ids, texts, whys)]
            if any(alts):
                for entry, alt in zip(out, alts):
                    if alt:
                        entry["alternatives"] = list(alt)
            result = {"matches": out}
            if explain:
                result["suppressed"] = [{"start": s, "end": e, "term_id": i, "text": t, "reason": r}
                                        for s, e, i, t, r in gone]
            return result

        results = list(map(run, runs, dropped))
        body: dict = {"results": results} if texts is not None else dict(results[0])
        if explain:
            body["context"] = {"needed": CONTEXT_MIN if context else 0, "found": counts}
        body.update({"terms": found, "offsets": offsets, "glossary_version": self.version})
        return body

    def search(self, query: str, glossary: str | None = None) -> list[Term]:
        """Terms found by ``query`` under :data:`SEARCH_RULE`, best first.

        A form that starts with the query ranks above one where only a later word does
        ("model" finds "Model Card" before "Base Model"); an empty query lists every term.
        """
        if self._search_index is None:
            self._search_index = [(normalize_form(form), t) for t in self.terms.values() for form in t.forms]
        q = normalize_form(query)
        ranked: dict[str, tuple[int, Term]] = {}
        for folded, term in self._search_index:
            if glossary is not None and term.glossary != glossary:
                continue
            if not q:
                rank = 2
            elif folded == q:
                rank = 0
            elif folded.startswith(q):
                rank = 1
            elif (" " + q) in (" " + folded):
                rank = 2
            else:
                continue
            if term.id not in ranked or rank < ranked[term.id][0]:
                ranked[term.id] = (rank, term)
        order = sorted(ranked.values(), key=lambda rt: (rt[0], rt[1].term.casefold()))
        return [term for _, term in order]

    def __len__(self) -> int:
        return len(self.terms)

    def __repr__(self) -> str:
        return f"<Glossary {len(self.terms)} terms in {len(self.glossaries)} glossaries, version {self.version}>"


def _version(infos: list[GlossaryInfo], terms: list[Term]) -> str:
    """A short hash of the content, so clients can tell when the glossary changed."""
    payload = {
        "glossaries": [i.to_dict() for i in infos],
        "terms": [dict(t.to_dict(), case_sensitive=t.case_sensitive, ambiguous=t.ambiguous, exclude=t.exclude)
                  for t in terms],
    }
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:16]
