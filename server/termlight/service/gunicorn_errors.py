"""Make gunicorn's own error answers problem+json too.

Requests that are broken at the HTTP level (a request line over 4094 bytes, a header
too large, a bad chunked encoding) never reach Flask: gunicorn answers them itself,
with a small HTML page. Clients of this API expect one error shape everywhere, so
gunicorn's error writer is replaced by one that sends RFC 9457 JSON. gunicorn calls
it as `util.write_error(sock, status, reason, message)`; the message is gunicorn's
own description of what was wrong with the request.
"""

from __future__ import annotations

import json

from termlight.service.problems import PROBLEM_MIME, PROBLEM_TYPES, type_uri

_SLUGS = {status: slug for slug, (status, _t, _w) in PROBLEM_TYPES.items()}
_SLUGS[400] = "bad-request"


def problem_bytes(status: int, reason: str, message: str) -> bytes:
    slug = _SLUGS.get(status)
    body = {
        "type": type_uri(slug) if slug else "about:blank",
        "title": PROBLEM_TYPES[slug][1] if slug else reason,
        "status": status,
        "detail": message[:300] or reason,
    }
    payload = json.dumps(body).encode("utf-8")  # ASCII-only: safe to frame as latin-1
    head = (f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\n"
            f"Content-Type: {PROBLEM_MIME}\r\nContent-Length: {len(payload)}\r\n"
            f"X-Content-Type-Options: nosniff\r\n\r\n")
    return head.encode("latin-1") + payload


def install() -> None:
    """Swap gunicorn's HTML error writer for the problem+json one (in this process)."""
    from gunicorn import util

    def write_problem(sock, status_int, reason, mesg):
        util.write_nonblock(sock, problem_bytes(int(status_int), str(reason), str(mesg)))

    util.write_error = write_problem
