"""Validation against measurements published by others (a copy of
shared/validation/public.yaml). The full figures live in the README and in the output of
``python -m calc validate``; here a few cases run as a smoke test of the machinery."""

import json
from pathlib import Path

import numpy as np
import pytest
import yaml

from calc import stacks
from calc.cli import main
from calc.validate import CASES_FILE, error_table, load_cases, metric_class, summary
from specs.catalog import CatalogError

CASES = Path(__file__).parent / "data" / "validation" / "public.yaml"
SMOKE = ["mlperf41-h100x8-llama2-70b-offline", "inferencemax-h200x8-dsr1-8k1k-c4",
         "trtllm05-h100-llama-7b-fp8-ttft-2048", "sglang-h100x72-deepseek-v3-decode",
         "mlperf41-mi300xx8-llama2-70b-server", "cloudmatrix384-910c-dsr1-prefill"]


@pytest.fixture(scope="module")
def smoke_file(tmp_path_factory):
    raw = [c for c in yaml.safe_load(CASES.read_text()) if c["id"] in SMOKE]
    path = tmp_path_factory.mktemp("cases") / "smoke.yaml"
    path.write_text(yaml.safe_dump(raw))
    return path


@pytest.fixture(scope="module")
def table(smoke_file):
    return error_table(load_cases(smoke_file))


def test_every_case_of_every_scenario_is_predicted_within_a_factor_of_2(table, smoke_file):
    raw = yaml.safe_load(smoke_file.read_text())
    assert table["case"].nunique() == len(raw) == len(SMOKE)
    assert len(table) == sum(len(case["measured"]) for case in raw)
    ratio = table["predicted"] / table["measured"]
    assert ratio.between(0.5, 2.0).all(), table[~ratio.between(0.5, 2.0)]


def test_each_case_is_predicted_with_its_own_stack(table):
    stacks = dict(zip(table["case"], table["stack"]))
    assert stacks["inferencemax-h200x8-dsr1-8k1k-c4"] == "sglang"
    assert stacks["mlperf41-mi300xx8-llama2-70b-server"] == "vllm"
    assert stacks["cloudmatrix384-910c-dsr1-prefill"] == "mindie"


def test_every_public_case_loads_and_names_a_known_stack():
    cases = load_cases(CASES)
    assert len(cases) == len(yaml.safe_load(CASES.read_text())) >= 53
    assert all(case.stack for case in cases)


def test_summary_breaks_the_error_down_by_vendor_stack_and_metric_class():
    table = __import__("pandas").DataFrame({
        "case": ["a", "b", "b"], "metric": ["output_tokens_per_s", "ttft_ms", "tpot_ms"],
        "error": [0.1, -0.3, 0.2], "vendor": ["AMD", "NVIDIA", "NVIDIA"],
        "stack": ["vllm", "sglang", "sglang"]})
    text = summary(table)
    nvidia = next(line for line in text.splitlines() if line.split()[:1] == ["NVIDIA"])
    assert nvidia.split() == ["NVIDIA", "2", "25.0", "-5.0"]  # MAPE (30 + 20) / 2, bias −5
    assert "ttft" in text and "worst: b ttft_ms -30.0%" in text
    assert metric_class("output_tokens_per_s_per_user") == "tpot"


def shipped_smoke(tmp_path, change=None):
    """The smoke cases as shipped in validation/public.yaml (what the profiles were fitted and
    cross-validated on), ``change`` applied to the first."""
    raw = [c for c in yaml.safe_load(CASES_FILE.read_text()) if c["id"] in SMOKE]
    raw[0].update(change or {})
    path = tmp_path / "shipped.yaml"
    path.write_text(yaml.safe_dump(raw))
    return path, raw


