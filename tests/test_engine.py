"""The one engine: the whole catalog in one call agrees with predict, infeasible points carry a
reason and never a number, and the nearest miss names the real cause."""

import numpy as np
import pytest

from calc import stacks
from calc.engine import Layouts, Reason, evaluate
from calc.hardware import hardware_table
from calc.layouts import divisors, fixed_chip_layouts
from calc.perf import Efficiency
from calc.precision import PrecisionPlan
from calc.predict import ServingError, predict, scenario_arguments
from calc.validate import load_cases, predict_case
from specs.catalog import default_catalog

CASES = load_cases("validation/public.yaml")
CATALOG = default_catalog()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_engine_over_the_whole_catalog_agrees_with_predict_on_every_validation_case(case):
    expected = predict_case(case)
    chips = list(CATALOG.chips)
    model, chip = CATALOG.model(case.model), CATALOG.chip(case.chip)
    par = case.parallelism
    layouts = fixed_chip_layouts(model, case.chips, *(
        (None,) * 4 if par is None else (par.tp, par.ep, par.pp, par.replicas)))
    per_chip = stacks.efficiencies(case.stack, [(c.vendor, c.architecture) for c in chips], 6)
    evaluation = evaluate(model, hardware_table(chips, [PrecisionPlan.of(case.precision)]),
                          layouts, per_chip, **scenario_arguments(
                              case.scenario, input_tokens=case.input_tokens or 1,
                              output_tokens=case.output_tokens or 1,
                              concurrency=case.concurrency, context_tokens=case.context_tokens,
                              ttft_limit_ms=case.limits.get("ttft_ms"),
                              tpot_limit_ms=case.limits.get("tpot_ms"), disaggregated=False,
                              max_replicas=int(layouts.replicas.max())))
    only_this_chip = np.zeros(evaluation.shape, dtype=bool)
    only_this_chip[chips.index(chip)] = True
    rate = evaluation.input_per_s if case.scenario == "prefill" else evaluation.output_per_s
    best = evaluation.best(rate * layouts.replicas.reshape(1, 1, -1, 1, 1, 1), only_this_chip)
    assert evaluation.feasible[best]
    assert layouts.name(best[2]) == expected.layout
    n = layouts.replicas[best[2]]
    assert float(evaluation.at(best, "output_per_s")) * n == pytest.approx(
        expected.output_tokens_per_s, rel=1e-9)
    if expected.tpot_ms is not None:
        assert float(evaluation.at(best, "tpot")) * 1e3 == pytest.approx(expected.tpot_ms,
                                                                         rel=1e-9)


def test_every_feasible_point_has_finite_metrics_and_every_unknown_link_is_a_reason():
    model = CATALOG.model("llama-3.1-70b")
    table = hardware_table(list(CATALOG.chips), [PrecisionPlan.of("fp8")])
    evaluation = evaluate(model, table, Layouts.of([(tp, 1, 1) for tp in (1, 2, 4, 8)]),
                          Efficiency(), batches=[1, 16, 256])
    ok = evaluation.feasible
    for name in ("tpot", "ttft", "output_per_s"):
        assert np.isfinite(evaluation.full(name)[ok]).all()
    c500 = table.ids.index("metax-c500")  # no published interconnect
    assert (evaluation.reason[c500, 0, 3] == Reason.LINK_UNKNOWN).all()  # tp8


def test_nearest_miss_names_the_missing_interconnect_not_the_single_chip_footprint():
    with pytest.raises(ServingError, match="no published interconnect"):
        predict("llama-3.1-70b", "metax-c500", 8, precision="bf16", scenario="offline")


def test_does_not_fit_quotes_the_best_layouts_footprint():
    with pytest.raises(ServingError, match=r"does not fit on tp8 .* 167\.8 GB of weights"):
        predict("deepseek-v3", "metax-c600", 8, precision="bf16", scenario="offline")


def test_layouts_come_from_divisors_not_a_count_up_to_the_chips():
    assert divisors(2 ** 31) == [2 ** k for k in range(32)]
    layouts = fixed_chip_layouts(CATALOG.model("llama-3.1-8b"), 2 ** 31)
    assert len(layouts) == 32


def test_a_torus_pod_is_one_domain_at_one_axis_of_link_bandwidth():
    chip = CATALOG.chip("google-tpu-v5p")
    table = hardware_table([chip], [PrecisionPlan.of("bf16")])
    per_direction = chip.scaleup.per_direction.to("B/s").magnitude
    assert table.scaleup_domain[0] == chip.scaleup.pod_chips.value  # 8,960, not one host's 4
    assert table.scaleup_bandwidth[0] == pytest.approx(per_direction / 3)  # 3D torus
    assert predict("llama-3.1-70b", chip, 8, tp=8, scenario="offline").layout == "tp8"
