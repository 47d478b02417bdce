"""Size a cluster for a workload on every eligible chip and rank the options by cost per token.

For each chip, one call of the engine evaluates every precision × layout × batch; at each
feasible point (fits, meets TTFT and TPOT)::

    capacity per replica = output tokens/s per replica ÷ answer tokens      (requests/s)
    replicas             = ⌈peak requests/s × (1 + headroom) ÷ capacity⌉ + spare
    chips                = replicas × chips per replica

The point with the fewest chips is the chip's option (a chip's cost scales with its count).
Disaggregated options size a prefill pool and a decode pool separately — of the same chip or of
two different chips — and add the KV hand-off over the scale-out network to TTFT. Costs follow
:mod:`calc.cost` at the utilisation the traffic gives (average ÷ provisioned capacity); shared
cost is split between input and output tokens by the time each phase occupies the chips.
"""

from __future__ import annotations

import math
from typing import Any
from datetime import date

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from calc.architecture import shape
from calc.chip_cost import ChipCosts
from calc.cost import (HOURS_PER_MONTH, CostSettings, cost_per_million_tokens, cost_settings,
                       tokens_per_s_per_mw)
from calc import inputs, stacks
from calc.engine import BATCH, CHIP, LAYOUT, NDIM, PLAN, Evaluation, Reason, evaluate
from calc.hardware import describe_assumed_scaleout, hardware_table
from calc.layouts import sizing_layouts
from calc.perf import Efficiency, kv_bytes_per_sequence
from calc.precision import PrecisionPlan
from calc.predict import MAX_SAMPLES, SERVER_BATCHES
from calc.serving import ServingError
from calc import uncertainty
from calc.uncertainty import Band
from calc.workload import Workload
from specs.catalog import Catalog, default_catalog
from specs.schema import Chip

class Pool(BaseModel):
    """Replicas of one chip and layout doing one job: ``both`` (prefill and decode
    interleaved), ``prefill`` or ``decode``."""

    model_config = ConfigDict(frozen=True)
    role: str
    chip: str
    chip_name: str
    vendor: str
    precision: str
    layout: str
    chips_per_replica: int
    batch: float
    """Sequences per replica at capacity (prompts per step for a prefill pool)."""
    replicas: int
    chips: int
    chips_per_server: int
    servers: int
    """Servers (or racks, for rack-scale systems such as NVL72) holding the chips."""
    scaleup_domains: int
    """Scale-up domains (NVLink domains, SuperPoDs) the replicas occupy."""
    kw: float | None
    """All-in power of the pool (chips with host, network and cooling share, before PUE)."""
    power_source: str
    """Where the all-in power per chip comes from."""
    capacity_requests_per_s: float
    price: str | None
    """The price used, as published, and the adjustments made; None when unknown."""
    price_url: str | None
    cost_per_hour: float | None = None
    """In the answer's currency."""
    capex_per_chip: float | None = None
    """Purchase price per chip after the adjustments (server and network share, surcharges,
    tariff, VAT), in the answer's currency; None when rented or unpriced."""
    estimated: bool
    """True where a figure the prediction needs is only an estimate (the assumed scale-out
    bandwidth among them, where the pool uses it)."""
    scaleout_assumed: bool = False
    """True where the pool's traffic crosses a scale-out network whose bandwidth its chip does
    not publish, so the assumed default (:func:`calc.hardware.assumed_scaleout`) is used: its
    replicas span scale-up domains, or it hands the KV over to or from another pool."""
    grid: tuple[int, int, int] | None = Field(None, exclude=True)
    """Chip row, plan and layout of the pool in the sizing grid (for the bands)."""


