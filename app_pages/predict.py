"""Predict page: serving metrics of a model on a number of chips in one layout, with bands, the
memory plan and the latency–throughput curve over concurrency."""

import pandas as pd
import streamlit as st

from app_pages import session
from app_pages.downloads import download_buttons
from app_pages.i18n import t
from calc.inputs import MAX_CHIPS, MAX_CONCURRENCY, MAX_LIMIT_MS
from calc.plots import latency_throughput_chart
from calc.predict import (COMPUTE_PRECISIONS, Scenario, concurrency_curve, layout_of,
                          memory_plan, predict)
from calc.report import band_rows, format_duration, prediction_lines
from calc.stacks import STACKS

SAMPLES = 1000  # Monte Carlo samples behind the bands (seed 0: same input, same bands)


@st.cache_data(show_spinner=False, max_entries=64)
def curve(model, chip, chips, options, yours: tuple, _catalog):
    """The latency–throughput curve of these inputs (13 predictions); ``yours`` (the session's
    own entries) tells the cache which catalog ``_catalog`` is."""
    return concurrency_curve(_catalog.model(model), _catalog.chip(chip), chips, **dict(options))


def cli_command(state) -> str:
    """The ``python -m calc predict`` command of the inputs in ``state`` (the page's widgets):
    it prints the lines the page shows under it."""
    flags = [("model", state["p_model"]), ("chip", state["p_chip"]),
             ("chips", state["p_chips"]), ("precision", state["p_precision"]),
             ("scenario", state["p_scenario"]), ("input-tokens", state["p_input"]),
             ("output-tokens", state["p_output"]), ("context-tokens", state["p_context"]),
             ("stack", state["p_stack"])]
    if state["p_scenario"] in ("concurrency", "decode"):
        flags.append(("concurrency", state["p_concurrency"]))
    flags += [(flag, state[key]) for flag, key in (
        ("tp", "p_tp"), ("ep", "p_ep"), ("pp", "p_pp"), ("ttft-limit-ms", "p_ttft"),
        ("tpot-limit-ms", "p_tpot")) if state[key]]
    words = [f"--{flag} {value}" for flag, value in flags]
    words += ["--disaggregated"] if state["p_disaggregated"] else []
    words += ["--uncertainty", f"--samples {SAMPLES}"] if state["p_bands"] else []
    words += [f"--add {record}.yaml" for record in (state["p_model"], state["p_chip"])
              if record in state.get("user_ids", [])]  # your own entry, saved as a file
    return " ".join(["python -m calc predict", *words])


catalog = session.catalog()  # with this session's own chips and models
models, chip_ids = [m.id for m in catalog.models], [c.id for c in catalog.chips]
longest = max(m.max_context for m in catalog.models)
session.from_url("p_model", "llama-3.1-70b", choices=models)
session.from_url("p_chip", "nvidia-h100-sxm", choices=chip_ids)
session.from_url("p_chips", 8, choices=range(1, MAX_CHIPS + 1))
session.from_url("p_precision", "fp8", choices=COMPUTE_PRECISIONS)
session.from_url("p_stack", "unknown", choices=STACKS)
session.from_url("p_scenario", "concurrency", choices=Scenario.__args__)
for key, default, low, high in (("p_input", 1000, 1, longest), ("p_output", 1000, 1, longest),
                                ("p_concurrency", 64, 1, MAX_CONCURRENCY),
                                ("p_context", 4096, 1, longest), ("p_tp", 0, 0, MAX_CHIPS),
                                ("p_ep", 0, 0, MAX_CHIPS), ("p_pp", 0, 0, MAX_CHIPS),
                                ("p_ttft", 0, 0, int(MAX_LIMIT_MS)),
                                ("p_tpot", 0, 0, int(MAX_LIMIT_MS))):
    session.from_url(key, default, choices=range(low, high + 1))
session.from_url("p_disaggregated", False)
session.from_url("p_bands", False)

st.title(t("predict.title"))
a, b, c = st.columns(3)
a.selectbox(t("predict.model"), models, key="p_model")
b.selectbox(t("predict.chip"), chip_ids, key="p_chip")
c.number_input(t("predict.chips"), min_value=1, max_value=MAX_CHIPS, step=1, key="p_chips")
a, b, c = st.columns(3)
a.selectbox(t("precision"), COMPUTE_PRECISIONS, key="p_precision")
b.selectbox(t("predict.stack"), STACKS, key="p_stack")
c.selectbox(t("predict.scenario"), Scenario.__args__, key="p_scenario",
            format_func=lambda s: t(f"scenario.{s}"))
a, b, c, d = st.columns(4)
a.number_input(t("predict.input"), min_value=1, max_value=longest, key="p_input")
b.number_input(t("predict.output"), min_value=1, max_value=longest, key="p_output")
c.number_input(t("predict.concurrency"), min_value=1, max_value=MAX_CONCURRENCY,
               key="p_concurrency", help=t("predict.concurrency_help"))
