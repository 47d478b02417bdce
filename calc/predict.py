"""Predict what a model achieves on N chips of one kind: the public entry point of the model.

>>> r = predict("llama-3.3-70b", "H100", chips=2, tp=2, precision="fp8",
...             input_tokens=5000, output_tokens=500, concurrency=1)
>>> r.layout, r.binding
('tp2', 'memory')
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from calc import inputs
from calc.architecture import Shape, shape
from calc.perf import BYTES_PER_ELEMENT, WIDER, Efficiency, Hardware, Layout, Precisions
from calc.serving import (Fit, Served, ServingError, memory_fit, serve_decode,
                          serve_disaggregated, serve_interleaved, serve_prefill)
from specs.catalog import default_catalog
from specs.schema import Chip, Model, Precision

Scenario = Literal["offline", "server", "concurrency", "decode", "prefill"]
PRECISIONS = tuple(BYTES_PER_ELEMENT)
COMPUTE_PRECISIONS = tuple(p for p in PRECISIONS if p in Precision.__args__)
"""Precisions a chip publishes a peak for (fp32 is storage only: no chip file has an fp32 peak),
so the only ones activations can be computed in."""
ASSUMED_DOMAIN_CHIPS = 8.0
"""Scale-up domain assumed where a chip's is unpublished: the common 8-accelerator server."""
SERVER_BATCHES = np.unique(np.round(np.geomspace(1, 1 << 16, 97)))
"""Batch sizes tried when searching the largest throughput within latency limits."""
SPLITS_TRIED = 1024
"""Most prefill/decode splits a disaggregated search tries: every split up to this many
replicas, a geometric grid beyond (so that a million chips cannot allocate gigabytes)."""


