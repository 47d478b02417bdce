"""Check the catalog's vendor and press claims ("60% of an H100", "a tenth of the cost") against
the model.

Every claim recorded in a chip or system file gets one :class:`ClaimCheck`: the workload the
model compares on, the claimed ratio, the model's ratio with a P10–P90 band, and a verdict.
How a claim is compared follows its ``kind`` (``specs.schema.ClaimKind``):

- **performance**: output tokens/s per chip, each chip predicted (:func:`calc.predict.predict`)
  offline on the same number of chips. Defaults where the claim states nothing: DeepSeek-V3,
  fp8 weights and activations (computed at bf16 where a chip has no fp8 units), 2,000 prompt
  and 500 answer tokens, on the smallest of 8, 16, 32 or 64 chips that both chips can serve
  (DeepSeek-V3 does not fit on 8 × 80 GB). A claim's own model, precisions, chip count and
  lengths replace the defaults.
- **cost**: blended $/Mtok of each chip's cheapest option (:func:`calc.sizing.size`), owned, in
  the US, for the default model and lengths at 10 requests/s with TTFT ≤ 3 s and TPOT ≤ 50 ms.
- **spec**: the ratio of one catalog figure (``Claim.spec``); a claim that gives an absolute
  figure (``Claim.value``) is compared as that figure over the baseline's.
- **density** and **software**: not comparable (the catalog has no die area; the model has no
  software-specific memory savings), so they cannot be checked and say why.

A system's claim is checked on the system's chip (and a system baseline on its chip); when
both sides are systems, the comparison is of whole systems: a spec figure is the system's own
(accelerator memory, power, scale-up domain) or its chip's × its chips, and a performance
ratio per chip is multiplied by the ratio of their chip counts. A claim without a ``kind``
cannot be checked, and its ``note`` says why.

>>> checks = {(c.chip, c.baseline, c.kind): c for c in check_claims()}
>>> c = checks["metax-c600", "metax-c500", "spec"]
>>> c.claimed_ratio, c.model_ratio, c.verdict          # 144 GB over the C500's 64 GB
(2.25, 2.25, 'consistent')
"""

from __future__ import annotations

import math
from datetime import date
from typing import Literal

import numpy as np

from pydantic import BaseModel, ConfigDict

from calc import stacks
from calc.errors import AccelcalcError
from specs.catalog import Catalog, default_catalog
from specs.schema import Chip, Claim, System
from specs.units import parse

DEFAULT_MODEL = "deepseek-v3"
DEFAULT_PRECISION = "fp8"
DEFAULT_LENGTHS = (2000, 500)
"""Prompt and answer tokens where a claim states none."""
CHIP_COUNTS = (8, 16, 32, 64)
SAMPLES = 500
"""Monte Carlo samples per prediction behind a performance claim's band."""
"""Chips of each kind tried, smallest first, where a claim states no count."""
COST_SERVICE = dict(requests_per_s=10.0, ttft_ms=3000.0, tpot_ms=50.0)
"""Traffic and service levels of a cost comparison (the README's worked example)."""
ROUNDING = 0.05
"""Relative slack for a claim's rounding ("2.4x", "60%") before it counts as outside the band."""
Verdict = Literal["consistent", "optimistic", "pessimistic", "cannot check"]
SPEC_LABELS = {
    "memory_capacity": "memory capacity", "memory_bandwidth": "memory bandwidth",
    "bf16_dense": "dense bf16 throughput", "fp8_dense": "dense fp8 throughput",
    "fp4_dense": "dense fp4 throughput", "int8_dense": "dense int8 throughput",
    "tdp": "TDP", "scaleup_bandwidth": "scale-up bandwidth",
    "pod_chips": "scale-up pod size (chips)"}
LOWER_IS_BETTER = {"tdp"}
"""Spec figures where a smaller ratio flatters the chip (as a lower cost does)."""


