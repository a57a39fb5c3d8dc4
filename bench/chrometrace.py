"""A Chrome trace of one page's main thread, for telling how long its tasks ran.

Taken through the DevTools protocol (Tracing.start on the page's CDP session), so it also works
in the persistent context that extensions need, which has no Browser object for Playwright's
``browser.start_tracing``.  Times are
in ms from the main frame's DOMContentLoaded; each task keeps its wall-clock and its CPU time,
because on a busy machine a task can wait for a CPU far longer than it computes.
"""

from __future__ import annotations

import time

CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline"]


class Trace:
    """Starts tracing `page` at once; stop() ends it and returns the page's Timeline."""

    def __init__(self, context, page):
        self.session = context.new_cdp_session(page)
        self.events: list[dict] = []
        self.complete = False
        self.session.on("Tracing.dataCollected", lambda e: self.events.extend(e["value"]))
        self.session.on("Tracing.tracingComplete", lambda e: setattr(self, "complete", True))
        self.session.send("Tracing.start", {"transferMode": "ReportEvents", "traceConfig": {
            "includedCategories": CATEGORIES, "excludedCategories": ["*"]}})

    def stop(self, page) -> "Timeline":
        self.session.send("Tracing.end")
        deadline = time.monotonic() + 30
        while not self.complete and time.monotonic() < deadline:
            page.wait_for_timeout(50)
        self.session.detach()
        return Timeline(self.events)


def _data(event: dict) -> dict:
    return (event.get("args") or {}).get("data") or {}


class Timeline:
    """The page's main thread in a trace, with times in ms from the main frame's DOMContentLoaded."""

    def __init__(self, events: list[dict]):
        started = [e for e in events if e["name"] == "TracingStartedInBrowser"]
        frame = next(f["frame"] for f in started[0]["args"]["data"]["frames"] if f.get("isOutermostMainFrame"))
        dcl = next(e for e in events if e["name"] == "MarkDOMContent" and _data(e).get("frame") == frame)
        self.pid, self.tid, self.dcl_us = dcl["pid"], dcl["tid"], dcl["ts"]
        on_main = [e for e in events if e["pid"] == self.pid and e["tid"] == self.tid]
        self.tasks: list[tuple[float, float, float]] = []  # (start, wall ms, CPU ms) of top-level tasks
        end = float("-inf")
        for e in sorted((e for e in on_main if e["name"] == "RunTask" and e.get("ph") == "X"), key=lambda e: e["ts"]):
            if e["ts"] >= end:  # skip tasks nested in another one
                self.tasks.append((self.ms(e["ts"]), e.get("dur", 0) / 1000, e.get("tdur", e.get("dur", 0)) / 1000))
                end = e["ts"] + e.get("dur", 0)
        injected = [self.ms(e["ts"]) for e in on_main if e["name"] == "EvaluateScript"
                    and _data(e).get("url", "").startswith("chrome-extension://")]
        self.content_script_ms = min(injected) if injected else None  # when an extension's content script ran

    def ms(self, ts_us: float) -> float:
        return (ts_us - self.dcl_us) / 1000

    def window(self, start_ms: float, end_ms: float) -> dict:
        """Tasks starting in [start_ms, end_ms]: the longest wall-clock time and the most CPU
        time any one of them took."""
        inside = [t for t in self.tasks if start_ms <= t[0] <= end_ms] or [(0.0, 0.0, 0.0)]
        return {"longest": max(t[1] for t in inside), "max_cpu": max(t[2] for t in inside)}
