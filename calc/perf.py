"""Roofline step times for prefill and decode, vectorised over numpy arrays of SI floats.

One step of a layout's pipeline stage costs (scaling-book, "Inference" chapter; kipply,
"Transformer Inference Arithmetic")::

    t_math  = FLOPs_linear / (peak_linear · MFU) + FLOPs_attention / (peak_attention · MFU)
    t_mem   = (dense weights + routed experts touched / MoE eff. + KV) / (HBM bandwidth · MBU)
    t_comms = TP all-reduces + EP dispatch/combine + PP hand-off (α + bytes / link)
    t_core  = max(t_math, t_mem) + (1 − overlap) · min(t_math, t_mem)
    t_step  = t_core + t_comms − ep_overlap · min(t_core, t_a2a) + L_stage · t_layer + t_step0

``overlap = 1`` is the scaling-book lower bound (compute fully hidden under memory or the other
way round), ``overlap = 0`` its upper bound (the sum). Communication is not overlapped, except
the expert all-to-all (t_a2a) where the stack runs two-batch overlap (``ep_overlap``);
``t_step0`` is the stack's fixed per-step cost. Every argument broadcasts, so a grid of a million
configurations is one call.

Notation: B sequences (or prompt tokens) per step, S context tokens, D width, L layers, k experts
per token of E, tp/ep/pp the layout.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from calc.architecture import Shape

BYTES_PER_ELEMENT = {
    "fp32": 4.0, "tf32": 4.0, "bf16": 2.0, "fp16": 2.0, "fp8": 1.0, "int8": 1.0,
    # NVFP4: 4-bit values plus one FP8 scale per 16 (NVIDIA, "Introducing NVFP4", 2025).
    "fp4": 0.5 + 1 / 16,
    # INT4 weight-only (AWQ/GPTQ): 4-bit values plus one FP16 scale per group of 128.
    "int4": 0.5 + 2 / 128,
}
"""Bytes per stored element, block-scale overhead included."""

WIDER = {"int4": "int8", "fp4": "fp8", "int8": "fp8", "fp8": "bf16", "tf32": "bf16"}
"""Where a chip lacks a precision's units, the next wider precision it computes in (bf16 and
fp16 stand in for each other in :meth:`specs.schema.Chip.peak`)."""
ACTIVATION_BYTES = 2.0
"""Bytes of an activation element exchanged by collectives and kept as workspace (bf16)."""


@dataclass(frozen=True)
class Efficiency:
    """Achieved fractions of peak and fixed costs; the model's only tunable inputs.

    A serving stack's profile (:mod:`calc.stacks`) supplies them; the defaults here are only the
    starting point of ``python -m calc calibrate``. Every field may be a numpy array (one value
    per chip on a leading axis) and broadcasts like the other inputs of the formulas.
    """

    mfu_prefill: float | np.ndarray = 0.71
    """Fraction of dense peak FLOP/s reached by prefill (large-GEMM) work."""
    mfu_decode: float | np.ndarray = 0.73
    """Fraction of dense peak FLOP/s reached by decode-step GEMMs and attention."""
    low_precision_efficiency: float | np.ndarray = 0.71
    """Share of the 8- and 4-bit peak reached relative to the 16-bit one (quantisation of
    activations, scale handling, kernels tuned for 16 bits)."""
    moe_efficiency: float | np.ndarray = 0.6
    """Efficiency of routed-expert GEMMs relative to dense ones, in FLOPs and in bytes read
    (grouped GEMMs with few tokens per expert, token permutation, load imbalance)."""
    mbu: float | np.ndarray = 0.76
    """Fraction of peak HBM bandwidth reached when streaming weights and KV."""
    overlap: float | np.ndarray = 0.19
    """Fraction of the shorter of compute and memory time hidden under the longer."""
    comm_efficiency: float | np.ndarray = 1.0
    """Fraction of link bandwidth collectives reach."""
    ep_overlap: float | np.ndarray = 0.0
    """Fraction of the expert-parallel all-to-all hidden under computation, for stacks that
    overlap them (two-batch overlap, DeepEP low-latency kernels): see :func:`overlapped`.
    A layout may override it (:attr:`Layout.ep_overlap`)."""
    layer_overhead_s: float | np.ndarray = 70e-6
    """Fixed time per layer per step (kernel launches, synchronisation)."""
    step_overhead_s: float | np.ndarray = 0.0
    """Fixed time per step whatever the model's depth: scheduling the batch, sampling, the
    CPU–GPU synchronisation between steps. At small batches it rules decode; it differs by
    stack and platform (vLLM blog "vLLM v0.6.0: 2.7x Throughput Improvement", 2024-09-05,
    blog.vllm.ai/2024/09/05/perf-update.html: for Llama 3 8B on one H100 the HTTP server took
    33% and scheduling 29% of the execution time)."""
    request_overhead_s: float | np.ndarray = 0.0
    """Fixed time of each request outside the accelerator's steps: the benchmark client's HTTP
    round trip, tokenisation, admission by the scheduler, streaming the first token back.
    Added to TTFT, and to the time a request holds its slot (a client at fixed concurrency
    sends its next request only after the answer)."""
    ttft_headroom: float | np.ndarray = 1.0
    """Ratio of the mean TTFT the model predicts to the p99 TTFT a latency limit constrains
    (MLPerf's server limits are p99s; random arrivals queue): a limit L holds where the mean
    is at most ``ttft_headroom`` · L. Applied by :func:`latency_limit`. It stays 1: measured
    runs put the mean at 0.47 of the p99 (Server) and 0.40 (Interactive), medians of the logs
    listed under ``tpot_headroom``, but their p99 TTFT sits at half the limit (median), so the
    TTFT limit rarely binds; the model's TTFT under load is not calibrated for it, and at 0.45
    it makes AMD's MLPerf server cases TTFT-bound (leave-one-group-out MAPE 22.6 % against
    20.8 % on the 56 cases, 2026-12-01)."""
    tpot_headroom: float | np.ndarray = 0.87
    """The same for TPOT: a request's TPOT is its own mean inter-token time, so requests differ
    by how many prefills stalled their decode steps. 0.87 is the median mean ÷ p99 TPOT of the
    313 valid MLPerf Inference LLM Server runs (0.866, interquartile 0.77–0.92) in
    ``validation/mlperf_latency_ratios.csv``: every ``mlperf_log_summary.txt`` under
    ``results/*/*/{Server,Interactive}/performance/run_1`` of mlcommons/inference_results_v4.1
    @198fc46, _v5.1 @965182b and the v6.0 copy gbeezybez/inference_results_v6.0 @232fbf9, read
    2026-12-01. Its 88 Interactive runs give 0.889, all 401 runs 0.877. A ratio computed per
    point instead (the prefills that stall a request are Poisson with mean b, the sequences of
    its replica, so the p99 stall is about b + 2.33·√b prefills) follows the logs of the 25
    repository Server cases (correlation 0.71; Llama 3.1 405B's long prompts 0.75–0.81 against
    0.60–0.80 measured), but used as the limit's ratio it was no better on the 102 cases
    (2026-12-01: grouped 8-fold 24.6 % → 23.6 %, leaving one group out 20.3 % → 22.5 %)."""
    collective_latency_s: float | np.ndarray = 22e-6
    """Fixed latency of one collective (all-reduce, all-to-all, pipeline hand-off)."""
    memory_utilization: float | np.ndarray = 0.9
    """Fraction of device memory the runtime may fill with weights, KV and activations."""
    attention_dp_balance: float | np.ndarray = 0.88
    """Mean over maximum load of the attention data-parallel ranks when prompts and decode share
    the steps (in-flight batching): each step lasts as long as its busiest rank, and a rank
    that prefills holds up the others. TensorRT-LLM measured a balance ratio of 0.54 on 8 GB200
    (DeepSeek-V3, DP 8 × EP 8, 803-token prompts, 3,653-token outputs), 0.88 with its ADP
    balance scheduler, at 25,664 and 34,140 tokens/s (tech blog 10, "ADP Balance Strategy",
    docs/source/blogs/tech_blog/blog10_ADP_Balance_Strategy.md); the default is the latter.
    Applied by :func:`calc.serving.serve_interleaved`; decode-only and prefill-only serving are
    balanced. The global fit starts here. Where runs of one recipe on two software releases
    disagree (DeepSeek-R1 on TensorRT-LLM in MLPerf v5.1 and v6.0, 1.5–2.2× apart), the fit
    has an optimum for each: from 1 it stopped in the worse one of the 102 cases (Cauchy loss
    169 against 161, 2026-12-01). Both releases' configs enable the balancer, yet held at its
    0.88 rather than fitted it left the 102 cases at 28.1 % grouped 8-fold and 29.4 % leaving one
    group out (against 24.6 % and 20.3 %): the fitted value also carries the older release."""

    def __post_init__(self):
        for f in fields(self):
            value = np.asarray(getattr(self, f.name), dtype=float)
            if f.name.endswith("_s"):
                ok, expected = np.all(value >= 0), ">= 0 seconds"
            elif f.name in ("overlap", "ep_overlap"):
                ok, expected = np.all((0 <= value) & (value <= 1)), "in [0, 1]"
            else:
                ok, expected = np.all((0 < value) & (value <= 1)), "in (0, 1]"
            if not ok:
                raise ValueError(f"efficiency {f.name} must be {expected}, got {value}")


@dataclass(frozen=True)
class Hardware:
    """A chip (or arrays of chips) as SI floats: FLOP/s, B/s, bytes, chips."""

    peak_linear: np.ndarray | float
    """Dense FLOP/s at the precision the linear layers run in."""
    peak_attention: np.ndarray | float
    """Dense FLOP/s at the precision attention runs in."""
    memory_bandwidth: np.ndarray | float
    memory_capacity: np.ndarray | float
    scaleup_bandwidth: np.ndarray | float
    """Per chip, one direction, bytes/s."""
    scaleup_domain: np.ndarray | float
    scaleout_bandwidth: np.ndarray | float
    """Per chip, one direction, bytes/s."""


@dataclass(frozen=True)
class Layout:
    """Parallel layout of one replica: tensor, expert and pipeline parallel degrees."""

    tp: np.ndarray | int = 1
    ep: np.ndarray | int = 1
    pp: np.ndarray | int = 1
    ep_overlap: np.ndarray | float | None = None
    """Fraction of the expert all-to-all hidden under computation (two-batch overlap); None
    takes the serving stack's (:attr:`Efficiency.ep_overlap`)."""

    @property
    def stage_chips(self):
        """Chips in one pipeline stage: max(tp, ep) (attention is data-parallel where ep > tp)."""
        return np.maximum(self.tp, self.ep)

    @property
    def attention_dp(self):
        """Data-parallel attention groups in a stage (ep / tp where ep > tp)."""
        return self.stage_chips / self.tp

    @property
    def chips(self):
        return self.pp * self.stage_chips


