"""Bearer-token auth for /v1, compared in constant time.

Tokens come from TERMLIGHT_API_TOKEN (or `termlight serve --token`, which sets it;
role reader) and from the named tokens of the database (`termlight token add`, each
with a role; only their SHA-256 is stored). They are never logged: the access-log
format leaves out headers and the user field, and nothing here writes the header
anywhere.

`is_authenticated()` is the one answer to "may this request see everything": the /v1
guard refuses requests for which it is False, and the open routes (/healthz,
/openapi.json) leave out confidential details for them.
"""

from __future__ import annotations

import hmac
import threading
import time
from dataclasses import dataclass

from flask import request

from termlight.service import current
from termlight.store import tokens as token_store
from termlight.store.database import Database
from termlight.store.team import revisions

PROTECTED_PREFIX = "/v1"
CHALLENGE = 'Bearer realm="termlight"'
RANK = {role: i for i, role in enumerate(token_store.ROLES)}
SHARED_TOKEN_NAME = "api-token"
SHARED_TOKEN_ROLE = "reader"  # it was handed to every extension user: it must not edit
TOKENS_REFRESH = 0.5


def token_matches(presented: bytes, tokens: tuple[bytes, ...]) -> bool:
    """True if `presented` equals one of `tokens`.

    Every configured token is compared, with no early exit, so the time taken does
    not reveal which (or whether a prefix of one) matched.
    """
    found = False
    for token in tokens:
        found |= hmac.compare_digest(presented, token)
    return found


def presented_token() -> bytes | None:
    """The token of an `Authorization: Bearer <token>` header, as raw bytes."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    # WSGI hands headers over as latin-1 strings; recover the bytes that were sent.
    return value.strip().encode("latin-1", "replace")


def configured_tokens() -> tuple[bytes, ...]:
    """The shared tokens of TERMLIGHT_API_TOKEN, as bytes."""
    return tuple(t.encode("utf-8") for t in current.settings().tokens)


@dataclass(frozen=True)
class Identity:
    """Who a request comes from: a token's name and role, or an anonymous reader."""

    name: str
    role: str
    anonymous: bool = False

    def may(self, role: str) -> bool:
        return RANK[self.role] >= RANK[role]

    def to_dict(self) -> dict:
        return {"name": self.name, "role": self.role, "anonymous": self.anonymous}


ANONYMOUS = Identity("anonymous", "reader", anonymous=True)


class TokenTable:
    """This worker's copy of the named tokens (digest -> (name, role)), refreshed within
    TOKENS_REFRESH seconds of a change on any host (the `tokens` revision moves)."""

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


def _named(presented: bytes, table: dict[str, tuple[str, str]]) -> tuple[str, str] | None:
    digest = token_store.digest(presented)
    found = None
    for known, who in table.items():  # every entry compared: no early exit
        if hmac.compare_digest(digest, known):
            found = who
    return found


def tokens_exist() -> bool:
    """True once any token exists (TERMLIGHT_API_TOKEN or a named one): /v1 needs one then."""
    return bool(current.settings().tokens) or bool(current.service().token_table.table())


def identify() -> Identity | None:
    """The caller of this request, or None when a token is needed and none valid was sent.

    Without any token configured or created, every caller is an anonymous reader and an
    Authorization header is ignored. TERMLIGHT_API_TOKEN's tokens are readers named `api-token`.
    """
    presented = presented_token()
    named = current.service().token_table.table()
    shared = configured_tokens()
    if not (shared or named):
        # An open server: there is nothing a token could be checked against, so a header
        # some client sends anyway (an extension set up for another server) changes nothing.
        return ANONYMOUS
    if presented is None:
        return None
    who = _named(presented, named)
    if token_matches(presented, shared) and who is None:
        who = (SHARED_TOKEN_NAME, SHARED_TOKEN_ROLE)
    return None if who is None else Identity(*who)


def is_authenticated() -> bool:
    """True when no token exists at all, or the request carries a valid one."""
    return identify() is not None


