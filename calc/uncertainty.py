"""How sure: Monte Carlo bands through the one engine.

Two sources of spread, sampled independently:

1. **Spec figures.** Each figure the model reads (dense peak of the precision used, memory
   capacity and bandwidth, scale-up and scale-out bandwidth, the assumed scale-out default
   where a chip publishes none) is drawn from a triangular distribution over its
   low–value–high range. A figure without a range gets one from its
   source's confidence (``SPREAD``): a datasheet value is exact, a vendor claim ±5%, a press
   figure ±10%, an estimate ±25%. Samples lie along the chip axis of the engine's grid (the chip
   repeated once per sample), so one engine call evaluates them all.
2. **The model's own error.** The signed errors of the grouped cross-validation (each case
   predicted by profiles fitted without its source's cases on its chip, written by
   ``python -m calc calibrate --write``), for the metric's class (throughput, TTFT, TPOT) and
   the chip's vendor where it has ``MIN_RESIDUALS`` of them; else all vendors' errors of that
   class; a vendor with no measured case at all gets every class's errors, the widest band.
   A prediction p with error e = (p − m)/m stands for a measurement m = p / (1 + e).
   Held-out cases the refit could not serve at all (recorded as −100%) are left out.

Bands are the 10th, 50th and 90th percentiles; a seed makes them reproducible.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from pydantic import BaseModel, ConfigDict

from calc import stacks
from calc.hardware import HardwareTable, assumed_scaleout, peak_figure

SPREAD = {"datasheet": 0.0, "vendor-claim": 0.05, "press": 0.10, "estimate": 0.25}
"""Relative half-width given to a figure without a low/high range, by its confidence."""
MIN_RESIDUALS = 5
"""Cross-validated errors a vendor needs for a band of its own."""
METRIC_CLASS = {"output_tokens_per_s": "throughput", "input_tokens_per_s": "throughput",
                "total_tokens_per_s": "throughput", "output_tokens_per_s_per_user": "tpot",
                "ttft_ms": "ttft", "tpot_ms": "tpot"}
PERCENTILES = (10, 50, 90)


class Band(BaseModel):
    """P10, P50 and P90 of one output."""

    model_config = ConfigDict(frozen=True)
    p10: float
    p50: float
    p90: float

    @classmethod
    def of(cls, samples) -> Band | None:
        samples = np.asarray(samples, dtype=float)
        samples = samples[np.isfinite(samples)]
        if not samples.size:
            return None
        return cls(**dict(zip(("p10", "p50", "p90"), map(float, np.percentile(
            samples, PERCENTILES)))))


def _ratio_range(sourced, width: float) -> tuple[float, float]:
    """(low, high) of a figure as multiples of its value, widened or narrowed by ``width``."""
    if sourced is None:
        return 1.0, 1.0
    value = sourced.value
    low = sourced.low / value if sourced.low is not None else None
    high = sourced.high / value if sourced.high is not None else None
    spread = SPREAD[sourced.source.confidence]
    low = float(getattr(low, "magnitude", low)) if low is not None else 1 - spread
    high = float(getattr(high, "magnitude", high)) if high is not None else 1 + spread
    return 1 - width * (1 - low), 1 + width * (high - 1)


def figures(table: HardwareTable, c: int, j: int) -> dict[str, object]:
    """The sourced figures behind row ``c`` and plan ``j`` of ``table``, by field name; the
    assumed default (:func:`calc.hardware.assumed_scaleout`) where the chip publishes no
    scale-out bandwidth, so that it is drawn across its low–high range too."""
    chip = table.chips[c]
    linear, attention = table.linear_precision[c, j], table.attention_precision[c, j]
    link = lambda l: None if l is None else l.bandwidth  # noqa: E731,E741
    scaleout = assumed_scaleout() if table.scaleout_assumed[c] else link(chip.scaleout)
    return {"peak_linear": peak_figure(chip, linear) if linear else None,
            "peak_attention": peak_figure(chip, attention) if attention else None,
            "memory_bandwidth": chip.memory_bandwidth, "memory_capacity": chip.memory_capacity,
            "scaleup_bandwidth": link(chip.scaleup) or scaleout,
            "scaleout_bandwidth": scaleout}


def estimated_figures(table: HardwareTable, c: int, j: int) -> list[str]:
    """Names of the figures of chip ``c`` that are estimates, with their range."""
    out = []
    for name, sourced in figures(table, c, j).items():
        if sourced is not None and sourced.source.confidence == "estimate":
            low, high = _ratio_range(sourced, 1.0)
            out.append(f"{table.chips[c].id} {name.replace('_', ' ')} {sourced.value:~P} "
                       f"(estimate, ×{low:.2f}–×{high:.2f})")
    return out


def sample_table(table: HardwareTable, samples: int, rng: np.random.Generator,
                 width: float = 1.0) -> HardwareTable:
    """``table`` with each chip repeated ``samples`` times (chip-major) and its figures drawn
    from their ranges; ``width`` scales every range (0: the catalog values)."""
    C, P = len(table.chips), len(table.plans)
    rows = np.repeat(np.arange(C), samples)
    fields = {}
    for name in ("peak_linear", "peak_attention", "memory_bandwidth", "memory_capacity",
                 "scaleup_bandwidth", "scaleout_bandwidth"):
        base = np.asarray(getattr(table, name))[rows]
        per_plan = base.ndim == 2
        factor = np.ones_like(base)
        for c in range(C):
            for j in range(P if per_plan else 1):
                low, high = _ratio_range(figures(table, c, j)[name], width)
                if high > low:
                    draw = rng.triangular(low, 1.0, high, size=samples)
                    if per_plan:
                        factor[c * samples:(c + 1) * samples, j] = draw
                    else:
                        factor[c * samples:(c + 1) * samples] = draw
        fields[name] = base * factor
    repeat = {name: np.asarray(getattr(table, name))[rows] for name in (
        "linear_precision", "attention_precision", "scaleup_domain", "domain_assumed",
        "scaleout_assumed", "estimated")}
    return replace(table, chips=tuple(table.chips[c] for c in rows), **fields, **repeat)


def model_errors(metric: str, vendor: str) -> np.ndarray:
    """Cross-validated signed errors to sample for ``metric`` on a chip of ``vendor``."""
    rows = [r for r in stacks.load().get("cross_validated_errors", []) if r["error"] > -0.95]
    cls = METRIC_CLASS[metric]
    of_class = [r for r in rows if METRIC_CLASS.get(r["metric"]) == cls]
    measured_vendor = {r["vendor"].lower() for r in rows}
    if vendor.lower() not in measured_vendor:
        return np.array([r["error"] for r in rows])
    mine = [r["error"] for r in of_class if r["vendor"].lower() == vendor.lower()]
    return np.array(mine if len(mine) >= MIN_RESIDUALS else [r["error"] for r in of_class])


def with_model_error(predicted: np.ndarray, metric: str, vendor: str,
                     rng: np.random.Generator) -> np.ndarray:
    """Samples of the measured value: predicted / (1 + e), e drawn from the model's errors."""
    errors = model_errors(metric, vendor)
    if not errors.size:
        return predicted
    return predicted / (1 + rng.choice(errors, size=np.shape(predicted)))


