"""Picking and comparing chips (calc.compare), its charts (calc.plots) and user uploads
(calc.user_records)."""

import pytest

from calc.chip_cost import cost_frame
from calc.compare import (ChipQueryError, pick_chips, price_performance, roofline_frame,
                          side_by_side, value_sources)
from calc.cost import cost_settings
from calc.plots import metric_bars, price_performance_chart, roofline_chart
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
