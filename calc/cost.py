"""What an accelerator costs per hour, owned or rented, and what a token costs on it.

Owned (total cost of ownership per chip-hour; inferecon "LCOI" assumptions; SemiAnalysis
InferenceX TCO calculator)::

    CRF      = r (1 + r)ⁿ / ((1 + r)ⁿ − 1)                 capital recovery factor, n years at r
    capital  = (capex − residual · capex / (1 + r)ⁿ) · CRF / 8766 h
    hosting  = capex · hosting share per year / 8766 h
    power    = all-in kW · PUE · electricity price         drawn whether busy or idle

Rented: the rental rate per chip-hour. Tokens::

    $/Mtok = $ per hour ÷ (tokens per hour / 10⁶)          (InferenceX)
    tokens/s per MW = tokens/s ÷ (all-in kW / 10³)          (InferenceX; power before PUE)

All money inside is US dollars (floats); other currencies convert at the catalog's dated rate
on the way in and out, so an answer in CNY is the USD answer times the rate.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict

from calc.serving import ServingError
from specs.catalog import Catalog
from specs.units import DEFAULT_CNY_PER_USD, DEFAULT_CNY_PER_USD_DATE, parse, to_usd

HOURS_PER_YEAR = 8766.0
"""365.25 days × 24 h."""
HOURS_PER_MONTH = HOURS_PER_YEAR / 12
CURRENCIES = ("USD", "CNY")


def capital_recovery_factor(rate, years):
    """Share of a capital sum to pay each year so that ``years`` equal payments repay it with
    interest at ``rate``: CRF = r(1 + r)ⁿ / ((1 + r)ⁿ − 1), and 1/n at r = 0.

    >>> round(capital_recovery_factor(0.10, 4), 4)
    0.3155
    >>> capital_recovery_factor(0.0, 4)
    0.25
    """
    rate, years = np.asarray(rate, dtype=float), np.asarray(years, dtype=float)
    growth = (1 + rate) ** years
    with np.errstate(divide="ignore", invalid="ignore"):
        crf = np.where(rate > 0, rate * growth / (growth - 1), 1 / years)
    return _plain(crf)


def _plain(a: np.ndarray):
    """A 0-d array as a Python float, anything else unchanged."""
    return float(a) if np.ndim(a) == 0 else a


def cost_per_million_tokens(cost_per_hour, tokens_per_s):
    """$/Mtok = cost per hour ÷ (tokens/s × 3600 / 10⁶).

    Renting a chip at $2.00 an hour while it produces 1,000 output tokens/s:

    >>> round(cost_per_million_tokens(2.00, 1000), 3)
    0.556
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return _plain(np.asarray(cost_per_hour, dtype=float) / (np.asarray(tokens_per_s) * 3600)
                      * 1e6)


def tokens_per_s_per_mw(tokens_per_s, all_in_kw):
    """Tokens/s per MW of all-in power = tokens/s ÷ (all-in kW / 10³): the power of the chips
    with their share of host, network and cooling, before PUE (SemiAnalysis InferenceX).

    1,000 output tokens/s per chip at 2.0 kW all-in per chip is 500,000 tokens/s per MW:

    >>> tokens_per_s_per_mw(1000, 2.0)
    500000.0
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return _plain(np.asarray(tokens_per_s, dtype=float)
                      / (np.asarray(all_in_kw, dtype=float) / 1e3))


def owned_cost_per_hour(capex, *, years, cost_of_capital, residual_value, hosting_per_year,
                        all_in_kw, pue, electricity_per_kwh) -> dict[str, np.ndarray]:
    """Cost per chip-hour of owning it, by component (equations in the module docstring).

    A $30,000 chip over 4 years at 10%, 10% residual, 5% hosting a year, 1.5 kW all-in,
    PUE 1.3, $0.08/kWh: capital (30,000 − 3,000/1.1⁴) · 0.3155 / 8766 = $1.0059/h,
    hosting 1,500/8766 = $0.1711/h, power 1.5 · 1.3 · 0.08 = $0.156/h.

    >>> parts = owned_cost_per_hour(30_000, years=4, cost_of_capital=0.10, residual_value=0.10,
    ...                             hosting_per_year=0.05, all_in_kw=1.5, pue=1.3,
    ...                             electricity_per_kwh=0.08)
    >>> {k: round(float(v), 4) for k, v in parts.items()}
    {'capital': 1.0059, 'hosting': 0.1711, 'power': 0.156}
    """
    capex = np.asarray(capex, dtype=float)
    recovered = capex - residual_value * capex / (1 + cost_of_capital) ** years
    return {"capital": recovered * capital_recovery_factor(cost_of_capital, years)
            / HOURS_PER_YEAR,
            "hosting": capex * hosting_per_year / HOURS_PER_YEAR,
            "power": np.asarray(all_in_kw, dtype=float) * pue * electricity_per_kwh}


class Setting(BaseModel):
    """One cost input: its value and where it comes from."""

    model_config = ConfigDict(frozen=True)
    value: float
    unit: str
    source: str
    """Title or URL and date of the source, or "your input"."""
    low: float | None = None
    """Low end of the source's plausible range, where it gives one."""
    high: float | None = None


