"""Monte Carlo bands: ordered, reproducible, collapsing to the deterministic answer, never wider
for narrower inputs, and fed by the cross-validated errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calc import stacks, uncertainty
from calc.calibrate import Prepared, fit_profiles, grouped_folds, predict_table
from calc.engine import Layouts
from calc.hardware import hardware_table
from calc.precision import PrecisionPlan
from calc.predict import predict, scenario_arguments
from calc.validate import load_cases
from specs.catalog import default_catalog

CATALOG = default_catalog()
ARGS = dict(input_tokens=2000, output_tokens=500, concurrency=64, precision="fp8")


def _bands(chip, width, model_error, seed=1, samples=300):
    chip = CATALOG.chip(chip)
    plan = PrecisionPlan.of("fp8")
    point = predict("llama-3.1-70b", chip, 8, tp=8, **ARGS)
    arguments = scenario_arguments("concurrency", input_tokens=2000, output_tokens=500,
                                   concurrency=64, context_tokens=None, ttft_limit_ms=None,
                                   tpot_limit_ms=None, disaggregated=False, max_replicas=1)
    efficiency = stacks.profile("unknown", chip.vendor, chip.architecture).efficiency
    bands, share = uncertainty.prediction_bands(
        CATALOG.model("llama-3.1-70b"), hardware_table([chip], [plan]),
        Layouts.of([(8, 1, 1)], [1]), efficiency, arguments, prefill=False, samples=samples,
        seed=seed, width=width, model_error=model_error)
    return point, bands, share


@settings(max_examples=6, deadline=None)
@given(chip=st.sampled_from(["H100", "910C", "MI300X", "Gaudi 3"]), seed=st.integers(0, 99))
def test_bands_are_ordered_p10_p50_p90(chip, seed):
    _, bands, _ = _bands(chip, 1.0, True, seed)
    for band in bands.values():
        assert band.p10 <= band.p50 <= band.p90


@pytest.mark.parametrize("chip", ["H100", "910C"])
def test_with_no_ranges_and_no_model_error_the_band_is_the_deterministic_answer(chip):
    point, bands, share = _bands(chip, 0.0, False)
    assert share == 1.0
    band = bands["output_tokens_per_s"]
    assert band.p10 == pytest.approx(point.output_tokens_per_s, rel=1e-12)
    assert band.p90 == pytest.approx(point.output_tokens_per_s, rel=1e-12)
    assert bands["tpot_ms"].p50 == pytest.approx(point.tpot_ms, rel=1e-12)


@settings(max_examples=6, deadline=None)
@given(narrow=st.floats(0.0, 1.0), wide=st.floats(1.0, 2.0))
def test_a_narrower_input_range_never_widens_the_band(narrow, wide):
    _, small, _ = _bands("910C", narrow, False)
    _, large, _ = _bands("910C", wide, False)
    for name in ("output_tokens_per_s", "tpot_ms"):
        assert (small[name].p90 - small[name].p10) <= (large[name].p90 - large[name].p10) \
            * (1 + 1e-9) + 1e-9


def test_the_same_seed_gives_the_same_bands():
    a = predict("llama-3.1-70b", "H100", 8, samples=200, seed=7, **ARGS).bands
    b = predict("llama-3.1-70b", "H100", 8, samples=200, seed=7, **ARGS).bands
    c = predict("llama-3.1-70b", "H100", 8, samples=200, seed=8, **ARGS).bands
    assert a == b and a != c


def test_a_vendor_with_no_measured_case_gets_the_widest_model_error():
    measured = uncertainty.model_errors("output_tokens_per_s", "NVIDIA")
    unmeasured = uncertainty.model_errors("output_tokens_per_s", "MetaX")
    assert np.ptp(unmeasured) >= np.ptp(measured)
    assert len(unmeasured) > len(measured)


def test_the_model_error_sampled_is_the_cross_validated_one_not_the_in_sample_fit():
    """Refit without one fold of groups and predict it: the stored errors are exactly those
    (and differ from the in-sample errors of the profiles fitted on every case)."""
    cases = load_cases("validation/public.yaml")
    fold = grouped_folds(cases, 8)[0]
    prepared = [Prepared(case) for case in cases]
    train = [c for i, c in enumerate(prepared) if i not in fold]
    held = [prepared[i] for i in fold]
    refit = predict_table(held, fit_profiles(train, 15))
    stored = {(r["case"], r["metric"]): r["error"]
              for r in stacks.load()["cross_validated_errors"]}
    for row in refit.itertuples():
        assert stored[(row.case, row.metric)] == pytest.approx(row.error, abs=6e-5)
    in_sample = predict_table(held, stacks.load()["profiles"])
    assert any(abs(stored[(r.case, r.metric)] - r.error) > 1e-3 for r in in_sample.itertuples())


def test_sizing_bands_are_ordered_reproducible_and_priced_options_have_a_cost_band():
    from calc.sizing import size
    from calc.workload import Workload

    workload = Workload.of(model="llama-3.1-70b", requests_per_s=5, tpot_ms=50,
                           chips=("H100", "H20", "910C"))
    one = size(workload, samples=300, seed=3)
    two = size(workload, samples=300, seed=3)
    assert [o.bands for o in one.options] == [o.bands for o in two.options]
    for option in one.options:
        for band in option.bands.values():
            assert band.p10 <= band.p50 <= band.p90
        assert option.bands["chips"].p10 >= min(p.chips_per_replica for p in option.pools)
        assert 0 <= option.probability_meets_limits <= 1
        assert ("cost_per_million_tokens" in option.bands) == (
            option.cost_per_million_tokens is not None)


def test_predict_with_uncertainty_on_the_command_line_prints_the_bands(capsys):
    from calc.cli import main

    assert main(["predict", "--model", "llama-3.1-70b", "--chip", "H100", "--chips", "8",
                 "--precision", "fp8", "--concurrency", "64", "--uncertainty",
                 "--samples", "200"]) == 0
    out = capsys.readouterr().out
    assert "P10 / P50 / P90 output (system)" in out and "bands: P10–P90 of 200 samples" in out


def test_the_tornado_ranks_inputs_by_how_far_they_move_cost():
    from calc.sizing import size
    from calc.workload import Workload

    sizing = size(Workload.of(model="llama-3.1-70b", requests_per_s=5, tpot_ms=50,
                              chips=("H100", "H200")), samples=200, seed=1)
    swings = [bar.swing for bar in sizing.tornado]
    assert swings == sorted(swings, reverse=True)
    names = {bar.input for bar in sizing.tornado}
    assert {"model error", "price", "pue", "electricity per kwh", "years"} <= names
    pue = next(bar for bar in sizing.tornado if bar.input == "pue")
    assert pue.low < pue.high  # more overhead power, more cost


def test_c600_deepseek_prediction_has_a_band_and_names_its_estimated_figures(capsys):
    from calc.cli import main

    assert main(["predict", "--model", "deepseek-v3", "--chip", "C600", "--chips", "8",
                 "--precision", "fp8", "--input-tokens", "2000", "--output-tokens", "500",
                 "--concurrency", "64", "--uncertainty", "--samples", "300"]) == 0
    out = capsys.readouterr().out
    assert "P10 / P50 / P90 TPOT" in out
    assert "estimated figure: metax-c600 scaleup bandwidth" in out
