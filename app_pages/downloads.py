"""Download buttons under a table: the same table as CSV and as XLSX, side by side."""

from functools import partial

import streamlit as st

from app_pages.i18n import t
from calc.export import XLSX_MIME, frame_to_csv, frame_to_xlsx


def download_buttons(frame, stem: str, key: str, place=st) -> None:
    """CSV and XLSX buttons for ``frame`` (its own column names, with their units) in
    ``place``, saved as ``accelcalc-<stem>.csv`` / ``.xlsx``; widget keys ``<key>_csv`` and
    ``<key>_xlsx``. Each file is built only when its button is clicked (an XLSX takes about
    50 ms), and a click does not rerun the page."""
    row = place.container(horizontal=True)
    row.download_button(t("download.csv"), partial(frame_to_csv, frame), f"accelcalc-{stem}.csv",
                        "text/csv", key=f"{key}_csv", on_click="ignore")
    row.download_button(t("download.xlsx"), partial(frame_to_xlsx, frame),
                        f"accelcalc-{stem}.xlsx", XLSX_MIME, key=f"{key}_xlsx",
                        on_click="ignore")
