"""The team glossary's terms: reads, validated writes with preconditions, history, undo.

A term is stored as its canonical JSON (the file format) with an ETag computed from
that JSON, so the ETag a GET shows for a team term and the one a write checks
against are the same function of the same content, on every host. Every change
bumps the `glossary` revision that the workers poll (service/reload.py) and leaves
a history row with who, when, and the term before and after.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from typing import Callable

from termlight.model import Term
from termlight.store.database import Database, Tx

TEAM_ID = "team"
MAX_ID = 2**53  # history and suggestion numbers: within a BIGINT and a JavaScript number
TEAM_NAME = "Team glossary"
TEAM_DESCRIPTION = "Terms written by the team through termlight (kept in the database)."

# validate(team terms before, after) raises GlossaryError when the change brings new problems.
Validator = Callable[[list[dict], list[dict]], None]


class ChangeRefused(Exception):
    """A write that must not happen: `kind` is a problem slug (precondition-failed, ...)."""

    def __init__(self, kind: str, detail: str):
        super().__init__(detail)
        self.kind = kind
        self.detail = detail


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def canonical(term: Term) -> dict:
    """The stored form of a term: the file format, every key present."""
    return {"id": term.id, "term": term.term, "aliases": list(term.aliases),
            "definition": term.definition, "url": term.url, "related": list(term.related),
            "tags": list(term.tags), "case_sensitive": term.case_sensitive,
            "ambiguous": list(term.ambiguous), "exclude": list(term.exclude)}


def etag_of(data: dict) -> str:
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False)
                            .encode("utf-8", "surrogatepass")).hexdigest()
    return f'"t-{digest[:20]}"'


def _dump(data: dict | None) -> str | None:
    return None if data is None else json.dumps(data, ensure_ascii=False, sort_keys=True)


def _load(text: str | None) -> dict | None:
    return None if text is None else json.loads(text)


def bump(tx: Tx, key: str) -> None:
    tx.run("UPDATE meta SET value = value + 1 WHERE key = ?", (key,))


def revisions(db: Database) -> tuple[int, int]:
    """(glossary, tokens) revisions: what every worker polls to notice a change."""
    with db.transaction() as tx:
        values = dict(tx.all("SELECT key, value FROM meta"))
    return int(values.get("glossary", 0)), int(values.get("tokens", 0))


def team_terms(db: Database) -> list[dict]:
    with db.transaction() as tx:
        return _all_terms(tx)


def _all_terms(tx: Tx) -> list[dict]:
    return [json.loads(row[0]) for row in tx.all("SELECT data FROM terms ORDER BY id")]


def current(tx: Tx, term_id: str) -> tuple[dict, str] | None:
    row = tx.one("SELECT data, etag FROM terms WHERE id = ?", (term_id,))
    return None if row is None else (json.loads(row[0]), row[1])


def check_preconditions(found: tuple[dict, str] | None, if_match: str | None,
                        if_none_match: str | None, require_match: bool) -> None:
    """RFC 9110 If-Match / If-None-Match: * on the stored term; raises ChangeRefused."""
    if if_none_match is not None:
        if if_none_match.strip() == "*" and found is not None:
            raise ChangeRefused("precondition-failed", "The term already exists (If-None-Match: *).")
    if if_match is None:
        if require_match and found is not None:
            raise ChangeRefused("precondition-required",
                                "Send If-Match with the term's ETag to change an existing term.")
        return
    tags = [t.strip() for t in if_match.split(",") if t.strip()]
    if found is None:
        raise ChangeRefused("precondition-failed", "The term does not exist (any more).")
    if "*" not in tags and found[1] not in tags:
        raise ChangeRefused("precondition-failed",
                            "The term changed since it was read; load it again and redo the edit.")


def apply(tx: Tx, term_id: str, data: dict | None, actor: str, validate: Validator,
          undoes: int | None = None) -> tuple[str, dict | None]:
    """Write (or, with data None, delete) one term inside a write transaction.

    Validates the whole team glossary with the change, records history and bumps the
    revision; returns the action ("create", "update", "delete") and the new data.
    """
    found = current(tx, term_id)
    before = found[0] if found else None
    if data is None and found is None:
        raise ChangeRefused("not-found", f"The team glossary has no term {term_id!r}.")
    before_all = _all_terms(tx)
    others = [t for t in before_all if t["id"] != term_id]
    validate(before_all, others + ([data] if data is not None else []))
    action = _store(tx, term_id, before, data, actor, now(), undoes)
    bump(tx, "glossary")
    return action, data


def _store(tx: Tx, term_id: str, before: dict | None, data: dict | None, actor: str, stamp: str,
           undoes: int | None = None) -> str:
    """Write one term's row (data None: delete it) and its history row; returns the action."""
    if data is None:
        tx.run("DELETE FROM terms WHERE id = ?", (term_id,))
        action = "delete"
    elif before is None:
        tx.run("INSERT INTO terms (id, data, etag, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)",
               (term_id, _dump(data), etag_of(data), stamp, actor))
        action = "create"
    else:
        tx.run("UPDATE terms SET data = ?, etag = ?, updated_at = ?, updated_by = ? WHERE id = ?",
               (_dump(data), etag_of(data), stamp, actor, term_id))
        action = "update"
    tx.run("INSERT INTO term_history (term_id, action, before_data, after_data, actor, at, undoes) "
           "VALUES (?, ?, ?, ?, ?, ?, ?)",
           (term_id, action, _dump(before), _dump(data), actor, stamp, undoes))
    return action


