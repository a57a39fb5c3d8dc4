"""Benchmark inputs: real articles (or a generated stand-in) and glossaries of three sizes.

The articles come from ../shared/corpus when it sits beside the checkout; otherwise a corpus is
generated from the bundled glossary's own definitions and a word list, and every report says
which one was used.  The larger glossaries combine real term lists (when present) with words of
an English word list from PyPI (``english-words``) into one-, two- and three-word terms, seeded so
every run builds the same ones.
"""

from __future__ import annotations

import json
import random
import re
from functools import lru_cache
from pathlib import Path

from termlight import Glossary
from termlight.engine.normalize import normalize_form
from termlight.paths import bundled_glossary

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@lru_cache(maxsize=None)
def english_words() -> list[str]:
    from english_words import get_english_words_set

    return sorted(w for w in get_english_words_set(["web2"], lower=True) if w.isalpha() and len(w) > 2)


def articles() -> tuple[str, list[str]]:
    """(label, texts): the real articles when available, else a generated corpus of similar size."""
    folder = SHARED / "articles"
    files = sorted(folder.glob("*.txt")) if folder.is_dir() else []
    if files:
        return f"real articles ({len(files)} files from {folder})", [f.read_text(encoding="utf-8") for f in files]
    return "generated corpus (../shared/corpus not found)", generated_corpus()


def generated_corpus(paragraphs: int = 2000) -> list[str]:
    rng = random.Random(7)
    bundled = Glossary.load(bundled_glossary())
    sentences = [t.definition for t in bundled.terms.values()]
    words = english_words()
    out = []
    for _ in range(paragraphs):
        parts = rng.sample(sentences, 3) + [" ".join(rng.sample(words, 12)) + "."]
        rng.shuffle(parts)
        out.append(" ".join(parts))
    return ["\n\n".join(out[i : i + 100]) for i in range(0, len(out), 100)]


def _real_terms() -> list[str]:
    folder = SHARED / "termlists"
    forms: list[str] = []
    if folder.is_dir():
        for f in sorted(folder.glob("*.json")):
            for entry in json.loads(f.read_text(encoding="utf-8")):
                forms.append(entry["term"])
                forms.extend(entry.get("aliases", []))
    bundled = Glossary.load(bundled_glossary())
    forms.extend(form for t in bundled.terms.values() for form in t.forms)
    return forms


def generated_glossary(size: int, texts: list[str]) -> list[dict]:
    """``size`` terms: real term lists first, then word combinations, half of them from words
    that occur in the texts so the glossary is dense (most words of the text are hits)."""
    rng = random.Random(size)
    words = english_words()
    word_set = set(words)
    seen_in_text = sorted({w for t in texts for w in re.findall(r"[a-z]{3,}", t.lower())} & word_set)
    forms = iter(_real_terms())
    terms, keys = [], set()
    while len(terms) < size:
        form = next(forms, None)
        if form is None:  # real lists exhausted: combine words
            pool = seen_in_text if rng.random() < 0.5 else words
            form = " ".join(rng.choice(pool) for _ in range(rng.choice((1, 1, 2, 2, 3))))
        key = normalize_form(form)
        if key and key not in keys:
            keys.add(key)
            terms.append({"id": f"t{len(terms)}", "term": form, "definition": "generated"})
    return terms


def write_glossary(terms: list[dict], path: Path) -> Path:
    """A glossary file for the benchmarks that start the service."""
    path.write_text(json.dumps({"name": "bench", "terms": terms}, ensure_ascii=False), encoding="utf-8")
    return path


def http_article(texts: list[str], size: int = 50_000) -> str:
    """About ``size`` bytes of one article, cut at a paragraph end: the longest real article when
    there is one (the Ultra-Scale Playbook), else the generated corpus."""
    longest = max(texts, key=len)
    cut = longest.encode("utf-8")[:size].decode("utf-8", "ignore")
    end = cut.rfind("\n\n")
    return cut[:end] if end > size // 2 else cut


def glossaries(texts: list[str]) -> list[tuple[str, list[dict]]]:
    bundled = Glossary.load(bundled_glossary())
    small = [dict(t.to_dict(), case_sensitive=t.case_sensitive) for t in bundled.terms.values()]
    for t in small:
        del t["glossary"]
        if t["case_sensitive"] is None:
            del t["case_sensitive"]
    return [
        (f"bundled ({len(small)} terms)", small),
        ("10k terms", generated_glossary(10_000, texts)),
        ("100k terms", generated_glossary(100_000, texts)),
    ]