@dataclass(frozen=True)
class Precisions:
    """Bytes per element of weights and KV cache."""

    weight_bytes: np.ndarray | float
    kv_bytes: np.ndarray | float
    activation_bytes: np.ndarray | float = 1.0
    """Bytes per element of activations sent in MoE dispatch."""
    non_ffn_weight_bytes: np.ndarray | float | None = None
    """Bytes per element of the weights outside the FFN and experts (attention projections,
    embedding, head) where a checkpoint keeps them wider than the rest; None: ``weight_bytes``."""

    @property
    def non_ffn_bytes(self):
        return self.weight_bytes if self.non_ffn_weight_bytes is None else \
            self.non_ffn_weight_bytes

    @property
    def non_ffn_kept_wider(self):
        """Whether the attention projections are stored (and multiply) wider than the FFN."""
        return np.asarray(self.non_ffn_bytes > self.weight_bytes)


def expected_experts_touched(tokens, experts: int, top_k: int):
    """Distinct experts a batch of ``tokens`` routes to in one layer, uniform routing.

    E_touched = E · (1 − (1 − k/E)^T)

    >>> round(float(expected_experts_touched(1, 256, 8)), 6)
    8.0
    >>> round(float(expected_experts_touched(256, 256, 8)), 1)
    255.9
    """
    if experts == 0:
        return np.zeros_like(np.asarray(tokens, dtype=float))
    return experts * (1.0 - (1.0 - top_k / experts) ** np.asarray(tokens, dtype=float))


