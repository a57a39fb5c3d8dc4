"""Run the real service under gunicorn for tests, on a free loopback port.

Tests that claim "the server does X" start the same gunicorn, config module and app
factory that production uses. The listening socket is created here (bound to port 0,
so the kernel picks a free port) and handed to gunicorn as `fd://N`; that avoids the
race of picking a port, closing it and hoping nobody takes it before gunicorn does.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Mapping

GUNICORN_CONF = "python:termlight.service.gunicorn_conf"
APP = "termlight.service.app:create_app()"


# tests/conftest.py clears this for tests not marked `server` or `browser`, so a fast-tier
# test that starts a server fails at once instead of slowing the tier down.
ALLOWED = True


# For tests and benchmarks that make load on purpose (wrk, fuzzing, faults under load): the
# per-client rate limit (TERMLIGHT_RATE_LIMIT) would answer them 429, all being one client.
NO_RATE_LIMIT = {"TERMLIGHT_RATE_LIMIT": "off"}


class ServerStartError(RuntimeError):
    """gunicorn exited or never became healthy; the message carries its log."""


@dataclass
class RunningServer:
    url: str
    port: int
    proc: subprocess.Popen
    log_path: Path
    env: dict = field(default_factory=dict, repr=False)

    def log(self) -> str:
        """Everything gunicorn and the app wrote so far (access log included)."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def log_through(self) -> str:
        """The log once every request answered so far is in it: a last, marked request is sent
        and its access-log line waited for (a line is written when its answer is)."""
        marker = f"/healthz?log-sentinel={time.monotonic_ns()}"
        request_json(self.url + marker, timeout=10)
        deadline = time.monotonic() + 15
        while marker not in (log := self.log()):
            if time.monotonic() > deadline:
                raise AssertionError(f"{marker} never reached the log:\n{log[-2000:]}")
            time.sleep(0.05)
        return log

    def get_json(self, path: str, token: str | None = None, timeout: float = 10) -> tuple[int, dict]:
        """GET a JSON route; returns (status, body) without raising on 4xx/5xx."""
        return request_json(self.url + path, token=token, timeout=timeout)

    def post_json(self, path: str, body: object, token: str | None = None,
                  timeout: float = 30) -> tuple[int, dict]:
        """POST a JSON body; returns (status, body) without raising on 4xx/5xx."""
        return request_json(self.url + path, body=body, token=token, timeout=timeout)

    def worker_pids(self) -> list[int]:
        """PIDs of the gunicorn workers (children of the master), for fault tests."""
        try:
            out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.proc.pid)],
                                 capture_output=True, text=True, check=False).stdout
        except FileNotFoundError:  # no procps: fall back to /proc
            out = "\n".join(
                p.name for p in Path("/proc").iterdir() if p.name.isdigit()
                and _ppid(p) == self.proc.pid)
        return [int(x) for x in out.split()]


def _ppid(proc_dir: Path) -> int | None:
    try:
        stat = (proc_dir / "stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def request_json(url: str, body: object = None, token: str | None = None,
                 timeout: float = 10, headers: Mapping[str, str] | None = None) -> tuple[int, dict]:
    """One HTTP request with the standard library; JSON in, (status, parsed JSON) out."""
    data = None
    all_headers = {"Accept": "application/json"}
    if body is not None:
        data = json.dumps(body).encode("utf-8")
        all_headers["Content-Type"] = "application/json"
    if token is not None:
        all_headers["Authorization"] = f"Bearer {token}"
    all_headers.update(headers or {})
    req = urllib.request.Request(url, data=data, headers=all_headers,
                                 method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            status, raw = resp.status, resp.read()
    except urllib.error.HTTPError as err:
        status, raw = err.code, err.read()
    return status, (json.loads(raw) if raw else {})


def server_environment() -> dict[str, str]:
    """This process's environment without the developer's settings (they must not leak into a
    test's server), but with the test run's private cache directory."""
    env = {name: value for name, value in os.environ.items()
           if not name.startswith("TERMLIGHT_")
           and name not in ("WEB_CONCURRENCY", "PORT", "GUNICORN_CMD_ARGS")}
    if "TERMLIGHT_CACHE_DIR" in os.environ:
        env["TERMLIGHT_CACHE_DIR"] = os.environ["TERMLIGHT_CACHE_DIR"]
    return env


def _listening_socket(host: str = "127.0.0.1") -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def _wait_healthy(server: RunningServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last_error = "no answer"
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise ServerStartError(
                f"gunicorn exited with {server.proc.returncode}:\n{server.log()}")
        try:
            status, _ = request_json(server.url + "/healthz", timeout=2)
            if status == 200:
                return
            last_error = f"/healthz answered {status}"
        except (OSError, ValueError) as err:
            last_error = repr(err)
        time.sleep(0.05)
    raise ServerStartError(f"server not healthy after {timeout}s ({last_error}):\n{server.log()}")


@contextlib.contextmanager
def run_server(glossary_path: str | os.PathLike | None, env: Mapping[str, str] | None = None,
               workers: int = 2, *, startup_timeout: float = 30,
               extra_args: tuple[str, ...] = ()) -> Iterator[RunningServer]:
    """Start `python -m gunicorn 'termlight.service.app:create_app()'` and stop it on exit.

    glossary_path: file or directory for TERMLIGHT_GLOSSARY (None: the bundled one).
    env: extra environment variables (TERMLIGHT_API_TOKEN, TERMLIGHT_MAX_BODY, ...).
    Yields a RunningServer with .url, .port, .proc and .log_path (stdout+stderr).
    """
    if not ALLOWED:
        raise RuntimeError("this test starts a server: mark it @pytest.mark.server")
    sock = _listening_socket()
    port = sock.getsockname()[1]
    child_env = server_environment()
    if glossary_path is not None:
        child_env["TERMLIGHT_GLOSSARY"] = os.fspath(glossary_path)
    log_dir = Path(tempfile.mkdtemp(prefix="termlight-gunicorn-"))
    # Each server its own team database, never the developer's default one.
    child_env["TERMLIGHT_DATABASE_URL"] = f"sqlite:///{log_dir / 'team.sqlite3'}"
    child_env.update(env or {})
    child_env["PYTHONUNBUFFERED"] = "1"

    log_path = log_dir / "server.log"
    cmd = [sys.executable, "-m", "gunicorn", "-c", GUNICORN_CONF,
           "--bind", f"fd://{sock.fileno()}", "--workers", str(workers),
           *extra_args, APP]
    with open(log_path, "wb") as log_file:
        proc = subprocess.Popen(cmd, env=child_env, stdout=log_file, stderr=subprocess.STDOUT,
                                pass_fds=(sock.fileno(),), start_new_session=True)
    server = RunningServer(url=f"http://127.0.0.1:{port}", port=port, proc=proc,
                           log_path=log_path, env=child_env)
    try:
        _wait_healthy(server, startup_timeout)
        yield server
    finally:
        _stop(proc)
        sock.close()


def _stop(proc: subprocess.Popen, timeout: float = 15) -> None:
    """SIGTERM (gunicorn's graceful stop), then SIGKILL the whole group if it hangs."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


def raw_http(port: int, request: bytes, shut_write: bool = False, timeout: float = 10) -> bytes:
    """Send bytes exactly as given (for lying headers and broken bodies) and read the whole
    answer, until the server closes or resets the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(request)
        if shut_write:
            sock.shutdown(socket.SHUT_WR)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)
