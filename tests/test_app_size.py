"""The Size and Cost pages, driven by AppTest (widgets by key)."""

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from calc.cost import cost_settings
from specs.catalog import default_catalog

APP = str(Path(__file__).parents[1] / "app.py")
BLENDED = "blended (USD/Mtok)"


def page(name: str, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
    at.run()
    at.switch_page(f"app_pages/{name}.py").run()
    assert not at.exception
    return at


TABLES = {"size_table": 0, "settings_table": 0, "owned_table": 1, "rented_table": 2,
          "reverse_table": 3}
"""Each table's place on its page (AppTest does not expose a dataframe's key)."""


def rows(at: AppTest, key: str):
    return at.dataframe[TABLES[key]].value


def test_size_page_ranks_h200_h20_and_910c_by_cost_for_the_readme_workload():
    at = page("size")  # the defaults are the README's workload: deepseek-v3, 10 requests/s,
    at.text_input(key="size_chips").set_value("H200, H20, 910C").run()  # 2000/500, 3 s, 50 ms
    table = rows(at, "size_table").set_index("chip")
    assert {"nvidia-h200-sxm", "nvidia-h20", "huawei-ascend-910c"} <= set(table.index)
    assert table[BLENDED].notna().all() and table[BLENDED].is_monotonic_increasing
    h200 = table.loc["nvidia-h200-sxm"]
    assert (h200["chips"], h200["layout"], h200["precision"]) == (16, "tp8×ep8", "fp8")
    assert h200["TPOT (ms)"] <= 50 and h200["TTFT (ms)"] <= 3000
    assert {"memory", "compute", "communication"} >= set(table["binding resource"])
    assert at.get("plotly_chart") and not at.error


def test_the_bands_toggle_adds_p10_and_p90_of_the_cost_around_each_option():
    at = page("size")
    assert "blended P10 (USD/Mtok)" not in rows(at, "size_table").columns
    at.toggle(key="bands").set_value(True).run()
    table = rows(at, "size_table").dropna(subset=[BLENDED])
    p10, p90 = table["blended P10 (USD/Mtok)"], table["blended P90 (USD/Mtok)"]
    assert (p10 <= p90).all() and (p90 > p10).any() and not at.exception
    assert table["meets limits (%)"].between(0, 100).all()


def test_switching_to_cny_multiplies_every_cost_by_the_dated_rate():
    at = page("size")
    at.text_input(key="size_chips").set_value("H200, H20, 910C").run()
    usd = rows(at, "size_table").set_index("chip")[BLENDED]
    at.selectbox(key="currency").set_value("CNY").run()
    cny = rows(at, "size_table").set_index("chip")["blended (CNY/Mtok)"]
    rate = cost_settings(default_catalog()).cny_per_usd.value
    assert (cny / usd).round(9).unique().tolist() == [round(rate, 9)]
    assert at.query_params["currency"] == "CNY"


def test_an_impossible_tpot_names_the_nearest_miss_and_shows_no_table():
    at = page("size")
    at.number_input(key="tpot").set_value(1.0).run()
    assert not at.exception and not at.dataframe
    assert "no option meets" in at.error[0].value and "TPOT ≤ 1 ms" in at.error[0].value


def test_a_cleared_tpot_limit_is_no_limit_and_the_cheapest_option_serves_slower():
    at = page("size")
    limited = rows(at, "size_table").iloc[0]
    at.number_input(key="tpot").set_value(None).run()
    table = rows(at, "size_table")
    free = table.iloc[0]
    assert not at.error and table["TPOT (ms)"].max() > 50 >= limited["TPOT (ms)"]  # default 50
    assert free["TPOT (ms)"] > limited["TPOT (ms)"] and free[BLENDED] <= limited[BLENDED]


def test_a_shared_size_url_sets_the_form_and_a_prompt_beyond_the_context_is_an_error():
    at = page("size", model="llama-3.1-70b", traffic="5", out_tokens="300", lang="zh")
    assert at.title[0].value == "集群规模测算"
    assert (at.selectbox(key="model").value, at.number_input(key="traffic").value) == \
        ("llama-3.1-70b", 5.0)
    at.number_input(key="in_tokens").set_value(1_000_000).run()
    assert "context" in at.error[0].value and not at.dataframe and not at.exception


def test_the_math_of_the_first_option_shows_replicas_and_cost_per_token():
    at = page("size")
    math = " ".join(m.value for m in at.markdown)
    first = rows(at, "size_table").iloc[0]
    found = re.findall(r"= (\d+); chips = \d+ × \d+ = (\d+)", math)  # one per pool
    replicas, chips = (sum(int(x) for x in column) for column in zip(*found))
    assert len(found) == (2 if first["prefill/decode apart"] else 1)
    assert (replicas, chips) == (first["replicas"], first["chips"])
    assert "× 10⁶ =" in math and f"{first[BLENDED]:.4g} USD/Mtok" in math


def test_overriding_the_electricity_price_raises_the_owned_chip_hour_cost_by_kw_times_pue():
    at = page("cost")
    before = rows(at, "owned_table").set_index("chip").loc["nvidia-h100-sxm"]
    settings = cost_settings(default_catalog())
    at.number_input(key="set_electricity_per_kwh_US").set_value(
        settings.electricity_per_kwh.value + 0.1).run()
    after = rows(at, "owned_table").set_index("chip").loc["nvidia-h100-sxm"]
    hourly = "cost per chip-hour (USD/h)"
    rise = after[hourly] - before[hourly]
    assert rise == pytest.approx(before["all-in power (kW)"] * settings.pue.value * 0.1)
    sources = rows(at, "settings_table").set_index("setting")["source"]
    assert sources["electricity"] == "your input" and sources["PUE"] != "your input"
    assert not rows(at, "rented_table")[hourly].isna().all()


def test_the_cost_page_ranks_what_moves_the_cost_and_a_budget_buys_a_traffic():
    at = page("cost")
    assert at.metric[0].value.endswith("USD/Mtok") and " – " in at.metric[1].value
    assert len(at.get("plotly_chart")) == 2  # the breakdown and the tornado
    meets = rows(at, "reverse_table").set_index("chip")
    cheapest = at.metric[0].label.split(": ", 1)[1].rsplit(" (", 1)[0]  # "Cheapest: a + b (…)"
    assert meets.loc[[cheapest], "meets target"].tolist() == ["yes"]  # 0.5 USD/Mtok
    at.text_input(key="amount_target_cost").set_value("5 kg").run()
    assert "cost target" in at.error[0].value and not at.exception
    at.radio(key="question").set_value("capex").run()  # 10 MUSD
    traffic = rows(at, "reverse_table")["requests/s"].str.replace(",", "").astype(float)
    assert traffic.iloc[0] > 0 and traffic.is_monotonic_decreasing and not at.error
