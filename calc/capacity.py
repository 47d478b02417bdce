"""Reverse questions: what traffic a budget or a power envelope buys, and which options meet a
cost target.

Budgets (capex, a monthly budget, or a facility power envelope) — how, on top of :func:`size`:

1. :func:`size` picks, per chip, the layout and batch that need the fewest chips for a given
   traffic, so it runs at the nominal traffics ``NOMINAL_REQUESTS_PER_S`` (one replica's worth
   up to thousands of replicas; no peak factor, headroom or spare). Each option found gives,
   per pool, one replica's capacity (requests/s) and what one replica needs: chips × capex per
   chip, cost per hour × ``HOURS_PER_MONTH``, or all-in kW × PUE. All of these scale linearly
   in whole replicas.
2. The budget buys the largest peak traffic P whose replicas fit::

       Σ over pools (⌈P ÷ capacity per replica⌉ + spare) × need per replica ≤ budget

   (one pool: ⌊budget ÷ need⌋ − spare replicas; a disaggregated option balances its prefill
   and decode replicas). The average traffic served is P ÷ (peak-to-average × (1 + headroom)),
   in requests/s and in tokens/day (prompt and answer).
3. Per option (chip or chip pair, aggregated or disaggregated) the layout sustaining the most
   traffic is kept. Small budgets favour small replicas, large ones the layout with the most
   throughput per chip. Every answer is a configuration :func:`size` found feasible, so it is
   achievable: a lower bound on the best layout, which may lie between two nominal traffics.

A cost target ($/Mtok input, output or blended) sizes the workload at its own traffic and keeps
the options at or under the target, with the margin.

All figures are point values; ``_peak_within`` takes plain numbers per pool so that sampled
capacities and prices (P10/P50/P90 bands) can be passed through it later.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from calc.cost import HOURS_PER_MONTH, CostSettings, cost_settings
from calc.serving import ServingError
from calc.sizing import Sizing, SizingOption, size
from calc.uncertainty import Band
from calc.workload import SECONDS_PER_DAY, Workload
from specs.catalog import Catalog, default_catalog
from specs.units import QuantityError, parse, parse_unit, to_usd

NOMINAL_REQUESTS_PER_S = (1e-3, 1.0, 10.0, 100.0, 1e3, 1e4, 1e5)
"""Traffics at which options are sized for a budget question: 10⁻³ gives each chip's smallest
replica that meets the service levels, 10⁵ its layout with the most throughput per chip."""
TARGET_KINDS = ("blended", "input", "output")
Question = Literal["capex", "monthly", "power", "target"]
TOLERANCE = 1e-12
"""Relative slack in replica counts, as :meth:`Workload.replicas`: a budget of exactly k
replicas buys k."""


class BudgetOption(BaseModel):
    """What one option (chip or chip pair, layout, precision) sustains within a budget."""

    model_config = ConfigDict(frozen=True)
    chip: str
    layout: str
    precision: str
    disaggregated: bool
    replicas: int
    """Replicas the budget buys (prefill and decode together); 0 when it buys none."""
    chips: int
    requests_per_s: float
    """Average requests/s served within the service levels (after peak, headroom, spare)."""
    tokens_per_day: float
    """Average prompt and answer tokens per day."""
    ttft_ms: float
    tpot_ms: float
    binding: str
    """The resource that bounds each replica's throughput (compute, memory, ...)."""
    per_replica: float
    """What one replica needs, in the budget's unit (one prefill and one decode replica for a
    disaggregated option)."""
    used: float
    """The part of the budget the replicas use."""
    sized_at_requests_per_s: float
    """The nominal traffic of the :func:`size` call that found this layout."""
    estimated: bool
    note: str | None = None
    requests_per_s_band: Band | None = None
    """P10/P50/P90 of the average requests/s the budget sustains, from Monte Carlo samples of
    each pool's capacity and price (:mod:`calc.uncertainty`); None without samples."""


