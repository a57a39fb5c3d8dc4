"""Start-up: how long a worker takes to be ready, with and without a cached compiled glossary,
and how much memory each gunicorn worker holds with 100k terms.

    python -m bench.start

* *fresh process*: a new interpreter imports termlight and calls ``create_app()``, which loads
  the glossary: that is what a worker does when the master does not preload, and what the master
  itself does on start.  "cold" has an empty cache directory, "cached" finds the entry the cold
  run wrote.  Timed from outside (wall clock, interpreter start included) and in CPU time.
* *gunicorn*: the real server (2 workers, preloaded master) from launch until /healthz answers;
  then peak RSS (VmHWM) and proportional set size (Pss: shared pages split between the processes
  that share them) of the master and of each worker, after each worker served the 50 KB article.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.inputs import articles, glossaries, http_article, write_glossary
from bench.timing import table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from support.server import request_json, run_server  # noqa: E402  (the tests' real-gunicorn helper)

WORKER = (
    "from termlight.service.app import create_app\n"
    "create_app()\n"
    # Peak RSS of this process image: the parent's rusage would also count the moments between
    # fork and exec, when the child still shares the (large) benchmark process's pages.
    "import re, pathlib\n"
    "print(re.search(r'VmHWM:\\s+(\\d+)', pathlib.Path('/proc/self/status').read_text()).group(1))\n"
)


def fresh_process(glossary: Path, cache: Path) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS in MB) of a new interpreter running create_app()."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TERMLIGHT_")}
    env.update({"TERMLIGHT_GLOSSARY": str(glossary), "TERMLIGHT_CACHE_DIR": str(cache)})
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", WORKER], env=env, cwd=ROOT, stdout=subprocess.PIPE)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.stdout.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise RuntimeError(f"create_app() failed for {glossary}")
    return wall, usage.ru_utime + usage.ru_stime, int(out.split()[-1]) / 1024


def proc_memory(pid: int) -> tuple[float, float]:
    """(peak RSS, Pss) of a process in MB, from /proc."""
    peak = pss = 0.0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            peak = int(line.split()[1]) / 1024
    rollup = Path(f"/proc/{pid}/smaps_rollup")
    if rollup.exists():
        for line in rollup.read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1]) / 1024
    return peak, pss


def gunicorn_start(glossary: Path, cache: Path, body: dict) -> tuple[float, list[list[str]]]:
    """Seconds from launch to healthy, and the memory rows of the master and its workers."""
    start = time.perf_counter()
    with run_server(glossary, env={"TERMLIGHT_CACHE_DIR": str(cache)}, workers=2, startup_timeout=300) as server:
        ready = time.perf_counter() - start
        deadline = time.monotonic() + 60
        while len(workers := server.worker_pids()) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        for _ in range(8 * len(workers)):  # keep-alive-free requests spread over the workers
            status, _ = request_json(server.url + "/v1/match", body=body, timeout=60)
            assert status == 200, status
        rows = [["master", *(f"{v:.0f}" for v in proc_memory(server.proc.pid))]]
        rows += [[f"worker {i + 1}", *(f"{v:.0f}" for v in proc_memory(pid))] for i, pid in enumerate(workers)]
    return ready, rows


def run(log=print) -> dict:
    label, texts = articles()
    body = {"text": http_article(texts)}
    start_rows, memory_sections = [], []
    with tempfile.TemporaryDirectory(prefix="termlight-bench-") as tmp:
        tmp = Path(tmp)
        for name, terms in glossaries(texts):
            if name.startswith("10k"):
                continue  # the two ends are enough here
            glossary = write_glossary(terms, tmp / f"{len(terms)}.json")
            cache = tmp / f"cache-{len(terms)}"
            cold = fresh_process(glossary, cache)
            cached = [fresh_process(glossary, cache) for _ in range(5)]
            wall = statistics.median(c[0] for c in cached)
            best = min(c[0] for c in cached)
            cpu = statistics.median(c[1] for c in cached)
            rss = max(c[2] for c in cached)
            start_rows.append([name, f"{cold[0]:.2f}", f"{cold[1]:.2f}", f"{cold[2]:.0f}", f"{wall:.2f}",
                               f"{best:.2f}", f"{cpu:.2f}", f"{rss:.0f}", "yes" if wall <= 0.5 else "no"])
            log(f"  fresh-process start measured for {name}")
            if name.startswith("100k"):
                gcache = tmp / "gunicorn-cache"
                cold_ready, _ = gunicorn_start(glossary, gcache, body)
                warm_ready, rows = gunicorn_start(glossary, gcache, body)
                memory_sections.append(
                    f"gunicorn with {name}, 2 workers: healthy {cold_ready:.2f} s after launch without a cache entry, "
                    f"{warm_ready:.2f} s with one (the test helper polls every 50 ms). Memory after serving the "
                    f"50 KB article, in MB:\n\n" + table(["process", "peak RSS", "Pss"], rows))
                log(f"  gunicorn measured for {name}")
    return {
        "start": (
            "A fresh interpreter importing termlight and calling create_app() (what a worker does without "
            "preloading): wall seconds (median and best of 5 for the cached runs), CPU seconds and peak RSS in MB. "
            "Target: at most 0.5 s (median wall) with a cached compiled glossary; on a busy machine wall time "
            "also counts the waits for a CPU, which the CPU column leaves out.\n\n"
            + table(["glossary", "cold wall", "cold CPU", "cold RSS", "cached wall", "best wall", "cached CPU",
                     "cached RSS", "<= 0.5 s"], start_rows)),
        "memory": "\n\n".join(memory_sections),
    }


def main() -> int:
    report = run(log=lambda msg: print(msg, file=sys.stderr))
    for title, body in report.items():
        print(f"\n## Worker {title}\n\n{body}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
