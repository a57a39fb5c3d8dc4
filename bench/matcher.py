"""Matcher throughput and build time against flashtext and a bare pyahocorasick scan.

    python -m bench.matcher        (all benchmarks: python -m bench, or make bench)

Throughput: ``Glossary.match`` (normalization, whole-word and case rules, plurals, overlaps,
offsets, Match objects) against flashtext's ``extract_keywords(span_info=True)`` and against a
bare ``Automaton.iter`` over the lower-cased text with the lower-cased forms, which does none of
that and reports every occurrence, inside words too.

The *floor* table shows what no pure-Python matcher on pyahocorasick can undercut: normalizing
the text (the contract requires it), scanning it once with termlight's own automaton and building
the Match objects of the result, with nothing in between.
"""

from __future__ import annotations

import sys

import ahocorasick
from flashtext import KeywordProcessor

from bench.inputs import articles, glossaries
from bench.timing import side_by_side, table
from termlight import Glossary, Match
from termlight.engine.matcher import FormEntry, Matcher
from termlight.engine.normalize import normalize


def forms_of(t: dict) -> list[str]:
    return [t["term"], *t.get("aliases", [])]


def bare_automaton(terms: list[dict]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for t in terms:
        for form in forms_of(t):
            automaton.add_word(form.lower(), (t["id"], form.lower()))
    automaton.make_automaton()
    return automaton


def flashtext_processor(terms: list[dict]) -> KeywordProcessor:
    kp = KeywordProcessor()
    for t in terms:
        for form in forms_of(t):
            kp.add_keyword(form, t["id"])
    return kp


def entries(terms: list[dict]) -> list[FormEntry]:
    return [FormEntry(t["id"], "g", f, t.get("case_sensitive")) for t in terms for f in forms_of(t)]


def agreement(glossary: Glossary, kp: KeywordProcessor, bare, terms: list[dict], texts: list[str]) -> tuple[str, str]:
    """Where the semantics agree, do the outputs?  On ASCII texts (flashtext normalizes nothing):

    * flashtext: the share of its spans that termlight reports too (it ignores case rules and
      plurals, so it finds "ai" in "Meta ai", and misses "LLMs");
    * the bare scan: every termlight match that is written exactly like a form (no plural, no
      normalization) must be one of its hits.
    """
    forms = {f.lower() for t in terms for f in forms_of(t)}
    theirs = same = exact = confirmed = 0
    for text in texts:
        if not text.isascii():
            continue
        mine = glossary.match(text)
        other = {(s, e) for _, s, e in kp.extract_keywords(text, span_info=True)}
        theirs += len(other)
        same += len(other & {(m.start, m.end) for m in mine})
        hits = {(end, value[1]) for end, value in bare.iter(text.lower())}
        for m in mine:
            if m.text.lower() in forms:
                exact += 1
                confirmed += (m.end - 1, m.text.lower()) in hits
    return (f"{same / max(theirs, 1):.0%} of its {theirs} spans",
            f"{confirmed}/{exact} exact-form matches")


def floor_seconds(glossary: Glossary, texts: list[str]) -> float:
    """CPU seconds to normalize every text (the contract requires it), scan it with termlight's
    own anchored automaton and build the Match objects of termlight's result: the part no
    Python-level trick can remove."""
    automaton = glossary._matcher._anchored
    scans = [" " + normalize(t, with_skeleton=True).skeleton + " " for t in texts]
    found = [glossary._matcher.find(t) for t in texts]

    def normalized():
        return [normalize(t, with_skeleton=True) for t in texts]

    def scan():
        return [list(automaton.iter(s)) for s in scans]

    def output():
        return [list(map(Match, zip(s, e, i, map(t.__getitem__, map(slice, s, e)), a, h)))
                for t, (s, e, i, a, h) in zip(texts, found)]

    times = side_by_side({"normalize": normalized, "scan": scan, "output": output}, rounds=7)
    return sum(times.values())


def run(log=print) -> dict:
    """Measure everything; returns the report as Markdown sections."""
    label, texts = articles()
    size_mb = sum(len(t.encode()) for t in texts) / 1e6
    rows, build_rows, floor_rows = [], [], []
    for name, terms in glossaries(texts):
        glossary = Glossary.from_terms(terms)
        bare = bare_automaton(terms)
        kp = flashtext_processor(terms)
        lowered = [t.lower() for t in texts]
        times = side_by_side({
            "termlight": lambda: [glossary.match(t) for t in texts],
            "flashtext": lambda: [kp.extract_keywords(t, span_info=True) for t in texts],
            "bare iter": lambda: [list(bare.iter(t)) for t in lowered],
        })
        flash_agree, bare_agree = agreement(glossary, kp, bare, terms, texts)
        rows.append([name, f"{size_mb / times['termlight']:.1f}", f"{size_mb / times['flashtext']:.1f}",
                     f"{size_mb / times['bare iter']:.1f}", f"{times['flashtext'] / times['termlight']:.2f}x",
                     f"{times['bare iter'] / times['termlight']:.2f}x", flash_agree, bare_agree])
        floor = floor_seconds(glossary, texts)
        floor_rows.append([name, f"{times['flashtext'] / 3 * 1e3:.1f}", f"{floor * 1e3:.1f}",
                           f"{times['termlight'] * 1e3:.1f}", "yes" if floor <= times["flashtext"] / 3 else "no"])
        forms = entries(terms)
        build = side_by_side({"termlight": lambda: Matcher(forms), "bare build": lambda: bare_automaton(terms)}, rounds=3)
        build_rows.append([name, str(len(forms)), f"{build['termlight']:.2f}", f"{build['bare build']:.2f}",
                           f"{build['termlight'] / build['bare build']:.2f}x"])
        log(f"  measured {name}")
    return {
        "throughput": (
            f"Text: {label}, {size_mb:.2f} MB. Throughput in MB/s (CPU time, median of 7 interleaved rounds); "
            "ratios above 1 mean termlight is faster. Targets: 3x flashtext, 0.5x the bare scan.\n\n"
            + table(["glossary", "termlight", "flashtext", "bare iter", "vs flashtext", "vs bare iter",
                     "flashtext agrees", "bare scan agrees"], rows)),
        "floor": (
            "Time for all texts in ms. flashtext / 3 is what the 3x target allows; the floor is normalizing the "
            "texts, termlight's own automaton scan and building its Match objects, without checks or selection.\n\n"
            + table(["glossary", "flashtext / 3", "floor", "termlight", "target reachable"], floor_rows)),
        "build": (
            "Building the matcher (seconds of CPU, median of 3) against pyahocorasick's bare build over the same "
            "forms (add_word + make_automaton). Target: at most 3x.\n\n"
            + table(["glossary", "forms", "termlight", "bare build", "ratio"], build_rows)),
    }


def main() -> int:
    report = run(log=lambda msg: print(msg, file=sys.stderr))
    for title, body in report.items():
        print(f"\n## Matcher {title}\n\n{body}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