class TargetOption(BaseModel):
    """One option of a sizing held against a cost target."""

    model_config = ConfigDict(frozen=True)
    chip: str
    layout: str
    precision: str
    chips: int
    replicas: int
    cost_per_million_tokens: float | None
    """Of the target's kind (input, output or blended), in the answer's currency."""
    meets_target: bool | None
    """None when the option's cost is unknown."""
    margin: float | None
    """1 − cost ÷ target: the share of the target left over (negative when over it)."""
    probability: float | None = None
    """Probability of meeting the target: the share of the option's Monte Carlo cost samples
    (:mod:`calc.uncertainty`) at or below it; for an input or output target the blended
    samples are scaled by the option's input or output share of cost. None when unpriced."""
    estimated: bool


class Capacity(BaseModel):
    """The answer to one reverse question."""

    model_config = ConfigDict(frozen=True)
    question: Question
    limit: float
    """The budget, envelope or target in ``unit``."""
    unit: str
    target_kind: str | None
    workload: Workload
    settings: CostSettings
    options: list[BudgetOption] | list[TargetOption]
    """Budgets: most traffic first, options the budget cannot buy last. Targets: cheapest
    first, unpriced last."""
    unknown: dict[str, str]
    """Options whose need is unknown (no price, no power), with why."""
    infeasible: dict[str, str]
    """Eligible chips with no option meeting the service levels, with their nearest miss."""
    message: str | None
    """Set when no option fits the budget or meets the target: what the nearest one needs."""

    def frame(self):
        """The options as a DataFrame, one row each."""
        import pandas as pd

        return pd.DataFrame([o.model_dump() for o in self.options])


def capacity(workload: Workload, *, capex=None, monthly=None, power=None, target_cost=None,
             target_kind: str = "blended", settings: CostSettings | None = None,
             prices: dict[str, str] | None = None, catalog: Catalog | None = None) -> Capacity:
    """Answer one reverse question about ``workload`` (give exactly one of the four):

    - ``capex``: a purchase budget ("10 MUSD", "70 MCNY"); needs owned chips.
    - ``monthly``: a budget per month, owned or rented ("500 kUSD" or "500 kUSD/month").
    - ``power``: a facility power envelope, all-in with PUE ("5 MW").
    - ``target_cost``: a cost per million tokens ("0.5 USD/Mtok") of ``target_kind``
      (blended, input or output), held against the workload's own traffic.

    For the budgets, the workload's traffic is ignored (see the module docstring); its lengths,
    service levels, peak factor, headroom, spare replicas and filters apply. A bare number is
    read in the answer's currency (per month for ``monthly``), in MW, or per Mtok.
    """
    catalog = catalog or default_catalog()
    settings = settings or cost_settings(catalog)
    given = {k: v for k, v in dict(capex=capex, monthly=monthly, power=power,
                                   target=target_cost).items() if v is not None}
    if len(given) != 1:
        raise ServingError("give exactly one of capex, monthly, power or target_cost, got "
                           f"{', '.join(given) or 'none'}")
    (question, text), = given.items()
    limit, unit = _limit(question, text, settings)
    if question == "target":
        if target_kind not in TARGET_KINDS:
            raise ServingError(f"unknown target kind '{target_kind}'; choose from "
                               f"{', '.join(TARGET_KINDS)}")
        return _target(workload, limit, unit, target_kind, settings, prices, catalog)
    if question == "capex" and not settings.own:
        raise ServingError("a capex budget buys chips: use owned cost settings, or give a "
                           "monthly budget instead")
    return _budget(workload, question, limit, unit, settings, prices, catalog)


