"""Service configuration, read from the environment in one place.

Every setting is an environment variable so that gunicorn workers, the Procfile and
systemd units all configure the app the same way; `termlight serve` flags are turned
into these variables before gunicorn starts (flag > environment > default).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Mapping

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
DEFAULT_MAX_BODY = 5 * 1024 * 1024
DEFAULT_MAX_TEXTS = 10_000
DEFAULT_RELOAD_INTERVAL = 0.5
DEFAULT_BODY_TIMEOUT = 30.0

# Names of the environment variables; `serve` and the docs use the same table.
ENV_GLOSSARY = "TERMLIGHT_GLOSSARY"
ENV_TOKEN = "TERMLIGHT_API_TOKEN"
ENV_CORS = "TERMLIGHT_CORS_ORIGINS"
ENV_MAX_BODY = "TERMLIGHT_MAX_BODY"
ENV_MAX_TEXTS = "TERMLIGHT_MAX_TEXTS"
ENV_RELOAD_INTERVAL = "TERMLIGHT_RELOAD_INTERVAL"
ENV_BODY_TIMEOUT = "TERMLIGHT_BODY_TIMEOUT"  # seconds for a whole request body; 0: no limit
ENV_STATE_DIR = "TERMLIGHT_STATE_DIR"  # set by gunicorn_conf; where workers share state
ENV_DATABASE_URL = "TERMLIGHT_DATABASE_URL"  # postgresql://... or sqlite:///path; default: a file
ENV_HOST = "TERMLIGHT_HOST"
ENV_PORT = "PORT"
ENV_WORKERS = "WEB_CONCURRENCY"


# scheme://host[:port], the form a browser sends in its Origin header (IPv6 hosts in brackets).
_ORIGIN = re.compile(r"https?://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?\Z")


class SettingsError(ValueError):
    """A setting has a value that cannot be used; the message names the variable."""


def split_list(value: str | None) -> tuple[str, ...]:
    """Split a comma-separated setting, dropping blanks, so "a, b," means ("a", "b")."""
    if not value:
        return ()
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 1) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, not {value}")
    return value


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number of seconds, not {raw!r}") from None
    if value < 0:
        raise SettingsError(f"{name} must not be negative")
    return value


def default_workers() -> int:
    """A small worker count: matching is CPU-bound and each worker holds a glossary copy."""
    return max(2, min(2 * (os.cpu_count() or 1) + 1, 4))


@dataclass(frozen=True)
class Settings:
    """What the Flask app needs to know; gunicorn-only settings live in gunicorn_conf."""

    glossary_path: str | None = None  # None means the bundled glossary
    tokens: tuple[str, ...] = field(default=(), repr=False)  # never shown in reprs/logs
    cors_origins: tuple[str, ...] = ()
    max_body: int = DEFAULT_MAX_BODY
    max_texts: int = DEFAULT_MAX_TEXTS
    reload_interval: float = DEFAULT_RELOAD_INTERVAL
    body_timeout: float = DEFAULT_BODY_TIMEOUT
    state_dir: str | None = None
    database_url: str | None = field(default=None, repr=False)  # may hold a password

    def __post_init__(self) -> None:
        for origin in self.cors_origins:
            if not _ORIGIN.match(origin):
                raise SettingsError(
                    f"{ENV_CORS}: {origin!r} is not an origin; list each one as "
                    f"scheme://host[:port] (no wildcards, paths or trailing slashes)")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if env is None else env
        return cls(
            glossary_path=env.get(ENV_GLOSSARY, "").strip() or None,
            tokens=split_list(env.get(ENV_TOKEN)),
            cors_origins=split_list(env.get(ENV_CORS)),
            max_body=_int(env, ENV_MAX_BODY, DEFAULT_MAX_BODY),
            max_texts=_int(env, ENV_MAX_TEXTS, DEFAULT_MAX_TEXTS),
            reload_interval=_float(env, ENV_RELOAD_INTERVAL, DEFAULT_RELOAD_INTERVAL),
            body_timeout=_float(env, ENV_BODY_TIMEOUT, DEFAULT_BODY_TIMEOUT),
            state_dir=env.get(ENV_STATE_DIR, "").strip() or None,
            database_url=env.get(ENV_DATABASE_URL, "").strip() or None,
        )

    @classmethod
    def from_config(cls, config: Mapping[str, object] | None) -> "Settings":
        """Environment first, then explicit overrides (used by tests and embedders).

        Overrides use the field names (glossary_path, tokens, ...); tokens and
        cors_origins may be given as a list or as a comma-separated string.
        """
        base = cls.from_env()
        if not config:
            return base
        values = {name: getattr(base, name) for name in cls.__dataclass_fields__}
        for key, value in config.items():
            if key not in values:
                raise SettingsError(f"unknown setting {key!r}")
            if key in ("tokens", "cors_origins") and isinstance(value, str):
                value = split_list(value)
            elif key in ("tokens", "cors_origins"):
                value = tuple(value)  # type: ignore[arg-type]
            if key in ("glossary_path", "state_dir") and value is not None:
                value = os.fspath(value)  # type: ignore[arg-type]
            values[key] = value
        return cls(**values)  # type: ignore[arg-type]
