"""A time limit on receiving a request body, so a stalled client cannot hold a thread forever.

gunicorn's threads block in recv() while a body arrives and have no timeout of their own: a
client that announces 1,000 bytes and sends 10 holds a worker thread for as long as it keeps
the connection open, and one such client per thread stops the whole service. A per-recv
socket timeout is not enough (gunicorn's body reader loops over recv, and a client that
trickles a byte just before each timeout never trips it), so the limit is on the whole body:
when it passes, one watchdog thread per worker process shuts the read side of that socket,
the blocked recv returns at once, and the request is answered 408. Writing the answer still
works; the connection is closed after it.
"""

from __future__ import annotations

import heapq
import itertools
import os
import socket
import threading
import time


class _Entry:
    __slots__ = ("deadline", "seq", "sock", "fired")

    def __init__(self, deadline: float, seq: int, sock: socket.socket):
        self.deadline, self.seq, self.sock, self.fired = deadline, seq, sock, False

    def __lt__(self, other: "_Entry") -> bool:
        return (self.deadline, self.seq) < (other.deadline, other.seq)


class Watchdog:
    """Shuts the read side of armed sockets whose deadline passes before they are disarmed."""

    def __init__(self) -> None:
        self._pid: int | None = None
        self._start_lock = threading.Lock()  # never held in the master, so free after fork

    def _ensure_started(self) -> None:
        # Started lazily in each worker: a thread does not survive fork(), and with
        # preload_app the app (and this object) is built in the gunicorn master.
        if self._pid == os.getpid():
            return
        with self._start_lock:
            if self._pid == os.getpid():
                return
            self._cond = threading.Condition()
            self._heap: list[_Entry] = []
            self._seq = itertools.count()
            threading.Thread(target=self._run, args=(self._cond, self._heap),
                             name="termlight-body-deadline", daemon=True).start()
            self._pid = os.getpid()

    def arm(self, sock: socket.socket, seconds: float) -> _Entry:
        self._ensure_started()
        with self._cond:
            entry = _Entry(time.monotonic() + seconds, next(self._seq), sock)
            heapq.heappush(self._heap, entry)
            if self._heap[0] is entry:  # only an earlier deadline needs the thread awake
                self._cond.notify()
            return entry

    def disarm(self, entry: _Entry) -> bool:
        """Stop watching; True if the deadline had already passed and the socket was shut."""
        with self._cond:
            entry.sock = None  # lazily dropped from the heap; no socket kept alive
            return entry.fired

    @staticmethod
    def _run(cond: threading.Condition, heap: list[_Entry]) -> None:
        with cond:
            while True:
                while heap and heap[0].sock is None:
                    heapq.heappop(heap)
                if not heap:
                    cond.wait()
                    continue
                wait = heap[0].deadline - time.monotonic()
                if wait > 0:
                    cond.wait(wait)
                    continue
                entry = heapq.heappop(heap)
                entry.fired = True
                try:
                    entry.sock.shutdown(socket.SHUT_RD)
                except OSError:  # already closed by the client or the server
                    pass


WATCHDOG = Watchdog()