def weight_bytes_per_chip(m: Shape, layout: Layout, p: Precisions):
    """Weights one chip holds: attention, dense FFN, shared experts and vocabulary split by tp,
    routed experts by max(tp, ep), layers by pp; attention and vocabulary at
    ``p.non_ffn_bytes``, the rest at ``p.weight_bytes``.

    >>> from specs.catalog import default_catalog
    >>> from calc.architecture import shape
    >>> m = shape(default_catalog().model("llama-2-70b"))
    >>> round(float(weight_bytes_per_chip(m, Layout(tp=2), Precisions(1.0, 1.0))) / 1e9, 1)
    34.5

    DeepSeek-V3 in a 4-bit checkpoint that keeps attention and vocabulary in bf16, on 8 chips
    of tp 1, ep 8: every chip holds the 11.41e9 attention and 1.85e9 vocabulary (embedding and
    head) parameters at 2 bytes (26.5 GB) and the 3.85e9 of dense FFN and shared experts at 0.5
    bytes (1.9 GB), plus an eighth of the 653.9e9 routed-expert parameters at 0.5 bytes
    (40.9 GB):

    >>> m = shape(default_catalog().model("deepseek-v3"))
    >>> round(float(weight_bytes_per_chip(m, Layout(tp=1, ep=8), Precisions(0.5, 1.0, 1.0, 2.0)))
    ...       / 1e9, 1)
    69.3
    """
    ffn = m.dense_layers * m.dense_ffn_params + m.moe_layers * m.shared_params
    non_ffn = m.layers * m.attention_params + m.embedding_params + m.head_params
    experts = m.moe_layers * m.experts * m.expert_params
    return (p.weight_bytes * (ffn / layout.tp + experts / layout.stage_chips)
            + p.non_ffn_bytes * non_ffn / layout.tp) / layout.pp


