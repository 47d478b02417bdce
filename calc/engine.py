"""The one engine: every question is one broadcast evaluation over a grid of configurations.

Axes, in this order (each may have length 1)::

    chip × precision plan × layout × batch × length × prefill split

The catalog enters as SI arrays (:mod:`calc.hardware`), the formulas are those of
:mod:`calc.perf` and :mod:`calc.serving`, and the result holds every metric plus a *reason code*
per point: ``OK`` where the point is feasible, else the first check it fails. Nothing inside the
grid raises; :meth:`Evaluation.explain` turns a point's reason into the sentence a user reads.
``predict``, ``memory_plan``, the sweep benchmark and the sizing search are views of
:func:`evaluate`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Literal

import numpy as np

from calc.architecture import Shape, shape
from calc.hardware import HardwareTable
from calc.perf import Efficiency, Layout, Precisions, latency_limit
from calc.serving import (memory_fit, serve_decode, serve_disaggregated,
                          serve_interleaved, serve_prefill)
from specs.schema import Model

NDIM = 6
CHIP, PLAN, LAYOUT, BATCH, LENGTH, SPLIT = range(NDIM)
Mode = Literal["interleaved", "decode", "prefill", "disaggregated"]
BatchRule = Literal["fill", "concurrency"]


class Reason(IntEnum):
    """Why a point is infeasible; a higher code means the point passed every lower check, so
    the highest code of a grid is its nearest miss."""

    OK = 0
    NO_FIGURES = 1
    BAD_LAYOUT = 2
    DOES_NOT_FIT = 3
    LINK_UNKNOWN = 4
    SCALEOUT_UNKNOWN = 5
    """Only where no scale-out bandwidth is published and none is assumed either (an
    assumptions file without ``scaleout_bandwidth``; see :func:`calc.hardware.assumed_scaleout`)."""
    TOO_FEW_REQUESTS = 6
    BATCH_OVER_MEMORY = 7
    MISSES_TTFT = 8
    MISSES_TPOT = 9


def along(values, axis: int) -> np.ndarray:
    """``values`` as a float array lying along ``axis`` of the grid."""
    values = np.asarray(values, dtype=float).ravel()
    out = [1] * NDIM
    out[axis] = values.size
    return values.reshape(out)


@dataclass(frozen=True)
class Layouts:
    """Candidate layouts of one replica (the layout axis) and, for a fixed chip count, the
    replicas each gives."""

    tp: np.ndarray
    ep: np.ndarray
    pp: np.ndarray
    replicas: np.ndarray | None = None

    @classmethod
    def of(cls, layouts: Sequence[tuple[int, int, int]], replicas: Sequence[int] | None = None):
        tp, ep, pp = (np.array([layout[i] for layout in layouts], dtype=float)
                      for i in range(3))
        return cls(tp, ep, pp, None if replicas is None else np.asarray(replicas, dtype=float))

    def __len__(self) -> int:
        return len(self.tp)

    def grid(self) -> Layout:
        return Layout(tp=along(self.tp, LAYOUT), ep=along(self.ep, LAYOUT),
                      pp=along(self.pp, LAYOUT))

    def name(self, i: int) -> str:
        parts = [f"{k}{int(getattr(self, k)[i])}" for k in ("tp", "ep", "pp")
                 if getattr(self, k)[i] > 1]
        return "×".join(parts) or "tp1"

    def pick(self, i: int) -> Layouts:
        """The one layout ``i``, as a layout axis of length 1."""
        return Layouts(self.tp[i:i + 1], self.ep[i:i + 1], self.pp[i:i + 1],
                       None if self.replicas is None else self.replicas[i:i + 1])

    def chips(self, i: int) -> int:
        return int(self.pp[i] * max(self.tp[i], self.ep[i]))


def layout_check(m: Shape, model: Model, layouts: Layouts) -> np.ndarray:
    """True where a layout cannot run the model: tp not dividing the attention heads, ep on a
    dense model, pp beyond the layers."""
    return ((model.heads % layouts.tp != 0) | ((layouts.ep > 1) & (m.experts == 0))
            | (layouts.pp > m.layers))


@dataclass(frozen=True, eq=False)
class Evaluation:
    """Every metric of every grid point (arrays broadcastable to ``shape``)."""

    model: Model
    table: HardwareTable
    layouts: Layouts
    mode: str
    batches: np.ndarray
    input_tokens: np.ndarray
    output_tokens: np.ndarray
    prefill_replicas: np.ndarray
    reason: np.ndarray
    """Reason code per point (:class:`Reason`), full shape."""
    sequences: np.ndarray
    """Sequences decoded together per replica."""
    ttft: np.ndarray
    tpot: np.ndarray
    output_per_s: np.ndarray
    """Output tokens/s per replica."""
    input_per_s: np.ndarray
    prefill_share: np.ndarray
    binding: np.ndarray
    capacity_limited: np.ndarray
    weights: np.ndarray
    """Per-chip memory terms, bytes: weights, workspace, usable, KV of one sequence."""
    workspace: np.ndarray
    usable: np.ndarray
    kv_per_sequence: np.ndarray
    max_sequences: np.ndarray
    chips_per_replica: np.ndarray
    limits: tuple[float | None, float | None]
    """The TTFT and TPOT limits asked for (p99, seconds), or None."""
    allowed: tuple
    """The mean TTFT and TPOT those limits allow (:func:`~calc.perf.latency_limit`: limit ×
    the profile's mean-to-p99 headroom; broadcastable, one value per chip), or None."""

    @property
    def shape(self) -> tuple[int, ...]:
        return self.reason.shape

    @property
    def feasible(self) -> np.ndarray:
        return self.reason == Reason.OK

    def on_assumed_scaleout(self) -> np.ndarray:
        """(C, 1, L, 1, 1, 1) True where a point sends traffic over a scale-out network whose
        bandwidth its chip does not publish (:attr:`HardwareTable.scaleout_assumed`): its
        replica spans more than one scale-up domain or, disaggregated, hands the KV over."""
        assumed = self.table.scaleout_assumed.reshape(-1, 1, 1, 1, 1, 1)
        chips = along(self.layouts.pp * np.maximum(self.layouts.tp, self.layouts.ep), LAYOUT)
        spans = (chips > self.table.scaleup_domain.reshape(-1, 1, 1, 1, 1, 1)) \
            | (self.mode == "disaggregated")
        return assumed & spans

    def full(self, name: str) -> np.ndarray:
        return np.broadcast_to(getattr(self, name), self.shape)

    def at(self, index: tuple[int, ...], name: str):
        """One metric at one point."""
        a = np.asarray(getattr(self, name))
        return a[tuple(i if n > 1 else 0 for i, n in zip(index, a.shape))] if a.ndim else a[()]

    def best(self, objective: np.ndarray, where: np.ndarray | None = None) -> tuple[int, ...]:
        """Index of the feasible point (within ``where``) with the highest ``objective``; if none
        is feasible, the nearest miss: the highest reason code, then the highest objective."""
        score = np.nan_to_num(np.broadcast_to(objective, self.shape).astype(float),
                              nan=-1.0, posinf=-1.0, neginf=-1.0)
        reason = self.reason.astype(float)
        if where is not None:
            reason = np.where(where, reason, -1.0)
        ok = reason == Reason.OK
        if ok.any():
            return np.unravel_index(np.argmax(np.where(ok, score, -np.inf)), self.shape)
        top = int(reason.max())
        return np.unravel_index(np.argmax(np.where(reason == top, self._closeness(top, score),
                                                   -np.inf)), self.shape)

    def _closeness(self, reason: int, objective: np.ndarray) -> np.ndarray:
        """How near each point of one reason comes to feasible (higher is nearer): the most
        free memory for "does not fit", the shortest TTFT or TPOT for a missed limit."""
        with np.errstate(invalid="ignore"):
            nearness = {Reason.DOES_NOT_FIT: lambda: self.usable - self.weights - self.workspace,
                        Reason.MISSES_TTFT: lambda: -self.ttft,
                        Reason.MISSES_TPOT: lambda: -self.tpot}.get(reason, lambda: objective)()
        return np.nan_to_num(np.broadcast_to(nearness, self.shape).astype(float),
                             nan=-np.inf, posinf=-np.inf)

    def explain(self, index: tuple[int, ...]) -> str:
        """Why the point at ``index`` is infeasible, saying what to change."""
        reason = Reason(int(self.reason[index]))
        chip = self.table.chips[index[CHIP]]
        plan = self.table.plans[index[PLAN]]
        layout = self.layouts.name(index[LAYOUT])
        gb = 1e9
        value = lambda name: float(self.at(index, name))  # noqa: E731
        if reason == Reason.NO_FIGURES:
            missing = [name for name, v in (
                (f"dense {plan.activations} (or wider) throughput",
                 self.table.peak_linear[index[CHIP], index[PLAN]]),
                ("memory capacity", self.table.memory_capacity[index[CHIP]]),
                ("memory bandwidth", self.table.memory_bandwidth[index[CHIP]])) if np.isnan(v)]
            return (f"{chip.id} has no published {' or '.join(missing)}; add it to its data "
                    f"file to predict with it")
        if reason == Reason.BAD_LAYOUT:
            tp, ep, pp = (int(getattr(self.layouts, k)[index[LAYOUT]]) for k in ("tp", "ep", "pp"))
            if self.model.heads % tp:
                divisors = ", ".join(str(d) for d in range(1, min(self.model.heads, 64) + 1)
                                     if self.model.heads % d == 0)
                return (f"tp={tp} does not divide {self.model.id}'s {self.model.heads} attention "
                        f"heads; use a tp that does ({divisors})")
            if ep > 1 and self.model.moe is None:
                return (f"{self.model.id} has no experts, so ep={ep} means nothing; use tp (or "
                        f"replicas) instead")
            if pp > self.model.layers:
                return f"pp={pp} exceeds {self.model.id}'s {self.model.layers} layers"
            return ("disaggregated serving needs at least 2 replicas (one for prefill, one for "
                    "decode); add chips or use a smaller layout")
        if reason == Reason.DOES_NOT_FIT:
            return (f"the model does not fit on {layout} × {chip.id} at {plan.name}: "
                    f"{value('weights') / gb:.1f} GB of weights and "
                    f"{value('workspace') / gb:.1f} GB of workspace per chip, "
                    f"{value('usable') / gb:.1f} GB usable; use more chips per replica "
                    f"(tp/ep/pp) or a lower precision")
        if reason == Reason.LINK_UNKNOWN:
            return (f"{chip.id} has no published interconnect bandwidth, so only single-chip "
                    f"replicas (tp = ep = pp = 1) can be predicted, and {layout} needs "
                    f"{int(value('chips_per_replica'))} chips per replica; add the link to its "
                    f"data file")
        if reason == Reason.SCALEOUT_UNKNOWN:
            domain = int(self.table.scaleup_domain[index[CHIP]])
            return (f"{chip.id} has no published scale-out bandwidth, so a stage of more chips "
                    f"than its {domain}-chip scale-up domain cannot be predicted; use tp/ep ≤ "
                    f"{domain}")
        if reason == Reason.TOO_FEW_REQUESTS:
            replicas = int(self.layouts.replicas[index[LAYOUT]])
            return (f"fewer requests in flight than the {replicas} replicas of {layout}; raise "
                    f"the concurrency or use fewer, larger replicas")
        if reason == Reason.BATCH_OVER_MEMORY:
            return (f"{value('sequences'):g} sequences per replica do not fit in memory on "
                    f"{layout} × {chip.id} (at most {value('max_sequences'):g}); add chips or "
                    f"lower the concurrency")
        missed = {Reason.MISSES_TTFT: ("TTFT", 0, "ttft", ",.0f", "ms", "relax the TTFT limit, "
                                       "shorten the prompt or use more chips per replica"),
                  Reason.MISSES_TPOT: ("TPOT", 1, "tpot", ",.1f", "ms per token",
                                       "relax the TPOT limit or use more chips per replica")}
        if reason in missed:
            name, i, field, form, unit, advice = missed[reason]
            allowed = float(np.broadcast_to(self.allowed[i], self.shape)[index])
            return (f"no configuration meets {name} ≤ {1e3 * self.limits[i]:g} ms (p99): the "
                    f"nearest, {layout} × {chip.id} at {plan.name}, needs a mean of "
                    f"{1e3 * value(field):{form}} {unit}, and that limit allows a mean of "
                    f"{1e3 * allowed:{form}} ms (the profile's mean-to-p99 ratio); {advice}")
        return "feasible"


def evaluate(model: Model, table: HardwareTable, layouts: Layouts, efficiency: Efficiency,
             *, mode: Mode = "interleaved", input_tokens=(1000,), output_tokens=(1000,),
             context_tokens=None, batches: Sequence[float] | BatchRule = "fill",
             concurrency: float | None = None, prefill_replicas=(1,),
             ttft_limit: float | None = None, tpot_limit: float | None = None) -> Evaluation:
    """Evaluate every chip × plan × layout × batch × length (× prefill split) point.

    ``mode``: ``interleaved`` (continuous batching of prefill and decode), ``decode`` (decode
    alone at ``context_tokens``), ``prefill`` (prompts alone; ``concurrency`` 1 means one prompt
    at a time) or ``disaggregated`` (``prefill_replicas`` of each layout's replicas prefill, the
    rest decode). ``batches``: explicit batch sizes per replica, ``"fill"`` (the largest batch
    memory holds) or ``"concurrency"`` (``concurrency`` requests spread over the layout's
    replicas; those beyond memory queue, and TTFT includes the wait). Limits in seconds, on
    the p99: the predicted means must be within :func:`calc.perf.latency_limit` of them.
    """
    m, eff = shape(model), efficiency
    hw = table.hardware(eff, NDIM)
    layout = layouts.grid()
    bytes_ = [plan.bytes(model) for plan in table.plans]
    p = Precisions(*(along([getattr(b, f) for b in bytes_], PLAN) for f in
                     ("weight_bytes", "kv_bytes", "activation_bytes", "non_ffn_bytes")))
    I, O = along(input_tokens, LENGTH), along(output_tokens, LENGTH)
    replicas = along(layouts.replicas if layouts.replicas is not None else np.ones(len(layouts)),
                     LAYOUT)
    r_p = along(prefill_replicas, SPLIT)
    with np.errstate(all="ignore"):
        if mode == "decode":
            context = along(context_tokens, LENGTH)
            fit = memory_fit(m, hw, layout, p, eff, context, step_tokens=1)
        else:
            fit = memory_fit(m, hw, layout, p, eff, I if mode == "prefill" else I + O / 2)
        cap = fit.max_sequences
        fits = cap >= 1
        decode_share = replicas - r_p if mode == "disaggregated" else replicas
        over_memory, waiting = False, None
        if isinstance(batches, str) and batches == "concurrency":
            wanted = concurrency / decode_share
            b = np.maximum(np.minimum(wanted, cap), 1.0)
            if mode == "decode":
                b, over_memory = wanted, wanted > cap
            else:
                waiting = wanted
            capacity_limited = wanted > cap
            batch_axis = np.array([np.nan])
        elif isinstance(batches, str):
            b, capacity_limited = np.maximum(cap, 1.0), np.ones_like(cap, dtype=bool)
            batch_axis = np.array([np.nan])
        else:
            batch_axis = np.asarray(batches, dtype=float)
            b = along(batch_axis, BATCH)
            over_memory, capacity_limited = b > cap, b >= cap
        if mode == "interleaved":
            served = serve_interleaved(m, hw, layout, p, eff, I, O, b, waiting=waiting)
        elif mode == "decode":
            served = serve_decode(m, hw, layout, p, eff, context, b)
        elif mode == "prefill":
            served = serve_prefill(m, hw, layout, p, eff, I, concurrency)
        else:
            served = serve_disaggregated(m, hw, layout, p, eff, I, O, b, replicas, r_p)
        ttft, tpot = served.ttft, served.tpot
        allowed = [None if limit is None else latency_limit(limit, headroom) for limit, headroom
                   in ((ttft_limit, eff.ttft_headroom), (tpot_limit, eff.tpot_headroom))]
        reason = _reasons(m, model, table, layouts, layout, hw, fits, over_memory, ttft, tpot,
                          *allowed, concurrency if isinstance(batches, str)
                          and batches == "concurrency" else None, replicas, r_p, mode)
    return Evaluation(
        model=model, table=table, layouts=layouts, mode=mode, batches=batch_axis,
        input_tokens=np.ravel(I), output_tokens=np.ravel(O),
        prefill_replicas=np.ravel(r_p), reason=reason, sequences=np.asarray(b, dtype=float),
        ttft=ttft, tpot=tpot, output_per_s=served.output_per_s, input_per_s=served.input_per_s,
        prefill_share=np.asarray(served.prefill_share, dtype=float), binding=served.binding,
        capacity_limited=np.asarray(capacity_limited), weights=fit.weights,
        workspace=fit.workspace, usable=fit.usable, kv_per_sequence=fit.kv_per_sequence,
        max_sequences=cap, chips_per_replica=layout.chips, limits=(ttft_limit, tpot_limit),
        allowed=tuple(allowed))


def _reasons(m, model, table, layouts, layout, hw, fits, over_memory, ttft, tpot, ttft_limit,
             tpot_limit, concurrency, replicas, r_p, mode) -> np.ndarray:
    """The lowest failing check per point (see :class:`Reason`), as int8."""
    no_figures = (np.isnan(hw.peak_linear) | np.isnan(hw.peak_attention)
                  | np.isnan(hw.memory_bandwidth) | np.isnan(hw.memory_capacity))
    bad_layout = along(layout_check(m, model, layouts), LAYOUT) > 0
    if mode == "disaggregated":
        bad_layout = bad_layout | (r_p >= replicas)
    checks = [
        (Reason.NO_FIGURES, no_figures),
        (Reason.BAD_LAYOUT, bad_layout),
        (Reason.DOES_NOT_FIT, ~fits),
        (Reason.LINK_UNKNOWN, (layout.chips > 1) & np.isnan(hw.scaleup_bandwidth)),
        (Reason.SCALEOUT_UNKNOWN, (layout.stage_chips > hw.scaleup_domain)
         & np.isnan(hw.scaleout_bandwidth)),
        (Reason.TOO_FEW_REQUESTS, False if concurrency is None else concurrency < replicas),
        (Reason.BATCH_OVER_MEMORY, over_memory),
        (Reason.MISSES_TTFT, False if ttft_limit is None else ~(ttft <= ttft_limit)),
        (Reason.MISSES_TPOT, False if tpot_limit is None else ~(tpot <= tpot_limit)),
    ]
    shape_ = np.broadcast_shapes((len(table.chips), len(table.plans), len(layouts), 1, 1, 1),
                                 *(np.shape(failed) for _, failed in checks))
    reason = np.zeros(shape_, dtype=np.int8)
    for code, failed in reversed(checks):
        reason = np.where(failed, np.int8(code), reason)
    return reason
