"""Sizing: the acceptance workload, a hand check against predict, properties, bad input."""

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calc.cli import main
from calc.cost import cost_settings
from calc.predict import predict
from calc.sizing import size
from calc.workload import Workload
from specs.catalog import default_catalog
from specs.units import DEFAULT_CNY_PER_USD

CATALOG = default_catalog()
ACCEPTANCE = ["size", "--model", "deepseek-v3", "--requests-per-s", "10", "--input-tokens",
              "2000", "--output-tokens", "500", "--ttft-ms", "3000", "--tpot-ms", "50",
              "--format", "json"]
FEW = ("nvidia-h100-sxm", "nvidia-h20", "huawei-ascend-910b2")


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_acceptance_workload_lists_h200_h20_and_910c_within_both_limits(capsys):
    status, out, _ = run(capsys, *ACCEPTANCE)
    assert status == 0
    options = json.loads(out)
    required = {"chip", "chips", "layout", "precision", "replicas", "ttft_ms", "tpot_ms", "kw",
                "currency", "cost_per_million_input_tokens",
                "cost_per_million_output_tokens", "cost_per_month"}
    assert all(required <= set(o) for o in options)
    by_chip = {o["chip"]: o for o in options}
    for chip in ("nvidia-h200-sxm", "nvidia-h20", "huawei-ascend-910c"):
        assert by_chip[chip]["ttft_ms"] <= 3000 and by_chip[chip]["tpot_ms"] <= 50
    priced = [o["cost_per_million_tokens"] for o in options if o["cost_per_million_tokens"]]
    assert priced == sorted(priced)  # ranked by cost, unpriced last
    assert [o["cost_per_million_tokens"] is None for o in options] == sorted(
        o["cost_per_million_tokens"] is None for o in options)


def test_cny_answer_is_the_usd_answer_times_the_catalog_rate(capsys):
    _, usd, _ = run(capsys, *ACCEPTANCE)
    _, cny, _ = run(capsys, *ACCEPTANCE, "--currency", "CNY")
    for a, b in zip(json.loads(usd), json.loads(cny)):
        assert (a["chip"], a["chips"]) == (b["chip"], b["chips"])
        assert b["currency"] == "CNY"
        for key in ("cost_per_million_input_tokens", "cost_per_million_output_tokens",
                    "cost_per_month"):
            if a[key] is not None:
                assert b[key] == pytest.approx(a[key] * DEFAULT_CNY_PER_USD, rel=1e-12)


def test_a_sizing_answer_matches_predict_for_the_chosen_layout_by_hand():
    workload = Workload.of(model="llama-3.1-70b", requests_per_s=5, input_tokens=1000,
                           output_tokens=200, ttft_ms=2000, tpot_ms=40, chips=("H200",),
                           precisions=("fp8",), disaggregated=False)
    option = size(workload).options[0]
    pool = option.pools[0]
    tp = int(pool.layout.removeprefix("tp"))
    replica = predict("llama-3.1-70b", "H200", tp, tp=tp, precision="fp8",
                      input_tokens=1000, output_tokens=200, scenario="concurrency",
                      concurrency=int(pool.batch))
    assert replica.ttft_ms <= 2000 and replica.tpot_ms <= 40
    per_replica = replica.output_tokens_per_s / 200  # requests/s one replica sustains
    assert pool.capacity_requests_per_s / pool.replicas == pytest.approx(per_replica, rel=1e-9)
    assert option.replicas == math.ceil(5 / per_replica)
    assert option.chips == option.replicas * tp
    assert option.tpot_ms == pytest.approx(replica.tpot_ms, rel=1e-9)
    assert option.utilisation == pytest.approx(5 / (option.replicas * per_replica))
    assert option.kw == pytest.approx(option.chips * 1.73)  # H200 all-in kW (InferenceX)
    assert option.output_tokens_per_s_per_mw == pytest.approx(  # tokens/s ÷ MW, at capacity
        option.replicas * replica.output_tokens_per_s / (option.kw / 1e3), rel=1e-9)


def _cheapest(**fields):
    fields = dict(model="llama-3.1-70b", requests_per_s=2.0, input_tokens=1000,
                  output_tokens=200, ttft_ms=3000, tpot_ms=60, chips=FEW,
                  disaggregated=False) | fields
    return size(Workload.of(**fields), prices={c: "20000 USD" for c in FEW})


@settings(max_examples=8, deadline=None)
@given(factor=st.floats(0.1, 10))
def test_cost_is_linear_in_price(factor):
    base = size(Workload.of(model="llama-3.1-70b", requests_per_s=2.0, chips=FEW,
                            disaggregated=False, tpot_ms=60),
                settings=cost_settings(CATALOG, own=False),
                prices={c: "2 USD/hour" for c in FEW})
    scaled = size(base.workload, settings=cost_settings(CATALOG, own=False),
                  prices={c: f"{2 * factor} USD/hour" for c in FEW})
    for a, b in zip(base.options, scaled.options):
        assert b.cost_per_month == pytest.approx(a.cost_per_month * factor, rel=1e-9)


@settings(max_examples=8, deadline=None)
@given(rate=st.floats(0.05, 200))
def test_doubling_traffic_never_needs_fewer_chips(rate):
    one = {o.chip: o.chips for o in _cheapest(requests_per_s=rate).options}
    two = {o.chip: o.chips for o in _cheapest(requests_per_s=2 * rate).options}
    assert all(two[chip] >= chips for chip, chips in one.items() if chip in two)
    assert set(one) <= set(two)


