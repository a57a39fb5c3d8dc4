"""Stray highlights on pages that are not about AI, and matches kept on pages that are.

``python -m bench.stray [--corpus DIR] [--no-context-rule]``: each file is one page, its blocks
(separated by blank lines) sent together as ``texts``, the way the extension sends a page.

* off-domain pages (``bench/offdomain``, written for this project, and ``DIR/offdomain``): every
  match is a stray highlight; reported per 1,000 words (for Japanese, whose words are not
  separated by spaces, every two characters of a no-space script count as a word);
* AI articles (``DIR/articles``): the matches, to compare with the count before a change.

Runs on any termlight that has ``Glossary.match_document``, so the same script measures the code
before a change (``PYTHONPATH=old/server python -m bench.stray``).
"""

from __future__ import annotations

import argparse
import collections
import inspect
import re
import sys
from pathlib import Path

from termlight import Glossary

HERE = Path(__file__).parent
DEFAULT_CORPUS = next((p for p in (HERE.parents[1] / "shared" / "corpus", HERE.parents[2] / "shared" / "corpus")
                       if p.is_dir()), None)
_NO_SPACE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def blocks(path: Path) -> list[str]:
    return [b for b in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")) if b.strip()]


def words(texts: list[str]) -> int:
    text = "\n".join(texts)
    no_space = len(_NO_SPACE.findall(text))
    return len(_NO_SPACE.sub(" ", text).split()) + no_space // 2


def matches(glossary: Glossary, texts: list[str], context: bool) -> list[dict]:
    options = {}
    if "context" in inspect.signature(glossary.match_document).parameters:
        options["context"] = context
    doc = glossary.match_document(texts=texts, **options)
    return [m for result in doc["results"] for m in result["matches"]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.stray", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="the shared corpus folder")
    parser.add_argument("--glossary", default="glossary/ai.json")
    parser.add_argument("--no-context-rule", action="store_true")
    args = parser.parse_args(argv)
    glossary = Glossary.load(args.glossary)
    context = not args.no_context_rule
    pages = sorted((HERE / "offdomain").glob("*.txt"))
    if args.corpus:
        pages += sorted((args.corpus / "offdomain").glob("*.txt"))
    print("| off-domain page | words | stray highlights | per 1,000 words | what |")
    print("|---|---|---|---|---|")
    total_words = total_stray = 0
    for page in pages:
        texts = blocks(page)
        found = matches(glossary, texts, context)
        n_words = words(texts)
        total_words += n_words
        total_stray += len(found)
        what = ", ".join(f"{t} ×{n}" if n > 1 else t
                         for t, n in collections.Counter(m["text"] for m in found).most_common(8))
        print(f"| {page.name} | {n_words:,} | {len(found)} | {1000 * len(found) / n_words:.2f} | {what} |")
    print(f"| **all** | {total_words:,} | {total_stray} | **{1000 * total_stray / total_words:.2f}** | |")
    if args.corpus:
        print()
        print("| AI article | matches |")
        print("|---|---|")
        total = 0
        for page in sorted((args.corpus / "articles").glob("*.txt")):
            n = len(matches(glossary, blocks(page), context))
            total += n
            print(f"| {page.name} | {n:,} |")
        print(f"| **all** | **{total:,}** |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
