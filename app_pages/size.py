"""Size page: the cheapest layout on every chip for a workload, ranked by cost per token."""

import pandas as pd
import streamlit as st

from app_pages import forms, session
from app_pages.downloads import download_buttons
from app_pages.i18n import column, size_columns, t
from calc.cost import cost_settings
from calc.explain import option_frame, option_math
from calc.plots import pareto_chart
from calc.prices import parse_price_list
from calc.report import format_duration
from calc.workload import Workload

DIGITS = {"ttft_ms": 0, "tpot_ms": 1, "tokens_per_s_per_user": 1, "utilisation_pct": 0,
          "output_tokens_per_s_per_chip": 0, "kw": 1, "probability_meets_limits_pct": 0,
          "cost_per_month": 0}  # decimals shown; the CSV keeps every digit

catalog = session.catalog()
st.title(t("size.title"))
st.caption(t("size.caption"))
fields = forms.workload_form(catalog, full=True)
buyer = forms.buyer_form(catalog)
session.from_url("bands", False)
a, b = st.columns([3, 1])
prices_text = a.text_input(t("size.prices"), key="prices", help=t("size.prices_help"))
bands = b.toggle(t("size.bands", samples=forms.SAMPLES), key="bands")
session.to_url(*forms.WORKLOAD_KEYS, *forms.FILTER_KEYS, *forms.BUYER_KEYS, "bands")
if prices_text.strip() or st.session_state.get("user_ids"):
    st.caption(t("size.session_only"))  # your prices and chips are not in a shared link
try:
    workload = Workload.of(**fields)
    settings = cost_settings(catalog, **buyer)
    sizing = forms.sizing(workload, settings, parse_price_list(prices_text),
                          forms.SAMPLES if bands else 0)
except ValueError as err:  # the API's bad-input error: say what to change, show no result
    st.error(str(err))
    st.stop()
if sizing.nearest_miss:
    st.error(sizing.nearest_miss)
    st.stop()

c = settings.currency
s0 = sizing.options[0]
st.caption(t("size.rate", rate=settings.cny_per_usd.value, source=settings.cny_per_usd.source))
m1, m2 = st.columns(2)
m1.metric(t("size.best"), s0.chip)
m2.metric(t("size.best_cost"), "—" if s0.cost_per_million_tokens is None
          else f"{s0.cost_per_million_tokens:.4g} {c}/Mtok")
m1, m2, m3 = st.columns(3)
m1.metric(t("size.best_chips"), f"{s0.chips} × {s0.layout}")
m2.metric("TTFT", format_duration(s0.ttft_ms))
m3.metric("TPOT", format_duration(s0.tpot_ms))
table = option_frame(sizing)
shown = table.drop(columns="currency").dropna(axis=1, how="all").round(DIGITS)  # no empty bands
st.dataframe(shown.rename(columns=size_columns(c)), hide_index=True, key="size_table")
st.caption(t("size.table_note"))
download_buttons(table, "sizing", "size_download")

with st.expander(t("size.pools")):
    session.from_url("pool_option", 0, bounds=(0, forms.MAX_OPTIONS))
    if st.session_state["pool_option"] not in range(len(sizing.options)):
        st.session_state["pool_option"] = 0  # a shared link's option beyond this sizing's
    picked = st.selectbox(t("size.option"), range(len(sizing.options)), key="pool_option",
                          format_func=lambda i: f"{i + 1}. {sizing.options[i].chip}")
    option = sizing.options[picked or 0]
    pools = pd.DataFrame([p.model_dump(include={
        "role", "chip", "layout", "precision", "replicas", "chips", "servers", "batch", "kw",
        "cost_per_hour", "price"}) for p in option.pools])
    st.dataframe(pools.rename(columns={"kw": "all_in_kw"}).rename(columns=column).rename(
        columns={"cost_per_hour": f"{column('cost_per_hour')} ({c}/h)"}), hide_index=True,
        key="pool_table")
    download_buttons(pools.rename(columns={"kw": "all_in_kw", "cost_per_hour": f"{c}_per_hour"}),
                     f"sizing-pools-{(picked or 0) + 1}", "pool_download")
    for note in option.notes:
        st.caption(note)

with st.expander(t("size.math"), expanded=False):
    m = option_math(s0, workload)
    st.markdown(t("size.math_option", chip=s0.chip, layout=s0.layout, precision=s0.precision))
    for p in m.pools:
        st.markdown(t("size.math_replicas", role=p.role, peak=f"{p.peak_requests_per_s:.4g}",
                      capacity=f"{p.capacity_per_replica:.4g}", spare=p.spare,
                      replicas=p.replicas, per_replica=p.chips_per_replica, chips=p.chips))
    st.markdown(t("size.math_peak", avg=f"{m.average_requests_per_s:.4g}",
                  factor=f"{m.peak_to_average:g}", headroom=f"{m.headroom:.0%}"))
    if m.cost_per_hour is not None:
        st.markdown(t("size.math_cost", hourly=f"{m.cost_per_hour:,.2f}", c=c,
                      tokens=f"{m.tokens_per_hour:,.0f}",
                      cost=f"{m.cost_per_million_tokens:.4g}"))
        share = t("size.math_split_pools") if m.prefill_share is None else \
            t("size.math_split_time", share=f"{m.prefill_share:.1%}")
        st.markdown(share)
        st.markdown(t("size.math_split", c=c, inh=f"{m.input_cost_per_hour:,.2f}",
                      intok=f"{m.input_tokens_per_hour:,.0f}",
                      incost=f"{m.cost_per_million_input_tokens:.4g}",
                      outh=f"{m.output_cost_per_hour:,.2f}",
                      outtok=f"{m.output_tokens_per_hour:,.0f}",
                      outcost=f"{m.cost_per_million_output_tokens:.4g}"))
    else:
        st.markdown(t("size.math_unpriced"))

st.subheader(t("size.pareto"))
ranked = list(dict.fromkeys(p.chip for o in sizing.options for p in o.pools))
session.from_url("pareto_chips", ranked[:4], many=True)
picks = st.session_state["pareto_chips"]
kept = [chip for chip in picks if chip in ranked]  # a new sizing may rank other chips
st.session_state["pareto_chips"] = kept if kept or not picks else ranked[:4]
pareto_chips = st.multiselect(t("size.pareto_chips"), ranked, key="pareto_chips")
session.to_url("pool_option", "pareto_chips")
st.plotly_chart(pareto_chart([p for p in sizing.pareto if p.chip in pareto_chips],
                             t("size.per_user_axis"), t("size.per_chip_axis")), key="pareto")
st.caption(t("size.pareto_note"))

if sizing.infeasible or sizing.excluded:
    with st.expander(t("size.infeasible", n=len(sizing.infeasible))):
        infeasible = pd.DataFrame(list(sizing.infeasible.items()), columns=["chip", "why"])
        st.dataframe(infeasible.rename(columns=column), hide_index=True, key="infeasible_table")
        download_buttons(infeasible, "sizing-infeasible", "infeasible_download")
        st.caption(t("size.excluded", n=len(sizing.excluded),
                      why=", ".join(sorted(set(sizing.excluded.values())))))
