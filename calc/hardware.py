"""The catalog as SI arrays: one row per chip, one column per precision plan, NaN where unknown.

Converted once per process (cached) so that a grid of millions of configurations never touches
pint: FLOP/s, bytes/s, bytes and chip counts as float64.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from calc.perf import BYTES_PER_ELEMENT, Efficiency, Hardware
from calc.precision import PrecisionPlan, compute_precision
from specs.catalog import default_catalog
from specs.schema import Chip, Sourced

ASSUMED_DOMAIN_CHIPS = 8.0
"""Scale-up domain assumed where a chip's is unpublished: the common 8-accelerator server."""
TORUS_AXES = {"torus-2d": 2, "torus-3d": 3}
"""Axes of a torus: a collective ring runs along one axis, so it reaches 1/axes of the chip's
link bandwidth ("How to Scale Your Model", TPU chapter: a ring along one ICI axis)."""


@dataclass(frozen=True, eq=False)
class HardwareTable:
    """Chips × precision plans as float arrays (chip axis first)."""

    chips: tuple[Chip, ...]
    plans: tuple[PrecisionPlan, ...]
    peak_linear: np.ndarray
    """(C, P) dense FLOP/s of the precision linear layers compute in; NaN if none."""
    linear_precision: np.ndarray
    """(C, P) that precision's name ("" if none): the plan's, or a wider fallback."""
    peak_attention: np.ndarray
    """(C, P) dense FLOP/s of the precision attention computes in."""
    attention_precision: np.ndarray
    memory_bandwidth: np.ndarray
    """(C,) bytes/s."""
    memory_capacity: np.ndarray
    """(C,) bytes."""
    scaleup_bandwidth: np.ndarray
    """(C,) bytes/s per chip, one direction; the scale-out rate where a chip has no scale-up
    link; NaN when unpublished."""
    scaleup_domain: np.ndarray
    """(C,) chips per scale-up domain (1 without a scale-up link); a torus's whole pod, at the
    bandwidth of one axis."""
    domain_assumed: np.ndarray
    """(C,) True where the domain size is unpublished and ``ASSUMED_DOMAIN_CHIPS`` is used."""
    scaleout_bandwidth: np.ndarray
    """(C,) bytes/s per chip, one direction; NaN when unpublished, unless
    ``scaleout_assumed``."""
    scaleout_assumed: np.ndarray
    """(C,) True where the chip has a scale-up link but publishes no scale-out bandwidth, so the
    default of :func:`assumed_scaleout` carries the traffic beyond its domain. A chip with no
    published link at all gets none: how its chips would talk is not what the default states."""
    estimated: np.ndarray
    """(C, P) True where a figure the model needs (peaks, memory, bandwidth) is an estimate."""

    @property
    def ids(self) -> list[str]:
        return [c.id for c in self.chips]

    def hardware(self, efficiency: Efficiency, ndim: int = 2) -> Hardware:
        """Figures shaped (C, P, 1, …) to ``ndim`` axes, peaks below 16 bits scaled by the
        efficiency's ``low_precision_efficiency`` (a scalar, or one value per chip on the
        leading axis, as :func:`calc.stacks.efficiencies` gives)."""
        lpe = np.asarray(efficiency.low_precision_efficiency, dtype=float)
        lpe = lpe.reshape(-1, 1) if lpe.ndim else lpe

        def scaled(peak, precision):
            low = np.vectorize(lambda p: BYTES_PER_ELEMENT.get(p, 2.0) < 2, otypes=[bool])(
                precision)
            return peak * np.where(low, lpe, 1.0)

        def expand(a):
            a = a if a.ndim == 2 else a[:, None]
            return a.reshape(a.shape + (1,) * (ndim - 2))

        return Hardware(
            peak_linear=expand(scaled(self.peak_linear, self.linear_precision)),
            peak_attention=expand(scaled(self.peak_attention, self.attention_precision)),
            memory_bandwidth=expand(self.memory_bandwidth),
            memory_capacity=expand(self.memory_capacity),
            scaleup_bandwidth=expand(self.scaleup_bandwidth),
            scaleup_domain=expand(self.scaleup_domain),
            scaleout_bandwidth=expand(self.scaleout_bandwidth))


def _si(sourced, unit: str) -> float:
    return np.nan if sourced is None else float(sourced.value.to(unit).magnitude)


def _per_direction(link) -> float:
    value = None if link is None else link.per_direction
    return np.nan if value is None else float(value.to("B/s").magnitude)


