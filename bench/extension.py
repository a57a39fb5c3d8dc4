"""The extension in real Chromium against mark.js, on the same page with the same terms.

    python -m bench.extension [--rounds 5] [--mark-rounds 3] [--generated] [--json FILE]

(``run(log)`` returns the same report for ``python -m bench``.)  Rounds of all contenders are
interleaved, so drift on a shared machine hits them alike:

* termlight: the unpacked extension in a persistent Chromium context, asking the real service
  (gunicorn, bundled glossary) on loopback.  Its clock runs from DOMContentLoaded until the
  highlight registry stops growing, so it includes Chromium's wait before injecting the content
  script (``document_idle``), reading the page, the round trip through the background worker
  to the server, the server's matching, and placing the ranges.
* mark.js (npm), in a second Chromium without the extension, given every form of every term
  of the same glossary plus the plurals termlight also matches.  Its clock runs from the call
  to the ``done`` callback.  Two ways of calling it: ``mark(list)``, as its documentation
  shows, and ``markRegExp`` with one alternation of all the terms, the fastest way we found.
* The server alone: the page's visible text POSTed to /v1/match from Python, the part of
  termlight's time no browser work can remove.

Long tasks: mark.js works synchronously, so its one task lasts at least its own time.  For
termlight, a Chrome trace of every round gives the longest main-thread task between the content
script's injection and the last highlight.  That is an upper bound on ours (the page's own work
in the window counts too), so the same window is also read from a round with termlight switched
off for the site, and each task's CPU time is kept next to its wall-clock time, which on a busy
machine includes waiting for a CPU.  PerformanceObserver ``longtask`` entries are reported too.
"""

from __future__ import annotations

import argparse
import collections
import html
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.chrometrace import Trace
from bench.inputs import SHARED, generated_corpus
from bench.timing import table
from termlight import Glossary
from termlight.engine.forms import plurals
from termlight.paths import bundled_glossary
from bench.page_measure import PROBE
from tests.support.browser import (EXTENSION_DIR, ExtensionBrowser, PageServer, highlight_texts,
                                   launch_plain, loopback_only)
from tests.support.server import run_server

REPO = Path(__file__).resolve().parents[1]
PLAYBOOK = SHARED / "articles" / "ultrascale-playbook-training-llms-on-gpu-clusters.html"
MARKJS_VERSION = "8.11.1"
NPM_PREFIX = REPO / ".cache" / "bench-npm"  # gitignored
MARKJS = NPM_PREFIX / "node_modules" / "mark.js" / "dist" / "mark.min.js"
SETTLE_S = 1.5  # highlights are done once their count has not changed for this long
LONG_TASK_MS = 50

# Runs mark.js on the whole body.  Elements termlight never reads are excluded the same way.
# mark(list): one mark() per 250 terms, all in the same task (a single call with the whole
# list recurses once per term and overflows the stack).  Accuracy "exactly" with punctuation
# as limiters is mark.js's whole-word mode; diacritics off, as termlight does not fold accents.
MARK_JS = r"""async ([terms, mode]) => {
  const punct = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~¡¿';
  const skip = ['code', 'pre', 'kbd', 'samp', 'tt', 'textarea', 'select', 'button', 'svg', 'math', 'noscript', 'template'];
  const exclude = skip.flatMap((t) => [t, t + ' *']);
  const instance = new Mark(document.body);
  let count = 0;
  const t0 = performance.now();
  if (mode === 'list') {
    const opts = { accuracy: { value: 'exactly', limiters: punct.split('') }, separateWordSearch: false,
      caseSensitive: false, diacritics: false, exclude, done: (n) => { count += n; } };
    for (let i = 0; i < terms.length; i += 250) instance.mark(terms.slice(i, i + 250), opts);
  } else {
    const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
    const edge = '[\\s' + punct.replace(/[\]\\^-]/g, '\\$&') + ']';
    const body = [...terms].sort((a, b) => b.length - a.length).map(esc).join('|');
    const re = new RegExp('(?<=^|' + edge + ')(?:' + body + ')(?=$|' + edge + ')', 'gi');
    instance.markRegExp(re, { exclude, done: (n) => { count += n; } });
  }
  return { start: t0, ms: performance.now() - t0, count };
}"""


