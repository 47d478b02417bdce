"""Cost page: every cost setting with its source (overridable), owned vs rented per chip-hour, what
moves a sizing's cost most, and what a budget, a power envelope or a cost target buys."""

import pandas as pd
import streamlit as st

from app_pages import forms, session
from app_pages.downloads import download_buttons
from app_pages.i18n import column, cost_columns, setting_label, t, tornado_labels
from calc.chip_cost import cost_frame
from calc.compare import pick_chips
from calc.cost import cost_settings
from calc.plots import cost_breakdown_chart, tornado_chart
from calc.report import capacity_table
from calc.workload import Workload

SETTING_BOUNDS = {  # the bounds calc.cost checks an override against
    "years": (0.1, 30.0), "cost_of_capital": (0.0, 1.0), "residual_value": (0.0, 1.0),
    "hosting_per_year": (0.0, 1.0), "pue": (1.0, 5.0), "electricity_per_kwh": (0.0, 10.0),
    "vat": (0.0, 1.0), "import_tariff": (0.0, 1.0), "server_network_share": (0.0, 20.0),
    "network_share": (0.0, 20.0), "all_in_power_factor": (0.0, 20.0)}
# The fast question first: a budget sizes every option at seven traffics (about 3 s).
QUESTIONS = {"target_cost": "0.5 USD/Mtok", "capex": "10 MUSD", "monthly": "500 kUSD",
             "power": "5 MW"}
PARTS = ("capital", "hosting", "power", "rental")
TARGET_KINDS = ("blended", "input", "output")

catalog = session.catalog()
st.title(t("cost.title"))
st.caption(t("cost.caption"))
buyer = forms.buyer_form(catalog)
session.to_url(*forms.BUYER_KEYS)
c = buyer["currency"]
try:
    defaults = cost_settings(catalog, **buyer)
except ValueError as err:
    st.error(str(err))
    st.stop()

st.subheader(t("cost.settings"))
overrides = {}
columns = st.columns(4)
for i, name in enumerate(SETTING_BOUNDS):
    setting = getattr(defaults, name)
    if setting is None:
        continue
    low, high = SETTING_BOUNDS[name]
    key = f"set_{name}_{defaults.region}"  # the defaults differ by region
    session.from_url(key, setting.value, bounds=(low, high))
    value = columns[i % 4].number_input(
        f"{setting_label(name)} ({setting.unit or '×'})", low, high, key=key, format="%g",
        help=setting.source)
    session.to_url(key)  # only a changed setting goes into the URL
    if value is not None and value != setting.value:
        overrides[name] = value
settings = cost_settings(catalog, **buyer, **overrides)
in_force = pd.DataFrame([{"setting": name, "value": s.value, "unit": s.unit, "low": s.low,
                          "high": s.high, "source": s.source}
                         for name in ("cny_per_usd", *SETTING_BOUNDS)
                         if (s := getattr(settings, name)) is not None])
st.dataframe(in_force.assign(setting=in_force["setting"].map(setting_label)).rename(
    columns=column), hide_index=True, key="settings_table")
download_buttons(in_force, "cost-settings", "settings_download")

st.subheader(t("cost.per_chip"))
session.from_url("cost_chips", "H100, H200, H20, 910C, B200")
query = st.text_input(t("compare.chips"), key="cost_chips")
session.to_url("cost_chips")
try:
    chips = pick_chips(catalog, query)
except ValueError as err:
    st.error(str(err))
    chips = []
if chips:
    both = {t("own"): settings.model_copy(update={"own": True, "term": None}),
            t("rent"): settings.model_copy(update={"own": False,
                                                   "term": buyer["term"] or "on-demand"})}
    frames = {label: cost_frame(catalog, chips, s) for label, s in both.items()}
    left, right = st.columns(2)
    for (label, frame), place, key in zip(frames.items(), (left, right), ("owned", "rented")):
        place.markdown(f"**{label}**")
        place.dataframe(frame.rename(columns=cost_columns(frame.columns, c)), hide_index=True,
                        key=f"{key}_table")
        download_buttons(frame, f"cost-{key}", f"{key}_download", place)
    st.plotly_chart(cost_breakdown_chart(frames, c, t("compare.cost_axis", currency=c),
                                         {p: t(f"cost.{p}") for p in PARTS}), key="breakdown")
    st.caption(t("compare.price_note"))

st.subheader(t("cost.workload"))
fields = forms.workload_form(catalog, full=False)
session.to_url(*forms.WORKLOAD_KEYS)
try:
    workload = Workload.of(**fields)
    sizing = forms.sizing(workload, settings, {}, forms.SAMPLES)
except ValueError as err:
    st.error(str(err))
    st.stop()

st.subheader(t("cost.tornado"))
priced = [o for o in sizing.options if o.cost_per_million_tokens is not None]
if sizing.nearest_miss or not priced:
    st.error(sizing.nearest_miss or t("cost.no_priced"))
else:
    top = priced[0]
    band = (top.bands or {}).get("cost_per_million_tokens")
    a, b = st.columns(2)
    a.metric(t("cost.top", chip=top.chip, layout=top.layout),
             f"{top.cost_per_million_tokens:.4g} {c}/Mtok")
    if band is not None:
        b.metric(t("cost.band"), f"{band.p10:.4g} – {band.p90:.4g} {c}/Mtok")
    st.plotly_chart(tornado_chart(sizing.tornado, top.cost_per_million_tokens,
                                  t("cost.tornado_axis", c=c), tornado_labels()),
                    key="tornado")
    st.caption(t("cost.tornado_note", samples=forms.SAMPLES))

st.subheader(t("cost.reverse"))
a, b, d = st.columns(3)
session.from_url("question", next(iter(QUESTIONS)), choices=list(QUESTIONS))
question = a.radio(t("cost.question"), list(QUESTIONS), key="question",
                   format_func={q: t(f"cost.q_{q}") for q in QUESTIONS}.get)
session.from_url(f"amount_{question}", QUESTIONS[question])
amount = b.text_input(t("cost.amount"), key=f"amount_{question}", help=t("cost.amount_help"))
session.from_url("target_kind", TARGET_KINDS[0], choices=TARGET_KINDS)
kind = d.selectbox(t("cost.target_kind"), TARGET_KINDS, key="target_kind",
                   disabled=question != "target_cost")
session.to_url("question", f"amount_{question}", "target_kind")
try:
    answer = forms.reverse(workload, settings, question, amount, kind, {})
except ValueError as err:
    st.error(str(err))
    st.stop()
if answer.message:
    st.warning(answer.message)
if answer.options:
    reverse_table = capacity_table(answer)
    st.dataframe(reverse_table.rename(columns=column), hide_index=True, key="reverse_table")
    download_buttons(reverse_table, f"cost-{question}", "reverse_download")
st.caption(t("cost.reverse_note"))
if answer.unknown:
    st.caption(t("cost.unknown", chips=", ".join(answer.unknown)))
