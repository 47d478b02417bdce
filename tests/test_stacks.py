"""Serving-stack profiles: lookup with fallback, fitting rules, grouped folds, and the fast
evaluation that calibration uses."""

from pathlib import Path

import numpy as np
import pytest
import yaml

from calc import stacks
from calc.architecture import shape
from calc.calibrate import (Prepared, fit_profiles, group_of, grouped_folds, source_of)
from calc.errors import AccelcalcError
from calc.cli import main
from calc.perf import Efficiency, Hardware, Layout, Precisions, step_time
from calc.predict import predict
from calc.validate import load_cases, predict_case
from specs.catalog import default_catalog

CASES = Path(__file__).parent / "data" / "validation" / "public.yaml"
PROFILES = {
    "global": {"parent": None, "values": {"mbu": 0.7}},
    "amd": {"parent": "global", "values": {"mbu": 0.6}},
    "amd/cdna 3": {"parent": "amd", "values": None,
                   "reason": "2 cases from 1 source, fewer than 3 from 2"},
    "sglang/amd/cdna 3": {"parent": "amd", "values": None,
                          "reason": "1 case from 1 source, fewer than 3 from 2"},
    "vllm/amd/cdna 3": {"parent": "amd", "values": {"mbu": 0.5}},
}


@pytest.fixture(scope="module")
def cases():
    return load_cases(CASES)


def test_a_stack_with_too_few_cases_falls_back_to_its_nearest_fitted_parent_and_says_so():
    chosen = stacks.profile("SGLang", "AMD", "CDNA 3", PROFILES)
    assert chosen.name == "amd" and chosen.efficiency.mbu == 0.6
    assert chosen.note == ("no fitted profile for sglang on amd/cdna 3 (1 case from 1 source, "
                           "fewer than 3 from 2); using the amd profile")


def test_a_fitted_stack_profile_is_used_silently_and_inherits_the_rest_from_its_parents():
    chosen = stacks.profile("vLLM", "AMD", "CDNA 3", PROFILES)
    assert (chosen.name, chosen.note, chosen.efficiency.mbu) == ("vllm/amd/cdna 3", "", 0.5)
    assert chosen.efficiency.mfu_decode == Efficiency().mfu_decode


def test_a_vendor_without_any_profile_uses_the_global_one():
    chosen = stacks.profile("unknown", "Intel", "Gaudi 3", PROFILES)
    assert chosen.name == "global" and "no fitted profile for intel/gaudi 3" in chosen.note


def test_stack_names_are_read_from_free_text_and_unknown_ones_refused():
    assert stacks.canonical("TensorRT-LLM 0.6.1") == "tensorrt-llm"
    assert stacks.canonical("Huawei CANN (CloudMatrix-Infer)") == "mindie"
    with pytest.raises(stacks.StackError, match="unknown serving stack 'deepspeed'"):
        stacks.canonical("deepspeed")
    assert main(["predict", "--model", "llama-3.1-8b", "--chip", "H100", "--chips", "1",
                 "--stack", "deepspeed"]) == 2


def test_predict_names_the_profile_it_fell_back_to():
    r = predict("llama-3.1-8b", "intel-gaudi3", 1, precision="bf16", concurrency=4,
                stack="vllm")
    assert any(note.startswith("no fitted profile for vllm on intel/gaudi 3") for note in r.notes)


def test_fit_gives_no_profile_to_a_stack_with_cases_from_one_source_only(cases):
    amd = [c for c in cases if c.id.startswith(("inferencemax-mi300x", "inferencemax-mi325x"))]
    profiles = fit_profiles([Prepared(c) for c in amd], max_evaluations=2)
    entry = profiles["sglang/amd/cdna 3"]
    assert len(amd) == 3 and entry["values"] is None
    assert entry["reason"] == "3 cases from 1 source, fewer than 3 from 2"
    assert profiles["global"]["values"] is not None


def test_only_vendor_profiles_fit_the_latency_of_a_collective():
    fitted = {k: v["values"] for k, v in stacks.load()["profiles"].items()
              if v.get("values") and v["parent"]}
    vendors = {k for k in fitted if "/" not in k}
    assert {"amd", "nvidia"} <= vendors
    assert all("collective_latency_s" in fitted[k] for k in vendors)
    assert not any("collective_latency_s" in v for k, v in fitted.items() if k not in vendors)
    amd = stacks.profile("sglang", "AMD", "CDNA 3").efficiency.collective_latency_s
    assert amd == fitted["amd"]["collective_latency_s"] > fitted["nvidia"]["collective_latency_s"]


def test_grouped_folds_never_split_the_cases_of_one_source_on_one_chip(cases):
    folds = grouped_folds(cases, 8)
    assert sorted(i for fold in folds for i in fold) == list(range(len(cases)))
    fold_of = {i: k for k, fold in enumerate(folds) for i in fold}
    by_group: dict = {}
    for i, case in enumerate(cases):
        by_group.setdefault(group_of(case), set()).add(fold_of[i])
    assert all(len(f) == 1 for f in by_group.values())
    assert len(by_group) > len(folds)  # folds hold several groups


