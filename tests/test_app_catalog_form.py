"""The Catalog page's chip form, and the Size and Cost pages restored from a shared URL (AppTest,
widgets by key)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from calc.cost import cost_settings
from specs.catalog import default_catalog

APP = str(Path(__file__).parents[1] / "app.py")
GOOD = {"name": "My NPU", "vendor": "Me", "memory_capacity": "96 GB",
        "memory_bandwidth": "3.2 TB/s", "bf16_dense": "800 TFLOPS", "fp8_dense": "1.6 PFLOPS",
        "scaleup_bandwidth": "400 GB/s", "tdp": "0.6 kW"}


def page(name: str | None = None, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
    at.run()
    if name:
        at.switch_page(f"app_pages/{name}.py").run()
    assert not at.exception
    return at


def fill_chip_form(at: AppTest, typed: dict, domain: int | None = None) -> AppTest:
    for field, text in typed.items():
        at.text_input(key=f"own_{field}").set_value(text)
    at.number_input(key="own_scaleup_domain_chips").set_value(domain)
    at.button(key="own_add").click().run()
    return at


def test_a_typed_chip_joins_the_catalog_table_with_its_figures_as_estimates():
    at = fill_chip_form(page(), GOOD, domain=16)
    assert not at.exception and not at.error and "me-my-npu" in at.success[0].value
    chips = at.dataframe[0].value.set_index("id")
    mine = chips.loc["me-my-npu"]
    assert (mine["memory (GB)"], mine["memory bandwidth (TB/s)"]) == (96, 3.2)
    assert (mine["BF16 dense (TFLOPS)"], mine["FP8 dense (TFLOPS)"], mine["TDP (W)"]) == \
        (800, 1600, 600)
    assert mine["scale-up bandwidth, both directions (GB/s)"] == 800  # 400 per direction
    assert mine["lowest confidence"] == "estimate"  # your figures, not a datasheet's
    assert len(chips) == len(default_catalog().chips) + 1
    assert "me-my-npu" not in str(dict(at.query_params))  # your own chip stays out of the URL


@pytest.mark.parametrize("memory, says", [("-3 GB", "must be positive"),
                                          ("abc", "no number in front of the unit"),
                                          ("96", "add its unit")])
def test_a_bad_memory_is_named_under_its_field_and_adds_no_chip(memory, says):
    at = fill_chip_form(page(), GOOD | {"memory_capacity": memory})
    assert not at.exception and len(at.error) == 1 and says in at.error[0].value
    column = next(c for c in at.columns if any(box.key == "own_memory_capacity"
                                               for box in c.text_input))
    assert [e.value for e in column.error] == [at.error[0].value]  # under the field itself
    assert len(at.dataframe[0].value) == len(default_catalog().chips)
    assert at.text_input(key="own_memory_capacity").value == memory  # kept to be corrected


def test_a_typed_chip_is_compared_sized_and_predicted_in_the_same_session():
    at = fill_chip_form(page(), GOOD, domain=16)
    at.switch_page("app_pages/compare.py").run()
    at.text_input(key="chips").set_value("my npu, H100").run()
    assert at.table[0].value.loc["memory (GB)"].tolist() == ["~96", "80"]
    at.switch_page("app_pages/size.py").run()
    at.text_input(key="size_chips").set_value("me-my-npu").run()
    assert not at.exception and "me-my-npu" in set(at.dataframe[0].value["chip"])
    assert any("stay in this browser session" in c.value for c in at.caption)
    at.switch_page("app_pages/predict.py").run()
    at.selectbox(key="p_chip").set_value("me-my-npu").run()
    assert not at.exception and not at.error and float(at.metric[0].value.replace(",", "")) > 0


def test_a_pasted_config_json_adds_a_model_and_bad_json_says_so():
    at = page()
    at.text_input(key="own_model_id").set_value("tiny")
    at.text_area(key="own_config").set_value('{"hidden_size": 512,')
    at.button(key="own_add_model").click().run()
    assert "not valid JSON" in at.error[0].value and not at.exception
    config = ('{"hidden_size": 512, "num_hidden_layers": 2, "num_attention_heads": 8, '
              '"intermediate_size": 1024, "vocab_size": 1000, "max_position_embeddings": 2048}')
    at.text_area(key="own_config").set_value(config)
    at.button(key="own_add_model").click().run()
    models = at.dataframe[4].value.set_index("id")
    assert not at.error and models.loc["tiny", "layers"] == 2


def test_a_shared_size_url_restores_a_cleared_limit_and_the_filters():
    at = page("size", ttft="", size_estimates="False", size_chips="H200, H20", bands="True")
    assert at.number_input(key="ttft").value is None  # no limit, not the 3 s default
    assert at.checkbox(key="size_estimates").value is False and at.toggle(key="bands").value
    table = at.dataframe[0].value
    pools = {chip for option in table["chip"] for chip in option.split(" + ")}  # a + b: two pools
    assert pools <= {"nvidia-h200-sxm", "nvidia-h20"} and not at.error
    assert "blended P10 (USD/Mtok)" in table.columns
    assert at.query_params["ttft"] == "" and "model" not in at.query_params  # default: left out


def test_a_size_view_opened_from_its_own_url_shows_the_same_form_and_table():
    at = page("size", size_chips="H20, H200")
    at.number_input(key="ttft").set_value(None)
    at.number_input(key="peak").set_value(2.0)
    at.multiselect(key="precisions").set_value(["fp8"])
    at.checkbox(key="size_disaggregated").set_value(False)
    at.selectbox(key="currency").set_value("CNY").run()
    shared = page("size", **dict(at.query_params))
    for kind, key in (("number_input", "ttft"), ("number_input", "peak"),
                      ("multiselect", "precisions"), ("checkbox", "size_disaggregated"),
                      ("selectbox", "currency"), ("text_input", "size_chips"),
                      ("multiselect", "pareto_chips")):
        assert getattr(shared, kind)(key=key).value == getattr(at, kind)(key=key).value, key
    assert shared.dataframe[0].value.equals(at.dataframe[0].value) and not shared.error
    # defaults are left out; the Pareto chips kept from the first sizing may differ from the
    # new sizing's default and then travel too
    assert set(at.query_params) - {"pareto_chips"} == {
        "size_chips", "ttft", "peak", "precisions", "size_disaggregated", "currency"}


def test_clearing_the_ttft_limit_writes_it_into_the_url():
    at = page("size", size_chips="H20")
    at.number_input(key="ttft").set_value(None).run()
    assert at.query_params["ttft"] == ""
    at.number_input(key="ttft").set_value(3000.0).run()
    assert "ttft" not in at.query_params


def test_a_shared_cost_url_restores_an_overridden_setting_and_its_cost():
    settings = cost_settings(default_catalog())
    pue = settings.pue.value + 0.5
    at = page("cost", set_pue_US=str(pue), cost_chips="H100", amount_target_cost="0.8 USD/Mtok",
              target_kind="output")
    assert at.number_input(key="set_pue_US").value == pytest.approx(pue)
    assert (at.text_input(key="amount_target_cost").value, at.selectbox(key="target_kind").value) \
        == ("0.8 USD/Mtok", "output")
    shown = at.dataframe[0].value.set_index("setting")
    assert shown.loc["PUE", "value"] == pytest.approx(pue) and shown.loc["PUE", "source"] == \
        "your input"
    owned = at.dataframe[1].value.set_index("chip").loc["nvidia-h100-sxm"]
    power = owned["power (USD/h)"]
    kw, price = owned["all-in power (kW)"], settings.electricity_per_kwh.value
    assert power == pytest.approx(kw * pue * price, rel=1e-6)
    assert at.query_params["set_pue_US"] == str(pue) and not at.exception