class ClaimCheck(BaseModel):
    """One claim, the model's view of it, and the verdict."""

    model_config = ConfigDict(frozen=True)
    chip: str
    """Id of the chip or system the claim is about."""
    baseline: str | None
    kind: str | None
    claim: str
    source: str
    """URL of the source (or the document's title where it has none)."""
    published: date | None
    confidence: str
    workload: str | None
    """What the model compares: model, precisions, chips, lengths, scenario, metric."""
    claimed_ratio: float | None
    model_ratio: float | None
    p10: float | None
    """Low end of the model's band (see :func:`ratio_band`)."""
    p90: float | None
    verdict: Verdict
    reason: str | None
    """Why the claim cannot be checked, naming the missing figure; or a caveat."""
    notes: list[str]


def model_error(metric: str) -> float:
    """The model's relative error for ``metric``: the grouped cross-validated MAPE of the
    global profile in ``calc/stack_profiles.yaml`` for predicted metrics ("throughput",
    "cost"; the file records no per-metric figure, so the overall one stands in), 0 for a
    "spec" ratio of two catalog figures."""
    if metric == "spec":
        return 0.0
    return stacks.load()["profiles"]["global"]["cv_mape_percent"] / 100


def ratio_band(ratio: float, metric: str, spread: tuple[float, float] = (1.0, 1.0),
               error: float | None = None) -> tuple[float, float]:
    """P10–P90 band of a cost or spec ratio (performance claims use :func:`performance_band`,
    the Monte Carlo samples of both predictions)::

        low  = ratio × spread_low  × (1 − e) / (1 + e)
        high = ratio × spread_high × (1 + e) / (1 − e)

    ``e`` is :func:`model_error` of the metric (or ``error``): each of the two predictions may
    be off by the cross-validated MAPE, in opposite directions. If both errors were normal and
    independent with mean absolute error e, the P10–P90 of their ratio would be about
    ×[0.55, 1.85] at e = 0.27, close to this band's ×[0.57, 1.76]. ``spread`` widens it by the
    figures' published low/high ranges (low/high of the ratio ÷ the ratio).

    >>> ratio_band(2.0, "spec")
    (2.0, 2.0)
    >>> [round(x, 3) for x in ratio_band(1.0, "throughput", error=0.25)]
    [0.6, 1.667]
    """
    e = model_error(metric) if error is None else error
    if not 0 <= e < 1:
        raise AccelcalcError(f"model error must be in [0, 1), got {e}")
    return ratio * spread[0] * (1 - e) / (1 + e), ratio * spread[1] * (1 + e) / (1 - e)


def performance_band(a, b) -> tuple[float, float]:
    """P10–P90 of the ratio of two predictions' output tokens/s per chip, from their Monte
    Carlo samples (:mod:`calc.uncertainty`: spec ranges and the model's cross-validated error,
    drawn independently for the two chips)."""
    ratio = (a.samples["output_tokens_per_s"] / a.chips) / (b.samples["output_tokens_per_s"]
                                                             / b.chips)
    ratio = ratio[np.isfinite(ratio)]
    if not ratio.size:
        return math.nan, math.nan
    low, high = np.percentile(ratio, (10, 90))
    return float(low), float(high)


def verdict(claimed: float, band: tuple[float, float], lower_is_better: bool = False) -> Verdict:
    """consistent when ``claimed`` lies in the band (with :data:`ROUNDING` slack); otherwise
    optimistic when the claim flatters the chip (above the band, or below it when lower is
    better: cost, power), pessimistic when it undersells it.

    >>> verdict(0.6, (0.46, 1.42)), verdict(2.0, (1.0, 1.5)), verdict(0.1, (0.3, 0.9), True)
    ('consistent', 'optimistic', 'optimistic')
    """
    low, high = band
    if low * (1 - ROUNDING) <= claimed <= high * (1 + ROUNDING):
        return "consistent"
    above = claimed > high
    return "optimistic" if above != lower_is_better else "pessimistic"


def check_claims(catalog: Catalog | None = None) -> list[ClaimCheck]:
    """Every claim of every chip and system in the catalog, checked, in catalog order."""
    catalog = catalog or default_catalog()
    return [check(record, claim, catalog)
            for record in [*catalog.chips, *catalog.systems] for claim in record.claims]


