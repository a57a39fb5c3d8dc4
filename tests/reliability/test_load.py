"""Issue 6, item 3: the service at saturation on loopback, with wrk and a realistic mix.

Targets: not one error (no socket error, no timeout, no status other than 2xx, no empty 200),
and the workers' memory (total VmRSS, sampled four times a second) grows by less than 10%
from the first to the last sixth of the run: 10 s windows in the 60 s `make soak` run, and
proportionally shorter ones in the 10 s run of `make test`. The workers must also be the same
processes at the end (none crashed or was killed for a timeout).
"""

from __future__ import annotations

import re
import time

import pytest

from support.server import NO_RATE_LIMIT, run_server
from termlight.settings import default_workers

from .conftest import scaled
from .procstats import RssSampler, wait_for_workers
from .wrk import build_mix, run_wrk

pytestmark = pytest.mark.server

TOKEN = "load-token-51d0"
SECONDS = scaled(10, 60)


def test_saturation_without_errors_or_memory_growth(tmp_path, wrk_path):
    mix = tmp_path / "mix.tsv"
    kinds = build_mix(mix)
    workers = default_workers()
    with run_server(None, env={"TERMLIGHT_API_TOKEN": TOKEN, **NO_RATE_LIMIT}, workers=workers) as srv:
        pids = wait_for_workers(srv, workers)
        with RssSampler(pids) as sampler:
            started = time.monotonic()
            result = run_wrk(wrk_path, srv.url, mix, SECONDS, token=TOKEN)
            ended = time.monotonic()
        after = sorted(srv.worker_pids())
        log = srv.log_through()

    window = SECONDS / 6
    first = sampler.window_mean(started, started + window)
    last = sampler.window_mean(ended - window, ended)
    growth = (last - first) / first
    answered = len(re.findall(r'" \d{3} \d+ \d+ms <', log))
    print(f"\nwrk {SECONDS}s, {workers} workers, mix weights {kinds}: {result.requests} requests "
          f"({result.rate:.0f}/s), statuses {result.by_status}, socket errors {result.errors}, "
          f"latency p50 {result.latency_us['p50'] / 1000:.1f} ms p99 "
          f"{result.latency_us['p99'] / 1000:.1f} ms max {result.latency_us['max'] / 1000:.1f} ms; "
          f"RSS of the workers {first / 1024:.1f} MiB -> {last / 1024:.1f} MiB "
          f"({growth:+.1%}); gunicorn logged {answered} answers")

    assert result.requests > 0 and result.by_status.get("200", 0) == result.requests
    assert result.error_count == 0, (result.errors, result.by_status, result.empty_bodies)
    assert after == pids and not sampler.vanished, "a worker died under load"
    assert "WORKER TIMEOUT" not in log and "Traceback" not in log
    assert answered >= result.requests  # wrk stops counting before the last answers land
    assert not re.search(r'" 5\d\d \d+ \d+ms <', log)
    assert growth < 0.10, f"worker RSS grew {growth:.1%}"
