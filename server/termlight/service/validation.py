"""Reading and checking request input, so handlers only ever see well-formed values.

Each check answers with a specific problem (and the offending field) instead of
letting bad input reach the matcher, where it could raise and turn into a 500. The
/v1/match body's own checks are its model's, in `match_request.py`.
"""

from __future__ import annotations

import msgspec
from flask import request

from termlight import strict_json

from termlight.service.deadline import WATCHDOG
from termlight.service.problems import ApiError, safe_text


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
    return parse_json_body(read_body(limit, timeout))


def parse_json_body(raw: bytes) -> object:
    """msgspec's parser, several times faster than strict_json, for the bodies it accepts;
    strict_json decides every other body: its 400 names the line and column, and it lets lone
    surrogates through to the field checks, which msgspec would refuse without naming a field."""
    try:
        return msgspec.json.decode(raw)
    except (msgspec.DecodeError, RecursionError):  # numbers out of range included
        return parse_json_strictly(raw)


def parse_json_strictly(raw: bytes) -> object:
    """The body as strict_json parses it (a BOM allowed), or a 400 saying where it is malformed."""
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


def query_param(name: str) -> str | None:
    """A query parameter, rejected if given twice (ambiguous) or not valid Unicode."""
    values = request.args.getlist(name)
    if not values:
        return None
    if len(values) > 1:
        raise ApiError("invalid-request", "Give this parameter at most once.", field=name)
    check_unicode(values[0], name)
    return values[0]