def _limit(question: str, text, settings: CostSettings) -> tuple[float, str]:
    """The budget, envelope or target as a positive float in the answer's unit."""
    c = settings.currency
    names = {"capex": "capex budget", "monthly": "monthly budget", "power": "power envelope",
             "target": "cost target"}
    examples = {"capex": "'10 MUSD' or '70 MCNY'", "monthly": "'500 kUSD' or '3.5 MCNY'",
                "power": "'5 MW' or '800 kW'", "target": "'0.5 USD/Mtok' or '3.5 CNY/Mtok'"}
    wanted = {"capex": c, "monthly": c, "power": "MW", "target": f"{c}/Mtok"}[question]
    try:
        amount = parse(text) if isinstance(text, str) else parse(text, wanted)
    except QuantityError as err:
        raise ServingError(f"{names[question]}: {err}") from None
    if question == "monthly" and amount.check("[currency] / [time]"):
        amount = amount * parse(1, "month")
    if amount.dimensionality != parse_unit(wanted).dimensionality:
        raise ServingError(f"{names[question]} {text!r} is not in {wanted}; write e.g. "
                           f"{examples[question]}")
    if question == "power":
        value = amount.to("MW").magnitude
    else:
        usd = to_usd(amount, settings.cny_per_usd.value)
        value = settings.to_currency(usd.to(wanted.replace(c, "USD")).magnitude)
    if not (math.isfinite(value) and value > 0):
        raise ServingError(f"{names[question]} must be positive, got {text!r}")
    return float(value), wanted + ("/month" if question == "monthly" else "")


def _needs(option: SizingOption, question: str, settings: CostSettings):
    """Per pool: (capacity per replica in requests/s, need per replica), or the reason the
    need is unknown."""
    pools = []
    for p in option.pools:
        if question == "capex":
            need = None if p.capex_per_chip is None else p.capex_per_chip * p.chips_per_replica
            why = f"no purchase price for {p.chip}; give one with --price {p.chip}=AMOUNT"
        elif question == "monthly":
            need = None if p.cost_per_hour is None else \
                p.cost_per_hour / p.replicas * HOURS_PER_MONTH
            why = (f"no price for {p.chip} (or, owned, no power); give one with --price "
                   f"{p.chip}=AMOUNT")
        else:
            need = None if p.kw is None else p.kw / p.replicas * settings.pue.value / 1e3
            why = f"no TDP or all-in power for {p.chip} in the catalog"
        if need is None:
            return why
        pools.append((p.capacity_requests_per_s / p.replicas, need))
    return pools


def _replicas(peak: float, capacity: float, spare: int) -> int:
    """⌈peak ÷ capacity⌉ + spare, with the tolerance of :meth:`Workload.replicas`."""
    return (math.ceil(peak / capacity * (1 - TOLERANCE)) if peak > 0 else 0) + spare


def _peak_within(budget: float, pools: list[tuple[float, float]], spare: int):
    """The largest peak requests/s P with Σ (⌈P ÷ capacityᵢ⌉ + spare) × needᵢ ≤ budget,
    and the replicas per pool at P (P = 0 when not even one replica per pool fits).

    The cost is a step function of P, constant on (k·capacityᵢ, (k+1)·capacityᵢ], so the
    largest P is a whole number of some pool's replicas: a bisection over that number, per
    pool. Replicas of 10 requests/s at 3 each within 7: two. A prefill pool of 4 requests/s
    at 1 and a decode pool of 10 at 3, within 10: 16 requests/s on 4 + 2 replicas (4 + 6):

    >>> _peak_within(7.0, [(10.0, 3.0)], 0)
    (20.0, [2])
    >>> _peak_within(10.0, [(4.0, 1.0), (10.0, 3.0)], 0)
    (16.0, [4, 2])
    """
    def cost(peak: float) -> float:
        return sum(_replicas(peak, c, spare) * need for c, need in pools)

    best = 0.0
    for capacity_, need in pools:
        low, high = 0, int(budget / need) + 1  # cost(high · capacity) > budget
        while high - low > 1:
            mid = (low + high) // 2
            if cost(mid * capacity_) <= budget * (1 + TOLERANCE):
                low = mid
            else:
                high = mid
        best = max(best, low * capacity_)
    return best, [_replicas(best, c, spare) if best > 0 else 0 for c, _ in pools]