d.number_input(t("predict.context"), min_value=1, max_value=longest, key="p_context",
               help=t("predict.context_help"))
a, b, c, d = st.columns(4)
for column, key in ((a, "p_tp"), (b, "p_ep"), (c, "p_pp")):
    column.number_input(key.removeprefix("p_"), min_value=0, max_value=MAX_CHIPS, key=key,
                        help=t("predict.layout_help"))
d.checkbox(t("predict.disaggregated"), key="p_disaggregated", help=t("predict.disagg_help"))
a, b, c = st.columns(3)
a.number_input(t("predict.ttft_limit"), min_value=0, max_value=int(MAX_LIMIT_MS), key="p_ttft",
               help=t("predict.limit_help"))
b.number_input(t("predict.tpot_limit"), min_value=0, max_value=int(MAX_LIMIT_MS), key="p_tpot",
               help=t("predict.limit_help"))
c.toggle(t("predict.bands"), key="p_bands", help=t("predict.bands_help", samples=SAMPLES))
session.to_url("p_model", "p_chip", "p_chips", "p_precision", "p_stack", "p_scenario", "p_input",
               "p_output", "p_concurrency", "p_context", "p_tp", "p_ep", "p_pp",
               "p_disaggregated", "p_ttft", "p_tpot", "p_bands")

s = st.session_state
scenario = s["p_scenario"]
layout = {name: s[f"p_{name}"] or None for name in ("tp", "ep", "pp")}
shared = dict(precision=s["p_precision"], input_tokens=s["p_input"],
              output_tokens=s["p_output"], disaggregated=s["p_disaggregated"],
              stack=s["p_stack"], **layout)
try:  # every result is computed before anything is shown: an error leaves no stale result
    model, chip = catalog.model(s["p_model"]), catalog.chip(s["p_chip"])
    result = predict(model, chip, s["p_chips"], scenario=scenario,
                     concurrency=s["p_concurrency"] if scenario in ("concurrency", "decode")
                     else None, context_tokens=s["p_context"],
                     ttft_limit_ms=s["p_ttft"] or None, tpot_limit_ms=s["p_tpot"] or None,
                     samples=SAMPLES if s["p_bands"] else 0, **shared)
    plan = memory_plan(model, chip, result.chips // result.replicas,
                       precision=s["p_precision"], context_tokens=s["p_context"],
                       **layout_of(result.layout))  # the layout the prediction chose
    points = curve(model.id, chip.id, s["p_chips"], tuple(shared.items()),
                   tuple(s.get("user_ids", [])), catalog)
except ValueError as err:  # the API's bad-input error: show it, and no result under it
    st.error(str(err))
    st.stop()

m1, m2, m3, m4 = st.columns(4)
m1.metric(t("predict.output_system"), f"{result.output_tokens_per_s:,.0f}")  # unit in label
m2.metric("TTFT", format_duration(result.ttft_ms))
m3.metric("TPOT", format_duration(result.tpot_ms))
per_user = result.output_tokens_per_s_per_user
m4.metric(t("predict.per_user"), "n/a" if per_user is None else f"{per_user:,.4g}")
if result.bands:
    st.subheader(t("predict.bands_title"))
    rows = [{t("predict.metric"): t(f"band.{r['metric']}"), "P10": r["p10"], "P50": r["p50"],
             "P90": r["p90"]} for r in band_rows(result)]
    st.table(rows)
    download_buttons(pd.DataFrame([{"metric": metric} | band.model_dump()
                                   for metric, band in result.bands.items()]),
                     "prediction-bands", "bands_download")
    st.caption(t("predict.bands_note"))
st.caption(t("predict.cli"))
st.code("\n".join([f"$ {cli_command(s)}", *prediction_lines(result)]), language=None,
        wrap_lines=True)

st.subheader(t("predict.memory_title", layout=plan.layout, context=plan.context_tokens))
st.table({t("predict.memory_item"): [t(f"memory.{k}") for k in (
              "weights", "workspace", "usable", "kv", "sequences", "longest")],
          t("predict.memory_value"): [
              f"{plan.weights_gb:,.1f} GB", f"{plan.workspace_gb:,.1f} GB",
              f"{plan.usable_gb:,.1f} GB", f"{plan.kv_per_sequence_gb:,.3f} GB",
              f"{plan.max_sequences:,} {t('predict.sequences')}",
              f"{plan.max_context_tokens:,} tokens"]})
download_buttons(pd.DataFrame([plan.model_dump()]), "memory-plan", "memory_download")

st.subheader(t("predict.curve_title"))
if points.empty:
    st.info(t("predict.curve_none"))
else:
    st.plotly_chart(latency_throughput_chart(points, t("predict.curve_x"), t("predict.curve_y"),
                                             t("predict.concurrency")), key="curve")
    st.caption(t("predict.curve_note"))
