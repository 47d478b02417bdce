"""Picking and comparing chips (calc.compare), its charts (calc.plots) and user uploads
(calc.user_records)."""

import pandas as pd
import pytest

from calc.chip_cost import cost_frame
from calc.chip_cost import all_in_kw
from calc.compare import (ChipQueryError, pick_chips, price_performance, roofline_frame,
                          side_by_side, tokens_per_mw, value_sources)
from calc.cost import cost_settings
from calc.errors import AccelcalcError
from calc.plots import metric_bars, price_performance_chart, roofline_chart, tokens_per_mw_chart
from calc.predict import predict
from calc.sizing import buyable_in
from calc.user_records import MAX_UPLOAD_BYTES, read_upload, with_records
from specs.catalog import CatalogError, default_catalog

CATALOG = default_catalog()


def ids(chips):
    return [chip.id for chip in chips]


def test_an_exact_alias_picks_one_chip_and_a_part_of_a_name_picks_every_chip_with_it():
    assert ids(pick_chips(CATALOG, "昇腾910C")) == ["huawei-ascend-910c"]
    assert ids(pick_chips(CATALOG, "H100")) == ["nvidia-h100-sxm"]  # alias, not H100 PCIe/NVL
    ascend = ids(pick_chips(CATALOG, "昇腾"))
    assert "huawei-ascend-910c" in ascend and all(i.startswith("huawei-ascend") for i in ascend)
    assert ids(pick_chips(CATALOG, "H100，H200、MI300X")) == [  # full-width separators
        "nvidia-h100-sxm", "nvidia-h200-sxm", "amd-mi300x"]


def test_filters_narrow_the_picked_chips():
    china = pick_chips(CATALOG, "", buyable_in="China")
    assert china and all(buyable_in(CATALOG, chip, "China") for chip in china)
    assert len(china) < len(CATALOG.chips)
    amd = pick_chips(CATALOG, "", vendors=["AMD"], statuses=["shipping"])
    assert amd and {(c.vendor, c.status) for c in amd} == {("AMD", "shipping")}


def test_a_term_that_matches_nothing_is_named_in_the_error():
    with pytest.raises(ChipQueryError, match="'zzz'"):
        pick_chips(CATALOG, "H100, zzz")
    with pytest.raises(ChipQueryError, match="at most"):
        pick_chips(CATALOG, "H100," * 200)


def test_side_by_side_gives_units_and_marks_estimates_and_sources_give_dates():
    chips = pick_chips(CATALOG, "H100, 910C")
    table = side_by_side(chips, {"memory_bandwidth": "GB/s"})
    assert table.loc["memory_bandwidth"].tolist() == ["GB/s", "3,350", "3,200"]
    assert table.loc["int8_dense", "Huawei Ascend 910C"].startswith("~")
    sources = value_sources(chips)
    h100_memory = sources[(sources.chip == "nvidia-h100-sxm") & (sources.quantity == "memory")]
    assert h100_memory["confidence"].item() == "datasheet" and h100_memory["published"].item()
    link = sources[(sources.chip == "huawei-ascend-910c")
                   & (sources.quantity == "scaleup_bandwidth")]
    assert link["value"].item() == "392 GB/s (per-direction)"  # the table's 784 is both ways


def test_roofline_turns_at_the_ridge_point_and_the_charts_build():
    frame = roofline_frame(pick_chips(CATALOG, "H100"))
    ridge = frame[frame.ridge].iloc[0]
    assert ridge.flop_per_byte == pytest.approx(989.5 / 3.35) and ridge.tflops == 989.5
    assert frame.tflops.max() == 989.5 and frame.tflops.min() == pytest.approx(3.35)
    assert len(roofline_chart(frame, "x", "y").data) == 2  # the line and the ridge points
    assert metric_bars(["a", "b"], [1.0, 2.0], "m").data[0].y.tolist() == [1.0, 2.0]


def test_price_performance_uses_the_cost_per_chip_hour_of_the_price_book():
    chips = pick_chips(CATALOG, "H100, 910C")
    settings = cost_settings(CATALOG, region="China", currency="CNY")
    points = price_performance(CATALOG, chips, settings, "bf16")
    hourly = cost_frame(CATALOG, chips, settings)["CNY_per_chip_hour"].tolist()
    assert points.cost_per_chip_hour.tolist() == pytest.approx(hourly)
    assert points.tflops.tolist() == [989.5, 752.0]
    assert len(price_performance_chart(points, "x", "y").data) == 1


