"""Side-by-side timing: rounds interleave the contenders so drift hits them all alike.

In-process contenders are timed in CPU time of this process (``time.process_time``): the shared
2-core machines these benchmarks run on are busy with other work, and wall time then measures the
neighbours as much as the code.  Each contender's result is kept alive until its clock has
stopped, so freeing a big structure is never billed to the next contender.

Every object that exists when the rounds start (the contenders' tries and automata, the texts) is
moved out of the garbage collector's way with ``gc.freeze()``, as a long-running server would do
after loading: otherwise each collection triggered by one contender's allocations walks the other
contenders' structures (flashtext's trie alone is hundreds of thousands of dicts), and whoever
allocates most pays for everybody's memory.
"""

from __future__ import annotations

import gc
import statistics
import time
from typing import Callable


def side_by_side(contenders: dict[str, Callable[[], object]], rounds: int = 7,
                 clock: Callable[[], float] = time.process_time) -> dict[str, float]:
    """Median seconds per contender, each round running every contender once, in turn."""
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    gc.collect()
    gc.freeze()
    try:
        for _ in range(rounds):
            for name, fn in contenders.items():
                start = clock()
                result = fn()
                samples[name].append(clock() - start)
                del result
    finally:
        gc.unfreeze()
    return {name: statistics.median(values) for name, values in samples.items()}


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A Markdown table, padded so it also reads well in a terminal."""
    widths = [max(len(str(c)) for c in col) for col in zip(headers, *rows)]

    def line(cells):
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"

    return "\n".join([line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)])
