"""gunicorn's gthread worker, with request heads read by the event loop under a deadline.

In the stock gthread worker a connection gets a thread as soon as it is readable, and that
thread then blocks in recv() until the whole request head has arrived. A client that sends
`GET /healthz HTTP/1.1\\r\\nHost: x\\r\\n` and then nothing holds the thread for as long
as it keeps the connection open; 8 such connections (2 workers x 4 threads) stop the
service, and a connection that sends nothing at all holds a thread for 5 s each time.

Here the worker's main loop, which already waits on every kept-alive connection with one
selector, also collects request heads: it reads whatever bytes a connection has (never
blocking) and hands the connection to a thread only once the blank line that ends the head
has arrived, with those bytes put back in front of gunicorn's own parser. A connection that
has not sent its whole head within TERMLIGHT_HEADER_TIMEOUT seconds of connecting (or of
its first byte after a kept-alive pause) is answered 408 (problem+json) and closed; one that
sent nothing is closed silently. Idle kept-alive connections are closed after gunicorn's
`keepalive` seconds (gunicorn_conf) as before. Threads therefore only ever wait for bodies,
which the body deadline (deadline.py) bounds.

TLS connections (gunicorn's own certfile) keep the stock behaviour: their bytes cannot be
read before the handshake. termlight expects TLS to end at a reverse proxy.
"""

from __future__ import annotations

import errno
import selectors
import time
from collections import deque
from functools import partial

from gunicorn.workers.gthread import TConn, ThreadWorker

from termlight import settings
from termlight.service.gunicorn_errors import problem_bytes

HEAD_ENDS = (b"\r\n\r\n", b"\n\n")


class HeadTimeoutWorker(ThreadWorker):
    """gthread, with each request head collected by the main loop within a deadline."""

    def init_process(self):
        self.head_timeout = settings.value("header_timeout")
        # Past this many bytes without a blank line the head is surely over gunicorn's limits:
        # hand it over, and gunicorn's parser answers 431 / 414 at once.
        cfg = self.cfg
        self.head_limit = (cfg.limit_request_line + 2
                           + cfg.limit_request_fields * (cfg.limit_request_field_size + 2) + 2)
        self.heads: deque[TConn] = deque()  # collecting a head, oldest deadline first
        super().init_process()

    # -- connections enter here: new ones, and kept-alive ones that became readable ----------

    def accept(self, listener):
        if self.cfg.is_ssl:
            return super().accept(listener)
        try:
            sock, addr = listener.accept()
        except OSError as err:
            if err.errno in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                return
            raise
        self.nr_conns += 1
        self._collect_head(TConn(self.cfg, sock, addr, listener.getsockname()))

    def on_client_socket_readable(self, conn, client):
        if self.cfg.is_ssl:
            return super().on_client_socket_readable(conn, client)
        self.poller.unregister(client)
        self.keepalived_conns.remove(conn)
        self._collect_head(conn)
        self._read_head(conn, client)

    # -- collecting the head ------------------------------------------------------------------

    def _collect_head(self, conn: TConn) -> None:
        conn.sock.setblocking(False)
        conn.head = bytearray()
        conn.head_deadline = time.monotonic() + self.head_timeout
        self.heads.append(conn)
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._read_head, conn))

    def _read_head(self, conn: TConn, client) -> None:
        try:
            chunk = conn.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            chunk = b""
        if not chunk:  # the client went away
            self._forget(conn)
            conn.close()
            return
        conn.head += chunk
        # Only the new bytes and the three before them can hold a new end of head.
        tail = bytes(conn.head[-(len(chunk) + 3):])
        if any(end in tail for end in HEAD_ENDS) or len(conn.head) > self.head_limit:
            self.poller.unregister(conn.sock)
            self.heads.remove(conn)
            self._hand_over(conn)

    def _hand_over(self, conn: TConn) -> None:
        data, conn.head = bytes(conn.head), None
        conn.sock.setblocking(True)
        conn.init()  # the parser, on a new connection
        conn.parser.unreader.unread(data)
        conn.data_ready = True  # no wait_for_data() in the thread: the bytes are here
        self.enqueue_req(conn)

    def _forget(self, conn: TConn) -> None:
        try:
            self.poller.unregister(conn.sock)
        except (KeyError, ValueError, OSError):
            pass
        self.heads.remove(conn)
        self.nr_conns -= 1

    # -- the deadline, checked on every turn of the main loop (at least once a second) --------

    def murder_pending(self):
        super().murder_pending()
        now = time.monotonic()
        while self.heads and self.heads[0].head_deadline <= now:
            conn = self.heads[0]
            started = bool(conn.head)
            self._forget(conn)
            if started:
                try:
                    conn.sock.send(problem_bytes(
                        408, "Request Timeout",
                        f"The request head did not arrive within {self.head_timeout:g} s."))
                except OSError:
                    pass
            conn.close()