def prediction_bands(model, table: HardwareTable, layouts, efficiency, arguments: dict, *,
                     prefill: bool, samples: int, seed: int, width: float = 1.0,
                     model_error: bool = True) -> tuple[dict[str, Band], float]:
    """Bands of :func:`prediction_samples`, and the share of samples that are feasible."""
    drawn, share = prediction_samples(model, table, layouts, efficiency, arguments,
                                      prefill=prefill, samples=samples, seed=seed, width=width,
                                      model_error=model_error)
    bands = {name: Band.of(values) for name, values in drawn.items()}
    return {name: band for name, band in bands.items() if band is not None}, share


def prediction_samples(model, table: HardwareTable, layouts, efficiency, arguments: dict, *,
                       prefill: bool, samples: int, seed: int, width: float = 1.0,
                       model_error: bool = True) -> tuple[dict[str, np.ndarray], float]:
    """Samples of one prediction's metrics at its layout (``layouts`` of length 1, one chip and
    plan in ``table``; NaN where a sample is infeasible), and the share that are feasible.

    Each sample re-picks its best batch (and prefill split) under the same scenario, as
    :func:`calc.predict.predict` does."""
    from calc.engine import evaluate

    rng = np.random.default_rng(seed)
    sampled = sample_table(table, samples, rng, width)
    evaluation = evaluate(model, sampled, layouts, efficiency, **arguments)
    rate = evaluation.input_per_s if prefill else evaluation.output_per_s
    score = np.where(evaluation.feasible, np.broadcast_to(rate, evaluation.shape), -np.inf)
    flat = score.reshape(samples, -1)
    best = np.argmax(flat, axis=1)
    feasible = np.isfinite(flat[np.arange(samples), best])
    replicas = float(layouts.replicas[0]) if layouts.replicas is not None else 1.0

    def per_sample(name, scale=1.0):
        values = np.broadcast_to(getattr(evaluation, name), evaluation.shape)
        out = values.reshape(samples, -1)[np.arange(samples), best] * scale
        return np.where(feasible, out, np.nan)

    vendor = table.chips[0].vendor
    metrics = {"output_tokens_per_s": per_sample("output_per_s", replicas),
               "input_tokens_per_s": per_sample("input_per_s", replicas),
               "ttft_ms": per_sample("ttft", 1e3), "tpot_ms": per_sample("tpot", 1e3)}
    if model_error:
        metrics = {name: with_model_error(values, name, vendor, rng)
                   for name, values in metrics.items()}
    return metrics, float(feasible.mean())


