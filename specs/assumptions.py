"""Default cost assumptions (``specs/assumptions.yaml``): every one sourced, every one overridable.

The cost model reads these defaults and lets the caller replace any of them; nothing here is a
formula. Fractions are shares between 0 and 1 (0.13 for 13%).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from specs.quantity import Bandwidth, EnergyPrice, Power
from specs.schema import Fraction, Record, Sourced, SourcedDocument

PUE = Annotated[float, Field(ge=1)]
Years = Annotated[float, Field(gt=0)]
Ratio = Annotated[float, Field(gt=0)]


class Region(Record):
    """What running and buying hardware costs in one market (US, China)."""

    electricity_price: Sourced[EnergyPrice]
    """Price of electricity for a data centre, per kWh ("0.083 USD/kWh", "0.4 CNY/kWh")."""
    pue: Sourced[PUE]
    """Power usage effectiveness: facility power ÷ IT power (≥ 1)."""
    vat: Sourced[Fraction]
    """Value-added or sales tax on hardware bought in this market, as a fraction."""
    import_tariff: Sourced[Fraction]
    """Import duty on accelerators and servers brought into this market, as a fraction."""


class Assumptions(SourcedDocument):
    """Defaults of the cost model, by region and by chip, each with its source."""

    regions: dict[str, Region]
    """Markets by name; at least US and China."""
    amortisation_years: Sourced[Years]
    """Years over which owned hardware is paid off (its economic life)."""
    cost_of_capital: Sourced[Fraction]
    """Annual rate at which capital is charged (WACC), as a fraction per year."""
    residual_value: Sourced[Fraction]
    """Resale value at the end of the amortisation period, as a fraction of capex."""
    hosting_maintenance_per_year: Sourced[Fraction]
    """Data-centre space, maintenance and support per year, as a fraction of capex."""
    server_network_share: Sourced[Ratio]
    """Extra capex for the server and network, as a multiple of a chip-only price (a price that
    covers only the chip is multiplied by 1 + this)."""
    network_share: Sourced[Ratio] | None = None
    """Extra capex for the network, as a multiple of a price that covers chip and server but not
    the network; null where no source supports a figure."""
    scaleout_bandwidth: Sourced[Bandwidth] | None = None
    """Scale-out (inter-server network) bandwidth per accelerator, one direction, assumed for a
    chip that publishes none (``calc.hardware``); null to assume nothing, and then layouts that
    leave such a chip's scale-up domain stay infeasible."""
    all_in_power: dict[str, Sourced[Power]] = Field(default_factory=dict)
    """Power per chip including its share of host, network and cooling fans, before PUE, by
    catalog chip id."""
    all_in_power_factor: Sourced[Ratio]
    """All-in power ÷ TDP: the default for chips without their own ``all_in_power``."""
    vendor_home: dict[str, Sourced[str]] = Field(default_factory=dict)
    """Vendor (as written in chip files) → the region where it sells as a domestic supplier: a
    chip of a vendor at home in a region can be bought there without an import record."""

    @model_validator(mode="after")
    def _has_us_and_china(self):
        missing = [r for r in ("US", "China") if r not in self.regions]
        if missing:
            raise ValueError(f"regions must include {' and '.join(missing)}; add them under "
                             f"'regions:'")
        unknown = sorted({r.value for r in self.vendor_home.values()
                          if r.value not in self.regions})
        if unknown:
            raise ValueError(f"vendor_home names region {', '.join(unknown)}, which is not under "
                             f"'regions:'")
        return self
