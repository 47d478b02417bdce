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
