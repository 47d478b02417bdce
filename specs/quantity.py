"""A pydantic field type for pint quantities: ``Annotated[Quantity, QuantityIn("TB/s")]``.

Accepts any spelling of a compatible unit and keeps it as written; rejects another dimension with
a message that names the expected kind of quantity.

>>> from pydantic import BaseModel
>>> class Link(BaseModel):
...     bandwidth: Bandwidth
>>> Link(bandwidth="26.8 Tbit/s").bandwidth.to("TB/s")
<Quantity(3.35, 'terabyte / second')>
>>> try:
...     Link(bandwidth="3.35 TB")
... except ValueError as err:
...     print(err.errors()[0]["msg"])
Value error, expected a bandwidth such as '3.35 TB/s', got '3.35 TB' (a quantity of [...])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import pint
from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema

from specs.units import parse, ureg


@dataclass(frozen=True)
class QuantityIn:
    """Marker: the field holds a positive quantity with the dimension of ``example``'s unit."""

    example: str
    """An example value, e.g. "3.35 TB/s"; its unit fixes the dimension and is used in messages."""
    kind: str
    """What the quantity is, for messages ("a bandwidth")."""
    allow_zero: bool = False
    also: tuple[str, ...] = ()
    """Other examples whose dimension is accepted too (a price per chip or per hour)."""

    def validate(self, raw: Any) -> pint.Quantity:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            raise ValueError(f"expected {self.kind} such as '{self.example}', got nothing")
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            raise ValueError(f"expected {self.kind} such as '{self.example}', got the bare "
                             f"number {raw!r}: add its unit")
        quantity = parse(raw)
        if isinstance(raw, str) and quantity.dimensionless and not raw.strip()[-1:].isalpha():
            raise ValueError(f"expected {self.kind} such as '{self.example}', got the bare "
                             f"number {raw.strip()!r}: add its unit")
        accepted = [ureg.get_dimensionality(e.split(" ", 1)[1]) for e in (self.example, *self.also)]
        if quantity.dimensionality not in accepted:
            examples = " or ".join(f"'{e}'" for e in (self.example, *self.also))
            raise ValueError(f"expected {self.kind} such as {examples}, got '{raw}' "
                             f"(a quantity of {quantity.dimensionality or 'no dimension'})")
        magnitude = quantity.magnitude
        if magnitude < 0 or (magnitude == 0 and not self.allow_zero):
            raise ValueError(f"{self.kind} must be positive, got '{raw}'")
        return quantity

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler):
        return core_schema.no_info_plain_validator_function(
            self.validate,
            serialization=core_schema.plain_serializer_function_ser_schema(format_quantity),
            json_schema_input_schema=core_schema.str_schema(
                pattern=r"^\s*[-+0-9.eE]+\s*\S.*$"),
        )


def format_quantity(quantity: pint.Quantity) -> str:
    """The one text form of a quantity, readable back by :func:`specs.units.parse`.

    >>> format_quantity(ureg.Quantity(3.35, "TB/s"))
    '3.35 TB/s'
    """
    return f"{quantity.magnitude:g} {quantity.units:~C}".replace("*", " * ")


Compute = Annotated[pint.Quantity, QuantityIn("989 TFLOPS", "a compute rate")]
Bandwidth = Annotated[pint.Quantity, QuantityIn("3.35 TB/s", "a bandwidth")]
Information = Annotated[pint.Quantity, QuantityIn("80 GB", "a memory size")]
Power = Annotated[pint.Quantity, QuantityIn("700 W", "a power")]
PriceAmount = Annotated[pint.Quantity, QuantityIn("25000 USD", "a price", also=("2.49 USD/hour",))]
EnergyPrice = Annotated[pint.Quantity, QuantityIn("0.083 USD/kWh", "an electricity price")]