def check(record: Chip | System, claim: Claim, catalog: Catalog) -> ClaimCheck:
    """One claim of ``record`` checked against the model (see the module docstring)."""
    row = dict(chip=record.id, baseline=claim.baseline, kind=claim.kind, claim=claim.text,
               source=claim.source.url, published=claim.source.as_of,
               confidence=claim.source.confidence, workload=None, claimed_ratio=claim.ratio,
               model_ratio=None, p10=None, p90=None, notes=[])
    found = _compare(record, claim, catalog)
    if isinstance(found, str):
        return ClaimCheck(**row, verdict="cannot check", reason=found)
    row |= found
    band = (row["p10"], row["p90"])
    lower = claim.kind == "cost" or claim.spec in LOWER_IS_BETTER
    return ClaimCheck(**row, verdict=verdict(row["claimed_ratio"], band, lower), reason=None)


def _compare(record, claim: Claim, catalog: Catalog) -> dict | str:
    """The model's side of a claim, or why there is none."""
    if claim.kind is None:
        return claim.note or ("no kind recorded (performance, cost, spec, ...), so nothing to "
                              f"compare; the claim compares: {claim.metric or 'unstated'}")
    if claim.kind == "density":
        return ("compute density needs die area, which the catalog does not record"
                + _missing_compute(_chip_of(record, catalog)))
    if claim.kind == "software":
        return ("a serving-software technique the model does not represent: its KV cache and "
                "weights follow from the model's architecture and precision alone")
    if claim.baseline is None:
        figure = f" ({claim.value})" if claim.value else ""
        own = ""
        if claim.kind == "spec":
            mine = _figure(_chip_of(record, catalog), claim.spec)
            own = "" if mine is None else f"; the catalog's {SPEC_LABELS[claim.spec]} of " \
                f"{_show(mine[0])} rests on this claim or its like"
        return f"names no baseline, only an absolute figure{figure}{own}"
    theirs = catalog_record(catalog, claim.baseline)
    chip, base = _chip_of(record, catalog), _chip_of(theirs, catalog)
    systems = (record, theirs) if isinstance(record, System) and isinstance(theirs, System) \
        else None
    if claim.kind == "spec":
        if systems:
            found = _spec(*((s.id, _system_figure(s, c, claim.spec))
                            for s, c in zip(systems, (chip, base))), claim, "power")
            return found if isinstance(found, str) else \
                found | dict(workload=found["workload"].replace(": ", " per system: ", 1))
        return _spec((chip.id, _figure(chip, claim.spec)), (base.id, _figure(base, claim.spec)),
                     claim)
    if claim.ratio is None:
        return "states no ratio"
    if claim.kind == "performance":
        found = _performance(chip, base, claim)
        return found if isinstance(found, str) or not systems else _per_system(found, *systems)
    return _cost(chip, base, claim, catalog)


def catalog_record(catalog: Catalog, name: str) -> Chip | System:
    """The chip or system a claim's baseline names."""
    return catalog.chip(name) if name in catalog.chips else catalog.system(name)


def _chip_of(record, catalog: Catalog) -> Chip:
    return catalog.chip(record.chip) if isinstance(record, System) else record


def _missing_compute(chip: Chip) -> str:
    if any(chip.peak(p) is not None for p in ("fp4", "fp8", "bf16")):
        return ""
    return f"; {chip.id} also has no published dense throughput at any precision"


def _figure(chip: Chip, spec: str) -> tuple | None:
    """(value, low, high) of a chip figure, or None when unpublished."""
    if spec == "pod_chips":
        link = chip.scaleup
        sourced = link and (link.pod_chips or link.domain_chips)
    elif spec == "scaleup_bandwidth":
        sourced = chip.scaleup and chip.scaleup.bandwidth
    else:
        sourced = getattr(chip, spec)
    if not sourced:
        return None
    factor = 2 if spec == "scaleup_bandwidth" and chip.scaleup.direction == "per-direction" \
        else 1
    value = sourced.value
    return tuple(factor * (value if v is None else v) for v in (value, sourced.low, sourced.high))


