"""Catalog page: chips, scale-up systems and models with their sources; add your own entries
for this browser session."""

import streamlit as st

from app_pages import session
from app_pages.downloads import download_buttons
from app_pages.i18n import chip_columns, column, t
from calc.tables import chip_frame, model_frame, source_frame, system_frame
from calc.user_records import read_upload
from specs.errors import AccelcalcError
from specs.schema import Status

st.title(t("catalog.title"))
st.caption(t("catalog.caption"))
chips_tab, systems_tab, models_tab, add_tab = st.tabs(
    [t("tab.chips"), t("tab.systems"), t("tab.models"), t("tab.add")])
s = st.session_state
upload = add_tab.file_uploader(t("upload"), type=["yaml", "yml", "json"], key="upload",
                               help=t("upload.help"))
if upload is not None and upload.file_id not in s.setdefault("uploads_read", set()):
    try:
        record = read_upload(upload.name, upload.getvalue())
        session.add_record(record)
        s["uploads_read"].add(upload.file_id)
    except AccelcalcError as err:  # shown right under the upload field
        add_tab.error(str(err))
    else:
        add_tab.success(t("upload.added", id=record.id))
if s.get("user_ids"):
    add_tab.write(f"{t('upload.yours')}: {', '.join(s['user_ids'])}")

catalog = session.catalog()  # read after the upload, so the tables show it at once
vendors = sorted({c.vendor for c in catalog.chips})
session.from_url("vendor", [], many=True, choices=vendors)
session.from_url("status", [], many=True, choices=Status.__args__)
session.from_url("search", "")


def show_sources(tab, records, key: str) -> None:
    """A picker of one entry, then the sources it cites, its claims and availability notes."""
    record_id = tab.selectbox(t("sources_of"), [r.id for r in records], key=key)
    if record_id is None:
        return
    record = next(r for r in records if r.id == record_id)
    sources = source_frame(record)
    tab.dataframe(sources.rename(columns=column), hide_index=True)
    download_buttons(sources, f"sources-{record.id}", f"{key}_download", tab)
    for claim in getattr(record, "claims", []):
        tab.write(f"{t('claim')} ({claim.source.confidence}): {claim.text}")
    for note in getattr(record, "availability", []):
        tab.write(f"{t('availability')} ({note.kind}): {note.text}")


left, middle, right = chips_tab.columns(3)
left.multiselect(t("vendor"), vendors, key="vendor", placeholder=t("any"))
middle.multiselect(t("status"), list(Status.__args__), key="status",
                  placeholder=t("any"))
search = right.text_input(t("search"), key="search").strip().lower()
session.to_url("vendor", "status", "search")
chips = [c for c in catalog.chips if (not s["vendor"] or c.vendor in s["vendor"])
         and (not s["status"] or c.status in s["status"])
         and (not search or search in c.id or search in c.name.lower())]
shown = chip_frame(chips)
chips_tab.metric(t("chips_shown"), len(shown))
chips_tab.dataframe(shown.rename(columns=chip_columns()), hide_index=True, key="chip_table")
download_buttons(shown, "chips", "chips_download", chips_tab)
show_sources(chips_tab, chips, "source_chip")

systems = system_frame(catalog.systems)
systems_tab.dataframe(systems.rename(columns=column), hide_index=True, key="system_table")
download_buttons(systems, "systems", "systems_download", systems_tab)
show_sources(systems_tab, list(catalog.systems), "source_system")

models = model_frame(catalog.models)
models_tab.dataframe(models.rename(columns=column), hide_index=True, key="model_table")
download_buttons(models, "models", "models_download", models_tab)
show_sources(models_tab, list(catalog.models), "source_model")

