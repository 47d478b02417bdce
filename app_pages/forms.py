"""The workload form and the buyer's choices shared by the Size and Cost pages (same widget keys,
so both pages read the same URL), and the cached calc calls behind them."""

import streamlit as st

from app_pages import session
from app_pages.i18n import t
from calc.capacity import capacity
from calc.inputs import MAX_LIMIT_MS, MAX_TOKENS
from calc.precision import COMPUTE_PRECISIONS
from calc.sizing import size
from calc.workload import MAX_TOKENS_PER_S_PER_USER
from specs.schema import Status

TRAFFIC_UNITS = ("requests/s", "tokens/day")
SPEEDS = ("tpot", "per_user")
TERMS = ("on-demand", "reserved-1y", "reserved-2y", "reserved-3y")
MAX_TRAFFIC = 1e16
"""Tokens per day above any fleet (10⁷ requests/s × 10⁴ tokens × 86,400 s is 10¹⁶)."""
WORKLOAD_KEYS = ("model", "traffic_unit", "traffic", "in_tokens", "out_tokens", "ttft", "speed",
                 "tpot", "per_user")
"""URL parameters of the workload form; ``FILTER_KEYS`` those it adds with ``full``."""
FILTER_KEYS = ("peak", "headroom", "spare", "precisions", "size_status", "size_vendors",
               "size_chips", "size_china", "size_estimates", "size_disaggregated")
BUYER_KEYS = ("buy", "term", "region", "currency")
SAMPLES = 1000
MAX_OPTIONS = 10_000
"""Upper bound of an option's place in a shared link (a sizing ranks far fewer)."""


def workload_form(catalog, *, full: bool) -> dict:
    """The workload's widgets; returns the fields of :class:`calc.workload.Workload` (checked
    by ``Workload.of``). ``full`` adds peak, headroom, spare, precisions and chip filters."""
    models = [m.id for m in catalog.models]
    session.from_url("model", "deepseek-v3" if "deepseek-v3" in models else models[0],
                     choices=models)
    session.from_url("traffic_unit", "requests/s", choices=TRAFFIC_UNITS)
    session.from_url("traffic", 10.0, bounds=(1e-6, MAX_TRAFFIC))
    session.from_url("in_tokens", 2000, bounds=(1, MAX_TOKENS))
    session.from_url("out_tokens", 500, bounds=(1, MAX_TOKENS))
    session.from_url("ttft", 3000.0, bounds=(1.0, MAX_LIMIT_MS))
    session.from_url("speed", "tpot", choices=SPEEDS)
    session.from_url("tpot", 50.0, bounds=(0.01, MAX_LIMIT_MS))
    session.from_url("per_user", 20.0, bounds=(0.01, MAX_TOKENS_PER_S_PER_USER))
    a, b, c = st.columns(3)
    a.selectbox(t("size.model"), models, key="model")
    unit = b.radio(t("size.traffic_unit"), TRAFFIC_UNITS, key="traffic_unit", horizontal=True)
    c.number_input(t("size.traffic", unit=unit), min_value=1e-6, max_value=MAX_TRAFFIC,
                   key="traffic", format="%g", help=t("size.traffic_help"))
    a, b, c, d = st.columns(4)
    a.number_input(t("size.in_tokens"), 1, MAX_TOKENS, key="in_tokens")
    b.number_input(t("size.out_tokens"), 1, MAX_TOKENS, key="out_tokens")
    c.number_input(t("size.ttft"), 1.0, MAX_LIMIT_MS, None, key="ttft", format="%g",
                   placeholder=t("size.no_limit"))
    speed = d.radio(t("size.speed"), SPEEDS, key="speed", horizontal=True,
                    format_func={"tpot": "TPOT", "per_user": t("size.per_user_short")}.get)
    if speed == "tpot":
        d.number_input(t("size.tpot"), 0.01, MAX_LIMIT_MS, None, key="tpot", format="%g",
                       placeholder=t("size.no_limit"))
    else:
        d.number_input(t("size.per_user"), 0.01, MAX_TOKENS_PER_S_PER_USER, None, key="per_user",
                       format="%g", placeholder=t("size.no_limit"))
    s = st.session_state
    fields = dict(model=s["model"], input_tokens=int(s["in_tokens"]),
                  output_tokens=int(s["out_tokens"]), ttft_ms=s["ttft"])
    fields["requests_per_s" if unit == "requests/s" else "tokens_per_day"] = s["traffic"]
    fields["tpot_ms" if speed == "tpot" else "tokens_per_s_per_user"] = s[speed]
    if full:
        with st.expander(t("size.more")):
            fields |= _service_and_filters(catalog)
    return fields