class SizingOption(BaseModel):
    """The cheapest way found to serve the workload on one chip (or one pair of chips)."""

    model_config = ConfigDict(frozen=True)
    chip: str
    """Chip id; "prefill-id + decode-id" for a disaggregated option."""
    chips: int
    layout: str
    precision: str
    replicas: int
    servers: int
    scaleup_domains: int
    disaggregated: bool
    ttft_ms: float
    tpot_ms: float
    tokens_per_s_per_user: float
    output_tokens_per_s_per_chip: float
    """At provisioned capacity."""
    capacity_requests_per_s: float
    utilisation: float
    """Average traffic ÷ provisioned capacity."""
    kw: float | None
    """All-in power (before PUE)."""
    facility_kw: float | None
    """All-in power × PUE."""
    binding: str
    currency: str
    cost_per_hour: float | None = None
    cost_per_month: float | None = None
    cost_per_million_input_tokens: float | None = None
    cost_per_million_output_tokens: float | None = None
    cost_per_million_tokens: float | None = None
    """Blended over input and output tokens."""
    cost_per_request: float | None = None
    cost_breakdown_per_month: dict[str, float] | None = None
    prefill_share: float | None = None
    """Share of the chips' time spent on prefill, which splits a shared cost between input and
    output tokens; None for a disaggregated option (each pool charges its own tokens)."""
    joules_per_token: float | None
    """Facility energy per token (input and output) at provisioned capacity."""
    output_tokens_per_s_per_mw: float | None
    """Output tokens/s at capacity per MW of all-in power (before PUE), as InferenceX."""
    estimated: bool
    pools: list[Pool]
    notes: list[str]
    bands: dict[str, Band] | None = None
    """P10/P50/P90 of chips, blended cost per million tokens, and the p99-equivalent TTFT and
    TPOT (ms: the mean ÷ the profile's headroom, as limits are judged), when asked for
    (:mod:`calc.uncertainty`)."""
    probability_meets_limits: float | None = None
    """Share of the samples in which the option, as sized, meets both latency limits."""
    cost_samples: Any = Field(None, exclude=True, repr=False)
    """The Monte Carlo samples of the blended cost per million tokens (not exported)."""
    pool_samples: Any = Field(None, exclude=True, repr=False)
    """Per pool, the samples of its requests/s per replica and of its chip's price and cost
    per chip-hour in USD (not exported; reverse questions put bands on budgets with them)."""


class ParetoPoint(BaseModel):
    """One point of a chip's throughput–interactivity frontier."""

    model_config = ConfigDict(frozen=True)
    chip: str
    precision: str
    layout: str
    batch: float
    tokens_per_s_per_user: float
    output_tokens_per_s_per_chip: float


class TornadoBar(BaseModel):
    """Blended cost per million tokens of one option with one input at its low and high end
    (P10 and P90 for a sampled input; the source's range for a cost setting)."""

    model_config = ConfigDict(frozen=True)
    input: str
    low: float
    high: float

    @property
    def swing(self) -> float:
        return abs(self.high - self.low)


class Sizing(BaseModel):
    """Options ranked by blended cost per token (unpriced ones last), the frontier, and — when
    no option meets the service levels — the nearest miss and what to relax."""

    model_config = ConfigDict(frozen=True)
    workload: Workload
    settings: CostSettings
    options: list[SizingOption]
    pareto: list[ParetoPoint]
    nearest_miss: str | None
    excluded: dict[str, str]
    """Chips left out by the filters, with the reason."""
    infeasible: dict[str, str]
    """Eligible chips with no option, with their nearest miss."""
    tornado: list[TornadoBar] = []
    """With bands: the inputs that move the first option's blended cost per million tokens
    most, largest swing first."""

    def frame(self):
        """The options as a DataFrame, one row each (columns carry their unit in the name)."""
        import pandas as pd

        rows = [o.model_dump(exclude={"pools", "notes", "cost_breakdown_per_month"})
                for o in self.options]
        return pd.DataFrame(rows)


