"""What a browser session carries: widget state mirrored in the URL (so a view can be shared) and
the catalog with the user's own entries (uploaded or typed in), which stay out of the URL.

The URL holds only what differs from a widget's default: a value as text, a list as a comma list,
and an empty parameter (``?ttft=``) for a field the user cleared ("no limit", no filter)."""

import streamlit as st

from calc.user_records import with_records
from specs.catalog import Catalog, default_catalog

DEFAULTS = "url_defaults"
"""Session-state key of the defaults ``from_url`` was given, by widget key (read by ``to_url``)."""


def from_url(key: str, default, *, many: bool = False, choices=None, bounds=None):
    """Seed widget ``key`` from the URL's query parameter of the same name, once per session;
    ``many`` reads a comma list, a bool default reads "True", an int or float default reads a
    number (an int default a whole one); an empty parameter is a cleared field (None, no item,
    no text); a value outside ``choices`` (a ``range`` for an int) or ``bounds`` (low, high)
    falls back to ``default``."""
    st.session_state.setdefault(DEFAULTS, {})[key] = default
    if key in st.session_state:  # set it again: a widget of another page with the same key
        st.session_state[key] = st.session_state[key]  # would otherwise start from its default
        return
    value = st.query_params.get(key)
    if value is None:
        st.session_state[key] = default
        return
    if isinstance(default, bool):
        value = value == "True"
    elif many:
        value = [v for v in value.split(",") if v and (choices is None or v in choices)]
    elif value == "" and (bounds is not None or isinstance(default, (int, float))):
        value = None  # a cleared number: no limit
    elif isinstance(default, (int, float)) or bounds is not None:
        value = _number(value, type(default) if default is not None else float, bounds,
                        default)
        value = value if choices is None or value in choices else default
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


def _text(value) -> str:
    """A widget value as the URL writes it ("" for None or an empty list)."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ",".join(map(str, value))
    return str(value)


def to_url(*keys: str) -> None:
    """Write the widgets ``keys`` into the URL: a value that differs from the default given to
    :func:`from_url` (an empty parameter for a cleared one), nothing for the default. A key
    without a default is written when it is set and left out when empty or False. A widget not
    on this page leaves its parameter as it is."""
    defaults = st.session_state.get(DEFAULTS, {})
    for key in keys:
        if key not in st.session_state:
            continue
        value = st.session_state[key]
        if key in defaults:
            changed = _text(value) != _text(defaults[key])
        else:
            changed = value not in (None, "", False, [], ())
        if changed:
            st.query_params[key] = _text(value)
        else:
            st.query_params.pop(key, None)


def catalog() -> Catalog:
    """The shipped catalog with this session's own entries added."""
    return st.session_state.get("user_catalog") or default_catalog()


def catalog_key() -> tuple:
    """What makes this session's catalog differ from the shipped one (its uploads): part of
    the key of every cached calc call that takes the catalog."""
    return tuple(st.session_state.get("user_ids", []))


def add_record(record) -> None:
    """Add the user's own chip, system or model to this session's catalog (raises CatalogError
    when its id or an alias is taken)."""
    st.session_state["user_catalog"] = with_records(catalog(), [record])
    st.session_state.setdefault("user_ids", []).append(record.id)