def test_an_upload_is_checked_by_the_schema_and_cannot_take_a_shipped_id():
    with pytest.raises(CatalogError, match="mine.yaml: name: required but missing"):
        read_upload("mine.yaml", b"id: mine\nvendor: me\nstatus: shipping\n")
    with pytest.raises(CatalogError, match="100,000 bytes"):
        read_upload("big.yaml", b"#" * (MAX_UPLOAD_BYTES + 1))
    with pytest.raises(CatalogError, match="not valid JSON"):
        read_upload("config.json", b"{")
    with pytest.raises(CatalogError, match="already in the catalog"):
        with_records(CATALOG, [CATALOG.chip("H100")])


def per_mw_rows(frame):
    return {row["id"]: row for _, row in frame.iterrows()}


def test_tokens_per_mw_is_predicted_tokens_per_chip_over_the_all_in_kw_that_costs_use():
    chips = pick_chips(CATALOG, "H100, 910C")  # an all-in figure; a system's power ÷ its chips
    rows = per_mw_rows(tokens_per_mw(CATALOG, chips, "llama-3.1-70b", precision="fp8"))
    settings = cost_settings(CATALOG)
    for chip in chips:
        predicted = predict("llama-3.1-70b", chip, 8, precision="fp8")
        kw, source = all_in_kw(CATALOG, chip, settings)
        row = rows[chip.id]
        assert row["layout"] == predicted.layout and row["power_source"] == source
        assert row["output_tokens_per_s_per_chip"] == pytest.approx(
            predicted.output_tokens_per_s_per_chip, rel=1e-12)
        assert row["output_tokens_per_s_per_mw"] == pytest.approx(
            predicted.output_tokens_per_s_per_chip / kw * 1000, rel=1e-12)
    h100 = rows["nvidia-h100-sxm"]  # 1,718 tokens/s per chip ÷ 1.73 kW all-in (InferenceX)
    assert h100["all_in_kw"] == 1.73
    assert h100["output_tokens_per_s_per_mw"] == pytest.approx(
        h100["output_tokens_per_s_per_chip"] / 0.00173)


def test_tokens_per_mw_within_a_tpot_limit_matches_predict_and_names_a_chip_that_misses_it():
    h200, mi300x = pick_chips(CATALOG, "H200, MI300X")
    rows = per_mw_rows(tokens_per_mw(CATALOG, [h200, mi300x], "llama-3.1-70b",
                                     precision="bf16", chips_per_system=4, scenario="server",
                                     tpot_limit_ms=25))
    server = dict(precision="bf16", scenario="server", tpot_limit_ms=25)
    assert rows[h200.id]["output_tokens_per_s_per_chip"] == pytest.approx(
        predict("llama-3.1-70b", h200, 4, **server).output_tokens_per_s_per_chip, rel=1e-12)
    with pytest.raises(AccelcalcError) as missed:
        predict("llama-3.1-70b", mi300x, 4, **server)
    assert rows[mi300x.id]["missing"] == str(missed.value)  # "no configuration meets TPOT…"
    assert pd.isna(rows[mi300x.id]["output_tokens_per_s_per_mw"])


def test_a_chip_that_cannot_be_predicted_or_has_no_power_is_missing_with_why_not_zero():
    h100 = CATALOG.chip("H100")
    unpowered = h100.model_copy(update={"id": "test-h100-without-power", "tdp": None})
    frame = tokens_per_mw(CATALOG, [h100, unpowered], "llama-3.1-70b", precision="bf16",
                          chips_per_system=1)  # 141 GB of bf16 weights, 80 GB per H100
    rows = per_mw_rows(frame)
    assert "does not fit" in rows["nvidia-h100-sxm"]["missing"]
    assert "no TDP or all-in power" in tokens_per_mw(
        CATALOG, [unpowered], "llama-3.1-8b", chips_per_system=1)["missing"].item()
    assert frame["output_tokens_per_s_per_mw"].isna().all()
    figure = tokens_per_mw_chart(frame, "tokens/s per MW")
    assert not figure.data  # nothing drawn, and no zero bar


def test_tokens_per_mw_refuses_a_workload_beyond_the_context_and_an_unknown_scenario():
    chips = pick_chips(CATALOG, "H100")
    with pytest.raises(AccelcalcError, match="context"):
        tokens_per_mw(CATALOG, chips, "llama-3.1-8b", input_tokens=131_000, output_tokens=1000)
    with pytest.raises(AccelcalcError, match="offline, server"):
        tokens_per_mw(CATALOG, chips, "llama-3.1-8b", scenario="decode")

