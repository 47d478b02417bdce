"""Benchmark: configurations per second of the vectorised serving model (calc.sweep).

Prints the grid size, the best-of-5 wall time, and as its last line ``configs_per_s <n>``.
A benchmark, not a test: it never asserts on time.
"""

from __future__ import annotations

import time

import numpy as np

from calc.predict import ServingError, hardware, PrecisionPlan
from calc.sweep import sweep
from specs.catalog import default_catalog

PRECISIONS = ["bf16", "fp8", "fp4"]


def usable(chip) -> bool:
    try:
        for precision in PRECISIONS:
            hardware(chip, PrecisionPlan.of(precision))
    except ServingError:
        return False
    return True


def main() -> None:
    catalog = default_catalog()
    chips = [c for c in catalog.chips if usable(c)]
    model = catalog.model("llama-3.1-70b")
    grid = dict(tps=[1, 2, 4, 8], batches=np.geomspace(1, 4096, 128),
                precision_names=PRECISIONS, input_tokens=[128, 512, 1024, 4096, 8192],
                output_tokens=[128, 256, 512, 1024, 2048])
    result = sweep(model, chips, **grid)  # warm-up
    n = len(result["batch"])
    times = []
    for _ in range(5):
        start = time.perf_counter()
        result = sweep(model, chips, **grid)
        times.append(time.perf_counter() - start)
    best = min(times)
    fitting = int(result["fits"].sum())
    print(f"model {model.id}: {len(chips)} chips x 4 tp x 128 batches x {len(PRECISIONS)} "
          f"precisions x 5 prompt x 5 answer lengths = {n:,} configurations ({fitting:,} fit)")
    print(f"best of 5: {best * 1e3:.1f} ms per sweep")
    print(f"configs_per_s {n / best:.0f}")


if __name__ == "__main__":
    main()