def write_many(db: Database, terms: list[dict], actor: str, validate: Validator) -> dict[str, int]:
    """Create or replace many terms in one transaction, validated once (an import): all or none."""
    with db.transaction(write=True) as tx:
        before_all = _all_terms(tx)
        by_id = {t["id"]: t for t in before_all}
        by_id.update({t["id"]: t for t in terms})
        validate(before_all, list(by_id.values()))
        stamp, counts = now(), {"create": 0, "update": 0, "same": 0}
        old = {t["id"]: t for t in before_all}
        for data in terms:
            before = old.get(data["id"])
            if before == data:
                counts["same"] += 1
                continue
            counts[_store(tx, data["id"], before, data, actor, stamp)] += 1
        if counts["create"] or counts["update"]:
            bump(tx, "glossary")
    return counts


def write(db: Database, term_id: str, data: dict | None, actor: str, validate: Validator,
          if_match: str | None = None, if_none_match: str | None = None,
          require_match: bool = True) -> tuple[str, dict | None]:
    """Create, replace or delete a term if the preconditions hold (one transaction)."""
    with db.transaction(write=True) as tx:
        check_preconditions(current(tx, term_id), if_match, if_none_match, require_match)
        return apply(tx, term_id, data, actor, validate)


def _history_row(row: tuple) -> dict:
    seq, term_id, action, before, after, actor, at, undoes = row
    return {"seq": int(seq), "term_id": term_id, "action": action, "before": _load(before),
            "after": _load(after), "actor": actor, "at": at,
            "undoes": None if undoes is None else int(undoes)}


HISTORY_COLUMNS = "seq, term_id, action, before_data, after_data, actor, at, undoes"


def history(db: Database, term_id: str) -> list[dict]:
    """Every change of one term, newest first."""
    with db.transaction() as tx:
        rows = tx.all(f"SELECT {HISTORY_COLUMNS} FROM term_history WHERE term_id = ? "
                      "ORDER BY seq DESC", (term_id,))
    return [_history_row(r) for r in rows]


def undo(db: Database, seq: int, actor: str, validate: Validator) -> tuple[dict, tuple[str, dict | None]]:
    """Put a term back as it was before change `seq`, as a new change.

    Only while the term is still as that change left it: undoing an older change over
    a newer one would silently throw the newer one away.
    """
    with db.transaction(write=True) as tx:
        row = (tx.one(f"SELECT {HISTORY_COLUMNS} FROM term_history WHERE seq = ?", (seq,))
               if 0 <= seq <= MAX_ID else None)
        if row is None:
            raise ChangeRefused("not-found", f"No change number {seq}.")
        change = _history_row(row)
        found = current(tx, change["term_id"])
        if (found[0] if found else None) != change["after"]:
            raise ChangeRefused("conflict", "The term changed again after this change; undo the "
                                            "newer changes first, or edit the term.")
        return change, apply(tx, change["term_id"], change["before"], actor, validate, undoes=seq)


def public(data: dict) -> dict:
    """A stored term as the API shows every term (Term.to_dict's shape)."""
    out = {k: data[k] for k in ("id", "term", "aliases", "definition", "url", "related", "tags")}
    out["glossary"] = TEAM_ID
    return out
