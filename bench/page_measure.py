"""Measures the extension on one real page in real Chromium, by hand (`make bench` uses its PROBE).

Reports the time from DOMContentLoaded to the last highlight being drawn, the number of ranges,
and the long tasks (PerformanceObserver "longtask", over 50 ms) seen while the extension worked,
next to the long tasks of the same page in the same browser with termlight switched off for
the site, so the page's own work can be told apart from ours. (A copy of the extension
instrumented with performance.measure('tl:...') calls gets its phases listed under "marks".)

    .venv/bin/python -m bench.page_measure PAGE.html [--glossary PATH] [--rounds N]

Every request the page makes to anything but loopback is aborted, so a page that pulls
scripts from a CDN costs the same here as anywhere, and nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from tests.support.browser import ExtensionBrowser, PageServer, loopback_only
from tests.support.server import run_server

# Installed before the page's own scripts: records DOMContentLoaded, every long task, and the
# moment the termlight highlight last changed size.
PROBE = """(() => {
  const m = window.__tlMeasure = { dcl: null, longtasks: [], lastChange: null, size: 0 };
  document.addEventListener('DOMContentLoaded', () => { m.dcl = performance.now(); });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) m.longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) {}
  const tick = () => {
    const h = CSS.highlights && CSS.highlights.get('termlight');
    const size = h ? h.size : 0;
    if (size !== m.size) { m.size = size; m.lastChange = performance.now(); }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();"""


def measure_once(browser: ExtensionBrowser, url: str, settle_s: float = 2.5, timeout_s: float = 60,
                 need_highlight: bool = False) -> dict:
    """DOMContentLoaded to the last highlight. With ``need_highlight`` the first highlight is
    waited for (a worker that was just restarted may take seconds on a long page) before the
    count must hold ``settle_s``; otherwise a page that never highlights ends after ``settle_s``."""
    page = browser.context.new_page()
    page.route("**/*", loopback_only)
    page.add_init_script(PROBE)
    page.goto(url, wait_until="domcontentloaded")
    deadline = time.monotonic() + timeout_s
    # Done when the drawn count has not changed for `settle_s` (or never started on an off site).
    while time.monotonic() < deadline:
        m = page.evaluate("() => ({...window.__tlMeasure, now: performance.now()})")
        if need_highlight and m["lastChange"] is None:
            time.sleep(0.1)
            continue
        ref = m["lastChange"] if m["lastChange"] is not None else (m["dcl"] or 0)
        if m["dcl"] is not None and m["now"] - ref > settle_s * 1000:
            break
        time.sleep(0.1)
    m = page.evaluate("() => window.__tlMeasure")
    m["marks"] = page.evaluate("() => performance.getEntriesByType('measure').filter((e) => e.name.startsWith('tl:') && e.duration > 4).map((e) => [e.name, Math.round(e.startTime), Math.round(e.duration)])")
    page.close()
    longest = max((t["duration"] for t in m["longtasks"]), default=0.0)
    # Tasks that began after the DOMContentLoaded task: parsing and the page's start-up are over,
    # so what is left is the extension's reading, placing and drawing (and any late page work).
    after_dcl = max((t["duration"] for t in m["longtasks"] if m["dcl"] and t["start"] > m["dcl"]), default=0.0)
    return {
        "ranges": m["size"],
        "dcl_ms": round(m["dcl"] or 0),
        "dcl_to_highlights_ms": (m["lastChange"] - m["dcl"]) if m["lastChange"] and m["dcl"] else None,
        "longest_longtask_ms": round(longest, 1),
        "longest_longtask_after_dcl_ms": round(after_dcl, 1),
        "longtasks": [[round(t["start"]), round(t["duration"], 1)] for t in m["longtasks"]],
        "marks": m["marks"],
    }


def measure(page_path: Path, glossary: Path | None = None, rounds: int = 3, extension_dir: Path | None = None) -> dict:
    from playwright.sync_api import sync_playwright

    page_path = page_path.resolve()
    with run_server(glossary) as server, PageServer(page_path.parent) as pages, sync_playwright() as p:
        browser = ExtensionBrowser(p, **({"extension_dir": extension_dir} if extension_dir else {}))
        try:
            url = f"{pages.url}/{page_path.name}"
            browser.set_settings({"serverUrl": server.url, "disabledSites": ["127.0.0.1"]})
            off = [measure_once(browser, f"{url}?off={i}", settle_s=1.0) for i in range(rounds)]
            browser.set_settings({"serverUrl": server.url})
            measure_once(browser, f"{url}?warm")  # worker, server and caches warm
            on = []
            for i in range(rounds):
                browser.set_settings({"serverUrl": server.url})  # forget cached answers: real requests
                on.append(measure_once(browser, f"{url}?on={i}"))
        finally:
            browser.close()
    return {
        "page": page_path.name,
        "ranges": on[-1]["ranges"],
        "dcl_to_highlights_ms_median": statistics.median(r["dcl_to_highlights_ms"] or 0 for r in on),
        "longest_longtask_ms_with_termlight": max(r["longest_longtask_ms"] for r in on),
        "longest_longtask_ms_site_off": max(r["longest_longtask_ms"] for r in off),
        "longest_longtask_after_dcl_ms_with_termlight": max(r["longest_longtask_after_dcl_ms"] for r in on),
        "rounds": {"on": on, "off": off},
    }


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("page", type=Path)
    ap.add_argument("--glossary", type=Path, default=None, help="glossary file or folder (default: bundled)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--extension", type=Path, default=None, help="unpacked extension folder (default: extension/)")
    args = ap.parse_args(argv)
    print(json.dumps(measure(args.page, args.glossary, args.rounds, args.extension), indent=2))


if __name__ == "__main__":
    main()
