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


def _money(value: float | None, currency: str, digits: int = 3) -> str:
    """Money with its currency; small amounts keep ``digits`` significant digits.

    >>> _money(0.55555, "USD"), _money(12345.6, "CNY"), _money(None, "USD")
    ('0.556 USD', '12,346 CNY', 'unknown')
    """
    if value is None:
        return "unknown"
    return f"{value:,.0f} {currency}" if abs(value) >= 100 else f"{value:.{digits}g} {currency}"


def sizing_table(sizing, top: int | None = None):
    """The ranked options as a DataFrame with the unit in every column name."""
    import pandas as pd

    c = sizing.settings.currency
    rows = []
    for rank, o in enumerate(sizing.options[:top], start=1):
        rows.append({
            "rank": rank, "chip": o.chip, "chips": o.chips, "layout": o.layout,
            "precision": o.precision, "replicas": o.replicas, "TTFT_ms": round(o.ttft_ms),
            "TPOT_ms": round(o.tpot_ms, 1), "utilisation": f"{o.utilisation:.0%}",
            "kW": "unknown" if o.kw is None else f"{o.kw:,.1f}",
            f"input_{c}_per_Mtok": _money(o.cost_per_million_input_tokens, c).split()[0],
            f"output_{c}_per_Mtok": _money(o.cost_per_million_output_tokens, c).split()[0],
            f"{c}_per_month": _money(o.cost_per_month, c).split()[0],
        })
    return pd.DataFrame(rows)


def sizing_lines(sizing, top: int | None = None) -> list[str]:
    """Header, ranked table and the facts behind it (settings, misses, exclusions)."""
    w, s = sizing.workload, sizing.settings
    traffic = (f"{w.requests_per_s:g} requests/s" if w.requests_per_s is not None
               else f"{w.tokens_per_day:,.0f} tokens/day")
    limits = ", ".join(x for x in (
        f"TTFT ≤ {w.ttft_ms:g} ms" if w.ttft_ms else "",
        f"TPOT ≤ {w.tpot_limit_ms:g} ms" if w.tpot_limit_ms else "") if x) or "no latency limits"
    lines = [f"{w.model}: {traffic} (peak ×{w.peak_to_average:g}, headroom "
             f"{w.headroom:.0%}, {w.spare_replicas} spare), {w.input_tokens} in / "
             f"{w.output_tokens} out tokens, {limits}",
             f"{'owned' if s.own else 'rented'} in {s.region}, costs in {s.currency} "
             f"({s.cny_per_usd.value:g} CNY/USD, {s.cny_per_usd.source})", ""]
    if sizing.nearest_miss:
        return lines + [sizing.nearest_miss]
    lines.append(sizing_table(sizing, top).to_string(index=False))
    prices = {p.chip: p.price for o in sizing.options[:top] for p in o.pools if p.price}
    if prices:
        lines.append("\nprices used (as published; then the adjustments made):")
        lines += [f"  {chip}: {price}" for chip, price in prices.items()]
    unknown = [o.chip for o in sizing.options[:top] if o.cost_per_hour is None]
    if unknown:
        lines.append(f"\ncost unknown (no price or power in the catalog; add --price "
                     f"CHIP=AMOUNT): {', '.join(unknown)}")
    for chip, reason in sizing.infeasible.items():
        lines.append(f"no option on {chip}: {reason}")
    if sizing.excluded:
        lines.append(f"left out by the filters: {len(sizing.excluded)} chips "
                     f"({', '.join(sorted(set(sizing.excluded.values())))})")
    return lines
