"""accelcalc in the browser. This file is the router; each page under app_pages/ is a thin
script that calls ``calc`` (every number shown comes from a function a Python user can call)."""

import streamlit as st

st.set_page_config(page_title="accelcalc", layout="wide")
st.navigation([
    st.Page("app_pages/catalog.py", title="Catalog", default=True),
    st.Page("app_pages/models.py", title="Models", url_path="models"),
    st.Page("app_pages/predict.py", title="Predict", url_path="predict"),
]).run()
