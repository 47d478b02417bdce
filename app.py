"""accelcalc in the browser: the chip and model catalog as sortable, filterable tables, and a
serving prediction. Every number comes from ``calc``; this file only lays it out."""

from __future__ import annotations

import streamlit as st

from calc.predict import PRECISIONS, PrecisionPlan, predict
from calc.report import prediction_lines
from calc.tables import chip_frame, model_frame
from specs.catalog import default_catalog
from specs.schema import Status

st.set_page_config(page_title="accelcalc", layout="wide")

LABELS = {
    "id": "id", "vendor": "vendor", "name": "name", "status": "status",
    "release_date": "release date", "bf16_dense_tflops": "BF16 dense (TFLOPS)",
    "fp8_dense_tflops": "FP8 dense (TFLOPS)", "fp4_dense_tflops": "FP4 dense (TFLOPS)",
    "int8_dense_tops": "INT8 dense (TOPS)", "memory_gb": "memory (GB)",
    "memory_bandwidth_tb_s": "memory bandwidth (TB/s)",
    "scaleup_bandwidth_gb_s": "scale-up bandwidth, both directions (GB/s)",
    "scaleup_domain_chips": "scale-up domain (chips)", "tdp_w": "TDP (W)",
}


@st.cache_data
def chips_table():
    return chip_frame(default_catalog().chips)


@st.cache_data
def models_table():
    return model_frame(default_catalog().models)


def catalog_page() -> None:
    st.title("Accelerator catalog")
    st.caption("Dense throughput unless marked sparse; GB = 10⁹ bytes. Empty cells are "
               "unknown, never guessed. Indicative figures, not quotes: check each source.")
    table = chips_table()
    left, middle, right = st.columns(3)
    vendors = left.multiselect("Vendor", sorted(table["vendor"].unique()), key="vendor")
    statuses = middle.multiselect("Status", list(Status.__args__), key="status")
    search = right.text_input("Search id or name", key="search").strip().lower()
    shown = table
    if vendors:
        shown = shown[shown["vendor"].isin(vendors)]
    if statuses:
        shown = shown[shown["status"].isin(statuses)]
    if search:
        shown = shown[shown["id"].str.contains(search, regex=False)
                      | shown["name"].str.lower().str.contains(search, regex=False)]
    st.metric("Chips shown", len(shown))
    st.dataframe(shown.rename(columns=LABELS), hide_index=True, key="chip_table")
    st.download_button("Download CSV", shown.to_csv(index=False), "accelcalc-chips.csv",
                       "text/csv", key="download")
    chip_id = st.selectbox("Sources of", list(shown["id"]), key="source_chip")
    if chip_id:
        chip = default_catalog().chip(chip_id)
        st.dataframe([{"key": k, "confidence": s.confidence, "date": s.date.isoformat(),
                       "source": s.title or s.url, "url": s.url}
                      for k, s in chip.sources.items()], hide_index=True)
        for claim in chip.claims:
            st.write(f"Claim ({claim.source.confidence}): {claim.text}")
        for note in chip.availability:
            st.write(f"Availability ({note.kind}): {note.text}")


def models_page() -> None:
    st.title("Model catalog")
    st.dataframe(models_table(), hide_index=True, key="model_table")


def predict_page() -> None:
    st.title("Serving prediction")
    catalog = default_catalog()
    a, b, c = st.columns(3)
    model = a.selectbox("Model", [m.id for m in catalog.models], key="p_model",
                        index=[m.id for m in catalog.models].index("llama-3.1-70b"))
    chip = b.selectbox("Chip", [x.id for x in catalog.chips], key="p_chip",
                       index=[x.id for x in catalog.chips].index("nvidia-h100-sxm"))
    chips = c.number_input("Chips", min_value=1, value=8, step=1, key="p_chips")
    a, b, c = st.columns(3)
    precision = a.selectbox("Precision", PRECISIONS, index=PRECISIONS.index("fp8"),
                            key="p_precision")
    input_tokens = b.number_input("Input tokens", min_value=1, value=1000, key="p_input")
    output_tokens = c.number_input("Output tokens", min_value=1, value=1000, key="p_output")
    concurrency = st.number_input("Concurrent requests", min_value=1, value=64,
                                  key="p_concurrency")
    try:
        result = predict(model, chip, int(chips), precision=PrecisionPlan.of(precision),
                         input_tokens=int(input_tokens), output_tokens=int(output_tokens),
                         scenario="concurrency", concurrency=int(concurrency))
    except ValueError as err:
        st.error(str(err))
        return
    m1, m2, m3 = st.columns(3)
    m1.metric("Output tokens/s (system)", f"{result.output_tokens_per_s:,.0f} tokens/s")
    m2.metric("TTFT", f"{result.ttft_ms:,.1f} ms")
    m3.metric("TPOT", f"{result.tpot_ms:,.2f} ms")
    st.code("\n".join(prediction_lines(result)), language=None)


st.navigation([st.Page(catalog_page, title="Catalog", url_path="catalog", default=True),
               st.Page(models_page, title="Models", url_path="models"),
               st.Page(predict_page, title="Predict", url_path="predict")]).run()
