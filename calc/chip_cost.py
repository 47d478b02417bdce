"""What one chip costs per hour in a buyer's situation: the price picked from the book, its
all-in power, and the owned or rented cost per chip-hour by component (:mod:`calc.cost`)."""

from __future__ import annotations

import math
from datetime import date

import numpy as np

from calc.cost import CostSettings, owned_cost_per_hour
from calc.hardware import HardwareTable
from calc.prices import ChipPrice, pick_price
from calc.serving import ServingError
from specs.catalog import Catalog
from specs.schema import Chip

DEFAULT_CHIPS_PER_SERVER = 8
"""Chips per server where the catalog has no system built from the chip: the common
8-accelerator server (HGX, OAM UBB, Atlas 800)."""


def all_in_kw(catalog: Catalog, chip: Chip, settings: CostSettings) -> tuple[float, str]:
    """All-in kW per chip (chip with its share of host, network and cooling, before PUE) and
    where it comes from: the assumptions' figure for the chip, else a catalog system's power ÷
    its chips, else TDP × the all-in factor; NaN when none is known."""
    known = catalog.assumptions.all_in_power.get(chip.id)
    if known is not None:
        return float(known.value.to("kW").magnitude), f"all-in figure ({known.source.url})"
    systems = [s for s in catalog.systems if s.chip == chip.id and s.power is not None]
    if systems:
        system = min(systems, key=lambda s: s.chips.value)
        kw = float(system.power.value.to("kW").magnitude) / system.chips.value
        return kw, f"{system.name} power ÷ {system.chips.value} chips"
    if chip.tdp is None:
        return math.nan, "unknown (no TDP)"
    factor = settings.all_in_power_factor.value
    return (float(chip.tdp.value.to("kW").magnitude) * factor,
            f"TDP × {factor:g} (all-in factor, estimate)")


def chips_per_server(catalog: Catalog, chip: Chip) -> int:
    """Chips in the smallest catalog system built from ``chip``, else 8."""
    sizes = [s.chips.value for s in catalog.systems if s.chip == chip.id]
    return int(min(sizes)) if sizes else DEFAULT_CHIPS_PER_SERVER


class ChipCosts:
    """Per chip of a hardware table: the price used, all-in power, chips per server and the
    cost per chip-hour by component (USD)."""

    def __init__(self, catalog: Catalog, table: HardwareTable, settings: CostSettings,
                 overrides: dict[str, str], today: date | None):
        self.catalog, self.table, self.settings = catalog, table, settings
        self.overrides, self.today = overrides, today
        self.prices: list[ChipPrice | None] = [
            pick_price(catalog, chip, settings, overrides.get(chip.id), today)
            for chip in table.chips]
        power = [all_in_kw(catalog, chip, settings) for chip in table.chips]
        self.kw = np.array([kw for kw, _ in power])
        self.power_source = [source for _, source in power]
        self.per_server = [chips_per_server(catalog, chip) for chip in table.chips]
        self.breakdown = [self._hourly(price, kw) for price, kw in zip(self.prices, self.kw)]

    def _hourly(self, price: ChipPrice | None, kw: float) -> dict[str, float] | None:
        """USD per chip-hour by component; None without a price or (when owned) a power."""
        s = self.settings
        if price is None:
            return None
        if price.kind == "rental":
            return {"rental": price.usd}
        if np.isnan(kw):
            return None
        parts = owned_cost_per_hour(price.usd, years=s.years.value,
                                    cost_of_capital=s.cost_of_capital.value,
                                    residual_value=s.residual_value.value,
                                    hosting_per_year=s.hosting_per_year.value, all_in_kw=kw,
                                    pue=s.pue.value,
                                    electricity_per_kwh=s.electricity_per_kwh.value)
        return {k: float(v) for k, v in parts.items()}

    def hourly_samples(self, c: int, price_usd: np.ndarray) -> np.ndarray:
        """Cost per chip-hour (USD) of chip ``c`` for sampled prices (capex per chip when owned,
        the rate when rented); NaN where the owned cost needs an unknown power."""
        s, price = self.settings, self.prices[c]
        if price.kind == "rental":
            return price_usd
        parts = owned_cost_per_hour(price_usd, years=s.years.value,
                                    cost_of_capital=s.cost_of_capital.value,
                                    residual_value=s.residual_value.value,
                                    hosting_per_year=s.hosting_per_year.value,
                                    all_in_kw=self.kw[c], pue=s.pue.value,
                                    electricity_per_kwh=s.electricity_per_kwh.value)
        return sum(parts.values())

    def hourly(self, c: int) -> float | None:
        parts = self.breakdown[c]
        return None if parts is None else sum(parts.values())


def cost_frame(catalog: Catalog, chips: list[Chip], settings: CostSettings,
               prices: dict[str, str] | None = None, tokens_per_s_per_chip: float | None = None,
               today: date | None = None):
    """One row per chip: the price used and its adjustments, all-in power, and the cost per
    chip-hour by component in the settings' currency; with ``tokens_per_s_per_chip``, also the
    cost per million tokens at that throughput."""
    import pandas as pd

    from calc.cost import cost_per_million_tokens
    from calc.hardware import hardware_table

    if tokens_per_s_per_chip is not None and not 0 < tokens_per_s_per_chip < 1e9:
        raise ServingError(f"tokens per second per chip must be positive, got "
                           f"{tokens_per_s_per_chip}")
    overrides = {catalog.chip(k).id: v for k, v in (prices or {}).items()}
    costs = ChipCosts(catalog, hardware_table(chips, []), settings, overrides, today)
    c = settings.currency
    rows = []
    for i, chip in enumerate(chips):
        price, parts = costs.prices[i], costs.breakdown[i] or {}
        hourly = costs.hourly(i)
        row = {"chip": chip.id, "price_kind": None if price is None else price.kind,
               f"price_{c}": None if price is None else settings.to_currency(price.usd),
               "price_as_published": None if price is None else price.description,
               "adjustments": None if price is None else "; ".join(price.adjustments),
               "all_in_kw": None if np.isnan(costs.kw[i]) else costs.kw[i],
               "power_source": costs.power_source[i]}
        row |= {f"{name}_{c}_per_hour": settings.to_currency(v) for name, v in parts.items()}
        row[f"{c}_per_chip_hour"] = None if hourly is None else settings.to_currency(hourly)
        if tokens_per_s_per_chip is not None:
            row[f"{c}_per_Mtok"] = None if hourly is None else float(
                cost_per_million_tokens(settings.to_currency(hourly), tokens_per_s_per_chip))
        row["price_url"] = None if price is None else price.url
        rows.append(row)
    return pd.DataFrame(rows)
