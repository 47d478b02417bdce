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
        f"{r.sequences_per_replica:g} sequences each ({r.scenario})"
        + ("" if r.prefill_replicas is None else
           f"; {r.prefill_replicas} prefill and {r.replicas - r.prefill_replicas} decode"),
        f"  TTFT                 {format_duration(r.ttft_ms)}",
        f"  TPOT                 {format_duration(r.tpot_ms)}",
        f"  per user             {_fmt(r.output_tokens_per_s_per_user, 'tokens/s')}",
        f"  output (system)      {_fmt(r.output_tokens_per_s, 'tokens/s')}",
        f"  input (system)       {_fmt(r.input_tokens_per_s, 'tokens/s')}",
        f"  output per chip      {_fmt(r.output_tokens_per_s_per_chip, 'tokens/s')}",
        f"  binding resource     {r.binding}",
        "  memory per chip      " + ", ".join(f"{k} {v:,.1f} GB" for k, v in mem.items()),
    ]
    labels = {"output_tokens_per_s": ("output (system)", "tokens/s"),
              "ttft_ms": ("TTFT", "ms"), "tpot_ms": ("TPOT", "ms")}
    for name, (label, unit) in labels.items():
        band = (r.bands or {}).get(name)
        if band is not None:
            lines.append(f"  P10 / P50 / P90 {label:16s} {_fmt(band.p10, '')}/ "
                         f"{_fmt(band.p50, '')}/ {_fmt(band.p90, unit)}")
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
        if o.bands:
            cost, chips = o.bands.get("cost_per_million_tokens"), o.bands["chips"]
            rows[-1] |= {
                f"P10-P90_{c}_per_Mtok": "unknown" if cost is None else
                f"{_money(cost.p10, c).split()[0]}-{_money(cost.p90, c).split()[0]}",
                "P10-P90_chips": f"{chips.p10:g}-{chips.p90:g}",
                "P_meets_limits": f"{o.probability_meets_limits:.0%}"}
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
    unknown = list(dict.fromkeys(o.chip for o in sizing.options[:top]
                                 if o.cost_per_hour is None))
    if unknown:
        lines.append(f"\ncost unknown (no price or power in the catalog; add --price "
                     f"CHIP=AMOUNT): {', '.join(unknown)}")
    assumed = list(dict.fromkeys(p.chip for o in sizing.options[:top] for p in o.pools
                                 if p.scaleout_assumed))
    if assumed:
        from calc.hardware import describe_assumed_scaleout

        lines.append(f"\nscale-out bandwidth not published; assumed "
                     f"{describe_assumed_scaleout()} (--no-estimates leaves these options "
                     f"out): {', '.join(assumed)}")
    if sizing.tornado:
        c = sizing.settings.currency
        lines.append(f"\nwhat moves {sizing.options[0].chip}'s blended cost most "
                     f"({c} per Mtok at the low and high end of each input):")
        lines += [f"  {bar.input:22s} {bar.low:.4g} – {bar.high:.4g}" for bar in sizing.tornado]
    for chip, reason in sizing.infeasible.items():
        lines.append(f"no option on {chip}: {reason}")
    if sizing.excluded:
        lines.append(f"left out by the filters: {len(sizing.excluded)} chips "
                     f"({', '.join(sorted(set(sizing.excluded.values())))})")
    return lines


