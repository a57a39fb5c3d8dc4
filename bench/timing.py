"""Side-by-side timing: rounds interleave the contenders so drift hits them all alike."""

from __future__ import annotations

import statistics
import time
from typing import Callable


def side_by_side(contenders: dict[str, Callable[[], object]], rounds: int = 7) -> dict[str, float]:
    """Median seconds per contender, each round running every contender once, in turn."""
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, fn in contenders.items():
            start = time.perf_counter()
            fn()
            samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in samples.items()}


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(c)) for c in col) for col in zip(headers, *rows)]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"
    return "\n".join([line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)])
