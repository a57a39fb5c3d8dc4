"""Reading and checking request input, so handlers only ever see well-formed values.

Each check answers with a specific problem (and the offending field) instead of
letting bad input reach the matcher, where it could raise and turn into a 500.
The OpenAPI schemas in `openapi.py` describe the same rules; tests check that the
two agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Collection

from flask import request

from termlight import strict_json

from termlight.service.deadline import WATCHDOG
from termlight.engine.offsets import UNITS
from termlight.service.problems import ApiError, safe_text

MATCH_FIELDS = ("text", "texts", "offsets", "glossaries", "context_rule", "explain")
JSON_TYPES = {dict: "an object", list: "an array", str: "a string", bool: "a boolean",
              int: "a number", float: "a number", type(None): "null"}


def _kind(value: object) -> str:
    return JSON_TYPES.get(type(value), type(value).__name__)


def require_json_content_type() -> None:
    """415 unless the body is declared as JSON; JSON is UTF-8 by definition (RFC 8259)."""
    mimetype = request.mimetype or ""
    if not (mimetype == "application/json" or
            (mimetype.startswith("application/") and mimetype.endswith("+json"))):
        shown = safe_text(request.content_type or "none", 100)
        raise ApiError("unsupported-media-type",
                       f"Send the body as application/json, not {shown}.")
    charset = request.mimetype_params.get("charset")
    if charset and charset.lower().replace("-", "") != "utf8":
        raise ApiError("unsupported-media-type",
                       f"JSON must be UTF-8, not {safe_text(charset, 40)}.")


def _read_up_to(stream, size: int) -> bytes:
    chunks, remaining = [], size
    while remaining > 0:
        chunk = stream.read(min(remaining, 1 << 16))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def read_body(limit: int, timeout: float = 0) -> bytes:
    """The raw body, at most `limit` bytes, and exactly as many as Content-Length says.

    Read here rather than with request.get_data(), which silently truncates a chunked
    body at the limit and accepts a body shorter than its Content-Length. Under gunicorn
    the whole body must arrive within `timeout` seconds (0: no limit; see deadline.py).
    """
    sock = request.environ.get("gunicorn.socket")
    watch = WATCHDOG.arm(sock, timeout) if sock is not None and timeout > 0 else None
    try:
        data = _read_declared(limit)
    except ApiError:
        if watch is not None and WATCHDOG.disarm(watch):
            raise _timed_out(timeout) from None
        raise
    if watch is not None:
        WATCHDOG.disarm(watch)  # a body that did arrive in full is served, however late
    return data


def _timed_out(timeout: float) -> ApiError:
    return ApiError("request-timeout", f"The body did not arrive within {timeout:g} s.")


def _read_declared(limit: int) -> bytes:
    environ = request.environ
    declared = request.content_length
    try:
        if declared is not None:
            if declared > limit:
                raise ApiError("too-large", f"The body is {declared} bytes; the limit is {limit}.")
            data = _read_up_to(environ["wsgi.input"], declared)
            if len(data) < declared:
                raise ApiError("invalid-json", f"The body ended after {len(data)} of the "
                                               f"{declared} bytes its Content-Length announced.")
            return data
        if not environ.get("wsgi.input_terminated"):
            return b""  # no length and a server that does not end the stream: unsafe to read
        data = _read_up_to(environ["wsgi.input"], limit + 1)
    except ApiError:
        raise
    except Exception as err:  # the server's reader failed: a broken chunk, a reset, ...
        # Which exceptions depends on the WSGI server (gunicorn raises its own parse
        # errors here); any failure to read the body is the request's fault.
        raise ApiError("bad-request",
                       f"The body could not be read ({type(err).__name__}).") from None
    if len(data) > limit:
        raise ApiError("too-large", f"The body is over the limit of {limit} bytes.")
    return data


def read_json_body(limit: int, timeout: float = 0) -> object:
    """The parsed JSON body; 415, 413, 408 or 400 problems for the wrong type, size, pace or syntax."""
    require_json_content_type()
    raw = read_body(limit, timeout)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ApiError("invalid-json", f"The body is not valid UTF-8 (byte {err.start}).") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        return strict_json.loads(text)
    except strict_json.JSONError as err:
        where = f" at {err.where}" if err.where else ""
        raise ApiError("invalid-json", f"Malformed JSON{where}: {err.message}.") from None


def check_unicode(value: str, field: str) -> None:
    """Lone surrogates survive JSON parsing ("\\ud800") but are not Unicode text."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as err:
        raise ApiError("invalid-request",
                       f"Contains a lone surrogate (U+{ord(value[err.start]):04X}) at index "
                       f"{err.start}; text must be valid Unicode.", field=field) from None


