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
