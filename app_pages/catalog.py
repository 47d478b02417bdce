"""Catalog page: chips, scale-up systems and models with their sources; add your own entries
for this browser session."""

import streamlit as st

from app_pages import session
from app_pages.downloads import download_buttons
from app_pages.i18n import chip_columns, column, t
from calc.inputs import MAX_CHIPS
from calc.tables import chip_frame, model_frame, source_frame, system_frame
from calc.user_records import CHIP_FORM, chip_from_form, read_upload
from specs.catalog import CatalogError, RecordError
from specs.errors import AccelcalcError
from specs.schema import Status

EXAMPLES = {  # what each quantity field of the chip form shows as a hint (any unit is read)
    "memory_capacity": "96 GB", "memory_bandwidth": "4 TB/s", "bf16_dense": "1000 TFLOPS",
    "fp8_dense": "2 PFLOPS", "fp4_dense": "4 PFLOPS", "scaleup_bandwidth": "450 GB/s",
    "tdp": "700 W"}

s = st.session_state


def add_typed_chip() -> None:
    """The chip form's submit: add the chip, or keep each field's problem to show under it."""
    form = {field: s.get(f"own_{field}") for field in CHIP_FORM}
    try:
        chip = chip_from_form(form)
    except RecordError as err:
        s["own_errors"] = dict(err.problems)
        return
    try:
        session.add_record(chip)
    except CatalogError:  # the id or an alias is taken (the name makes them)
        s["own_errors"] = {"name": t("own.taken", id=chip.id)}
        return
    s["own_errors"], s["own_added"] = {}, chip.id
    for field in CHIP_FORM:  # an empty form for the next chip
        s[f"own_{field}"] = None if field == "scaleup_domain_chips" else \
            "shipping" if field == "status" else ""


def chip_form(place) -> None:
    """A form to type a chip's figures, each with its unit; a problem shows under its field."""
    errors = s.get("own_errors", {})
    with place.form("own_chip"):
        st.markdown(f"**{t('own.title')}**")
        st.caption(t("own.caption"))
        for i, field in enumerate(CHIP_FORM):
            if i % 3 == 0:  # rows of three; a problem shows under its field
                columns = st.columns(3)
            where = columns[i % 3]
            label = t(f"own.{field}")
            if field == "status":
                where.selectbox(label, Status.__args__, key="own_status")
            elif field == "scaleup_domain_chips":
                where.number_input(label, 1, MAX_CHIPS, None, key="own_scaleup_domain_chips",
                                   placeholder=t("own.unknown"))
            else:
                hint = t("own.example", example=EXAMPLES[field]) if field in EXAMPLES else ""
                where.text_input(label, key=f"own_{field}", placeholder=hint)
            if field in errors:
                where.error(errors[field])
        for field in set(errors) - set(CHIP_FORM):
            st.error(f"{field}: {errors[field]}")
        st.form_submit_button(t("own.add"), on_click=add_typed_chip, key="own_add")


def add_pasted_model() -> None:
    """The model form's submit: read the pasted config.json as an upload named after the id."""
    name = (s.get("own_model_id") or "").strip() or "model"
    try:
        model = read_upload(f"{name}.json", (s.get("own_config") or "").encode("utf-8"))
        session.add_record(model)
    except AccelcalcError as err:
        s["own_model_error"] = str(err)
        return
    s["own_model_error"], s["own_added"], s["own_config"] = None, model.id, ""


def model_form(place) -> None:
    """A form to paste a Hugging Face config.json (the upload's other way in)."""
    with place.form("own_model"):
        st.markdown(f"**{t('own.model_title')}**")
        st.text_input(t("own.model_id"), key="own_model_id", placeholder="my-model")
        st.text_area(t("own.config"), key="own_config", height=120,
                     placeholder='{"hidden_size": 4096, "num_hidden_layers": 32, ...}')
        if s.get("own_model_error"):
            st.error(s["own_model_error"])
        st.form_submit_button(t("own.add_model"), on_click=add_pasted_model,
                              key="own_add_model")


st.title(t("catalog.title"))
st.caption(t("catalog.caption"))
chips_tab, systems_tab, models_tab, add_tab = st.tabs(
    [t("tab.chips"), t("tab.systems"), t("tab.models"), t("tab.add")])
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

chip_form(add_tab)
model_form(add_tab)
if s.get("own_added"):  # once, after the form that added it
    add_tab.success(t("upload.added", id=s.pop("own_added")))
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

