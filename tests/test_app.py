"""The Streamlit app, driven by AppTest (widgets by key) and in a real headless Chromium."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from specs.catalog import default_catalog

APP = str(Path(__file__).parents[1] / "app.py")
CHROMIUM = "/usr/bin/chromium"


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
    assert values["Output tokens/s (system)"].endswith("tokens/s")
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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = _free_port()
    env = os.environ | {"STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", APP, "--server.headless",
                             "true", "--server.port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.3)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)


def test_catalog_and_a_shared_compare_url_render_in_headless_chromium(server):
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "install Debian's chromium: apt-get install chromium"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        page = browser.new_page()
        page.goto(server + "/")
        page.get_by_text("Accelerator catalog").wait_for(timeout=60_000)
        page.wait_for_timeout(1000)
        assert page.get_by_text("Page not found").count() == 0
        chips_shown = page.locator('[data-testid="stMetricValue"]').first
        assert chips_shown.inner_text() == str(len(default_catalog().chips))
        search = page.get_by_label("Search id or name")
        search.fill("910c")
        search.press("Enter")
        page.wait_for_function(
            "() => document.querySelector('[data-testid=\"stMetricValue\"]').innerText === '1'",
            timeout=30_000)
        page.goto(server + "/predict")
        page.get_by_text("Output tokens/s (system)").wait_for(timeout=60_000)
        assert page.get_by_text("Page not found").count() == 0
        assert "tokens/s" in page.locator('[data-testid="stMetricValue"]').first.inner_text()
        page.goto(server + "/compare?chips=H100,H200&lang=zh")
        page.get_by_text("加速器对比").wait_for(timeout=60_000)
        table = page.locator('[data-testid="stTable"]')
        table.get_by_text("NVIDIA H200 SXM").wait_for(timeout=30_000)
        assert table.get_by_text("NVIDIA H100 SXM").count() == 1
        assert table.get_by_text("显存容量 (GB)").count() == 1
        browser.close()


def test_a_shared_size_url_shows_costs_in_its_currency_in_headless_chromium(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        page = browser.new_page()
        page.goto(server + "/size?currency=CNY&region=China&model=deepseek-v3&traffic=10")
        page.get_by_text("Size a cluster").wait_for(timeout=60_000)
        cost = page.locator('[data-testid="stMetricValue"]').nth(1)
        cost.get_by_text("CNY/Mtok").wait_for(timeout=60_000)
        assert float(cost.inner_text().split()[0]) > 0
        page.screenshot(path=str(Path(os.environ.get("TMPDIR", "/tmp")) / "accelcalc-size.png"))
        browser.close()
