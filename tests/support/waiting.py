"""Poll, don't sleep: wait for a condition with a deadline.

A fixed sleep before an assertion is either too short on a busy machine (a flaky failure) or
too long everywhere else. Wait for the condition itself; to check that something does *not*
happen, wait for a positive sentinel that would come after it (the badge settles, a later
paragraph is sent) and assert then.
"""

from __future__ import annotations

import time
from typing import Callable, TypeVar

T = TypeVar("T")


def wait_until(check: Callable[[], T], timeout: float = 20.0, interval: float = 0.05,
               what: str = "") -> T:
    """Call `check` until it returns something truthy, and return that; AssertionError (with
    the last value) after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what or check} "
                                 f"(last: {value!r})")
        time.sleep(interval)
