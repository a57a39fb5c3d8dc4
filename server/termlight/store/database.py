"""One small interface over SQLite and PostgreSQL: transactions that run plain SQL.

SQL is written once with `?` placeholders; for PostgreSQL they become `%s`. A write
transaction is serialised against every other write to the glossary (SQLite's
BEGIN IMMEDIATE; an advisory lock on PostgreSQL), so a check and the write that
depends on it (an If-Match, a form clash) see the same state on every host.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any, Iterator, Sequence
from urllib.parse import unquote, urlsplit

# Any number: the key of the advisory lock that serialises glossary writes on PostgreSQL.
WRITE_LOCK_KEY = 7_460_815
SQLITE_BUSY_MS = 10_000


class StoreError(RuntimeError):
    """The database cannot be opened or used; the message says which and why."""


def describe_url(url: str) -> str:
    """The URL without its password, for logs and messages."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(":" + parts.password + "@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return url


class Tx:
    """The statements of one transaction."""

    def __init__(self, cursor: Any, postgres: bool):
        self._cur = cursor
        self._postgres = postgres

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self._postgres else sql

    def run(self, sql: str, params: Sequence = ()) -> int:
        self._cur.execute(self._sql(sql), tuple(params))
        return self._cur.rowcount

    def all(self, sql: str, params: Sequence = ()) -> list[tuple]:
        self._cur.execute(self._sql(sql), tuple(params))
        return list(self._cur.fetchall())

    def one(self, sql: str, params: Sequence = ()) -> tuple | None:
        self._cur.execute(self._sql(sql), tuple(params))
        return self._cur.fetchone()


class Database:
    """A SQLite file or a PostgreSQL server, chosen by the URL."""

    def __init__(self, url: str):
        self.url = url
        scheme = urlsplit(self.url).scheme.lower()
        if scheme in ("postgres", "postgresql"):
            self.postgres = True
            self.path: Path | None = None
        elif scheme == "sqlite":
            self.postgres = False
            raw = unquote(self.url[len("sqlite://"):])
            if not raw.startswith("/"):
                raise StoreError(f"TERMLIGHT_DATABASE_URL: {self.url!r}: use sqlite:///absolute/path")
            self.path = Path(raw)
        else:
            raise StoreError(f"TERMLIGHT_DATABASE_URL: {describe_url(self.url)!r} is neither "
                             "postgresql://... nor sqlite:///path")
        self._local = threading.local()

    @property
    def dialect(self) -> str:
        return "postgres" if self.postgres else "sqlite"

    def __repr__(self) -> str:
        return f"<Database {describe_url(self.url)}>"

    # -- connections ---------------------------------------------------------------
    def _sqlite(self) -> sqlite3.Connection:
        assert self.path is not None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=SQLITE_BUSY_MS / 1000, isolation_level=None)
        except (OSError, sqlite3.Error) as err:
            raise StoreError(f"cannot open the database {self.path}: {err}") from err
        conn.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
        return conn

    def _postgres(self):
        """This thread's connection (reconnecting after a failure or a fork)."""
        import psycopg

        held = getattr(self._local, "conn", None)
        if held is not None and held[0] == os.getpid() and not held[1].closed:
            return held[1]
        try:
            conn = psycopg.connect(self.url, autocommit=True, connect_timeout=5)
        except psycopg.Error as err:
            raise StoreError(f"cannot connect to {describe_url(self.url)}: {err}") from err
        self._local.conn = (os.getpid(), conn)
        return conn

    def use_wal(self) -> None:
        """SQLite: readers (every worker's reload check) run while one writer writes; the
        mode is kept in the file, so setting it once is enough. Nothing to do on PostgreSQL."""
        if not self.postgres:
            conn = self._sqlite()
            try:
                conn.execute("PRAGMA journal_mode = WAL")
            finally:
                conn.close()

    def release(self) -> None:
        """Close this thread's PostgreSQL connection (before gunicorn forks its workers)."""
        held = getattr(self._local, "conn", None)
        self._local.conn = None
        if held is not None and held[0] == os.getpid():
            held[1].close()

    @contextlib.contextmanager
    def transaction(self, write: bool = False) -> Iterator[Tx]:
        """Run statements atomically; a write waits for other writers (see the module doc)."""
        if self.postgres:
            yield from self._pg_transaction(write)
            return
        conn = self._sqlite()
        try:
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield Tx(conn.cursor(), postgres=False)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        except sqlite3.Error as err:
            raise StoreError(f"database error: {err}") from err
        finally:
            conn.close()

    def _pg_transaction(self, write: bool) -> Iterator[Tx]:
        import psycopg

        conn = self._postgres()
        try:
            with conn.transaction(), conn.cursor() as cur:
                if write:
                    cur.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
                yield Tx(cur, postgres=True)
        except psycopg.Error as err:
            if conn.closed or conn.broken:
                self._local.conn = None
            raise StoreError(f"database error: {err}") from err


def open_database(url: str) -> Database:
    """Open (creating if needed) and migrate the database at `url` (TERMLIGHT_DATABASE_URL)."""
    from termlight.store.migrations import migrate

    db = Database(url)
    migrate(db)
    return db
