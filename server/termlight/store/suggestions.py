"""Suggestions from readers and the editors' decisions on them.

Approving writes the term through team.apply in the same transaction that marks the
suggestion approved, so a suggestion is never approved without its term, nor twice.
"""

from __future__ import annotations

import json

from termlight.store import team
from termlight.store.database import Database

KINDS = ("new", "better-definition", "wrong-meaning")
STATES = ("pending", "approved", "rejected")
COLUMNS = ("id, kind, term, definition, aliases, source_url, term_id, comment, author, "
           "created_at, state, decided_by, decided_at, note, result_term_id")


def _row(row: tuple) -> dict:
    keys = [k.strip() for k in COLUMNS.split(",")]
    out = dict(zip(keys, row))
    out["id"] = int(out["id"])
    out["aliases"] = json.loads(out["aliases"])
    return out


def add(db: Database, *, kind: str, term: str, definition: str, aliases: list[str],
        source_url: str | None, term_id: str | None, comment: str, author: str) -> dict:
    with db.transaction(write=True) as tx:
        tx.run("INSERT INTO suggestions (kind, term, definition, aliases, source_url, term_id, "
               "comment, author, created_at, state, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               (kind, term, definition, json.dumps(aliases, ensure_ascii=False), source_url,
                term_id, comment, author, team.now(), "pending", ""))
        row = tx.one(f"SELECT {COLUMNS} FROM suggestions WHERE id = "
                     "(SELECT MAX(id) FROM suggestions WHERE author = ?)", (author,))
    assert row is not None
    return _row(row)


def listing(db: Database, state: str | None = None, author: str | None = None,
            limit: int = 500) -> list[dict]:
    """Suggestions, oldest pending first (the review queue's order)."""
    where, params = [], []
    if state is not None:
        where.append("state = ?")
        params.append(state)
    if author is not None:
        where.append("author = ?")
        params.append(author)
    sql = f"SELECT {COLUMNS} FROM suggestions"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY id LIMIT {int(limit)}"
    with db.transaction() as tx:
        return [_row(r) for r in tx.all(sql, params)]


def get(db: Database, suggestion_id: int) -> dict | None:
    if not 0 <= suggestion_id <= team.MAX_ID:
        return None
    with db.transaction() as tx:
        row = tx.one(f"SELECT {COLUMNS} FROM suggestions WHERE id = ?", (suggestion_id,))
    return None if row is None else _row(row)


def _pending(tx, suggestion_id: int) -> dict:
    row = (tx.one(f"SELECT {COLUMNS} FROM suggestions WHERE id = ?", (suggestion_id,))
           if 0 <= suggestion_id <= team.MAX_ID else None)
    if row is None:
        raise team.ChangeRefused("not-found", f"No suggestion {suggestion_id}.")
    found = _row(row)
    if found["state"] != "pending":
        raise team.ChangeRefused("conflict", f"Suggestion {suggestion_id} was already {found['state']}.")
    return found


def _decide(tx, suggestion_id: int, state: str, actor: str, note: str,
            result_term_id: str | None) -> dict:
    tx.run("UPDATE suggestions SET state = ?, decided_by = ?, decided_at = ?, note = ?, "
           "result_term_id = ? WHERE id = ?",
           (state, actor, team.now(), note, result_term_id, suggestion_id))
    row = tx.one(f"SELECT {COLUMNS} FROM suggestions WHERE id = ?", (suggestion_id,))
    return _row(row)


def approve(db: Database, suggestion_id: int, data: dict, actor: str, note: str,
            validate: team.Validator, if_match: str | None = None) -> tuple[dict, str]:
    """Write `data` (the suggestion as the editor approved it) and mark it approved."""
    with db.transaction(write=True) as tx:
        _pending(tx, suggestion_id)
        team.check_preconditions(team.current(tx, data["id"]), if_match, None, require_match=False)
        action, _ = team.apply(tx, data["id"], data, actor, validate)
        return _decide(tx, suggestion_id, "approved", actor, note, data["id"]), action


def reject(db: Database, suggestion_id: int, actor: str, note: str) -> dict:
    with db.transaction(write=True) as tx:
        _pending(tx, suggestion_id)
        return _decide(tx, suggestion_id, "rejected", actor, note, None)
