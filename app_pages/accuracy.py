"""Accuracy page: predicted against measured for the shipped validation cases, in sample and
cross-validated, so users see how far to trust each number."""

import streamlit as st

from app_pages import session
from app_pages.downloads import download_buttons
from app_pages.i18n import column, t
from calc.plots import accuracy_chart
from calc.validate import (CASES_FILE, accuracy_breakdown, accuracy_table, load_cases,
                           mape_percent)


@st.cache_data(show_spinner=False)
def cases_table():
    """Every measured metric of validation/public.yaml with its predictions (about a second)."""
    return accuracy_table(load_cases(CASES_FILE))


table = cases_table()
vendors, stacks = sorted(set(table["vendor"])), sorted(set(table["stack"]))
session.from_url("acc_vendor", [], many=True, choices=vendors)
session.from_url("acc_stack", [], many=True, choices=stacks)

st.title(t("accuracy.title"))
st.caption(t("accuracy.caption"))
a, b = st.columns(2)
a.multiselect(t("vendor"), vendors, key="acc_vendor", placeholder=t("any"))
b.multiselect(t("accuracy.stack"), stacks, key="acc_stack", placeholder=t("any"))
session.to_url("acc_vendor", "acc_stack")
s = st.session_state
shown = table[table["vendor"].isin(s["acc_vendor"] or vendors)
              & table["stack"].isin(s["acc_stack"] or stacks)]
if shown.empty:
    st.info(t("accuracy.none"))
    st.stop()
m1, m2, m3 = st.columns(3)
m1.metric(t("accuracy.metrics"), t("accuracy.count", metrics=len(shown),
                                   cases=shown["case"].nunique()))
m2.metric(t("accuracy.in_sample"), f"{mape_percent(shown['error']):.1f} %")
m3.metric(t("accuracy.cross_validated"), f"{mape_percent(shown['cv_error']):.1f} %")
st.plotly_chart(accuracy_chart(shown, t("accuracy.measured"), t("accuracy.predicted"),
                               t("accuracy.in_sample_points"), t("accuracy.cv_points")),
                key="accuracy_chart")
st.caption(t("accuracy.chart_note"))
by = st.radio(t("accuracy.by"), ["metric_class", "vendor", "stack"], horizontal=True,
              key="acc_by", format_func=lambda b: t(f"accuracy.by_{b}"))
breakdown = accuracy_breakdown(shown, by)
view = breakdown.assign(**{by: [t(f"class.{c}") for c in breakdown[by]]}) \
    if by == "metric_class" else breakdown
st.dataframe(view.rename(columns=column), hide_index=True, key="accuracy_breakdown",
             column_config={column(c): st.column_config.NumberColumn(format="%.1f %%")
                            for c in ("mape_in_sample", "mape_cross_validated")})
download_buttons(breakdown, f"accuracy-by-{by}", "breakdown_download")
columns = ["case", "metric", "unit", "vendor", "stack", "measured", "predicted", "error",
           "cv_predicted", "cv_error", "layout", "binding"]
st.dataframe(shown[columns].rename(columns=column), hide_index=True, key="accuracy_table",
             column_config={column(c): st.column_config.NumberColumn(format=f)
                            for c, f in (("error", "percent"), ("cv_error", "percent"),
                                         ("measured", "%.1f"), ("predicted", "%.1f"),
                                         ("cv_predicted", "%.1f"))})
download_buttons(shown[columns], "accuracy", "accuracy_download")
