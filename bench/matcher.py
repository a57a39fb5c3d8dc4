"""Matcher throughput and build time against flashtext and a bare pyahocorasick scan.

    python -m bench.matcher        (or: make bench)
"""

from __future__ import annotations

import re
import sys

import ahocorasick
from flashtext import KeywordProcessor

from bench.inputs import articles, glossaries
from bench.timing import side_by_side, table
from termlight import Glossary
from termlight.matcher import FormEntry, Matcher


def bare_automaton(terms: list[dict]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for t in terms:
        for form in [t["term"], *t.get("aliases", [])]:
            automaton.add_word(form.lower(), t["id"])
    automaton.make_automaton()
    return automaton


def flashtext_processor(terms: list[dict]) -> KeywordProcessor:
    kp = KeywordProcessor()
    for t in terms:
        for form in [t["term"], *t.get("aliases", [])]:
            kp.add_keyword(form, t["id"])
    return kp


def entries(terms: list[dict]) -> list[FormEntry]:
    return [FormEntry(t["id"], "g", f, t.get("case_sensitive")) for t in terms for f in [t["term"], *t.get("aliases", [])]]


def agreement(glossary: Glossary, kp: KeywordProcessor, texts: list[str]) -> str:
    """Share of flashtext's spans that termlight reports identically, on ASCII text where the
    two mean the same (flashtext has no Unicode normalization, plurals or case rules)."""
    ours = theirs = same = 0
    for text in texts:
        if not text.isascii():
            continue
        mine = {(m.start, m.end) for m in glossary.match(text)}
        other = {(s, e) for _, s, e in kp.extract_keywords(text, span_info=True)}
        ours += len(mine)
        theirs += len(other)
        same += len(mine & other)
    return f"{same / max(theirs, 1):.0%} of flashtext's {theirs} spans also ours ({ours} ours)"


def main() -> int:
    label, texts = articles()
    size_mb = sum(len(t.encode()) for t in texts) / 1e6
    print(f"text: {label}, {size_mb:.2f} MB")
    rows, build_rows = [], []
    for name, terms in glossaries(texts):
        glossary = Glossary.from_terms(terms)
        bare = bare_automaton(terms)
        kp = flashtext_processor(terms)
        lowered = [t.lower() for t in texts]
        times = side_by_side({
            "termlight": lambda: [glossary.match(t) for t in texts],
            "flashtext": lambda: [kp.extract_keywords(t, span_info=True) for t in texts],
            "bare iter": lambda: [list(bare.iter(t)) for t in lowered],
        }, rounds=5)
        rows.append([name, f"{size_mb / times['termlight']:.1f}", f"{size_mb / times['flashtext']:.1f}",
                     f"{size_mb / times['bare iter']:.1f}", f"{times['flashtext'] / times['termlight']:.2f}x",
                     f"{times['bare iter'] / times['termlight']:.2f}x", agreement(glossary, kp, texts)])
        forms = entries(terms)
        build = side_by_side({"termlight": lambda: Matcher(forms), "bare build": lambda: bare_automaton(terms)}, rounds=3)
        build_rows.append([name, f"{build['termlight']:.2f}", f"{build['bare build']:.2f}",
                           f"{build['termlight'] / build['bare build']:.2f}x"])
        print(f"  measured {name}", file=sys.stderr)
    print("\nMatcher throughput (MB/s, median of 5 interleaved rounds; ratios >1 mean termlight is faster)")
    print(table(["glossary", "termlight", "flashtext", "bare iter", "vs flashtext", "vs bare iter", "agreement"], rows))
    print("\nMatcher build (seconds, median of 3; target: termlight <= 3x the bare build)")
    print(table(["glossary", "termlight", "bare build", "ratio"], build_rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
