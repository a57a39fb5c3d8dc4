"""A crowd of idle and half-sent connections, and a probe that times a fresh request.

Used by tests/reliability/test_idle_connections.py and bench/idle_connections.py. Half of
the connections send the start of a request head (`GET /healthz HTTP/1.1\\r\\nHost: x\\r\\n`)
and then nothing, the other half connect and send nothing. Each is reopened as soon as the
server drops it, as a determined client would, so the crowd stays at full size.
"""

from __future__ import annotations

import socket
import threading
import time

HALF_HEAD = b"GET /healthz HTTP/1.1\r\nHost: x\r\n"
PROBE = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"


def probe(port: int, timeout: float) -> float | None:
    """Seconds a fresh GET /healthz took to be answered 200 in full, or None (no answer)."""
    started = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
            sock.sendall(PROBE)
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
    except OSError:
        return None
    return time.monotonic() - started if data.startswith(b"HTTP/1.1 200") else None


class Crowd:
    """`count` idle or half-sent connections, each reopened as soon as the server drops it."""

    def __init__(self, port: int, count: int):
        self.port, self.count = port, count
        self.stop, self.ready = threading.Event(), threading.Event()
        self.reopened = 0
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _open(self, i: int) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=30)
        if i % 2:
            sock.sendall(HALF_HEAD)
        sock.setblocking(False)
        return sock

    def _run(self) -> None:
        socks = [self._open(i) for i in range(self.count)]
        self.ready.set()
        while not self.stop.wait(0.2):
            for i, sock in enumerate(socks):
                try:
                    if sock.recv(4096) != b"":
                        continue  # an answer (the 408); the close follows
                except BlockingIOError:
                    continue
                except OSError:
                    pass
                sock.close()
                socks[i] = self._open(i)
                self.reopened += 1
        for sock in socks:
            sock.close()

    def __enter__(self) -> "Crowd":
        self.thread.start()
        if not self.ready.wait(60):
            raise RuntimeError("could not open the crowd's connections")
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()
