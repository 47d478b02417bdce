"""Predict what a model achieves on N chips of one kind: a view of the engine.

``predict`` evaluates every candidate layout of the chips in one call of
:func:`calc.engine.evaluate`, picks the feasible point with the highest throughput and explains
the nearest miss when none is feasible.

>>> r = predict("llama-3.3-70b", "H100", chips=2, tp=2, precision="fp8",
...             input_tokens=5000, output_tokens=500, concurrency=1)
>>> r.layout, r.binding
('tp2', 'memory')
"""

from __future__ import annotations

import re
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from calc import inputs, stacks
from calc.engine import CHIP, LAYOUT, PLAN, SPLIT, Evaluation, Reason, evaluate
from calc.hardware import ASSUMED_DOMAIN_CHIPS, describe_assumed_scaleout, hardware_table
from calc.layouts import fixed_chip_layouts
from calc.perf import Efficiency
from calc import uncertainty
from calc.uncertainty import Band
from calc.precision import COMPUTE_PRECISIONS, PRECISIONS, PrecisionPlan
from calc.serving import ServingError
from specs.catalog import default_catalog
from specs.schema import Chip, Model

__all__ = ["COMPUTE_PRECISIONS", "PRECISIONS", "MemoryPlan", "PrecisionPlan", "Prediction",
           "Scenario", "ServingError", "memory_plan", "predict", "scenario_arguments"]

Scenario = Literal["offline", "server", "concurrency", "decode", "prefill"]
SERVER_BATCHES = np.unique(np.round(np.geomspace(1, 1 << 16, 97)))
"""Batch sizes tried when searching the largest throughput within latency limits."""
SPLITS_TRIED = 256
"""Most prefill/decode splits a disaggregated search tries (see ``_splits``)."""
GB = 1e9
MAX_SAMPLES = 100_000
"""Monte Carlo samples accepted: beyond this the bands do not move and memory grows."""


class Prediction(BaseModel):
    """Predicted serving metrics (system totals unless named per chip or per user)."""

    model_config = ConfigDict(frozen=True)
    model: str
    chip: str
    chips: int
    layout: str
    replicas: int
    prefill_replicas: int | None = None
    """Of ``replicas``, how many prefill (disaggregated serving; the rest decode), else None."""
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
    bands: dict[str, Band] | None = None
    """P10/P50/P90 of output/input tokens/s, TTFT and TPOT (ms), when asked for."""
    samples: dict[str, Any] | None = Field(None, exclude=True, repr=False)
    """The Monte Carlo samples behind the bands (numpy arrays; not exported)."""



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




def _resolve(model, chip) -> tuple[Model, Chip]:
    catalog = default_catalog()
    return inputs.as_model(catalog, model), inputs.as_chip(catalog, chip)


def _plan_and_efficiency(precision, efficiency) -> tuple[PrecisionPlan, Efficiency]:
    eff = Efficiency() if efficiency is None else \
        inputs.instance("efficiency", efficiency, Efficiency)
    return PrecisionPlan.of(precision), eff


def scenario_arguments(scenario: str, *, input_tokens: int, output_tokens: int,
                       concurrency: int | None, context_tokens: int | None,
                       ttft_limit_ms: float | None, tpot_limit_ms: float | None,
                       disaggregated: bool, max_replicas: int) -> dict:
    """The engine arguments that pose one serving scenario."""
    ttft = None if ttft_limit_ms is None else ttft_limit_ms / 1e3
    tpot = None if tpot_limit_ms is None else tpot_limit_ms / 1e3
    args = dict(input_tokens=[input_tokens], output_tokens=[output_tokens],
                ttft_limit=ttft, tpot_limit=tpot, concurrency=concurrency)
    if scenario == "prefill":
        return args | dict(mode="prefill", batches="fill", tpot_limit=None)
    if scenario == "decode":
        return args | dict(mode="decode", context_tokens=[context_tokens], ttft_limit=None,
                           batches="concurrency" if concurrency else SERVER_BATCHES)
    batches = {"offline": "fill", "concurrency": "concurrency", "server": SERVER_BATCHES}
    args["batches"] = batches[scenario]
    if scenario == "offline":
        args.update(ttft_limit=None, tpot_limit=None)
    if disaggregated:
        args.update(mode="disaggregated", prefill_replicas=_splits(max_replicas))
    return args


