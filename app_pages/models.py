"""Models page: the LLM architectures the calculator knows."""

import streamlit as st

from calc.tables import model_frame
from specs.catalog import default_catalog


@st.cache_data
def models_table():
    return model_frame(default_catalog().models)


st.title("Model catalog")
st.dataframe(models_table(), hide_index=True, key="model_table")