def kv_bytes_per_sequence(m: Shape, context, kv_bytes):
    """KV cache of one sequence over all layers: per-layer elements × (full layers · S +
    window layers · min(S, window)) × bytes.

    Scaling-book check: Llama-2-13B, 8192 tokens, bf16 → 2·40·40·128·8192·2 = 6.71e9 bytes.

    >>> from specs.catalog import default_catalog
    >>> from calc.architecture import shape
    >>> m = shape(default_catalog().model("llama-2-13b"))
    >>> float(kv_bytes_per_sequence(m, 8192, 2.0))
    6710886400.0
    """
    context = np.asarray(context, dtype=float)
    attended = m.full_attention_layers * context + m.window_layers * np.minimum(context, m.window)
    return m.kv_elements_per_layer * attended * kv_bytes


def kv_shards(m: Shape, layout: Layout):
    """How many ways one sequence's KV is split across a stage: over KV heads by tp (GQA/MHA,
    at most K ways); not at all for MLA, whose latent is replicated on every TP rank."""
    if m.kv_heads_split is None:  # MLA
        return 1.0
    return np.minimum(layout.tp, m.kv_heads_split)


def kv_bytes_per_chip(m: Shape, layout: Layout, sequences, context, kv_bytes):
    """KV one chip holds for ``sequences`` sequences of ``context`` tokens in its replica."""
    per_seq = kv_bytes_per_sequence(m, context, kv_bytes) / layout.pp
    return sequences * per_seq / (layout.attention_dp * kv_shards(m, layout))


def workspace_bytes_per_chip(m: Shape, layout: Layout, tokens_per_step):
    """Activation workspace: two buffers of width D plus the local FFN width, per token in a
    step, in bf16 (a deliberately simple allowance)."""
    width = 2 * m.width + m.ffn_width / layout.tp
    return tokens_per_step * width * ACTIVATION_BYTES


def _collective_time(bytes_per_chip, group, hw: Hardware, eff: Efficiency, all_reduce: bool):
    """Ring all-reduce moves 2(n−1)/n of the message, all-to-all (n−1)/n. Traffic to chips
    beyond the scale-up domain goes over the scale-out network, in parallel with the rest."""
    group = np.asarray(group, dtype=float)
    share = (group - 1) / np.maximum(group, 1) * (2.0 if all_reduce else 1.0)
    remote = np.clip(1.0 - hw.scaleup_domain / np.maximum(group, 1), 0.0, 1.0)
    moved = bytes_per_chip * share
    t_local = moved * (1 - remote) / (hw.scaleup_bandwidth * eff.comm_efficiency)
    # A ring that leaves the domain is paced by its slowest (scale-out) hop; an all-to-all
    # sends the remote share over scale-out. (NaN bandwidths, unknown links, stay unused.)
    over_scaleout = moved if all_reduce else moved * remote
    t_remote = np.where(remote > 0, over_scaleout / (hw.scaleout_bandwidth
                                                     * eff.comm_efficiency), 0.0)
    return np.where(group > 1, np.maximum(t_local, t_remote) + eff.collective_latency_s, 0.0)


