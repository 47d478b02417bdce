"""Reverse questions: budgets and power envelopes turned into traffic, cost targets into options."""

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calc.capacity import NOMINAL_REQUESTS_PER_S, _peak_within, _replicas, capacity
from calc.chip_cost import all_in_kw
from calc.cli import main
from calc.cost import HOURS_PER_MONTH, cost_settings
from calc.errors import AccelcalcError
from calc.sizing import size
from calc.workload import Workload
from specs.catalog import default_catalog

CATALOG = default_catalog()
RENTED = cost_settings(CATALOG, own=False)
H100_RENT = {"H100": "2 USD/hour"}
SMALL = Workload.of(model="llama-3.1-8b", requests_per_s=1, chips=("H100",),
                    precisions=("fp8",), disaggregated=False, ttft_ms=1000, tpot_ms=40)
"""One chip, one precision, one replica = one chip (tp1 at every nominal traffic)."""
PAIR = Workload.of(model="deepseek-v3", requests_per_s=1, chips=("H200", "H20"),
                   precisions=("fp8",), ttft_ms=3000, tpot_ms=50)
"""Two chips with aggregated, disaggregated and mixed-pair options."""


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def _best_replica_capacity(workload, settings, prices):
    """Requests/s of the best H100 replica that size() finds at any nominal traffic."""
    best = 0.0
    for nominal in NOMINAL_REQUESTS_PER_S:
        at = Workload.of(**workload.model_dump(exclude={"requests_per_s"}),
                         requests_per_s=nominal)
        pool = size(at, settings=settings, prices=prices).options[0].pools[0]
        assert pool.chips_per_replica == 1
        best = max(best, pool.capacity_requests_per_s / pool.replicas)
    return best


@pytest.mark.parametrize("k", [1, 3, 40])
def test_a_monthly_budget_of_k_replicas_buys_k_replicas_and_k_times_their_capacity(k):
    per_replica = 2.0 * HOURS_PER_MONTH  # one H100 at 2 USD/hour, 730.5 hours a month
    answer = capacity(SMALL, monthly=f"{k * per_replica} USD", settings=RENTED,
                      prices=H100_RENT)
    option, = answer.options
    assert (option.replicas, option.chips) == (k, k)
    assert option.per_replica == pytest.approx(1461.0)
    assert option.used == pytest.approx(k * 1461.0)
    capacity_ = _best_replica_capacity(SMALL, RENTED, H100_RENT)
    assert option.requests_per_s == pytest.approx(k * capacity_, rel=1e-12)
    assert option.tokens_per_day == pytest.approx(k * capacity_ * 2500 * 86400, rel=1e-12)
    assert option.ttft_ms <= 1000 and option.tpot_ms <= 40
    just_under = capacity(SMALL, monthly=f"{k * per_replica * 0.999} USD", settings=RENTED,
                          prices=H100_RENT)
    assert just_under.options[0].replicas == k - 1


def test_a_power_envelope_counts_facility_power_with_pue():
    owned = cost_settings(CATALOG, pue=1.5)
    kw, _ = all_in_kw(CATALOG, CATALOG.chip("H100"), owned)
    answer = capacity(SMALL, power=f"{10 * kw * 1.5} kW", settings=owned)
    option, = answer.options
    assert option.per_replica == pytest.approx(kw * 1.5 / 1e3)  # MW
    assert option.replicas == 10 and answer.unit == "MW"


def test_peak_factor_headroom_and_spares_lower_the_average_traffic_served():
    plain = capacity(SMALL, monthly="50000 USD", settings=RENTED, prices=H100_RENT).options[0]
    peaky = Workload.of(**SMALL.model_dump() | dict(peak_to_average=2.0, headroom=0.25,
                                                    spare_replicas=1))
    option = capacity(peaky, monthly="50000 USD", settings=RENTED, prices=H100_RENT).options[0]
    assert option.replicas == plain.replicas  # the spare is bought, not served from
    per_replica = plain.requests_per_s / plain.replicas
    assert option.requests_per_s == pytest.approx((plain.replicas - 1) * per_replica / 2.5)


@settings(max_examples=4, deadline=None)
@given(budget=st.floats(3e4, 3e6))
def test_doubling_the_budget_never_lowers_the_traffic(budget):
    one = {(o.chip, o.disaggregated): o.requests_per_s
           for o in capacity(PAIR, monthly=f"{budget} USD").options}
    two = {(o.chip, o.disaggregated): o.requests_per_s
           for o in capacity(PAIR, monthly=f"{2 * budget} USD").options}
    assert set(one) == set(two)
    assert all(two[key] >= one[key] for key in one)
    assert max(two.values()) > 0


pools = st.lists(st.tuples(st.floats(0.1, 100), st.floats(1, 1000)), min_size=1, max_size=2)


@settings(max_examples=60, deadline=None)
@given(pools=pools, budget=st.floats(1, 1e5), spare=st.integers(0, 2))
def test_the_peak_a_budget_buys_fits_it_and_the_next_step_does_not(pools, budget, spare):
    def cost(peak):
        return sum(_replicas(peak, c, spare) * need for c, need in pools)

    peak, replicas = _peak_within(budget, pools, spare)
    if peak == 0:
        assert replicas == [0] * len(pools)
    else:
        assert cost(peak) <= budget * (1 + 1e-9)
        assert all(n * c >= peak * (1 - 1e-9) for n, (c, _) in zip(replicas, pools))
    next_step = min((math.floor(peak / c * (1 + 1e-9)) + 1) * c for c, _ in pools)
    assert cost(next_step) > budget
    assert _peak_within(2 * budget, pools, spare)[0] >= peak