# ---------------------------------------------------------------- inputs


def page_under_test(folder: Path, generated: bool = False) -> tuple[str, Path]:
    """The Ultra-Scale Playbook when ../shared/corpus is there, else a generated page with as much text."""
    if PLAYBOOK.is_file() and not generated:
        return f"real article {PLAYBOOK.name} ({PLAYBOOK.stat().st_size // 1000} KB HTML)", PLAYBOOK
    rng = random.Random(5)
    paragraphs = [p for chunk in generated_corpus() for p in chunk.split("\n\n")]
    parts, chars = [], 0
    for i, para in enumerate(paragraphs):
        if chars > 200_000:
            break
        if i % 12 == 0:
            parts.append(f"<h2>Section {i // 12 + 1}</h2>")
        words = html.escape(para).split(" ")
        for _ in range(3):  # inline markup inside the prose, as real articles have
            k, tag = rng.randrange(len(words)), rng.choice(("em", "a", "strong"))
            words[k] = f"<{tag}>{words[k]}</{tag}>"
        parts.append("<p>" + " ".join(words) + "</p>")
        chars += len(para)
    page = folder / "generated-article.html"
    page.write_text("<!doctype html><html><head><meta charset=utf-8><title>Generated article</title></head>"
                    "<body><article>" + "\n".join(parts) + "</article></body></html>", encoding="utf-8")
    why = "asked for" if PLAYBOOK.is_file() else "../shared/corpus not found"
    return f"generated page ({page.stat().st_size // 1000} KB HTML, {chars // 1000}k characters of text; {why})", page


def mark_terms() -> list[str]:
    """Every form of every bundled term and its generated plurals, once each ignoring case."""
    glossary = Glossary.load(bundled_glossary())
    seen: dict[str, str] = {}
    for term in glossary.terms.values():
        for form in term.forms:
            for variant in [form, *plurals(form)]:
                seen.setdefault(variant.lower(), variant)
    return sorted(seen.values())


def markjs() -> Path:
    """mark.js from npm, installed once into a gitignored folder."""
    if not MARKJS.is_file():
        NPM_PREFIX.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(NPM_PREFIX), "--no-audit", "--no-fund",
                        f"mark.js@{MARKJS_VERSION}"], check=True, capture_output=True)
    return MARKJS


# ---------------------------------------------------------------- rounds


def _probe(page) -> dict:
    return page.evaluate("() => ({...window.__tlMeasure, now: performance.now()})")


def termlight_round(browser: ExtensionBrowser, url: str, wait_ms: float | None = None) -> dict:
    """Load the page and wait for the highlights to settle (or `wait_ms` after DCL when switched off)."""
    page = browser.context.new_page()
    page.route("**/*", loopback_only)
    page.add_init_script(PROBE)
    trace = Trace(browser.context, page)
    page.goto(url, wait_until="domcontentloaded")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        m = _probe(page)
        if m["dcl"] is not None:
            if wait_ms is not None and m["now"] - m["dcl"] > wait_ms:
                break
            if wait_ms is None and m["lastChange"] is not None and m["now"] - m["lastChange"] > SETTLE_S * 1000:
                break
        time.sleep(0.1)
    timeline = trace.stop(page)
    texts = highlight_texts(page) if wait_ms is None else []
    page.close()
    done = m["lastChange"] - m["dcl"] if m["lastChange"] is not None else None
    return {"ms": done, "count": m["size"], "timeline": timeline, "texts": texts,
            "longtasks_after_dcl": [t["duration"] for t in m["longtasks"] if t["start"] > m["dcl"]]}


def markjs_round(context, url: str, script: Path, terms: list[str], mode: str) -> dict:
    page = context.new_page()
    page.route("**/*", loopback_only)
    page.add_init_script(PROBE)
    page.goto(url, wait_until="load")
    page.wait_for_timeout(500)  # let the page's own start-up finish
    page.add_script_tag(path=str(script))
    run = page.evaluate(MARK_JS, [terms, mode])
    page.wait_for_timeout(200)  # the long task entry is delivered after the task
    m = _probe(page)
    texts = page.evaluate("() => [...document.querySelectorAll('mark')].map((m) => m.textContent)")
    page.close()
    # The task holding the synchronous mark() call; mark.js has no other work.
    own = [t["duration"] for t in m["longtasks"] if t["start"] <= run["start"] <= t["start"] + t["duration"]]
    return {"ms": run["ms"], "count": run["count"], "longest_task": max(own, default=run["ms"]), "texts": texts,
            "longtasks_after_dcl": [t["duration"] for t in m["longtasks"] if t["start"] > m["dcl"]]}