def _service_and_filters(catalog) -> dict:
    session.from_url("peak", 1.0, bounds=(1.0, 100.0))
    session.from_url("headroom", 0.0, bounds=(0.0, 1000.0))
    session.from_url("spare", 0, bounds=(0, 1000))
    vendor_names = sorted({x.vendor for x in catalog.chips})
    session.from_url("precisions", ["bf16", "fp8"], many=True, choices=COMPUTE_PRECISIONS)
    session.from_url("size_status", ["shipping"], many=True, choices=Status.__args__)
    session.from_url("size_vendors", [], many=True, choices=vendor_names)
    session.from_url("size_chips", "")
    session.from_url("size_china", False)
    session.from_url("size_estimates", True)
    session.from_url("size_disaggregated", True)
    a, b, c, d = st.columns(4)
    a.number_input(t("size.peak"), 1.0, 100.0, key="peak", format="%g")
    b.number_input(t("size.headroom"), 0.0, 1000.0, key="headroom", format="%g")
    c.number_input(t("size.spare"), 0, 1000, key="spare")
    precisions = d.multiselect(t("precision"), COMPUTE_PRECISIONS, key="precisions",
                               help=t("size.precisions_help"))
    a, b, c = st.columns(3)
    status = a.multiselect(t("status"), list(Status.__args__), key="size_status")
    vendors = b.multiselect(t("vendor"), vendor_names, key="size_vendors", placeholder=t("any"))
    chips = c.text_input(t("size.chips"), key="size_chips", help=t("size.chips_help"))
    a, b, c = st.columns(3)
    china = a.checkbox(t("compare.buyable_china"), key="size_china")
    estimates = b.checkbox(t("size.estimates"), key="size_estimates")
    split = c.checkbox(t("size.disaggregated"), key="size_disaggregated",
                       help=t("size.disaggregated_help"))
    s = st.session_state
    names = tuple(x.strip() for x in chips.split(",") if x.strip())
    return dict(peak_to_average=float(s["peak"]), headroom=float(s["headroom"]) / 100,
                spare_replicas=int(s["spare"]), precisions=tuple(precisions),
                status=tuple(status), vendors=tuple(vendors) or None, chips=names or None,
                buyable_in_china=china, allow_estimates=estimates, disaggregated=split)


def buyer_form(catalog) -> dict:
    """Own or rent, rental term, buyer region and currency; returns the keywords of
    :func:`calc.cost.cost_settings`."""
    regions = list(catalog.assumptions.regions)
    session.from_url("buy", "own", choices=("own", "rent"))
    session.from_url("term", "on-demand", choices=TERMS)
    session.from_url("region", regions[0], choices=regions)
    session.from_url("currency", "USD", choices=["USD", "CNY"])
    a, b, c, d = st.columns(4)
    buy = a.radio(t("compare.own"), ["own", "rent"], key="buy", horizontal=True,
                  format_func={"own": t("own"), "rent": t("rent")}.get)
    term = b.selectbox(t("size.term"), TERMS, key="term", disabled=buy == "own")
    c.selectbox(t("region"), regions, key="region")
    d.selectbox(t("currency"), ["USD", "CNY"], key="currency")
    s = st.session_state
    return dict(region=s["region"], own=buy == "own", term=None if buy == "own" else term,
                currency=s["currency"])


@st.cache_data(max_entries=64, show_spinner=False)
def _size(workload, settings, prices: tuple, samples: int, key: tuple, _catalog):
    return size(workload, settings=settings, prices=dict(prices), samples=samples,
                catalog=_catalog)


def sizing(workload, settings, prices: dict, samples: int = 0):
    """:func:`calc.sizing.size`, cached on its inputs."""
    return _size(workload, settings, tuple(prices.items()), samples, session.catalog_key(),
                 session.catalog())


@st.cache_data(max_entries=32, show_spinner=False)
def _capacity(workload, settings, question: str, amount: str, kind: str, prices: tuple,
              key: tuple, _catalog):
    return capacity(workload, settings=settings, prices=dict(prices), catalog=_catalog,
                    target_kind=kind, **{question: amount})


def reverse(workload, settings, question: str, amount: str, kind: str, prices: dict):
    """:func:`calc.capacity.capacity` for one question, cached."""
    return _capacity(workload, settings, question, amount, kind, tuple(prices.items()),
                     session.catalog_key(), session.catalog())