def _budget(workload: Workload, question: str, limit: float, unit: str,
            settings: CostSettings, prices, catalog: Catalog) -> Capacity:
    w = workload
    lengths = w.input_tokens + w.output_tokens
    per_peak = w.peak_to_average * (1 + w.headroom)
    found: dict[tuple[str, bool], BudgetOption] = {}
    unknown: dict[str, str] = {}
    sizing: Sizing | None = None
    for nominal in NOMINAL_REQUESTS_PER_S:
        plain = Workload.of(**w.model_dump(exclude={"tokens_per_day"}) | dict(
            requests_per_s=nominal, peak_to_average=1.0, headroom=0.0, spare_replicas=0))
        sizing = size(plain, settings=settings, prices=prices, catalog=catalog)
        for option in sizing.options:
            key = (option.chip, option.disaggregated)
            pools = _needs(option, question, settings)
            if isinstance(pools, str):
                unknown.setdefault(option.chip, pools)
                continue
            peak, replicas = _peak_within(limit, pools, w.spare_replicas)
            per_replica = sum(need for _, need in pools)
            candidate = BudgetOption(
                chip=option.chip, layout=option.layout, precision=option.precision,
                disaggregated=option.disaggregated, replicas=sum(replicas),
                chips=sum(n * p.chips_per_replica for n, p in zip(replicas, option.pools)),
                requests_per_s=peak / per_peak,
                tokens_per_day=peak / per_peak * lengths * SECONDS_PER_DAY,
                ttft_ms=option.ttft_ms, tpot_ms=option.tpot_ms, binding=option.binding,
                per_replica=per_replica,
                used=sum(n * need for n, (_, need) in zip(replicas, pools)),
                sized_at_requests_per_s=nominal, estimated=option.estimated,
                note=None if peak > 0 else _too_small(per_replica, w.spare_replicas, unit))
            if key not in found or _better(candidate, found[key]):
                found[key] = candidate
    for chip in {k[0] for k in found}:
        unknown.pop(chip, None)
    options = sorted(_with_bands(list(found.values()), workload, question, limit, settings,
                                 prices, catalog),
                     key=lambda o: (-o.requests_per_s, o.per_replica))
    message = None
    if options and not any(o.replicas for o in options):
        message = _smallest(options, w.spare_replicas, unit)
    elif not options and sizing is not None and sizing.nearest_miss:
        message = sizing.nearest_miss
    return Capacity(question=question, limit=limit, unit=unit, target_kind=None,
                    workload=workload, settings=settings, options=options, unknown=unknown,
                    infeasible=sizing.infeasible if sizing else {}, message=message)


def _too_small(per_replica: float, spare: int, unit: str) -> str:
    spares = f" and {spare} spare" if spare else ""
    return (f"budget too small for one replica{spares} (needs "
            f"{_show(per_replica * (1 + spare), unit)})")


def _smallest(options: list[BudgetOption], spare: int, unit: str) -> str:
    o = min(options, key=lambda o: o.per_replica)
    spares = f" with {spare} spare" if spare else ""
    return (f"budget too small for one replica of any option: the smallest, {o.chip} "
            f"{o.layout} {o.precision}{spares}, needs {_show(o.per_replica * (1 + spare), unit)}")


def _better(a: BudgetOption, b: BudgetOption) -> bool:
    """More traffic; with none bought, the smaller replica (it is the one to aim for)."""
    if a.requests_per_s != b.requests_per_s:
        return a.requests_per_s > b.requests_per_s
    return a.per_replica < b.per_replica


def _show(value: float, unit: str) -> str:
    """An amount with its unit, four significant digits, thousands separated.

    >>> _show(1234567.8, "USD"), _show(0.03125, "MW")
    ('1,234,568 USD', '0.03125 MW')
    """
    return f"{value:,.0f} {unit}" if abs(value) >= 1000 else f"{value:.4g} {unit}"


