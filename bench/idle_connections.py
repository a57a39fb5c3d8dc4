"""Idle and half-sent connections against a real gunicorn: how long does a fresh request wait?

    python -m bench.idle_connections [--candidate NAME ...] [--connections 256] [--hold 60]

Half of the connections send `GET /healthz HTTP/1.1\\r\\nHost: x\\r\\n` and then nothing,
the other half connect and send nothing; all are held open (or reopened as soon as the
server closes them, as a determined client would) for `--hold` seconds while a probe sends a
fresh `GET /healthz` every 100 ms. Prints the probes' p50 / p99 / max and failures (a probe
with no answer within --probe-timeout counts as taking that long).

The candidates are the mechanisms considered for issue 10, item 2:

* stock       gunicorn's gthread worker (2 workers x 4 threads), what termlight ran before;
* threads64   the same with 64 threads per worker: more room, same blocking reads;
* watchdog    gthread, plus the body watchdog (deadline.py) armed at accept time: each
              thread's blocking head read is cut after the header timeout;
* headloop    termlight's HeadTimeoutWorker: heads are collected by the event loop.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from gunicorn.workers.gthread import ThreadWorker

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from support.crowd import Crowd, probe  # noqa: E402  (shared with tests/reliability)
from support.server import run_server  # noqa: E402  (the tests' real-gunicorn helper)

from termlight import settings  # noqa: E402
from termlight.service.deadline import WATCHDOG  # noqa: E402

HEAD_WORKER = "termlight.service.head_timeout_worker.HeadTimeoutWorker"


class WatchdogWorker(ThreadWorker):
    """The watchdog candidate: a thread's head read is cut after the header timeout."""

    def handle(self, conn):
        conn.watch = WATCHDOG.arm(conn.sock, settings.value("header_timeout"))
        try:
            return super().handle(conn)
        finally:
            WATCHDOG.disarm(conn.watch)

    def handle_request(self, req, conn):
        WATCHDOG.disarm(conn.watch)  # the head is in: the body deadline takes over
        return super().handle_request(req, conn)


CANDIDATES = {
    "stock": ("--worker-class", "gthread"),
    "threads64": ("--worker-class", "gthread", "--threads", "64"),
    "watchdog": ("--worker-class", "bench.idle_connections.WatchdogWorker"),
    "headloop": ("--worker-class", HEAD_WORKER),
}


def measure(candidate: str, connections: int, hold: float, probe_timeout: float) -> dict:
    env = {"TERMLIGHT_HEADER_TIMEOUT": "3"}
    with run_server(None, env=env, workers=2, extra_args=CANDIDATES[candidate]) as srv:
        with Crowd(srv.port, connections) as crowd:
            times, failures = [], 0
            end = time.monotonic() + hold
            while time.monotonic() < end:
                took = probe(srv.port, probe_timeout)
                failures += took is None
                times.append(probe_timeout if took is None else took)  # a failure: >= timeout
                time.sleep(0.1)
    times.sort()

    def pick(q: float) -> float:
        return times[min(len(times) - 1, int(q * len(times)))] * 1000

    return {"candidate": candidate, "connections": connections, "hold": hold,
            "probes": len(times), "failures": failures, "p50_ms": pick(0.5),
            "p99_ms": pick(0.99), "max_ms": times[-1] * 1000, "reopened": crowd.reopened}


def line(r: dict) -> str:
    return (f"{r['candidate']:10s} {r['connections']:4d} conns {r['hold']:4.0f} s  "
            f"{r['probes']:4d} probes  {r['failures']:3d} failed  p50 {r['p50_ms']:8.1f} ms  "
            f"p99 {r['p99_ms']:8.1f} ms  max {r['max_ms']:8.1f} ms  ({r['reopened']} reopened)")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidate", action="append", choices=list(CANDIDATES))
    parser.add_argument("--connections", type=int, default=256)
    parser.add_argument("--hold", type=float, default=60)
    parser.add_argument("--probe-timeout", type=float, default=10)
    args = parser.parse_args(argv)
    for name in args.candidate or list(CANDIDATES):
        print(line(measure(name, args.connections, args.hold, args.probe_timeout)), flush=True)


if __name__ == "__main__":
    main()
