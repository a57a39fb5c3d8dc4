"""``termlight check``, ``import`` and ``export``: glossary files in and out."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from termlight.ambiguity import candidates, word_frequency
from termlight.cli.database import import_into_database, team_document
from termlight.cli.common import CliError, add_glossary_option, glossary_path, load_glossary, read_bytes, write_text
from termlight.errors import GlossaryError
from termlight.export import ExportError, glossary_document, pick_glossary, to_csv
from termlight.glossary import Glossary
from termlight.importer import CsvError, import_csv, neighbours
from termlight.loader import Source, load_sources


def cmd_check(args: argparse.Namespace) -> int:
    try:
        glossary = Glossary.load(glossary_path(args.path))
    except GlossaryError as exc:
        for problem in exc.problems:
            print(problem)
        print(f"{len(exc.problems)} problem{'s' if len(exc.problems) != 1 else ''} found", file=sys.stderr)
        return 1
    count = len(glossary.glossaries)
    names = ", ".join(f"{g.id} ({g.term_count})" for g in glossary.glossaries)
    print(f"ok: {len(glossary)} terms in {count} glossar{'y' if count == 1 else 'ies'}: {names}; version {glossary.version}")
    if args.suggest_ambiguous:
        _print_candidates(glossary.terms.values(), sys.stdout)
    return 0


def _print_candidates(terms, stream) -> None:
    """The forms that look like ordinary English words (see termlight.ambiguity)."""
    if word_frequency() is None:
        raise CliError("finding ambiguous forms needs the wordfreq package: pip install 'termlight[suggest]'")
    found = candidates(terms)
    for candidate in found:
        print(f"hint: {candidate}", file=stream)
    print(f"{len(found)} form{'s' if len(found) != 1 else ''} may be ordinary words", file=stream)


def _final_check(out: Path, doc: dict) -> None:
    """The written file must pass `termlight check` on its folder; the importer's checks mean it does."""
    try:
        load_sources([*neighbours(out), Source(out.stem, str(out), doc)])
    except GlossaryError as exc:
        mine = [p for p in exc.problems if p.file == str(out)]
        for problem in mine:
            print(problem, file=sys.stderr)
        if mine:
            raise CliError(f"the imported glossary is not valid ({len(mine)} problem(s)); nothing written") from exc


def cmd_import(args: argparse.Namespace) -> int:
    if args.database:
        return import_into_database(args.csv, None)
    if not args.output:
        raise CliError("say where to write the glossary (-o FILE.json), or import into the team glossary (--database)")
    out = Path(args.output)
    try:
        result = import_csv(read_bytes(args.csv), args.csv, out)
    except CsvError as exc:
        raise CliError(str(exc)) from None
    for error in result.errors:
        print(error, file=sys.stderr)
    bad = len(result.problems)
    if bad and not args.keep_going:
        raise CliError(f"{bad} bad row(s); nothing written (use --keep-going to write the good rows)")
    doc = {"name": args.name or out.stem, "description": args.description, "terms": result.terms}
    _final_check(out, doc)
    write_text(str(out), json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    print(f"wrote {len(result.terms)} terms to {out}" + (f"; {bad} bad row(s) left out" if bad else ""), file=sys.stderr)
    if args.suggest_ambiguous:
        _print_candidates(result.terms, sys.stderr)
    return 1 if bad else 0


def cmd_export(args: argparse.Namespace) -> int:
    fmt = args.format or ("csv" if (args.output or "").lower().endswith(".csv") else "json")
    try:
        if args.database:
            doc = team_document(None)
        else:
            glossary = load_glossary(args.glossary)
            doc = glossary_document(glossary, pick_glossary(glossary, args.only))
        text = to_csv(doc) if fmt == "csv" else json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    except ExportError as exc:
        raise CliError(str(exc)) from None
    write_text(args.output, text)
    if args.output not in (None, "-"):
        print(f"wrote {len(doc['terms'])} terms to {args.output}", file=sys.stderr)
    return 0


def register(sub) -> None:
    p = sub.add_parser("check", help="validate a glossary file or directory and list every problem")
    p.add_argument("path", help="glossary file or directory; several comma-separated, 'bundled' for the bundled one")
    p.add_argument("--suggest-ambiguous", action="store_true",
                   help="also list forms that are common English words and not marked ambiguous (needs wordfreq)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("import", help="turn a CSV export (term, definition, aliases, url, tags) into a glossary")
    p.add_argument("csv", help="CSV file (UTF-8), or - for standard input")
    p.add_argument("-o", "--output", help="glossary JSON file to write")
    p.add_argument("--database", action="store_true",
                   help="instead, load the CSV (or a glossary JSON file) into the team glossary's database "
                        "(TERMLIGHT_DATABASE_URL), in one transaction")
    p.add_argument("--name", help="the glossary's name (default: the output file name)")
    p.add_argument("--description", default="", help="the glossary's description")
    p.add_argument("--keep-going", action="store_true", help="write the good rows even if some rows are bad")
    p.add_argument("--suggest-ambiguous", action="store_true",
                   help="also list forms that are common English words and not marked ambiguous (needs wordfreq)")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="write a glossary as CSV (for a spreadsheet) or as a glossary JSON file")
    add_glossary_option(p)
    p.add_argument("--only", metavar="ID", help="the glossary id to export (needed when several are loaded)")
    p.add_argument("--database", action="store_true",
                   help="export the team glossary from the database (TERMLIGHT_DATABASE_URL) instead")
    p.add_argument("--format", choices=("csv", "json"), help="default: csv when OUTPUT ends in .csv, else json")
    p.add_argument("-o", "--output", help="file to write (default: standard output)")
    p.set_defaults(func=cmd_export)