class PrecisionPlan(BaseModel):
    """Storage precision of weights and KV cache and the compute precision of activations."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    weights: str = "bf16"
    activations: str = "bf16"
    kv_cache: str = "bf16"

    @classmethod
    def of(cls, value: PrecisionPlan | dict | str | None) -> PrecisionPlan:
        """A plan from one name ("fp8": weights, activations and KV cache in fp8; for 4-bit
        formats the KV cache stays at fp8, as runtimes keep it), a dict, or a plan."""
        if value is None:
            return cls()
        if isinstance(value, str):
            value = inputs.choice("precision", value, PRECISIONS)
            return cls(weights=value, activations=value,
                       kv_cache="fp8" if value in ("fp4", "int4") else value)
        if isinstance(value, cls):
            return value
        if not isinstance(value, dict) or set(value) - set(cls.model_fields):
            raise ServingError(f"precision must be a name ({', '.join(PRECISIONS)}) or a dict "
                               f"with keys {', '.join(cls.model_fields)}, got {value!r:.80}")
        return cls(**{k: inputs.choice(f"{k} precision", v, PRECISIONS)
                      for k, v in value.items()})

    def check(self) -> None:
        for field, value in self.model_dump().items():
            inputs.choice(f"{field} precision", value, PRECISIONS)
        if self.activations not in COMPUTE_PRECISIONS:
            raise ServingError(f"no chip publishes an {self.activations} peak, so activations "
                               f"cannot be computed in it; choose from "
                               f"{', '.join(COMPUTE_PRECISIONS)}")


class Prediction(BaseModel):
    """Predicted serving metrics (system totals unless named per chip or per user)."""

    model_config = ConfigDict(frozen=True)
    model: str
    chip: str
    chips: int
    layout: str
    replicas: int
    scenario: str
    sequences_per_replica: float
    ttft_ms: float | None
    tpot_ms: float | None
    output_tokens_per_s: float
    input_tokens_per_s: float
    total_tokens_per_s: float
    output_tokens_per_s_per_user: float | None
    output_tokens_per_s_per_chip: float
    input_tokens_per_s_per_chip: float
    binding: str
    """Resource that takes most of the time: compute, memory, communication, overhead; or
    capacity when device memory limits the batch below what the workload asks for."""
    memory_per_chip_gb: dict[str, float]
    """weights / kv_cache / workspace / total / usable, per chip, in GB."""
    notes: list[str]


def _peak(chip: Chip, precision: str, notes: list[str], role: str,
          efficiency: Efficiency) -> float:
    """Dense peak FLOP/s at ``precision`` or the next wider precision the chip has; below 16
    bits scaled by ``low_precision_efficiency``."""
    wanted = precision
    while chip.peak(precision) is None and precision in WIDER:
        precision = WIDER[precision]
    value = chip.peak(precision)
    if value is None:
        raise ServingError(f"{chip.id} has no published dense throughput for {wanted} or a wider "
                           f"precision; add one to its data file")
    if precision != wanted:
        notes.append(f"{chip.name} has no {wanted} units: {role} computed at its {precision} "
                     f"peak")
    low = efficiency.low_precision_efficiency if BYTES_PER_ELEMENT[precision] < 2 else 1.0
    return value.to("FLOP/s").magnitude * low * efficiency.compute_scale(chip.vendor)


def hardware(chip: Chip, plan: PrecisionPlan, notes: list[str] | None = None,
             efficiency: Efficiency | None = None) -> Hardware:
    """The chip's figures as SI floats for ``plan``, with fallbacks recorded in ``notes``.

    Peaks are scaled by the efficiency's per-vendor compute factor, if it has one.
    """
    efficiency = efficiency or Efficiency()
    notes = [] if notes is None else notes
    missing = [f for f in ("memory_capacity", "memory_bandwidth") if getattr(chip, f) is None]
    if missing:
        raise ServingError(f"{chip.id} has no published {' or '.join(missing)}; add it to its "
                           f"data file to predict with it")
    attention = plan.kv_cache if BYTES_PER_ELEMENT[plan.kv_cache] >= 1 else "fp8"
    attention = max((plan.activations, attention), key=BYTES_PER_ELEMENT.get)
    if BYTES_PER_ELEMENT[attention] < 1:
        attention = "fp8"
    def per_direction(link):
        value = link.per_direction if link is not None else None
        return None if value is None else value.to("B/s").magnitude

    # Unknown links are NaN: predict() refuses layouts that would need them.
    scaleup, scaleout = per_direction(chip.scaleup), per_direction(chip.scaleout)
    if scaleup is None:  # no scale-up link: each chip is its own domain, talking over scale-out
        scaleup, domain = scaleout, 1.0
    else:
        known = chip.scaleup.domain_chips
        domain = float(known.value) if known else ASSUMED_DOMAIN_CHIPS
    return Hardware(
        peak_linear=_peak(chip, plan.activations, notes, "linear layers", efficiency),
        peak_attention=_peak(chip, attention, notes, "attention", efficiency),
        memory_bandwidth=chip.memory_bandwidth.value.to("B/s").magnitude,
        memory_capacity=chip.memory_capacity.value.to("B").magnitude,
        scaleup_bandwidth=np.nan if scaleup is None else scaleup, scaleup_domain=domain,
        scaleout_bandwidth=np.nan if scaleout is None else scaleout)


def precisions(plan: PrecisionPlan) -> Precisions:
    return Precisions(BYTES_PER_ELEMENT[plan.weights], BYTES_PER_ELEMENT[plan.kv_cache],
                      min(BYTES_PER_ELEMENT[plan.activations], 2.0))


def _positive_int(name: str, value) -> int:
    return inputs.count(name, value, maximum=inputs.MAX_CHIPS)


def divisors(n: int) -> list[int]:
    """Every divisor of ``n`` in increasing order, in O(√n) steps.

    >>> divisors(12), len(divisors(2**20))
    ([1, 2, 3, 4, 6, 12], 21)
    """
    small = [d for d in range(1, math.isqrt(n) + 1) if n % d == 0]
    return sorted({*small, *(n // d for d in small)})


def candidate_layouts(m: Model, chips: int, tp=None, ep=None, pp=None, replicas=None):
    """Layouts to try: the one given, or every tp × ep that divides ``chips`` (pp = 1)."""
    given = {k: v for k, v in dict(tp=tp, ep=ep, pp=pp, replicas=replicas).items()
             if v is not None}
    for name, value in given.items():
        _positive_int(name, value)
    if any(v is not None for v in (tp, ep, pp)):
        layout = Layout(tp=tp or 1, ep=ep or 1, pp=pp or 1)
        if (ep or 1) > 1 and m.moe is None:
            raise ServingError(f"{m.id} has no experts, so ep={ep} means nothing; use tp (or "
                               f"replicas) instead")
        if m.heads % (tp or 1):
            raise ServingError(f"tp={tp} does not divide {m.id}'s {m.heads} attention heads; "
                               f"use a tp that does ({_divisors_text(m.heads)})")
        if m.layers < (pp or 1):
            raise ServingError(f"pp={pp} exceeds {m.id}'s {m.layers} layers")
        per_replica = int(layout.chips)
        if chips % per_replica:
            raise ServingError(f"layout tp={layout.tp} ep={layout.ep} pp={layout.pp} needs "
                               f"{per_replica} chips per replica, which does not divide "
                               f"{chips} chips; change the chip count or the layout")
        n = chips // per_replica
        if replicas is not None and replicas != n:
            raise ServingError(f"{replicas} replicas × {per_replica} chips per replica ≠ {chips} "
                               f"chips; use {n} replicas or change the layout")
        return [(layout, n)]
    sizes = divisors(chips)
    if replicas is not None:
        if chips % replicas:
            raise ServingError(f"{replicas} replicas do not divide {chips} chips")
        sizes = [chips // replicas]
    out = []
    for per_replica in sizes:
        layouts = [Layout(tp=per_replica)]
        if m.moe and per_replica > 1:  # experts spread over the replica, attention TP or DP
            layouts += [Layout(ep=per_replica), Layout(tp=per_replica, ep=per_replica)]
        out += [(layout, chips // per_replica) for layout in layouts
                if m.heads % int(layout.tp) == 0]
    if not out:
        raise ServingError(f"no tensor-parallel degree that divides {chips} chips also divides "
                           f"{m.id}'s {m.heads} heads; use a chip count with a divisor among "
                           f"{_divisors_text(m.heads)}")
    return out


def _divisors_text(n: int) -> str:
    return ", ".join(str(d) for d in divisors(n) if d <= 64)


def _layout_name(layout: Layout) -> str:
    parts = [f"{k}{int(getattr(layout, k))}" for k in ("tp", "ep", "pp")
             if int(getattr(layout, k)) > 1]
    return "×".join(parts) or "tp1"


def _evaluate(m: Shape, hw: Hardware, layout: Layout, p: Precisions, eff: Efficiency,
              scenario: str, replicas: int, input_tokens: int, output_tokens: int,
              concurrency, context_tokens, ttft_limit, tpot_limit,
              disaggregated: bool = False) -> tuple[Served, Fit]:
    I, O = float(input_tokens), float(output_tokens)
    if scenario == "prefill":
        fit = memory_fit(m, hw, layout, p, eff, I)
        if fit.max_sequences < 1:
            raise _no_fit(fit)
        return serve_prefill(m, hw, layout, p, eff, I, concurrency), fit
    if scenario == "decode":
        fit = memory_fit(m, hw, layout, p, eff, context_tokens, step_tokens=1)
        if concurrency is not None:
            b = np.asarray(concurrency / replicas)
            if b > fit.max_sequences:
                raise ServingError(f"{b:g} sequences of {context_tokens} tokens per replica do "
                                   f"not fit (at most {fit.max_sequences:g}); add chips or "
                                   f"lower the concurrency")
            return serve_decode(m, hw, layout, p, eff, context_tokens, b), fit
        batches = SERVER_BATCHES[SERVER_BATCHES <= fit.max_sequences]
        served = serve_decode(m, hw, layout, p, eff, context_tokens, batches)
        ok = served.tpot <= (tpot_limit or np.inf)
        return _best(served, ok, fit, "decode", ttft_limit, tpot_limit), fit
    fit = memory_fit(m, hw, layout, p, eff, I + O / 2)
    if fit.max_sequences < 1:
        raise _no_fit(fit)
    if disaggregated:
        return _disaggregated(m, hw, layout, p, eff, scenario, replicas, I, O, concurrency,
                              ttft_limit, tpot_limit, fit), fit
    if scenario == "concurrency":
        wanted = concurrency / replicas
        b = min(wanted, float(fit.max_sequences))
        served = serve_interleaved(m, hw, layout, p, eff, I, O, b, waiting=wanted)
        if wanted > fit.max_sequences:
            served = replace(served, capacity_limited=np.asarray(True))
        return served, fit
    if scenario == "offline":
        served = serve_interleaved(m, hw, layout, p, eff, I, O, fit.max_sequences)
        return replace(served, capacity_limited=np.asarray(True)), fit
    batches = SERVER_BATCHES[SERVER_BATCHES <= fit.max_sequences]
    served = serve_interleaved(m, hw, layout, p, eff, I, O, batches)
    ok = (served.ttft <= (ttft_limit or np.inf)) & (served.tpot <= (tpot_limit or np.inf))
    return _best(served, ok, fit, "server", ttft_limit, tpot_limit), fit


def _disaggregated(m, hw, layout, p, eff, scenario, replicas, I, O, concurrency, ttft_limit,
                   tpot_limit, fit: Fit) -> Served:
    """Best split of the replicas into a prefill and a decode pool (see ``SPLITS_TRIED``)."""
    if replicas < 2:
        raise ServingError("disaggregated serving needs at least 2 replicas (one for prefill, "
                           "one for decode); add chips or use a smaller layout")
    r_p = np.unique(np.round(np.geomspace(1, replicas - 1, SPLITS_TRIED)))[:, None] \
        if replicas > SPLITS_TRIED else np.arange(1, replicas)[:, None]
    cap = float(fit.max_sequences)
    if scenario == "concurrency":
        b = np.minimum(concurrency / (replicas - r_p), cap)
    elif scenario == "offline":
        b, ttft_limit, tpot_limit = np.full(r_p.shape, cap), None, None
    else:
        b = SERVER_BATCHES[SERVER_BATCHES <= cap][None, :]
    served = serve_disaggregated(m, hw, layout, p, eff, I, O, b, replicas, r_p)
    fields = Served.__dataclass_fields__
    flat = Served(*(np.ravel(a) for a in np.broadcast_arrays(*(getattr(served, f)
                                                                for f in fields))))
    ok = (flat.ttft <= (ttft_limit or np.inf)) & (flat.tpot <= (tpot_limit or np.inf))
    return _best(flat, ok, fit, f"disaggregated {scenario}", ttft_limit, tpot_limit)


def _missing_link(chip: Chip, hw: Hardware, layout: Layout) -> ServingError | None:
    """An error if the layout needs an interconnect bandwidth the chip has not published."""
    per_replica, stage = int(layout.chips), int(layout.stage_chips)
    if per_replica > 1 and np.isnan(hw.scaleup_bandwidth):
        return ServingError(f"{chip.id} has no published interconnect bandwidth, so only "
                            f"single-chip replicas (tp = ep = pp = 1) can be predicted")
    if stage > hw.scaleup_domain and np.isnan(hw.scaleout_bandwidth):
        return ServingError(f"{chip.id} has no published scale-out bandwidth, so a stage of "
                            f"{stage} chips beyond its {int(hw.scaleup_domain)}-chip scale-up "
                            f"domain cannot be predicted; use tp/ep ≤ {int(hw.scaleup_domain)}")
    return None


def _no_fit(fit: Fit) -> ServingError:
    gb = 1e9
    return ServingError(f"the model does not fit: {float(fit.weights) / gb:.1f} GB of weights and "
                        f"{float(fit.workspace) / gb:.1f} GB of workspace per chip, "
                        f"{float(fit.usable) / gb:.1f} GB usable; use more chips per replica "
                        f"(tp/ep/pp) or a lower precision")


def _best(served: Served, ok: np.ndarray, fit: Fit, scenario, ttft_limit, tpot_limit) -> Served:
    if not ok.any():
        limits = ", ".join(f"{name} ≤ {1e3 * value:g} ms" for name, value in
                           (("TTFT", ttft_limit), ("TPOT", tpot_limit)) if value is not None)
        raise ServingError(f"no batch meets the {scenario} limits ({limits}) on this layout; "
                           f"relax them or add chips")
    i = int(np.argmax(np.where(ok, served.output_per_s, -1.0)))
    picked = {k: np.asarray(getattr(served, k))[i] if np.ndim(getattr(served, k)) else
              getattr(served, k) for k in Served.__dataclass_fields__}
    picked["capacity_limited"] = np.asarray(served.sequences[i] >= fit.max_sequences)
    return Served(**picked)


def predict(model: str | Model, chip: str | Chip, chips: int, *, tp: int | None = None,
            ep: int | None = None, pp: int | None = None, replicas: int | None = None,
            precision: PrecisionPlan | dict | str | None = None,
            input_tokens: int = 1000, output_tokens: int = 1000,
            scenario: Scenario | None = None, concurrency: int | None = None,
            context_tokens: int | None = None, ttft_limit_ms: float | None = None,
            tpot_limit_ms: float | None = None, disaggregated: bool = False,
            efficiency: Efficiency | None = None) -> Prediction:
    """Predict serving metrics of ``model`` on ``chips`` × ``chip``.

    Without a layout, every tp × ep that divides ``chips`` is tried and the one with the highest
    throughput (input throughput for prefill) is reported. ``disaggregated`` runs prefill and
    decode on separate replicas (offline, server and concurrency scenarios) and reports the best
    split. The scenario defaults, as on the command line, to ``concurrency`` when a
    concurrency is given and ``offline`` otherwise.
    """
    catalog = default_catalog()
    model, chip = inputs.as_model(catalog, model), inputs.as_chip(catalog, chip)
    chips = inputs.count("chips", chips, maximum=inputs.MAX_CHIPS)
    plan = PrecisionPlan.of(precision)
    plan.check()
    eff = Efficiency() if efficiency is None else \
        inputs.instance("efficiency", efficiency, Efficiency)
    disaggregated = inputs.flag("disaggregated", disaggregated)
    if scenario is None:
        scenario = "offline" if concurrency is None else "concurrency"
    scenario = inputs.choice("scenario", scenario, Scenario.__args__)
    input_tokens = inputs.tokens("input_tokens", input_tokens, model)
    output_tokens = inputs.tokens("output_tokens", output_tokens, model)
    if scenario == "decode":
        context_tokens = inputs.tokens("context_tokens", context_tokens, model)
    else:
        if input_tokens + output_tokens > model.max_context:
            raise ServingError(f"{input_tokens} + {output_tokens} tokens exceed {model.id}'s "
                               f"context of {model.max_context}")
    if scenario == "concurrency" or concurrency is not None:
        concurrency = inputs.count("concurrency", concurrency, maximum=inputs.MAX_CONCURRENCY)
    ttft_limit_ms, tpot_limit_ms = (None if v is None else inputs.positive_ms(name, v)
                                    for name, v in (("TTFT limit", ttft_limit_ms),
                                                    ("TPOT limit", tpot_limit_ms)))
    notes: list[str] = []
    hw = hardware(chip, plan, notes, eff)
    m, p = shape(model), precisions(plan)
    limits = (None if ttft_limit_ms is None else ttft_limit_ms / 1e3,
              None if tpot_limit_ms is None else tpot_limit_ms / 1e3)
    results, errors = [], []
    for layout, n in candidate_layouts(model, chips, tp, ep, pp, replicas):
        if scenario == "concurrency" and concurrency < n:
            continue
        link_error = _missing_link(chip, hw, layout)
        if link_error:
            errors.append(link_error)
            continue
        try:
            served, fit = _evaluate(m, hw, layout, p, eff, scenario, n, input_tokens,
                                    output_tokens, concurrency, context_tokens, *limits,
                                    disaggregated=disaggregated and scenario not in
                                    ("decode", "prefill"))
        except ServingError as err:
            errors.append(err)
            continue
        results.append((layout, n, served, fit))
    if not results:
        raise errors[0] if errors else ServingError(
            f"concurrency {concurrency} is below the {chips} replicas this layout needs")
    key = (lambda r: float(r[1] * r[2].input_per_s)) if scenario == "prefill" else \
        (lambda r: float(r[1] * r[2].output_per_s))
    layout, n, s, fit = max(results, key=key)
    if scenario == "concurrency" and concurrency / n > float(s.sequences):
        notes.append(f"only {float(s.sequences):g} of the {concurrency / n:g} requests per "
                     f"replica fit in memory; the rest queue, and TTFT includes that wait")
    if chip.scaleup is not None and chip.scaleup.domain_chips is None and layout.chips > 1:
        notes.append(f"{chip.name}: scale-up domain size unknown, assumed "
                     f"{ASSUMED_DOMAIN_CHIPS:g} chips")
    if chip.scaleup is None and layout.chips > 1:
        notes.append(f"{chip.name}: no scale-up link published; chips talk over scale-out")
    return _prediction(model, chip, chips, layout, n, scenario, s, fit, context_tokens, notes)


class MemoryPlan(BaseModel):
    """Per-chip memory of a layout (GB = 1e9 bytes) and the largest batch × context that fits."""

    model_config = ConfigDict(frozen=True)
    model: str
    chip: str
    layout: str
    weights_gb: float
    workspace_gb: float
    usable_gb: float
    kv_per_sequence_gb: float
    """KV cache one sequence of ``context_tokens`` puts on each chip."""
    context_tokens: int
    max_sequences: int
    """Sequences of ``context_tokens`` that fit per replica (0: the model does not fit)."""
    max_context_tokens: int
    """Longest single sequence that fits (capped at the model's maximum context)."""


def memory_plan(model: str | Model, chip: str | Chip, chips: int = 1, *, tp: int | None = None,
                ep: int | None = None, pp: int | None = None,
                precision: PrecisionPlan | dict | str | None = None, context_tokens: int = 4096,
                efficiency: Efficiency | None = None) -> MemoryPlan:
    """Whether ``model`` fits on a replica of ``chips`` chips (tp = chips unless given), and
    the largest batch at ``context_tokens`` and the longest context at batch 1.

    >>> plan = memory_plan("llama-3.1-70b", "H100", 2, precision="fp8", context_tokens=8192)
    >>> plan.layout, round(plan.weights_gb, 1), plan.max_sequences
    ('tp2', 35.3, 53)
    """
    catalog = default_catalog()
    model, chip = inputs.as_model(catalog, model), inputs.as_chip(catalog, chip)
    chips = inputs.count("chips", chips, maximum=inputs.MAX_CHIPS)
    context_tokens = inputs.tokens("context_tokens", context_tokens, model)
    plan = PrecisionPlan.of(precision)
    plan.check()
    eff = Efficiency() if efficiency is None else \
        inputs.instance("efficiency", efficiency, Efficiency)
    if tp is None and ep is None and pp is None:
        tp = chips
    (layout, _), *_ = candidate_layouts(model, chips, tp, ep, pp)
    m, p, hw = shape(model), precisions(plan), hardware(chip, plan, [], eff)
    fit = memory_fit(m, hw, layout, p, eff, context_tokens)
    single = memory_fit(m, hw, layout, p, eff, 1.0)
    free = float(single.usable - single.weights - single.workspace)
    per_token = float(single.kv_per_sequence)
    longest = 0 if free <= 0 else min(model.max_context, int(free / per_token))
    gb = 1e9
    return MemoryPlan(model=model.id, chip=chip.id, layout=_layout_name(layout),
                      weights_gb=float(fit.weights) / gb,
                      workspace_gb=float(fit.workspace) / gb, usable_gb=float(fit.usable) / gb,
                      kv_per_sequence_gb=float(fit.kv_per_sequence) / gb,
                      context_tokens=context_tokens, max_sequences=int(fit.max_sequences),
                      max_context_tokens=longest)


def _ms(seconds) -> float | None:
    value = float(seconds)
    return None if np.isnan(value) else value * 1e3


def _prediction(model, chip, chips, layout, n, scenario, s: Served, fit: Fit, context,
                notes) -> Prediction:
    b = float(s.sequences)
    out = float(s.output_per_s) * n
    inp = float(s.input_per_s) * n
    kv = float(fit.kv_per_sequence) * (1.0 if scenario == "prefill" else b)
    gb = 1e9
    memory = {"weights": float(fit.weights) / gb, "kv_cache": kv / gb,
              "workspace": float(fit.workspace) / gb}
    memory["total"] = sum(memory.values())
    memory["usable"] = float(fit.usable) / gb
    binding = "capacity" if bool(s.capacity_limited) and scenario == "concurrency" \
        else str(s.binding)
    tpot = _ms(s.tpot)
    return Prediction(
        model=model.id, chip=chip.id, chips=chips, layout=_layout_name(layout), replicas=n,
        scenario=scenario, sequences_per_replica=b, ttft_ms=_ms(s.ttft), tpot_ms=tpot,
        output_tokens_per_s=out, input_tokens_per_s=inp, total_tokens_per_s=out + inp,
        output_tokens_per_s_per_user=None if tpot is None else 1e3 / tpot,
        output_tokens_per_s_per_chip=out / chips, input_tokens_per_s_per_chip=inp / chips,
        binding=binding, memory_per_chip_gb=memory, notes=notes + (
            [f"context {context:g} tokens per sequence"] if scenario == "decode" else []))
