"""The numbers behind one sizing option, for a "show the math" view: each equation of
:mod:`calc.sizing` and :mod:`calc.cost` with the values that went into it.

    replicas = ⌈peak requests/s ÷ capacity per replica⌉ + spare        (per pool)
    $/Mtok   = cost per hour ÷ tokens per hour × 10⁶
    input cost per hour = cost per hour × prefill share                (one shared pool)
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from calc.sizing import SizingOption
from calc.workload import Workload


class PoolMath(BaseModel):
    """replicas = ⌈peak ÷ capacity per replica⌉ + spare; chips = replicas × chips per replica."""

    model_config = ConfigDict(frozen=True)
    role: str
    chip: str
    layout: str
    peak_requests_per_s: float
    capacity_per_replica: float
    """Requests/s one replica sustains within the service levels."""
    spare: int
    replicas: int
    chips_per_replica: int
    chips: int
    cost_per_hour: float | None


class OptionMath(BaseModel):
    """The option's pools, then its cost per token and how the cost is split."""

    model_config = ConfigDict(frozen=True)
    currency: str
    average_requests_per_s: float
    peak_to_average: float
    headroom: float
    pools: list[PoolMath]
    cost_per_hour: float | None
    tokens_per_hour: float
    """Prompt and answer tokens per hour at the average traffic."""
    cost_per_million_tokens: float | None
    prefill_share: float | None
    input_cost_per_hour: float | None
    output_cost_per_hour: float | None
    input_tokens_per_hour: float
    output_tokens_per_hour: float
    cost_per_million_input_tokens: float | None
    cost_per_million_output_tokens: float | None


def option_math(option: SizingOption, workload: Workload) -> OptionMath:
    """The values of each sizing and cost equation for ``option`` under ``workload``.

    Input and output costs per hour are the option's costs per Mtok times the tokens per hour
    (÷ 10⁶): the same split :func:`calc.sizing.size` made by the time each phase takes.
    """
    rate = workload.average_requests_per_s
    input_per_hour = rate * workload.input_tokens * 3600
    output_per_hour = rate * workload.output_tokens * 3600

    def per_hour(per_mtok: float | None, tokens_per_hour: float) -> float | None:
        return None if per_mtok is None else per_mtok * tokens_per_hour / 1e6

    pools = [PoolMath(role=p.role, chip=p.chip, layout=p.layout,
                      peak_requests_per_s=workload.peak_requests_per_s,
                      capacity_per_replica=p.capacity_requests_per_s / p.replicas,
                      spare=workload.spare_replicas, replicas=p.replicas,
                      chips_per_replica=p.chips_per_replica, chips=p.chips,
                      cost_per_hour=p.cost_per_hour) for p in option.pools]
    return OptionMath(
        currency=option.currency, average_requests_per_s=rate,
        peak_to_average=workload.peak_to_average, headroom=workload.headroom, pools=pools,
        cost_per_hour=option.cost_per_hour, tokens_per_hour=input_per_hour + output_per_hour,
        cost_per_million_tokens=option.cost_per_million_tokens,
        prefill_share=option.prefill_share,
        input_cost_per_hour=per_hour(option.cost_per_million_input_tokens, input_per_hour),
        output_cost_per_hour=per_hour(option.cost_per_million_output_tokens, output_per_hour),
        input_tokens_per_hour=input_per_hour, output_tokens_per_hour=output_per_hour,
        cost_per_million_input_tokens=option.cost_per_million_input_tokens,
        cost_per_million_output_tokens=option.cost_per_million_output_tokens)


def option_frame(sizing):
    """The ranked options as a DataFrame of numbers for a table or a CSV: rank, chip, layout,
    latency, throughput, binding resource, power and costs (in the ``currency`` column), with the
    P10/P90 of the blended cost and the chance of meeting the limits when bands were asked for.
    """
    import pandas as pd

    rows = []
    for rank, o in enumerate(sizing.options, start=1):
        band = (o.bands or {}).get("cost_per_million_tokens")
        rows.append({
            "rank": rank, "chip": o.chip, "disaggregated": o.disaggregated, "chips": o.chips,
            "layout": o.layout, "precision": o.precision, "replicas": o.replicas,
            "servers": o.servers, "ttft_ms": o.ttft_ms, "tpot_ms": o.tpot_ms,
            "tokens_per_s_per_user": o.tokens_per_s_per_user,
            "output_tokens_per_s_per_chip": o.output_tokens_per_s_per_chip,
            "binding": o.binding, "utilisation_pct": o.utilisation * 100, "kw": o.kw,
            "cost_per_million_input_tokens": o.cost_per_million_input_tokens,
            "cost_per_million_output_tokens": o.cost_per_million_output_tokens,
            "cost_per_million_tokens": o.cost_per_million_tokens,
            "cost_p10": None if band is None else band.p10,
            "cost_p90": None if band is None else band.p90,
            "probability_meets_limits_pct": None if o.probability_meets_limits is None
            else o.probability_meets_limits * 100,
            "cost_per_month": o.cost_per_month, "currency": o.currency,
            "estimated": o.estimated})
    return pd.DataFrame(rows)
