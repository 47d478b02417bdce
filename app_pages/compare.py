"""Compare page: chips side by side in the user's units, every value with its source, charts."""

import streamlit as st

from app_pages import session
from app_pages.downloads import download_buttons
from app_pages.i18n import chip_columns, column, quantity, t
from calc.compare import (MW_SCENARIOS, ChipQueryError, pick_chips, price_performance,
                          roofline_frame, side_by_side, tokens_per_mw, value_sources)
from calc.cost import cost_settings
from calc.inputs import MAX_LIMIT_MS
from calc.plots import metric_bars, price_performance_chart, roofline_chart, tokens_per_mw_chart
from calc.precision import COMPUTE_PRECISIONS
from calc.tables import CHIP_QUANTITIES, chip_frame, column_name
from specs.schema import Status

MEMORY_UNITS, BANDWIDTH_UNITS, COMPUTE_UNITS = ["GB", "GiB"], ["TB/s", "GB/s", "TiB/s"], \
    ["TFLOPS", "PFLOPS"]
FLOPS_STEMS = [s for s, (unit, _) in CHIP_QUANTITIES.items() if unit == "TFLOPS"]
URL_KEYS = ("chips", "vendor", "status", "china", "mem", "bw", "compute", "region", "currency",
            "mw_model", "mw_precision", "mw_chips", "mw_in", "mw_out", "mw_scenario", "mw_tpot")
MAX_SYSTEM_CHIPS = 1024  # most chips per system on the tokens/s-per-MW tab (a pod: 72 to 384)


@st.cache_data(max_entries=64, show_spinner=False)
def per_mw(chip_ids: tuple, model: str, precision: str, chips: int, input_tokens: int,
           output_tokens: int, scenario: str, tpot_limit_ms: float | None, key: tuple,
           _catalog):
    """:func:`calc.compare.tokens_per_mw` of these chips, cached (``key``: the session's
    uploads, which ``_catalog`` holds)."""
    return tokens_per_mw(_catalog, [_catalog.chip(c) for c in chip_ids], model,
                         precision=precision, chips_per_system=chips, input_tokens=input_tokens,
                         output_tokens=output_tokens, scenario=scenario,
                         tpot_limit_ms=tpot_limit_ms if scenario == "server" else None)


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
models = [m.id for m in catalog.models]
longest = max(m.max_context for m in catalog.models)
session.from_url("mw_model", "llama-3.1-70b" if "llama-3.1-70b" in models else models[0],
                 choices=models)
session.from_url("mw_precision", "fp8", choices=COMPUTE_PRECISIONS)
session.from_url("mw_chips", 8, choices=range(1, MAX_SYSTEM_CHIPS + 1))
session.from_url("mw_in", 1000, choices=range(1, longest + 1))
session.from_url("mw_out", 1000, choices=range(1, longest + 1))
session.from_url("mw_scenario", "offline", choices=MW_SCENARIOS)
session.from_url("mw_tpot", 50.0, bounds=(0.01, MAX_LIMIT_MS))

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
bars, roof, price, mw = st.tabs([t("compare.bars"), t("compare.roofline"), t("compare.price"),
                                 t("compare.mw")])
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

a, b, c = mw.columns(3)
a.selectbox(t("size.model"), models, key="mw_model")
b.selectbox(t("precision"), COMPUTE_PRECISIONS, key="mw_precision")
c.number_input(t("compare.mw_chips"), 1, MAX_SYSTEM_CHIPS, key="mw_chips",
               help=t("compare.mw_chips_help"))
a, b, c, d = mw.columns(4)
a.number_input(t("size.in_tokens"), 1, longest, key="mw_in")
b.number_input(t("size.out_tokens"), 1, longest, key="mw_out")
scenario = c.radio(t("predict.scenario"), MW_SCENARIOS, key="mw_scenario",
                   format_func={x: t(f"scenario.{x}") for x in MW_SCENARIOS}.get)
d.number_input(t("size.tpot"), 0.01, MAX_LIMIT_MS, key="mw_tpot", format="%g",
               disabled=scenario != "server")
try:
    power = per_mw(tuple(chip.id for chip in chips), s["mw_model"], s["mw_precision"],
                   int(s["mw_chips"]), int(s["mw_in"]), int(s["mw_out"]), scenario,
                   s["mw_tpot"], session.catalog_key(), catalog)
except ValueError as err:  # the API's bad-input error: say what to change, show no chart
    mw.error(str(err))
else:
    if power["output_tokens_per_s_per_mw"].notna().any():
        mw.plotly_chart(tokens_per_mw_chart(power, t("compare.mw_axis"), column("estimated")),
                        key="mw_chart")
    else:
        mw.info(t("compare.mw_none"))
    mw.caption(t("compare.mw_note"))
    missing = power["missing"].notna().sum()
    if missing:
        mw.warning(t("compare.mw_missing", n=missing))
    whole = {"output_tokens_per_s_per_mw": 0, "output_tokens_per_s_per_chip": 0}  # shown
    mw.dataframe(power.drop(columns="id").round(whole).rename(columns=column), hide_index=True,
                 key="mw_table", column_config={column(x): st.column_config.NumberColumn(
                     format="localized") for x in whole} | {
                     column("missing"): st.column_config.TextColumn(width="large")})
    download_buttons(power, "tokens-per-mw", "mw_download", mw)
