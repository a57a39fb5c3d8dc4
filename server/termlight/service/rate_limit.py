"""A per-client request rate limit (Flask-Limiter): 429 problem with Retry-After past it.

Clients are told apart by address (REMOTE_ADDR; behind TERMLIGHT_TRUSTED_PROXIES, the
address the proxies report). The limits count every request a client makes, whatever the
route, except /healthz (monitoring is never locked out) and requests refused as misdirected.

Counters live in memory by default, in each gunicorn worker: a client whose requests go to
both workers of a server may make up to twice as many. Several servers behind one load
balancer should share counters in Redis: TERMLIGHT_RATE_LIMIT_STORAGE=redis://host:6379/0
(with `pip install 'flask-limiter[redis]'`); every storage of the `limits` library works.
"""

from __future__ import annotations

from flask import Flask, request

from termlight.settings import Settings

OFF = "off"


def install(app: Flask, cfg: Settings) -> None:
    if cfg.rate_limit == OFF:
        return
    from flask_limiter import Limiter
    from flask_limiter.util import get_remote_address

    Limiter(get_remote_address, app=app, application_limits=[cfg.rate_limit],
            application_limits_exempt_when=lambda: request.path == "/healthz",
            storage_uri=cfg.rate_limit_storage, strategy="moving-window",
            headers_enabled=True)
