"""CORS for /v1, for exactly the configured origins and nothing that merely resembles one.

flask-cors reads an origin string that contains a character such as `*`, `?`, `[` or `$`
as a regular expression, matched as a prefix: `https://*.example.org` would then allow
`https://xexample.org` and no subdomain at all, and an IPv6 origin (`http://[::1]:8765`)
would not even match itself. So the settings accept only plain origins (checked in
settings.py), and each is handed to flask-cors as an anchored, escaped pattern that
matches that origin alone, case-insensitively as origins compare.
"""

from __future__ import annotations

import re

from flask import Flask, request


def exact_patterns(origins: tuple[str, ...]) -> list[re.Pattern]:
    return [re.compile(re.escape(origin) + r"\Z", re.IGNORECASE) for origin in origins]


def install(app: Flask, origins: tuple[str, ...]) -> None:
    from flask_cors import CORS

    CORS(app, resources={r"/v1/*": {"origins": exact_patterns(origins)}},
         allow_headers=["Authorization", "Content-Type", "If-None-Match"],
         expose_headers=["ETag"], methods=["GET", "POST", "OPTIONS"], max_age=600)

    @app.after_request
    def _vary_on_origin(resp):
        # The answer differs with the Origin header (allowed or not), so a shared cache
        # must key on it, also when this origin was refused.
        if request.path.startswith("/v1/"):
            resp.vary.add("Origin")
        return resp
