"""The ``termlight`` command: the same core as the service, from a shell.

Every subcommand turns expected failures (a missing file, a broken glossary, bad CSV) into one
line on stderr and a non-zero exit code; a traceback would only mean a bug in termlight.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from termlight import __version__, settings
from termlight.errors import GlossaryError
from termlight.glossary import Glossary
from termlight.cli_tokens import add_parser as add_token_parser
from termlight.importer import read_csv
from termlight.engine.offsets import UNITS
from termlight.paths import bundled_glossary


class CliError(Exception):
    """An expected failure with a message for the user."""


def _glossary_path(value: str | None) -> Path:
    return Path(value or settings.value("glossary_path") or bundled_glossary())


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
    if len(texts) == 1:
        doc = glossary.match_document(text=texts[0], offsets=args.offsets, glossaries=args.glossaries)
    else:
        doc = glossary.match_document(texts=texts, offsets=args.offsets, glossaries=args.glossaries)
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
    return 0


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
    return 1 if result.errors else 0


def cmd_serve(args: argparse.Namespace) -> int:
    from termlight.service.serve import serve  # imported late: gunicorn is only needed here

    return serve(**{s.dest: getattr(args, s.dest) for s in settings.TABLE if s.flag}) or 0


def _flag_type(setting: settings.Setting):
    """Check a serve flag's value as its variable's would be checked; keep it as given."""
    def check(raw: str) -> str:
        try:
            setting.kind(raw.strip())
        except ValueError as err:
            raise argparse.ArgumentTypeError(str(err)) from None
        return raw
    return check


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="termlight", description="Find glossary terms in text and explain them.")
    parser.add_argument("--version", action="version", version=f"termlight {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    glossary = settings.BY_NAME["glossary_path"]
    glossary_help = f"glossary file or directory (default: ${glossary.env}, else {glossary.default_doc})"

    p = sub.add_parser("match", help="print the terms found in text, as JSON (the shape of POST /v1/match)")
    p.add_argument("files", nargs="+", metavar="FILE", help="text file(s) to read, or - for standard input")
    p.add_argument("--glossary", help=glossary_help)
    p.add_argument("--offsets", choices=UNITS, default="codepoint", help="offset unit (default: codepoint)")
    p.add_argument("--glossaries", nargs="+", metavar="ID", help="only match terms of these glossary ids")
    p.add_argument("--pretty", action="store_true", help="indent the JSON")
    p.set_defaults(func=cmd_match)

    p = sub.add_parser("check", help="validate a glossary file or directory and list every problem")
    p.add_argument("path", help="glossary file or directory")
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
    for setting in settings.TABLE:
        if setting.flag:
            p.add_argument(setting.flag, type=_flag_type(setting), metavar=setting.dest.upper(),
                           help=f"{setting.help.replace('%', '%%')} (default: ${setting.env}, "
                                f"else {setting.default_doc.replace('%', '%%')})")
    p.set_defaults(func=cmd_serve)
    add_token_parser(sub)
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
