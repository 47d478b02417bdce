"""Predict page: serving metrics of a model on a number of chips."""

import streamlit as st

from calc.inputs import MAX_CHIPS, MAX_CONCURRENCY
from calc.predict import COMPUTE_PRECISIONS, PrecisionPlan, predict
from calc.report import format_duration, prediction_lines
from specs.catalog import default_catalog

st.title("Serving prediction")
catalog = default_catalog()
a, b, c = st.columns(3)
model = a.selectbox("Model", [m.id for m in catalog.models], key="p_model",
                    index=[m.id for m in catalog.models].index("llama-3.1-70b"))
chip = b.selectbox("Chip", [x.id for x in catalog.chips], key="p_chip",
                   index=[x.id for x in catalog.chips].index("nvidia-h100-sxm"))
chips = c.number_input("Chips", min_value=1, max_value=MAX_CHIPS, value=8, step=1,
                       key="p_chips")
context = catalog.model(model).max_context
a, b, c = st.columns(3)
precision = a.selectbox("Precision", COMPUTE_PRECISIONS, index=COMPUTE_PRECISIONS.index("fp8"),
                        key="p_precision")
input_tokens = b.number_input("Input tokens", min_value=1, max_value=context, value=1000,
                              key="p_input")
output_tokens = c.number_input("Output tokens", min_value=1, max_value=context, value=1000,
                               key="p_output")
concurrency = st.number_input("Concurrent requests", min_value=1, max_value=MAX_CONCURRENCY,
                              value=64, key="p_concurrency")
try:
    result = predict(model, chip, int(chips), precision=PrecisionPlan.of(precision),
                     input_tokens=int(input_tokens), output_tokens=int(output_tokens),
                     scenario="concurrency", concurrency=int(concurrency))
except ValueError as err:  # the API's bad-input error: show it, and no result under it
    st.error(str(err))
    st.stop()
m1, m2, m3 = st.columns(3)
m1.metric("Output tokens/s (system)", f"{result.output_tokens_per_s:,.0f} tokens/s")
m2.metric("TTFT", format_duration(result.ttft_ms))
m3.metric("TPOT", format_duration(result.tpot_ms))
st.code("\n".join(prediction_lines(result)), language=None)
