"""What the edit and suggestion routes share: reading a JSON object, turning store
refusals and glossary problems into problems, and making a write visible at once."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Collection, Iterator

from termlight.errors import GlossaryError
from termlight.loader import TERM_KEYS
from termlight.service import current
from termlight.service.problems import ApiError
from termlight.service.validation import read_json_body
from termlight.store import combined
from termlight.store.team import ChangeRefused, Validator

TERM_FIELDS = TERM_KEYS  # the glossary file format's keys

# White space as JSON Schema patterns (ECMAScript's \s) see it, so that what the OpenAPI
# document calls blank is exactly what these routes refuse (Python's \s also counts \x85, \x1c).
SPACE = ("\t\n\x0b\x0c\r \u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B)))
         + "\u2028\u2029\u202f\u205f\u3000\ufeff")
NON_BLANK = f"[^{SPACE}]"  # a pattern: holds something other than white space
HTTP_URL = f"^https?://{NON_BLANK}+$"


def json_object(allowed: Collection[str], optional: bool = False) -> dict:
    """The request body as a JSON object with only `allowed` keys (422 otherwise)."""
    cfg = current.settings()
    from flask import request

    if optional and not request.content_length and not request.data:
        return {}
    body = read_json_body(cfg.max_body, cfg.body_timeout)
    if not isinstance(body, dict):
        raise ApiError("invalid-request", "The body must be a JSON object.")
    for key in body:
        if key not in allowed:
            raise ApiError("invalid-request", f"Unknown field; allowed: {', '.join(allowed)}.",
                           field=str(key)[:80])
    return body


def text_field(body: dict, key: str, required: bool = False, limit: int = 10_000,
               nullable: bool = False) -> str:
    """A trimmed string field ("" when absent, or null where `nullable`)."""
    value = body.get(key, "")
    if value is None and nullable:
        value = ""
    if not isinstance(value, str):
        raise ApiError("invalid-request", "Must be a string.", field=key)
    if len(value) > limit:  # as sent, like the document's maxLength
        raise ApiError("invalid-request", f"At most {limit} characters.", field=key)
    value = value.strip(SPACE)
    if required and not value:
        raise ApiError("invalid-request", "Must not be empty.", field=key)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ApiError("invalid-request", "Not valid Unicode (a lone surrogate).", field=key) from None
    return value


@contextmanager
def store_errors() -> Iterator[None]:
    """Inside, the store's refusals (conflict, not found, ...) and the glossary problems of a
    write become the API problems the routes answer with."""
    try:
        yield
    except ChangeRefused as err:
        raise ApiError(err.kind, err.detail) from None
    except GlossaryError as err:
        raise invalid(err) from None


def invalid(err: GlossaryError) -> ApiError:
    problems = [p.message if p.file == combined.TEAM_FILE or p.file.startswith("<") else str(p)
                for p in err.problems]
    where = {p.where for p in err.problems if p.where}
    prefix = f"{', '.join(sorted(where))}: " if len(where) == 1 else ""
    return ApiError("invalid-request", prefix + "; ".join(problems), errors=[str(p) for p in err.problems])


def validator() -> Validator:
    return combined.validator(current.service().state.path)


def stored_term(raw: dict) -> dict:
    """The term as `termlight check` would accept it, or 422 with its messages."""
    try:
        return combined.parse_term(raw)
    except GlossaryError as err:
        raise invalid(err) from None


def written() -> None:
    """This worker serves the change from its next request; the others within a poll."""
    current.service().state.check_soon()