def pipeline_handoff(bytes_per_stage, layout: Layout, hw: Hardware, eff: Efficiency):
    """Time to pass a step's activations from one pipeline stage to the next: latency α plus
    bytes over the link. Stages within one scale-up domain use its links; once the replica's
    chips outgrow the domain, stages sit in different servers and the hand-off that crosses
    between them, over the scale-out network, paces the pipeline.

    t_handoff = α + bytes / link      (0 where pp = 1)

    2 MB per hand-off, 450 GB/s scale-up, 50 GB/s scale-out, an 8-chip domain, α = 0: no
    pipeline (tp 8) 0; two stages inside the domain (tp 4 × pp 2) 2e6 / 450e9 = 4.4 µs; two
    stages across servers (tp 8 × pp 2) 2e6 / 50e9 = 40 µs.

    >>> hw = Hardware(1.0, 1.0, 1.0, 1.0, scaleup_bandwidth=450e9, scaleup_domain=8,
    ...               scaleout_bandwidth=50e9)
    >>> eff = Efficiency(collective_latency_s=0.0)
    >>> [round(float(pipeline_handoff(2e6, Layout(tp=tp, pp=pp), hw, eff)) * 1e6, 1)
    ...  for tp, pp in ((8, 1), (4, 2), (8, 2))]
    [0.0, 4.4, 40.0]
    """
    crosses = np.asarray(layout.chips) > hw.scaleup_domain
    link = np.where(crosses, hw.scaleout_bandwidth, hw.scaleup_bandwidth)
    return np.where(np.asarray(layout.pp) > 1, eff.collective_latency_s + bytes_per_stage
                    / (link * eff.comm_efficiency), 0.0)


def latency_limit(limit, headroom):
    """The mean latency that keeps the p99 within ``limit``: limit · headroom (mean ÷ p99).

    MLPerf's 2 s p99 TTFT limit with a mean that is 40 % of the p99 allows a mean of 0.8 s:

    >>> latency_limit(2.0, 0.4)
    0.8
    """
    return limit * headroom


def overlapped(t_core, t_hidden, fraction):
    """Time of work ``t_core`` with communication ``t_hidden`` of which ``fraction`` runs
    concurrently (two-batch overlap: one micro-batch's all-to-all under the other's compute).

    t = t_core + t_hidden − fraction · min(t_core, t_hidden)

    ``fraction`` 0 is the sum, 1 the max (scaling-book's upper and lower bounds). Source of the
    technique: DeepSeek-V3 report §3.4 (dual micro-batch overlap in inference), SGLang
    "large-scale EP" blog (2025-05, two-batch overlap).

    >>> float(overlapped(10.0, 4.0, 0.0)), float(overlapped(10.0, 4.0, 1.0))
    (14.0, 10.0)
    >>> float(overlapped(10.0, 4.0, 0.5))
    12.0
    """
    return t_core + t_hidden - fraction * np.minimum(t_core, t_hidden)


def fixed_overhead(layers, eff: Efficiency):
    """Fixed time of one step: per-layer launches and synchronisation plus the per-step cost of
    scheduling and sampling.

    t_fixed = L_stage · t_layer + t_step

    61 layers at 70 µs plus a 2 ms step cost: 61 · 70e-6 + 2e-3 = 6.27 ms.

    >>> round(float(fixed_overhead(61, Efficiency(layer_overhead_s=70e-6,
    ...                                           step_overhead_s=2e-3))) * 1e3, 2)
    6.27
    """
    return layers * eff.layer_overhead_s + eff.step_overhead_s


