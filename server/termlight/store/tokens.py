"""Named API tokens with roles. Only a SHA-256 of each token is stored.

A token is 32 random bytes (URL-safe base64 after a `tl_` prefix), so a plain hash
is enough: there is nothing to guess from it. Adding or revoking bumps the `tokens`
revision, which every worker polls to refresh its copy of the table.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from termlight.store import team
from termlight.store.database import Database

ROLES = ("reader", "editor", "admin")
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")  # used with fullmatch (no "\n" after $)
PREFIX = "tl_"


class TokenError(ValueError):
    """A bad name or role, a name in use, or no such token."""


def digest(token: bytes) -> str:
    return hashlib.sha256(token).hexdigest()


def add(db: Database, name: str, role: str) -> str:
    """Create a token; returns it (the only time it is ever shown)."""
    if not NAME.fullmatch(name):
        raise TokenError(f"token name {name!r}: use 1-64 letters, digits, '.', '_', '@' or '-'")
    if role not in ROLES:
        raise TokenError(f"role {role!r}: choose one of {', '.join(ROLES)}")
    token = PREFIX + secrets.token_urlsafe(32)
    with db.transaction(write=True) as tx:
        if tx.one("SELECT 1 FROM tokens WHERE name = ?", (name,)):
            raise TokenError(f"a token named {name!r} exists; revoke it first")
        tx.run("INSERT INTO tokens (name, role, hash, created_at) VALUES (?, ?, ?, ?)",
               (name, role, digest(token.encode("utf-8")), team.now()))
        team.bump(tx, "tokens")
    return token


def listing(db: Database) -> list[dict]:
    with db.transaction() as tx:
        rows = tx.all("SELECT name, role, created_at FROM tokens ORDER BY name")
    return [{"name": n, "role": r, "created_at": c} for n, r, c in rows]


def revoke(db: Database, name: str) -> None:
    with db.transaction(write=True) as tx:
        if tx.run("DELETE FROM tokens WHERE name = ?", (name,)) == 0:
            raise TokenError(f"no token named {name!r}")
        team.bump(tx, "tokens")


def by_digest(db: Database) -> dict[str, tuple[str, str]]:
    """digest -> (name, role) of every token, for the workers' in-memory copy."""
    with db.transaction() as tx:
        return {h: (n, r) for n, r, h in tx.all("SELECT name, role, hash FROM tokens")}