@dataclass(frozen=True)
class MatchRequest:
    text: str | None
    texts: list[str] | None
    offsets: str
    glossaries: list[str] | None
    context_rule: bool = True
    explain: bool = False


def parse_match_request(body: object, max_texts: int, glossary_ids: Collection[str]) -> MatchRequest:
    """Validate a POST /v1/match body; the order makes cheap checks run first."""
    if not isinstance(body, dict):
        raise ApiError("invalid-request", f"The body must be a JSON object, not {_kind(body)}.")
    for key in body:
        if key not in MATCH_FIELDS:
            raise ApiError("invalid-request",
                           f"Unknown field; allowed fields are {', '.join(MATCH_FIELDS)}.",
                           field=safe_text(key, 100))
    has_text, has_texts = "text" in body, "texts" in body
    if has_text == has_texts:
        raise ApiError("invalid-request",
                       "Give exactly one of 'text' (a string) or 'texts' (an array of strings).",
                       field="texts" if has_texts else "text")

    text = texts = None
    if has_text:
        text = body["text"]
        if not isinstance(text, str):
            raise ApiError("invalid-request", f"Must be a string, not {_kind(text)}.", field="text")
        check_unicode(text, "text")
    else:
        texts = body["texts"]
        if not isinstance(texts, list):
            raise ApiError("invalid-request", f"Must be an array of strings, not {_kind(texts)}.",
                           field="texts")
        if len(texts) > max_texts:
            raise ApiError("invalid-request",
                           f"{len(texts)} texts is more than the limit of {max_texts}.",
                           field="texts")
        for i, item in enumerate(texts):
            if not isinstance(item, str):
                raise ApiError("invalid-request", f"Must be a string, not {_kind(item)}.",
                               field=f"texts[{i}]")
            check_unicode(item, f"texts[{i}]")

    offsets = body.get("offsets", "utf16")
    if not isinstance(offsets, str) or offsets not in UNITS:
        shown = safe_text(offsets, 40) if isinstance(offsets, str) else _kind(offsets)
        raise ApiError("invalid-request",
                       f"Must be one of {', '.join(UNITS)}, not {shown}.", field="offsets")

    glossaries = body.get("glossaries")
    if glossaries is not None or "glossaries" in body:
        if not isinstance(glossaries, list) or not glossaries:
            raise ApiError("invalid-request", "Must be a non-empty array of glossary ids.",
                           field="glossaries")
        for i, gid in enumerate(glossaries):
            if not isinstance(gid, str):
                raise ApiError("invalid-request", f"Must be a string, not {_kind(gid)}.",
                               field=f"glossaries[{i}]")
            if gid not in glossary_ids:
                known = ", ".join(sorted(glossary_ids)) or "none"
                raise ApiError("invalid-request",
                               f"Unknown glossary {safe_text(gid, 80)!r}; known: {known}.",
                               field=f"glossaries[{i}]")
    flags = {}
    for name, default in (("context_rule", True), ("explain", False)):
        flags[name] = body.get(name, default)
        if not isinstance(flags[name], bool):
            raise ApiError("invalid-request", f"Must be true or false, not {_kind(flags[name])}.", field=name)
    return MatchRequest(text, texts, offsets, glossaries, **flags)


def query_param(name: str) -> str | None:
    """A query parameter, rejected if given twice (ambiguous) or not valid Unicode."""
    values = request.args.getlist(name)
    if not values:
        return None
    if len(values) > 1:
        raise ApiError("invalid-request", "Give this parameter at most once.", field=name)
    check_unicode(values[0], name)
    return values[0]

