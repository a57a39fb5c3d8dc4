"""Turning a spreadsheet export (CSV) into a glossary file.

Columns (by header name, any order, case-insensitive): ``term`` and ``definition`` (required),
``aliases`` (separated by ``;``), ``url``, ``tags`` (separated by ``;``), and optionally ``id``,
``related`` (``;``), ``case_sensitive``, ``ambiguous`` (true, or the ambiguous forms separated by
``;``) and ``exclude`` (``;``).  The file must be UTF-8; a byte-order mark (Excel's
"CSV UTF-8") is fine.

Every problem is found in one run and reported as ``file:line: problem``: a bad cell, a duplicate
id, a form that an earlier row already claims, a ``related`` id that exists nowhere.  ``related``
ids may point into the other glossary files of the output's folder, as ``termlight check`` on that
folder allows; ids there count as taken.  A row is never dropped without a word.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from termlight.loader import Source, form_clashes, parse_source, parse_term, read_sources
from termlight.model import Term

REQUIRED = ("term", "definition")
LIST_COLUMNS = ("aliases", "tags", "related", "exclude")
KNOWN = ("id", "term", "definition", "aliases", "url", "tags", "related", "case_sensitive", "ambiguous", "exclude")
LIST_SEPARATOR = ";"
# `termlight export` writes a cell starting with one of these as '=..., so a spreadsheet keeps it
# text instead of running it as a formula; the apostrophe is taken off again here.
FORMULA_START = ("=", "+", "-", "@")
TRUE_WORDS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False, "": None}


class CsvError(ValueError):
    """The CSV cannot be read at all (not UTF-8, no header): one line for the user."""


@dataclass
class Row:
    line: int
    raw: dict  # the term in the glossary file format
    term: Term


@dataclass
class ImportResult:
    terms: list[dict] = field(default_factory=list)  # the good rows, in file order
    problems: dict[int, list[str]] = field(default_factory=dict)  # line -> what is wrong
    source: str = "<csv>"

    @property
    def errors(self) -> list[str]:
        """One ``file:line: problem`` line per bad line, in line order."""
        return [f"{self.source}:{line}: {'; '.join(msgs)}" for line, msgs in sorted(self.problems.items())]

    def add(self, line: int, message: str) -> None:
        self.problems.setdefault(line, []).append(message)


def decode(data: bytes, source: str) -> str:
    """UTF-8 text without a byte-order mark; anything else names the file and line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise CsvError(
            f"{source}:{line}: not UTF-8 (byte 0x{data[exc.start]:02x}); save the sheet as "
            f"\"CSV UTF-8\" and import again"
        ) from None


def _unquote(cell: str) -> str:
    cell = cell.strip()
    return cell[1:] if cell.startswith("'") and cell[1:2] in FORMULA_START else cell


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(LIST_SEPARATOR) if part.strip()]


def _header(reader, source: str) -> list[str]:
    try:
        header = next(reader)
    except StopIteration:
        raise CsvError(f"{source}: the file is empty; expected a header row with {', '.join(REQUIRED)}") from None
    columns = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED if c not in columns]
    unknown = [c for c in columns if c and c not in KNOWN]
    twice = sorted({c for c in columns if c and columns.count(c) > 1})
    problems = []
    if missing:
        problems.append(f"missing column(s): {', '.join(missing)}")
    if unknown:
        problems.append(f"unknown column(s): {', '.join(unknown)}; known: {', '.join(KNOWN)}")
    if twice:
        problems.append(f"column(s) given twice: {', '.join(twice)}")
    if problems:
        raise CsvError(f"{source}:1: {'; '.join(problems)}")
    return columns


