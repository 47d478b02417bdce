"""The one pint registry of accelcalc, built from ``units.txt``.

Bits and bytes have the dimension ``[information]``, FLOPs ``[compute]``, tokens ``[text]`` and
money ``[currency]``, so adding "80 GB" to "3 token" is an error:

>>> Q_("80 GB") + Q_("3 token")
Traceback (most recent call last):
...
pint.errors.DimensionalityError: Cannot convert from 'gigabyte' ([information]) to 'token' ([text])

Decimal prefixes are decimal, binary prefixes binary:

>>> Q_("80 GB").to("GiB")
<Quantity(74.505806, 'gibibyte')>

The renminbi converts to US dollars at a dated default rate (``DEFAULT_CNY_PER_USD``); pass your
own rate to :func:`to_usd`.
"""

from __future__ import annotations

import math
import re
from datetime import date
from pathlib import Path

import pint

from specs.errors import AccelcalcError

DEFAULT_CNY_PER_USD = 7.0602
"""Default exchange rate, CNY per USD: the central parity of 2025-12-16 published by the China
Foreign Exchange Trade System, as reported at https://menafn.com/1110485531/ ("settling at
7.0602 per dollar"). Override per call with ``to_usd(amount, cny_per_usd=...)``."""
DEFAULT_CNY_PER_USD_DATE = date(2025, 12, 16)

ureg = pint.UnitRegistry(
    str(Path(__file__).with_name("units.txt")),
    autoconvert_offset_to_baseunit=True,
    cache_folder=None,
)
ureg.define(f"renminbi = USD / {DEFAULT_CNY_PER_USD} = CNY = yuan = RMB")
ureg.formatter.default_format = "~P"
pint.set_application_registry(ureg)
Q_ = ureg.Quantity


class QuantityError(AccelcalcError):
    """Text that is not one number followed by a unit, or a figure beyond physical bounds."""


MAX_SI_MAGNITUDE = 1e24
"""Largest figure accepted, in SI base units (bytes count as 8 bits): a yotta of anything. It is
six orders of magnitude beyond the largest system in the catalog (an exaflop pod is 1e18 FLOP/s,
a petabyte 8e15 bits), and far enough below float overflow (1.8e308) that products and ratios
of a dozen such figures stay finite."""
MIN_SI_MAGNITUDE = 1e-24
"""Smallest non-zero figure accepted, in SI base units: the mirror of ``MAX_SI_MAGNITUDE``, so
that a ratio of two accepted figures stays finite."""
MAX_EXPONENT = 4
"""Largest power in a unit expression ("m^2", "s**-1"): no physical unit needs more."""

_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?"
_NAME = r"[A-Za-z_$%µμ°][A-Za-z0-9_µμ]*"
_POWER = rf"(?:\s*(?:\^|\*\*)\s*-?[1-{MAX_EXPONENT}])?"
_OP = r"(?:\s*[*/·]\s*|\s+)"
_SIMPLE = rf"{_NAME}{_POWER}(?:{_OP}{_NAME}{_POWER})*"
_FACTOR = rf"(?:{_NAME}{_POWER}|\(\s*{_SIMPLE}\s*\){_POWER})"
_UNIT = rf"{_FACTOR}(?:{_OP}{_FACTOR})*"
UNIT_PATTERN = re.compile(rf"^\s*{_UNIT}\s*$")
QUANTITY_PATTERN = re.compile(rf"^\s*(?P<number>{_NUMBER})\s*(?P<unit>{_UNIT})?\s*$")
"""The quantity grammar: exactly one number (decimal point, optional exponent ``e3``) and an
optional unit expression of unit names, ``/``, ``*``, ``·``, spaces and small integer powers
(``^2``, ``**-1``), with one level of parentheses. Nothing else is evaluated."""
EXAMPLE = "write one number followed by a unit, e.g. '3.35 TB/s' or '1500 W'"


def parse_unit(text: str) -> pint.Unit:
    """A unit of the shared registry from its name or expression ("TB/s", "USD / hour").

    >>> parse_unit("GB/s")
    <Unit('gigabyte / second')>
    >>> parse_unit("GB/0")
    Traceback (most recent call last):
    ...
    specs.units.QuantityError: cannot read 'GB/0' as a unit: write unit names joined by /, ...
    """
    if not isinstance(text, str):
        raise QuantityError(f"expected a unit name such as 'TB/s', got {text!r}")
    if not UNIT_PATTERN.match(text) or len(text) > 100:
        raise QuantityError(f"cannot read {text!r} as a unit: write unit names joined by /, *, "
                            f"· or spaces, with small integer powers, e.g. 'TB/s' or "
                            f"'USD/hour'")
    try:
        return ureg.parse_units(text.replace("·", "*").strip())
    except (pint.errors.PintError, AttributeError, TypeError, ValueError, SyntaxError) as err:
        raise QuantityError(f"cannot read {text!r}: {err}; use a unit such as GB, TB/s, TFLOPS, "
                            f"W, USD/hour or token") from None


