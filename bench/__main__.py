"""Every benchmark in one run, side by side: ``python -m bench`` (what ``make bench`` runs).

Prints the tables and writes them to bench/RESULTS.md with the machine they were measured on.
``--only matcher start http`` runs some of them (RESULTS.md is then left alone unless
``--write`` is given, so a partial run never replaces a full report).
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import os
import platform
import sys
from pathlib import Path

from bench import http, matcher, start

PARTS = {"matcher": matcher, "start": start, "http": http}
TITLES = {
    ("matcher", "throughput"): "Matcher throughput",
    ("matcher", "floor"): "What the 3x-flashtext target would need",
    ("matcher", "build"): "Matcher build",
    ("start", "start"): "Worker start",
    ("start", "memory"): "Worker memory with 100k terms",
    ("http", "throughput"): "HTTP: /v1/match under gunicorn against in-process Glossary.match",
    ("http", "request"): "Where one request's time goes",
}


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = ", ".join(f"{name} {importlib.metadata.version(name)}" for name in ("pyahocorasick", "flashtext"))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {versions}; "
            f"load average {load} when the run started")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=sorted(PARTS), help="run only these benchmarks")
    parser.add_argument("--write", action="store_true", help="write RESULTS.md even for a partial run")
    args = parser.parse_args(argv)
    chosen = args.only or list(PARTS)
    header = (f"Measured {datetime.date.today().isoformat()} with `make bench` (`python -m bench`) on "
              f"{machine()}.")
    print(header)
    sections = []
    for name in chosen:
        print(f"running bench.{name} ...", file=sys.stderr)
        report = PARTS[name].run(log=lambda msg: print(msg, file=sys.stderr))
        for key, body in report.items():
            section = f"## {TITLES.get((name, key), key)}\n\n{body}\n"
            print("\n" + section)
            sections.append(section)
    if args.only is None or args.write:
        text = "# Benchmark results\n\n" + header + "\n\n" + "\n".join(sections)
        (Path(__file__).parent / "RESULTS.md").write_text(text, encoding="utf-8")
        print("wrote bench/RESULTS.md", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
