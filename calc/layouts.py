"""Candidate parallel layouts of a replica: tensor (tp), expert (ep) and pipeline (pp) degrees.

The engine judges every candidate (a tp that does not divide the heads is marked, not dropped),
so these functions only enumerate; they never enumerate one by one up to a chip count.
"""

from __future__ import annotations

from calc.engine import Layouts
from calc.serving import ServingError
from specs.schema import Model

SIZING_REPLICA_CHIPS = (1, 2, 4, 8, 16, 32, 64, 128, 256)
"""Chips per replica the sizing search tries (powers of two: the sizes serving stacks shard
over; 256 covers the largest published expert-parallel deployments, e.g. DeepSeek's EP144
decode and CloudMatrix-384's EP320)."""
MAX_TENSOR_PARALLEL = 16
"""Largest tp the sizing search tries alone; beyond it layouts add pp (dense) or ep (MoE)."""


def divisors(n: int) -> list[int]:
    """Divisors of ``n`` in increasing order, found up to √n.

    >>> divisors(12)
    [1, 2, 3, 4, 6, 12]
    """
    small = [d for d in range(1, int(n ** 0.5) + 1) if n % d == 0]
    return sorted(set(small + [n // d for d in small]))


def _for_replica(model: Model, chips: int) -> list[tuple[int, int, int]]:
    """Layouts of one replica of ``chips`` chips: tp = chips; for MoE also ep = chips with data-
    parallel attention, and tp = ep = chips."""
    layouts = [(chips, 1, 1)]
    if model.moe is not None and chips > 1:
        layouts += [(1, chips, 1), (chips, chips, 1)]
    return layouts


def fixed_chip_layouts(model: Model, chips: int, tp=None, ep=None, pp=None,
                       replicas=None) -> Layouts:
    """Layouts for exactly ``chips`` chips: the one given, or every replica size that divides
    ``chips``; each with the replicas it gives."""
    if any(v is not None for v in (tp, ep, pp)):
        tp, ep, pp = tp or 1, ep or 1, pp or 1
        per_replica = pp * max(tp, ep)
        if chips % per_replica:
            raise ServingError(f"layout tp={tp} ep={ep} pp={pp} needs {per_replica} chips per "
                               f"replica, which does not divide {chips} chips; change the chip "
                               f"count or the layout")
        n = chips // per_replica
        if replicas is not None and replicas != n:
            raise ServingError(f"{replicas} replicas × {per_replica} chips per replica ≠ "
                               f"{chips} chips; use {n} replicas or change the layout")
        return Layouts.of([(tp, ep, pp)], [n])
    if replicas is not None:
        if chips % replicas:
            raise ServingError(f"{replicas} replicas do not divide {chips} chips; choose a "
                               f"replica count among {', '.join(map(str, divisors(chips)))}")
        sizes = [chips // replicas]
    else:
        sizes = divisors(chips)
    found = [(layout, chips // size) for size in sizes for layout in _for_replica(model, size)]
    return Layouts.of([layout for layout, _ in found], [n for _, n in found])


def sizing_layouts(model: Model) -> Layouts:
    """Replica layouts the sizing search tries: tp alone up to ``MAX_TENSOR_PARALLEL``; beyond
    that, pipeline stages of tp 8 (dense models) or expert parallelism (MoE)."""
    found = []
    for chips in SIZING_REPLICA_CHIPS:
        if chips <= MAX_TENSOR_PARALLEL:
            found += _for_replica(model, chips)
        elif model.moe is not None:
            found += [(1, chips, 1), (8, chips, 1)]
        else:
            found += [(8, 1, chips // 8)]
        if model.moe is None and 8 < chips <= 64:
            found.append((chips // 8 if chips // 8 > 1 else 1, 1, 8))
    return Layouts.of(list(dict.fromkeys(found)))
