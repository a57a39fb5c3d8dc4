"""The team glossary's database from the shell: `termlight export --database` writes it as a
glossary file (JSON or CSV, for git), `termlight import FILE --database` loads a glossary JSON
or a CSV into it in one transaction (all terms or none; same checks as `termlight check`,
against the glossary files of TERMLIGHT_GLOSSARY too)."""

from __future__ import annotations

import sys
from collections import Counter

from termlight import settings, strict_json
from termlight.cli.common import CliError, read_bytes
from termlight.errors import GlossaryError
from termlight.importer import CsvError, ImportResult, decode, read_rows
from termlight.paths import bundled_glossary
from termlight.store import StoreError, open_database
from termlight.store import combined, team

ACTOR = "termlight import"


def open_db(url: str | None):
    try:
        return open_database(url or settings.value("database_url"))
    except (StoreError, settings.SettingsError) as err:
        raise CliError(str(err)) from None


def team_document(url: str | None) -> dict:
    """For `termlight export --database`."""
    try:
        return combined.team_document(open_db(url))
    except StoreError as err:
        raise CliError(str(err)) from None


def _terms_of(path: str) -> list[dict]:
    data = read_bytes(path)
    if path.lower().endswith(".csv"):
        # Row by row here; ids, forms and related ids are checked with the files and the
        # database together (combined.validator), not against the CSV's own folder.
        result = ImportResult(source=path)
        try:
            rows = read_rows(decode(data, path), path, team.TEAM_ID, result)
        except CsvError as exc:
            raise CliError(str(exc)) from None
        for error in result.errors:
            print(error, file=sys.stderr)
        if result.problems:
            raise CliError(f"{len(result.problems)} bad row(s); nothing imported")
        return [row.raw for row in rows]
    try:
        doc = strict_json.loads(data.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise CliError(f"{path}: not a glossary JSON file ({exc})") from None
    terms = doc.get("terms") if isinstance(doc, dict) else doc
    if not isinstance(terms, list):
        raise CliError(f"{path}: expected a list of terms, or an object with a 'terms' list")
    return terms


def import_into_database(path: str, url: str | None) -> int:
    """For `termlight import FILE --database`."""
    raw_terms = _terms_of(path)
    try:
        stored = [combined.parse_term(raw) for raw in raw_terms]
        ids = [t["id"] for t in stored]
        twice = sorted(i for i, n in Counter(ids).items() if n > 1)
        if twice:
            raise CliError(f"{path}: id(s) used twice: {', '.join(twice)}; nothing imported")
        counts = team.write_many(open_db(url), stored, ACTOR,
                                 combined.validator(settings.value("glossary_path") or bundled_glossary()))
    except GlossaryError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        raise CliError(f"{len(exc.problems)} problem(s); nothing imported") from None
    except StoreError as err:
        raise CliError(str(err)) from None
    print(f"imported into the team glossary: {counts['create']} new, {counts['update']} changed, "
          f"{counts['same']} unchanged", file=sys.stderr)
    return 0
