"""Every setting of termlight, declared once in ``TABLE``.

Each setting is an environment variable (so gunicorn workers, the Procfile, systemd units and
``termlight serve`` configure the service the same way); some are also ``termlight serve`` flags
(flag > environment > default). Everything else is derived from ``TABLE``: the ``Settings``
record the app reads, the serve flags and their help, the preflight and gunicorn's config
checks, the cache directory, the CLI's ``--glossary`` default and the README's configuration
table (``python -m termlight.settings`` prints it; tests/core/test_settings.py fails when the
README and ``TABLE`` differ).

To add a setting, add one ``Setting(...)`` to ``TABLE``:

    Setting("header_timeout", "TERMLIGHT_HEADER_TIMEOUT", seconds, 5.0,
            default_doc="5", help="seconds a client may take to send its request head"),

* ``name`` becomes the attribute of ``Settings`` (``current.settings().header_timeout``).
* ``kind`` parses the raw string and says what is wrong in a few words; use one of the kinds
  below (``text``, ``path``, ``whole(minimum)``, ``seconds``, ``port``, ``comma_list(item)``,
  ``origin``, ``flag_bool``) or write one more: a function ``str -> value`` that raises
  ``ValueError("must be ..., not 'x'")`` (the variable's name is put in front).
* ``default`` is the value when the variable is unset or blank; a callable is called with the
  environment (for defaults that depend on the machine).
* ``flag="--header-timeout"`` also makes it a ``termlight serve`` flag; ``secret=True`` keeps
  the value out of reprs.
* Then run ``python -m termlight.settings`` and paste its table into the README's
  "Configuration" section.

This module is part of the core: it imports neither Flask nor gunicorn.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, make_dataclass
from pathlib import Path
from typing import Any, Callable, Mapping


class SettingsError(ValueError):
    """A setting has a value that cannot be used; the message names the variable."""


# ---- kinds: each parses one raw (stripped, non-blank) string or raises ValueError ----

def text(raw: str) -> str:
    return raw


def path(raw: str) -> str:
    return os.fspath(Path(raw).expanduser())


BUNDLED = "bundled"  # in TERMLIGHT_GLOSSARY: the glossary that ships with termlight


def glossary_list(raw: str) -> str:
    """One or more glossary files or folders, comma-separated; ``bundled`` names the bundled one.

    The value stays one string (entries made absolute, joined by commas), which is what
    ``Glossary.load`` and ``termlight.paths.as_paths`` take.
    """
    from termlight.paths import bundled_glossary

    entries = split_list(raw)
    if not entries:
        raise ValueError(f"must name a glossary file or folder (or {BUNDLED!r}), not {raw!r}")
    return ",".join(os.fspath(bundled_glossary()) if e == BUNDLED else os.path.abspath(Path(e).expanduser())
                    for e in entries)


def whole(minimum: int = 1) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            raise ValueError(f"must be a whole number, not {raw!r}") from None
        if value < minimum:
            raise ValueError(f"must be at least {minimum}, not {value}")
        return value
    parse.__name__ = f"whole(minimum={minimum})"
    return parse


def seconds(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"must be a number of seconds, not {raw!r}") from None
    if not 0 <= value < float("inf"):  # also refuses nan
        raise ValueError(f"must not be negative or infinite, not {raw!r}")
    return value


def positive_seconds(raw: str) -> float:
    value = seconds(raw)
    if value <= 0:
        raise ValueError(f"must be more than 0 seconds, not {raw!r}")
    return value




def rate_limits(raw: str) -> str:
    """`off`, or limits in the `limits` library's notation: `100/second;3000/minute`."""
    if raw.lower() == "off":
        return "off"
    from limits import parse_many

    try:
        parse_many(raw)
    except ValueError:
        raise ValueError(f"must be limits such as '100/second;3000/minute', or 'off'; "
                         f"not {raw!r}") from None
    return raw


def port(raw: str) -> int:
    if not (raw.isascii() and raw.isdigit() and 0 < int(raw) < 65536):
        raise ValueError(f"must be a port number (1-65535), not {raw!r}")
    return int(raw)


def flag_bool(raw: str) -> bool:
    lowered = raw.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"must be 1/true/yes/on or 0/false/no/off, not {raw!r}")


def split_list(value: str | None) -> tuple[str, ...]:
    """Split a comma-separated setting, dropping blanks, so "a, b," means ("a", "b")."""
    if not value:
        return ()
    return tuple(part.strip() for part in value.split(",") if part.strip())


def comma_list(item: Callable[[str], Any] = text) -> Callable[[str], tuple]:
    def parse(raw: str) -> tuple:
        return tuple(item(part) for part in split_list(raw))
    parse.__name__ = f"comma_list({item.__name__})"
    return parse