def test_a_cny_budget_is_the_usd_budget_times_the_rate():
    usd = cost_settings(CATALOG, cny_per_usd=7.2)
    a = capacity(PAIR, capex="10 MUSD", settings=usd)
    b = capacity(PAIR, capex="72 MCNY", settings=usd)
    c = capacity(PAIR, capex="72000 kCNY", settings=cost_settings(CATALOG, cny_per_usd=7.2,
                                                                 currency="CNY"))
    assert a.limit == pytest.approx(1e7) and c.limit == pytest.approx(7.2e7)
    for x, y, z in zip(a.options, b.options, c.options):
        assert (x.chip, x.replicas) == (y.chip, y.replicas) == (z.chip, z.replicas)
        assert x.requests_per_s == y.requests_per_s == pytest.approx(z.requests_per_s)
        assert z.per_replica == pytest.approx(x.per_replica * 7.2)


@pytest.mark.parametrize("kind, field", [
    ("blended", "cost_per_million_tokens"),
    ("output", "cost_per_million_output_tokens"),
])
def test_the_target_filter_agrees_with_the_sizing_costs(kind, field):
    workload = Workload.of(**PAIR.model_dump() | dict(requests_per_s=10))
    options = size(workload).options
    costs = sorted(getattr(o, field) for o in options if getattr(o, field) is not None)
    target = costs[len(costs) // 2]
    answer = capacity(workload, target_cost=f"{target} USD/Mtok", target_kind=kind)
    meets = {(o.chip, o.layout) for o in answer.options if o.meets_target}
    assert meets == {(o.chip, o.layout) for o in options
                     if getattr(o, field) is not None and getattr(o, field) <= target}
    assert 0 < len(meets) < len(costs)
    for o in answer.options:
        assert (o.probability is None) == (o.cost_per_million_tokens is None)
        if o.cost_per_million_tokens is not None:
            assert o.margin == pytest.approx(1 - o.cost_per_million_tokens / target)


def test_a_budget_too_small_for_any_replica_is_an_answer_naming_the_smallest_need(capsys):
    status, out, _ = run(capsys, "capacity", "--model", "llama-3.1-8b", "--chip", "H100",
                         "--no-disaggregated", "--budget", "1 kUSD")
    assert status == 0
    assert "budget too small for one replica of any option: the smallest, nvidia-h100-sxm" \
        in out
    assert "needs" in out


def test_json_lists_each_option_with_its_traffic(capsys):
    status, out, _ = run(capsys, "capacity", "--model", "deepseek-v3", "--chip", "H200,H20",
                         "--precision", "fp8", "--ttft-ms", "3000", "--tpot-ms", "50",
                         "--power", "5 MW", "--format", "json")
    assert status == 0
    options = json.loads(out)
    assert options and all(o["requests_per_s"] > 0 and o["used"] <= 5 for o in options)
    assert [o["requests_per_s"] for o in options] == sorted(
        (o["requests_per_s"] for o in options), reverse=True)


@pytest.mark.parametrize("argv, message", [
    (["--power", "5 MWh"], "power envelope '5 MWh' is not in MW"),
    (["--budget", "-10 MUSD"], "capex budget must be positive, got '-10 MUSD'"),
    (["--budget", "10 MUSD", "--rent"], "with --rent give --monthly-budget"),
    (["--monthly-budget", "5 MW"], "monthly budget '5 MW' is not in USD"),
    (["--target-cost", "0.5 USD/Mtok"], "--target-cost needs the traffic"),
    (["--target-cost", "0.5 USD", "--requests-per-s", "1"], "is not in USD/Mtok"),
    (["--budget", "1 MUSD", "--requests-per-s", "1"], "drop --requests-per-s"),
    (["--budget", "1 MUSD", "--power", "1 MW"], "not allowed with argument --budget"),
    (["--power", "nan MW"], "a figure must be a finite number"),
])
def test_bad_capacity_input_gets_one_clear_error(capsys, argv, message):
    status, out, err = run(capsys, "capacity", "--model", "llama-3.1-8b", *argv)
    assert status == 2 and out == ""
    assert err.count("error:") == 1 and message in err


@pytest.mark.parametrize("kwargs, message", [
    ({}, "give exactly one of capex, monthly, power or target_cost, got none"),
    ({"capex": "1 MUSD", "power": "1 MW"}, "got capex, power"),
    ({"target_cost": "1 USD/Mtok", "target_kind": "mean"}, "unknown target kind 'mean'"),
    ({"monthly": 0}, "monthly budget must be positive"),
    ({"capex": "1 MUSD", "settings": RENTED}, "a capex budget buys chips"),
])
def test_bad_python_arguments_raise_an_accelcalc_error(kwargs, message):
    with pytest.raises(AccelcalcError, match=message):
        capacity(SMALL, **kwargs)


def test_a_higher_cost_target_is_met_with_at_least_the_same_probability():
    workload = Workload.of(model="llama-3.1-70b", requests_per_s=5, tpot_ms=50,
                           chips=("H100", "H200"), disaggregated=False)
    low = {o.chip: o.probability for o in capacity(workload, target_cost="0.2 USD/Mtok").options}
    high = {o.chip: o.probability for o in capacity(workload, target_cost="0.4 USD/Mtok").options}
    assert low and set(low) == set(high)
    for chip in low:
        assert 0 <= low[chip] <= high[chip] <= 1


def test_a_budget_answer_carries_an_ordered_traffic_band():
    answer = capacity(SMALL, monthly="20000 USD", settings=RENTED)
    bought = [o for o in answer.options if o.replicas]
    assert bought
    for option in bought:
        band = option.requests_per_s_band
        assert band is not None and band.p10 <= band.p50 <= band.p90
