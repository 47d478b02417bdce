"""accelcalc in the browser. This file is the router; each page under app_pages/ is a thin
script that calls ``calc`` (every number shown comes from a function a Python user can call)."""

import streamlit as st

from app_pages.i18n import LANGUAGES, t
from app_pages.session import from_url, to_url

st.set_page_config(page_title="accelcalc", layout="wide")
from_url("lang", "en", choices=LANGUAGES)
st.sidebar.selectbox(t("language"), list(LANGUAGES), format_func=LANGUAGES.get, key="lang")
to_url("lang")
st.navigation([
    st.Page("app_pages/catalog.py", title=t("page.catalog"), default=True),
    st.Page("app_pages/compare.py", title=t("page.compare"), url_path="compare"),
    st.Page("app_pages/predict.py", title=t("page.predict"), url_path="predict"),
    st.Page("app_pages/size.py", title=t("page.size"), url_path="size"),
    st.Page("app_pages/cost.py", title=t("page.cost"), url_path="cost"),
    st.Page("app_pages/claims.py", title=t("page.claims"), url_path="claims"),
    st.Page("app_pages/accuracy.py", title=t("page.accuracy"), url_path="accuracy"),
]).run()
