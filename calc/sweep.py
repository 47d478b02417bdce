"""Evaluate a grid of configurations in one vectorised pass: chips × layouts × batch ×
precision × prompt and answer lengths, as numpy arrays of SI floats (no pint inside)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from calc.architecture import shape
from calc.perf import Efficiency, Hardware, Layout, Precisions
from calc.predict import PrecisionPlan, hardware, precisions
from calc.serving import memory_fit, serve_interleaved
from specs.schema import Chip, Model


def sweep(model: Model, chips: Sequence[Chip], tps: Sequence[int], batches: Sequence[float],
          precision_names: Sequence[str], input_tokens: Sequence[int], output_tokens: Sequence[int],
          efficiency: Efficiency | None = None) -> dict[str, np.ndarray]:
    """Continuous-batching throughput and latency of every combination (one replica each).

    Returns flat arrays, one entry per configuration: ``chip`` (index into ``chips``), ``tp``,
    ``batch``, ``precision`` (index), ``input_tokens``, ``output_tokens``, ``fits``,
    ``ttft_s``, ``tpot_s``, ``output_tokens_per_s_per_chip``.
    """
    eff = efficiency or Efficiency()
    m = shape(model)
    plans = [PrecisionPlan.of(p) for p in precision_names]
    # Hardware for every (chip, precision): axis 0 chips, axis 1 precisions.
    hws = [[hardware(c, plan, [], eff) for plan in plans] for c in chips]
    fields = Hardware.__dataclass_fields__
    table = {f: np.array([[getattr(h, f) for h in row] for row in hws], dtype=float)
             for f in fields}
    bytes_w = np.array([precisions(p).weight_bytes for p in plans])
    bytes_kv = np.array([precisions(p).kv_bytes for p in plans])
    bytes_a = np.array([precisions(p).activation_bytes for p in plans])
    # Axes: chip, precision, tp, batch, input, output.
    shape6 = (len(chips), len(plans), len(tps), len(batches), len(input_tokens),
              len(output_tokens))

    def axis(values, position):
        out = [1] * 6
        out[position] = len(values)
        return np.asarray(values, dtype=float).reshape(out)

    hw = Hardware(**{f: table[f][:, :, None, None, None, None] for f in fields})
    layout = Layout(tp=axis(tps, 2))
    p = Precisions(axis(bytes_w, 1), axis(bytes_kv, 1), axis(bytes_a, 1))
    I, O, B = axis(input_tokens, 4), axis(output_tokens, 5), axis(batches, 3)
    fit = memory_fit(m, hw, layout, p, eff, I + O / 2)
    served = serve_interleaved(m, hw, layout, p, eff, I, O, B)
    fits = np.broadcast_to(B <= fit.max_sequences, shape6)
    index = np.indices(shape6)
    return {
        "chip": index[0].ravel(), "precision": index[1].ravel(),
        "tp": np.broadcast_to(layout.tp, shape6).ravel(),
        "batch": np.broadcast_to(B, shape6).ravel(),
        "input_tokens": np.broadcast_to(I, shape6).ravel(),
        "output_tokens": np.broadcast_to(O, shape6).ravel(),
        "fits": fits.ravel(),
        "ttft_s": np.broadcast_to(served.ttft, shape6).ravel(),
        "tpot_s": np.broadcast_to(served.tpot, shape6).ravel(),
        "output_tokens_per_s_per_chip": np.broadcast_to(served.output_per_s / layout.tp,
                                                        shape6).ravel(),
    }
