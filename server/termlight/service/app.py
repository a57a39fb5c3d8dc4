"""The Flask application factory: `gunicorn 'termlight.service.app:create_app()'`.

Each gunicorn worker calls create_app() once, loads the glossary itself and keeps
it fresh (see service/reload.py). Everything the app answers is JSON or one of the
two HTML pages; every error is problem+json (service/problems.py).
"""

from __future__ import annotations

import logging
from typing import Mapping

import orjson
from flask import Flask, Response
from flask.json.provider import DefaultJSONProvider
from werkzeug.middleware.proxy_fix import ProxyFix

from termlight.paths import bundled_glossary
from termlight.service import (compiled_api, cors, current, edit_api, health, match_api,
                               rate_limit, roles, suggest_api, terms_api, tokens_api, web)
from termlight.service.allowed_hosts import check_host
from termlight.service.auth import TokenTable
from termlight.service.problems import register_error_handlers
from termlight.service.reload import GlossaryState, LastGood
from termlight.settings import Settings
from termlight.store import open_database
from termlight.store.combined import load_with_team
from termlight.store.team import revisions


class _JSONProvider(DefaultJSONProvider):
    """UTF-8 JSON, not \\u escapes: Japanese terms stay readable and bodies stay small.

    Responses are encoded by orjson: a /v1/match answer with ten thousand matches takes
    about 1.5 ms instead of 27 ms with the standard library (the same bytes otherwise)."""

    ensure_ascii = False
    sort_keys = False
    compact = True

    def response(self, *args, **kwargs) -> Response:
        body = orjson.dumps(self._prepare_response_obj(args, kwargs), default=self.default,
                            option=orjson.OPT_APPEND_NEWLINE)
        return self._app.response_class(body, mimetype=self.mimetype)


def _configure_logging(app: Flask) -> None:
    # Under gunicorn, reuse its error log handlers so app messages land in the same
    # stream with the same format; standalone (tests, flask run) keep Flask's default.
    gunicorn_log = logging.getLogger("gunicorn.error")
    target = logging.getLogger("termlight")
    if gunicorn_log.handlers and not target.handlers:
        target.handlers = list(gunicorn_log.handlers)
        target.setLevel(logging.INFO)
        target.propagate = False


def create_app(config: Mapping[str, object] | None = None) -> Flask:
    """Build the app; `config` overrides environment settings (see Settings fields)."""
    settings = Settings.from_config(config)
    app = Flask(__name__, static_folder=None)
    app.json = _JSONProvider(app)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body
    # No redirect from "/v1//match" to "/v1/match": werkzeug's redirect has an HTML body,
    # and an API client should get one clear answer (a 404 problem) for a wrong path.
    app.url_map.merge_slashes = False
    _configure_logging(app)
    if settings.trusted_proxies:
        # The client's address behind nginx & co.: werkzeug rewrites REMOTE_ADDR (and the
        # scheme) from the proxies' headers, in place, so gunicorn's access log shows it too.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies,
                                x_proto=settings.trusted_proxies)

    db = open_database(settings.database_url)  # creates and migrates it
    state = GlossaryState(settings.glossary_path or bundled_glossary(),
                          interval=settings.reload_interval,
                          last_good=LastGood(settings.state_dir) if settings.state_dir else None,
                          loader=lambda path: load_with_team(path, db),
                          watch=lambda: ("database", f"revision {revisions(db)[0]}"))
    token_table = TokenTable(db)
    app.extensions[current.EXTENSION_KEY] = current.Service(settings, state, db, token_table)

    app.before_request(check_host)  # first: a misdirected request gets nothing else
    rate_limit.install(app, settings)  # then the limit, also for requests without a token
    app.before_request(roles.guard)

    for blueprint in (match_api.bp, terms_api.bp, compiled_api.bp, edit_api.bp, suggest_api.bp,
                      tokens_api.bp, health.bp, web.bp):
        app.register_blueprint(blueprint)
    register_error_handlers(app)

    if settings.cors_origins:
        cors.install(app, settings.cors_origins)

    @app.after_request
    def _common_headers(resp):
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "no-referrer")
        return resp

    # gunicorn forks its workers from this process (preload): no connection may cross.
    db.release()
    return app
