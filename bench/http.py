"""HTTP: POST /v1/match under the real gunicorn against in-process Glossary.match, same input.

    python -m bench.http

The server is the production one (gunicorn config, 2 workers, gthread, access log on), started
on a loopback port by the tests' helper; the load comes from wrk (``apt-get install wrk``) with
a small Lua script that posts a ~50 KB article and reports latency percentiles.  Rounds of
wrk and of in-process calls alternate, so machine drift hits both; each figure is a median.

The in-process side calls ``Glossary.match(article, offsets="utf16")`` in one thread, as fast
as it can: requests per second over calls per second is the throughput ratio (target >= 0.7).
The split of one request's work (matching, building the JSON document, encoding, decoding the
request body) is measured in process too, to show where the HTTP overhead goes.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.inputs import articles, glossaries, http_article, write_glossary
from bench.timing import side_by_side, table
from termlight import Glossary

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from support.server import NO_RATE_LIMIT, run_server  # noqa: E402  (the tests' real-gunicorn helper)

LUA = """\
-- Posts the JSON body stored in the file named by $TERMLIGHT_BENCH_BODY, then prints one line
-- of JSON with the totals and latency percentiles (microseconds) for the Python side to read.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local file = assert(io.open(os.getenv("TERMLIGHT_BENCH_BODY"), "rb"))
wrk.body = file:read("*a")
file:close()

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "socket_errors": %d, "non_2xx": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
"""


def wrk(url: str, script: Path, body: Path, seconds: int, connections: int) -> dict:
    out = subprocess.run(
        ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "-s", str(script), url],
        env=dict(os.environ, TERMLIGHT_BENCH_BODY=str(body)), capture_output=True, text=True, check=True,
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    if result["socket_errors"] or result["non_2xx"]:
        raise RuntimeError(f"wrk saw errors: {result}")
    return result


def in_process(glossary: Glossary, article: str, seconds: float) -> tuple[float, float]:
    """Calls per second of Glossary.match on the article, one thread: per wall second and per
    CPU second."""
    calls = 0
    start, cpu = time.perf_counter(), time.process_time()
    while (elapsed := time.perf_counter() - start) < seconds:
        glossary.match(article, offsets="utf16")
        calls += 1
    return calls / elapsed, calls / (time.process_time() - cpu)


def cpu_seconds(pids: list[int]) -> float:
    """CPU time (user + system) the processes have used so far, from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def measured(server, script: Path, body: Path, seconds: int, connections: int) -> dict:
    """One wrk run, plus the CPU seconds the server (master and workers) spent during it."""
    pids = [server.proc.pid, *server.worker_pids()]
    before = cpu_seconds(pids)
    result = wrk(server.url + "/v1/match", script, body, seconds, connections)
    result["server_cpu"] = cpu_seconds(pids) - before
    return result


def request_parts(glossary: Glossary, article: str) -> list[list[str]]:
    """Milliseconds of CPU for each step of one request's work, in process, done with what the
    server uses: orjson encodes the answer, msgspec (validation.parse_json_body) reads the body."""
    import orjson

    from termlight.service.validation import parse_json_body

    body = json.dumps({"text": article}, ensure_ascii=False).encode()
    doc = glossary.match_document(text=article)
    times = side_by_side({
        "Glossary.match (utf16)": lambda: glossary.match(article, offsets="utf16"),
        "match_document": lambda: glossary.match_document(text=article),
        "JSON encode of the answer (orjson)": lambda: orjson.dumps(doc, option=orjson.OPT_APPEND_NEWLINE),
        "JSON decode of the request (msgspec)": lambda: parse_json_body(body),
    }, rounds=51)
    return [[name, f"{seconds * 1e3:.2f}"] for name, seconds in times.items()]


def run(log=print, rounds: int = 3, seconds: int = 6, connections: tuple[int, ...] = (1, 2, 4)) -> dict:
    if shutil.which("wrk") is None:
        raise SystemExit("bench.http needs wrk: apt-get install -y wrk")
    label, texts = articles()
    article = http_article(texts)
    size_kb = len(article.encode()) / 1000
    rows, parts = [], []
    with tempfile.TemporaryDirectory(prefix="termlight-http-") as tmp:
        tmp = Path(tmp)
        script = tmp / "post.lua"
        script.write_text(LUA, encoding="utf-8")
        body = tmp / "body.json"
        body.write_text(json.dumps({"text": article}, ensure_ascii=False), encoding="utf-8")
        for name, terms in glossaries(texts):
            if name.startswith("10k"):
                continue
            path = write_glossary(terms, tmp / f"{len(terms)}.json")
            glossary = Glossary.load(path)
            matches = len(glossary.match(article))
            http_runs: dict[int, list[dict]] = {c: [] for c in connections}
            local_runs = []
            env = {"TERMLIGHT_CACHE_DIR": str(tmp / "cache")}
            with run_server(path, env={**env, **NO_RATE_LIMIT}, workers=2, startup_timeout=300) as server:
                wrk(server.url + "/v1/match", script, body, 2, 2)  # warm-up
                for _ in range(rounds):
                    for c in connections:
                        http_runs[c].append(measured(server, script, body, seconds, c))
                    local_runs.append(in_process(glossary, article, seconds))
            local = statistics.median(run[0] for run in local_runs)
            local_cpu = statistics.median(run[1] for run in local_runs)
            for c in connections:
                runs = http_runs[c]
                rps = statistics.median(r["requests"] / (r["duration_us"] / 1e6) for r in runs)
                per_cpu = statistics.median(r["requests"] / r["server_cpu"] for r in runs)
                p50 = statistics.median(r["p50_us"] for r in runs) / 1e3
                p99 = statistics.median(r["p99_us"] for r in runs) / 1e3
                rows.append([name, str(matches), str(c), f"{local:.0f}", f"{rps:.0f}", f"{rps / local:.2f}",
                             f"{local_cpu:.0f}", f"{per_cpu:.0f}", f"{per_cpu / local_cpu:.2f}",
                             f"{p50:.1f}", f"{p99:.1f}"])
            parts.append(f"**{name}**, one request's work in process (CPU ms, median of 51):\n\n"
                         + table(["step", "ms"], request_parts(glossary, article)))
            log(f"  HTTP measured for {name}")
    return {
        "throughput": (
            f"Article: {size_kb:.0f} KB of {label.split(' (')[0]}, offsets in UTF-16 (the default). gunicorn with "
            f"2 workers (gthread, 4 threads each) on this {os.cpu_count()}-core machine, driven by wrk for {seconds} s "
            f"per run; {rounds} rounds, each running every connection count and then {seconds} s of in-process "
            "Glossary.match calls in one thread (medians). Target: ratio >= 0.7. The first ratio is per wall "
            "second (what a client sees, at the mercy of whatever else the machine runs); the second is per CPU "
            "second (requests per CPU second of the gunicorn master and workers, from /proc, over in-process "
            "calls per CPU second): the cost of the HTTP layer itself, steady on a busy machine.\n\n"
            + table(["glossary", "matches", "connections", "in-process calls/s", "HTTP req/s", "ratio",
                     "in-process calls/CPU s", "HTTP req/CPU s", "CPU ratio", "p50 ms", "p99 ms"], rows)),
        "request": "\n\n".join(parts),
    }


def main() -> int:
    report = run(log=lambda msg: print(msg, file=sys.stderr))
    for title, body in report.items():
        print(f"\n## HTTP {title}\n\n{body}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
