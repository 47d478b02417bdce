"""The performance model: physical properties (hypothesis), unit invariance, and errors that say
what to change."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calc.architecture import shape
from calc.errors import AccelcalcError
from calc.perf import Efficiency, Hardware, Layout, Precisions, step_time
from calc.predict import predict
from calc.report import prediction_lines
from calc.serving import ServingError, memory_fit
from specs.catalog import default_catalog
from specs.schema import Chip

MODELS = ["llama-2-7b", "llama-3.1-70b", "mixtral-8x7b", "deepseek-v3", "gpt-oss-120b",
          "qwen3-235b-a22b"]
EFF = Efficiency()


def hw(bandwidth=3.35e12, capacity=80e9, peak=1e15):
    return Hardware(peak_linear=peak, peak_attention=peak, memory_bandwidth=bandwidth,
                    memory_capacity=capacity, scaleup_bandwidth=450e9, scaleup_domain=8.0,
                    scaleout_bandwidth=50e9)


@settings(max_examples=60, deadline=None)
@given(model=st.sampled_from(MODELS), batch=st.integers(1, 4096), context=st.integers(1, 32768),
       bandwidth=st.floats(1e11, 2e13), factor=st.floats(1.0, 10.0), tp=st.sampled_from([1, 8]))
def test_more_memory_bandwidth_never_makes_decode_slower(model, batch, context, bandwidth,
                                                         factor, tp):
    m = shape(default_catalog().model(model))
    kwargs = dict(tokens=batch, sequences=batch, context=context, decode=True)
    p = Precisions(1.0, 1.0)
    slow = step_time(m, hw(bandwidth), Layout(tp=tp), p, EFF, **kwargs).total
    fast = step_time(m, hw(bandwidth * factor), Layout(tp=tp), p, EFF, **kwargs).total
    assert fast <= slow * (1 + 1e-12)


@settings(max_examples=60, deadline=None)
@given(model=st.sampled_from(MODELS), context=st.integers(1, 32768),
       capacity=st.floats(16e9, 300e9), tp=st.sampled_from([1, 2, 4, 8, 16]),
       precision=st.sampled_from([0.5625, 1.0, 2.0]))
def test_more_chips_never_reduce_the_memory_available_per_replica(model, context, capacity, tp,
                                                                   precision):
    m = shape(default_catalog().model(model))
    p = Precisions(precision, precision)
    fewer = memory_fit(m, hw(capacity=capacity), Layout(tp=tp), p, EFF, context)
    more = memory_fit(m, hw(capacity=capacity), Layout(tp=2 * tp), p, EFF, context)
    assert more.max_sequences >= fewer.max_sequences
    assert 2 * tp * (more.usable - more.weights) >= tp * (fewer.usable - fewer.weights)


def _in_other_units(chip: Chip) -> Chip:
    data = chip.model_dump(mode="python")
    data["memory_bandwidth"]["value"] = chip.memory_bandwidth.value.to("Gbit/s")
    data["memory_capacity"]["value"] = chip.memory_capacity.value.to("MiB")
    data["fp8_dense"]["value"] = chip.fp8_dense.value.to("GFLOPS")
    data["bf16_dense"]["value"] = chip.bf16_dense.value.to("PFLOPS")
    data["scaleup"]["bandwidth"]["value"] = chip.scaleup.bandwidth.value.to("Tbit/s")
    return Chip.model_validate(data)


@settings(max_examples=15, deadline=None)
@given(model=st.sampled_from(["llama-3.1-70b", "mixtral-8x7b"]),
       concurrency=st.integers(1, 512), input_tokens=st.integers(1, 4096),
       output_tokens=st.integers(1, 2048))
def test_results_are_identical_whatever_units_the_inputs_were_given_in(
        model, concurrency, input_tokens, output_tokens):
    chip = default_catalog().chip("H100")
    kwargs = dict(chips=8, tp=8, precision="fp8", input_tokens=input_tokens,
                  output_tokens=output_tokens, concurrency=concurrency)
    a = predict(model, chip, **kwargs)
    b = predict(model, _in_other_units(chip), **kwargs)
    for field in ("output_tokens_per_s", "ttft_ms", "tpot_ms"):
        assert getattr(b, field) == pytest.approx(getattr(a, field), rel=1e-9)


def test_prediction_names_the_binding_resource_and_breaks_down_memory():
    r = predict("llama-3.1-70b", "H100", 2, tp=2, precision="fp8", input_tokens=1000,
                output_tokens=1000, concurrency=1)
    assert r.binding == "memory"  # batch-1 decode streams the weights
    mem = r.memory_per_chip_gb
    assert mem["weights"] == pytest.approx(70.55 / 2, rel=0.01)
    assert mem["total"] == pytest.approx(mem["weights"] + mem["kv_cache"] + mem["workspace"])
    assert mem["total"] <= mem["usable"]


def test_fp4_on_a_chip_without_fp4_units_falls_back_and_says_so():
    r = predict("llama-3.1-70b", "H100", 1, precision="fp4", input_tokens=100,
                output_tokens=100, concurrency=1)
    assert any("no fp4 units" in note and "fp8 peak" in note for note in r.notes)


@pytest.mark.parametrize("kwargs,fragment", [
    (dict(chips=0), "chips must be a whole number ≥ 1"),
    (dict(chips=-8), "chips must be a whole number ≥ 1"),
    (dict(chips=6, tp=4), "does not divide 6 chips"),
    (dict(chips=8, tp=2, replicas=3), "use 4 replicas"),
    (dict(chips=1, model="llama-3.1-405b", precision="bf16"), "the model does not fit"),
    (dict(chips=8, concurrency=0), "concurrency must be"),
    (dict(chips=8, input_tokens=-5), "input_tokens must be"),
    (dict(chips=8, precision="fp3"), "unknown precision 'fp3'"),
])
def test_bad_inputs_give_errors_that_say_what_to_change(kwargs, fragment):
    args = dict(model="llama-3.1-70b", chip="H100", precision="fp8", input_tokens=1000,
                output_tokens=100, concurrency=8) | kwargs
    with pytest.raises(AccelcalcError, match=fragment):
        predict(args.pop("model"), args.pop("chip"), args.pop("chips"), **args)


def test_decode_time_grows_with_context():
    m = shape(default_catalog().model("llama-3.1-70b"))
    times = step_time(m, hw(), Layout(tp=8), Precisions(1.0, 1.0), EFF, tokens=64,
                      sequences=64, context=np.array([1e3, 8e3, 64e3]), decode=True).total
    assert np.all(np.diff(times) > 0)


def test_moe_decode_reads_only_the_experts_the_batch_touches():
    m = shape(default_catalog().model("deepseek-v3"))
    p = Precisions(1.0, 1.0)
    one = step_time(m, hw(), Layout(ep=8), p, EFF, tokens=1, sequences=1, context=1,
                    decode=True).memory
    many = step_time(m, hw(), Layout(ep=8), p, EFF, tokens=512, sequences=512, context=1,
                     decode=True).memory
    assert many > 5 * one  # batch 1 touches 8 of 256 experts per layer, batch 512 nearly all


def test_server_scenario_meets_its_latency_limits_and_never_beats_offline():
    kwargs = dict(chips=16, tp=2, precision="fp8", input_tokens=2000, output_tokens=500)
    offline = predict("llama-3.1-70b", "H100", scenario="offline", **kwargs)
    server = predict("llama-3.1-70b", "H100", scenario="server", ttft_limit_ms=2000,
                     tpot_limit_ms=40, **kwargs)
    assert server.ttft_ms <= 2000 and server.tpot_ms <= 40
    assert server.output_tokens_per_s <= offline.output_tokens_per_s
    with pytest.raises(ServingError, match="TPOT ≤ 4 ms"):
        predict("llama-3.1-70b", "H100", scenario="server", tpot_limit_ms=4, **kwargs)


def test_disaggregation_removes_prefill_stalls_from_tpot():
    kwargs = dict(chips=16, tp=2, precision="fp8", input_tokens=2000, output_tokens=500,
                  concurrency=256)
    mixed = predict("llama-3.1-70b", "H100", **kwargs)
    split = predict("llama-3.1-70b", "H100", disaggregated=True, **kwargs)
    assert split.tpot_ms < mixed.tpot_ms
    assert mixed.prefill_replicas is None and 1 <= split.prefill_replicas < split.replicas == 8
    assert f"{split.prefill_replicas} prefill and {8 - split.prefill_replicas} decode" in \
        prediction_lines(split)[0]
    with pytest.raises(ServingError, match="at least 2 replicas"):
        predict("llama-3.1-70b", "H100", chips=2, tp=2, precision="fp8", concurrency=8,
                disaggregated=True)


def test_decode_scenario_reports_tpot_at_the_given_context():
    short = predict("deepseek-v3", "H100", 72, ep=72, precision="fp8", scenario="decode",
                    concurrency=18432, context_tokens=1000)
    long = predict("deepseek-v3", "H100", 72, ep=72, precision="fp8", scenario="decode",
                   concurrency=18432, context_tokens=2000)
    assert long.tpot_ms > short.tpot_ms and long.ttft_ms is None


def test_memory_plan_reports_the_largest_batch_and_context_that_fit():
    from calc.predict import memory_plan

    plan = memory_plan("llama-3.1-70b", "H100", 2, precision="fp8", context_tokens=8192)
    free = plan.usable_gb - plan.weights_gb - plan.workspace_gb
    assert plan.max_sequences == int(free / plan.kv_per_sequence_gb)
    assert plan.max_context_tokens == min(131072, int(free / plan.kv_per_sequence_gb * 8192))
    assert memory_plan("llama-3.1-405b", "H100", 2).max_sequences == 0


@pytest.mark.parametrize("chip", [c.id for c in default_catalog().chips])
def test_every_chip_is_predicted_or_refused_with_a_reason(chip):
    try:
        r = predict("llama-3.1-8b", chip, 8, precision="fp8", input_tokens=1000,
                    output_tokens=500, concurrency=32)
    except ServingError as err:  # a missing figure, named
        assert "no published" in str(err) and chip in str(err)
    else:
        assert r.output_tokens_per_s > 0 and r.ttft_ms > 0 and r.tpot_ms > 0


def test_a_chip_without_interconnect_figures_still_serves_single_chip_replicas():
    r = predict("llama-3.1-8b", "metax-c500", 8, precision="bf16", concurrency=32)
    assert r.layout == "tp1" and r.replicas == 8
    with pytest.raises(ServingError, match="only single-chip replicas"):
        predict("llama-3.1-70b", "metax-c500", 8, tp=8, concurrency=32)


@pytest.mark.parametrize("kwargs,fragment", [
    (dict(ep=2), "has no experts"),
    (dict(tp=3, chips=3), "does not divide llama-3.1-70b's 64 attention heads"),
])
def test_layouts_the_model_cannot_use_are_refused(kwargs, fragment):
    args = dict(chips=2, precision="fp8", concurrency=8) | kwargs
    with pytest.raises(ServingError, match=fragment):
        predict("llama-3.1-70b", "H100", **args)


def test_searched_layouts_only_use_tp_degrees_that_divide_the_heads():
    r = predict("llama-3.1-8b", "H100", 7, precision="fp8", concurrency=14)
    assert (r.layout, r.replicas) == ("tp1", 7)


def test_requests_beyond_memory_queue_and_the_result_says_so():
    r = predict("llama-3.1-70b", "H100", 2, tp=2, precision="fp8", concurrency=1000)
    assert r.binding == "capacity"
    assert any("requests per replica fit in memory" in note for note in r.notes)


def test_precision_names_are_case_insensitive():
    a = predict("llama-3.1-8b", "H100", 1, precision="FP8", concurrency=4)
    b = predict("llama-3.1-8b", "H100", 1, precision="fp8", concurrency=4)
    assert a.output_tokens_per_s == b.output_tokens_per_s


def test_request_overhead_adds_to_ttft_and_to_the_time_a_request_holds_its_slot():
    from calc.serving import serve_interleaved

    m = shape(default_catalog().model("llama-3.1-70b"))
    args = (m, hw(), Layout(tp=8), Precisions(1.0, 1.0))
    without = serve_interleaved(*args, EFF, 1000, 100, 4.0, waiting=4.0)
    with_rtt = serve_interleaved(*args, Efficiency(request_overhead_s=0.1), 1000, 100, 4.0,
                                 waiting=4.0)
    assert with_rtt.ttft - without.ttft == pytest.approx(0.1)
    cycle = 4 * 100 / without.output_per_s  # b · O / rate
    assert with_rtt.output_per_s == pytest.approx(4 * 100 / (cycle + 0.1))
    assert with_rtt.tpot == pytest.approx(without.tpot)


def test_expert_overlap_hides_the_all_to_all_only_where_experts_are_spread():
    m = shape(default_catalog().model("deepseek-v3"))
    kwargs = dict(tokens=256, sequences=256, context=2000, decode=True)
    p = Precisions(1.0, 1.0)
    for layout in (Layout(ep=16), Layout(tp=8)):
        plain = step_time(m, hw(), layout, p, Efficiency(ep_overlap=0.0), **kwargs)
        hidden = step_time(m, hw(), layout, p, Efficiency(ep_overlap=1.0), **kwargs)
        forced_off = step_time(m, hw(), Layout(layout.tp, layout.ep, ep_overlap=0.0), p,
                               Efficiency(ep_overlap=1.0), **kwargs)
        if layout.ep > 1:
            assert hidden.total < plain.total
        else:
            assert hidden.total == plain.total
        assert forced_off.total == plain.total  # the layout option overrides the stack


def test_attention_data_parallel_steps_wait_for_the_busiest_rank_only_when_prompts_mix_in():
    from calc.serving import serve_decode, serve_interleaved

    m = shape(default_catalog().model("deepseek-v3"))
    p = Precisions(1.0, 1.0)
    even, half = Efficiency(attention_dp_balance=1.0), Efficiency(attention_dp_balance=0.5)
    for layout, slower in ((Layout(ep=8), 2.0), (Layout(tp=8, ep=8), 1.0)):
        args = (m, hw(capacity=1e12), layout, p)
        balanced = serve_interleaved(*args, even, 1000, 3700, 512.0)
        skewed = serve_interleaved(*args, half, 1000, 3700, 512.0)
        assert balanced.output_per_s / skewed.output_per_s == pytest.approx(slower)
        assert serve_decode(*args, half, 2000, 512.0).tpot == pytest.approx(
            serve_decode(*args, even, 2000, 512.0).tpot)


def test_a_prediction_says_when_attention_ranks_wait_for_the_busiest():
    kwargs = dict(ep=8, precision="fp4", input_tokens=1000, output_tokens=1000)
    mixed = predict("deepseek-v3", "B200", 8, **kwargs)
    alone = predict("deepseek-v3", "B200", 8, scenario="decode", context_tokens=2000, **kwargs)
    assert any("waits for the busiest rank" in note for note in mixed.notes)
    assert not any("busiest" in note for note in alone.notes)


def test_fixed_per_step_cost_rules_small_batch_decode():
    m = shape(default_catalog().model("llama-3.1-8b"))
    kwargs = dict(tokens=1, sequences=1, context=1000, decode=True)
    base = step_time(m, hw(), Layout(), Precisions(2.0, 2.0), EFF, **kwargs).total
    slow = step_time(m, hw(), Layout(), Precisions(2.0, 2.0),
                     Efficiency(step_overhead_s=5e-3), **kwargs).total
    assert slow - base == pytest.approx(5e-3)


def test_the_tpot_headroom_is_the_median_mean_to_p99_of_the_mlperf_server_logs():
    import csv
    import io
    import statistics
    from pathlib import Path

    path = Path(__file__).parents[1] / "validation" / "mlperf_latency_ratios.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    server = [float(r["tpot_mean_ms"]) / float(r["tpot_p99_ms"]) for r in rows
              if r["scenario"] == "Server"]
    assert len(rows) == 401 and len(server) == 313
    assert all(r["path"].endswith("performance/run_1/mlperf_log_summary.txt") for r in rows)
    assert round(statistics.median(server), 2) == Efficiency().tpot_headroom == 0.87


def test_four_bit_moe_checkpoints_keep_attention_and_vocabulary_in_bf16():
    # DeepSeek-V3 in fp4 (0.5625 bytes with its scales) on 8 B200 of ep 8: 13.27e9 attention
    # and vocabulary parameters at 2 bytes on every chip, 3.85e9 dense-FFN and shared-expert
    # parameters and an eighth of the 653.9e9 routed ones at 0.5625 bytes: 26.5 + 2.2 + 46.0 GB.
    deepseek = predict("deepseek-v3", "B200", 8, tp=1, ep=8, precision="fp4")
    assert deepseek.memory_per_chip_gb["weights"] == pytest.approx(26.53 + 2.17 + 45.98, abs=0.05)
    assert "keep attention, embedding and head in bf16" in " ".join(deepseek.notes)
    # Llama's 4-bit checkpoints quantise every layer: 69.0e9 parameters at 0.5625 bytes.
    llama = predict("llama-2-70b", "B200", 1, precision="fp4").memory_per_chip_gb
    assert llama["weights"] == pytest.approx(68.98e9 * 0.5625 / 1e9, abs=0.05)