@settings(max_examples=8, deadline=None)
@given(tpot=st.floats(15, 200), tighter=st.floats(0.3, 1.0))
def test_a_tighter_tpot_never_lowers_cost(tpot, tighter):
    loose = {o.chip: o.cost_per_month for o in _cheapest(tpot_ms=tpot).options}
    tight = {o.chip: o.cost_per_month for o in _cheapest(tpot_ms=tpot * tighter).options}
    assert set(tight) <= set(loose)
    assert all(tight[chip] >= loose[chip] * (1 - 1e-12) for chip in tight)


@settings(max_examples=5, deadline=None)
@given(rate=st.floats(1.0, 20.0))
def test_usd_and_cny_agree_through_the_rate(rate):
    workload = Workload.of(model="llama-3.1-70b", requests_per_s=5, chips=FEW,
                           disaggregated=False)
    usd = size(workload, settings=cost_settings(CATALOG, cny_per_usd=rate))
    cny = size(workload, settings=cost_settings(CATALOG, currency="CNY", cny_per_usd=rate))
    for a, b in zip(usd.options, cny.options):
        if a.cost_per_million_tokens is not None:
            assert b.cost_per_million_tokens == pytest.approx(a.cost_per_million_tokens * rate)


def test_no_option_is_an_answer_naming_the_nearest_miss(capsys):
    status, out, _ = run(capsys, "size", "--model", "llama-3.1-70b", "--requests-per-s", "1",
                         "--tpot-ms", "0.01")
    assert status == 0
    assert "no option meets these service levels" in out
    assert "relax the TPOT limit" in out


@pytest.mark.parametrize("argv, message", [
    (["--requests-per-s", "-3"], "requests_per_s: Input should be greater than 0"),
    (["--requests-per-s", "1", "--vendor", "acme"], "no chip passes the filters"),
    (["--requests-per-s", "1", "--currency", "EUR"], "invalid choice: 'EUR'"),
    (["--requests-per-s", "1", "--price", "H100"], "a price is CHIP=AMOUNT"),
    (["--requests-per-s", "1", "--precision", "fp32"], "precisions must be among"),
    (["--requests-per-s", "1", "--input-tokens", "200000"], "exceed llama-3.1-70b's context"),
    (["--requests-per-s", "1e12"], "check the unit"),
])
def test_bad_sizing_input_gets_one_clear_error(capsys, argv, message):
    status, out, err = run(capsys, "size", "--model", "llama-3.1-70b", *argv)
    assert status == 2 and out == ""
    assert err.count("error:") == 1 and message in err


def test_a_price_file_without_a_date_is_refused_naming_the_file(capsys, tmp_path):
    path = tmp_path / "prices" / "nvidia-h100-sxm.yaml"
    path.parent.mkdir()
    path.write_text("chip: nvidia-h100-sxm\nsources:\n  q: {url: https://example.com, "
                    "confidence: press}\nprices:\n  - {kind: purchase, covers: chip, "
                    "amount: 20000 USD, source: q}\n")
    status, _, err = run(capsys, "size", "--model", "llama-3.1-8b", "--requests-per-s", "1",
                         "--add", str(path))
    assert status == 2 and str(path) in err and "published" in err


def test_unpriced_chips_are_listed_after_priced_ones_and_a_user_price_ranks_them():
    workload = Workload.of(model="llama-3.1-8b", requests_per_s=2, disaggregated=False,
                           chips=("H100", "moorethreads-mtt-s4000"))
    plain = size(workload)
    assert [o.chip for o in plain.options][-1] == "moorethreads-mtt-s4000"
    assert plain.options[-1].cost_per_million_tokens is None
    assert any("--price moorethreads-mtt-s4000" in note for note in plain.options[-1].notes)
    priced = size(workload, prices={"moorethreads-mtt-s4000": "1000 USD"})
    assert priced.options[0].chip == "moorethreads-mtt-s4000"


def test_buyable_in_china_keeps_domestic_and_licensed_chips_and_drops_b200():
    workload = Workload.of(model="llama-3.1-8b", requests_per_s=1, buyable_in_china=True,
                           disaggregated=False)
    chips = {o.chip for o in size(workload).options}
    assert {"huawei-ascend-910c", "nvidia-h20", "nvidia-h200-sxm"} <= chips
    assert "nvidia-b200" not in chips and "nvidia-h100-sxm" not in chips


def test_disaggregated_pools_may_use_two_different_chips():
    workload = Workload.of(model="deepseek-v3", requests_per_s=10, ttft_ms=3000, tpot_ms=50,
                           chips=("910C", "H20"), precisions=("fp8",))
    options = size(workload, prices={"910C": "140000 CNY"}).options
    mixed = [o for o in options if o.disaggregated and len({p.chip for p in o.pools}) == 2]
    for option in mixed:
        assert option.ttft_ms <= 3000 and option.tpot_ms <= 50
        assert [p.role for p in option.pools] == ["prefill", "decode"]
    assert all(o.ttft_ms <= 3000 and o.tpot_ms <= 50 for o in options)


def test_a_chip_with_no_option_says_why():
    workload = Workload.of(model="llama-3.1-70b", requests_per_s=2, disaggregated=False,
                           chips=("H100", "metax-c500"))
    assert "no published interconnect" in size(workload).infeasible["metax-c500"]


def test_pareto_frontier_is_non_dominated_per_chip():
    sizing = _cheapest()
    for chip in {p.chip for p in sizing.pareto}:
        points = [p for p in sizing.pareto if p.chip == chip]
        for p in points:
            assert not any(q.tokens_per_s_per_user >= p.tokens_per_s_per_user
                           and q.output_tokens_per_s_per_chip > p.output_tokens_per_s_per_chip
                           for q in points)
