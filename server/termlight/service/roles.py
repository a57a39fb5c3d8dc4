"""Who is calling, and what they may do: reader < editor < admin.

Identities come from two places:
- named tokens in the database (`termlight token add NAME --role ROLE`), kept in each
  worker as a digest -> (name, role) table, refreshed within TOKENS_REFRESH seconds
  of a change on any host;
- TERMLIGHT_API_TOKEN, the shared token of earlier versions: role *reader*, name
  `api-token` (it was handed to every extension user, so it must not edit).

When no token exists at all, /v1 stays open as before and an anonymous caller is a
reader; editor routes then answer 401 until someone creates a token. Once any token
exists, every /v1 route needs one. Tokens are compared in constant time over the
whole table and never logged.
"""

from __future__ import annotations

import functools
import hmac
import threading
import time
from dataclasses import dataclass

from flask import g, request

from termlight.service.auth import CHALLENGE, PROTECTED_PREFIX, presented_token, token_matches
from termlight.service.problems import ApiError
from termlight.store import tokens as token_store
from termlight.store.database import Database
from termlight.store.team import revisions

ROLES = token_store.ROLES
RANK = {role: i for i, role in enumerate(ROLES)}
ENV_TOKEN_NAME = "api-token"
ENV_TOKEN_ROLE = "reader"
ANONYMOUS = "anonymous"
TOKENS_REFRESH = 0.5


@dataclass(frozen=True)
class Identity:
    name: str
    role: str
    anonymous: bool = False

    def may(self, role: str) -> bool:
        return RANK[self.role] >= RANK[role]

    def to_dict(self) -> dict:
        return {"name": self.name, "role": self.role, "anonymous": self.anonymous}


class TokenTable:
    """This worker's copy of the named tokens, refreshed when their revision moves."""

    def __init__(self, db: Database):
        self._db = db
        self._lock = threading.Lock()
        self._revision: int | None = None
        self._next = 0.0
        self._table: dict[str, tuple[str, str]] = {}

    def table(self) -> dict[str, tuple[str, str]]:
        now = time.monotonic()
        if now >= self._next and self._lock.acquire(blocking=False):
            try:
                self._next = now + TOKENS_REFRESH
                revision = revisions(self._db)[1]
                if revision != self._revision:
                    self._table = token_store.by_digest(self._db)
                    self._revision = revision
            finally:
                self._lock.release()
        return self._table


def _lookup(presented: bytes, table: dict[str, tuple[str, str]]) -> tuple[str, str] | None:
    digest = token_store.digest(presented)
    found = None
    for known, who in table.items():  # every entry compared: no early exit
        if hmac.compare_digest(digest, known):
            found = who
    return found


def make_identity_guard(env_tokens: tuple[str, ...], table: TokenTable):
    """A before_request hook that sets g.identity on /v1 (401 for a missing or bad token)."""
    encoded = tuple(t.encode("utf-8") for t in env_tokens)

    def guard() -> None:
        path = request.path
        if not (path == PROTECTED_PREFIX or path.startswith(PROTECTED_PREFIX + "/")):
            return
        if request.method == "OPTIONS":  # CORS preflights carry no credentials
            return
        named = table.table()
        presented = presented_token()
        if presented is None:
            if encoded or named:
                raise ApiError("unauthorized", "Send 'Authorization: Bearer <token>'.",
                               field="Authorization", headers={"WWW-Authenticate": CHALLENGE})
            g.identity = Identity(ANONYMOUS, "reader", anonymous=True)
            return
        who = _lookup(presented, named)
        if token_matches(presented, encoded) and who is None:
            who = (ENV_TOKEN_NAME, ENV_TOKEN_ROLE)
        if who is None:
            raise ApiError("unauthorized", "The token is not valid.", field="Authorization",
                           headers={"WWW-Authenticate": CHALLENGE + ', error="invalid_token"'})
        g.identity = Identity(*who)

    return guard


def identity() -> Identity:
    return g.get("identity") or Identity(ANONYMOUS, "reader", anonymous=True)


def requires(role: str):
    """Route decorator: 401 for an anonymous caller, 403 for a token whose role is too low."""

    def wrap(view):
        @functools.wraps(view)
        def checked(*args, **kwargs):
            who = identity()
            if not who.may(role):
                if who.anonymous:
                    raise ApiError("unauthorized", f"This needs a token with the {role} role.",
                                   field="Authorization", headers={"WWW-Authenticate": CHALLENGE})
                raise ApiError("forbidden", f"This needs the {role} role; the token "
                                            f"{who.name!r} is a {who.role}.", field="Authorization")
            return view(*args, **kwargs)

        checked.required_role = role  # type: ignore[attr-defined]
        return checked

    return wrap
