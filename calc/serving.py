"""Serving a model on a layout: memory fit, continuous batching, and the validation scenarios.

Continuous batching with prefill and decode interleaved (vLLM/SGLang default, no overlap of the
two): while b sequences of a replica each generate O tokens, b new prompts of I tokens are
prefilled, so one cycle takes::

    cycle = b · t_prefill(I) + O · t_decode(b, S̄)       S̄ = I + O/2 (mean context)
    output tokens/s per replica = b · O / (cycle + t_request)
    TTFT = t_request + t_wait + t_prefill_alone(I) (+ queueing when more requests wait than fit)
    TPOT = (cycle − t_prefill_alone) / O               (stalls for others' prefills included)

``t_prefill(I)`` is the per-prompt share of a batched prefill step of ``PREFILL_BATCH_TOKENS``
tokens per attention data-parallel group (at most b prompts); ``t_prefill_alone`` a prompt
prefilled on its own; ``t_request`` the stack's per-request overhead outside the steps
(:attr:`~calc.perf.Efficiency.request_overhead_s`); ``t_wait`` the wait for the running step
(:func:`step_wait`). TTFT is thus the time a benchmark client measures, not the engine's
prefill alone (which the ``prefill`` scenario reports). Where attention is data-parallel
(ep > tp), every step waits for the busiest rank: t_prefill and t_decode are multiplied by
:func:`busiest_rank_factor`.
With disaggregation, prefill and decode run on separate replicas and neither stalls the other.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from calc.architecture import Shape
from calc.errors import AccelcalcError
from calc.perf import (Efficiency, Hardware, Layout, Precisions, kv_bytes_per_chip,
                       kv_bytes_per_sequence, step_time, weight_bytes_per_chip,
                       workspace_bytes_per_chip)

PREFILL_BATCH_TOKENS = 8192
"""Prompt tokens batched into one prefill step per attention group: a scheduler setting, not a
hardware figure. 8192 is a typical chunked-prefill budget for throughput-oriented serving (the
chunk size of SGLang's and MLC's examples; vLLM's guidance for max_num_batched_tokens is 8192
or more for throughput workloads)."""
BINDING = np.array(["compute", "memory", "communication", "overhead"])


class ServingError(AccelcalcError):
    """A layout or workload that cannot be served; the message says what to change."""


@dataclass(frozen=True)
class Fit:
    """Per-chip memory budget (bytes) and the largest batch that fits, per replica."""

    weights: np.ndarray
    workspace: np.ndarray
    usable: np.ndarray
    kv_per_sequence: np.ndarray
    max_sequences: np.ndarray


def memory_fit(m: Shape, hw: Hardware, layout: Layout, p: Precisions, eff: Efficiency,
               context, step_tokens=PREFILL_BATCH_TOKENS) -> Fit:
    """Weights + activation workspace + KV must fit in ``memory_utilization`` of each chip.

    max_sequences = ⌊(C · u − W − A) / KV_chip(1 sequence of ``context`` tokens)⌋ per replica.
    """
    weights = weight_bytes_per_chip(m, layout, p)
    workspace = workspace_bytes_per_chip(m, layout, step_tokens)
    usable = hw.memory_capacity * eff.memory_utilization
    kv = kv_bytes_per_chip(m, layout, 1.0, context, p.kv_bytes)
    free = usable - weights - workspace
    max_sequences = np.floor(np.maximum(free, 0) / np.maximum(kv, 1e-30))
    return Fit(weights, workspace, usable, kv, max_sequences)


@dataclass(frozen=True)
class Served:
    """Arrays of per-replica results for one scenario (seconds, tokens/s)."""

    sequences: np.ndarray
    ttft: np.ndarray
    tpot: np.ndarray
    output_per_s: np.ndarray
    input_per_s: np.ndarray
    binding: np.ndarray
    capacity_limited: np.ndarray
    prefill_share: np.ndarray | float = np.nan
    """Fraction of the replica's time spent prefilling (1 for prefill alone, 0 for decode
    alone, NaN where prefill runs on other replicas); splits cost between input and output."""


def step_wait(prefill_share, t_prefill_step, t_decode_step):
    """Mean wait of a request that arrives at a random moment for the running step to end, before
    its own prefill can start (residual time of a renewal process, E[S²] / 2E[S]; Kleinrock,
    "Queueing Systems" vol. 1, §5.2): a share ``prefill_share`` of the time the replica runs
    prefill steps, the rest decode steps.

    t_wait = f_p · t_prefill_step / 2 + (1 − f_p) · t_decode_step / 2

    10 % of the time in 200 ms prefill steps, the rest in 10 ms decode steps:
    0.1 · 100 + 0.9 · 5 = 14.5 ms.

    >>> round(float(step_wait(0.1, 0.200, 0.010)) * 1e3, 1)
    14.5
    """
    return (prefill_share * t_prefill_step + (1 - prefill_share) * t_decode_step) / 2


def busiest_rank_factor(attention_dp, balance):
    """How much longer a step takes than its mean attention data-parallel rank would need, when
    prompts and decode share the steps: the step waits for the busiest rank.

    factor = 1 / balance where attention_dp > 1, else 1     (balance = mean ÷ max rank load)

    At TensorRT-LLM's measured balance of 0.54 (see
    :attr:`~calc.perf.Efficiency.attention_dp_balance`), 8 ranks step 1 / 0.54 = 1.85× slower;
    one group (tp ≥ ep) has no ranks to wait for.

    >>> busiest_rank_factor(np.array([1.0, 8.0]), 0.54).round(2)
    array([1.  , 1.85])
    """
    return np.where(np.asarray(attention_dp) > 1, 1 / np.asarray(balance, dtype=float), 1.0)


def _prefill(m, hw, layout, p, eff, input_tokens, sequences=np.inf):
    """(batched step, per-prompt time in it, time of one prompt alone), per replica; a batched
    step holds at most ``sequences`` prompts."""
    I = np.asarray(input_tokens, dtype=float)
    prompts = np.maximum(1.0, np.minimum(np.floor(PREFILL_BATCH_TOKENS * layout.attention_dp
                                                  / I), sequences))
    batched = step_time(m, hw, layout, p, eff, tokens=prompts * I, sequences=prompts,
                        context=I / 2, decode=False)
    alone = step_time(m, hw, layout, p, eff, tokens=I, sequences=1.0, context=I / 2,
                      decode=False)
    # pp stages: a lone prompt crosses them one after another; batched prompts pipeline.
    return batched, batched.total / prompts, alone.total * layout.pp


def _binding(*steps_and_weights):
    terms = [sum(getattr(step, term) * weight for step, weight in steps_and_weights)
             for term in ("math", "memory", "comms", "overhead")]
    return BINDING[np.argmax(np.stack(np.broadcast_arrays(*terms)), axis=0)]


def serve_interleaved(m: Shape, hw: Hardware, layout: Layout, p: Precisions, eff: Efficiency,
                      input_tokens, output_tokens, sequences, waiting=None) -> Served:
    """Continuous batching of ``sequences`` per replica (the cycle in the module docstring).
    ``waiting`` requests per replica beyond ``sequences`` queue and add to TTFT."""
    I = np.asarray(input_tokens, dtype=float)
    O = np.asarray(output_tokens, dtype=float)
    b = np.asarray(sequences, dtype=float)
    batched, per_prompt, alone = _prefill(m, hw, layout, p, eff, I, b)
    decode = step_time(m, hw, layout, p, eff, tokens=b / layout.pp, sequences=b / layout.pp,
                       context=I + O / 2, decode=True)
    slowest = busiest_rank_factor(layout.attention_dp, eff.attention_dp_balance)
    per_prompt = per_prompt * slowest
    t_decode = decode.total * layout.pp * slowest
    cycle = b * per_prompt + O * t_decode
    held = cycle + eff.request_overhead_s  # a slot is busy for its request's overhead too
    queued = 0.0 if waiting is None else np.maximum(np.asarray(waiting) - b, 0) / b * held
    wait = step_wait(b * per_prompt / cycle, batched.total * layout.pp, t_decode)
    tpot = np.maximum(cycle - alone, O * t_decode) / O
    binding = _binding((batched, b * per_prompt / batched.total), (decode, O * layout.pp))
    return Served(b, eff.request_overhead_s + wait + alone + queued, tpot, b * O / held,
                  b * I / held, binding, np.zeros_like(b, dtype=bool),
                  prefill_share=b * per_prompt / cycle)


def serve_decode(m, hw, layout, p, eff, context, sequences) -> Served:
    """Decode alone (prefill elsewhere): ``sequences`` per replica at ``context`` tokens."""
    b = np.asarray(sequences, dtype=float)
    decode = step_time(m, hw, layout, p, eff, tokens=b / layout.pp, sequences=b / layout.pp,
                       context=context, decode=True)
    t = decode.total * layout.pp
    nan = np.full_like(t, np.nan)
    return Served(b, nan, t, b / t, np.zeros_like(t), _binding((decode, 1.0)),
                  np.zeros_like(b, dtype=bool), prefill_share=0.0)


def serve_prefill(m, hw, layout, p, eff, input_tokens, concurrency=None) -> Served:
    """Prefill alone: one prompt at a time (``concurrency`` 1) or batched prompts."""
    I = np.asarray(input_tokens, dtype=float)
    batched, per_prompt, alone = _prefill(m, hw, layout, p, eff, I)
    single = concurrency is not None and np.all(np.asarray(concurrency) <= 1)
    time_per_prompt = alone if single else per_prompt
    nan = np.full_like(time_per_prompt, np.nan)
    return Served(np.ones_like(nan), alone, nan, np.zeros_like(nan), I / time_per_prompt,
                  _binding((batched, 1.0)), np.zeros_like(nan, dtype=bool), prefill_share=1.0)


def serve_disaggregated(m: Shape, hw: Hardware, layout: Layout, p: Precisions, eff: Efficiency,
                        input_tokens, output_tokens, sequences, replicas: int,
                        prefill_replicas) -> Served:
    """Prefill on ``prefill_replicas`` replicas, decode (``sequences`` each) on the rest; each
    prompt's KV crosses the scale-out network once (DistServe/Dynamo-style disaggregation).

    requests/s = min(r_p / t_prefill(I), r_d · b / (O · t_decode(b)));  TPOT = t_decode(b);
    TTFT = t_request + t_prefill_alone(I) + KV(I) / (scale-out bandwidth of a stage).
    Rates are returned per replica (system ÷ ``replicas``) like the other scenarios.
    """
    I = np.asarray(input_tokens, dtype=float)
    O = np.asarray(output_tokens, dtype=float)
    b = np.asarray(sequences, dtype=float)
    r_p = np.asarray(prefill_replicas, dtype=float)
    r_d = replicas - r_p
    batched, per_prompt, alone = _prefill(m, hw, layout, p, eff, I)
    decode = step_time(m, hw, layout, p, eff, tokens=b / layout.pp, sequences=b / layout.pp,
                       context=I + O / 2, decode=True)
    t_decode = decode.total * layout.pp
    requests = np.minimum(r_p / per_prompt, r_d * b / (O * t_decode))
    transfer = kv_bytes_per_sequence(m, I, p.kv_bytes) / (
        hw.scaleout_bandwidth * eff.comm_efficiency * layout.chips)
    prefill_bound = r_p / per_prompt < r_d * b / (O * t_decode)
    binding = np.where(prefill_bound, _binding((batched, 1.0)), _binding((decode, 1.0)))
    return Served(b, eff.request_overhead_s + alone + transfer, t_decode,
                  requests * O / replicas, requests * I / replicas, binding,
                  np.zeros_like(b, dtype=bool))
