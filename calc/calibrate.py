"""Fit the serving-stack efficiency profiles on measured cases, and cross-validate them.

Profiles form a tree: ``global`` (all cases) → vendor (``amd``) → platform (vendor and
architecture family, ``amd/cdna 3``) → stack on that platform (``vllm/amd/cdna 3``). The
global profile fits every factor of ``GLOBAL_BOUNDS``; a child fits only the few factors of
``CHILD_BOUNDS`` that software changes, starting from and shrunk towards its nearest fitted
ancestor. A child is fitted only where at least ``stacks.MIN_CASES`` cases from
``stacks.MIN_SOURCES`` sources support it, so that no case can be memorised; otherwise it is
recorded with the reason and falls back to its parent.

The fit minimises a soft-L1 loss of the relative errors (≈ the MAPE; least squares with SciPy)
over the cases' metrics. Cross-validation holds out whole groups — every case of one source
(publication) on one chip — so that sibling runs of one measurement never sit on both sides of
a fold. A fit evaluates :class:`Prepared` cases, converted to SI floats once, for all the
Jacobian's candidate efficiencies in one broadcast; folds run in parallel processes.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
import re
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, replace

import numpy as np
import pandas as pd
import yaml
from scipy.optimize import least_squares

from calc import stacks
from calc.architecture import shape
from calc.perf import Efficiency, Hardware, latency_limit
from calc.predict import (SERVER_BATCHES, PrecisionPlan, _missing_link, candidate_layouts,
                          hardware, precisions)
from calc.serving import (Served, memory_fit, serve_decode, serve_interleaved,
                          serve_prefill, within_limits)
from calc.validate import Case, error_table
from specs.catalog import default_catalog

GLOBAL_BOUNDS = {
    "mfu_prefill": (0.2, 0.95),
    "mfu_decode": (0.2, 0.95),
    "low_precision_efficiency": (0.4, 1.0),
    "moe_efficiency": (0.2, 1.0),
    "mbu": (0.4, 0.95),
    "overlap": (0.0, 1.0),
    "ep_overlap": (0.0, 1.0),
    "layer_overhead_s": (0.0, 100e-6),
    "step_overhead_s": (0.0, 10e-3),
    "request_overhead_s": (0.0, 0.3),
    "tpot_headroom": (0.5, 1.0),
}
"""Factors the global profile fits, with their bounds (the rest keep their defaults:
``ttft_headroom`` stays 1 because no case's TTFT limit binds once the TPOT limit holds, so the
cases cannot tell its value)."""
CHILD_BOUNDS = {
    "mfu_prefill": (0.1, 0.95),
    "mfu_decode": (0.1, 0.95),
    "mbu": (0.3, 0.95),
    "moe_efficiency": (0.1, 1.0),
    "step_overhead_s": (0.0, 15e-3),
    "request_overhead_s": (0.0, 0.3),
}
"""Factors a vendor, platform or stack profile fits over its parent's: achieved compute,
bandwidth and MoE efficiency, and the fixed per-step and per-request costs."""
FAILED = 3.0
"""Relative error charged to a metric the candidate factors cannot predict (no batch meets the
case's limits although the measured system met them): far beyond the robust loss's scale, so
that the fit keeps every case feasible, but finite so that it can move away from it."""


def source_of(case: Case) -> str:
    """The publication a case comes from: its source text up to the first comma, colon or
    parenthesis, without MLPerf's division ("MLPerf Inference v5.1 closed, …" → "MLPerf
    Inference v5.1").

    >>> source_of(Case(id="x", model="m", chip="c", chips=1, scenario="offline", measured={},
    ...                source="MLPerf Inference v5.1 OPEN division, AMD 8xMI355X vLLM"))
    'MLPerf Inference v5.1'
    """
    head = re.split(r"[,:(]", case.source or case.url or case.id)[0].strip()
    return re.sub(r"\s+(closed|open division)$", "", head, flags=re.IGNORECASE)


def chain_of(case: Case) -> list[str]:
    """The case's profile keys, most specific first (:func:`calc.stacks.parents`)."""
    chip = default_catalog().chip(case.chip)
    return stacks.parents(case.stack, chip.vendor, chip.architecture)


def group_of(case: Case) -> tuple[str, str]:
    """Cross-validation group: (source, chip). All cases of a group leave a fold together."""
    return source_of(case), default_catalog().chip(case.chip).id


def support(cases: list[Case]) -> tuple[int, int]:
    """(cases, distinct sources) behind a candidate profile."""
    return len(cases), len({source_of(c) for c in cases})


class Prepared:
    """A case with everything that does not depend on the efficiency converted once to SI
    floats (shape, chip figures, the layouts :func:`calc.predict.predict` would try), so that
    a fit evaluates it for K candidate efficiencies in one broadcast (K on the leading axis).

    It mirrors ``predict``'s choice of batch and layout row by row; ``tests/test_stacks.py``
    checks that it returns predict's numbers.
    """

    def __init__(self, case: Case):
        catalog = default_catalog()
        self.case, self.chain = case, chain_of(case)
        model, chip = catalog.model(case.model), catalog.chip(case.chip)
        self.vendor = chip.vendor
        self.plan = PrecisionPlan.of(case.precision)
        self.m, self.p = shape(model), precisions(self.plan)
        full = hardware(chip, self.plan, [], Efficiency(low_precision_efficiency=1.0))
        half = hardware(chip, self.plan, [], Efficiency(low_precision_efficiency=0.5))
        self.hw = full
        self.low = (full.peak_linear != half.peak_linear,  # peaks below 16 bits
                    full.peak_attention != half.peak_attention)
        par = case.parallelism
        given = {} if par is None else dict(tp=par.tp, ep=par.ep, pp=par.pp,
                                            replicas=par.replicas)
        self.layouts = [(layout, n) for layout, n in
                        candidate_layouts(model, case.chips, **given)
                        if not (case.scenario == "concurrency" and case.concurrency < n)
                        and _missing_link(chip, full, layout) is None]
        self.metrics = list(case.measured)
        self.measured = np.array([case.measured[k] for k in self.metrics])

    def hardware(self, eff: Efficiency) -> Hardware:
        lpe = np.asarray(eff.low_precision_efficiency)
        return replace(self.hw, peak_linear=self.hw.peak_linear * (lpe if self.low[0] else 1.0),
                       peak_attention=self.hw.peak_attention
                       * (lpe if self.low[1] else 1.0))

    def predict(self, eff: Efficiency, k: int) -> np.ndarray:
        """Predicted metrics, shape (metrics, k); NaN where no layout or batch is feasible."""
        return self.predict_with_violation(eff, k)[0]

    def predict_with_violation(self, eff: Efficiency, k: int):
        """(metrics (metrics, k), violation (k,)): the violation is how far the best batch
        misses the latency limits (max of predicted ÷ allowed, minus 1) where none meets
        them, else 0, so that a fit sees how far a case is from feasible."""
        hw = self.hardware(eff)
        best = np.full((len(self.metrics), k), np.nan)
        best_rate = np.full(k, -np.inf)
        violation = np.full(k, np.inf)
        for layout, n in self.layouts:
            served = self._serve(hw, layout, n, eff, k)
            if served is None:
                continue
            rate, metrics, missed = served
            better = np.isfinite(rate) & (rate > best_rate)
            best_rate = np.where(better, rate, best_rate)
            best = np.where(better, metrics, best)
            violation = np.minimum(violation, missed)
        return best, np.where(np.isfinite(best_rate), 0.0, np.minimum(violation, 10.0))

    def _serve(self, hw, layout, n, eff, k):
        c, m, p = self.case, self.m, self.p
        missed = 0.0  # how far a searched batch misses the limits
        I, O = float(c.input_tokens or 1), float(c.output_tokens or 1)
        ttft_limit = c.limits["ttft_ms"] / 1e3 if "ttft_ms" in c.limits else None
        tpot_limit = c.limits["tpot_ms"] / 1e3 if "tpot_ms" in c.limits else None
        if c.scenario == "prefill":
            fit_ = memory_fit(m, hw, layout, p, eff, I)
            if fit_.max_sequences < 1:
                return None
            served = serve_prefill(m, hw, layout, p, eff, I, c.concurrency)
        elif c.scenario == "decode":
            fit_ = memory_fit(m, hw, layout, p, eff, c.context_tokens, step_tokens=1)
            if c.concurrency is not None:
                if c.concurrency / n > fit_.max_sequences:
                    return None
                served = serve_decode(m, hw, layout, p, eff, c.context_tokens,
                                      c.concurrency / n)
            else:
                batches = SERVER_BATCHES[SERVER_BATCHES <= fit_.max_sequences]
                served, missed = _pick(serve_decode(m, hw, layout, p, eff, c.context_tokens,
                                                    batches), eff, None, tpot_limit)
        else:
            fit_ = memory_fit(m, hw, layout, p, eff, I + O / 2)
            if fit_.max_sequences < 1:
                return None
            if c.scenario == "concurrency":
                wanted = c.concurrency / n
                served = serve_interleaved(m, hw, layout, p, eff, I, O,
                                           min(wanted, float(fit_.max_sequences)),
                                           waiting=wanted)
            elif c.scenario == "offline":
                served = serve_interleaved(m, hw, layout, p, eff, I, O, fit_.max_sequences)
            else:
                batches = SERVER_BATCHES[SERVER_BATCHES <= fit_.max_sequences]
                served, missed = _pick(serve_interleaved(m, hw, layout, p, eff, I, O, batches),
                                       eff, ttft_limit, tpot_limit)
        out = np.broadcast_to(np.ravel(served.output_per_s * n), (k,))
        inp = np.broadcast_to(np.ravel(served.input_per_s * n), (k,))
        tpot = np.broadcast_to(np.ravel(served.tpot), (k,))
        values = {"output_tokens_per_s": out, "input_tokens_per_s": inp,
                  "total_tokens_per_s": out + inp, "output_tokens_per_s_per_user": 1 / tpot,
                  "ttft_ms": np.broadcast_to(np.ravel(served.ttft), (k,)) * 1e3,
                  "tpot_ms": tpot * 1e3}
        rate = inp if c.scenario == "prefill" else out
        missed = np.broadcast_to(np.ravel(missed), (k,))
        return rate, np.stack([values[name] for name in self.metrics]), missed


def _pick(served: Served, eff: Efficiency, ttft_limit, tpot_limit):
    """Per row of candidate efficiencies, the batch (last axis) with the highest output rate
    among those meeting the limits, as :func:`calc.predict._best` (NaN where none does), and
    how far the closest batch misses them (0 where one meets them)."""
    fields_ = Served.__dataclass_fields__
    arrays = np.broadcast_arrays(*(np.asarray(getattr(served, f), dtype=float)
                                   if f != "binding" else np.zeros(1) for f in fields_))
    good = np.broadcast_to(within_limits(served, eff, ttft_limit, tpot_limit), arrays[0].shape)
    rate = np.where(good, arrays[list(fields_).index("output_per_s")], -1.0)
    i = np.argmax(rate, axis=-1)[..., None]
    none = ~good.any(axis=-1)
    picked = [np.where(none, np.nan, np.take_along_axis(a, i, axis=-1)[..., 0])
              for a in arrays]
    ratio = np.zeros(arrays[0].shape)
    for value, limit, headroom in ((served.ttft, ttft_limit, eff.ttft_headroom),
                                   (served.tpot, tpot_limit, eff.tpot_headroom)):
        if limit is not None:
            allowed = latency_limit(limit, headroom)
            ratio = np.maximum(ratio, np.nan_to_num(value, nan=0.0) / allowed)
    missed = np.where(none, np.min(ratio, axis=-1) - 1.0, 0.0)
    return Served(*picked), missed


def _efficiencies(start: Efficiency, names: list[str], values: np.ndarray) -> Efficiency:
    """``start`` with the named fields replaced by columns of ``values`` (K rows → (K, 1)
    arrays, so that they broadcast over a case's batch axis)."""
    return replace(start, **{n: values[:, j:j + 1] for j, n in enumerate(names)})


def _residuals(prepared: list[Prepared], eff: Efficiency, k: int = 1) -> np.ndarray:
    """Relative errors, shape (metrics of all cases, k); ``FAILED`` plus the miss where no
    batch meets a case's limits."""
    rows = []
    for case in prepared:
        predicted, missed = case.predict_with_violation(eff, k)
        error = (predicted - case.measured[:, None]) / case.measured[:, None]
        rows.append(np.where(np.isnan(error), FAILED + missed, error))
    return np.concatenate(rows)


LOSS, SCALE = "soft_l1", 0.05
"""Loss of the fit (SciPy ``least_squares``): relative errors beyond ``SCALE`` weigh in
linearly (≈ the MAPE), so that a case the model cannot explain (an unreported layout, an old
software release) pulls no harder than any other. (A Cauchy loss, which ignores such cases,
gave a lower cross-validated error but left a measured server case infeasible.)"""
STEP = 0.03
"""Finite-difference step of the fit in the [0, 1]-scaled factors (large enough to see past
the steps that batch and layout choices put into the error)."""


PRIOR_WEIGHT = 1.0
"""Weight of a child profile's pull towards its parent: one extra residual per factor,
``PRIOR_WEIGHT`` × (change in the [0, 1]-scaled factor), so that a factor moves only as far
as its cases' errors justify (ridge shrinkage; a few cases cannot drag it to a bound)."""


def fit(cases: list[Prepared], start: Efficiency, bounds: dict[str, tuple[float, float]],
        max_evaluations: int = 15, prior_weight: float = 0.0) -> tuple[Efficiency, float]:
    """Fit the factors named in ``bounds`` from ``start`` on ``cases``; return the efficiency
    and its MAPE (a fraction). Factors are scaled to [0, 1] so that one step suits all; the
    Jacobian's columns are evaluated together, one candidate efficiency per row;
    ``prior_weight`` shrinks the factors towards ``start``."""
    names = list(bounds)
    low = np.array([bounds[n][0] for n in names])
    span = np.array([bounds[n][1] - bounds[n][0] for n in names])

    x0 = np.clip((np.array([float(getattr(start, n)) for n in names]) - low) / span, 0, 1)

    def evaluate(xs):
        errors = _residuals(cases, _efficiencies(start, names, low + span * xs), len(xs))
        return np.vstack([errors, prior_weight * (xs - x0).T])

    def residuals(x):
        return evaluate(x[None, :])[:, 0]

    def jacobian(x):
        step = np.where(x + STEP <= 1, STEP, -STEP)
        xs = np.vstack([x, x + np.diag(step)])
        r = evaluate(xs)
        return (r[:, 1:] - r[:, :1]) / step

    solution = least_squares(residuals, x0, jac=jacobian, bounds=(0, 1), loss=LOSS,
                             f_scale=SCALE, max_nfev=max_evaluations)
    best = replace(start, **{n: float(v) for n, v in zip(names, low + span * solution.x)})
    return best, float(np.mean(np.abs(_residuals(cases, best))))


def fit_profiles(cases: list[Prepared], max_evaluations: int = 15) -> dict:
    """Fit the profile tree on ``cases``; return the ``profiles`` mapping of the profiles file
    (values, cases, sources and in-sample MAPE for fitted ones; the support and the reason for
    those that fall back). Each profile starts from its nearest fitted ancestor."""
    tree: dict[str, list[Prepared]] = defaultdict(list)
    depth, ancestors = {}, {}
    for case in cases:
        for level, name in enumerate(case.chain[:-1]):
            tree[name].append(case)
            depth[name], ancestors[name] = level, case.chain[level + 1:]
    global_eff, mape = fit(cases, Efficiency(), GLOBAL_BOUNDS, max_evaluations)
    effs = {"global": global_eff}
    profiles = {"global": _entry(None, global_eff, cases, mape)}
    for name in sorted(tree, key=lambda n: (-depth[n], n)):  # vendors, platforms, stacks
        parent = next(a for a in ancestors[name] if a in effs)
        n, sources = support([c.case for c in tree[name]])
        if n < stacks.MIN_CASES or sources < stacks.MIN_SOURCES:
            profiles[name] = {"parent": parent, "values": None, "cases": _ids(tree[name]),
                              "reason": f"{n} case{'s' * (n != 1)} from {sources} "
                                        f"source{'s' * (sources != 1)}, fewer than "
                                        f"{stacks.MIN_CASES} from {stacks.MIN_SOURCES}"}
            continue
        effs[name], mape = fit(tree[name], effs[parent], CHILD_BOUNDS,
                               max(1, max_evaluations // 2), PRIOR_WEIGHT)
        profiles[name] = _entry(parent, effs[name], tree[name], mape)
    return profiles


def _ids(cases: list[Prepared]) -> list[str]:
    return [c.case.id for c in cases]


def _entry(parent, eff: Efficiency, cases: list[Prepared], mape: float) -> dict:
    """A fitted profile: its own values (the global one all of them, a child those of
    ``CHILD_BOUNDS``), and its evidence."""
    values = {k: round(float(v), 7 if k.endswith("_s") else 4) for k, v in asdict(eff).items()
              if parent is None or k in CHILD_BOUNDS}
    return {"parent": parent, "values": values, "cases": _ids(cases),
            "sources": sorted({source_of(c.case) for c in cases}),
            "in_sample_mape_percent": round(100 * mape, 1)}


def predict_table(cases: list[Prepared], profiles: dict) -> pd.DataFrame:
    """Errors of ``cases`` predicted with ``profiles`` (each case with its stack's profile on
    its vendor), one row per metric like :func:`calc.validate.error_table`."""
    rows = []
    for case in cases:  # where no batch meets the limits the model predicts nothing: 0, −100 %
        chosen = next((stacks.Profile(name, stacks.efficiency_of(name, profiles), "")
                       for name in case.chain if (profiles.get(name) or {}).get("values")),
                      None)
        predicted = np.nan_to_num(case.predict(chosen.efficiency, 1)[:, 0], nan=0.0)
        for metric, measured, value in zip(case.metrics, case.measured, predicted):
            rows.append({"case": case.case.id, "metric": metric, "measured": measured,
                         "predicted": value, "error": (value - measured) / measured,
                         "vendor": case.vendor, "platform": case.chain[-3],
                         "stack": stacks.canonical(case.case.stack),
                         "profile": chosen.name})
    return pd.DataFrame(rows)


def grouped_folds(cases: list[Case], folds: int = 8) -> list[list[int]]:
    """Indices of ``cases`` split into ``folds`` folds; every (source, chip) group stays whole.
    Groups are dealt largest first to the fold with the fewest cases."""
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, case in enumerate(cases):
        groups[group_of(case)].append(i)
    out: list[list[int]] = [[] for _ in range(min(folds, len(groups)))]
    for members in sorted(groups.values(), key=lambda g: (-len(g), g[0])):
        min(out, key=len).extend(members)
    return [sorted(fold) for fold in out]


def cross_validate(cases: list[Case], folds: int = 8,
                   max_evaluations: int = 15) -> pd.DataFrame:
    """Grouped k-fold: fit the profile tree without a fold's groups, predict the fold's cases
    with the profiles fitted on the rest."""
    prepared = [Prepared(case) for case in cases]
    jobs = [([c for i, c in enumerate(prepared) if i not in held],
             [prepared[i] for i in held], max_evaluations)
            for held in grouped_folds(cases, folds)]
    workers = min(len(jobs), os.cpu_count() or 1)
    if workers > 1 and "fork" in mp.get_all_start_methods():  # folds are independent
        with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
            rows = list(pool.map(_fold, jobs))
    else:
        rows = [_fold(job) for job in jobs]
    return pd.concat(rows, ignore_index=True)


def _fold(job) -> pd.DataFrame:
    train, held, max_evaluations = job
    return predict_table(held, fit_profiles(train, max_evaluations))


def write_profiles(profiles: dict, cv: pd.DataFrame | None, path=stacks.PROFILES_FILE) -> None:
    """Write the profiles file, with each fitted profile's cross-validated MAPE on its cases."""
    for name, entry in profiles.items():
        if entry.get("values") is None or cv is None:
            continue
        mine = cv[cv["case"].isin(entry["cases"])]
        entry["cv_mape_percent"] = round(100 * float(mine["error"].abs().mean()), 1)
    header = ("# Serving-stack efficiency profiles (calc/stacks.py). Written by\n"
              "# `python -m calc calibrate ../shared/validation/public.yaml --write`; "
              "do not edit by hand.\n")
    body = yaml.safe_dump({"fitted": dt.date.today().isoformat(), "profiles": profiles},
                          sort_keys=False, allow_unicode=True, width=100)
    path.write_text(header + body, encoding="utf-8")
    stacks.load.cache_clear()


def timed(func, *args, **kwargs):
    """(result, seconds)."""
    start = time.perf_counter()
    return func(*args, **kwargs), time.perf_counter() - start
