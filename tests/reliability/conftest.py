"""Shared setup for the reliability suite: short runs by default, long ones under `make soak`.

`make test` runs every check here in a short form so the whole suite stays fast; `make soak`
sets TERMLIGHT_SOAK=1 and the same tests run long enough to find what only shows up at volume
(leaks, rare races, the odd generated input). One switch, read in one place, so a test never
has two code paths: only its sizes change.
"""

from __future__ import annotations

import os
import shutil

import pytest

SOAK = os.environ.get("TERMLIGHT_SOAK", "").strip() not in ("", "0", "false", "no")


def scaled(short, long):
    """`long` under `make soak`, `short` otherwise."""
    return long if SOAK else short


@pytest.fixture(scope="session")
def wrk_path() -> str:
    path = shutil.which("wrk")
    if path is None:  # a missing tool must fail loudly, never skip
        pytest.fail("wrk is missing: run `make load-tools` (apt-get install wrk)")
    return path