def assumed_scaleout() -> Sourced | None:
    """The scale-out bandwidth assumed for a chip that publishes none: ``scaleout_bandwidth``
    of ``specs/assumptions.yaml`` (per accelerator, one direction, an estimate with a range);
    None when that file gives none."""
    assumptions = default_catalog().assumptions
    return None if assumptions is None else assumptions.scaleout_bandwidth


def describe_assumed_scaleout() -> str:
    """The assumed scale-out figure as notes quote it: "25 GB/s per direction (estimate,
    range 12.5–50 GB/s)"."""
    a = assumed_scaleout()
    gb = lambda q: f"{float(q.to('GB/s').magnitude):g}"  # noqa: E731
    spread = "" if a.low is None or a.high is None else \
        f", range {gb(a.low)}–{gb(a.high)} GB/s"
    return f"{gb(a.value)} GB/s per direction ({a.source.confidence}{spread})"


def _is_estimate(*sourced) -> bool:
    return any(s is not None and s.source.confidence == "estimate" for s in sourced)


def peak_figure(chip: Chip, precision: str):
    """The sourced dense peak a chip publishes for ``precision`` (fp16 and bf16 stand in for
    each other; int4 reads the int8 rate)."""
    field = {"int4": "int8"}.get(precision, precision) + "_dense"
    value = getattr(chip, field, None)
    if value is None and precision in ("fp16", "bf16"):
        value = getattr(chip, ("bf16" if precision == "fp16" else "fp16") + "_dense")
    return value


_CACHE: dict[tuple, HardwareTable] = {}


def hardware_table(chips: Sequence[Chip], plans: Sequence[PrecisionPlan]) -> HardwareTable:
    """The SI table of ``chips`` × ``plans``, built once per distinct pair of sequences."""
    key = (tuple(id(c) for c in chips), tuple(plans))
    if key not in _CACHE:
        _CACHE[key] = _build(tuple(chips), tuple(plans))
    return _CACHE[key]


def _build(chips: tuple[Chip, ...], plans: tuple[PrecisionPlan, ...]) -> HardwareTable:
    C, P = len(chips), len(plans)
    peak_linear, peak_attention = np.full((C, P), np.nan), np.full((C, P), np.nan)
    linear_precision = np.full((C, P), "", dtype=object)
    attention_precision = np.full((C, P), "", dtype=object)
    estimated = np.zeros((C, P), dtype=bool)
    up, domain, assumed, out = (np.full(C, np.nan), np.ones(C), np.zeros(C, bool),
                                np.full(C, np.nan))
    default = assumed_scaleout()
    default = np.nan if default is None else float(default.value.to("B/s").magnitude)
    out_assumed = np.zeros(C, bool)
    for i, chip in enumerate(chips):
        for j, plan in enumerate(plans):
            lin = compute_precision(chip, plan.activations)
            att = compute_precision(chip, plan.attention)
            if lin:
                peak_linear[i, j] = _si(peak_figure(chip, lin), "FLOP/s")
                linear_precision[i, j] = lin
            if att:
                peak_attention[i, j] = _si(peak_figure(chip, att), "FLOP/s")
                attention_precision[i, j] = att
            estimated[i, j] = _is_estimate(
                peak_figure(chip, lin) if lin else None,
                peak_figure(chip, att) if att else None,
                chip.memory_capacity, chip.memory_bandwidth,
                None if chip.scaleup is None else chip.scaleup.bandwidth)
        out[i] = _per_direction(chip.scaleout)
        if chip.scaleup is None:  # no scale-up link: each chip its own domain, over scale-out
            up[i] = out[i]
        else:
            if np.isnan(out[i]) and not np.isnan(default):
                out[i], out_assumed[i] = default, True
            link = chip.scaleup
            up[i] = _per_direction(link)
            known = link.domain_chips
            domain[i] = float(known.value) if known else ASSUMED_DOMAIN_CHIPS
            assumed[i] = known is None
            if link.topology in TORUS_AXES and link.pod_chips is not None:
                # The whole torus pod is reachable over the link, one axis at a time.
                domain[i], assumed[i] = float(link.pod_chips.value), False
                up[i] /= TORUS_AXES[link.topology]
    return HardwareTable(
        chips=chips, plans=plans, peak_linear=peak_linear, linear_precision=linear_precision,
        peak_attention=peak_attention, attention_precision=attention_precision,
        memory_bandwidth=np.array([_si(c.memory_bandwidth, "B/s") for c in chips]),
        memory_capacity=np.array([_si(c.memory_capacity, "B") for c in chips]),
        scaleup_bandwidth=up, scaleup_domain=domain, domain_assumed=assumed,
        scaleout_bandwidth=out, scaleout_assumed=out_assumed, estimated=estimated)
