"""Precision plans: what weights, activations and the KV cache are stored and computed in.

A plan is named by one precision ("fp8") or given field by field. Where a chip has no units for
a precision, it computes in the next wider one it has (``WIDER``); below 16 bits the achieved
share of peak is scaled by the efficiency's ``low_precision_efficiency``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from calc import inputs
from calc.perf import BYTES_PER_ELEMENT, WIDER, Precisions
from calc.serving import ServingError

PRECISIONS = tuple(BYTES_PER_ELEMENT)
"""Every precision a plan may name."""
COMPUTE_PRECISIONS = ("bf16", "fp16", "fp8", "int8", "fp4", "int4")
"""Precisions a serving plan can run in on some chip of the catalog (fp32/tf32 serving is not
offered: no chip publishes a dense fp32 matrix rate worth serving with)."""


class PrecisionPlan(BaseModel):
    """Storage precision of weights and KV cache and the compute precision of activations."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    weights: str = "bf16"
    activations: str = "bf16"
    kv_cache: str = "bf16"

    @classmethod
    def of(cls, value: PrecisionPlan | dict | str | None) -> PrecisionPlan:
        """A plan from one name ("fp8": weights, activations and KV cache in fp8; for 4-bit
        formats the KV cache stays at fp8, as runtimes keep it), a dict, or a plan."""
        if value is None:
            return cls()
        if isinstance(value, str):
            value = inputs.choice("precision", value, COMPUTE_PRECISIONS)
            plan = cls(weights=value, activations=value,
                       kv_cache="fp8" if value in ("fp4", "int4") else value)
        elif isinstance(value, cls):
            plan = value
        elif isinstance(value, dict) and not set(value) - set(cls.model_fields):
            plan = cls(**{k: inputs.choice(f"{k} precision", v, PRECISIONS)
                          for k, v in value.items()})
        else:
            raise ServingError(f"precision must be a name such as 'fp8', a plan, or a dict with "
                               f"keys {', '.join(cls.model_fields)}; got {value!r:.60}")
        plan.check()
        return plan

    def check(self) -> None:
        for field, value in self.model_dump().items():
            inputs.choice(f"{field} precision", value, PRECISIONS)
        inputs.choice("activation precision", self.activations, COMPUTE_PRECISIONS)

    @property
    def name(self) -> str:
        """One word where weights and activations agree ("fp8"), else "w4a16"-style."""
        if self.weights == self.activations:
            return self.weights
        return f"w:{self.weights}/a:{self.activations}"

    @property
    def attention(self) -> str:
        """Precision attention computes in: the wider of activations and KV cache, at least
        fp8 (no runtime runs attention in 4 bits)."""
        kv = self.kv_cache if BYTES_PER_ELEMENT[self.kv_cache] >= 1 else "fp8"
        wider = max((self.activations, kv), key=BYTES_PER_ELEMENT.get)
        return wider if BYTES_PER_ELEMENT[wider] >= 1 else "fp8"

    def bytes(self, model=None) -> Precisions:
        """Bytes per element of weights, KV cache and exchanged activations. With 4-bit weights,
        a ``model`` whose published 4-bit checkpoints keep attention and vocabulary wider
        (:attr:`specs.schema.Model.non_ffn_weights_at_4bit`) stores those at that width."""
        weights = BYTES_PER_ELEMENT[self.weights]
        kept = getattr(model, "non_ffn_weights_at_4bit", None)
        return Precisions(weights, BYTES_PER_ELEMENT[self.kv_cache],
                          min(BYTES_PER_ELEMENT[self.activations], 2.0),
                          BYTES_PER_ELEMENT[kept.value] if kept and weights < 1 else None)


def compute_precision(chip, precision: str) -> str | None:
    """The precision ``chip`` computes ``precision`` work in: itself, or the next wider one it
    has a published dense rate for; None when it has none.

    >>> from specs.catalog import default_catalog
    >>> compute_precision(default_catalog().chip("H100"), "fp4")
    'fp8'
    """
    while chip.peak(precision) is None and precision in WIDER:
        precision = WIDER[precision]
    return precision if chip.peak(precision) is not None else None
