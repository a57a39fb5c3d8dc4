"""What every ``termlight`` subcommand shares: the error type, the glossary option, input files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from termlight import settings
from termlight.glossary import Glossary
from termlight.paths import bundled_glossary

_GLOSSARY = settings.BY_NAME["glossary_path"]
GLOSSARY_HELP = (f"glossary file or directory; several comma-separated, 'bundled' for the bundled one "
                 f"(default: ${_GLOSSARY.env}, else {_GLOSSARY.default_doc})")


class CliError(Exception):
    """An expected failure with a message for the user."""


def add_glossary_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--glossary", help=GLOSSARY_HELP)


def glossary_path(value: str | None) -> str:
    """--glossary (parsed like the variable: several paths, ``bundled``), else the setting."""
    if value:
        try:
            return _GLOSSARY.parse(value)
        except settings.SettingsError as err:
            raise CliError(str(err).replace(_GLOSSARY.env, "--glossary", 1)) from None
    return settings.value("glossary_path") or str(bundled_glossary())


def load_glossary(value: str | None) -> Glossary:
    return Glossary.load(glossary_path(value))


def read_bytes(name: str) -> bytes:
    """A file's bytes, or standard input's for ``-``."""
    if name == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(name).read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read {name}: {exc.strerror or exc}") from exc


def write_text(name: str | None, text: str) -> None:
    """Write to a file (creating its folder), or to standard output when ``name`` is None or ``-``."""
    if name in (None, "-"):
        sys.stdout.write(text)
        return
    out = Path(name)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CliError(f"cannot write {out}: {exc.strerror or exc}") from exc


def comma_list(value: str) -> list[str]:
    """An option value such as ``ai,team``: split at commas, blanks dropped."""
    return [part.strip() for part in value.split(",") if part.strip()]