def page_texts(context, url: str) -> list[str]:
    """The page's visible text, one paragraph per line, as the server would get it."""
    page = context.new_page()
    page.route("**/*", loopback_only)
    page.goto(url, wait_until="load")
    text = page.evaluate("() => document.body.innerText")
    page.close()
    return [line for line in text.split("\n") if line.strip()]


def server_round(server, texts: list[str]) -> dict:
    """POST the page's text to /v1/match from here: the server's share of termlight's time."""
    start = time.perf_counter()
    status, body = server.post_json("/v1/match", {"texts": texts, "offsets": "utf16"})
    ms = (time.perf_counter() - start) * 1000
    if status != 200:
        raise SystemExit(f"/v1/match answered {status}: {body}")
    return {"ms": ms, "count": sum(len(r["matches"]) for r in body["results"])}


# ---------------------------------------------------------------- the run


def measure_all(rounds: int, mark_rounds: int, extension_dir: Path, generated: bool = False, log=print) -> dict:
    """Every round of every contender, interleaved; the raw material of summary() and report()."""
    from playwright.sync_api import sync_playwright

    terms = mark_terms()
    script = markjs()
    tmp = Path(tempfile.mkdtemp(prefix="termlight-bench-"))
    label, page_path = page_under_test(tmp, generated)
    out: dict = {"page": label, "terms": len(terms), "termlight": [], "off": [], "regexp": [], "list": [], "server": []}
    load_before = os.getloadavg()[0]
    try:
        with run_server(None) as server, PageServer(page_path.parent) as pages, sync_playwright() as p:
            url = f"{pages.url}/{page_path.name}"
            ext = ExtensionBrowser(p, extension_dir)
            plain = launch_plain(p)
            try:
                out["chromium"] = plain.version
                context = plain.new_context(viewport={"width": 1200, "height": 800})
                on = {"serverUrl": server.url}
                off = {"serverUrl": server.url, "disabledSites": ["127.0.0.1"]}
                ext.set_settings(on)
                termlight_round(ext, f"{url}?warm")  # worker, server and JIT warm for everyone
                markjs_round(context, f"{url}?warm", script, terms, "regexp")
                texts = page_texts(context, url)
                out["chars"] = sum(map(len, texts))
                for i in range(rounds):
                    ext.set_settings(on)  # also forgets cached answers: every round asks the server
                    r = termlight_round(ext, f"{url}?on={i}")
                    out["termlight"].append(r)
                    ext.set_settings(off)
                    out["off"].append(termlight_round(ext, f"{url}?off={i}", wait_ms=(r["ms"] or 0) + 500))
                    out["regexp"].append(markjs_round(context, f"{url}?regexp={i}", script, terms, "regexp"))
                    out["server"].append(server_round(server, texts))
                    if i < mark_rounds:
                        out["list"].append(markjs_round(context, f"{url}?list={i}", script, terms, "list"))
                    log(f"  extension round {i + 1}/{rounds}: termlight {r['ms'] or 0:.0f} ms")
            finally:
                plain.close()
                ext.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    out["load"] = f"{load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end ({os.cpu_count()} CPUs)"
    return out


