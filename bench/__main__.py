"""Every benchmark in one run, side by side: ``python -m bench`` (what ``make bench`` runs).

Prints the tables and writes them to bench/RESULTS.md, each part with the date and the machine
it was measured on.  ``--only matcher http`` runs some of the parts; RESULTS.md then keeps the
other parts from the previous run, so a partial run never throws a full report away.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import importlib.metadata
import os
import platform
import re
import sys
from pathlib import Path

RESULTS = Path(__file__).parent / "RESULTS.md"
PARTS = ("matcher", "start", "http", "extension", "request_decoding")  # modules of this package, in report order
TITLES = {
    ("matcher", "throughput"): "Matcher throughput",
    ("matcher", "floor"): "What the 3x-flashtext target would need",
    ("matcher", "build"): "Matcher build",
    ("start", "start"): "Worker start",
    ("start", "memory"): "Worker memory with 100k terms",
    ("http", "throughput"): "HTTP: /v1/match under gunicorn against in-process Glossary.match",
    ("http", "request"): "Where one request's time goes",
    ("extension", "extension"): "Extension in Chromium against mark.js",
    ("request_decoding", "errors"): "Request bodies: the alternatives' answers against termlight's",
    ("request_decoding", "schema"): "Request bodies: the MatchRequest schema generated from each model",
    ("request_decoding", "speed"): "Request bodies: decoding and validation time",
}
MARKER = "<!-- bench:{} -->"


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
            f"load average {load} when it started")


def previous_parts(text: str) -> dict[str, str]:
    """The part blocks of an earlier RESULTS.md; one written before the blocks had markers is
    split at the headings this runner knows."""
    found = re.split(r"<!-- bench:(\w+) -->\n", text)
    if len(found) > 1:
        return dict(zip(found[1::2], found[2::2]))
    owner = {title: part for (part, _), title in TITLES.items()}
    parts: dict[str, str] = {}
    current = None
    for chunk in re.split(r"(?m)^(?=## )", text):
        heading = chunk.splitlines()[0][3:].strip() if chunk.startswith("## ") else None
        current = owner.get(heading, current) if heading else None
        if current:
            parts[current] = parts.get(current, "") + chunk
    return parts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=PARTS, help="run only these parts")
    args = parser.parse_args(argv)
    blocks = previous_parts(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    for name in args.only or PARTS:
        print(f"running bench.{name} ...", file=sys.stderr)
        module = importlib.import_module(f"bench.{name}")
        header = f"_Measured {datetime.date.today().isoformat()} with `python -m bench` on {machine()}._\n\n"
        report = module.run(log=lambda msg: print(msg, file=sys.stderr))
        sections = [f"## {TITLES.get((name, key), key)}\n\n{body.strip()}\n\n" for key, body in report.items()]
        print("\n" + header + "".join(sections))
        blocks[name] = header + "".join(sections)
    ordered = [name for name in PARTS if name in blocks] + [name for name in blocks if name not in PARTS]
    text = "# Benchmark results\n\nReproduce with `make bench` (or `python -m bench --only matcher start http extension request_decoding`).\n\n"
    text += "".join(MARKER.format(name) + "\n" + blocks[name].strip() + "\n\n" for name in ordered)
    RESULTS.write_text(text.rstrip() + "\n", encoding="utf-8")
    print("wrote bench/RESULTS.md", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
