"""Memory of the gunicorn workers, read from /proc, for the load and hostile-input tests.

VmRSS is what a process holds now; VmHWM is the most it ever held (its peak). Reading them
from /proc/<pid>/status costs microseconds and needs no tool, so a sampler can watch every
worker several times a second while the load runs.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field


def status_kib(pid: int, key: str) -> int | None:
    """A `kB` field of /proc/<pid>/status (VmRSS, VmHWM, ...), or None once the process is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None


def rss_kib(pid: int) -> int | None:
    return status_kib(pid, "VmRSS")


def peak_kib(pid: int) -> int | None:
    return status_kib(pid, "VmHWM")


@dataclass
class RssSampler:
    """Samples the total VmRSS of a fixed set of processes every `interval` seconds."""

    pids: list[int]
    interval: float = 0.25
    samples: list[tuple[float, int]] = field(default_factory=list)  # (monotonic time, KiB)
    vanished: set[int] = field(default_factory=set)

    def __post_init__(self):
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            total = 0
            for pid in self.pids:
                kib = rss_kib(pid)
                if kib is None:
                    self.vanished.add(pid)
                else:
                    total += kib
            self.samples.append((time.monotonic(), total))
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(5)

    def window_mean(self, start: float, end: float) -> float:
        """Mean total RSS (KiB) over samples taken in [start, end)."""
        values = [kib for t, kib in self.samples if start <= t < end]
        if not values:
            raise AssertionError(f"no RSS samples between {start:.2f} and {end:.2f}")
        return sum(values) / len(values)


def wait_for_workers(server, count: int, timeout: float = 20.0, exclude: set[int] = frozenset()) -> list[int]:
    """The pids of `count` live workers (none of `exclude`), once gunicorn has forked them all."""
    deadline = time.monotonic() + timeout
    while True:
        pids = sorted(server.worker_pids())
        if len(pids) == count and not set(pids) & set(exclude):
            return pids
        if time.monotonic() > deadline:
            raise AssertionError(f"expected {count} workers (not {sorted(exclude)}), have {pids}")
        time.sleep(0.05)
