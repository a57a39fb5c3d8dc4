"""The served glossary: the file glossaries plus the team glossary from the database.

The team glossary is one more source for the loader, with the id `team`, so every
rule of `termlight check` (unique ids across glossaries, one owner per form, related
ids that exist) spans files and database alike. A write is accepted only if it adds
no problem of its own; problems the files already had do not block the team.
"""

from __future__ import annotations

from pathlib import Path

from termlight.errors import GlossaryError, Problem
from termlight.glossary import Glossary
from termlight.loader import Source, load_sources, read_sources
from termlight.store import team
from termlight.store.database import Database

TEAM_FILE = "team glossary"


def team_source(terms: list[dict]) -> Source:
    return Source(team.TEAM_ID, TEAM_FILE, {"name": team.TEAM_NAME,
                                           "description": team.TEAM_DESCRIPTION, "terms": terms})


def load_with_team(path: str | Path, db: Database) -> Glossary:
    """The files (through the compiled cache while the team glossary is empty) plus the team."""
    terms = team.team_terms(db)
    if not terms:
        return Glossary.load(path, cache=True)
    return Glossary._from_sources(read_sources(path) + [team_source(terms)])


def _problems(path: str | Path, terms: list[dict]) -> list[Problem]:
    try:
        load_sources(read_sources(path) + ([team_source(terms)] if terms else []))
    except GlossaryError as err:
        return err.problems
    return []


def validator(path: str | Path) -> team.Validator:
    """A team.Validator for the glossary files at `path`."""

    def validate(before: list[dict], after: list[dict]) -> None:
        old = set(_problems(path, before))
        new = [p for p in _problems(path, after) if p not in old]
        if new:
            raise GlossaryError(new)

    return validate


def parse_term(raw: dict) -> dict:
    """A term object checked on its own (as `termlight check` would) in its stored form.

    Its `related` ids are checked later, against every glossary (validator)."""
    try:
        glossary = Glossary.from_terms([raw], glossary_id=team.TEAM_ID)
    except GlossaryError as err:
        own = [p for p in err.problems if not p.message.startswith("related id ")]
        if own:
            raise GlossaryError(own) from None
        glossary = Glossary.from_terms([{**raw, "related": []}], glossary_id=team.TEAM_ID)
        data = team.canonical(next(iter(glossary.terms.values())))
        return {**data, "related": [r.strip() for r in raw["related"]]}
    return team.canonical(next(iter(glossary.terms.values())))


def team_document(db: Database) -> dict:
    """The team glossary as a glossary file (for git): empty optional keys left out."""
    terms = []
    for data in team.team_terms(db):
        record = {"id": data["id"], "term": data["term"]}
        if data.get("aliases"):
            record["aliases"] = data["aliases"]
        record["definition"] = data["definition"]
        for key in ("url", "related", "tags", "case_sensitive", "ambiguous", "exclude"):
            if data.get(key) not in (None, [], ()):
                record[key] = data[key]
        terms.append(record)
    return {"name": team.TEAM_NAME, "description": team.TEAM_DESCRIPTION, "terms": terms}
