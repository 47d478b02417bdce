"""Claims page: the catalog's vendor and press claims checked against the model."""

import streamlit as st

from app_pages import session
from app_pages.downloads import download_buttons
from app_pages.i18n import column, t
from calc.claims import check_claims, claims_frame

VERDICTS = ["consistent", "optimistic", "pessimistic", "cannot check"]
SHOWN = ["chip", "baseline", "verdict", "claimed_ratio", "model_ratio", "p10", "p90", "claim",
         "workload", "reason", "url", "source", "published", "confidence", "kind", "vendor"]


@st.cache_data(show_spinner=False)
def claims_table():
    """Every claim of the shipped catalog, checked (about a second; the same for every user)."""
    return claims_frame(check_claims())


table = claims_table()
vendors = sorted(set(table["vendor"]))
session.from_url("verdict", [], many=True, choices=VERDICTS)
session.from_url("claim_vendor", [], many=True, choices=vendors)

st.title(t("claims.title"))
st.caption(t("claims.caption"))
a, b = st.columns(2)
a.multiselect(t("claims.verdict"), VERDICTS, key="verdict", placeholder=t("any"),
              format_func=lambda v: t(f"verdict.{v}"))
b.multiselect(t("vendor"), vendors, key="claim_vendor", placeholder=t("any"))
session.to_url("verdict", "claim_vendor")
s = st.session_state
shown = table[table["verdict"].isin(s["verdict"] or VERDICTS)
              & table["vendor"].isin(s["claim_vendor"] or vendors)]
st.metric(t("claims.count"), len(shown))
view = shown.assign(verdict=[t(f"verdict.{v}") for v in shown["verdict"]],
                    url=[u if u.startswith("http") else None for u in shown["source"]])
st.dataframe(view[SHOWN].rename(columns=column), hide_index=True, key="claims_table",
             column_config={column("url"): st.column_config.LinkColumn()} | {
                 column(c): st.column_config.NumberColumn(format="%.3g")
                 for c in ("claimed_ratio", "model_ratio", "p10", "p90")})
st.caption(t("claims.ratio_note"))
download_buttons(shown, "claims", "claims_download")