def eligible_chips(catalog: Catalog, workload: Workload) -> tuple[list[Chip], dict[str, str]]:
    """Chips passing the workload's filters, and the others with why they were left out."""
    allowed_ids = None
    if workload.chips is not None:
        allowed_ids = {catalog.chip(name).id for name in workload.chips}
    vendors = None if workload.vendors is None else {v.lower() for v in workload.vendors}
    keep, excluded = [], {}
    for chip in catalog.chips:
        if allowed_ids is not None and chip.id not in allowed_ids:
            continue
        if vendors is not None and chip.vendor.lower() not in vendors and not any(
                chip.id.startswith(v + "-") for v in vendors):
            continue
        if chip.status not in workload.status:
            excluded[chip.id] = f"status {chip.status}"
        elif workload.buyable_in_china and not buyable_in(catalog, chip, "China"):
            excluded[chip.id] = "no record that it can be bought in China"
        else:
            keep.append(chip)
    if not keep:
        raise ServingError("no chip passes the filters (status "
                           f"{', '.join(workload.status)}"
                           + (f", vendors {', '.join(workload.vendors)}" if vendors else "")
                           + (", buyable in China" if workload.buyable_in_china else "")
                           + "); widen them, e.g. allow status announced or more vendors")
    return keep, excluded


def buyable_in(catalog: Catalog, chip: Chip, region: str) -> bool:
    """Whether the catalog records that ``chip`` can be bought in ``region``: a price from that
    market, a fee on sales there (a fee means sales happen), or a vendor based there."""
    region = region.lower()
    homes = {} if catalog.assumptions is None else catalog.assumptions.vendor_home
    home = homes.get(chip.vendor)
    return (any((p.region or "").lower() == region for p in catalog.prices_for(chip.id))
            or any(n.kind == "surcharge" and (n.region or "").lower() == region
                   for n in chip.availability)
            or (home is not None and home.value.lower() == region))


def size(workload: Workload, *, settings: CostSettings | None = None,
         prices: dict[str, str] | None = None, efficiency: Efficiency | None = None,
         catalog: Catalog | None = None, today: date | None = None, samples: int = 0,
         seed: int = 0) -> Sizing:
    """Size ``workload`` on every eligible chip; ``prices`` maps chip ids or aliases to your
    own price ("25000 USD" owned, "2.5 USD/hour" rented). With ``samples`` > 0 every option
    carries P10/P50/P90 bands and the probability that it meets the limits as sized."""
    catalog = catalog or default_catalog()
    settings = settings or cost_settings(catalog)
    if samples:
        samples = inputs.count("samples", samples, maximum=MAX_SAMPLES)
    model = catalog.model(workload.model)
    inputs.fits_context(model, workload.input_tokens, workload.output_tokens)
    chips, excluded = eligible_chips(catalog, workload)
    overrides = {catalog.chip(k).id: v for k, v in (prices or {}).items()}
    plans = [PrecisionPlan.of(p) for p in workload.precisions]
    table = hardware_table(chips, plans)
    eff = efficiency or stacks.efficiencies(  # each chip's platform profile (calc.stacks)
        "unknown", [(c.vendor, c.architecture) for c in table.chips], NDIM)
    economics = ChipCosts(catalog, table, settings, overrides, today)
    layouts = sizing_layouts(model)
    ttft = None if workload.ttft_ms is None else workload.ttft_ms / 1e3
    tpot = None if workload.tpot_limit_ms is None else workload.tpot_limit_ms / 1e3
    lengths = dict(input_tokens=[workload.input_tokens], output_tokens=[workload.output_tokens])
    together = evaluate(model, table, layouts, eff, batches=SERVER_BATCHES, ttft_limit=ttft,
                        tpot_limit=tpot, **lengths)
    allowed = None if workload.allow_estimates else (
        ~table.estimated[:, :, None, None, None, None] & ~together.on_assumed_scaleout())
    if allowed is not None and not allowed.any():
        raise ServingError("every eligible chip relies on estimated figures for this model; "
                           "allow estimates (drop --no-estimates) or widen the filters")
    options = _aggregated(together, workload, economics, allowed)
    if workload.disaggregated:
        prefill = evaluate(model, table, layouts, eff, mode="prefill", batches="fill",
                           ttft_limit=ttft, **lengths)
        decode = evaluate(model, table, layouts, eff, mode="decode", batches=SERVER_BATCHES,
                          context_tokens=[workload.input_tokens + workload.output_tokens / 2],
                          tpot_limit=tpot, **lengths)
        options += _disaggregated(prefill, decode, workload, economics, allowed, ttft, options)
    options.sort(key=lambda o: (o.cost_per_million_tokens is None,
                                o.cost_per_million_tokens or 0.0, o.chips))
    if samples:
        evaluations = {"both": together} | ({"prefill": prefill, "decode": decode}
                                             if workload.disaggregated else {})
        options = [_with_bands(o, evaluations, workload, economics, samples, seed)
                   for o in options]
        priced = [o for o in options if o.cost_per_million_tokens is not None]
        tornado = _tornado(priced[0], evaluations, workload, economics, catalog, samples,
                           seed) if priced else []
    else:
        tornado = []
    nearest = None
    if not options:
        index = together.best(together.output_per_s, allowed)
        nearest = f"no option meets these service levels: {together.explain(index)}"
    served = {p.chip for o in options for p in o.pools}
    infeasible = {}
    for c, chip in enumerate(table.chips):
        if chip.id not in served:
            this_chip = np.zeros(together.shape, dtype=bool)
            this_chip[c] = True
            if allowed is not None:
                this_chip &= allowed
            infeasible[chip.id] = (together.explain(together.best(together.output_per_s,
                                                                  this_chip))
                                   if this_chip.any() else "needed figures are estimates")
    return Sizing(workload=workload, settings=settings, options=options,
                  pareto=_pareto(together, allowed), nearest_miss=nearest, excluded=excluded,
                  infeasible=infeasible, tornado=tornado)