def test_cross_validation_refuses_fewer_than_two_folds_and_caps_them_at_one_per_group(cases):
    with pytest.raises(AccelcalcError, match="at least 2 folds, got 1"):
        grouped_folds(cases, 1)
    groups = {group_of(c) for c in cases}
    assert len(grouped_folds(cases, 1000)) == len(groups)


def test_source_is_the_publication_not_the_run():
    a, b = (c for c in load_cases(CASES) if c.id in ("inferencemax-h200x8-dsr1-8k1k-c4",
                                                       "inferencemax-h200x8-dsr1-8k1k-c8"))
    assert source_of(a) == source_of(b) == "SemiAnalysis InferenceMAX run"
    assert group_of(a) == group_of(b)


@pytest.mark.parametrize("case_id", [
    "mlperf41-h100x8-llama2-70b-offline", "mlperf41-mi300xx8-llama2-70b-server",
    "inferencemax-h200x8-dsr1-8k1k-c4", "trtllm05-h100-llama-7b-fp8-ttft-2048",
    "sglang-gb200x48-dsv3-decode-fp4-fp8kv", "mlperf51-mi325xx8-mixtral-8x7b-server"])
def test_the_fast_evaluation_for_calibration_returns_predicts_numbers(cases, case_id):
    case = next(c for c in cases if c.id == case_id)
    eff = Efficiency(step_overhead_s=1e-3, request_overhead_s=0.05, tpot_headroom=0.8)
    result = predict_case(case, eff)
    expected = [getattr(result, metric) for metric in case.measured]
    np.testing.assert_allclose(Prepared(case).predict(eff, 1)[:, 0], expected, rtol=1e-9)


def test_efficiency_arrays_broadcast_one_value_per_chip():
    m = shape(default_catalog().model("llama-3.1-70b"))
    hw = Hardware(peak_linear=np.array([1e15, 2e15]), peak_attention=np.array([1e15, 2e15]),
                  memory_bandwidth=np.array([3.35e12, 5.3e12]), memory_capacity=80e9,
                  scaleup_bandwidth=450e9, scaleup_domain=8.0, scaleout_bandwidth=50e9)
    both = Efficiency(mbu=np.array([0.8, 0.6]), step_overhead_s=np.array([0.0, 2e-3]))
    kwargs = dict(tokens=16, sequences=16, context=2000, decode=True)
    together = step_time(m, hw, Layout(tp=2), Precisions(1.0, 1.0), both, **kwargs).total
    for i in range(2):
        one_hw = Hardware(*(np.asarray(v)[i] if np.ndim(v) else v for v in vars(hw).values()))
        one = Efficiency(mbu=both.mbu[i], step_overhead_s=both.step_overhead_s[i])
        alone = step_time(m, one_hw, Layout(tp=2), Precisions(1.0, 1.0), one, **kwargs).total
        assert together[i] == pytest.approx(alone, rel=1e-12)


def test_the_profiles_file_records_cases_sources_date_and_cross_validated_error():
    data = yaml.safe_load(stacks.PROFILES_FILE.read_text())
    assert data["fitted"]
    fitted = {k: v for k, v in data["profiles"].items() if v.get("values") is not None}
    assert "global" in fitted and len(fitted) > 1
    for name, entry in fitted.items():
        assert len(entry["cases"]) >= stacks.MIN_CASES, name
        assert len(entry["sources"]) >= stacks.MIN_SOURCES, name
        assert entry["cv_mape_percent"] >= 0, name
    for name, entry in data["profiles"].items():
        if entry.get("values") is None:
            assert "fewer than" in entry["reason"], name


def test_cross_validate_command_ends_with_the_cross_validated_mape_line(capsys, tmp_path):
    ids = ["inferencemax-h200x8-dsr1-8k1k-c4", "inferencemax-h200x8-dsr1-8k1k-c8",
           "mlperf41-h100x8-llama2-70b-offline", "lmdeploy-a100-llama2-7b-bs64"]
    raw = [c for c in yaml.safe_load(CASES.read_text()) if c["id"] in ids]
    path = tmp_path / "cases.yaml"
    path.write_text(yaml.safe_dump(raw))
    assert main(["calibrate", str(path), "--cross-validate", "--folds", "2"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1].startswith("cross-validated MAPE ")
    assert out[-1].endswith("over 8 metrics in 4 cases")
    assert "grouped 2-fold" in out[0]


def test_a_fit_without_cross_validation_says_the_in_sample_figure_flatters(capsys, tmp_path):
    raw = [c for c in yaml.safe_load(CASES.read_text())
           if c["id"] in ("inferencemax-h200x8-dsr1-8k1k-c4", "lmdeploy-a100-llama2-7b-bs64")]
    path = tmp_path / "cases.yaml"
    path.write_text(yaml.safe_dump(raw))
    assert main(["calibrate", str(path)]) == 0
    in_sample, hint = capsys.readouterr().out.strip().splitlines()[-2:]
    assert in_sample.startswith("in-sample MAPE ") and in_sample.endswith("in 2 cases")
    assert hint.startswith("cross-validated: add --cross-validate")
