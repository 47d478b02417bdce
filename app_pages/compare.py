"""Compare page: chips side by side in the user's units, every value with its source, charts."""

import streamlit as st

from app_pages import session
from app_pages.downloads import download_buttons
from app_pages.i18n import chip_columns, column, quantity, t
from calc.compare import (ChipQueryError, pick_chips, price_performance, roofline_frame,
                          side_by_side, value_sources)
from calc.cost import cost_settings
from calc.plots import metric_bars, price_performance_chart, roofline_chart
from calc.tables import CHIP_QUANTITIES, chip_frame, column_name
from specs.schema import Status

MEMORY_UNITS, BANDWIDTH_UNITS, COMPUTE_UNITS = ["GB", "GiB"], ["TB/s", "GB/s", "TiB/s"], \
    ["TFLOPS", "PFLOPS"]
FLOPS_STEMS = [s for s, (unit, _) in CHIP_QUANTITIES.items() if unit == "TFLOPS"]
URL_KEYS = ("chips", "vendor", "status", "china", "mem", "bw", "compute", "region", "currency")

catalog = session.catalog()
vendors = sorted({c.vendor for c in catalog.chips})
session.from_url("chips", "H100, H200, B200, MI300X, 910C")
session.from_url("vendor", [], many=True, choices=vendors)
session.from_url("status", [], many=True, choices=Status.__args__)
session.from_url("china", False)
session.from_url("mem", "GB", choices=MEMORY_UNITS)
session.from_url("bw", "TB/s", choices=BANDWIDTH_UNITS)
session.from_url("compute", "TFLOPS", choices=COMPUTE_UNITS)
session.from_url("region", "US", choices=list(catalog.assumptions.regions))
session.from_url("currency", "USD", choices=["USD", "CNY"])

st.title(t("compare.title"))
query = st.text_input(t("compare.chips"), key="chips", help=t("compare.chips_help"))
a, b, c = st.columns(3)
a.multiselect(t("vendor"), vendors, key="vendor", placeholder=t("any"))
b.multiselect(t("status"), list(Status.__args__), key="status", placeholder=t("any"))
c.checkbox(t("compare.buyable_china"), key="china")
a, b, c = st.columns(3)
a.selectbox(t("unit.memory"), MEMORY_UNITS, key="mem")
b.selectbox(t("unit.bandwidth"), BANDWIDTH_UNITS, key="bw")
c.selectbox(t("unit.compute"), COMPUTE_UNITS, key="compute")
session.to_url(*URL_KEYS)  # the widgets' state is already the new one here
s = st.session_state
try:
    chips = pick_chips(catalog, query, vendors=s["vendor"], statuses=s["status"],
                       buyable_in="China" if s["china"] else None)
except ChipQueryError as err:
    st.error(str(err))
    st.stop()
if not chips:
    st.info(t("compare.none"))
    st.stop()
units = {"memory": s["mem"], "memory_bandwidth": s["bw"]} | {x: s["compute"] for x in FLOPS_STEMS}

st.metric(t("compare.count"), len(chips))
table = side_by_side(chips, units)
table.index = [quantity(stem, unit) for stem, unit in zip(table.index, table["unit"])]
st.table(table.drop(columns="unit"))
st.caption(t("compare.estimate_note"))
with st.expander(t("compare.sources")):
    sources = value_sources(chips)
    st.dataframe(sources.assign(quantity=[quantity(x, CHIP_QUANTITIES[x][0])
                                          for x in sources["quantity"]]).rename(columns=column),
                 hide_index=True, key="compare_sources")
    download_buttons(sources, "compare-sources", "sources_download")
numbers = chip_frame(chips, units)
download_buttons(numbers, "compare", "compare_download")

names = [f"{chip.vendor} {chip.name}" for chip in chips]
bars, roof, price = st.tabs([t("compare.bars"), t("compare.roofline"), t("compare.price")])
labels = chip_columns(units)
numeric = [column_name(stem, units.get(stem, unit)) for stem, (unit, _) in CHIP_QUANTITIES.items()]
metric = bars.selectbox(t("compare.metric"), numeric, format_func=labels.get, key="metric")
bars.plotly_chart(metric_bars(names, numbers[metric].tolist(), labels[metric]), key="bars")
precision = roof.radio(t("precision"), ["bf16", "fp8", "fp4"], horizontal=True,
                       key="roof_precision")
roof.plotly_chart(roofline_chart(roofline_frame(chips, precision), t("compare.intensity"),
                                 t("compare.attainable"), t("compare.ridge")), key="roofline")
roof.caption(t("compare.ridge_note"))
a, b, c, d, e = price.columns(5)
own = a.radio(t("compare.own"), [True, False], key="own",
              format_func={True: t("own"), False: t("rent")}.get)
region = b.selectbox(t("region"), list(catalog.assumptions.regions), key="region")
currency = c.selectbox(t("currency"), ["USD", "CNY"], key="currency")
pp_precision = d.selectbox(t("precision"), ["bf16", "fp8"], key="pp_precision")
y_axis = {"cost_per_chip_hour": t("compare.cost_axis", currency=currency),
          "price": t("compare.price_axis" if own else "compare.cost_axis", currency=currency)}
y = e.radio(t("compare.y"), list(y_axis), key="pp_y", format_func={
    "cost_per_chip_hour": t("compare.cost_choice"), "price": t("compare.price_choice")}.get)
points = price_performance(catalog, chips, cost_settings(catalog, region=region, own=own,
                                                         currency=currency), pp_precision)
if points.empty:
    price.info(t("compare.no_prices"))
else:
    price.plotly_chart(price_performance_chart(
        points, t("compare.dense_axis", precision=pp_precision.upper()), y_axis[y], y),
        key="price_chart")
price.caption(t("compare.price_note"))
