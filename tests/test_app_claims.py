"""The Claims, Accuracy and Predict pages, driven by AppTest: the numbers shown are calc's."""

import base64
import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from calc.claims import check_claims
from calc.predict import concurrency_curve, predict
from calc.report import format_duration
from calc.validate import CASES_FILE, accuracy_table, load_cases, mape_percent

APP = str(Path(__file__).parents[1] / "app.py")


def page(name: str, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
    at.run()
    at.switch_page(f"app_pages/{name}.py").run()
    assert not at.exception
    return at


def chart(at: AppTest, index: int = 0) -> dict:
    """A plotly chart's figure, its arrays decoded (plotly ships them base64-packed)."""
    def decode(value):
        if isinstance(value, dict) and "bdata" in value:
            return np.frombuffer(base64.b64decode(value["bdata"]), value["dtype"]).tolist()
        return value

    figure = json.loads(at.get("plotly_chart")[index].proto.spec)
    figure["data"] = [{k: decode(v) for k, v in trace.items()} for trace in figure["data"]]
    return figure


@pytest.fixture(scope="module")
def cases():
    return accuracy_table(load_cases(CASES_FILE))


def test_claims_page_lists_the_910c_vs_h100_claim_with_its_verdict_band_and_source():
    at = page("claims")
    table = at.dataframe[0].value
    assert len(table) == len(check_claims()) == int(at.metric[0].value)
    row = table[(table["chip"] == "huawei-ascend-910c")
                & (table["baseline"] == "nvidia-h100-sxm")].iloc[0]
    check = next(c for c in check_claims() if c.chip == "huawei-ascend-910c"
                 and c.baseline == "nvidia-h100-sxm" and c.claimed_ratio == 0.6)
    assert row["claimed ratio"] == 0.6 and row["verdict"] == check.verdict
    assert (row["P10"], row["P90"]) == pytest.approx((check.p10, check.p90))  # the README's row
    inside = row["P10"] / 1.05 <= 0.6 <= row["P90"] * 1.05  # 5 % slack for rounding
    assert (row["verdict"] == "consistent") == inside
    assert "36Kr" in row["source"] and str(row["published"]) == "2025-12-01"
    linked = table.dropna(subset=["url"])  # a source with a URL gets a link column entry
    assert len(linked) > len(table) / 2 and all(linked["url"].str.startswith("http"))


def test_claims_page_filters_by_verdict_and_vendor_and_keeps_them_in_the_url():
    at = page("claims")
    at.multiselect(key="verdict").set_value(["optimistic", "pessimistic"])
    at.multiselect(key="claim_vendor").set_value(["NVIDIA"]).run()
    table = at.dataframe[0].value
    wanted = [c for c in check_claims() if c.verdict in ("optimistic", "pessimistic")
              and c.chip.startswith("nvidia")]
    assert len(table) == len(wanted) >= 2 and set(table["vendor"]) == {"NVIDIA"}
    assert at.query_params["verdict"] == "optimistic,pessimistic"
    at.selectbox(key="lang").set_value("zh").run()
    assert set(at.dataframe[0].value["结论"]) <= {"乐观", "保守"} and not at.exception


def test_accuracy_page_shows_the_mape_calc_computes_in_sample_and_cross_validated(cases):
    at = page("accuracy")
    shown = {m.label: m.value for m in at.metric}
    assert shown["MAPE in sample"] == f"{mape_percent(cases['error']):.1f} %" == "15.0 %"
    assert shown["MAPE cross-validated"] == f"{mape_percent(cases['cv_error']):.1f} %" \
        == "24.6 %"  # the README's table
    figure = chart(at)
    names = [trace["name"] for trace in figure["data"]]
    assert names == ["predicted in sample", "predicted cross-validated", "y = x"]
    assert figure["data"][0]["x"] == cases["measured"].tolist() and len(cases) == 120
    per_class = at.dataframe[0].value.set_index("metric class")  # the README's table again
    assert per_class.loc["throughput"].round(1).tolist() == [99, 15.3, 24.4]
    at.radio(key="acc_by").set_value("stack").run()
    assert at.dataframe[0].value.set_index("stack").loc["vllm", "metrics"] == 18
    at.radio(key="acc_by").set_value("metric_class")
    at.selectbox(key="lang").set_value("zh").run()
    per_class = at.dataframe[0].value.set_index("指标类别")
    assert per_class.loc["吞吐", "交叉验证 MAPE (%)"] == pytest.approx(24.4, abs=0.05)
    assert {m.label: m.value for m in at.metric}["交叉验证 MAPE"] == "24.6 %"


def test_accuracy_page_filters_by_vendor_and_stack(cases):
    at = page("accuracy", acc_vendor="AMD")
    amd = cases[cases["vendor"] == "AMD"]
    shown = {m.label: m.value for m in at.metric}
    assert shown["MAPE cross-validated"] == f"{mape_percent(amd['cv_error']):.1f} %" \
        == "22.4 %"
    at.multiselect(key="acc_stack").set_value(["sglang"]).run()
    table = at.dataframe[1].value
    assert set(table["stack"]) == {"sglang"} and set(table["vendor"]) == {"AMD"}
    at.multiselect(key="acc_vendor").set_value(["Intel"]).run()
    assert at.info and not at.metric and not at.exception  # nothing matches: no stale figures


def test_predict_page_with_uncertainty_shows_p10_p50_p90_of_each_output():
    at = page("predict")
    at.toggle(key="p_bands").set_value(True).run()
    bands = at.table[0].value
    assert list(bands.columns) == ["metric", "P10", "P50", "P90"]
    expected = predict("llama-3.1-70b", "H100", 8, precision="fp8", concurrency=64,
                       samples=1000).bands["ttft_ms"]
    ttft = bands[bands["metric"] == "TTFT"].iloc[0]
    assert ttft["P10"] == format_duration(expected.p10)
    assert ttft["P90"] == format_duration(expected.p90) and at.query_params["p_bands"] == "True"


def test_predict_page_poses_scenario_layout_and_limits_as_calc_does():
    at = page("predict", p_scenario="server", p_tp="4", p_tpot="30")
    expected = predict("llama-3.1-70b", "H100", 8, tp=4, precision="fp8", scenario="server",
                       tpot_limit_ms=30)
    shown = {m.label: m.value for m in at.metric}
    assert shown["TPOT"] == format_duration(expected.tpot_ms) and expected.tpot_ms <= 30
    assert f"{expected.replicas} replica(s) of tp4" in at.code[0].value
    memory = at.table[0].value.iloc[:, 1].tolist()  # the memory plan of a tp4 replica
    assert memory[0] == f"{expected.memory_per_chip_gb['weights']:,.1f} GB" == "17.6 GB"
    assert memory[-2].endswith(" sequences") and memory[-1] == "131,072 tokens"


def test_predict_page_plans_memory_on_the_layout_it_picked():
    at = page("predict", p_chips="3")  # tp=3 cannot split 64 heads: 3 replicas of tp1
    assert "3 replica(s) of tp1" in at.code[0].value and not at.error
    assert at.subheader[0].value.startswith("Memory plan per chip (tp1, 4096 tokens")


def test_predict_page_draws_the_latency_throughput_curve_from_calc():
    at = page("predict", p_model="llama-3.1-8b", p_chips="1")
    curve = concurrency_curve("llama-3.1-8b", "H100", 1, precision="fp8",
                              input_tokens=1000, output_tokens=1000)
    figure = chart(at)
    assert figure["data"][0]["y"] == pytest.approx(curve["tokens_per_s_per_chip"].tolist())
    assert len(curve) == 13 and figure["layout"]["xaxis"]["title"]["text"] == \
        "output tokens/s per user"


def test_a_bad_predict_input_shows_one_error_and_no_stale_result():
    at = page("predict")
    assert at.metric and at.get("plotly_chart")
    at.number_input(key="p_input").set_value(150_000).run()  # beyond Llama 3.1's 131,072
    assert "exceed" in at.error[0].value and not at.exception
    assert not at.metric and not at.table and not at.code and not at.get("plotly_chart")
    at.number_input(key="p_input").set_value(1000)
    at.number_input(key="p_tp").set_value(3).run()  # 3 does not divide 8 chips
    assert at.error and not at.metric and not at.exception


def test_predict_page_in_chinese_keeps_the_numbers():
    at = page("predict", lang="zh", p_scenario="decode", p_context="8192")
    assert at.title[0].value == "推理性能预测" and at.session_state["p_context"] == 8192
    expected = predict("llama-3.1-70b", "H100", 8, precision="fp8", scenario="decode",
                       concurrency=64, context_tokens=8192)
    assert {m.label: m.value for m in at.metric}["TPOT"] == format_duration(expected.tpot_ms)


def test_predict_page_runs_prefill_and_decode_disaggregated_from_a_shared_url():
    at = page("predict", p_disaggregated="True", p_scenario="server", p_tpot="40")
    expected = predict("llama-3.1-70b", "H100", 8, precision="fp8", scenario="server",
                       tpot_limit_ms=40, disaggregated=True)
    shown = {m.label: m.value for m in at.metric}
    assert shown["Output tokens/s (system)"] == f"{expected.output_tokens_per_s:,.0f}"
    assert at.checkbox(key="p_disaggregated").value and not at.exception
