"""The shared unit registry: information, compute, tokens and currency are distinct dimensions."""

import pint
import pytest
from pydantic import BaseModel, ValidationError

from specs.quantity import Bandwidth
from specs.units import DEFAULT_CNY_PER_USD, Q_, parse, to_usd, ureg
from tests.timebound import within


class Link(BaseModel):
    bandwidth: Bandwidth


@pytest.mark.parametrize("text", ["3.35 TB/s", "3350 GB/s", "26.8 Tbit/s", "3.35e12 B/s",
                                  "3350000 MB/s", "3.35 terabyte / second"])
def test_bandwidth_field_accepts_every_spelling(text):
    assert Link(bandwidth=text).bandwidth.to("B/s").magnitude == pytest.approx(3.35e12)


@pytest.mark.parametrize("text,fragment", [
    ("3.35 TB", "expected a bandwidth"),
    ("989 TFLOPS", "expected a bandwidth"),
    ("-3 GB/s", "must be positive"),
    ("0 GB/s", "must be positive"),
    ("3.35", "bare number"),
    ("", "got nothing"),
    ("3.35 furlongs/s", "cannot read"),
])
def test_bandwidth_field_rejects_wrong_input_naming_the_field(text, fragment):
    with pytest.raises(ValidationError) as err:
        Link(bandwidth=3.35 if text == "3.35" else text)
    assert err.value.errors()[0]["loc"] == ("bandwidth",)
    assert fragment in str(err.value)


def test_adding_bytes_to_tokens_is_an_error():
    with pytest.raises(pint.DimensionalityError):
        Q_("80 GB") + Q_("3 token")


def test_flops_are_not_bytes():
    with pytest.raises(pint.DimensionalityError):
        Q_("989 TFLOPS").to("TB/s")


def test_decimal_prefixes_are_decimal_and_binary_are_binary():
    assert Q_("1 GB").to("B").magnitude == 10**9
    assert Q_("1 GiB").to("B").magnitude == 2**30
    assert Q_("80 GB").to("GiB").magnitude == pytest.approx(74.5058, rel=1e-6)


def test_tops_and_tflops_share_the_compute_dimension():
    assert Q_("1979 TOPS").to("TFLOPS").magnitude == pytest.approx(1979)
    assert Q_("2.5 PFLOPS").to("TFLOPS").magnitude == pytest.approx(2500)


def test_currency_converts_at_the_default_rate_or_the_users():
    assert to_usd(Q_(100 * DEFAULT_CNY_PER_USD, "CNY")).magnitude == pytest.approx(100)
    assert to_usd(Q_("720 CNY/hour"), cny_per_usd=7.2).to("USD/hour").magnitude == \
        pytest.approx(100)
    with pytest.raises(ValueError, match="positive"):
        to_usd(Q_("1 CNY"), cny_per_usd=0)


def test_money_is_not_bytes():
    with pytest.raises(pint.DimensionalityError):
        Q_("1 USD") + Q_("1 GB")


def test_one_registry_is_shared_by_pint_and_pint_pandas():
    import pandas as pd
    import pint_pandas  # noqa: F401

    assert pint.get_application_registry().get() is ureg
    sizes = pd.Series([80.0, 141.0], dtype="pint[GB]")
    assert sizes.pint.to("GiB").pint.magnitude.iloc[0] == pytest.approx(74.5058, rel=1e-6)
    with pytest.raises(pint.DimensionalityError):
        sizes + pd.Series([1.0, 2.0], dtype="pint[token]")
    assert parse(Q_(3, "GB")).units == ureg.GB


@pytest.mark.parametrize("text", ["3,35 TB/s", "1 500 W", "80 GB 2", "TB/s", "9**9**9 W",
                                  "80 GB / 0", "10**400 TB/s", "(80 GB", "nan TB/s", "inf W",
                                  "1e300 GB", "3.35 TB/s + 1 GB/s"])
def test_quantity_text_other_than_one_number_and_a_unit_is_refused_never_misread(text):
    with within(5), pytest.raises(ValidationError) as err:
        Link(bandwidth=text)
    assert err.value.errors()[0]["loc"] == ("bandwidth",)
    assert "e.g. '" in str(err.value) or "out of range" in str(err.value)


@pytest.mark.parametrize("text,si", [("3.35 TB/s", 3.35e12), ("3350 GB/s", 3.35e12),
                                     ("26.8 Tbit / s", 3.35e12), (".5 TB·s^-1", 0.5e12),
                                     ("3.35e3 GB/s", 3.35e12), ("1 (TB/s)", 1e12)])
def test_quantity_grammar_accepts_a_number_an_exponent_and_a_unit_expression(text, si):
    assert Link(bandwidth=text).bandwidth.to("B/s").magnitude == pytest.approx(si)


@pytest.mark.parametrize("unit", ["furlong", "GB/0", "GB**99", "__import__", "GB)"])
def test_an_unreadable_unit_is_a_project_error(unit):
    from specs.errors import AccelcalcError
    from specs.units import parse_unit

    with pytest.raises(AccelcalcError, match="cannot read"):
        parse_unit(unit)


def test_a_quantity_of_another_dimension_than_asked_is_a_project_error_not_a_pint_one():
    from specs.errors import AccelcalcError

    with pytest.raises(AccelcalcError, match="not a quantity in USD/kWh"):
        parse("1 GB", "USD/kWh")
    assert parse("0.4 CNY/kWh", "USD/kWh").to("CNY/kWh").magnitude == pytest.approx(0.4)
