"""Cost formulas and settings: hand-checked numbers, sourced defaults, overrides, currencies."""

import math

import pytest

from calc.chip_cost import ChipCosts, all_in_kw, cost_frame
from calc.cost import (HOURS_PER_YEAR, capital_recovery_factor, cost_per_million_tokens,
                       cost_settings, owned_cost_per_hour)
from calc.hardware import hardware_table
from calc.prices import pick_price
from calc.serving import ServingError
from specs.catalog import default_catalog
from specs.units import DEFAULT_CNY_PER_USD

CATALOG = default_catalog()


def test_renting_at_two_dollars_an_hour_at_1000_output_tokens_per_s_costs_0_556_per_mtok():
    assert cost_per_million_tokens(2.00, 1000) == pytest.approx(2.00 / 3.6, rel=1e-12)
    assert round(float(cost_per_million_tokens(2.00, 1000)), 3) == 0.556


def test_owned_chip_hour_is_reproduced_by_hand_from_its_inputs():
    settings = cost_settings(CATALOG, region="US", own=True, years=5, cost_of_capital=0.08,
                             residual_value=0.2, hosting_per_year=0.1, pue=1.3,
                             electricity_per_kwh="0.1 USD/kWh")
    chip = CATALOG.chip("H200")
    price = pick_price(CATALOG, chip, settings)
    kw, _ = all_in_kw(CATALOG, chip, settings)
    capex = price.usd  # after the server-and-network share the price rules add
    crf = 0.08 * 1.08 ** 5 / (1.08 ** 5 - 1)
    by_hand = ((capex - 0.2 * capex / 1.08 ** 5) * crf / 8766 + capex * 0.1 / 8766
               + kw * 1.3 * 0.1)
    costs = ChipCosts(CATALOG, hardware_table([chip], []), settings, {}, None)
    assert costs.hourly(0) == pytest.approx(by_hand, rel=1e-12)
    assert set(costs.breakdown[0]) == {"capital", "hosting", "power"}


def test_capital_recovery_factor_repays_the_principal_with_interest():
    crf = capital_recovery_factor(0.1, 4)
    balance = 1.0
    for _ in range(4):
        balance = balance * 1.1 - crf
    assert balance == pytest.approx(0.0, abs=1e-12)
    assert HOURS_PER_YEAR == 365.25 * 24


def test_every_default_setting_names_its_source():
    settings = cost_settings(CATALOG, region="China")
    for name, setting in settings:
        if hasattr(setting, "source"):
            assert setting.source and setting.source != "your input", name
    assert settings.electricity_per_kwh.value == pytest.approx(0.4 / DEFAULT_CNY_PER_USD)


def test_an_override_replaces_the_default_and_says_so():
    settings = cost_settings(CATALOG, pue=1.2, electricity_per_kwh="0.7 CNY/kWh")
    assert settings.pue.value == 1.2 and settings.pue.source == "your input"
    assert settings.electricity_per_kwh.value == pytest.approx(0.7 / DEFAULT_CNY_PER_USD)


@pytest.mark.parametrize("kwargs, message", [
    (dict(currency="EUR"), "unknown currency 'EUR'; choose USD or CNY"),
    (dict(region="Mars"), "unknown region 'Mars'"),
    (dict(pue=0.5), "pue must be between 1 and 5"),
    (dict(years=-1), "years must be between 0 and 30"),
    (dict(term="forever"), "unknown rental term"),
    (dict(discount=0.1), "unknown cost setting discount"),
    (dict(cny_per_usd=-7), "exchange rate must be a positive"),
])
def test_bad_cost_settings_say_what_to_change(kwargs, message):
    with pytest.raises(ServingError, match=message):
        cost_settings(CATALOG, **kwargs)


def test_a_china_market_price_is_used_as_it_is_and_a_us_price_carries_fee_tariff_and_vat():
    china = cost_settings(CATALOG, region="China", currency="CNY")
    chip = CATALOG.chip("H200")
    market = pick_price(CATALOG, chip, china)
    assert "China" in market.description and not market.adjustments[:1] == ["+25%"]
    assert not any("surcharge" in a for a in market.adjustments)

    class OnlyUsPrices:  # the same catalog, as if no China market price were known
        def prices_for(self, chip_id):
            return [p for p in CATALOG.prices_for(chip_id) if p.region == "US"
                    and p.kind == "purchase"]

    imported = pick_price(OnlyUsPrices(), chip, china)
    us_price = OnlyUsPrices().prices_for(chip.id)[-1]
    share = 1 + {"chip": china.server_network_share.value,
                 "server": china.network_share.value, "all-in": 0}[us_price.covers]
    by_hand = china.usd(us_price.amount) * share * 1.25 * 1.13  # H200 fee, no tariff, VAT
    assert imported.usd == pytest.approx(by_hand, rel=1e-12)
    assert any("25% China surcharge" in a for a in imported.adjustments)


def test_a_user_price_of_the_wrong_kind_is_refused():
    settings = cost_settings(CATALOG, own=True)
    with pytest.raises(ServingError, match="owning needs a purchase price"):
        pick_price(CATALOG, CATALOG.chip("H100"), settings, override="2 USD/hour")
    with pytest.raises(ServingError, match="price 'cheap'"):
        pick_price(CATALOG, CATALOG.chip("H100"), settings, override="cheap")


def test_cost_frame_in_cny_is_the_usd_frame_times_the_rate():
    chips = [CATALOG.chip("H100"), CATALOG.chip("910C")]
    usd = cost_frame(CATALOG, chips, cost_settings(CATALOG, currency="USD"),
                     tokens_per_s_per_chip=1000)
    cny = cost_frame(CATALOG, chips, cost_settings(CATALOG, currency="CNY"),
                     tokens_per_s_per_chip=1000)
    for a, b in zip(usd["USD_per_chip_hour"], cny["CNY_per_chip_hour"]):
        assert (a is None and b is None) or math.isclose(b, a * DEFAULT_CNY_PER_USD,
                                                         rel_tol=1e-12)


def test_owned_cost_components_are_linear_in_capex():
    one = owned_cost_per_hour(10_000, years=4, cost_of_capital=0.1, residual_value=0.1,
                              hosting_per_year=0.05, all_in_kw=0, pue=1.2,
                              electricity_per_kwh=0.1)
    two = owned_cost_per_hour(20_000, years=4, cost_of_capital=0.1, residual_value=0.1,
                              hosting_per_year=0.05, all_in_kw=0, pue=1.2,
                              electricity_per_kwh=0.1)
    assert two["capital"] == pytest.approx(2 * one["capital"])
    assert two["hosting"] == pytest.approx(2 * one["hosting"])
