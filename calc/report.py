"""Text rendering of results for the command line (one formatter per result type)."""

from __future__ import annotations

from calc.predict import Prediction


def _fmt(value: float | None, unit: str) -> str:
    """Four significant digits, thousands separated, never scientific notation.

    >>> _fmt(12204.7, "tokens/s"), _fmt(20.853, "ms"), _fmt(None, "ms")
    ('12,205 tokens/s', '20.85 ms', 'n/a')
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
        f"  TTFT                 {_fmt(r.ttft_ms, 'ms')}",
        f"  TPOT                 {_fmt(r.tpot_ms, 'ms')}",
        f"  per user             {_fmt(r.output_tokens_per_s_per_user, 'tokens/s')}",
        f"  output (system)      {_fmt(r.output_tokens_per_s, 'tokens/s')}",
        f"  input (system)       {_fmt(r.input_tokens_per_s, 'tokens/s')}",
        f"  output per chip      {_fmt(r.output_tokens_per_s_per_chip, 'tokens/s')}",
        f"  binding resource     {r.binding}",
        "  memory per chip      " + ", ".join(f"{k} {v:,.1f} GB" for k, v in mem.items()),
    ]
    lines += [f"  note: {note}" for note in r.notes]
    return lines
