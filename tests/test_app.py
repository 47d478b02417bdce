"""The Streamlit app, driven by AppTest (widgets by key); tests/test_browser.py drives it in a
real headless Chromium."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from specs.catalog import default_catalog

APP = str(Path(__file__).parents[1] / "app.py")


def run_app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    return at


def test_catalog_page_lists_every_chip_with_units_in_the_headers():
    at = run_app()
    frame = at.dataframe[0].value
    assert len(frame) == len(default_catalog().chips)
    assert "memory bandwidth (TB/s)" in frame.columns and "BF16 dense (TFLOPS)" in frame.columns
    assert at.metric[0].value == str(len(default_catalog().chips))


def test_filtering_by_vendor_and_status_narrows_the_table():
    at = run_app()
    at.multiselect(key="vendor").set_value(["Huawei"]).run()
    frame = at.dataframe[0].value
    huawei = [c for c in default_catalog().chips if c.vendor == "Huawei"]
    assert set(frame["vendor"]) == {"Huawei"} and len(frame) == len(huawei) >= 8
    at.multiselect(key="status").set_value(["roadmap"]).run()
    frame = at.dataframe[0].value
    assert set(frame["status"]) <= {"roadmap"} and len(frame) < len(huawei)


def test_search_finds_a_chip_by_name():
    at = run_app()
    at.text_input(key="search").set_value("910c").run()
    assert list(at.dataframe[0].value["id"]) == ["huawei-ascend-910c"]


def test_predict_page_shows_throughput_with_units_and_errors_without_crashing():
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("app_pages/predict.py").run()
    assert not at.exception
    values = {m.label: m.value for m in at.metric}
    assert float(values["Output tokens/s (system)"].replace(",", "")) > 0  # unit in the label
    at.selectbox(key="p_model").set_value("llama-3.1-405b")
    at.selectbox(key="p_precision").set_value("bf16")
    at.number_input(key="p_chips").set_value(1).run()
    assert not at.exception
    assert "does not fit" in at.error[0].value
    assert not at.metric and not at.code  # no stale result under the error


def test_every_number_input_is_bounded_and_long_times_read_in_seconds():
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("app_pages/predict.py").run()
    assert at.number_input and all(box.max is not None for box in at.number_input)
    assert at.number_input(key="p_chips").max <= 1_048_576
    at.selectbox(key="p_model").set_value("llama-3.1-8b")
    at.number_input(key="p_input").set_value(100_000)
    at.number_input(key="p_concurrency").set_value(512).run()
    ttft = {m.label: m.value for m in at.metric}["TTFT"]
    assert not at.exception and ttft.endswith((" s", " min", " h")), ttft


def test_predict_page_shows_the_cli_command_that_prints_its_text_block(capsys):
    from calc.cli import main

    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("app_pages/predict.py").run()
    at.number_input(key="p_concurrency").set_value(32)
    at.number_input(key="p_tp").set_value(4)
    at.checkbox(key="p_disaggregated").set_value(True).run()
    command, _, printed = at.code[0].value.partition("\n")
    assert command.startswith("$ python -m calc predict --model llama-3.1-70b")
    assert "--tp 4" in command and "--disaggregated" in command and not at.exception
    assert main(command.split()[4:]) == 0
    assert capsys.readouterr().out.strip() == printed.strip()
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(lang="zh")
    at.run()
    at.switch_page("app_pages/predict.py").run()
    assert any("命令行" in caption.value for caption in at.caption)  # explained in Chinese
    assert at.code[0].value.startswith("$ python -m calc predict") and not at.exception


def compare_page() -> AppTest:
    at = run_app()
    at.switch_page("app_pages/compare.py").run()
    assert not at.exception
    return at


def test_compare_page_picks_chips_by_alias_including_a_chinese_one():
    at = compare_page()
    at.text_input(key="chips").set_value("昇腾910C, H100").run()
    assert list(at.table[0].value.columns) == ["Huawei Ascend 910C", "NVIDIA H100 SXM"]
    at.text_input(key="chips").set_value("昇腾").run()
    ascend = [c for c in default_catalog().chips if any("昇腾" in a for a in c.aliases)]
    assert len(at.table[0].value.columns) == len(ascend) >= 8
    assert at.query_params["chips"] == "昇腾"  # the URL now shares this comparison


def test_compare_page_starts_from_the_state_in_a_shared_url():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(chips="H200, MI300X, 910B4", mem="GiB", lang="zh", china="True")
    at.run()
    at.switch_page("app_pages/compare.py").run()
    table = at.table[0].value
    assert list(table.columns) == ["NVIDIA H200 SXM", "Huawei Ascend 910B4"]  # buyable in China
    assert "显存容量 (GiB)" in table.index and not at.exception


def test_compare_page_shows_values_in_the_chosen_units_and_marks_estimates():
    at = compare_page()
    at.text_input(key="chips").set_value("H100, H200, 910C").run()
    table = at.table[0].value
    assert table.loc["memory (GB)", "NVIDIA H100 SXM"] == "80"
    assert table.loc["INT8 dense (TOPS)", "Huawei Ascend 910C"].startswith("~")  # an estimate
    at.selectbox(key="mem").set_value("GiB")
    at.selectbox(key="compute").set_value("PFLOPS").run()
    table = at.table[0].value
    assert table.loc["memory (GiB)", "NVIDIA H100 SXM"] == "74.51"  # 80e9 / 2**30
    assert table.loc["BF16 dense (PFLOPS)", "NVIDIA H100 SXM"] == "0.9895"
    sources = at.dataframe[0].value  # the per-value source list
    assert {"published", "confidence", "source"} <= set(sources.columns)
    assert len(at.get("plotly_chart")) == 4 and not at.exception
    at.selectbox(key="currency").set_value("CNY")
    at.radio(key="pp_y").set_value("price").run()
    chart = at.get("plotly_chart")[2].proto.spec
    assert "price paid (CNY)" in chart and at.query_params["currency"] == "CNY"


def test_compare_page_in_chinese_keeps_the_numbers_and_an_unknown_chip_is_an_error():
    at = compare_page()
    at.text_input(key="chips").set_value("H100, H200").run()
    english = at.table[0].value
    at.selectbox(key="lang").set_value("zh").run()
    chinese = at.table[0].value
    assert at.title[0].value == "加速器对比" and "显存容量 (GB)" in chinese.index
    assert chinese.values.tolist() == english.values.tolist()
    at.text_input(key="chips").set_value("H100, nosuchchip").run()
    assert "nosuchchip" in at.error[0].value and not at.table and not at.exception


def test_catalog_page_shows_systems_and_models_with_their_sources():
    at = run_app()
    chips, _, systems, _, models, _ = (frame.value for frame in at.dataframe)  # each + sources
    assert {"nvidia-gb200-nvl72", "huawei-cloudmatrix-384", "huawei-atlas-950-superpod",
            "metax-c600-superpod"} <= set(systems["id"])
    assert int(systems.set_index("id").loc["huawei-cloudmatrix-384", "chips"]) == 384
    assert len(models) == len(default_catalog().models)
    at.selectbox(key="lang").set_value("zh").run()
    assert at.title[0].value == "加速器目录" and not at.exception
    assert "显存带宽 (TB/s)" in at.dataframe[0].value.columns


def test_a_bad_upload_shows_its_error_and_a_config_json_adds_a_model():
    at = run_app()
    at.file_uploader(key="upload").upload("mine.yaml", b"id: mine\nvendor: me\n").run()
    assert not at.exception and "name: required but missing" in at.error[0].value
    config = (b'{"hidden_size": 512, "num_hidden_layers": 2, "num_attention_heads": 8, '
              b'"intermediate_size": 1024, "vocab_size": 1000, "max_position_embeddings": 2048}')
    at.file_uploader(key="upload").set_value(("tiny.json", config, "application/json")).run()
    assert not at.error and "tiny" in set(at.dataframe[4].value["id"])


def test_an_uploaded_chip_can_be_compared_with_a_shipped_one():
    at = run_app()
    chip = (b"id: my-npu\nvendor: Me\nname: My NPU\nstatus: roadmap\nsources:\n"
            b"  guess: {url: my notes, published: 2026-11-01, confidence: estimate}\n"
            b"memory_capacity: {value: 96 GB, source: guess, low: 64 GB, high: 128 GB}\n")
    at.file_uploader(key="upload").upload("my-npu.yaml", chip).run()
    at.switch_page("app_pages/compare.py").run()
    at.text_input(key="chips").set_value("my npu, H100").run()
    table = at.table[0].value
    assert table.loc["memory (GB)"].tolist() == ["~96", "80"] and not at.exception
