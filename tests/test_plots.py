"""The Size and Cost pages' charts carry the numbers they are given."""

import pandas as pd

from calc.plots import cost_breakdown_chart, pareto_chart, tokens_per_mw_chart, tornado_chart
from calc.sizing import ParetoPoint, TornadoBar


def test_the_tornado_puts_the_largest_swing_on_top_and_spans_low_to_high():
    bars = [TornadoBar(input="price", low=0.3, high=0.1), TornadoBar(input="pue", low=0.19,
                                                                       high=0.21)]
    bar = tornado_chart(bars, 0.2, "cost (USD/Mtok)", {"pue": "PUE"}).data[0]
    assert list(bar.y) == ["PUE", "price"]  # plotly draws the last one on top
    assert list(bar.base) == [0.19, 0.1]
    assert [round(x, 9) for x in bar.x] == [0.02, 0.2]


def test_the_breakdown_stacks_each_part_per_chip_and_situation():
    owned = pd.DataFrame([{"chip": "h100", "capital_USD_per_hour": 1.0,
                           "hosting_USD_per_hour": 0.2, "power_USD_per_hour": 0.15}])
    rented = pd.DataFrame([{"chip": "h100", "rental_USD_per_hour": 2.5},
                           {"chip": "h20", "rental_USD_per_hour": None}])
    labels = {"capital": "capital", "hosting": "hosting", "power": "power", "rental": "rental"}
    figure = cost_breakdown_chart({"owned": owned, "rented": rented}, "USD", "USD/h", labels)
    heights = {trace.name: (list(trace.x), list(trace.y)) for trace in figure.data}
    assert heights["capital"] == (["h100 (owned)"], [1.0])
    assert heights["rental"] == (["h100 (rented)"], [2.5])  # no bar for an unknown cost


def test_the_pareto_chart_draws_one_line_per_chip_and_precision():
    points = [ParetoPoint(chip="h100", precision=p, layout="tp8", batch=b,
                          tokens_per_s_per_user=100 / b, output_tokens_per_s_per_chip=10 * b)
              for p in ("fp8", "bf16") for b in (1, 8)]
    figure = pareto_chart(points, "tokens/s per user", "tokens/s per chip")
    assert sorted(trace.name for trace in figure.data) == ["h100 bf16", "h100 fp8"]
    assert list(figure.data[0].x) == [12.5, 100.0]  # sorted along the frontier


def test_the_tokens_per_mw_chart_ranks_chips_hatches_estimates_and_leaves_out_missing_ones():
    frame = pd.DataFrame({
        "chip": ["H100", "K100", "B200", "X1"], "layout": ["tp4", "tp1", "tp1", None],
        "output_tokens_per_s_per_chip": [1718.0, 900.0, 4407.0, None],
        "all_in_kw": [1.73, 0.76, 2.17, None],
        "output_tokens_per_s_per_mw": [993_000.0, 1_184_000.0, 2_031_000.0, None],
        "estimated": [False, True, False, False],
        "power_source": ["all-in figure", "TDP × 1.085", "all-in figure", "unknown"]})
    figure = tokens_per_mw_chart(frame, "tokens/s per MW", "uses estimates")
    measured, estimated = figure.data
    assert list(figure.layout.xaxis.categoryarray) == ["B200", "K100", "H100"]  # X1: no bar
    assert (list(measured.x), list(measured.y)) == (["B200", "H100"], [2_031_000.0, 993_000.0])
    assert (list(estimated.x), estimated.name, estimated.marker.pattern.shape) == (
        ["K100"], "uses estimates", "/")
