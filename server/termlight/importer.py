"""Turning a spreadsheet export (CSV) into a glossary file.

Columns (by header name, any order, case-insensitive): ``term`` and ``definition`` (required),
``aliases`` (separated by ``;``), ``url``, ``tags`` (separated by ``;``), and optionally ``id``,
``related`` (``;``), ``case_sensitive``, ``ambiguous`` (true, or the ambiguous forms separated by
``;``) and ``exclude`` (``;``).  A bad row is reported with its line number; it is
never dropped without a word.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from termlight.loader import term_problems

REQUIRED = ("term", "definition")
LIST_COLUMNS = ("aliases", "tags", "related", "exclude")
KNOWN = ("id", "term", "definition", "aliases", "url", "tags", "related", "case_sensitive", "ambiguous", "exclude")
TRUE_WORDS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False, "": None}


@dataclass
class ImportResult:
    terms: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def read_csv(text: str, source: str = "<csv>") -> ImportResult:
    """Parse CSV text into term dictionaries, collecting one message per bad row."""
    result = ImportResult()
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        result.errors.append(f"{source}: the file is empty; expected a header row with {', '.join(REQUIRED)}")
        return result
    columns = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED if c not in columns]
    unknown = [c for c in columns if c and c not in KNOWN]
    if missing or unknown:
        if missing:
            result.errors.append(f"{source}:1: missing column(s): {', '.join(missing)}")
        if unknown:
            result.errors.append(f"{source}:1: unknown column(s): {', '.join(unknown)}; known: {', '.join(KNOWN)}")
        return result
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(columns):
            result.errors.append(f"{source}:{line}: {len(row)} cells but only {len(columns)} columns")
            continue
        cells = dict(zip(columns, (c.strip() for c in row)))
        problems = [f"empty {c!r}" for c in REQUIRED if not cells.get(c)]
        flag = TRUE_WORDS.get(cells.get("case_sensitive", "").lower(), "bad")
        if flag == "bad":
            problems.append("'case_sensitive' must be true or false")
        if problems:
            result.errors.append(f"{source}:{line}: {'; '.join(problems)}")
            continue
        term: dict = {"term": cells["term"], "definition": cells["definition"]}
        if cells.get("id"):
            term["id"] = cells["id"]
        for column in LIST_COLUMNS:
            if cells.get(column):
                term[column] = _split(cells[column])
        if cells.get("url"):
            term["url"] = cells["url"]
        if flag is not None:
            term["case_sensitive"] = flag
        ambiguous = cells.get("ambiguous", "")
        marked = TRUE_WORDS.get(ambiguous.lower(), "forms")
        if marked == "forms":
            term["ambiguous"] = _split(ambiguous)
        elif marked:
            term["ambiguous"] = True
        problems = term_problems(term)
        if problems:
            result.errors.append(f"{source}:{line}: {'; '.join(problems)}")
            continue
        result.terms.append(term)
    return result