def _splits(replicas: int) -> np.ndarray:
    """Prefill replica counts a disaggregated search tries: each one up to ``SPLITS_TRIED``,
    a geometric grid beyond (a million replicas must not allocate gigabytes)."""
    if replicas <= SPLITS_TRIED:
        return np.arange(1, max(replicas, 2))
    return np.unique(np.round(np.geomspace(1, replicas - 1, SPLITS_TRIED))).astype(int)


def predict(model: str | Model, chip: str | Chip, chips: int, *, tp: int | None = None,
            ep: int | None = None, pp: int | None = None, replicas: int | None = None,
            precision: PrecisionPlan | dict | str | None = None,
            input_tokens: int = 1000, output_tokens: int = 1000,
            scenario: Scenario | None = None, concurrency: int | None = None,
            context_tokens: int | None = None, ttft_limit_ms: float | None = None,
            tpot_limit_ms: float | None = None, disaggregated: bool = False,
            efficiency: Efficiency | None = None, stack: str = "unknown",
            samples: int = 0, seed: int = 0) -> Prediction:
    """Predict serving metrics of ``model`` on ``chips`` × ``chip``.

    Without a layout, every tp × ep that divides ``chips`` is tried and the one with the highest
    throughput (input throughput for prefill) is reported. ``disaggregated`` runs prefill and
    decode on separate replicas (offline, server and concurrency scenarios) and reports the best
    split. The scenario defaults, as on the command line, to ``concurrency`` when a
    concurrency is given and ``offline`` otherwise. ``stack`` (tensorrt-llm, vllm, sglang, …)
    picks the fitted efficiency profile of that serving stack on the chip's platform
    (:mod:`calc.stacks`) unless ``efficiency`` is given. With ``samples`` > 0 the prediction
    carries P10/P50/P90 bands from that many Monte Carlo samples (:mod:`calc.uncertainty`;
    the same ``seed`` gives the same bands).
    """
    model, chip = _resolve(model, chip)
    chips = inputs.count("chips", chips, maximum=inputs.MAX_CHIPS)
    chosen = stacks.profile(stack, chip.vendor, chip.architecture)
    plan, eff = _plan_and_efficiency(precision, efficiency or chosen.efficiency)
    disaggregated = inputs.flag("disaggregated", disaggregated)
    if scenario is None:
        scenario = "offline" if concurrency is None else "concurrency"
    scenario = inputs.choice("scenario", scenario, Scenario.__args__)
    input_tokens = inputs.tokens("input_tokens", input_tokens, model)
    output_tokens = inputs.tokens("output_tokens", output_tokens, model)
    if scenario == "decode":
        context_tokens = inputs.tokens("context_tokens", context_tokens, model)
    else:
        inputs.fits_context(model, input_tokens, output_tokens)
    if scenario == "concurrency" or concurrency is not None:
        concurrency = inputs.count("concurrency", concurrency, maximum=inputs.MAX_CONCURRENCY)
    ttft_limit_ms, tpot_limit_ms = (None if v is None else inputs.positive_ms(name, v)
                                    for name, v in (("TTFT limit", ttft_limit_ms),
                                                    ("TPOT limit", tpot_limit_ms)))
    tp, ep, pp, replicas = (None if v is None else inputs.count(name, v, maximum=chips)
                            for name, v in (("tp", tp), ("ep", ep), ("pp", pp),
                                            ("replicas", replicas)))
    layouts = fixed_chip_layouts(model, chips, tp, ep, pp, replicas)
    disaggregated = disaggregated and scenario not in ("decode", "prefill")
    arguments = scenario_arguments(
        scenario, input_tokens=input_tokens, output_tokens=output_tokens,
        concurrency=concurrency, context_tokens=context_tokens, ttft_limit_ms=ttft_limit_ms,
        tpot_limit_ms=tpot_limit_ms, disaggregated=disaggregated,
        max_replicas=int(layouts.replicas.max()))
    evaluation = evaluate(model, hardware_table([chip], [plan]), layouts, eff, **arguments)
    rate = evaluation.input_per_s if scenario == "prefill" else evaluation.output_per_s
    best = evaluation.best(rate * layouts.replicas.reshape(1, 1, -1, 1, 1, 1))
    if not evaluation.feasible[best]:
        raise ServingError(evaluation.explain(best))
    result = _prediction(evaluation, best, chips, scenario, context_tokens, concurrency)
    if samples:
        samples = inputs.count("samples", samples, maximum=MAX_SAMPLES)
        drawn, share = uncertainty.prediction_samples(
            model, evaluation.table, layouts.pick(best[LAYOUT]), eff, arguments,
            prefill=scenario == "prefill", samples=samples, seed=seed)
        bands = {k: b for k, b in ((k, Band.of(v)) for k, v in drawn.items()) if b is not None}
        estimated = uncertainty.estimated_figures(evaluation.table, 0, 0)
        notes = [f"bands: P10–P90 of {samples} samples (seed {seed}); feasible in "
                 f"{share:.0%} of them"] + [f"estimated figure: {e}" for e in estimated]
        result = result.model_copy(update={"bands": bands, "samples": drawn,
                                           "notes": result.notes + notes})
    return result if efficiency or not chosen.note else \
        result.model_copy(update={"notes": [chosen.note, *result.notes]})


