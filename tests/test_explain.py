"""The numbers behind a sizing option reproduce the option's own figures."""

import math

import pytest

from calc.cost import cost_settings
from calc.explain import option_frame, option_math
from calc.sizing import size
from calc.workload import Workload
from specs.catalog import default_catalog


@pytest.fixture(scope="module")
def sizing():
    workload = Workload.of(model="deepseek-v3", requests_per_s=10, input_tokens=2000,
                           output_tokens=500, ttft_ms=3000, tpot_ms=50, peak_to_average=1.5,
                           spare_replicas=1, chips=("H200", "H20", "910C"))
    return size(workload, settings=cost_settings(default_catalog()))


def test_replicas_are_the_peak_over_the_capacity_rounded_up_plus_spares(sizing):
    for option in sizing.options:
        for pool in option_math(option, sizing.workload).pools:
            assert pool.peak_requests_per_s == pytest.approx(15.0)  # 10 × 1.5
            assert pool.replicas == math.ceil(15.0 / pool.capacity_per_replica) + 1
            assert pool.chips == pool.replicas * pool.chips_per_replica


def test_cost_per_token_is_cost_per_hour_over_tokens_per_hour_and_splits_add_up(sizing):
    for option in sizing.options:
        m = option_math(option, sizing.workload)
        assert m.tokens_per_hour == 10 * 2500 * 3600
        assert m.cost_per_hour / m.tokens_per_hour * 1e6 == pytest.approx(
            m.cost_per_million_tokens)
        assert m.input_cost_per_hour + m.output_cost_per_hour == pytest.approx(m.cost_per_hour)
        if option.disaggregated:
            assert m.prefill_share is None
            assert m.input_cost_per_hour == pytest.approx(option.pools[0].cost_per_hour)
        else:
            assert m.input_cost_per_hour == pytest.approx(m.cost_per_hour * m.prefill_share)


def test_the_option_frame_ranks_by_blended_cost_with_one_row_per_option(sizing):
    frame = option_frame(sizing)
    assert list(frame["rank"]) == list(range(1, len(sizing.options) + 1))
    assert frame["cost_per_million_tokens"].is_monotonic_increasing
    assert frame["cost_p10"].isna().all()  # no bands asked for
