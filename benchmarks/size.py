"""Benchmark: a whole-catalog sizing of DeepSeek-V3 and of Llama-3.1-70B (calc.sizing.size).

Every shipping chip × bf16/fp8/fp4 × every sizing layout × 97 batches, aggregated and
disaggregated (pools of one or two chips), at 10 requests/s of 2,000 prompt and 500 answer
tokens within TTFT 3 s and TPOT 50 ms. Prints the options found, ``uncertainty_s`` (the same two
sizings with 1,000-sample P10/P50/P90 bands on every option) and, as its last line,
``sizing_s <seconds>`` (best of 5 of the two sizings without bands). A benchmark, not a test: it
never asserts on time.
"""

from __future__ import annotations

import time

from calc.sizing import size
from calc.workload import Workload

MODELS = ("deepseek-v3", "llama-3.1-70b")


def main() -> None:
    workloads = [Workload.of(model=m, requests_per_s=10, input_tokens=2000, output_tokens=500,
                             ttft_ms=3000, tpot_ms=50, precisions=("bf16", "fp8", "fp4"))
                 for m in MODELS]
    first = time.perf_counter()
    results = [size(w) for w in workloads]  # includes loading the catalog once
    first = time.perf_counter() - first
    times = []
    for _ in range(5):
        start = time.perf_counter()
        results = [size(w) for w in workloads]
        times.append(time.perf_counter() - start)
    for w, r in zip(workloads, results):
        print(f"{w.model}: {len(r.options)} options, {len(r.infeasible)} chips without one, "
              f"cheapest {r.options[0].chip if r.options else 'none'}")
    start = time.perf_counter()
    for w in workloads:
        size(w, samples=1000, seed=0)
    print(f"first call (catalog load included): {first:.2f} s")
    print(f"uncertainty_s {time.perf_counter() - start:.3f}   (1,000-sample bands on every option)")
    print(f"sizing_s {min(times):.3f}")


if __name__ == "__main__":
    main()
