"""`termlight serve`: run the service under gunicorn, never Flask's development server.

Flags are turned into the same environment variables that the Procfile and systemd
use (flag > environment > default), then this process *becomes* gunicorn (exec), so
signals from a terminal, systemd or a container runtime reach gunicorn directly.
Tokens travel in the environment, never on gunicorn's command line. The flags are the
settings with a `flag` in termlight.settings.TABLE.
"""

from __future__ import annotations

import errno
import os
import socket
import sys
from pathlib import Path
from typing import Mapping, NoReturn

from termlight import settings

APP = "termlight.service.app:create_app()"
GUNICORN_CONF = "python:termlight.service.gunicorn_conf"


def build_command(environ: Mapping[str, str] | None = None,
                  **flags: object) -> tuple[list[str], dict[str, str]]:
    """The gunicorn argv and environment for these flags (keywords named like the flags:
    port=, token=, max_body=...); None means "not given"."""
    by_dest = {s.dest: s for s in settings.TABLE if s.flag}
    env = dict(os.environ if environ is None else environ)
    for dest, given in flags.items():
        if dest not in by_dest:
            raise TypeError(f"termlight serve has no --{dest.replace('_', '-')} flag")
        if given is None:
            continue
        setting = by_dest[dest]
        if setting.kind is settings.path:  # gunicorn may run elsewhere: make it absolute
            given = Path(given).resolve()  # type: ignore[arg-type]
        elif setting.kind is settings.glossary_list:
            given = setting.parse(os.fspath(given))  # type: ignore[arg-type]
        env[setting.env] = str(given)
    argv = [sys.executable, "-m", "gunicorn", "-c", GUNICORN_CONF, APP]
    return argv, env


def check_port_free(env: Mapping[str, str]) -> None:
    """A busy port is one clear line, not gunicorn's retry loop."""
    host, port = settings.value("host", env), settings.value("port", env)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        return  # gunicorn says what is wrong with the host
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds
        try:
            probe.bind(address)
        except OSError as err:
            if err.errno != errno.EADDRINUSE:
                return
            other = port + 1 if port < 65535 else port - 1
            raise settings.SettingsError(
                f"port {port} on {host} is already in use (another termlight?); choose another "
                f"with PORT={other} make serve, or termlight serve --port {other}") from None


def preflight(env: Mapping[str, str]) -> list[str]:
    """Check settings and the glossary before gunicorn starts; returns warnings.

    Bad settings are fatal (SettingsError). A broken glossary is not: the service
    starts degraded and reports it at /healthz, as it would after a broken edit.
    """
    from termlight import Glossary, GlossaryError
    from termlight.paths import bundled_glossary
    from termlight.store import StoreError, open_database

    cfg = settings.Settings.from_env(env)
    try:  # the team glossary's database must open (and migrate) before workers start
        open_database(cfg.database_url).release()
    except StoreError as err:
        raise settings.SettingsError(f"{settings.BY_NAME['database_url'].env}: {err}") from None
    try:  # through the cache the master reads next, so a big glossary is compiled once, not twice
        Glossary.load(cfg.glossary_path or bundled_glossary(), cache=cfg.cache_dir)
    except GlossaryError as err:
        return ["the glossary has problems; serving degraded until they are fixed:",
                *(f"  {p}" for p in err.problems)]
    return []


def serve(**flags: object) -> NoReturn:
    """Validate, then replace this process with gunicorn serving the app."""
    argv, env = build_command(**flags)
    try:
        warnings = preflight(env)
        check_port_free(env)
    except settings.SettingsError as err:
        print(f"termlight serve: {err}", file=sys.stderr)
        raise SystemExit(2) from None
    for line in warnings:
        print(f"termlight serve: {line}", file=sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(argv[0], argv, env)