def _fewest_chips(evaluation: Evaluation, capacity: np.ndarray, workload: Workload, allowed):
    """Replicas and chips at every point, and per chip the index of the point with the fewest
    chips (ties: the shortest TPOT, then TTFT); None for a chip with no feasible point."""
    ok = evaluation.feasible if allowed is None else evaluation.feasible & allowed
    replicas = workload.replicas(np.where(ok, capacity, np.nan))
    chips = replicas * evaluation.chips_per_replica
    score = np.where(ok, chips, np.inf)
    latency = np.nan_to_num(np.broadcast_to(evaluation.tpot, ok.shape), nan=0.0)
    score = score + np.minimum(latency, 1e3) * 1e-9
    best = []
    for c in range(ok.shape[CHIP]):
        flat = score[c].ravel()
        i = int(np.argmin(flat))
        best.append(None if not np.isfinite(flat[i]) else
                    (c,) + np.unravel_index(i, score[c].shape))
    return np.broadcast_to(replicas, ok.shape), np.broadcast_to(chips, ok.shape), best


def _pool(role: str, evaluation: Evaluation, index, replicas: int, capacity: float,
          economics: ChipCosts) -> Pool:
    c, table, layouts = index[CHIP], evaluation.table, evaluation.layouts
    chip = table.chips[c]
    per_replica = layouts.chips(index[LAYOUT])
    chips = replicas * per_replica
    domain = int(table.scaleup_domain[c])
    if per_replica <= domain:
        domains = math.ceil(replicas / (domain // per_replica))
    else:
        domains = replicas * math.ceil(per_replica / domain)
    price, hourly = economics.prices[c], economics.hourly(c)
    kw = economics.kw[c] * chips
    assumed = bool(table.scaleout_assumed[c]) if role != "both" else \
        bool(evaluation.on_assumed_scaleout()[c, 0, index[LAYOUT], 0, 0, 0])
    return Pool(role=role, chip=chip.id, chip_name=chip.name, vendor=chip.vendor,
                precision=_precision_label(table, c, index[PLAN]),
                layout=layouts.name(index[LAYOUT]),
                chips_per_replica=per_replica, batch=float(evaluation.at(index, "sequences")),
                replicas=replicas, chips=chips, chips_per_server=economics.per_server[c],
                servers=math.ceil(chips / economics.per_server[c]), scaleup_domains=domains,
                kw=None if np.isnan(kw) else float(kw), power_source=economics.power_source[c],
                capacity_requests_per_s=capacity * replicas,
                price=None if price is None else "; ".join([price.description]
                                                           + price.adjustments),
                price_url=None if price is None else price.url,
                cost_per_hour=None if hourly is None
                else float(economics.settings.to_currency(hourly * chips)),
                capex_per_chip=None if price is None or price.kind != "purchase"
                else float(economics.settings.to_currency(price.usd)),
                estimated=bool(table.estimated[c, index[PLAN]]) or assumed,
                scaleout_assumed=assumed, grid=(c, int(index[PLAN]), int(index[LAYOUT])))


def _precision_label(table, c: int, j: int) -> str:
    """The plan's name, with the compute precision where the chip lacks the plan's units
    ("fp4 (fp8 compute)": 4-bit weights, 8-bit arithmetic)."""
    plan, used = table.plans[j], table.linear_precision[c, j]
    return plan.name if used == plan.activations else f"{plan.name} ({used} compute)"


def _option(pools: list[Pool], *, ttft: float, tpot: float, prefill_share: float,
            binding: str, workload: Workload, economics: ChipCosts,
            breakdowns: list[dict[str, float] | None]) -> SizingOption:
    """Costs and energy of a set of pools serving ``workload`` (equations in calc.cost)."""
    s = economics.settings
    I, O = workload.input_tokens, workload.output_tokens
    rate = workload.average_requests_per_s
    capacity = min(p.capacity_requests_per_s for p in pools)
    chips = sum(p.chips for p in pools)
    kw = None if any(p.kw is None for p in pools) else sum(p.kw for p in pools)
    priced = all(p.cost_per_hour is not None for p in pools)
    hourly = sum(p.cost_per_hour for p in pools) if priced else None
    if len(pools) == 1:
        input_hourly = None if hourly is None else hourly * prefill_share
    else:
        input_hourly = pools[0].cost_per_hour
    money = {}
    if hourly is not None:
        output_hourly = hourly - input_hourly
        money = dict(
            cost_per_hour=hourly, cost_per_month=hourly * HOURS_PER_MONTH,
            cost_per_million_input_tokens=float(cost_per_million_tokens(input_hourly, rate * I)),
            cost_per_million_output_tokens=float(cost_per_million_tokens(output_hourly,
                                                                         rate * O)),
            cost_per_million_tokens=float(cost_per_million_tokens(hourly, rate * (I + O))),
            cost_per_request=hourly / (rate * 3600),
            cost_breakdown_per_month={
                name: float(s.to_currency(sum(b[name] * p.chips for b, p in zip(breakdowns, pools)
                                              if name in b))) * HOURS_PER_MONTH
                for name in dict.fromkeys(k for b in breakdowns for k in b)})
    capacity_tokens = capacity * (I + O)
    notes = [p.price for p in pools if p.price and ("month" in p.price or "+" in p.price)]
    notes += [f"{p.chip}: no price in the catalog; give one with --price {p.chip}=AMOUNT"
              for p in pools if p.price is None]
    notes += [f"{p.chip}: no TDP or all-in power, so power and owned cost are unknown"
              for p in pools if p.kw is None]
    notes += [f"{p.chip}: some figures the prediction needs are estimates"
              for p in pools if p.estimated]
    notes += [f"{p.chip}: scale-out bandwidth not published; assumed "
              f"{describe_assumed_scaleout()}" for p in pools if p.scaleout_assumed]
    if len(pools) > 1:
        notes.append("input tokens carry the prefill pool's cost, output tokens the decode "
                     "pool's")
    else:
        notes.append(f"shared cost split by time: prefill {prefill_share:.0%} of the chips' "
                     f"time (input tokens), decode {1 - prefill_share:.0%} (output tokens)")
    return SizingOption(
        chip=" + ".join(dict.fromkeys(p.chip for p in pools)), chips=chips,
        layout=" + ".join(f"{p.role} {p.layout}" if len(pools) > 1 else p.layout
                          for p in pools),
        precision=pools[0].precision, replicas=sum(p.replicas for p in pools),
        servers=sum(p.servers for p in pools),
        scaleup_domains=sum(p.scaleup_domains for p in pools), disaggregated=len(pools) > 1,
        ttft_ms=ttft * 1e3, tpot_ms=tpot * 1e3, tokens_per_s_per_user=1 / tpot,
        output_tokens_per_s_per_chip=capacity * O / chips,
        capacity_requests_per_s=capacity, utilisation=rate / capacity, kw=kw,
        facility_kw=None if kw is None else kw * s.pue.value, binding=binding,
        currency=s.currency, **money,
        prefill_share=None if len(pools) > 1 else prefill_share,
        joules_per_token=None if kw is None else kw * 1e3 * s.pue.value / capacity_tokens,
        output_tokens_per_s_per_mw=None if kw is None else tokens_per_s_per_mw(capacity * O,
                                                                                kw),
        estimated=any(p.estimated for p in pools), pools=pools,
        notes=list(dict.fromkeys(notes)))


def _aggregated(evaluation: Evaluation, workload: Workload, economics: ChipCosts,
                allowed) -> list[SizingOption]:
    capacity = evaluation.output_per_s / workload.output_tokens
    replicas, _, best = _fewest_chips(evaluation, capacity, workload, allowed)
    options = []
    for index in filter(None, best):
        cap = float(np.broadcast_to(capacity, replicas.shape)[index])
        pool = _pool("both", evaluation, index, int(replicas[index]), cap, economics)
        options.append(_option(
            [pool], ttft=float(evaluation.at(index, "ttft")),
            tpot=float(evaluation.at(index, "tpot")),
            prefill_share=float(evaluation.at(index, "prefill_share")),
            binding=str(evaluation.at(index, "binding")), workload=workload,
            economics=economics, breakdowns=[economics.breakdown[index[CHIP]]]))
    return options


def _disaggregated(prefill: Evaluation, decode: Evaluation, workload: Workload,
                   economics: ChipCosts, allowed, ttft_limit, aggregated) -> list[SizingOption]:
    """For each decode chip, the cheapest prefill pool (any chip, same precision plan) whose
    TTFT plus the KV hand-off meets the limit; kept where it beats that chip's own option."""
    I, O = workload.input_tokens, workload.output_tokens
    p_cap = prefill.input_per_s / I
    d_cap = decode.output_per_s / O
    p_rep, p_chips, _ = _fewest_chips(prefill, p_cap, workload, allowed)
    d_rep, d_chips, _ = _fewest_chips(decode, d_cap, workload, allowed)
    table, m = prefill.table, shape(prefill.model)
    hourly = np.array([np.nan if economics.hourly(c) is None else economics.hourly(c)
                       for c in range(len(table.chips))])
    best_aggregated = {o.chip: o for o in aggregated}
    options = []
    for j, plan in enumerate(table.plans):
        kv = float(kv_bytes_per_sequence(m, I, plan.bytes().kv_bytes))
        # Per chip: the prefill and decode points with the fewest chips at this plan.
        p_best = [_argmin_at(p_chips, c, j) for c in range(len(table.chips))]
        d_best = [_argmin_at(d_chips, c, j) for c in range(len(table.chips))]
        for b, d_index in enumerate(d_best):
            if d_index is None:
                continue
            found = None
            for a, p_index in enumerate(p_best):
                if p_index is None or (a != b and np.isnan(hourly[a] + hourly[b])):
                    continue
                if allowed is not None and (table.scaleout_assumed[a]
                                            or table.scaleout_assumed[b]):
                    continue  # the KV hand-off would need an assumed (estimated) network
                send = table.scaleout_bandwidth[a] * prefill.layouts.chips(p_index[LAYOUT])
                receive = table.scaleout_bandwidth[b] * decode.layouts.chips(d_index[LAYOUT])
                ttft = float(prefill.at(p_index, "ttft")) + kv / min(send, receive)
                if not np.isfinite(ttft) or (ttft_limit is not None and ttft > ttft_limit):
                    continue  # no known link to hand the KV over, or too slow
                cost = p_chips[p_index] * hourly[a] + d_chips[d_index] * hourly[b]
                key = cost if np.isfinite(cost) else p_chips[p_index] + d_chips[d_index]
                if found is None or key < found[0]:
                    found = (key, a, p_index, ttft)
            if found is None:
                continue
            _, a, p_index, ttft = found
            pools = [_pool("prefill", prefill, p_index, int(p_rep[p_index]),
                           float(np.broadcast_to(p_cap, p_rep.shape)[p_index]), economics),
                     _pool("decode", decode, d_index, int(d_rep[d_index]),
                           float(np.broadcast_to(d_cap, d_rep.shape)[d_index]), economics)]
            option = _option(pools, ttft=ttft, tpot=float(decode.at(d_index, "tpot")),
                             prefill_share=1.0, binding=str(decode.at(d_index, "binding")),
                             workload=workload, economics=economics,
                             breakdowns=[economics.breakdown[a], economics.breakdown[b]])
            own = best_aggregated.get(table.chips[b].id)
            if own is None or _cheaper(option, own):
                options.append(option)
    return _unique(options)


def _argmin_at(chips: np.ndarray, c: int, j: int):
    sub = chips[c, j]
    flat = np.where(np.isnan(sub), np.inf, sub).ravel()
    i = int(np.argmin(flat))
    return None if not np.isfinite(flat[i]) else (c, j) + np.unravel_index(i, sub.shape)


def _cheaper(a: SizingOption, b: SizingOption) -> bool:
    if a.cost_per_million_tokens is not None and b.cost_per_million_tokens is not None:
        return a.cost_per_million_tokens < b.cost_per_million_tokens
    return a.chips < b.chips


def _unique(options: list[SizingOption]) -> list[SizingOption]:
    """The cheapest option per pair of chips (over precisions)."""
    best: dict[str, SizingOption] = {}
    for option in options:
        key = option.chip
        if key not in best or _cheaper(option, best[key]):
            best[key] = option
    return list(best.values())


def _pareto(evaluation: Evaluation, allowed) -> list[ParetoPoint]:
    """Per chip, the points no other point beats on both output tokens/s per chip and tokens/s
    per user (memory must hold the batch; the service levels are ignored here)."""
    runnable = evaluation.reason >= Reason.MISSES_TTFT
    runnable = runnable | evaluation.feasible
    if allowed is not None:
        runnable = runnable & allowed
    per_user = np.broadcast_to(1 / evaluation.tpot, runnable.shape)
    per_chip = np.broadcast_to(evaluation.output_per_s / evaluation.chips_per_replica,
                               runnable.shape)
    points = []
    for c in range(runnable.shape[CHIP]):
        idx = np.argwhere(runnable[c])
        if not len(idx):
            continue
        x = per_user[c][tuple(idx.T)]
        y = per_chip[c][tuple(idx.T)]
        order = np.lexsort((-y, -x))  # fastest per user first
        best_y = -np.inf
        for k in order:
            if y[k] > best_y:
                best_y = y[k]
                full = (c,) + tuple(idx[k])
                points.append(ParetoPoint(
                    chip=evaluation.table.chips[c].id,
                    precision=evaluation.table.plans[full[PLAN]].name,
                    layout=evaluation.layouts.name(full[LAYOUT]),
                    batch=float(evaluation.batches[full[BATCH]]),
                    tokens_per_s_per_user=float(x[k]), output_tokens_per_s_per_chip=float(y[k])))
    return points


def _with_bands(option: SizingOption, evaluations: dict[str, Evaluation], workload: Workload,
                economics: ChipCosts, samples: int, seed: int, *, spec_width: float = 1.0,
                model_error: bool = True, price_width: float = 1.0) -> SizingOption:
    """The option with Monte Carlo bands: each pool's capacity, TTFT and TPOT sampled at its
    layout and batch (spec ranges and model error), replicas re-rounded per sample, prices
    sampled over their ranges; the layout stays as sized. The keywords switch one source of
    spread off (0 / False) for the sensitivity ranking."""
    rng = np.random.default_rng(seed)
    s = economics.settings
    lengths = dict(input_tokens=[workload.input_tokens], output_tokens=[workload.output_tokens])
    chips = np.zeros(samples)
    hourly = np.zeros(samples)
    ttft = np.zeros(samples)
    tpot = np.zeros(samples)
    per_pool = []
    for pool in option.pools:
        evaluation = evaluations[pool.role]
        c, j, l = pool.grid
        chip, plan = evaluation.table.chips[c], evaluation.table.plans[j]
        efficiency = stacks.profile("unknown", chip.vendor, chip.architecture).efficiency
        drawn = uncertainty.pool_samples(
            evaluation.model, hardware_table([chip], [plan]), evaluation.layouts.pick(l),
            pool.batch, {"both": "interleaved"}.get(pool.role, pool.role), efficiency, lengths,
            samples, rng, width=spec_width, model_error=model_error)
        pool_chips = workload.replicas(drawn["capacity"]) * pool.chips_per_replica
        chips += pool_chips
        price = economics.prices[c]
        price_usd = np.full(samples, np.nan) if price is None else \
            uncertainty.price_samples(price, samples, rng, price_width)
        per_chip = price_usd if price is None else economics.hourly_samples(c, price_usd)
        hourly += pool_chips * per_chip
        per_pool.append({"capacity": drawn["capacity"], "price_usd": price_usd,
                         "hourly_usd": per_chip})
        if pool.role in ("both", "prefill"):  # as the engine judges: the mean against
            ttft += drawn["ttft"] / efficiency.ttft_headroom  # the p99 limit (latency_limit)
        if pool.role in ("both", "decode"):
            tpot += drawn["tpot"] / efficiency.tpot_headroom
    if option.disaggregated:  # the KV hand-off, as sized
        prefill = option.pools[0]
        ttft += option.ttft_ms / 1e3 - float(evaluations["prefill"].at(
            (*prefill.grid[:2], prefill.grid[2], 0, 0, 0), "ttft"))
    rate = workload.average_requests_per_s
    tokens = rate * (workload.input_tokens + workload.output_tokens)
    cost = s.to_currency(hourly) / (tokens * 3600) * 1e6
    limits = np.ones(samples, dtype=bool)  # ttft and tpot are p99 equivalents here
    if workload.ttft_ms is not None:
        limits &= ttft * 1e3 <= workload.ttft_ms
    if workload.tpot_limit_ms is not None:
        limits &= tpot * 1e3 <= workload.tpot_limit_ms
    bands = {name: band for name, band in (
        ("chips", Band.of(chips)), ("cost_per_million_tokens", Band.of(cost)),
        ("ttft_ms", Band.of(ttft * 1e3)), ("tpot_ms", Band.of(tpot * 1e3))) if band}
    return option.model_copy(update={"bands": bands, "cost_samples": cost,
                                     "pool_samples": per_pool,
                                     "probability_meets_limits": float(limits.mean())})


def _tornado(option: SizingOption, evaluations, workload: Workload, economics: ChipCosts,
             catalog: Catalog, samples: int, seed: int) -> list[TornadoBar]:
    """One input at a time: the spread of the option's blended $/Mtok from the chip figures
    alone, the model's error alone and the price alone (P10–P90), and from each cost setting
    at the low and high end of its source's range (owned only); largest swing first."""
    bars = []
    for name, switches in (("chip figures", dict(model_error=False, price_width=0.0)),
                           ("model error", dict(spec_width=0.0, price_width=0.0)),
                           ("price", dict(spec_width=0.0, model_error=False))):
        band = _with_bands(option, evaluations, workload, economics, samples, seed,
                           **switches).bands.get("cost_per_million_tokens")
        if band is not None:
            bars.append(TornadoBar(input=name, low=band.p10, high=band.p90))
    s = economics.settings
    tokens_per_hour = workload.average_requests_per_s * (workload.input_tokens
                                                         + workload.output_tokens) * 3600
    for name in ("years", "cost_of_capital", "residual_value", "hosting_per_year", "pue",
                 "electricity_per_kwh", "server_network_share") if s.own else ():
        setting = getattr(s, name)
        if setting is None or setting.low is None or setting.high is None:
            continue
        ends = []
        for value in (setting.low, setting.high):
            changed = s.model_copy(update={name: setting.model_copy(update={"value": value})})
            costs = ChipCosts(catalog, economics.table, changed, economics.overrides,
                              economics.today)
            hourly = sum(p.chips * costs.hourly(p.grid[0]) for p in option.pools)
            ends.append(float(s.to_currency(hourly)) / tokens_per_hour * 1e6)
        bars.append(TornadoBar(input=name.replace("_", " "), low=ends[0], high=ends[1]))
    return sorted(bars, key=lambda bar: -bar.swing)