def test_validate_quotes_the_stored_cross_validated_mape_after_the_in_sample_one(
        capsys, tmp_path):
    path, raw = shipped_smoke(tmp_path)
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    in_sample, cross_validated = out.strip().splitlines()[-2:]
    metrics = sum(len(c["measured"]) for c in raw)
    assert in_sample.startswith("in-sample MAPE ")
    assert in_sample.endswith(f"over {metrics} metrics in {len(SMOKE)} cases")
    stored = {(r["case"], r["metric"]): r["error"]
              for r in stacks.load()["cross_validated_errors"]}
    errors = [stored[c["id"], m] for c in raw for m in c["measured"]]  # every one is stored
    mape = 100 * float(np.mean(np.abs(errors)))
    assert cross_validated.startswith(f"cross-validated MAPE {mape:.1f}% over {metrics} "
                                      f"metrics in {len(SMOKE)} cases; grouped")
    assert "CV MAPE %" in out and "worst cross-validated:" in out


def test_a_case_changed_since_the_cross_validation_gets_no_stored_error(capsys, tmp_path):
    first = next(c for c in yaml.safe_load(CASES_FILE.read_text()) if c["id"] in SMOKE)
    path, raw = shipped_smoke(tmp_path, change={"input_tokens": first["input_tokens"] + 10})
    assert main(["validate", str(path)]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    metrics = sum(len(c["measured"]) for c in raw)
    known = metrics - len(raw[0]["measured"])
    assert last.startswith(f"cross-validated MAPE of this file: not stored for "
                           f"{metrics - known} of {metrics} metrics")
    assert f"calibrate {path} --cross-validate" in last
    assert f"The {known} stored give " in last


def test_validate_json_is_one_document_with_both_mapes(capsys, smoke_file):
    assert main(["validate", str(smoke_file), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert len(document["cases"]) >= len(SMOKE)
    assert document["summary"].startswith("in-sample MAPE ") and document["mape_percent"] > 0
    assert document["cross_validated"].startswith("cross-validated MAPE ")
    assert document["cross_validated_mape_percent"] > 0


def test_an_unknown_id_in_a_case_file_is_an_error_naming_it(tmp_path):
    cases = yaml.safe_load(CASES.read_text())[:1]
    cases[0]["chip"] = "nvidia-h1000"
    path = tmp_path / "cases.yaml"
    path.write_text(yaml.safe_dump(cases))
    with pytest.raises(CatalogError, match="unknown chip 'nvidia-h1000'"):
        load_cases(path)


def test_mape_of_the_smoke_cases_is_finite(table):
    assert np.isfinite(table["error"]).all()


CASE = {"id": "c1", "model": "llama-3.1-8b", "chip": "H100", "chips": 1, "scenario": "decode",
        "context_tokens": 1000, "concurrency": 1, "measured": {"tpot_ms": 5.0}}


@pytest.mark.parametrize("cases,fragment", [
    ([], "no cases"),
    (None, "the file is empty"),
    ([CASE | {"measured": {"tpot_ms": 0}}], "case c1: measured.tpot_ms: Input should be greater"),
    ([CASE | {"measured": {"tpot_ms": -3.0}}], "case c1: measured.tpot_ms"),
    ([CASE | {"measured": {"tpot_ms": float("nan")}}], "case c1: measured.tpot_ms"),
    ([CASE | {"measured": {"ttft_ms": 30.0}}], "case c1: a decode case has no prefill"),
    ([CASE | {"chips": 3, "parallelism": {"tp": 2}}], "case c1: layout tp=2"),
])
@pytest.mark.parametrize("command", ["validate", "calibrate"])
def test_cases_that_cannot_be_measured_are_refused_naming_file_and_case(capsys, tmp_path, cases,
                                                                         fragment, command):
    path = tmp_path / "cases.yaml"
    path.write_text("" if cases is None else yaml.safe_dump(cases))
    status = main([command, str(path)])
    out, err = capsys.readouterr()
    assert status == 2 and out == "" and err.count("\n") == 1
    assert err.startswith(f"error: {path}: ") and fragment in err