def _system_figure(system: System, chip: Chip, spec: str) -> tuple | None:
    """(value, low, high) of a whole system's figure: its own accelerator memory, power or
    chip count (the reach of its scale-up fabric) where recorded, else its chip's figure × its
    chips (a system's power is more than its chips' TDP, so it is never derived from them)."""
    own = {"memory_capacity": system.memory_capacity, "tdp": system.power,
           "pod_chips": system.chips}.get(spec)
    if own is not None or spec == "tdp":
        return own and tuple(own.value if v is None else v for v in (own.value, own.low,
                                                                     own.high))
    per_chip = _figure(chip, spec)
    if spec == "scaleup_bandwidth" and system.scaleup_bandwidth \
            and system.scaleup_bandwidth.bandwidth:
        per_chip = _figure(chip.model_copy(update={"scaleup": system.scaleup_bandwidth}), spec)
    return per_chip and tuple(_large(system.chips.value * v) for v in per_chip)


SYSTEM_UNITS = ("PFLOPS", "PB/s", "TB/s", "PB", "TB", "MW", "kW")
"""Units of whole-system figures, largest first (a system's 288,768 TFLOPS reads 288.8 PFLOPS)."""


def _large(value):
    """``value`` in the largest of :data:`SYSTEM_UNITS` of its dimension that keeps it ≥ 1."""
    if not hasattr(value, "units"):
        return value
    for unit in SYSTEM_UNITS:
        if value.is_compatible_with(unit) and value.to(unit).magnitude >= 1:
            return value.to(unit)
    return value


def _per_system(found: dict, mine: System, theirs: System) -> dict:
    """A per-chip performance comparison scaled to whole systems (× their chip counts)."""
    scale = mine.chips.value / theirs.chips.value
    if scale == 1:
        return found
    return found | dict(model_ratio=found["model_ratio"] * scale, p10=found["p10"] * scale,
                        p90=found["p90"] * scale, workload=f"{found['workload']}; × "
                        f"{mine.chips.value}/{theirs.chips.value} chips per system")


def _ratio(a, b) -> float:
    r = a / b
    return float(r.to("dimensionless").magnitude) if hasattr(r, "to") else float(r)


def _show(value) -> str:
    return f"{value:.4g~P}" if hasattr(value, "units") else f"{value:g}"


def _spec(mine: tuple[str, tuple | None], theirs: tuple[str, tuple | None], claim: Claim,
          tdp_label: str = "TDP") -> dict | str:
    """A spec claim from the (id, (value, low, high)) figure of each side."""
    label = tdp_label if claim.spec == "tdp" else SPEC_LABELS[claim.spec]
    if claim.ratio is None and claim.value is None:
        return "states no ratio and no figure"
    for name, figure in (mine, theirs):
        if figure is None:
            return f"{name} has no published {label}"
    (a, a_low, a_high), (b, b_low, b_high) = mine[1], theirs[1]
    ratio = _ratio(a, b)
    claimed = claim.ratio
    notes = []
    if claimed is None:
        stated = int(claim.value) if claim.spec == "pod_chips" else parse(claim.value)
        claimed = _ratio(stated, b)
        notes.append(f"claimed ratio = the claim's {claim.value} ÷ {theirs[0]}'s {_show(b)}")
    spread = (_ratio(a_low, b_high) / ratio, _ratio(a_high, b_low) / ratio)
    low, high = ratio_band(ratio, "spec", spread)
    return dict(workload=f"{label}: {_show(a)} ÷ {_show(b)}", claimed_ratio=claimed,
                model_ratio=ratio, p10=low, p90=high, notes=notes)


def _lengths(claim: Claim) -> tuple[int, int]:
    return claim.input_tokens or DEFAULT_LENGTHS[0], claim.output_tokens or DEFAULT_LENGTHS[1]


def _precisions(claim: Claim) -> tuple[str, str]:
    mine = claim.precision or DEFAULT_PRECISION
    return mine, claim.baseline_precision or mine


