"""Text rendering of results for the command line (one formatter per result type)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from calc.predict import Prediction

DURATION_UNITS = (("min", 60.0), ("h", 3600.0), ("days", 86400.0), ("years", 365.25 * 86400.0))
"""Units a long duration is shown in, with their length in seconds."""


def format_duration(ms: float | None) -> str:
    """A duration given in milliseconds, in the unit a reader takes in at a glance: ms below a
    second, then s, min, h, days and years (four significant digits at most).

    >>> format_duration(20.853), format_duration(1500), format_duration(3.6e6)
    ('20.85 ms', '1.5 s', '1 h')
    >>> format_duration(1e22), format_duration(None)
    ('3.169e+11 years', 'n/a')
    """
    if ms is None or not math.isfinite(ms):
        return "n/a"
    if abs(ms) < 1000:
        return f"{ms:.4g} ms"
    seconds, shown = ms / 1000, f"{ms / 1000:.4g} s"
    for unit, length in DURATION_UNITS:
        if abs(seconds) >= length:
            shown = f"{seconds / length:.4g} {unit}"
    return shown


def _fmt(value: float | None, unit: str) -> str:
    """Four significant digits, thousands separated, never scientific notation.

    >>> _fmt(12204.7, "tokens/s"), _fmt(0.20853, "tokens/s"), _fmt(None, "tokens/s")
    ('12,205 tokens/s', '0.2085 tokens/s', 'n/a')
    """
    if value is None:
        return "n/a"
    return f"{value:,.0f} {unit}" if abs(value) >= 1000 else f"{value:.4g} {unit}"


def prediction_lines(r: Prediction) -> list[str]:
    """Human-readable lines for a prediction: layout, latency, throughput, memory, notes."""
    mem = r.memory_per_chip_gb
    lines = [
        f"{r.model} on {r.chips} × {r.chip}: {r.replicas} replica(s) of {r.layout}, "
        f"{r.sequences_per_replica:g} sequences each ({r.scenario})",
        f"  TTFT                 {format_duration(r.ttft_ms)}",
        f"  TPOT                 {format_duration(r.tpot_ms)}",
        f"  per user             {_fmt(r.output_tokens_per_s_per_user, 'tokens/s')}",
        f"  output (system)      {_fmt(r.output_tokens_per_s, 'tokens/s')}",
        f"  input (system)       {_fmt(r.input_tokens_per_s, 'tokens/s')}",
        f"  output per chip      {_fmt(r.output_tokens_per_s_per_chip, 'tokens/s')}",
        f"  binding resource     {r.binding}",
        "  memory per chip      " + ", ".join(f"{k} {v:,.1f} GB" for k, v in mem.items()),
    ]
    lines += [f"  note: {note}" for note in r.notes]
    return lines
