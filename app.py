"""accelcalc in the browser. This file is the router; each page under pages/ is a thin script
that calls ``calc`` (every number shown comes from a function a Python user can call too)."""

import streamlit as st

st.set_page_config(page_title="accelcalc", layout="wide")
st.navigation([st.Page("pages/catalog.py", title="Catalog", url_path="catalog", default=True),
               st.Page("pages/models.py", title="Models", url_path="models"),
               st.Page("pages/predict.py", title="Predict", url_path="predict")]).run()