def _performance(chip: Chip, base: Chip, claim: Claim) -> dict | str:
    from calc.predict import predict

    model = claim.model or DEFAULT_MODEL
    (mine, theirs), (inp, out) = _precisions(claim), _lengths(claim)
    misses = []
    for n in (claim.chips,) if claim.chips else CHIP_COUNTS:
        try:
            a, b = (predict(model, c, n, precision=p, input_tokens=inp, output_tokens=out,
                            scenario="offline", samples=SAMPLES, seed=seed)
                    for seed, (c, p) in enumerate(((chip, mine), (base, theirs))))
        except AccelcalcError as err:
            misses.append(f"at {n} chips each: {' '.join(str(err).split())}")
            continue
        ratio = a.output_tokens_per_s_per_chip / b.output_tokens_per_s_per_chip
        low, high = performance_band(a, b)
        precision = mine if mine == theirs else f"{mine} vs {theirs}"
        chips = f"{n} chip{'s' if n > 1 else ''} each"
        workload = (f"{model} {precision}, {chips}, {inp}/{out} tokens, offline, output "
                    f"tokens/s per chip ({a.layout} vs {b.layout})")
        notes = [f"{p.chip}: {note}" for p in (a, b) for note in p.notes]
        return dict(workload=workload, model_ratio=ratio, p10=low, p90=high, notes=notes)
    return "; ".join(dict.fromkeys([misses[-1], misses[0]]))  # the largest and smallest count


def _cost(chip: Chip, base: Chip, claim: Claim, catalog: Catalog) -> dict | str:
    from calc.sizing import size
    from calc.workload import Workload

    for c in (chip, base):
        if not catalog.prices_for(c.id):
            return f"{c.id} has no price (add specs/prices/{c.id}.yaml)"
    model = claim.model or DEFAULT_MODEL
    (mine, theirs), (inp, out) = _precisions(claim), _lengths(claim)
    workload = Workload.of(model=model, input_tokens=inp, output_tokens=out,
                           precisions=tuple(dict.fromkeys((mine, theirs))),
                           status=("shipping", "sampling", "announced", "roadmap"),
                           chips=(chip.id, base.id), disaggregated=False, **COST_SERVICE)
    sizing = size(workload, catalog=catalog)
    costs = {o.chip: o for o in sizing.options}
    for c in (chip, base):
        if c.id not in costs:
            return f"{c.id}: {sizing.infeasible.get(c.id) or 'no option'}"
        if costs[c.id].cost_per_million_tokens is None:
            return f"{c.id} has no usable price"
    a, b = costs[chip.id], costs[base.id]
    ratio = a.cost_per_million_tokens / b.cost_per_million_tokens
    low, high = ratio_band(ratio, "cost")
    service = ", ".join(f"{k} {v:g}" for k, v in COST_SERVICE.items())
    return dict(workload=f"{model} {'/'.join(workload.precisions)}, {inp}/{out} tokens, "
                         f"{service}, owned in the US, blended {a.currency}/Mtok "
                         f"({a.chips} × {chip.id} vs {b.chips} × {base.id})",
                model_ratio=ratio, p10=low, p90=high, notes=[*a.notes, *b.notes])


CLAIM_FRAME_COLUMNS = ["chip", "vendor", "baseline", "kind", "claim", "claimed_ratio",
                       "model_ratio", "p10", "p90", "verdict", "workload", "reason", "source",
                       "published", "confidence"]


def claims_frame(checks: list[ClaimCheck], catalog: Catalog | None = None):
    """The checks as a table, one row per claim, with the vendor of each claim's chip (a
    system's vendor is its chip's); ratios are dimensionless (chip ÷ baseline).

    >>> frame = claims_frame(check_claims())
    >>> row = frame[frame["baseline"] == "metax-c500"].iloc[0]
    >>> row["vendor"], float(row["claimed_ratio"]), row["verdict"]
    ('MetaX', 2.25, 'consistent')
    """
    import pandas as pd

    catalog = catalog or default_catalog()
    rows = []
    for c in checks:
        record = catalog_record(catalog, c.chip)
        rows.append(c.model_dump(include=set(CLAIM_FRAME_COLUMNS))
                    | {"vendor": _chip_of(record, catalog).vendor})
    return pd.DataFrame(rows, columns=CLAIM_FRAME_COLUMNS)