def summary(out: dict) -> dict:
    """Medians, the termlight long-task windows next to the same windows with termlight off, ratios."""
    tl = out["termlight"]
    if any(r["ms"] is None for r in tl):
        raise SystemExit("termlight drew no highlights in some round: is the service answering?")
    on_w, off_w = [], []
    for r, o in zip(tl, out["off"]):
        start = r["timeline"].content_script_ms or 0.0
        end = r["ms"] + 100  # up to the frame that paints the last highlights
        on_w.append(r["timeline"].window(start, end))
        off_w.append(o["timeline"].window(start, end))
    med = statistics.median
    s = {
        "termlight_ms": med(r["ms"] for r in tl),
        "injected_ms": med(r["timeline"].content_script_ms or 0.0 for r in tl),
        "after_injection_ms": med(r["ms"] - (r["timeline"].content_script_ms or 0.0) for r in tl),
        "task_median_ms": med(w["longest"] for w in on_w),
        "task_max_ms": max(w["longest"] for w in on_w),
        "off_task_median_ms": med(w["longest"] for w in off_w),
        "off_task_max_ms": max(w["longest"] for w in off_w),
        "rounds_over": sum(w["longest"] > LONG_TASK_MS for w in on_w),
        "off_rounds_over": sum(w["longest"] > LONG_TASK_MS for w in off_w),
        "longtask_on_ms": max(max(r["longtasks_after_dcl"], default=0.0) for r in tl),
        "longtask_off_ms": max(max(r["longtasks_after_dcl"], default=0.0) for r in out["off"]),
        "termlight_count": tl[-1]["count"],
        "server_ms": med(r["ms"] for r in out["server"]),
        "server_count": out["server"][-1]["count"],
        "task_cpu_max_ms": max(w["max_cpu"] for w in on_w),
    }
    for mode in ("regexp", "list"):
        if out[mode]:
            s[f"{mode}_ms"] = med(r["ms"] for r in out[mode])
            s[f"{mode}_task_ms"] = max(r["longest_task"] for r in out[mode])
            s[f"{mode}_count"] = out[mode][-1]["count"]
            s[f"{mode}_ratio"] = s[f"{mode}_ms"] / s["termlight_ms"]
            s[f"{mode}_shared"] = shared_texts(tl[-1]["texts"], out[mode][-1]["texts"])
    return s


def shared_texts(ours: list[str], theirs: list[str]) -> int:
    """How many of mark.js's highlights have a termlight highlight of the same text (ignoring
    case), counted with multiplicity: a check that both did the same work."""
    a = collections.Counter(t.lower() for t in ours)
    b = collections.Counter(t.lower() for t in theirs)
    return sum((a & b).values())


def _fmt(ms: float) -> str:
    return f"{ms / 1000:.1f} s" if ms >= 10_000 else f"{ms:.0f} ms"


