"""Plotly figures of the comparison tables in :mod:`calc.compare` (no Streamlit here: a notebook
user gets the same charts). Labels are passed in, so the app can translate them."""

from __future__ import annotations

import plotly.express as px
import plotly.graph_objects as go


def metric_bars(chips: list[str], values: list[float | None], label: str) -> go.Figure:
    """One bar per chip; ``label`` names the quantity with its unit ("Memory (GB)")."""
    figure = px.bar(x=chips, y=values, labels={"x": "", "y": label})
    figure.update_layout(margin={"t": 30})
    return figure


def roofline_chart(frame, x_label: str, y_label: str, ridge_label: str = "ridge point"
                   ) -> go.Figure:
    """Log-log roofline per chip from :func:`calc.compare.roofline_frame`, each chip's ridge
    point marked."""
    figure = px.line(frame, x="flop_per_byte", y="tflops", color="chip", log_x=True, log_y=True,
                     labels={"flop_per_byte": x_label, "tflops": y_label, "chip": ""})
    ridges = frame[frame["ridge"]]
    figure.add_trace(go.Scatter(x=ridges["flop_per_byte"], y=ridges["tflops"], mode="markers",
                                marker={"size": 10, "color": "black"}, text=ridges["chip"],
                                name=ridge_label, hovertemplate="%{text}: %{x:.0f}, %{y:.0f}"))
    figure.update_layout(margin={"t": 30})
    return figure


def price_performance_chart(frame, x_label: str, y_label: str, y: str = "cost_per_chip_hour"
                            ) -> go.Figure:
    """Cost per chip-hour (or ``y="price"``: the price paid) against dense TFLOPS, one labelled
    point per chip, from :func:`calc.compare.price_performance`."""
    figure = px.scatter(frame, x="tflops", y=y, text="chip", hover_data=["price_as_published"],
                        labels={"tflops": x_label, y: y_label})
    figure.update_traces(textposition="top center")
    figure.update_layout(margin={"t": 30})
    return figure


def tokens_per_mw_chart(frame, y_label: str, estimate_label: str = "uses estimates"
                        ) -> go.Figure:
    """One bar per chip of output tokens/s per MW from :func:`calc.compare.tokens_per_mw`
    (chips without a value are left out, not drawn as zero), highest first; a chip whose
    figures include estimates is hatched and named ``estimate_label`` in the legend."""
    shown = frame[frame["output_tokens_per_s_per_mw"].notna()].sort_values(
        "output_tokens_per_s_per_mw", ascending=False)
    hover = "%{x}: %{y:,.0f}<br>%{customdata[0]}, %{customdata[1]:,.0f} tokens/s per chip, " \
        "%{customdata[2]:.3g} kW<br>%{customdata[3]}<extra></extra>"
    figure = go.Figure()
    for estimated, name in ((False, y_label), (True, estimate_label)):
        part = shown[shown["estimated"] == estimated]
        if part.empty:
            continue
        figure.add_trace(go.Bar(
            x=part["chip"], y=part["output_tokens_per_s_per_mw"], name=name,
            marker_pattern_shape="/" if estimated else "", hovertemplate=hover,
            customdata=part[["layout", "output_tokens_per_s_per_chip", "all_in_kw",
                             "power_source"]].to_numpy()))
    figure.update_layout(margin={"t": 30}, yaxis_title=y_label, showlegend=bool(
        shown["estimated"].any()), xaxis={"categoryorder": "array",
                                          "categoryarray": shown["chip"].tolist()})
    return figure


def pareto_chart(points, x_label: str, y_label: str) -> go.Figure:
    """Each chip's frontier of output tokens/s per chip against tokens/s per user, from
    :attr:`calc.sizing.Sizing.pareto` (one line per chip and precision, fastest per user right).
    """
    import pandas as pd

    frame = pd.DataFrame([p.model_dump() for p in points])
    if frame.empty:
        frame = pd.DataFrame(columns=["chip", "precision", "layout", "batch",
                                      "tokens_per_s_per_user", "output_tokens_per_s_per_chip"])
    frame["line"] = frame["chip"] + " " + frame["precision"]
    frame = frame.sort_values(["line", "tokens_per_s_per_user"])
    figure = px.line(frame, x="tokens_per_s_per_user", y="output_tokens_per_s_per_chip",
                     color="line", markers=True, hover_data=["layout", "batch"], log_y=True,
                     labels={"tokens_per_s_per_user": x_label,
                             "output_tokens_per_s_per_chip": y_label, "line": ""})
    figure.update_layout(margin={"t": 30})
    return figure