# host[:port], IPv6 hosts in brackets; always used with fullmatch.
_HOST_PORT = r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?"
# scheme://host[:port], the form a browser sends in its Origin header.
_ORIGIN = re.compile(r"https?://" + _HOST_PORT)
# What a Host header may be allowed as: a name, `.name` for its subdomains, or `*`.
_ALLOWED_HOST = re.compile(r"\*|\.?" + _HOST_PORT)


def origin(raw: str) -> str:
    if not _ORIGIN.fullmatch(raw):
        raise ValueError(f"must list origins as scheme://host[:port]; {raw!r} is not one "
                         f"(no wildcards, paths or trailing slashes)")
    return raw


def host_name(raw: str) -> str:
    if not _ALLOWED_HOST.fullmatch(raw):
        raise ValueError(f"must list host names as name[:port] (`.example.org` for subdomains, "
                         f"`*` for any); {raw!r} is not one")
    return raw.lower()


# ---- defaults that depend on the machine ----

def default_workers(env: Mapping[str, str] | None = None) -> int:
    """A small worker count: matching is CPU-bound and each worker holds a glossary copy."""
    return max(2, min(2 * (os.cpu_count() or 1) + 1, 4))


def default_cache_dir(env: Mapping[str, str]) -> str:
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return os.fspath(Path(base) / "termlight")


def default_database_url(env: Mapping[str, str]) -> str:
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return "sqlite:///" + os.fspath(Path(base) / "termlight" / "termlight.sqlite3")


def database_url(raw: str) -> str:
    if raw.startswith(("postgresql://", "postgres://")) or raw.startswith("sqlite:///"):
        return raw
    raise ValueError("must be postgresql://user:password@host:port/dbname or "
                     "sqlite:///absolute/path")


# ---- the table ----

@dataclass(frozen=True)
class Setting:
    name: str  # attribute of Settings
    env: str  # environment variable
    kind: Callable[[str], Any]  # parses the raw string (see the kinds above)
    default: Any  # value when unset or blank; a callable gets the environment
    default_doc: str  # the default as the README shows it
    help: str  # one line for the README and --help
    flag: str | None = None  # the `termlight serve` flag, if any
    secret: bool = False  # never shown in reprs

    def parse(self, raw: str) -> Any:
        try:
            return self.kind(raw)
        except ValueError as err:
            raise SettingsError(f"{self.env} {err}") from None

    def read(self, env: Mapping[str, str]) -> Any:
        raw = env.get(self.env, "").strip()
        if raw:
            return self.parse(raw)
        return self.default(env) if callable(self.default) else self.default

    @property
    def dest(self) -> str | None:
        """The flag as an argparse destination (``--max-body`` -> ``max_body``)."""
        return self.flag[2:].replace("-", "_") if self.flag else None


