"""Fit the efficiency factors on measured cases: a handful of global numbers, never per case.

Coordinate descent over bounded grids minimises the MAPE of :mod:`calc.validate`. A per-vendor
compute factor is fitted only for vendors with at least ``MIN_CASES_PER_VENDOR`` cases, so that
one measurement can never be memorised by a factor of its own.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import numpy as np

from calc.perf import Efficiency
import pandas as pd

from calc.validate import Case, error_table
from specs.catalog import default_catalog

BOUNDS = {
    "mfu_prefill": (0.2, 0.95),
    "mfu_decode": (0.2, 0.95),
    "low_precision_efficiency": (0.4, 1.0),
    "moe_efficiency": (0.2, 1.0),
    "mbu": (0.4, 0.95),
    "overlap": (0.0, 1.0),
    "comm_efficiency": (0.2, 1.0),
    "layer_overhead_s": (0.0, 100e-6),
    "collective_latency_s": (0.0, 50e-6),
}
VENDOR_BOUNDS = (0.3, 1.5)
MIN_CASES_PER_VENDOR = 2


def _loss(cases: list[Case], eff: Efficiency) -> float:
    try:
        table = error_table(cases, eff)
    except ValueError:  # a factor that makes some case infeasible is out of bounds
        return float("inf")
    return float(np.mean(np.abs(table["error"])))


def _with(eff: Efficiency, name: str, value: float) -> Efficiency:
    if name.startswith("vendor:"):
        vendors = dict(eff.vendor_compute) | {name.split(":", 1)[1]: value}
        return replace(eff, vendor_compute=tuple(sorted(vendors.items())))
    return replace(eff, **{name: value})


def fit_vendors(cases: list[Case]) -> list[str]:
    """Vendors with enough cases for a factor of their own."""
    catalog = default_catalog()
    counts = Counter(catalog.chip(c.chip).vendor.lower() for c in cases)
    return sorted(v for v, n in counts.items() if n >= MIN_CASES_PER_VENDOR)


def calibrate(cases: list[Case], start: Efficiency | None = None, per_vendor: bool = False,
              rounds: int = 3, steps: int = 9) -> tuple[Efficiency, float]:
    """Fit the factors of ``BOUNDS`` (and per-vendor compute factors if asked); return the
    fitted efficiency and its MAPE (a fraction)."""
    eff = start or Efficiency()
    names = list(BOUNDS)
    bounds = dict(BOUNDS)
    if per_vendor:
        reference = "nvidia"
        for vendor in fit_vendors(cases):
            if vendor != reference:
                names.append(f"vendor:{vendor}")
                bounds[f"vendor:{vendor}"] = VENDOR_BOUNDS
    best = _loss(cases, eff)
    for round_ in range(rounds):
        for name in names:
            low, high = bounds[name]
            current = dict(eff.vendor_compute).get(name.split(":", 1)[1], 1.0) \
                if name.startswith("vendor:") else getattr(eff, name)
            span = (high - low) / (2 ** round_)
            grid = np.clip(np.linspace(current - span / 2, current + span / 2, steps), low, high)
            for value in np.unique(grid):
                candidate = _with(eff, name, float(value))
                loss = _loss(cases, candidate)
                if loss < best:
                    best, eff = loss, candidate
    return eff, best


def cross_validate(cases: list[Case], per_vendor: bool = False) -> pd.DataFrame:
    """Leave-one-case-out: calibrate on the other cases, predict the held-out one. The MAPE of
    the result estimates the error on cases the factors were not fitted to."""
    rows = []
    for i, held_out in enumerate(cases):
        efficiency, _ = calibrate(cases[:i] + cases[i + 1:], per_vendor=per_vendor)
        rows.append(error_table([held_out], efficiency))
    return pd.concat(rows, ignore_index=True)
