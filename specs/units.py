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

from datetime import date
from pathlib import Path

import pint

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


def parse(text: str | float | int | pint.Quantity, unit: str | None = None) -> pint.Quantity:
    """Parse "3.35 TB/s" (or a number, read in ``unit``) into a quantity of the shared registry.

    >>> parse("26.8 Tbit/s").to("TB/s")
    <Quantity(3.35, 'terabyte / second')>
    >>> parse(80, "GB")
    <Quantity(80, 'gigabyte')>
    """
    if isinstance(text, pint.Quantity):
        return Q_(text.magnitude, str(text.units))
    if isinstance(text, bool):
        raise ValueError(f"expected a quantity, got {text!r}")
    if isinstance(text, (int, float)):
        if unit is None:
            raise ValueError(f"{text!r} has no unit; write it with one, e.g. '{text} GB'")
        return Q_(text, unit)
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"expected a quantity such as '3.35 TB/s', got {text!r}")
    try:
        q = Q_(text.strip())
    except (pint.errors.UndefinedUnitError, pint.errors.DefinitionSyntaxError, ValueError,
            AttributeError, TypeError, SyntaxError) as err:
        raise ValueError(f"cannot read {text!r} as a quantity: {err}") from None
    if not isinstance(q, pint.Quantity):
        q = Q_(q, unit or "dimensionless")
    return q


def to_usd(amount: pint.Quantity, cny_per_usd: float | None = None) -> pint.Quantity:
    """Convert an amount (or a rate such as CNY/hour) to US dollars.

    With ``cny_per_usd`` given, renminbi convert at that rate instead of the dated default.

    >>> round(to_usd(Q_(706.02, "CNY")).magnitude, 6)
    100.0
    >>> to_usd(Q_(72, "CNY/hour"), cny_per_usd=7.2)
    <Quantity(10.0, 'US_dollar / hour')>
    """
    cny_power = dict(amount.unit_items()).get("renminbi", 0)
    target = amount.units * (ureg.US_dollar / ureg.renminbi) ** cny_power
    converted = amount.to(target)
    if cny_per_usd is not None and cny_power:
        if cny_per_usd <= 0:
            raise ValueError(f"exchange rate must be positive, got {cny_per_usd}")
        converted = converted * (DEFAULT_CNY_PER_USD / cny_per_usd) ** cny_power
    return converted
