"""The ``termlight`` command: the same core as the service, from a shell.

One module per command group (``lookup``: match, terms; ``files``: check, import, export;
``serve``; ``tokens``: token add|list|revoke); each has a ``register(subparsers)``. Every subcommand turns expected failures (a
missing file, a broken glossary, bad CSV) into one line on stderr and a non-zero exit code; a
traceback would only mean a bug in termlight.
"""

from __future__ import annotations

import argparse
import sys

from termlight import __version__
from termlight.cli import files, lookup, serve, tokens
from termlight.cli.common import CliError
from termlight.errors import GlossaryError

COMMAND_GROUPS = (lookup, files, serve, tokens)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="termlight", description="Find glossary terms in text and explain them.")
    parser.add_argument("--version", action="version", version=f"termlight {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in COMMAND_GROUPS:
        group.register(sub)
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
