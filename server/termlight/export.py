"""Writing a loaded glossary back out: the glossary file format (JSON) or a CSV for spreadsheets.

Both work on a :class:`~termlight.glossary.Glossary`, whatever it was loaded from, so any source
that becomes a Glossary (files today, a database tomorrow) exports the same way.  The CSV is the
one ``termlight import`` reads: exporting and importing again gives the same terms.
"""

from __future__ import annotations

import csv
import io

from termlight.glossary import Glossary
from termlight.importer import FORMULA_START, KNOWN, LIST_SEPARATOR
from termlight.model import Term


class ExportError(ValueError):
    """The glossary cannot be written in the asked format; the message says why."""


def pick_glossary(glossary: Glossary, only: str | None) -> str:
    """The one glossary id to export: ``only``, or the single loaded glossary."""
    ids = [g.id for g in glossary.glossaries]
    if only is not None:
        if only not in ids:
            raise ExportError(f"no glossary {only!r} here; loaded: {', '.join(ids) or 'none'}")
        return only
    if len(ids) != 1:
        raise ExportError(f"{len(ids)} glossaries are loaded ({', '.join(ids)}); choose one with --only ID")
    return ids[0]


def term_record(term: Term) -> dict:
    """A term in the glossary file format, without empty optional keys."""
    record: dict = {"id": term.id, "term": term.term}
    if term.aliases:
        record["aliases"] = list(term.aliases)
    record["definition"] = term.definition
    for key in ("url", "related", "tags", "case_sensitive", "ambiguous", "exclude"):
        value = getattr(term, key)
        if value is not None and value != ():
            record[key] = list(value) if isinstance(value, tuple) else value
    return record


def glossary_document(glossary: Glossary, glossary_id: str) -> dict:
    """One glossary as a file ``termlight check`` reads: name, description and terms in order."""
    info = next(g for g in glossary.glossaries if g.id == glossary_id)
    terms = [term_record(t) for t in glossary.terms.values() if t.glossary == glossary_id]
    return {"name": info.name, "description": info.description, "terms": terms}


def _cell(value: str) -> str:
    # A spreadsheet runs a cell that starts with = + - @ as a formula; a leading apostrophe keeps
    # it text, and the importer takes the apostrophe off again.
    return "'" + value if value.startswith(FORMULA_START) else value


def to_csv(document: dict) -> str:
    """The terms of ``glossary_document`` as CSV with the importer's columns."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(KNOWN)
    for record in document["terms"]:
        row = []
        for column in KNOWN:
            value = record.get(column)
            if isinstance(value, list):
                bad = [v for v in value if LIST_SEPARATOR in v]
                if bad:
                    raise ExportError(
                        f"term {record['id']!r}: {column} value {bad[0]!r} holds {LIST_SEPARATOR!r}, which "
                        f"separates list items in a CSV cell; export as JSON instead")
                value = f"{LIST_SEPARATOR} ".join(value)
            elif isinstance(value, bool):
                value = "true" if value else "false"
            row.append(_cell(value or ""))
        writer.writerow(row)
    return out.getvalue()