def _notes(evaluation: Evaluation, index) -> list[str]:
    """Fallback precisions, assumed domains, missing links and an assumed scale-out network
    behind a prediction."""
    table, notes = evaluation.table, []
    c, j = index[CHIP], index[PLAN]
    chip, plan = table.chips[c], table.plans[j]
    for role, wanted, used in (("linear layers", plan.activations, table.linear_precision[c, j]),
                               ("attention", plan.attention, table.attention_precision[c, j])):
        if used != wanted:
            notes.append(f"{chip.name} has no {wanted} units: {role} computed at its {used} peak")
    kept = evaluation.model.non_ffn_weights_at_4bit
    if kept and plan.bytes().weight_bytes < 1:
        notes.append(f"{evaluation.model.id}'s 4-bit checkpoints keep attention, embedding and "
                     f"head in {kept.value}: stored and read at that width")
    layouts, i = evaluation.layouts, index[LAYOUT]
    if evaluation.mode == "interleaved" and layouts.ep[i] > layouts.tp[i]:
        notes.append(f"attention runs data-parallel over {int(layouts.ep[i] / layouts.tp[i])} "
                     f"ranks while prompts share the steps: each step waits for the busiest "
                     f"rank (the stack profile's attention_dp_balance)")
    if layouts.chips(i) > 1:
        if chip.scaleup is None:
            notes.append(f"{chip.name}: no scale-up link published; chips talk over scale-out")
        elif table.domain_assumed[c]:
            notes.append(f"{chip.name}: scale-up domain size unknown, assumed "
                         f"{ASSUMED_DOMAIN_CHIPS:g} chips")
    if evaluation.on_assumed_scaleout()[c, 0, index[LAYOUT], 0, 0, 0]:
        notes.append(f"{chip.name}: scale-out bandwidth not published; assumed "
                     f"{describe_assumed_scaleout()}")
    return list(dict.fromkeys(notes))


def _ms(seconds) -> float | None:
    value = float(seconds)
    return None if np.isnan(value) else value * 1e3