@dataclass(frozen=True)
class StepTime:
    """One pipeline stage's step, in seconds, with its terms (arrays)."""

    math: np.ndarray
    memory: np.ndarray
    comms: np.ndarray
    overhead: np.ndarray
    total: np.ndarray


def step_time(m: Shape, hw: Hardware, layout: Layout, p: Precisions, eff: Efficiency, *,
              tokens, sequences, context, decode: bool):
    """Time of one stage step that processes ``tokens`` new tokens for ``sequences`` sequences
    (per replica), each attending to ``context`` tokens on average.

    Decode: tokens = sequences, context = current length, MFU = ``mfu_decode`` and MLA in its
    absorbed form. Prefill of a prompt of I tokens: tokens = I, sequences = 1, context = I/2
    (causal), MFU = ``mfu_prefill``.
    """
    mfu = eff.mfu_decode if decode else eff.mfu_prefill
    attention_flops = (m.decode_attention_flops_per_context_token if decode
                       else m.attention_flops_per_context_token)
    tokens = np.asarray(tokens, dtype=float)
    stage = layout.stage_chips
    layers = m.layers / layout.pp
    # FLOPs per chip: the replica's work spread evenly over the stage's chips.
    # Attention projections a checkpoint keeps wider than the FFN multiply at attention's
    # (wider) precision.
    routed = 2.0 * tokens * m.moe_layers * m.experts_per_token * m.expert_params
    projections = np.where(p.non_ffn_kept_wider, 2.0 * tokens * m.layers * m.attention_params, 0)
    linear = 2.0 * tokens * m.active_params - routed - projections
    linear = (linear + routed / eff.moe_efficiency) / layout.pp / stage
    attention = (projections + tokens * np.asarray(context, dtype=float) * attention_flops
                 * (m.full_attention_layers + m.window_layers * np.minimum(
                     1.0, m.window / np.maximum(context, 1)))) / layout.pp / stage
    t_math = linear / (hw.peak_linear * mfu) + attention / (hw.peak_attention * mfu)
    # Bytes per chip: resident weights, routed experts the batch touches, KV of the sequences.
    touched = expected_experts_touched(tokens, m.experts, m.experts_per_token)
    dense = weight_bytes_per_chip(m, layout, p) - p.weight_bytes * m.moe_layers * m.experts * \
        m.expert_params / stage / layout.pp
    experts = p.weight_bytes * m.moe_layers * touched * m.expert_params / stage / layout.pp
    kv = kv_bytes_per_chip(m, layout, sequences, context, p.kv_bytes)
    t_mem = (dense + experts / eff.moe_efficiency + kv) / (hw.memory_bandwidth * eff.mbu)
    # Communication: a tp all-reduce after attention and after each FFN that tp shards; where
    # experts are spread over ep > 1 chips, dispatch + combine (all-to-all) replace the MoE
    # layer's all-reduce.
    tokens_per_group = tokens / layout.attention_dp
    all_reduce = _collective_time(tokens_per_group * m.width * ACTIVATION_BYTES, layout.tp, hw,
                                  eff, all_reduce=True)
    expert_parallel = np.asarray(layout.ep) > 1
    a2a_bytes = tokens / stage * m.experts_per_token * m.width * (p.activation_bytes
                                                                  + ACTIVATION_BYTES)
    all_to_all = _collective_time(a2a_bytes, layout.ep, hw, eff, all_reduce=False)
    handoff = pipeline_handoff(tokens * m.width * ACTIVATION_BYTES, layout, hw, eff)
    ffn_all_reduces = m.dense_layers + np.where(expert_parallel, 0, m.moe_layers)
    t_a2a = m.moe_layers * all_to_all / layout.pp
    t_comms = (m.layers + ffn_all_reduces) * all_reduce / layout.pp + handoff + t_a2a
    overhead = np.ones_like(tokens) * fixed_overhead(layers, eff)
    longer, shorter = np.maximum(t_math, t_mem), np.minimum(t_math, t_mem)
    core = longer + (1 - eff.overlap) * shorter
    ep_overlap = eff.ep_overlap if layout.ep_overlap is None else layout.ep_overlap
    total = overlapped(core, t_a2a, ep_overlap) + (t_comms - t_a2a) + overhead
    return StepTime(t_math, t_mem, t_comms, overhead, total)
