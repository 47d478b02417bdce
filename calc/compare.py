"""Chips side by side: pick them by name, alias, vendor or filter; their figures in the units you
choose, each with its source; the roofline, price-performance and tokens/s-per-MW points behind
the app's charts.

>>> from specs.catalog import default_catalog
>>> [c.id for c in pick_chips(default_catalog(), "H100, H200")]
['nvidia-h100-sxm', 'nvidia-h200-sxm']
>>> side_by_side(pick_chips(default_catalog(), "H100"), {"memory": "GiB"}).loc["memory"].tolist()
['GiB', '74.51']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import numpy as np

from calc import inputs
from calc.errors import AccelcalcError
from calc.roofline import ridge_point
from calc.tables import CHIP_QUANTITIES, chip_rows, column_name
from specs.catalog import Catalog
from specs.schema import Chip, Sourced, slug

if TYPE_CHECKING:
    import pandas as pd

MAX_QUERY_CHARS = 500
"""A chip query longer than this is refused (a list of 60 names fits easily)."""
SEPARATORS = r"[,，、;；\n]+"
"""Terms of a query: separated by commas (also the full-width ， and 、) or semicolons."""

SOURCED: dict[str, Callable[[Chip], Sourced | None]] = {
    "bf16_dense": lambda c: c.bf16_dense, "fp8_dense": lambda c: c.fp8_dense,
    "fp4_dense": lambda c: c.fp4_dense, "int8_dense": lambda c: c.int8_dense,
    "memory": lambda c: c.memory_capacity, "memory_bandwidth": lambda c: c.memory_bandwidth,
    "scaleup_bandwidth": lambda c: c.scaleup and c.scaleup.bandwidth,
    "scaleup_domain": lambda c: c.scaleup and c.scaleup.domain_chips, "tdp": lambda c: c.tdp,
    "fp16_dense": lambda c: c.fp16_dense, "tf32_dense": lambda c: c.tf32_dense,
    "fp64_dense": lambda c: c.fp64_dense, "bf16_sparse": lambda c: c.bf16_sparse,
    "fp8_sparse": lambda c: c.fp8_sparse, "fp4_sparse": lambda c: c.fp4_sparse,
    "scaleout_bandwidth": lambda c: c.scaleout and c.scaleout.bandwidth,
    "scaleup_pod": lambda c: c.scaleup and (c.scaleup.pod_chips or c.scaleup.domain_chips),
}
"""The sourced record behind each quantity column of :data:`calc.tables.CHIP_QUANTITIES`."""
LINKS: dict[str, Callable[[Chip], object]] = {"scaleup_bandwidth": lambda c: c.scaleup,
                                              "scaleout_bandwidth": lambda c: c.scaleout}
"""Bandwidths are sourced as published, one way or both: their direction is said beside them."""


class ChipQueryError(AccelcalcError):
    """A term of a chip query matches no chip."""


def _names(chip: Chip) -> list[str]:
    return [slug(n) for n in (chip.id, chip.name, chip.vendor, *chip.aliases)]


def match_chips(catalog: Catalog, term: str) -> list[Chip]:
    """Chips one term names: the chip whose id or alias it is, else every chip whose id, name,
    vendor or an alias contains it ("昇腾" finds the Ascend chips, "AMD" AMD's)."""
    if term in catalog.chips:
        return [catalog.chip(term)]
    key = slug(term)
    return [c for c in catalog.chips if any(key in name for name in _names(c))]


def pick_chips(catalog: Catalog, query: str = "", *, vendors: Iterable[str] = (),
               statuses: Iterable[str] = (), buyable_in: str | None = None) -> list[Chip]:
    """Chips named by ``query`` (terms separated by commas; all chips when empty), kept when
    they pass every filter given, in the order named; raises :class:`ChipQueryError` naming
    the terms that match nothing."""
    from calc.sizing import buyable_in as can_buy

    if not isinstance(query, str) or len(query) > MAX_QUERY_CHARS:
        raise ChipQueryError(f"the chip query must be text of at most {MAX_QUERY_CHARS} "
                             f"characters, e.g. 'H100, H200, 昇腾'")
    terms = [t.strip() for t in re.split(SEPARATORS, query) if t.strip()]
    chips: list[Chip] = [] if terms else list(catalog.chips)
    unknown = []
    for term in terms:
        found = match_chips(catalog, term)
        unknown += [] if found else [term]
        chips += [c for c in found if c not in chips]
    if unknown:
        raise ChipQueryError(f"no chip matches {', '.join(map(repr, unknown))}; type part of a "
                             f"name, an alias or a vendor (e.g. 'H100', '昇腾', 'AMD')")
    vendors, statuses = set(vendors), set(statuses)
    return [c for c in chips if (not vendors or c.vendor in vendors)
            and (not statuses or c.status in statuses)
            and (buyable_in is None or can_buy(catalog, c, buyable_in))]


def format_number(value) -> str:
    """Four significant digits, thousands separated; empty for unknown.

    >>> format_number(1978.9), format_number(3.35), format_number(None)
    ('1,979', '3.35', '')
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"


def side_by_side(chips: list[Chip], units: dict[str, str] | None = None,
                 stems: Iterable[str] = tuple(CHIP_QUANTITIES)) -> pd.DataFrame:
    """One row per quantity (indexed by its column stem), a ``unit`` column, then one column per
    chip (its name) with the value as text; an estimate reads "~752", unknown is empty."""
    import pandas as pd

    rows = chip_rows(chips, units)
    units = units or {}
    table = {}
    for stem in stems:
        unit = units.get(stem, CHIP_QUANTITIES[stem][0])
        cells = {"unit": unit}
        for chip, row in zip(chips, rows):
            sourced = SOURCED[stem](chip)
            mark = "~" if sourced is not None and sourced.source.confidence == "estimate" else ""
            cells[f"{chip.vendor} {chip.name}"] = mark + format_number(
                row[column_name(stem, unit)])
        table[stem] = cells
    return pd.DataFrame.from_dict(table, orient="index")


def value_sources(chips: list[Chip], stems: Iterable[str] = tuple(CHIP_QUANTITIES)
                  ) -> pd.DataFrame:
    """Every known value of ``chips`` with its provenance: source, publication and retrieval
    dates, confidence, range (for estimates) and note; one row per chip and quantity."""
    import pandas as pd

    rows = []
    for chip in chips:
        for stem in stems:
            sourced = SOURCED[stem](chip)
            if sourced is None:
                continue
            s = sourced.source
            direction = f" ({LINKS[stem](chip).direction})" if stem in LINKS else ""
            rows.append({"chip": chip.id, "quantity": stem,
                         "value": _text(sourced.value) + direction,
                         "low": _text(sourced.low), "high": _text(sourced.high),
                         "confidence": s.confidence,
                         "published": s.published and s.published.isoformat(),
                         "retrieved": s.retrieved and s.retrieved.isoformat(),
                         "source": s.title or s.url, "url": s.url,
                         "note": sourced.note or s.note})
    return pd.DataFrame(rows, columns=["chip", "quantity", "value", "low", "high", "confidence",
                                       "published", "retrieved", "source", "url", "note"])


def _text(value) -> str | None:
    if value is None:
        return None
    return f"{value:~P}" if hasattr(value, "units") else str(value)


def roofline_frame(chips: list[Chip], precision: str = "bf16", points: int = 61
                   ) -> pd.DataFrame:
    """Attainable throughput = min(peak, bandwidth × intensity) for each chip with a peak at
    ``precision`` and a memory bandwidth, over intensities from 1 to 10,000 FLOP/byte; the
    row at each chip's ridge point (peak ÷ bandwidth, :func:`calc.roofline.ridge_point`) has
    ``ridge`` True. Scaling-book, "Rooflines"."""
    import pandas as pd

    rows = []
    for chip in chips:
        peak, bandwidth = chip.peak(precision), chip.memory_bandwidth
        if peak is None or bandwidth is None:
            continue
        tflops = float(peak.to("TFLOPS").magnitude)
        tb_s = float(bandwidth.value.to("TB/s").magnitude)
        ridge = float(ridge_point(chip, precision).to("FLOP/byte").magnitude)
        for x in sorted([*np.logspace(0, 4, points), ridge]):
            rows.append({"chip": f"{chip.vendor} {chip.name}", "flop_per_byte": float(x),
                         "tflops": min(tflops, tb_s * x), "ridge": x == ridge})
    return pd.DataFrame(rows, columns=["chip", "flop_per_byte", "tflops", "ridge"])


def price_performance(catalog: Catalog, chips: list[Chip], settings,
                      precision: str = "bf16") -> pd.DataFrame:
    """Per chip with a price in the book: dense TFLOPS at ``precision``, the price paid (owned:
    the purchase price with its adjustments; rented: the hourly rate) and the cost per chip-hour
    (owned: :func:`calc.chip_cost.cost_frame`'s TCO; rented: the rate), both in the settings'
    currency, and TFLOPS per unit of that hourly cost."""
    import pandas as pd

    from calc.chip_cost import cost_frame

    if precision not in ("bf16", "fp8", "fp4", "int8"):
        raise AccelcalcError(f"precision must be bf16, fp8, fp4 or int8, got {precision!r}")
    costs = cost_frame(catalog, chips, settings)
    per_hour = f"{settings.currency}_per_chip_hour"
    rows = []
    for chip, (_, cost) in zip(chips, costs.iterrows()):
        peak = chip.peak(precision)
        hourly = cost[per_hour] if per_hour in cost else None
        if peak is None or hourly is None or pd.isna(hourly):
            continue
        tflops = float(peak.to("TFLOPS").magnitude)
        rows.append({"chip": f"{chip.vendor} {chip.name}", "tflops": tflops,
                     "price": float(cost[f"price_{settings.currency}"]),
                     "cost_per_chip_hour": float(hourly), "tflops_per_cost": tflops / hourly,
                     "price_as_published": cost["price_as_published"]})
    return pd.DataFrame(rows, columns=["chip", "tflops", "price", "cost_per_chip_hour",
                                       "tflops_per_cost", "price_as_published"])


MW_SCENARIOS = ("offline", "server")
"""Scenarios of :func:`tokens_per_mw`: the most throughput memory allows, or the most within
latency limits (as :func:`calc.predict.predict` poses them)."""


def tokens_per_mw(catalog: Catalog, chips: list[Chip], model, *, precision: str = "fp8",
                  chips_per_system: int = 8, input_tokens: int = 1000, output_tokens: int = 1000,
                  scenario: str = "offline", ttft_limit_ms: float | None = None,
                  tpot_limit_ms: float | None = None, settings=None) -> pd.DataFrame:
    """Output tokens/s per MW of all-in power for each chip serving ``model`` on a system of
    ``chips_per_system`` chips, in the best layout of them (as :func:`calc.predict.predict`
    picks it, with the chip's platform profile)::

        tokens/s per MW = output tokens/s per chip ÷ (all-in kW per chip / 10³)

    (:func:`calc.cost.tokens_per_s_per_mw`), with the all-in power per chip that costs use
    (:func:`calc.chip_cost.all_in_kw`: chip with its share of host, network and cooling,
    before PUE). One engine evaluation covers every chip. A chip that cannot be predicted or
    has no power figure keeps an empty value and says why in ``missing``.

    >>> from specs.catalog import default_catalog
    >>> h100 = tokens_per_mw(default_catalog(), pick_chips(default_catalog(), "H100"),
    ...                      "llama-3.1-70b").iloc[0]
    >>> h100["layout"].startswith("tp"), float(h100["all_in_kw"])  # the layout the fit favours
    (True, 1.73)
    >>> per_chip = h100["output_tokens_per_s_per_chip"]  # about 2,000 tokens/s at 1.73 kW
    >>> round(float(h100["output_tokens_per_s_per_mw"] / (per_chip / 1.73e-3)), 9)
    1.0
    """
    import pandas as pd

    from calc import stacks
    from calc.chip_cost import all_in_kw
    from calc.cost import cost_settings, tokens_per_s_per_mw
    from calc.engine import LAYOUT, NDIM, along, evaluate
    from calc.hardware import hardware_table
    from calc.layouts import fixed_chip_layouts
    from calc.precision import PrecisionPlan
    from calc.predict import scenario_arguments

    model = inputs.as_model(catalog, model)
    plan = PrecisionPlan.of(precision)
    n = inputs.count("chips_per_system", chips_per_system, maximum=inputs.MAX_CHIPS)
    scenario = inputs.choice("scenario", scenario, MW_SCENARIOS)
    input_tokens = inputs.tokens("input_tokens", input_tokens, model)
    output_tokens = inputs.tokens("output_tokens", output_tokens, model)
    inputs.fits_context(model, input_tokens, output_tokens)
    ttft_limit_ms, tpot_limit_ms = (None if v is None else inputs.positive_ms(name, v)
                                    for name, v in (("TTFT limit", ttft_limit_ms),
                                                    ("TPOT limit", tpot_limit_ms)))
    settings = settings or cost_settings(catalog)
    columns = ["chip", "id", "output_tokens_per_s_per_mw", "missing", "layout",
               "output_tokens_per_s_per_chip", "all_in_kw", "estimated", "power_source"]
    if not chips:
        return pd.DataFrame(columns=columns)
    layouts = fixed_chip_layouts(model, n)
    evaluation = evaluate(
        model, hardware_table(chips, [plan]), layouts,
        stacks.efficiencies("unknown", [(c.vendor, c.architecture) for c in chips], NDIM),
        **scenario_arguments(scenario, input_tokens=input_tokens, output_tokens=output_tokens,
                             concurrency=None, context_tokens=None, ttft_limit_ms=ttft_limit_ms,
                             tpot_limit_ms=tpot_limit_ms, disaggregated=False,
                             max_replicas=int(layouts.replicas.max())))
    system = evaluation.output_per_s * along(layouts.replicas, LAYOUT)  # tokens/s of n chips
    rows = []
    for c, chip in enumerate(chips):
        this_chip = np.zeros(evaluation.shape, dtype=bool)
        this_chip[c] = True
        best = evaluation.best(system, this_chip)
        kw, power_source = all_in_kw(catalog, chip, settings)
        feasible = bool(evaluation.feasible[best])
        per_chip = float(np.broadcast_to(system, evaluation.shape)[best]) / n if feasible \
            else None
        missing = None if feasible else evaluation.explain(best)
        if missing is None and np.isnan(kw):
            missing = "no TDP or all-in power figure in the catalog; add one to its data file"
        rows.append({"chip": f"{chip.vendor} {chip.name}", "id": chip.id,
                     "layout": layouts.name(best[LAYOUT]) if feasible else None,
                     "output_tokens_per_s_per_chip": per_chip,
                     "all_in_kw": None if np.isnan(kw) else kw,
                     "output_tokens_per_s_per_mw": None if missing
                     else float(tokens_per_s_per_mw(per_chip, kw)),
                     "estimated": bool(evaluation.table.estimated[c, 0] or (
                         feasible and evaluation.on_assumed_scaleout()[c, 0, best[LAYOUT]].any())),
                     "power_source": power_source, "missing": missing})
    return pd.DataFrame(rows, columns=columns)
