"""Answer only requests addressed to this service by name: the defence against DNS rebinding.

A web page on `evil.example` can make its own name resolve to 127.0.0.1 and then read
`http://evil.example:8765/...` as same-origin: the browser sends `Host: evil.example:8765`
to termlight on the loopback address. So a request whose Host is not allowed is answered
421 (problem+json) before anything else runs.

* TERMLIGHT_ALLOWED_HOSTS lists the names (`wiki.example.org`, `wiki.example.org:8443`,
  `.example.org` for every subdomain, `*` for any); an entry with a port allows that port
  only. werkzeug's host_is_trusted() checks the name (its characters, IDNA).
* Unset, on a loopback address (the default, `127.0.0.1`): `localhost`, `127.0.0.1` and
  `[::1]`, with the port the server listens on, or with no port (no page can make a browser
  send a loopback name, so no port cannot be an attack).
* Unset, on any other address or behind trusted proxies (TERMLIGHT_TRUSTED_PROXIES): any
  Host, as before; name the service's hosts to close it.
"""

from __future__ import annotations

import ipaddress

from flask import request
from werkzeug.sansio.utils import host_is_trusted

from termlight.service import current
from termlight.service.problems import ApiError, safe_text

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")
ANY = "*"


def split_host(value: str) -> tuple[str, str | None]:
    """`name[:port]` (IPv6 in brackets) into the name and the port: None without a colon,
    "" for `name:`."""
    if value.startswith("["):
        name, _, rest = value.partition("]")
        return name + "]", rest[1:] if rest.startswith(":") else None
    name, sep, port = value.partition(":")
    return name, port if sep else None


def _is_loopback(address: str) -> bool:
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(environ: dict) -> tuple[str, ...] | None:
    """The Host values this request may carry (`name` or `name:port`), or None for any."""
    cfg = current.settings()
    if cfg.allowed_hosts:
        return None if ANY in cfg.allowed_hosts else cfg.allowed_hosts
    if cfg.trusted_proxies or not _is_loopback(environ.get("SERVER_NAME", "")):
        return None
    port = environ.get("SERVER_PORT", "")
    # `name:` (an empty port) allows the name sent without a port, and nothing else.
    return tuple(f"{name}:{p}" for name in LOOPBACK_NAMES for p in (port, ""))


def host_allowed(host: str, allowed: tuple[str, ...]) -> bool:
    host = host.strip().lower()
    if not host_is_trusted(host):  # the characters of a host name or an IP literal, a valid port
        return False
    host_name, port = split_host(host)
    for entry in allowed:
        name, wanted = split_host(entry.lower())
        # werkzeug compares names (and subdomains, IDNA); it cannot read an IPv6 entry.
        same = host_name == name if name.startswith("[") else host_is_trusted(host, [name])
        if same and (wanted is None or wanted == (port or "")):
            return True
    return False


def check_host() -> None:
    """before_request hook: 421 unless the Host header names this service."""
    allowed = allowed_hosts(request.environ)
    if allowed is None:
        return
    host = request.environ.get("HTTP_HOST", "")
    if not host_allowed(host, allowed):
        raise ApiError("misdirected-request",
                       f"This server does not answer for the host {safe_text(host, 100)!r}; "
                       f"see TERMLIGHT_ALLOWED_HOSTS.", field="Host")
