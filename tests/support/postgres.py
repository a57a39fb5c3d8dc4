"""A throwaway PostgreSQL server for tests, from the machine's binaries (Debian's
`postgresql` package; `make test` installs it when missing).

initdb refuses to run as root, so as root the server runs as the `postgres` user the
package creates, in a temporary directory that user owns, on a free loopback port.
Unix sockets stay inside that directory; clients connect over TCP.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from typing import Iterator


class PostgresUnavailable(RuntimeError):
    pass


def bindir() -> str:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    if not found:
        raise PostgresUnavailable("no /usr/lib/postgresql/*/bin/initdb: run `make postgres` "
                                  "(apt-get install postgresql)")
    return os.path.dirname(found[-1])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_user() -> tuple[list[str], pwd.struct_passwd | None]:
    if os.geteuid() != 0:
        return [], None
    user = pwd.getpwnam("postgres")
    return ["runuser", "-u", "postgres", "--"], user


class PgServer:
    def __init__(self, port: int):
        self.port = port
        self.admin_url = f"postgresql://termlight@127.0.0.1:{port}/postgres"
        self._count = 0

    def new_database(self) -> str:
        """A postgresql:// URL of a new, empty database."""
        import psycopg

        self._count += 1
        name = f"team{self._count}"
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return f"postgresql://termlight@127.0.0.1:{self.port}/{name}"


@contextlib.contextmanager
def run_postgres(timeout: float = 60) -> Iterator[PgServer]:
    """Start a private PostgreSQL server; yields it (new_database() gives a URL)."""
    import psycopg

    bin_ = bindir()
    prefix, user = _as_user()
    # As root the server runs as `postgres`, which cannot enter the tests' private TMPDIR.
    base = tempfile.mkdtemp(prefix="termlight-pg-", dir="/tmp" if user is not None else None)
    data = os.path.join(base, "data")
    if user is not None:
        os.chown(base, user.pw_uid, user.pw_gid)
    log = open(os.path.join(base, "server.log"), "wb")
    proc = None
    try:
        init = subprocess.run([*prefix, f"{bin_}/initdb", "-D", data, "-A", "trust",
                               "-U", "termlight", "-N", "-E", "UTF8", "--locale=C.UTF-8"],
                              capture_output=True, text=True, timeout=timeout)
        if init.returncode != 0:
            raise PostgresUnavailable(f"initdb failed:\n{init.stdout}\n{init.stderr}")
        port = _free_port()
        proc = subprocess.Popen([*prefix, f"{bin_}/postgres", "-D", data, "-p", str(port),
                                 "-k", base, "-c", "listen_addresses=127.0.0.1",
                                 "-c", "fsync=off", "-c", "max_connections=200"],
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        admin = f"postgresql://termlight@127.0.0.1:{port}/postgres"
        deadline = time.monotonic() + timeout
        while True:
            try:
                with psycopg.connect(admin, autocommit=True, connect_timeout=2):
                    pass
                break
            except psycopg.OperationalError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise PostgresUnavailable(open(os.path.join(base, "server.log")).read())
                time.sleep(0.1)
        yield PgServer(port)
    finally:
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)  # fast shutdown
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        log.close()
        shutil.rmtree(base, ignore_errors=True)