TABLE: tuple[Setting, ...] = (
    Setting("glossary_path", "TERMLIGHT_GLOSSARY", glossary_list, None, "the bundled glossary",
            "a glossary file or a directory of `*.json` glossaries; several, comma-separated, are "
            "served together, and `bundled` names the bundled glossary (`bundled,/srv/team`)",
            flag="--glossary"),
    Setting("tokens", "TERMLIGHT_API_TOKEN", comma_list(), (), "none (open)",
            "one or more shared tokens, comma-separated, with the *reader* role (name "
            "`api-token`); once any token exists (this or `termlight token add`), every `/v1` "
            "route needs `Authorization: Bearer <token>`", flag="--token", secret=True),
    Setting("database_url", "TERMLIGHT_DATABASE_URL", database_url, default_database_url,
            "`sqlite:///$XDG_DATA_HOME/termlight/termlight.sqlite3` (or under `~/.local/share`)",
            "where the team glossary, suggestions and named tokens live: a SQLite file "
            "(`sqlite:///path`, one host) or PostgreSQL (`postgresql://user:pw@host/db`, several "
            "hosts serving one team)", secret=True),
    Setting("cors_origins", "TERMLIGHT_CORS_ORIGINS", comma_list(origin), (), "none",
            "comma-separated origins allowed to call `/v1` from web pages (the extension does not "
            "need this); plain origins only (`https://wiki.example.org`), matched exactly — a "
            "wildcard, path or trailing slash is refused at startup", flag="--cors-origins"),
    Setting("max_body", "TERMLIGHT_MAX_BODY", whole(1), 5 * 1024 * 1024, "5242880 (5 MiB)",
            "largest request body, in bytes", flag="--max-body"),
    Setting("max_texts", "TERMLIGHT_MAX_TEXTS", whole(1), 10_000, "10000",
            "most texts in one batch", flag="--max-texts"),
    Setting("port", "PORT", port, 8765, "8765", "port", flag="--port"),
    Setting("host", "TERMLIGHT_HOST", text, "127.0.0.1", "127.0.0.1",
            "address to bind; use `0.0.0.0` only behind a firewall or a reverse proxy",
            flag="--host"),
    Setting("workers", "WEB_CONCURRENCY", whole(1), default_workers, "2–4, by CPU count",
            "gunicorn worker processes (4 threads each)", flag="--workers"),
    Setting("allowed_hosts", "TERMLIGHT_ALLOWED_HOSTS", comma_list(host_name), (),
            "on a loopback address: `localhost`, `127.0.0.1`, `[::1]` with the port; else any",
            "comma-separated names this server answers for in the `Host` header "
            "(`wiki.example.org`, `wiki.example.org:8443`, `.example.org` for subdomains, `*` "
            "for any); any other Host gets 421, which stops DNS-rebinding pages"),
    Setting("rate_limit", "TERMLIGHT_RATE_LIMIT", rate_limits, "100/second;3000/minute",
            "`100/second;3000/minute`",
            "requests one client (address) may make, all routes but `/healthz` together, "
            "counted per worker; past it 429 with `Retry-After`; `off` to disable"),
    Setting("rate_limit_storage", "TERMLIGHT_RATE_LIMIT_STORAGE", text, "memory://",
            "`memory://`",
            "where the rate-limit counters live; `redis://host:6379/0` shares them between "
            "workers and hosts (`pip install 'flask-limiter[redis]'`)"),
    Setting("trusted_proxies", "TERMLIGHT_TRUSTED_PROXIES", whole(0), 0, "0",
            "how many reverse proxies in front of termlight to believe: the client address "
            "(logs, limits) and scheme come from the last that many `X-Forwarded-For` / "
            "`X-Forwarded-Proto` entries; 0 ignores those headers (any client can forge them)"),
    Setting("reload_interval", "TERMLIGHT_RELOAD_INTERVAL", seconds, 0.5, "0.5",
            "seconds between each worker's look at the glossary files"),
    Setting("body_timeout", "TERMLIGHT_BODY_TIMEOUT", seconds, 30.0, "30",
            "seconds a whole request body may take to arrive (then 408); 0 for no limit"),
    Setting("header_timeout", "TERMLIGHT_HEADER_TIMEOUT", positive_seconds, 5.0, "5",
            "seconds a connection may take to send its whole request head, from connecting or "
            "from its first byte after a kept-alive pause (then 408 and closed; closed silently "
            "if it sent nothing)"),
    Setting("cache_dir", "TERMLIGHT_CACHE_DIR", path, default_cache_dir,
            "`$XDG_CACHE_HOME/termlight` or `~/.cache/termlight`",
            "compiled glossaries, keyed by the files' bytes, so workers and reloads start fast "
            "(a 100k-term glossary: 0.4 s instead of 5 s)"),
    Setting("state_dir", "TERMLIGHT_STATE_DIR", path, None,
            "a private temporary directory per server",
            "where a server's workers keep the last good glossary for each other; gunicorn's "
            "master makes (and removes) one when unset"),
)

BY_NAME: dict[str, Setting] = {s.name: s for s in TABLE}
assert len(BY_NAME) == len(TABLE), "two settings with one name"
assert len({s.env for s in TABLE}) == len(TABLE), "two settings with one variable"


def value(name: str, env: Mapping[str, str] | None = None) -> Any:
    """One setting, read and checked on its own (for code that needs only this one)."""
    return BY_NAME[name].read(os.environ if env is None else env)


def _build_settings_class() -> type:
    fields = [(s.name, object, field(default=None, repr=not s.secret)) for s in TABLE]
    return make_dataclass("Settings", fields, frozen=True, namespace={
        "__doc__": "Every setting's value, one attribute per entry of TABLE.",
        "from_env": classmethod(_from_env),
        "from_config": classmethod(_from_config),
        "__module__": __name__,
    })


def _from_env(cls, env: Mapping[str, str] | None = None):
    """Read and check every setting; the first bad one raises SettingsError."""
    env = os.environ if env is None else env
    return cls(**{s.name: s.read(env) for s in TABLE})


def _from_config(cls, config: Mapping[str, object] | None = None, env: Mapping[str, str] | None = None):
    """The environment, then explicit overrides by name (used by tests and embedders).

    A string is parsed like the variable's value; a list is joined with commas first; a path
    object becomes a string; anything else (an int, None) is taken as it is.
    """
    base = _from_env(cls, env)
    if not config:
        return base
    values = {s.name: getattr(base, s.name) for s in TABLE}
    for key, given in config.items():
        if key not in BY_NAME:
            raise SettingsError(f"unknown setting {key!r}")
        if isinstance(given, os.PathLike):
            given = os.fspath(given)
        if isinstance(given, (list, tuple)):
            given = ",".join(given)
        values[key] = BY_NAME[key].parse(given.strip()) if isinstance(given, str) else given
    return cls(**values)


Settings = _build_settings_class()


def markdown_table() -> str:
    """The README's configuration table, from TABLE."""
    lines = ["| Variable | Flag | Default | Meaning |", "| --- | --- | --- | --- |"]
    for s in TABLE:
        flag = f"`{s.flag}`" if s.flag else "—"
        lines.append(f"| `{s.env}` | {flag} | {s.default_doc} | {s.help} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown_table())