def _target(workload: Workload, target: float, unit: str, kind: str, settings: CostSettings,
            prices, catalog: Catalog) -> Capacity:
    sizing = size(workload, settings=settings, prices=prices, catalog=catalog,
                  samples=TARGET_SAMPLES, seed=0)
    field = {"blended": "cost_per_million_tokens", "input": "cost_per_million_input_tokens",
             "output": "cost_per_million_output_tokens"}[kind]
    options = []
    for o in sizing.options:
        cost = getattr(o, field)
        options.append(TargetOption(
            chip=o.chip, layout=o.layout, precision=o.precision, chips=o.chips,
            replicas=o.replicas, cost_per_million_tokens=cost,
            meets_target=None if cost is None else cost <= target,
            margin=None if cost is None else 1 - cost / target,
            probability=_probability(o, cost, target), estimated=o.estimated))
    options.sort(key=lambda o: (o.cost_per_million_tokens is None,
                                o.cost_per_million_tokens or 0.0))
    message = sizing.nearest_miss
    priced = [o for o in options if o.cost_per_million_tokens is not None]
    if priced and not any(o.meets_target for o in priced):
        message = (f"no option meets {_show(target, unit)} ({kind}); the cheapest, "
                   f"{priced[0].chip} {priced[0].layout}, costs "
                   f"{_show(priced[0].cost_per_million_tokens, unit)}")
    unknown = {o.chip: "no price; give one with --price CHIP=AMOUNT" for o in options
               if o.cost_per_million_tokens is None}
    return Capacity(question="target", limit=target, unit=unit, target_kind=kind,
                    workload=workload, settings=settings, options=options, unknown=unknown,
                    infeasible=sizing.infeasible, message=message)


TARGET_SAMPLES = 1000
"""Monte Carlo samples behind a target's probability."""


def _probability(option: SizingOption, cost: float | None, target: float) -> float | None:
    samples = option.cost_samples
    if cost is None or samples is None or not option.cost_per_million_tokens:
        return None
    scaled = np.asarray(samples) * (cost / option.cost_per_million_tokens)
    scaled = scaled[np.isfinite(scaled)]
    return float(np.mean(scaled <= target)) if scaled.size else None


BUDGET_SAMPLES = 300
"""Monte Carlo samples behind a budget answer's band."""


def _with_bands(options: list[BudgetOption], workload: Workload, question: str, limit: float,
                settings: CostSettings, prices, catalog: Catalog) -> list[BudgetOption]:
    """Each option with the band of the traffic the budget sustains: per sample, each pool's
    capacity (spec ranges and model error) and need (sampled price or cost, or fixed power)
    go through :func:`_peak_within` again."""
    w = workload
    per_peak = w.peak_to_average * (1 + w.headroom)
    out = []
    for nominal in sorted({o.sized_at_requests_per_s for o in options}):
        plain = Workload.of(**w.model_dump(exclude={"tokens_per_day"}) | dict(
            requests_per_s=nominal, peak_to_average=1.0, headroom=0.0, spare_replicas=0))
        sized = {(o.chip, o.layout): o for o in size(
            plain, settings=settings, prices=prices, catalog=catalog,
            samples=BUDGET_SAMPLES, seed=0).options}
        for option in (o for o in options if o.sized_at_requests_per_s == nominal):
            banded = sized.get((option.chip, option.layout))
            if banded is None or banded.pool_samples is None:
                out.append(option)
                continue
            traffic = []
            for s in range(BUDGET_SAMPLES):
                pools = []
                for pool, drawn in zip(banded.pools, banded.pool_samples):
                    if question == "capex":
                        need = settings.to_currency(drawn["price_usd"][s]) \
                            * pool.chips_per_replica
                    elif question == "monthly":
                        need = settings.to_currency(drawn["hourly_usd"][s]) \
                            * pool.chips_per_replica * HOURS_PER_MONTH
                    else:
                        need = pool.kw / pool.replicas * settings.pue.value / 1e3
                    pools.append((float(drawn["capacity"][s]), float(need)))
                if all(np.isfinite(c) and c > 0 and np.isfinite(n) and n > 0 for c, n in pools):
                    traffic.append(_peak_within(limit, pools, w.spare_replicas)[0] / per_peak)
            out.append(option.model_copy(update={"requests_per_s_band": Band.of(traffic)}))
    return out
