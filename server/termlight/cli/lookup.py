"""``termlight match`` and ``termlight terms``: the matcher and the term search from a shell."""

from __future__ import annotations

import argparse
import json
import sys

from termlight.cli.common import CliError, add_glossary_option, comma_list, load_glossary, read_bytes
from termlight.engine.offsets import UNITS
from termlight.glossary import SEARCH_RULE


def cmd_match(args: argparse.Namespace) -> int:
    glossary = load_glossary(args.glossary)
    unknown = set(args.glossaries or ()) - {g.id for g in glossary.glossaries}
    if unknown:
        raise CliError(f"unknown glossary id(s): {', '.join(sorted(unknown))}")
    texts = [read_bytes(name).decode("utf-8", "replace") for name in args.files]
    options = dict(offsets=args.offsets, glossaries=args.glossaries, context=not args.no_context_rule,
                   explain=args.explain)
    if len(texts) == 1:
        doc = glossary.match_document(text=texts[0], **options)
    else:
        doc = glossary.match_document(texts=texts, **options)
    json.dump(doc, sys.stdout, ensure_ascii=False, indent=2 if args.pretty else None)
    sys.stdout.write("\n")
    return 0


def cmd_terms(args: argparse.Namespace) -> int:
    glossary = load_glossary(args.glossary)
    terms = glossary.search(args.query or "", glossary=args.only) if args.query or args.only else glossary.terms.values()
    if args.json:
        json.dump([t.to_dict() for t in terms], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    for term in terms:
        aliases = f"  ({', '.join(term.aliases)})" if term.aliases else ""
        print(f"{term.id}\t{term.term}{aliases}")
    return 0


def register(sub) -> None:
    p = sub.add_parser("match", help="print the terms found in text, as JSON (the shape of POST /v1/match)")
    p.add_argument("files", nargs="+", metavar="FILE", help="text file(s) to read, or - for standard input")
    add_glossary_option(p)
    p.add_argument("--offsets", choices=UNITS, default="codepoint", help="offset unit (default: codepoint)")
    # One value per use (comma-separated, or the option repeated): nargs="+" would swallow FILE.
    p.add_argument("--glossaries", action="extend", type=comma_list, metavar="ID[,ID...]",
                   help="only match terms of these glossary ids (comma-separated, or repeat the option)")
    p.add_argument("--pretty", action="store_true", help="indent the JSON")
    p.add_argument("--no-context-rule", action="store_true", help="let ambiguous forms count without context")
    p.add_argument("--explain", action="store_true", help="also list what the rules suppressed, and the context found")
    p.set_defaults(func=cmd_match)

    p = sub.add_parser("terms", help="list the terms of a glossary, or search them")
    p.add_argument("query", nargs="?", help=f"only terms found by this search: {SEARCH_RULE}")
    add_glossary_option(p)
    p.add_argument("--only", metavar="ID", help="only terms of this glossary id")
    p.add_argument("--json", action="store_true", help="print term objects as JSON")
    p.set_defaults(func=cmd_terms)
