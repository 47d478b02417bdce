"""Catalog page: every chip as a sortable, filterable table with units, sources and claims."""

import streamlit as st

from calc.tables import chip_frame
from specs.catalog import default_catalog
from specs.schema import Status

LABELS = {
    "id": "id", "vendor": "vendor", "name": "name", "status": "status",
    "release_date": "release date", "bf16_dense_tflops": "BF16 dense (TFLOPS)",
    "fp8_dense_tflops": "FP8 dense (TFLOPS)", "fp4_dense_tflops": "FP4 dense (TFLOPS)",
    "int8_dense_tops": "INT8 dense (TOPS)", "memory_gb": "memory (GB)",
    "memory_bandwidth_tb_s": "memory bandwidth (TB/s)",
    "scaleup_bandwidth_gb_s": "scale-up bandwidth, both directions (GB/s)",
    "scaleup_domain_chips": "scale-up domain, all-to-all (chips)",
    "scaleup_pod_chips": "scale-up pod (chips)", "tdp_w": "TDP (W)",
}


@st.cache_data
def chips_table():
    return chip_frame(default_catalog().chips)


st.title("Accelerator catalog")
st.caption("Dense throughput unless marked sparse; GB = 10⁹ bytes. None means unknown "
           "(not published), never guessed. Indicative figures, not quotes: check each source.")
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
    st.dataframe([{"key": k, "confidence": s.confidence,
                   "published": s.published and s.published.isoformat(),
                   "retrieved": s.retrieved and s.retrieved.isoformat(),
                   "source": s.title or s.url, "url": s.url, "note": s.note}
                  for k, s in chip.sources.items()], hide_index=True)
    for claim in chip.claims:
        st.write(f"Claim ({claim.source.confidence}): {claim.text}")
    for note in chip.availability:
        st.write(f"Availability ({note.kind}): {note.text}")