def capacity_table(answer, top: int | None = None):
    """A reverse question's options as a DataFrame with the unit in every column name."""
    import pandas as pd

    rows = []
    for rank, o in enumerate(answer.options[:top], start=1):
        row = {"rank": rank, "chip": o.chip, "layout": o.layout, "precision": o.precision}
        if answer.question == "target":
            c = answer.settings.currency
            row |= {"chips": o.chips, f"{answer.target_kind}_{c}_per_Mtok":
                    _money(o.cost_per_million_tokens, c).split()[0],
                    "meets": {True: "yes", False: "no", None: "unknown"}[o.meets_target],
                    "margin": "" if o.margin is None else f"{o.margin:+.0%}",
                    "probability": "" if o.probability is None else f"{o.probability:.0%}"}
        else:
            unit = answer.unit.replace("/", "_per_").replace(" ", "")
            row |= {"replicas": o.replicas, "chips": o.chips,
                    "requests_per_s": _fmt(o.requests_per_s, "").strip(),
                    "P10-P90_requests_per_s": "" if o.requests_per_s_band is None else
                    f"{_fmt(o.requests_per_s_band.p10, '').strip()}-"
                    f"{_fmt(o.requests_per_s_band.p90, '').strip()}",
                    "Mtok_per_day": _fmt(o.tokens_per_day / 1e6, "").strip(),
                    "TTFT_ms": round(o.ttft_ms), "TPOT_ms": round(o.tpot_ms, 1),
                    "binding": o.binding, f"{unit}_per_replica": _fmt(o.per_replica, "").strip(),
                    f"{unit}_used": _fmt(o.used, "").strip()}
        rows.append(row)
    return pd.DataFrame(rows)


def capacity_lines(answer, top: int | None = None) -> list[str]:
    """Header, the options and the facts behind them (unknown needs, chips with no option)."""
    w, s = answer.workload, answer.settings
    limits = ", ".join(x for x in (
        f"TTFT ≤ {w.ttft_ms:g} ms" if w.ttft_ms else "",
        f"TPOT ≤ {w.tpot_limit_ms:g} ms" if w.tpot_limit_ms else "") if x) or "no latency limits"
    shown = _fmt(answer.limit, answer.unit)
    if answer.question == "target":
        traffic = (f"{w.requests_per_s:g} requests/s" if w.requests_per_s is not None
                   else f"{w.tokens_per_day:,.0f} tokens/day")
        question = f"which options cost at most {shown} ({answer.target_kind}) at {traffic}"
    else:
        what = {"capex": "a capex budget of", "monthly": "a monthly budget of",
                "power": "a facility power envelope (with PUE) of"}[answer.question]
        question = (f"the traffic {what} {shown} sustains (peak ×{w.peak_to_average:g}, "
                    f"headroom {w.headroom:.0%}, {w.spare_replicas} spare)")
    lines = [f"{w.model}: {question}; {w.input_tokens} in / {w.output_tokens} out tokens, "
             f"{limits}",
             f"{'owned' if s.own else 'rented'} in {s.region}, costs in {s.currency} "
             f"({s.cny_per_usd.value:g} CNY/USD, {s.cny_per_usd.source})", ""]
    if answer.message:
        lines += [answer.message, ""]
    if answer.options:
        lines.append(capacity_table(answer, top).to_string(index=False))
    if answer.unknown:
        lines.append(f"\nneed unknown (no price or power; add --price CHIP=AMOUNT): "
                     f"{', '.join(answer.unknown)}")
    for chip, reason in answer.infeasible.items():
        lines.append(f"no option on {chip}: {reason}")
    return lines


BAND_UNITS = {"output_tokens_per_s": "tokens/s", "input_tokens_per_s": "tokens/s",
              "ttft_ms": "ms", "tpot_ms": "ms"}


def band_rows(r: Prediction) -> list[dict[str, str]]:
    """A prediction's P10/P50/P90 bands, each with its unit (times via
    :func:`format_duration`): ``[{"metric": "ttft_ms", "p10": "129.4 ms", ...}, ...]``; empty
    without bands."""
    rows = []
    for metric, band in (r.bands or {}).items():
        unit = BAND_UNITS.get(metric, "")
        rows.append({"metric": metric} | {
            name: format_duration(value) if unit == "ms" else _fmt(value, unit)
            for name, value in (("p10", band.p10), ("p50", band.p50), ("p90", band.p90))})
    return rows
