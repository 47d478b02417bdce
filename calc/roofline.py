"""Arithmetic intensity of a chip: where its roofline turns from memory- to compute-bound."""

from __future__ import annotations

import pint

from calc import inputs
from calc.errors import AccelcalcError
from calc.perf import BYTES_PER_ELEMENT
from specs.schema import Chip, Precision


def ridge_point(chip: Chip, precision: Precision = "bf16") -> pint.Quantity:
    """FLOPs per byte a kernel needs to be compute-bound: peak FLOP/s ÷ memory bandwidth.

    Scaling-book, "Rooflines": Intensity(Accelerator) = peak / bandwidth. H100 SXM in bf16:
    989 TFLOP/s ÷ 3.35 TB/s ≈ 295 FLOP/byte.

    >>> from specs.catalog import default_catalog
    >>> round(ridge_point(default_catalog().chip("H100")).to("FLOP/byte").magnitude)
    295
    """
    from specs.catalog import default_catalog

    chip = inputs.as_chip(default_catalog(), chip)
    precision = inputs.choice("precision", precision, Precision.__args__)
    peak = chip.peak(precision)
    if peak is None or chip.memory_bandwidth is None:
        raise AccelcalcError(f"{chip.id} lacks a published {precision} peak or memory "
                             f"bandwidth")
    return (peak / chip.memory_bandwidth.value).to("FLOP/byte")


def critical_batch(chip: Chip, precision: Precision = "bf16") -> float:
    """Tokens per decode step above which a matrix multiply with weights in ``precision`` is
    compute-bound: B_crit = ridge point × bytes per weight ÷ 2 FLOPs per weight per token.

    Scaling-book, "Inference": for bf16 weights on an H100, B_crit ≈ 989e12 / 3.35e12 ≈ 295
    (the book rounds the peak to 1e15 and gets 298).

    >>> from specs.catalog import default_catalog
    >>> round(critical_batch(default_catalog().chip("H100")))
    295
    """
    ridge = float(ridge_point(chip, precision).magnitude)
    return ridge * BYTES_PER_ELEMENT[inputs.choice("precision", precision, Precision.__args__)] / 2
