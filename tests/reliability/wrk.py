"""Saturating load with wrk: a realistic request mix, and wrk's own count of the outcome.

The mix is built from the bundled glossary's own definitions, which are real prose full of
jargon: single paragraphs (what a script or the home page sends), batches of 20 short blocks
(what the extension sends for a page), and the lookups a client makes (prefix search, one
term, the glossary list). Every request carries the token, so auth runs on every request.
"""

from __future__ import annotations

import json
import random
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from termlight import Glossary
from termlight.paths import bundled_glossary

LUA = Path(__file__).resolve().parent / "wrk_mix.lua"


def build_mix(path: Path, seed: int = 6) -> dict[str, int]:
    """Write the request mix file that wrk_mix.lua reads; returns the weight of each kind."""
    rng = random.Random(seed)
    glossary = Glossary.load(bundled_glossary())
    terms = list(glossary.terms.values())
    definitions = [t.definition for t in terms]
    lines: list[tuple[int, str, str, str]] = []
    for _ in range(40):  # single paragraphs of 3 to 8 sentences, some with non-ASCII
        text = " ".join(rng.sample(definitions, rng.randint(3, 8)))
        if rng.random() < 0.3:
            text += " 日本語の記事では基盤モデルやファインチューニングもよく出てくる 😀."
        lines.append((5, "POST", "/v1/match", json.dumps({"text": text}, ensure_ascii=False)))
    for _ in range(20):  # batches, like the extension's blocks of a page
        batch = rng.sample(definitions, 20)
        lines.append((3, "POST", "/v1/match", json.dumps({"texts": batch, "offsets": "utf16"},
                                                          ensure_ascii=False)))
    for term in rng.sample(terms, 30):
        lines.append((1, "GET", f"/v1/terms?q={quote(term.term[:3])}", ""))
        lines.append((1, "GET", f"/v1/terms/{quote(term.id)}", ""))
    lines.append((4, "GET", "/v1/glossaries", ""))
    with open(path, "w", encoding="utf-8") as out:
        for weight, method, target, body in lines:
            assert "\t" not in body and "\n" not in body
            out.write(f"{weight}\t{method}\t{target}\t{body}\n")
    kinds = {"single": 0, "batch": 0, "lookup": 0}
    for weight, method, _target, body in lines:
        kind = "lookup" if method == "GET" else ("batch" if '"texts"' in body else "single")
        kinds[kind] += weight
    return kinds


@dataclass
class WrkResult:
    requests: int
    duration_s: float
    errors: dict
    by_status: dict
    empty_bodies: int
    latency_us: dict
    output: str

    @property
    def error_count(self) -> int:
        non_ok = sum(n for status, n in self.by_status.items() if not status.startswith("2"))
        return sum(self.errors.values()) + non_ok + self.empty_bodies

    @property
    def rate(self) -> float:
        return self.requests / self.duration_s if self.duration_s else 0.0


def run_wrk(wrk: str, url: str, mix_file: Path, seconds: int, token: str = "",
            connections: int = 32, threads: int = 2) -> WrkResult:
    cmd = [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
           "-s", str(LUA), url, "--", str(mix_file), token]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    line = next((l for l in proc.stdout.splitlines() if l.startswith("TERMLIGHT-RESULT ")), None)
    assert line, f"wrk printed no result:\n{proc.stdout}\n{proc.stderr}"
    data = json.loads(line.split(" ", 1)[1])
    return WrkResult(data["requests"], data["duration_us"] / 1e6, data["errors"],
                     data["by_status"], data["empty_bodies"], data["latency_us"], proc.stdout)
