"""A serving workload: the model, its traffic, prompt and answer lengths, service levels and the
filters that decide which chips may serve it."""

from __future__ import annotations

from typing import Annotated

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from calc.inputs import MAX_LIMIT_MS, MAX_TOKENS
from calc.precision import COMPUTE_PRECISIONS
from calc.serving import ServingError
from specs.schema import Status

SECONDS_PER_DAY = 86_400.0
MAX_REQUESTS_PER_S = 1e7
"""Above every published serving fleet (OpenRouter and the large chat services run at 10⁴–10⁵
requests/s); a larger figure is almost certainly a unit slip."""
MAX_TOKENS_PER_S_PER_USER = 100_000.0
"""Far beyond reading speed and every measured decode rate per user (10²–10³ tokens/s)."""

Positive = Annotated[float, Field(gt=0, allow_inf_nan=False, strict=True)]
Milliseconds = Annotated[float, Field(gt=0, le=MAX_LIMIT_MS, allow_inf_nan=False, strict=True)]
Tokens = Annotated[int, Field(ge=1, le=MAX_TOKENS, strict=True)]


class Workload(BaseModel):
    """What to serve and how well. Traffic is an average; the cluster is sized for the peak
    (average × ``peak_to_average``) plus headroom."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    model: str
    """Catalog model id or alias."""
    requests_per_s: Positive | None = None
    """Average requests per second (give this or ``tokens_per_day``)."""
    tokens_per_day: Positive | None = None
    """Average tokens per day, prompt and answer together; requests/s = tokens/day ÷ 86,400 ÷
    (input + output tokens)."""
    peak_to_average: Annotated[float, Field(ge=1, le=100, allow_inf_nan=False)] = 1.0
    """Peak traffic ÷ average traffic; the cluster must serve the peak."""
    spare_replicas: Annotated[int, Field(ge=0, le=1000, strict=True)] = 0
    """Replicas beyond those the peak needs (1 for N+1)."""
    headroom: Annotated[float, Field(ge=0, le=10, allow_inf_nan=False)] = 0.0
    """Extra capacity as a fraction of the peak (0.2 for 20%)."""
    input_tokens: Tokens = 2000
    """Mean prompt length."""
    output_tokens: Tokens = 500
    """Mean answer length."""
    ttft_ms: Milliseconds | None = None
    """Time-to-first-token limit."""
    tpot_ms: Milliseconds | None = None
    """Time-per-output-token limit."""
    tokens_per_s_per_user: Annotated[float, Field(gt=0, le=MAX_TOKENS_PER_S_PER_USER,
                                                  allow_inf_nan=False, strict=True)] | None = None
    """Answer speed each user must see; the same as TPOT ≤ 1000 / this (ms)."""
    precisions: tuple[str, ...] = ("bf16", "fp8")
    """Precisions the model may be served in (weights and activations). 4-bit formats cost
    accuracy on some models, so they are opt-in: add "fp4" or "int4"."""
    status: tuple[Status, ...] = ("shipping",)
    """Chip statuses allowed (shipping only by default)."""
    vendors: tuple[str, ...] | None = None
    """Vendors allowed (names or id prefixes, any case); None for all."""
    chips: tuple[str, ...] | None = None
    """Chip ids or aliases allowed; None for all that pass the other filters."""
    buyable_in_china: bool = False
    """Only chips that can be bought in China (from the catalog's availability records)."""
    allow_estimates: bool = True
    """Whether chips whose needed figures (peaks, memory, bandwidth) are only estimates may be
    used, and layouts that cross a scale-out network whose bandwidth is assumed
    (:func:`calc.hardware.assumed_scaleout`); such options are marked either way."""
    disaggregated: bool = True
    """Also search separate prefill and decode pools (of the same or different chips)."""

    @model_validator(mode="after")
    def _consistent(self):
        if (self.requests_per_s is None) == (self.tokens_per_day is None):
            raise ValueError("give the traffic as requests_per_s or tokens_per_day (one of them)")
        if self.tpot_ms is not None and self.tokens_per_s_per_user is not None:
            raise ValueError("give tpot_ms or tokens_per_s_per_user, not both")
        if self.average_requests_per_s * self.peak_to_average > MAX_REQUESTS_PER_S:
            raise ValueError(f"peak traffic above {MAX_REQUESTS_PER_S:.0e} requests/s; check the "
                             f"unit (requests per second, tokens per day)")
        unknown = [p for p in self.precisions if p not in COMPUTE_PRECISIONS]
        if unknown or not self.precisions:
            raise ValueError(f"precisions must be among {', '.join(COMPUTE_PRECISIONS)}, got "
                             f"{', '.join(unknown) or 'none'}")
        return self

    @classmethod
    def of(cls, **fields) -> Workload:
        """Build a workload; a bad field raises :class:`ServingError` saying which and why."""
        try:
            return cls(**fields)
        except ValidationError as err:
            first = err.errors()[0]
            where = ".".join(map(str, first["loc"]))
            message = first["msg"].removeprefix("Value error, ")
            raise ServingError(f"{where + ': ' if where else ''}{message}") from None

    @property
    def average_requests_per_s(self) -> float:
        if self.requests_per_s is not None:
            return self.requests_per_s
        return self.tokens_per_day / SECONDS_PER_DAY / (self.input_tokens + self.output_tokens)

    @property
    def peak_requests_per_s(self) -> float:
        """Requests/s the cluster must sustain: average × peak-to-average × (1 + headroom)."""
        return self.average_requests_per_s * self.peak_to_average * (1 + self.headroom)

    @property
    def tpot_limit_ms(self) -> float | None:
        if self.tokens_per_s_per_user is not None:
            return 1e3 / self.tokens_per_s_per_user
        return self.tpot_ms

    def replicas(self, capacity_per_replica):
        """Replicas to serve the peak: ⌈peak ÷ capacity⌉ + spare replicas (N+1)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            needed = np.ceil(self.peak_requests_per_s / capacity_per_replica * (1 - 1e-12))
        return needed + self.spare_replicas