def _bounded(quantity: pint.Quantity, shown: str) -> pint.Quantity:
    magnitude = quantity.magnitude
    if isinstance(magnitude, bool) or not isinstance(magnitude, (int, float)):
        raise QuantityError(f"expected one number with a unit, got {shown}")
    if not math.isfinite(magnitude):
        raise QuantityError(f"{shown} is not a finite number; {EXAMPLE}")
    si = abs(float(quantity.to_base_units().magnitude)) if magnitude else 0.0
    if not math.isfinite(si) or si > MAX_SI_MAGNITUDE or 0 < si < MIN_SI_MAGNITUDE:
        raise QuantityError(f"{shown} is out of range: a figure must lie within "
                            f"{MIN_SI_MAGNITUDE:g} to {MAX_SI_MAGNITUDE:g} in SI base units; "
                            f"check the number and its prefix")
    return quantity


def parse(text: str | float | int | pint.Quantity, unit: str | None = None) -> pint.Quantity:
    """Parse "3.35 TB/s" (or a number, read in ``unit``) into a quantity of the shared registry.

    The text must follow ``QUANTITY_PATTERN``: one number, then a unit. Given ``unit``, a bare
    number is read in it and a text must have its dimension ("0.4 CNY/kWh" for "USD/kWh").

    >>> parse("26.8 Tbit/s").to("TB/s")
    <Quantity(3.35, 'terabyte / second')>
    >>> parse(80, "GB")
    <Quantity(80, 'gigabyte')>
    >>> parse("3,35 TB/s")
    Traceback (most recent call last):
    ...
    specs.units.QuantityError: cannot read '3,35 TB/s': write numbers with a decimal point ...
    """
    if isinstance(text, pint.Quantity):
        return _bounded(Q_(text.magnitude, parse_unit(str(text.units))), repr(str(text)))
    if isinstance(text, bool):
        raise QuantityError(f"expected a quantity such as '3.35 TB/s', got {text!r}")
    if isinstance(text, (int, float)):
        if unit is None:
            raise QuantityError(f"{text!r} has no unit; write it with one, e.g. '{text} GB'")
        return _bounded(Q_(text, parse_unit(unit)), repr(f"{text} {unit}"))
    if not isinstance(text, str) or not text.strip():
        raise QuantityError(f"expected a quantity such as '3.35 TB/s', got {text!r}")
    if len(text) > 200:
        raise QuantityError(f"a quantity of {len(text)} characters is not a figure; {EXAMPLE}")
    match = QUANTITY_PATTERN.match(text)
    if match is None:
        raise QuantityError(f"cannot read {text!r}: {_hint(text)}")
    number = match["number"]
    magnitude = int(number) if re.fullmatch(r"[+-]?\d{1,15}", number) else float(number)
    expected = parse_unit(unit) if unit else ureg.dimensionless
    units = parse_unit(match["unit"]) if match["unit"] else expected
    if unit and units.dimensionality != expected.dimensionality:
        raise QuantityError(f"{text!r} is not a quantity in {unit} or a compatible unit; "
                            f"write e.g. '1 {unit}'")
    return _bounded(Q_(magnitude, units), repr(text))


def _hint(text: str) -> str:
    """What to write instead of ``text``, which does not follow the quantity grammar."""
    stripped = text.strip()
    if re.search(r"\d[,_' ]\d", stripped):
        return "write numbers with a decimal point and no separators, e.g. '3.35 TB/s' or '1500 W'"
    if re.match(r"[+-]?(nan|inf)", stripped, re.IGNORECASE):
        return f"a figure must be a finite number; {EXAMPLE}"
    if not re.match(_NUMBER, stripped):
        return f"no number in front of the unit; {EXAMPLE}"
    rest = stripped[re.match(_NUMBER, stripped).end():]
    if re.search(r"\d", re.sub(rf"(\^|\*\*)\s*-?[1-{MAX_EXPONENT}]", "", rest)):
        return f"only one number is allowed, before the unit (no arithmetic); {EXAMPLE}"
    return f"{EXAMPLE}; units may use /, *, · and small powers such as ^2"


def to_usd(amount: pint.Quantity, cny_per_usd: float | None = None) -> pint.Quantity:
    """Convert an amount (or a rate such as CNY/hour) to US dollars.

    With ``cny_per_usd`` given, renminbi convert at that rate instead of the dated default.

    >>> round(to_usd(Q_(706.02, "CNY")).magnitude, 6)
    100.0
    >>> to_usd(Q_(72, "CNY/hour"), cny_per_usd=7.2)
    <Quantity(10.0, 'US_dollar / hour')>

    Prefixed renminbi ("70 MCNY") convert at the same rate:

    >>> to_usd(Q_(70, "MCNY"), cny_per_usd=7.0).to("MUSD")
    <Quantity(10.0, 'megaUS_dollar')>
    """
    target, cny_power = ureg.dimensionless, 0
    for name, power in amount.unit_items():
        prefix, root, _ = ureg.parse_unit_name(name)[0]
        if root == "renminbi":
            cny_power += power
            target = target * (ureg.Unit(prefix + "US_dollar")) ** power
        else:
            target = target * ureg.Unit(name) ** power
    converted = amount.to(target)
    if cny_per_usd is not None and cny_power:
        if not cny_per_usd > 0:
            raise QuantityError(f"exchange rate must be positive, got {cny_per_usd}")
        converted = converted * (DEFAULT_CNY_PER_USD / cny_per_usd) ** cny_power
    return converted
