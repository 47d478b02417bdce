"""Benchmark: configurations per second of the one engine (calc.engine.evaluate).

Evaluates every chip × 4 tp × 128 batches × 3 precisions × 25 prompt/answer pairs of
Llama-3.1-70B in one call, feasibility and reason codes included. Prints the grid size, the
best-of-5 wall time, and as its last line ``configs_per_s <n>``. A benchmark, not a test: it
never asserts on time.
"""

from __future__ import annotations

import itertools
import time

import numpy as np

from calc.engine import Layouts, evaluate
from calc.hardware import hardware_table
from calc import stacks
from calc.engine import NDIM
from calc.precision import PrecisionPlan
from specs.catalog import default_catalog

PRECISIONS = ["bf16", "fp8", "fp4"]


def main() -> None:
    catalog = default_catalog()
    model = catalog.model("llama-3.1-70b")
    table = hardware_table(list(catalog.chips), [PrecisionPlan.of(p) for p in PRECISIONS])
    pairs = list(itertools.product([128, 512, 1024, 4096, 8192], [128, 256, 512, 1024, 2048]))
    grid = dict(batches=np.geomspace(1, 4096, 128), input_tokens=[i for i, _ in pairs],
                output_tokens=[o for _, o in pairs])
    layouts = Layouts.of([(tp, 1, 1) for tp in (1, 2, 4, 8)])
    efficiency = stacks.efficiencies("unknown", [(c.vendor, c.architecture) for c in table.chips],
                                     NDIM)  # each chip's platform profile, as sizing uses
    run = lambda: evaluate(model, table, layouts, efficiency, **grid)  # noqa: E731
    result = run()  # warm-up (and the one-off conversion of the catalog to SI arrays)
    times = []
    for _ in range(5):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    n, best = result.reason.size, min(times)
    print(f"model {model.id}: {len(table.chips)} chips x {len(layouts)} tp x 128 batches x "
          f"{len(PRECISIONS)} precisions x {len(pairs)} length pairs = {n:,} configurations "
          f"({int(result.feasible.sum()):,} feasible)")
    print(f"best of 5: {best * 1e3:.1f} ms per sweep")
    print(f"configs_per_s {n / best:.0f}")


if __name__ == "__main__":
    main()