def report(out: dict, s: dict) -> str:
    n = len(out["termlight"])
    rows = [["termlight: DCL → highlights applied", _fmt(s["termlight_ms"]), n,
             f"{s['task_median_ms']:.0f} / {s['task_max_ms']:.0f} ms (CPU {s['task_cpu_max_ms']:.0f} ms)",
             f"{s['termlight_count']} ranges", "1×"]]
    for mode, call in (("list", "mark(list)"), ("regexp", "markRegExp(one regexp)")):
        if f"{mode}_ms" in s:
            ratio = s[f"{mode}_ratio"]
            rows.append([f"mark.js {MARKJS_VERSION} {call}", _fmt(s[f"{mode}_ms"]), len(out[mode]),
                         f"≥ {_fmt(s[f'{mode}_task_ms'])} (one task)", f"{s[f'{mode}_count']} marks", f"{ratio:.0f}×" if ratio >= 10 else f"{ratio:.2f}×"])
    rows.append(["(termlight's server alone: POST /v1/match)", _fmt(s["server_ms"]), len(out["server"]),
                 "-", f"{s['server_count']} matches", "-"])
    lines = [
        f"Extension: {out['page']}, {out['chars'] // 1000}k characters of visible text; Chromium {out['chromium']}; "
        f"load average {out['load']}. mark.js got {out['terms']} strings: every form of every bundled term and "
        "the plurals termlight also matches.",
        "",
        table(["contender", "median time", "rounds", "longest task (median / max of rounds)",
               "highlights", "mark.js time ÷ termlight time"], rows),
        "",
        f"- termlight's time is Chromium's wait before it injects the content script at document_idle (median "
        f"{s['injected_ms']:.0f} ms after DCL) plus {s['after_injection_ms']:.0f} ms (median) to read the page, send it "
        "through the background worker to the local server, have it matched, and place the ranges. The server alone "
        f"answers the page's text in {_fmt(s['server_ms'])} (last row, including the HTTP round trip).",
        "- termlight's longest task: the longest main-thread task (Chrome trace) from the content script's injection "
        f"to the last highlight. It counts the page's own work too; with termlight off for the site the same windows "
        f"held tasks of {s['off_task_median_ms']:.0f} ms (median) / {s['off_task_max_ms']:.0f} ms (max). CPU: the most "
        "CPU time any one task in those windows used (wall-clock time also counts waiting for a busy CPU).",
        f"- PerformanceObserver long tasks (over {LONG_TASK_MS} ms) after DCL, worst of all rounds: "
        f"{s['longtask_on_ms']:.0f} ms with termlight, {s['longtask_off_ms']:.0f} ms without (0: none).",
    ]
    for mode, call in (("list", "mark(list)"), ("regexp", "markRegExp")):
        if f"{mode}_shared" in s:
            lines.append(f"- Same work: {s[f'{mode}_shared']} of the {s[f'{mode}_count']} marks of mark.js {call} have a "
                         f"termlight highlight with the same text (ignoring case; termlight keeps acronyms "
                         "case-sensitive, takes the longest of overlapping terms and skips hidden text).")
    if "list_ratio" in s:
        verdict = "met" if s["list_ratio"] >= 10 else "MISSED"
        lines.append(f"- Target ≥ 10× faster than mark.js mark(list): {s['list_ratio']:.0f}× ({verdict}).")
    verdict = "met" if s["regexp_ratio"] >= 10 else "not met"
    lines.append(f"- Against markRegExp: {s['regexp_ratio']:.2f}× ({verdict}). 10× would need termlight done "
                 f"{_fmt(s['regexp_ms'] / 10)} after DCL; Chromium's injection wait and the server's answer alone take "
                 f"{_fmt(s['injected_ms'] + s['server_ms'])} (medians).")
    if s["rounds_over"] == 0:
        verdict = "met"
    elif s["task_cpu_max_ms"] <= LONG_TASK_MS:
        verdict = (f"over in wall-clock time in {s['rounds_over']} of {n} rounds (without termlight: "
                   f"{s['off_rounds_over']}), but no task used more than {s['task_cpu_max_ms']:.0f} ms of CPU: "
                   "the machine was busy elsewhere")
    else:
        verdict = f"MISSED: a task used {s['task_cpu_max_ms']:.0f} ms of CPU"
    lines.append(f"- Target no task of ours over {LONG_TASK_MS} ms: worst {s['task_max_ms']:.0f} ms ({verdict}).")
    return "\n".join(lines)


def run(log=print, rounds: int = 5, mark_rounds: int = 3, extension_dir: Path = EXTENSION_DIR,
        generated: bool = False) -> dict:
    """The report as Markdown, in the shape `python -m bench` collects from each benchmark."""
    out = measure_all(rounds, min(mark_rounds, rounds), extension_dir, generated, log)
    return {"extension": report(out, summary(out))}


def raw_rounds(out: dict) -> dict:
    """The per-round numbers, without traces and highlighted texts."""
    def plain(r: dict) -> dict:
        extra = {"injected_ms": r["timeline"].content_script_ms} if "timeline" in r else {}
        return {**{k: v for k, v in r.items() if k not in ("timeline", "texts")}, **extra}
    return {k: [plain(r) for r in v] if isinstance(v, list) else v for k, v in out.items()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=5, help="rounds of termlight and markRegExp (default 5)")
    ap.add_argument("--mark-rounds", type=int, default=3,
                    help="rounds of mark(list), about 90 s each on the Playbook (default 3; 0 skips it)")
    ap.add_argument("--extension", type=Path, default=EXTENSION_DIR, help="unpacked extension folder")
    ap.add_argument("--generated", action="store_true", help="use the generated page even when the corpus is there")
    ap.add_argument("--json", type=Path, help="also write the raw per-round numbers here")
    args = ap.parse_args(argv)
    out = measure_all(args.rounds, min(args.mark_rounds, args.rounds), args.extension.resolve(), args.generated,
                      log=lambda msg: print(msg, file=sys.stderr))
    s = summary(out)
    print(report(out, s))
    if args.json:
        args.json.write_text(json.dumps({"summary": s, "rounds": raw_rounds(out)}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
