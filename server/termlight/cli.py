"""The ``termlight`` command: the same core as the service, from a shell.

Every subcommand turns expected failures (a missing file, a broken glossary, bad CSV) into one
line on stderr and a non-zero exit code; a traceback would only mean a bug in termlight.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from termlight import __version__
from termlight.errors import GlossaryError
from termlight.glossary import Glossary
from termlight.importer import read_csv
from termlight.engine.offsets import UNITS
from termlight.paths import bundled_glossary


class CliError(Exception):
    """An expected failure with a message for the user."""


def _glossary_path(value: str | None) -> Path:
    return Path(value or os.environ.get("TERMLIGHT_GLOSSARY") or bundled_glossary())


def _load(value: str | None) -> Glossary:
    return Glossary.load(_glossary_path(value))


def _read_input(name: str) -> str:
    if name == "-":
        return sys.stdin.buffer.read().decode("utf-8", "replace")
    try:
        return Path(name).read_bytes().decode("utf-8", "replace")
    except OSError as exc:
        raise CliError(f"cannot read {name}: {exc.strerror or exc}") from exc


def cmd_match(args: argparse.Namespace) -> int:
    glossary = _load(args.glossary)
    unknown = set(args.glossaries or ()) - {g.id for g in glossary.glossaries}
    if unknown:
        raise CliError(f"unknown glossary id(s): {', '.join(sorted(unknown))}")
    texts = [_read_input(name) for name in args.files]
    options = dict(offsets=args.offsets, glossaries=args.glossaries, context=not args.no_context_rule,
                   explain=args.explain)
    if len(texts) == 1:
        doc = glossary.match_document(text=texts[0], **options)
    else:
        doc = glossary.match_document(texts=texts, **options)
    json.dump(doc, sys.stdout, ensure_ascii=False, indent=2 if args.pretty else None)
    sys.stdout.write("\n")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    try:
        glossary = Glossary.load(args.path)
    except GlossaryError as exc:
        for problem in exc.problems:
            print(problem)
        print(f"{len(exc.problems)} problem{'s' if len(exc.problems) != 1 else ''} found", file=sys.stderr)
        return 1
    names = ", ".join(f"{g.id} ({g.term_count})" for g in glossary.glossaries)
    print(f"ok: {len(glossary)} terms in {len(glossary.glossaries)} glossar{'y' if len(glossary.glossaries) == 1 else 'ies'}: {names}; version {glossary.version}")
    if args.suggest_ambiguous:
        _print_candidates(glossary.terms.values(), sys.stdout)
    return 0


def _print_candidates(terms, stream) -> None:
    """The forms that look like ordinary English words (see termlight.ambiguity)."""
    from termlight.ambiguity import candidates, word_frequency

    if word_frequency() is None:
        raise CliError("finding ambiguous forms needs the wordfreq package: pip install wordfreq")
    found = candidates(terms)
    for candidate in found:
        print(f"hint: {candidate}", file=stream)
    print(f"{len(found)} form{'s' if len(found) != 1 else ''} may be ordinary words", file=stream)


def cmd_terms(args: argparse.Namespace) -> int:
    glossary = _load(args.glossary)
    terms = glossary.search(args.query or "", glossary=args.only) if args.query or args.only else glossary.terms.values()
    if args.json:
        json.dump([t.to_dict() for t in terms], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    for term in terms:
        aliases = f"  ({', '.join(term.aliases)})" if term.aliases else ""
        print(f"{term.id}\t{term.term}{aliases}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    result = read_csv(_read_input(args.csv), source=args.csv)
    for error in result.errors:
        print(error, file=sys.stderr)
    if result.errors and not args.keep_going:
        raise CliError(f"{len(result.errors)} bad row(s); nothing written (use --keep-going to write the good rows)")
    name = args.name or Path(args.output).stem
    try:
        Glossary.from_terms(result.terms, glossary_id=Path(args.output).stem, name=name)
    except GlossaryError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        raise CliError(f"the imported glossary is not valid ({len(exc.problems)} problem(s)); nothing written") from exc
    doc = {"name": name, "description": args.description, "terms": result.terms}
    out = Path(args.output)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise CliError(f"cannot write {out}: {exc.strerror or exc}") from exc
    print(f"wrote {len(result.terms)} terms to {out}", file=sys.stderr)
    from termlight.ambiguity import word_frequency

    if word_frequency() is not None:
        _print_candidates(result.terms, sys.stderr)
    return 1 if result.errors else 0


def cmd_serve(args: argparse.Namespace) -> int:
    from termlight.service.serve import serve  # imported late: gunicorn is only needed here

    return serve(
        glossary=args.glossary,
        host=args.host,
        port=args.port,
        workers=args.workers,
        token=args.token,
        cors_origins=args.cors_origins,
        max_body=args.max_body,
        max_texts=args.max_texts,
    ) or 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="termlight", description="Find glossary terms in text and explain them.")
    parser.add_argument("--version", action="version", version=f"termlight {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    glossary_help = "glossary file or directory (default: $TERMLIGHT_GLOSSARY, else the bundled glossary)"

    p = sub.add_parser("match", help="print the terms found in text, as JSON (the shape of POST /v1/match)")
    p.add_argument("files", nargs="+", metavar="FILE", help="text file(s) to read, or - for standard input")
    p.add_argument("--glossary", help=glossary_help)
    p.add_argument("--offsets", choices=UNITS, default="codepoint", help="offset unit (default: codepoint)")
    p.add_argument("--glossaries", nargs="+", metavar="ID", help="only match terms of these glossary ids")
    p.add_argument("--pretty", action="store_true", help="indent the JSON")
    p.add_argument("--no-context-rule", action="store_true", help="let ambiguous forms count without context")
    p.add_argument("--explain", action="store_true", help="also list what the rules suppressed, and the context found")
    p.set_defaults(func=cmd_match)

    p = sub.add_parser("check", help="validate a glossary file or directory and list every problem")
    p.add_argument("path", help="glossary file or directory")
    p.add_argument("--suggest-ambiguous", action="store_true",
                   help="also list forms that are common English words and not marked ambiguous (needs wordfreq)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("terms", help="list the terms of a glossary")
    p.add_argument("query", nargs="?", help="only terms with a form starting with this (case-insensitive)")
    p.add_argument("--glossary", help=glossary_help)
    p.add_argument("--only", metavar="ID", help="only terms of this glossary id")
    p.add_argument("--json", action="store_true", help="print term objects as JSON")
    p.set_defaults(func=cmd_terms)

    p = sub.add_parser("import", help="turn a CSV export (term, definition, aliases, url, tags) into a glossary")
    p.add_argument("csv", help="CSV file, or - for standard input")
    p.add_argument("-o", "--output", required=True, help="glossary JSON file to write")
    p.add_argument("--name", help="the glossary's name (default: the output file name)")
    p.add_argument("--description", default="", help="the glossary's description")
    p.add_argument("--keep-going", action="store_true", help="write the good rows even if some rows are bad")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("serve", help="run the match service under gunicorn")
    p.add_argument("--glossary", help=glossary_help)
    p.add_argument("--host", help="address to bind (default: $TERMLIGHT_HOST, else 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default: $PORT, else 8765)")
    p.add_argument("--workers", type=int, help="gunicorn worker processes (default: $WEB_CONCURRENCY, else by CPU count)")
    p.add_argument("--token", help="API token(s), comma-separated (default: $TERMLIGHT_API_TOKEN)")
    p.add_argument("--cors-origins", help="allowed CORS origins, comma-separated (default: $TERMLIGHT_CORS_ORIGINS)")
    p.add_argument("--max-body", type=int, help="largest request body in bytes (default: $TERMLIGHT_MAX_BODY, else 5 MiB)")
    p.add_argument("--max-texts", type=int, help="most texts in one batch (default: $TERMLIGHT_MAX_TEXTS, else 10000)")
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except GlossaryError as exc:
        print(f"termlight: invalid glossary: {exc}", file=sys.stderr)
    except CliError as exc:
        print(f"termlight: {exc}", file=sys.stderr)
    except KeyboardInterrupt:
        print("termlight: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
