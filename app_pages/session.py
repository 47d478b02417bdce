"""What a browser session carries: widget state mirrored in the URL (so a view can be shared) and
the catalog with the user's own uploaded entries."""

import streamlit as st

from calc.user_records import with_records
from specs.catalog import Catalog, default_catalog


def from_url(key: str, default, *, many: bool = False, choices=None, bounds=None):
    """Seed widget ``key`` from the URL's query parameter of the same name, once per session;
    ``many`` reads a comma list, a bool default reads "True", an int or float default reads a
    number (an int default a whole one); a value outside ``choices`` (a ``range`` for an int)
    or ``bounds`` (low, high) falls back to ``default``."""
    if key in st.session_state:  # set it again: a widget of another page with the same key
        st.session_state[key] = st.session_state[key]  # would otherwise start from its default
        return
    value = st.query_params.get(key)
    if value is None:
        st.session_state[key] = default
        return
    if isinstance(default, bool):
        value = value == "True"
    elif isinstance(default, (int, float)) or bounds is not None:
        value = _number(value, type(default) if default is not None else float, bounds,
                        default)
        value = value if choices is None or value in choices else default
    elif many:
        value = [v for v in value.split(",") if v and (choices is None or v in choices)]
    elif choices is not None and value not in choices:
        value = default
    st.session_state[key] = value


def _number(text: str, kind: type, bounds, default):
    try:
        number = float(text)
    except (TypeError, ValueError):
        return default
    if kind is int and not number.is_integer():
        return default
    value = kind(number)
    low, high = bounds or (float("-inf"), float("inf"))
    return value if low <= value <= high else default


def to_url(*keys: str) -> None:
    """Write the widgets ``keys`` into the URL (lists as comma lists; empty ones removed)."""
    for key in keys:
        value = st.session_state.get(key)
        if isinstance(value, (list, tuple)):
            value = ",".join(value)
        if value in (None, "", False):
            st.query_params.pop(key, None)
        else:
            st.query_params[key] = str(value)


def catalog() -> Catalog:
    """The shipped catalog with this session's uploads added."""
    return st.session_state.get("user_catalog") or default_catalog()


def catalog_key() -> tuple:
    """What makes this session's catalog differ from the shipped one (its uploads): part of
    the key of every cached calc call that takes the catalog."""
    return tuple(st.session_state.get("user_ids", []))


def add_record(record) -> None:
    """Add an uploaded chip, system or model to this session's catalog (raises CatalogError
    when its id or an alias is taken)."""
    st.session_state["user_catalog"] = with_records(catalog(), [record])
    st.session_state.setdefault("user_ids", []).append(record.id)