def price_samples(price, samples: int, rng: np.random.Generator, width: float = 1.0):
    """Samples of a picked price (USD): triangular over its low–high range, or ± its source's
    confidence spread where it states none."""
    low, high = price.low_usd, price.high_usd
    if low == high:
        spread = SPREAD.get(price.confidence, 0.0)
        low, high = price.usd * (1 - spread), price.usd * (1 + spread)
    low = price.usd - width * (price.usd - low)
    high = price.usd + width * (high - price.usd)
    return rng.triangular(low, price.usd, high, size=samples) if high > low else \
        np.full(samples, price.usd)


def pool_samples(model, table: HardwareTable, layouts, batch: float, mode: str, efficiency,
                 lengths: dict, samples: int, rng: np.random.Generator, *,
                 width: float = 1.0, model_error: bool = True) -> dict[str, np.ndarray]:
    """Samples of one sizing pool's requests/s per replica, TTFT and TPOT (seconds) at its
    layout and batch (``table``: its one chip and plan)."""
    from calc.engine import evaluate

    I, O = lengths["input_tokens"][0], lengths["output_tokens"][0]
    sampled = sample_table(table, samples, rng, width)
    if mode == "prefill":
        e = evaluate(model, sampled, layouts, efficiency, mode="prefill", batches="fill",
                     **lengths)
        capacity = e.input_per_s / I
    elif mode == "decode":
        e = evaluate(model, sampled, layouts, efficiency, mode="decode", batches=[batch],
                     context_tokens=[I + O / 2], **lengths)
        capacity = e.output_per_s / O
    else:
        e = evaluate(model, sampled, layouts, efficiency, batches=[batch], **lengths)
        capacity = e.output_per_s / O
    fits = e.feasible.reshape(samples)  # no limits given: the batch fits and links are known
    flat = lambda a: np.where(fits, np.broadcast_to(a, e.shape).reshape(samples), np.nan)  # noqa
    out = {"capacity": flat(capacity), "ttft": flat(e.ttft), "tpot": flat(e.tpot)}
    if model_error:
        vendor = table.chips[0].vendor
        out["capacity"] = with_model_error(out["capacity"], "output_tokens_per_s", vendor, rng)
        out["ttft"] = with_model_error(out["ttft"], "ttft_ms", vendor, rng)
        out["tpot"] = with_model_error(out["tpot"], "tpot_ms", vendor, rng)
    return out