def _prediction(evaluation: Evaluation, index, chips: int, scenario: str, context,
                concurrency) -> Prediction:
    at = lambda name: float(evaluation.at(index, name))  # noqa: E731
    layouts = evaluation.layouts
    n = int(layouts.replicas[index[LAYOUT]])
    b = at("sequences")
    out, inp = at("output_per_s") * n, at("input_per_s") * n
    kv = at("kv_per_sequence") * (1.0 if scenario == "prefill" else b)
    memory = {"weights": at("weights") / GB, "kv_cache": kv / GB,
              "workspace": at("workspace") / GB}
    memory["total"] = sum(memory.values())
    memory["usable"] = at("usable") / GB
    capacity = bool(evaluation.at(index, "capacity_limited"))
    notes = _notes(evaluation, index)
    if scenario == "concurrency" and capacity:
        notes.append(f"only {b:g} of the {concurrency / n:g} requests per replica fit in "
                     f"memory; the rest queue, and TTFT includes that wait")
    if scenario == "decode":
        notes.append(f"context {context:g} tokens per sequence")
    tpot = _ms(evaluation.at(index, "tpot"))
    split = int(evaluation.prefill_replicas[index[SPLIT]]) \
        if evaluation.mode == "disaggregated" else None
    return Prediction(
        model=evaluation.model.id, chip=evaluation.table.chips[index[CHIP]].id, chips=chips,
        layout=layouts.name(index[LAYOUT]), replicas=n, prefill_replicas=split,
        scenario=scenario,
        sequences_per_replica=b, ttft_ms=_ms(evaluation.at(index, "ttft")), tpot_ms=tpot,
        output_tokens_per_s=out, input_tokens_per_s=inp, total_tokens_per_s=out + inp,
        output_tokens_per_s_per_user=None if tpot is None else 1e3 / tpot,
        output_tokens_per_s_per_chip=out / chips, input_tokens_per_s_per_chip=inp / chips,
        binding="capacity" if capacity and scenario == "concurrency"
        else str(evaluation.at(index, "binding")),
        memory_per_chip_gb=memory, notes=notes)


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
    model, chip = _resolve(model, chip)
    chips = inputs.count("chips", chips, maximum=inputs.MAX_CHIPS)
    context_tokens = inputs.tokens("context_tokens", context_tokens, model)
    plan, eff = _plan_and_efficiency(precision, efficiency)
    tp, ep, pp = (None if v is None else inputs.count(name, v, maximum=chips)
                  for name, v in (("tp", tp), ("ep", ep), ("pp", pp)))
    if tp is None and ep is None and pp is None:
        tp = chips
    layouts = fixed_chip_layouts(model, chips, tp, ep, pp)
    evaluation = evaluate(model, hardware_table([chip], [plan]), layouts, eff, mode="prefill",
                          input_tokens=[context_tokens, 1], batches="fill")
    fit, single = (0, 0, 0, 0, 0, 0), (0, 0, 0, 0, 1, 0)
    if evaluation.reason[fit] in (Reason.NO_FIGURES, Reason.BAD_LAYOUT):  # memory needs both
        raise ServingError(evaluation.explain(fit))
    at = lambda name, i=fit: float(evaluation.at(i, name))  # noqa: E731
    free = at("usable", single) - at("weights", single) - at("workspace", single)
    longest = 0 if free <= 0 else min(model.max_context, int(free / at("kv_per_sequence",
                                                                        single)))
    return MemoryPlan(model=model.id, chip=chip.id, layout=layouts.name(0),
                      weights_gb=at("weights") / GB, workspace_gb=at("workspace") / GB,
                      usable_gb=at("usable") / GB, kv_per_sequence_gb=at("kv_per_sequence") / GB,
                      context_tokens=context_tokens, max_sequences=int(at("max_sequences")),
                      max_context_tokens=longest)


def layout_of(name: str) -> dict[str, int]:
    """tp, ep and pp of a layout as :class:`Prediction` names it (the degrees it omits are 1).

    >>> layout_of("tp2×ep4"), layout_of("tp1")
    ({'tp': 2, 'ep': 4, 'pp': 1}, {'tp': 1, 'ep': 1, 'pp': 1})
    """
    parts = dict(re.fullmatch(r"([a-z]+)(\d+)", part).groups() for part in name.split("×"))
    return {k: int(parts.get(k, 1)) for k in ("tp", "ep", "pp")}


CURVE_CONCURRENCIES = tuple(2 ** i for i in range(13))
"""Concurrent requests at which :func:`concurrency_curve` predicts (1 to 4,096)."""


def concurrency_curve(model: str | Model, chip: str | Chip, chips: int,
                      concurrencies=CURVE_CONCURRENCIES, **options):
    """The latency–throughput trade-off: :func:`predict` in the concurrency scenario at each of
    ``concurrencies`` (``options``: layout, precision, lengths, disaggregated, stack), one row
    per concurrency with output tokens/s per user and per chip, TTFT and TPOT (ms).
    Concurrencies the chips cannot serve are left out; bad input raises as :func:`predict` does.

    >>> curve = concurrency_curve("llama-3.1-8b", "H100", 1, concurrencies=(1, 64))
    >>> bool(curve["tokens_per_s_per_chip"].is_monotonic_increasing)
    True
    """
    import pandas as pd

    rows = []
    for n in concurrencies:
        try:
            r = predict(model, chip, chips, scenario="concurrency", concurrency=n, **options)
        except ServingError:
            continue
        rows.append({"concurrency": n, "tokens_per_s_per_user": r.output_tokens_per_s_per_user,
                     "tokens_per_s_per_chip": r.output_tokens_per_s_per_chip,
                     "ttft_ms": r.ttft_ms, "tpot_ms": r.tpot_ms})
    return pd.DataFrame(rows, columns=["concurrency", "tokens_per_s_per_user",
                                       "tokens_per_s_per_chip", "ttft_ms", "tpot_ms"])
