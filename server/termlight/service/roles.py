"""What a caller may do: reader < editor < admin (see auth.identify for who they are).

- reader: match, read terms, suggest, see their own suggestions;
- editor: + the review queue, approve/reject, create, edit and delete team terms, history, undo;
- admin: + everything an editor may do (tokens are managed with `termlight token`).

When no token exists at all, /v1 stays open as before and a caller without a token is an
anonymous reader; editor routes then answer 401 until someone creates a token. Once any
token exists, every /v1 route needs one (401), and a token whose role is too low gets 403.
"""

from __future__ import annotations

import functools

from flask import g, request

from termlight.service.auth import (ANONYMOUS, CHALLENGE, PROTECTED_PREFIX, Identity, identify,
                                    presented_token)
from termlight.service.problems import ApiError


def guard() -> None:
    """before_request: sets g.identity on /v1, or answers 401 for a missing or bad token."""
    path = request.path
    if not (path == PROTECTED_PREFIX or path.startswith(PROTECTED_PREFIX + "/")):
        return
    if request.method == "OPTIONS":  # CORS preflights carry no credentials
        return
    who = identify()
    if who is None:
        if presented_token() is None:
            raise ApiError("unauthorized", "Send 'Authorization: Bearer <token>'.",
                           field="Authorization", headers={"WWW-Authenticate": CHALLENGE})
        raise ApiError("unauthorized", "The token is not valid.", field="Authorization",
                       headers={"WWW-Authenticate": CHALLENGE + ', error="invalid_token"'})
    g.identity = who


def identity() -> Identity:
    return g.get("identity") or ANONYMOUS


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
