"""`termlight serve`: run the service under gunicorn, never Flask's development server.

Flags are turned into the same environment variables that the Procfile and systemd
use (flag > environment > default), then this process *becomes* gunicorn (exec), so
signals from a terminal, systemd or a container runtime reach gunicorn directly.
Tokens travel in the environment, never on gunicorn's command line.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Mapping, NoReturn

from termlight.service import settings as s

APP = "termlight.service.app:create_app()"
GUNICORN_CONF = "python:termlight.service.gunicorn_conf"


def build_command(glossary: str | os.PathLike | None = None, host: str | None = None,
                  port: int | None = None, workers: int | None = None, token: str | None = None,
                  cors_origins: str | None = None, max_body: int | None = None,
                  max_texts: int | None = None,
                  environ: Mapping[str, str] | None = None) -> tuple[list[str], dict[str, str]]:
    """The gunicorn argv and environment for these flags; None means "not given"."""
    env = dict(os.environ if environ is None else environ)
    overrides = {
        s.ENV_GLOSSARY: str(Path(glossary).resolve()) if glossary else None,
        s.ENV_HOST: host,
        s.ENV_PORT: None if port is None else str(port),
        s.ENV_WORKERS: None if workers is None else str(workers),
        s.ENV_TOKEN: token,
        s.ENV_CORS: cors_origins,
        s.ENV_MAX_BODY: None if max_body is None else str(max_body),
        s.ENV_MAX_TEXTS: None if max_texts is None else str(max_texts),
    }
    env.update({name: value for name, value in overrides.items() if value is not None})
    argv = [sys.executable, "-m", "gunicorn", "-c", GUNICORN_CONF, APP]
    return argv, env


def preflight(env: Mapping[str, str]) -> list[str]:
    """Check settings and the glossary before gunicorn starts; returns warnings.

    Bad settings are fatal (SettingsError). A broken glossary is not: the service
    starts degraded and reports it at /healthz, as it would after a broken edit.
    """
    from termlight import Glossary, GlossaryError
    from termlight.paths import bundled_glossary

    cfg = s.Settings.from_env(env)
    port = env.get(s.ENV_PORT, "")
    if port and not (port.isdigit() and 0 < int(port) < 65536):
        raise s.SettingsError(f"{s.ENV_PORT} must be a port number, not {port!r}")
    workers = env.get(s.ENV_WORKERS, "")
    if workers and not (workers.isdigit() and int(workers) > 0):
        raise s.SettingsError(f"{s.ENV_WORKERS} must be a positive whole number, not {workers!r}")
    try:
        Glossary.load(cfg.glossary_path or bundled_glossary())
    except GlossaryError as err:
        return ["the glossary has problems; serving degraded until they are fixed:",
                *(f"  {p}" for p in err.problems)]
    return []


def serve(glossary=None, host=None, port=None, workers=None, token=None, cors_origins=None,
          max_body=None, max_texts=None) -> NoReturn:
    """Validate, then replace this process with gunicorn serving the app."""
    argv, env = build_command(glossary, host, port, workers, token, cors_origins, max_body,
                              max_texts)
    try:
        warnings = preflight(env)
    except s.SettingsError as err:
        print(f"termlight serve: {err}", file=sys.stderr)
        raise SystemExit(2) from None
    for line in warnings:
        print(f"termlight serve: {line}", file=sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(argv[0], argv, env)
