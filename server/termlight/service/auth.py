"""Bearer-token auth for /v1, compared in constant time.

Tokens come only from TERMLIGHT_API_TOKEN (or `termlight serve --token`, which sets
it). They are never logged: the access-log format leaves out headers and the user
field, and nothing here writes the header anywhere.

`is_authenticated()` is the one answer to "may this request see everything": the /v1
guard refuses requests for which it is False, and the open routes (/healthz,
/openapi.json) leave out confidential details for them.
"""

from __future__ import annotations

import hmac

from flask import request

from termlight.service import current
from termlight.service.problems import ApiError

PROTECTED_PREFIX = "/v1"
CHALLENGE = 'Bearer realm="termlight"'


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
    """The tokens this app accepts, as bytes; empty when auth is off."""
    return tuple(t.encode("utf-8") for t in current.settings().tokens)


def is_authenticated() -> bool:
    """True when no token is configured, or the request carries a valid one."""
    tokens = configured_tokens()
    if not tokens:
        return True
    presented = presented_token()
    return presented is not None and token_matches(presented, tokens)


def make_guard(tokens: tuple[str, ...]):
    """A before_request hook enforcing the tokens on /v1, or None when auth is off."""
    if not tokens:
        return None
    encoded = tuple(t.encode("utf-8") for t in tokens)

    def guard() -> None:
        path = request.path
        if not (path == PROTECTED_PREFIX or path.startswith(PROTECTED_PREFIX + "/")):
            return
        if request.method == "OPTIONS":  # CORS preflights carry no credentials
            return
        presented = presented_token()
        if presented is None:
            raise ApiError("unauthorized", "Send 'Authorization: Bearer <token>'.",
                           field="Authorization", headers={"WWW-Authenticate": CHALLENGE})
        if not token_matches(presented, encoded):
            raise ApiError("unauthorized", "The token is not valid.", field="Authorization",
                           headers={"WWW-Authenticate": CHALLENGE + ', error="invalid_token"'})

    return guard