class CostSettings(BaseModel):
    """Every cost input in force for one answer, each with its source (shown to the user)."""

    model_config = ConfigDict(frozen=True)
    region: str
    own: bool
    """True: buy the chips (TCO); False: rent them."""
    term: str | None
    """Rental term to prefer (on-demand, reserved-1y/2y/3y); None: on-demand where known."""
    currency: str
    cny_per_usd: Setting
    years: Setting
    cost_of_capital: Setting
    residual_value: Setting
    hosting_per_year: Setting
    pue: Setting
    electricity_per_kwh: Setting
    """In USD per kWh."""
    vat: Setting
    import_tariff: Setting
    server_network_share: Setting
    network_share: Setting | None
    all_in_power_factor: Setting

    def to_currency(self, usd):
        """A US-dollar amount in the answer's currency."""
        return usd * (self.cny_per_usd.value if self.currency == "CNY" else 1.0)

    def usd(self, amount) -> float:
        """A price as US dollars, or US dollars per hour for a rate."""
        unit = "USD/hour" if "[time]" in str(amount.dimensionality) else "USD"
        return float(to_usd(amount, self.cny_per_usd.value).to(unit).magnitude)


def _describe(sourced) -> str:
    s = sourced.source
    title = s.title or s.url
    when = s.published or f"undated, read {s.retrieved}"
    return f"{title} ({when}, {s.confidence})"


def cost_settings(catalog: Catalog, *, region: str = "US", own: bool = True,
                  term: str | None = None, currency: str = "USD",
                  cny_per_usd: float | None = None, **overrides) -> CostSettings:
    """The catalog's sourced defaults for ``region``, with the caller's ``overrides`` (any
    :class:`CostSettings` field by name; money as "0.1 USD/kWh" or a number in USD)."""
    a = catalog.assumptions
    if a is None:
        raise ServingError("this catalog has no assumptions.yaml; costs need it")
    regions = {name.lower(): name for name in a.regions}
    if region.lower() not in regions:
        raise ServingError(f"unknown region '{region}'; choose from {', '.join(a.regions)}")
    region = regions[region.lower()]
    currency = currency.upper()
    if currency not in CURRENCIES:
        raise ServingError(f"unknown currency '{currency}'; choose USD or CNY")
    terms = ("on-demand", "reserved-1y", "reserved-2y", "reserved-3y")
    if term is not None and term not in terms:
        raise ServingError(f"unknown rental term '{term}'; choose from {', '.join(terms)}")
    if cny_per_usd is not None and not (0 < cny_per_usd < 1e3 and np.isfinite(cny_per_usd)):
        raise ServingError(f"exchange rate must be a positive CNY per USD, got {cny_per_usd}")
    rate = Setting(value=cny_per_usd, unit="CNY/USD", source="your input") if cny_per_usd \
        else Setting(value=DEFAULT_CNY_PER_USD, unit="CNY/USD",
                     source=f"CFETS central parity ({DEFAULT_CNY_PER_USD_DATE})")
    r = a.regions[region]
    defaults = {
        "years": (a.amortisation_years, "years"),
        "cost_of_capital": (a.cost_of_capital, "per year"),
        "residual_value": (a.residual_value, "of capex"),
        "hosting_per_year": (a.hosting_maintenance_per_year, "of capex per year"),
        "pue": (r.pue, ""),
        "electricity_per_kwh": (r.electricity_price, "USD/kWh"),
        "vat": (r.vat, "of price"),
        "import_tariff": (r.import_tariff, "of price"),
        "server_network_share": (a.server_network_share, "of a chip-only price"),
        "network_share": (a.network_share, "of a chip-and-server price"),
        "all_in_power_factor": (a.all_in_power_factor, "× TDP"),
    }
    unknown = set(overrides) - set(defaults)
    if unknown:
        raise ServingError(f"unknown cost setting {', '.join(sorted(unknown))}; choose from "
                           f"{', '.join(defaults)}")
    settings = {}
    for name, (sourced, unit) in defaults.items():
        given = overrides.get(name)
        if given is not None:
            value = _override(name, given, rate.value)
            settings[name] = Setting(value=value, unit=unit, source="your input")
        elif sourced is None:
            settings[name] = None
        else:
            as_float = (lambda q: float(to_usd(q, rate.value).to("USD/kWh").magnitude)) \
                if name == "electricity_per_kwh" else float
            settings[name] = Setting(
                value=as_float(sourced.value), unit=unit, source=_describe(sourced),
                low=None if sourced.low is None else as_float(sourced.low),
                high=None if sourced.high is None else as_float(sourced.high))
    return CostSettings(region=region, own=own, term=term, currency=currency, cny_per_usd=rate,
                        **settings)


def _override(name: str, given, cny_per_usd: float) -> float:
    if name == "electricity_per_kwh" and isinstance(given, str):
        try:
            value = float(to_usd(parse(given, "USD/kWh"), cny_per_usd).to("USD/kWh").magnitude)
        except ValueError as err:
            raise ServingError(f"electricity price: {err}") from None
    else:
        try:
            value = float(given)
        except (TypeError, ValueError):
            raise ServingError(f"{name} must be a number, got {given!r}") from None
    upper = {"years": 30, "pue": 5, "electricity_per_kwh": 10}.get(name, 1.0 if name in (
        "cost_of_capital", "residual_value", "hosting_per_year", "vat", "import_tariff") else 20)
    lower_ok = value >= 1 if name == "pue" else value > 0 if name == "years" else value >= 0
    if not (np.isfinite(value) and lower_ok and value <= upper):
        raise ServingError(f"{name} must be between {1 if name == 'pue' else 0} and {upper}, "
                           f"got {given!r}")
    return value
