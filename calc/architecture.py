"""Parameter counts and per-token sizes of a transformer, from its catalog shape.

Notation of "How to Scale Your Model" (jax-ml/scaling-book, Transformers chapter): L layers,
D model width, F FFN width, N query heads, K KV heads, H head dim, V vocabulary, E experts,
k experts per token.
"""

from __future__ import annotations

from dataclasses import dataclass

from specs.schema import Model


@dataclass(frozen=True)
class Shape:
    """A model reduced to the numbers the performance formulas need (plain floats)."""

    layers: int
    width: int
    """Model width D."""
    ffn_width: int
    """Widest FFN intermediate activation of a token: F, or (k + shared) · F_expert."""
    attention_params: float
    """Attention weights of one layer (Q, K, V, O projections, MLA down/up projections)."""
    dense_ffn_params: float
    """FFN weights of one dense layer."""
    dense_layers: int
    """Layers with a dense FFN (all of them for a dense model)."""
    moe_layers: int
    """Layers with routed experts."""
    experts: int
    experts_per_token: int
    expert_params: float
    """Weights of one routed expert."""
    shared_params: float
    """Weights of the shared experts and the router of one MoE layer (read by every token)."""
    embedding_params: float
    """Input embedding table (a lookup: read per token, not multiplied)."""
    head_params: float
    """Output projection to the vocabulary (zero extra when tied to the embedding)."""
    kv_elements_per_layer: float
    """Cached KV elements per token in one layer (GQA: 2·K·H; MLA: r_kv + r_rope)."""
    full_attention_layers: int
    """Layers attending to the whole context."""
    window_layers: int
    """Layers attending to the last ``window`` tokens only."""
    window: float
    attention_flops_per_context_token: float
    """FLOPs per query token per attended context token in one layer: 2·N·(d_qk + d_v)."""
    decode_attention_flops_per_context_token: float
    """The same in decode; differs for MLA, whose absorbed form attends in the latent space:
    2·N·(2·r_kv + r_rope) (DeepSeek-V2 paper, section 2.1.3)."""
    kv_heads_split: int | None
    """KV heads tensor parallelism can split a sequence's KV over; None for MLA (replicated)."""

    @property
    def total_params(self) -> float:
        """All weights: L_attn·A + dense FFN + E experts + shared + embedding + head."""
        return (self.layers * self.attention_params + self.dense_layers * self.dense_ffn_params
                + self.moe_layers * (self.experts * self.expert_params + self.shared_params)
                + self.embedding_params + self.head_params)

    @property
    def active_params(self) -> float:
        """Weights one token multiplies by (k of E experts; embedding lookup excluded)."""
        return (self.layers * self.attention_params + self.dense_layers * self.dense_ffn_params
                + self.moe_layers * (self.experts_per_token * self.expert_params
                                     + self.shared_params)
                + self.head_params_for_compute)

    @property
    def head_params_for_compute(self) -> float:
        """The output projection multiplies every token, tied or not."""
        return self.head_params or self.embedding_params


def shape(model: Model) -> Shape:
    """Reduce a catalog model to its :class:`Shape`.

    Cross-check against the published count (nanoGPT style): Llama-2-7B has 6.74e9 parameters.

    >>> from specs.catalog import default_catalog
    >>> round(shape(default_catalog().model("llama-2-7b")).total_params / 1e9, 2)
    6.74
    """
    D, L, N, K, H = model.hidden_size, model.layers, model.heads, model.kv_heads, model.head_dim
    if model.mla is not None:
        m = model.mla
        qk = m.qk_nope_head_dim + m.qk_rope_head_dim
        q = (D * m.q_lora_rank + m.q_lora_rank * N * qk) if m.q_lora_rank else D * N * qk
        kv = D * (m.kv_lora_rank + m.qk_rope_head_dim) + m.kv_lora_rank * N * (
            m.qk_nope_head_dim + m.v_head_dim)
        attention = q + kv + N * m.v_head_dim * D
        kv_per_layer = m.kv_lora_rank + m.qk_rope_head_dim
        d_qk, d_v = qk, m.v_head_dim
        decode_attention = 2 * N * (2 * m.kv_lora_rank + m.qk_rope_head_dim)
        kv_split = None
    else:
        attention = D * N * H + 2 * D * K * H + N * H * D
        kv_per_layer = 2 * K * H
        d_qk = d_v = H
        decode_attention = 2 * N * (d_qk + d_v)
        kv_split = K
    matrices = 3 if model.gated_ffn else 2
    moe = model.moe
    moe_layers = 0 if moe is None else L - moe.dense_layers
    window_layers = model.sliding_window_layers
    return Shape(
        layers=L,
        width=D,
        ffn_width=max(model.ffn_size if L > moe_layers else 0,
                      (moe.experts_per_token + moe.shared_experts) * moe.expert_ffn_size
                      if moe else 0),
        attention_params=float(attention),
        dense_ffn_params=float(matrices * D * model.ffn_size),
        dense_layers=L - moe_layers,
        moe_layers=moe_layers,
        experts=moe.experts if moe else 0,
        experts_per_token=moe.experts_per_token if moe else 0,
        expert_params=float(matrices * D * moe.expert_ffn_size) if moe else 0.0,
        shared_params=float(moe.shared_experts * matrices * D * moe.expert_ffn_size
                            + D * moe.experts) if moe else 0.0,
        embedding_params=float(model.vocab_size * D),
        head_params=0.0 if model.tied_embeddings else float(model.vocab_size * D),
        kv_elements_per_layer=float(kv_per_layer),
        full_attention_layers=L - window_layers,
        window_layers=window_layers,
        window=float(model.sliding_window or 0),
        attention_flops_per_context_token=float(2 * N * (d_qk + d_v)),
        decode_attention_flops_per_context_token=float(decode_attention),
        kv_heads_split=kv_split,
    )
