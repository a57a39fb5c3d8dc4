"""Local matching (issue 15, item 5), side by side with server mode.

    python -m bench.local [--rounds 3] [--skip-browser] [--json FILE] [--corpus DIR]

* The compiled glossary of the bundled glossary, 10k and 100k terms: the server's time to build
  and gzip it, its size on the wire, and in Node (V8, as in Chromium) the time to parse it and
  build the matcher, the heap it keeps, and the matching speed on the articles next to the
  server's in-process matcher.
* In real Chromium with the extension: the worker's time to get a matcher ready (download,
  parse, build; and after a worker restart, from IndexedDB with a 304), per glossary size.
* DOMContentLoaded to highlights on the Ultra-Scale Playbook (a generated page of the same size
  without ../shared/corpus) and on a page of 10,000 paragraphs, in server mode and in local mode
  (worker warm, and right after a worker restart), with every request the server received per
  page view, through a recording proxy.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench.extension import page_under_test
from bench.inputs import articles, generated_corpus, glossaries, write_glossary
from bench import page_measure
from termlight import Glossary
from termlight.compiled_format import CompiledBodies, unicode_tables
from termlight.paths import bundled_glossary

REPO = Path(__file__).resolve().parents[1]

NODE_LOAD = r"""
const fs = require('fs');
const { LocalMatcher } = require(process.argv[1] + '/extension/matcher/matcher.js');
const body = fs.readFileSync(process.argv[2], 'utf8');
const texts = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
global.gc(); const heap0 = process.memoryUsage().heapUsed;
let t = performance.now();
const doc = JSON.parse(body);
const parseMs = performance.now() - t;
t = performance.now();
const matcher = new LocalMatcher(doc);
const buildMs = performance.now() - t;
global.gc(); const heap1 = process.memoryUsage().heapUsed;
matcher.matchAll(texts.slice(0, 2));  // warm the JIT
t = performance.now();
let found = 0, chars = 0;
for (const text of texts) { found += matcher.matchAll([text])[0].length; chars += text.length; }
const matchMs = performance.now() - t;
console.log(JSON.stringify({ parseMs, buildMs, heapMB: (heap1 - heap0) / 1e6, matchMs, chars, found, keep: !!doc && !!matcher }));
"""


def node_figures(glossary: Glossary, texts: list[str], folder: Path) -> dict:
    t0 = time.perf_counter()
    bodies = CompiledBodies(glossary)
    build_s = time.perf_counter() - t0
    compiled = folder / "compiled.json"
    compiled.write_bytes(bodies.plain)
    texts_file = folder / "texts.json"
    texts_file.write_text(json.dumps(texts), encoding="utf-8")
    out = subprocess.run(["node", "--expose-gc", "-e", NODE_LOAD, str(REPO), str(compiled), str(texts_file)],
                         capture_output=True, text=True, check=True)
    node = json.loads(out.stdout)
    t0 = time.perf_counter()
    server_found = sum(len(r["matches"]) for r in (glossary.match_document(texts=[t]) for t in texts)
                       for r in r["results"])
    server_ms = (time.perf_counter() - t0) * 1000
    return {
        "terms": len(glossary.terms), "build_ms": build_s * 1000, "raw_kb": len(bodies.plain) / 1000,
        "gzip_kb": len(bodies.gzipped) / 1000, "node_parse_ms": node["parseMs"], "node_build_ms": node["buildMs"],
        "node_heap_mb": node["heapMB"], "node_match_ms": node["matchMs"], "server_match_ms": server_ms,
        "chars": node["chars"], "found_local": node["found"], "found_server": server_found,
    }


def ten_thousand_paragraphs(folder: Path) -> Path:
    rng = random.Random(10)
    paragraphs = [p for chunk in generated_corpus() for p in chunk.split("\n\n")]
    body = "\n".join(f"<p>{rng.choice(paragraphs)}</p>" for _ in range(10_000))
    page = folder / "ten-thousand.html"
    page.write_text("<!doctype html><html><head><meta charset=utf-8><title>10,000 paragraphs</title></head>"
                    f"<body><article>{body}</article></body></html>", encoding="utf-8")
    return page


def measure_once(browser, url: str) -> dict:
    """One page view: its highlight count and DOMContentLoaded-to-highlights time."""
    m = page_measure.measure_once(browser, url, settle_s=1.5, timeout_s=90, need_highlight=True)
    return {"ranges": m["ranges"], "dcl_to_highlights_ms": m["dcl_to_highlights_ms"]}


def browser_figures(rounds: int, sizes: list[tuple[str, list[dict]]], folder: Path, log) -> dict:
    from playwright.sync_api import sync_playwright

    from tests.extension.recording_proxy import RecordingProxy
    from tests.support.browser import ExtensionBrowser, PageServer
    from tests.support.server import run_server

    label, playbook = page_under_test(folder)
    pages_dir = folder / "pages"
    pages_dir.mkdir()
    (pages_dir / "playbook.html").write_bytes(playbook.read_bytes())
    ten_thousand_paragraphs(pages_dir)
    out: dict = {"playbook": label, "views": {}, "ready": []}
    with sync_playwright() as p, PageServer(pages_dir) as pages:
        browser = ExtensionBrowser(p)
        try:
            with run_server(None, workers=2) as server, RecordingProxy(server.url) as proxy:
                for page in ("playbook.html", "ten-thousand.html"):
                    url = f"{pages.url}/{page}"
                    views: dict[str, list] = {"server": [], "local (warm worker)": [], "local (worker restarted)": []}
                    browser.set_settings({"serverUrl": proxy.url}, match_mode="server")
                    measure_once(browser, f"{url}?warm-server")
                    for i in range(rounds):
                        browser.set_settings({"serverUrl": proxy.url}, match_mode="server")  # no cached answers
                        proxy.clear()
                        views["server"].append((measure_once(browser, f"{url}?s={i}"), _log(proxy)))
                    browser.set_settings({"serverUrl": proxy.url}, match_mode=None)  # the default: local
                    measure_once(browser, f"{url}?warm-local")
                    for i in range(rounds):
                        proxy.clear()
                        views["local (warm worker)"].append(
                            (measure_once(browser, f"{url}?l={i}"), _log(proxy)))
                    for i in range(rounds):
                        browser.stop_workers()
                        proxy.clear()
                        views["local (worker restarted)"].append(
                            (measure_once(browser, f"{url}?r={i}"), _log(proxy)))
                    out["views"][page] = {mode: {
                        "dcl_to_highlights_ms": statistics.median(m["dcl_to_highlights_ms"] or 0 for m, _ in runs),
                        "ranges": runs[-1][0]["ranges"],
                        "requests_per_view": [log for _, log in runs],
                    } for mode, runs in views.items()}
                    log(out)
            for name, terms in sizes:
                path = write_glossary(terms, folder / f"g{len(terms)}.json")
                with run_server(path, workers=1) as server:
                    browser.set_settings({"serverUrl": server.url}, match_mode="local")
                    first = _ready_ms(browser, server.url, forget_disk=True)
                    again = _ready_ms(browser, server.url, forget_disk=False)
                    out["ready"].append({"glossary": name, "first_ms": first, "from_indexeddb_ms": again})
                    log(out)
        finally:
            browser.close()
    return out


def _log(proxy) -> list[str]:
    with proxy.lock:
        return [f"{r.method} {r.path} ({len(r.body)} B body)" for r in proxy.requests]


def _ready_ms(browser, server_url: str, forget_disk: bool) -> float:
    """The worker's time to have a matcher: downloaded (``forget_disk``), or as after a restart,
    from IndexedDB with a 304; parsed and built either way."""
    return browser.service_worker().evaluate("""async ([url, forget]) => {
        const s = await termlightSettings.load();
        termlightBackground.local.reset();
        if (forget) await termlightCompiledStore.remove(url);
        const t = performance.now();
        await termlightBackground.local.matcher({ ...s, serverUrl: url });
        return performance.now() - t; }""", [server_url, forget_disk])


def report(rounds: int, skip_browser: bool, progress=lambda partial: None) -> dict:
    unicode_tables()  # built once per process; not part of any glossary's time
    label, texts = articles()
    sizes = glossaries(texts)
    out: dict = {"articles": label, "compiled": []}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, terms in sizes:
            g = Glossary.from_terms(terms) if name != sizes[0][0] else Glossary.load(bundled_glossary())
            out["compiled"].append({"glossary": name, **node_figures(g, texts, folder)})
            progress(out)
        if not skip_browser:
            out["browser"] = browser_figures(rounds, sizes, folder, lambda part: progress(dict(out, browser=part)))
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--skip-browser", action="store_true")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--corpus", type=Path, help="the shared corpus folder, when it is not ../shared/corpus")
    args = ap.parse_args(argv)
    if args.corpus:
        import bench.extension
        import bench.inputs

        bench.inputs.SHARED = args.corpus
        bench.extension.PLAYBOOK = args.corpus / "articles" / bench.extension.PLAYBOOK.name
    def save(partial: dict) -> None:  # after every part, so a long run that stops keeps its figures
        if args.json:
            args.json.write_text(json.dumps(partial, indent=2, ensure_ascii=False), encoding="utf-8")

    result = report(args.rounds, args.skip_browser, save)
    save(result)
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