def _row_term(cells: dict[str, str]) -> tuple[dict, list[str]]:
    problems = [f"empty {c!r}" for c in REQUIRED if not cells.get(c)]
    flag = TRUE_WORDS.get(cells.get("case_sensitive", "").lower(), "bad")
    if flag == "bad":
        problems.append("'case_sensitive' must be true or false")
    term: dict = {"term": cells.get("term", ""), "definition": cells.get("definition", "")}
    if cells.get("id"):
        term["id"] = cells["id"]
    for column in LIST_COLUMNS:
        if cells.get(column):
            term[column] = _split(cells[column])
    if cells.get("url"):
        term["url"] = cells["url"]
    if flag not in (None, "bad"):
        term["case_sensitive"] = flag
    ambiguous = cells.get("ambiguous", "")
    marked = TRUE_WORDS.get(ambiguous.lower(), "forms")
    if marked == "forms":
        term["ambiguous"] = _split(ambiguous)
    elif marked:
        term["ambiguous"] = True
    return term, problems


def read_rows(text: str, source: str, glossary_id: str, result: ImportResult) -> list[Row]:
    """Each row checked on its own; the bad ones are recorded in ``result``."""
    reader = csv.reader(io.StringIO(text))
    columns = _header(reader, source)
    rows = []
    start = reader.line_num + 1
    for cells_list in reader:
        line, start = start, reader.line_num + 1  # a quoted cell may span lines: name its first
        if not any(cell.strip() for cell in cells_list):
            continue
        if len(cells_list) > len(columns):
            result.add(line, f"{len(cells_list)} cells but only {len(columns)} columns")
            continue
        raw, problems = _row_term(dict(zip(columns, map(_unquote, cells_list))))
        term = None
        if not problems:
            term, problems = parse_term(raw, glossary_id)
        for message in problems:
            result.add(line, message)
        if term is not None and not problems:
            rows.append(Row(line, raw, term))
    return rows


def neighbours(output: Path) -> list[Source]:
    """The other glossary files of the output's folder, as ``termlight check FOLDER`` sees them."""
    folder = output.parent
    if not folder.is_dir():
        return []
    me = output.resolve()
    return [s for s in read_sources(folder) if s.data is not None and Path(s.file).resolve() != me]


def _taken_ids(sources: list[Source]) -> dict[str, str]:
    """id -> the file that defines it, for the folder's other files."""
    taken: dict[str, str] = {}
    for source in sources:
        parse_source(source)  # fills source.ids
        for term_id, _position in source.ids:
            taken.setdefault(term_id, Path(source.file).name)
    return taken


def check_rows(rows: list[Row], taken: dict[str, str], result: ImportResult) -> list[Row]:
    """The rows that are good together: unique ids and forms, ``related`` ids that exist."""
    first_line: dict[str, int] = {}
    good = []
    for row in rows:
        term_id = row.term.id
        if term_id in taken:
            result.add(row.line, f"id {term_id!r} is already used in {taken[term_id]}")
        elif term_id in first_line:
            result.add(row.line, f"duplicate id {term_id!r} (first on line {first_line[term_id]})")
        else:
            first_line[term_id] = row.line
            good.append(row)
    line_of = {id(r.term): r.line for r in good}
    clashing = set()
    for term, form, other in form_clashes([r.term for r in good]):
        result.add(line_of[id(term)], f"form {form!r} is already claimed by term {other.id!r} (line {line_of[id(other)]})")
        clashing.add(id(term))
    good = [r for r in good if id(r.term) not in clashing]
    while True:  # dropping a row can leave another row's related id dangling: repeat until stable
        known = set(taken) | {r.term.id for r in good}
        dangling = []
        for row in good:
            for rel in row.term.related:
                if rel in known:
                    continue
                if rel in first_line:
                    result.add(row.line, f"related id {rel!r} is the id of line {first_line[rel]}, which is not imported")
                else:
                    result.add(row.line, f"related id {rel!r} does not exist")
                dangling.append(row)
        if not dangling:
            return good
        good = [r for r in good if r not in dangling]


def import_csv(data: bytes, source: str, output: Path) -> ImportResult:
    """Read and check a CSV for the glossary file ``output``; raises CsvError if unreadable."""
    result = ImportResult(source=source)
    rows = read_rows(decode(data, source), source, output.stem, result)
    good = check_rows(rows, _taken_ids(neighbours(output)), result)
    result.terms = [r.raw for r in good]
    return result
