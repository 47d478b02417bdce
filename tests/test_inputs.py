"""The Python API refuses bad arguments with one error type, quickly, saying what to change."""

import pytest

from calc import (chip_frame, critical_batch, memory_plan, model_frame, model_from_hf_config,
                  predict, ridge_point)
from calc.errors import AccelcalcError
from calc.inputs import MAX_CHIPS, count, positive_ms, tokens
from calc.layouts import divisors, fixed_chip_layouts
from specs.catalog import default_catalog, load_catalog
from tests.timebound import within

CATALOG = default_catalog()
H100, LLAMA = CATALOG.chip("H100"), CATALOG.model("llama-3.1-70b")


@pytest.mark.parametrize("call,fragment", [
    (lambda: predict(LLAMA, H100, "8"), "chips must be a whole number"),
    (lambda: predict(H100, LLAMA, 8), "swapped"),
    (lambda: predict("H100", "llama-3.1-70b", 8), "swapped"),
    (lambda: predict(None, H100, 8), "model must be a model id"),
    (lambda: predict(LLAMA, 3.5, 8), "chip must be a chip id"),
    (lambda: predict(LLAMA, H100, 8.5), "whole number"),
    (lambda: predict(LLAMA, H100, True), "whole number"),
    (lambda: predict(LLAMA, H100, float("nan")), "whole number"),
    (lambda: predict(LLAMA, H100, 8, precision=8), "precision must be a name"),
    (lambda: predict(LLAMA, H100, 8, precision={"weights": "fp8", "x": 1}), "dict with keys"),
    (lambda: predict(LLAMA, H100, 8, precision=["fp8"]), "precision must be a name"),
    (lambda: predict(LLAMA, H100, 8, scenario=3), "unknown scenario"),
    (lambda: predict(LLAMA, H100, 8, efficiency="fast"), "efficiency must be a Efficiency"),
    (lambda: predict(LLAMA, H100, 8, disaggregated="no"), "True or False"),
    (lambda: predict(LLAMA, H100, 8, concurrency=8, ttft_limit_ms="5"), "milliseconds"),
    (lambda: predict(LLAMA, H100, 8, tp="2"), "tp must be a whole number"),
    (lambda: memory_plan(LLAMA, H100, [8]), "chips must be"),
    (lambda: memory_plan(LLAMA, "no-such-chip"), "unknown chip"),
    (lambda: memory_plan(LLAMA, H100, context_tokens=2**63), "at most"),
    (lambda: chip_frame("H100"), "list of catalog chips"),
    (lambda: chip_frame([LLAMA]), "Chip objects"),
    (lambda: model_frame("llama"), "list of catalog models"),
    (lambda: model_frame([H100]), "Model objects"),
    (lambda: chip_frame([H100], units={"memory": "TB/s"}), "does not measure"),
    (lambda: chip_frame([H100], units={"memory": "furlongs"}), "cannot read"),
    (lambda: chip_frame([H100], units=["GB"]), "units must be a dict"),
    (lambda: critical_batch("H100", "fp3"), "unknown precision"),
    (lambda: ridge_point(LLAMA), "swapped"),
    (lambda: model_from_hf_config(5), "config must be a dict"),
    (lambda: model_from_hf_config({"hidden_size": 8, "num_hidden_layers": 2,
                                   "num_attention_heads": 0, "intermediate_size": 8,
                                   "vocab_size": 8}), "positive whole number"),
    (lambda: model_from_hf_config({}, model_id=7), "model_id must be"),
    (lambda: load_catalog(root="/nonexistent"), "does not exist"),
    (lambda: load_catalog(root=None), "root must be"),
])
def test_any_bad_api_argument_raises_the_project_error_saying_what_to_change(call, fragment):
    with pytest.raises(AccelcalcError, match=fragment):
        call()


@pytest.mark.parametrize("call,fragment", [
    (lambda: predict(LLAMA, H100, 2**31), "at most 1,048,576"),
    (lambda: predict(LLAMA, H100, 10**400), "at most"),
    (lambda: predict(LLAMA, H100, 8, concurrency=2**62), "at most"),
    (lambda: predict(LLAMA, H100, 8, scenario="decode", context_tokens=2**63), "at most"),
    (lambda: predict(LLAMA, H100, 8, scenario="decode", context_tokens=10**6), "context of"),
    (lambda: predict(LLAMA, H100, 8, input_tokens=10**6), "context of"),
    (lambda: predict(LLAMA, H100, 8, concurrency=8, tpot_limit_ms=1e300), "at most"),
])
def test_counts_beyond_physical_bounds_are_refused_before_any_enumeration(call, fragment):
    with within(5), pytest.raises(AccelcalcError, match=fragment):
        call()


def test_layouts_of_the_largest_allowed_cluster_are_enumerated_from_divisors():
    with within(5):
        layouts = fixed_chip_layouts(LLAMA, MAX_CHIPS)
    assert sorted(layouts.tp) == [2**k for k in range(21)]  # one per divisor, not per chip
    assert divisors(36) == [1, 2, 3, 4, 6, 9, 12, 18, 36]


def test_argument_checks_accept_what_is_meaningful():
    assert count("chips", 8.0, maximum=16) == 8
    assert positive_ms("TTFT limit", 200) == 200.0
    assert tokens("context_tokens", 131072, LLAMA) == 131072


def test_the_python_default_scenario_is_the_command_lines():
    assert predict(LLAMA, H100, 8, precision="fp8").scenario == "offline"
    assert predict(LLAMA, H100, 8, precision="fp8", concurrency=8).scenario == "concurrency"


def test_a_disaggregated_search_on_a_huge_cluster_tries_a_bounded_number_of_splits():
    with within(20):  # 720720 chips: 240 replica sizes, up to 720720 replicas each
        r = predict("deepseek-v3", H100, 720720, scenario="server", disaggregated=True)
    assert r.replicas * int(r.layout.removeprefix("ep")) == 720720
