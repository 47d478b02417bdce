"""Every table of the app has a CSV and an XLSX download beside it, and the Compare page's
tokens/s-per-MW tab shows calc's numbers; driven by AppTest."""

import base64
import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from calc.compare import pick_chips, tokens_per_mw
from specs.catalog import default_catalog

APP = str(Path(__file__).parents[1] / "app.py")
PAGES = ("catalog", "compare", "predict", "size", "cost", "claims", "accuracy")


def page(name: str, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params.update(query)
    at.run()
    at.switch_page(f"app_pages/{name}.py").run()
    assert not at.exception
    return at


def buttons(at: AppTest) -> list[str]:
    return [button.proto.label for button in at.get("download_button")]


def tables(at: AppTest) -> int:
    return len(at.dataframe) + len(at.table)


@pytest.mark.parametrize("name", PAGES)
def test_every_table_on_every_page_has_a_csv_and_an_xlsx_download(name):
    at = page(name)
    labels = buttons(at)
    assert tables(at) >= 1
    assert labels.count("Download CSV") == labels.count("Download XLSX") == tables(at)


def test_the_download_buttons_speak_chinese_with_the_page():
    labels = buttons(page("claims", lang="zh"))
    assert labels == ["下载 CSV", "下载 XLSX"]


def test_the_predict_bands_table_gets_its_own_downloads():
    at = page("predict")
    at.toggle(key="p_bands").set_value(True).run()
    assert buttons(at).count("Download XLSX") == tables(at) == 2 and not at.exception


def mw_chart(at: AppTest) -> dict:
    """The tokens/s-per-MW bars, their arrays decoded (plotly ships them base64-packed)."""
    figure = json.loads(at.get("plotly_chart")[3].proto.spec)
    bars = {}
    for trace in figure["data"]:
        y = trace["y"]
        if isinstance(y, dict):
            y = np.frombuffer(base64.b64decode(y["bdata"]), y["dtype"]).tolist()
        bars |= dict(zip(trace["x"], y))
    return bars


def test_the_mw_tab_charts_calcs_tokens_per_mw_for_the_workload_picked_on_it():
    at = page("compare", chips="H100, 910C")
    at.selectbox(key="mw_model").set_value("llama-3.1-8b")
    at.selectbox(key="mw_precision").set_value("bf16")
    at.number_input(key="mw_chips").set_value(1).run()
    catalog = default_catalog()
    expected = tokens_per_mw(catalog, pick_chips(catalog, "H100, 910C"), "llama-3.1-8b",
                             precision="bf16", chips_per_system=1)
    shown = mw_chart(at)
    assert shown == pytest.approx(dict(zip(expected["chip"],
                                           expected["output_tokens_per_s_per_mw"])))
    assert "all-in" in at.caption[-1].value and not at.warning
    assert at.query_params["mw_model"] == "llama-3.1-8b"  # the view can be shared


def test_a_chip_the_mw_tab_cannot_predict_is_listed_with_why_and_a_bad_workload_is_an_error():
    at = page("compare", chips="H100, MI300X", mw_model="llama-3.1-70b", mw_precision="bf16",
              mw_chips="1")  # 141 GB of bf16 weights: fit in an MI300X's 192 GB, not in 80 GB
    assert list(mw_chart(at)) == ["AMD Instinct MI300X"]
    assert "1 chip(s) not plotted" in at.warning[0].value
    table = at.dataframe[-1].value
    assert "does not fit" in table.set_index("chip").loc["NVIDIA H100 SXM", "why not plotted"]
    at.number_input(key="mw_in").set_value(131_000).run()  # + 1,000 > the 131,072 context
    assert "context" in at.error[0].value and len(at.get("plotly_chart")) == 3
    assert not at.exception


def test_the_mw_tab_speaks_chinese_and_keeps_the_numbers():
    english = page("compare", chips="H100, B200")
    chinese = page("compare", chips="H100, B200", lang="zh")
    assert [tab.label for tab in chinese.tabs][-1] == "每兆瓦词元/秒"
    assert mw_chart(chinese) == mw_chart(english)