def cost_breakdown_chart(frames: dict, currency: str, y_label: str,
                         component_labels: dict[str, str]) -> go.Figure:
    """Stacked cost per chip-hour by component (capital, hosting and power owned; rental
    rented), one bar per chip and situation: ``frames`` maps a situation ("owned") to its
    :func:`calc.chip_cost.cost_frame` in ``currency``; ``component_labels`` names each part."""
    import pandas as pd

    rows = []
    for situation, frame in frames.items():
        for _, row in frame.iterrows():
            for part, label in component_labels.items():
                cost = row.get(f"{part}_{currency}_per_hour")
                if cost is not None and pd.notna(cost):
                    rows.append({"bar": f"{row['chip']} ({situation})", "part": label,
                                 "cost": cost})
    long = pd.DataFrame(rows, columns=["bar", "part", "cost"])
    figure = px.bar(long, x="bar", y="cost", color="part",
                    labels={"bar": "", "cost": y_label, "part": ""})
    figure.update_layout(margin={"t": 30}, barmode="stack")
    return figure


def tornado_chart(bars, base: float, x_label: str, labels: dict[str, str] | None = None
                  ) -> go.Figure:
    """One horizontal bar per input from :attr:`calc.sizing.Sizing.tornado`: the cost with the
    input at its low end to its high end, around the option's point cost ``base`` (a dashed
    line); the largest swing on top."""
    labels = labels or {}
    bars = list(reversed(bars))  # plotly draws the first bar at the bottom
    names = [labels.get(b.input, b.input) for b in bars]
    lows = [min(b.low, b.high) for b in bars]
    figure = go.Figure(go.Bar(y=names, x=[abs(b.high - b.low) for b in bars], base=lows,
                              orientation="h", customdata=[[b.low, b.high] for b in bars],
                              hovertemplate="%{y}: %{customdata[0]:.4g} – "
                                            "%{customdata[1]:.4g}<extra></extra>"))
    figure.add_vline(x=base, line_dash="dash")
    figure.update_layout(margin={"t": 30}, xaxis_title=x_label)
    return figure


def accuracy_chart(frame, x_label: str, y_label: str, in_sample: str, cross_validated: str
                   ) -> go.Figure:
    """Predicted against measured, log-log, from :func:`calc.validate.accuracy_table`: the
    in-sample and the cross-validated prediction of each metric, and the line y = x (a perfect
    prediction)."""
    figure = go.Figure()
    for column, name, symbol in (("predicted", in_sample, "circle"),
                                 ("cv_predicted", cross_validated, "x")):
        figure.add_trace(go.Scatter(
            x=frame["measured"], y=frame[column], mode="markers", name=name,
            marker={"symbol": symbol, "size": 8}, customdata=frame[["case", "metric", "unit"]],
            hovertemplate="%{customdata[0]}<br>%{customdata[1]}: measured %{x:,.4g}, "
                          "predicted %{y:,.4g} %{customdata[2]}"))
    values = frame[["measured", "predicted", "cv_predicted"]].to_numpy().ravel()
    values = values[values > 0]
    if values.size:
        ends = [values.min() / 1.2, values.max() * 1.2]
        figure.add_trace(go.Scatter(x=ends, y=ends, mode="lines", name="y = x",
                                    line={"color": "gray", "dash": "dash"}))
    figure.update_layout(xaxis={"type": "log", "title": x_label},
                         yaxis={"type": "log", "title": y_label}, margin={"t": 30})
    return figure


def latency_throughput_chart(frame, x_label: str, y_label: str, concurrency_label: str
                             ) -> go.Figure:
    """Output tokens/s per chip against tokens/s per user, one point per concurrency, from
    :func:`calc.predict.concurrency_curve`."""
    figure = px.line(frame, x="tokens_per_s_per_user", y="tokens_per_s_per_chip", markers=True,
                     hover_data=["concurrency"],
                     labels={"tokens_per_s_per_user": x_label, "tokens_per_s_per_chip": y_label,
                             "concurrency": concurrency_label})
    figure.update_layout(margin={"t": 30})
    return figure
