"""Read a Hugging Face ``config.json`` into a catalog :class:`~specs.schema.Model` (no network).

Parameter counts are computed from the shapes (confidence ``estimate``), since a config file does
not state them.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from calc.architecture import shape
from specs.catalog import CatalogError
from specs.schema import Model, slug


def _first(config: dict, *keys: str, default: Any = None) -> Any:
    for key in keys:
        if config.get(key) is not None:
            return config[key]
    return default


def model_from_hf_config(config: dict | str | Path, model_id: str | None = None,
                         name: str | None = None, vendor: str = "unknown") -> Model:
    """Build a model from a Hugging Face config (a dict or the path of a ``config.json``).

    Understands Llama/Qwen/Mistral-style GQA, Mixtral/Qwen-MoE/gpt-oss experts, DeepSeek/Kimi MLA
    and sliding-window layers (``layer_types`` or ``sliding_window`` with ``use_sliding_window``).
    """
    origin = "config.json (given as a dict)"
    for what, value in (("model_id", model_id), ("name", name), ("vendor", vendor)):
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise CatalogError(f"{what} must be a non-empty string, got {value!r:.60}")
    if not isinstance(config, (dict, str, Path)):
        raise CatalogError(f"config must be a dict or the path of a config.json, got "
                           f"{type(config).__name__}")
    if not isinstance(config, dict):
        path = Path(config)
        try:
            config = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as err:
            raise CatalogError(f"{path}: cannot read a Hugging Face config.json: {err}") from None
        origin = str(path)
        if model_id is None:
            model_id = slug(path.name.removesuffix(".json").removesuffix(".config")
                            .split("--")[-1])
    if not isinstance(config, dict):
        raise CatalogError(f"{origin}: a config.json holds one JSON object")
    try:
        data = _model_fields(config)
    except KeyError as err:
        raise CatalogError(f"{origin}: not a decoder-only transformer config, missing {err}") \
            from None
    except (TypeError, ValueError, ZeroDivisionError, OverflowError) as err:
        raise CatalogError(f"{origin}: a shape field is not a positive whole number ({err}); "
                           f"check hidden_size, num_attention_heads and the other sizes") \
            from None
    model_id = slug(model_id or config.get("model_type", "model"))
    source = {"url": origin, "published": None, "retrieved": date.today(),
              "confidence": "estimate", "title": "Hugging Face config.json",
              "note": "read from a config.json; its publication date is not known"}
    data |= {"id": model_id, "name": name or model_id, "vendor": vendor,
             "architecture_source": "config", "sources": {"config": source},
             "params_total": {"value": 1.0, "source": "config"},
             "params_active": {"value": 1.0, "source": "config"}}
    try:
        draft = Model.model_validate(data)
        try:
            counts = shape(draft)
        except (ZeroDivisionError, OverflowError, ValueError) as err:
            raise CatalogError(f"{origin}: the shapes do not make a model ({err})") from None
        note = "computed from the config's shapes; not a published figure"
        data["params_total"] = {"value": counts.total_params, "source": "config", "note": note}
        data["params_active"] = {"value": counts.active_params, "source": "config", "note": note}
        return Model.model_validate(data)
    except ValidationError as err:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in err.errors())
        raise CatalogError(f"{origin}: {problems}") from None


def _model_fields(c: dict) -> dict:
    D, L, N = c["hidden_size"], c["num_hidden_layers"], c["num_attention_heads"]
    K = _first(c, "num_key_value_heads", default=N)
    fields: dict[str, Any] = {
        "layers": L, "hidden_size": D, "heads": N, "kv_heads": K,
        "head_dim": _first(c, "head_dim", default=D // N),
        "ffn_size": c["intermediate_size"], "vocab_size": c["vocab_size"],
        "attention": "mha" if K == N else "gqa",
        "tied_embeddings": bool(c.get("tie_word_embeddings", False)),
        "max_context": _first(c, "max_position_embeddings", "max_seq_len", "seq_length"),
    }
    if c.get("kv_lora_rank"):
        fields["attention"] = "mla"
        fields["kv_heads"] = N
        fields["head_dim"] = c["qk_nope_head_dim"] + c["qk_rope_head_dim"]
        fields["mla"] = {k: c[k] for k in ("kv_lora_rank", "qk_rope_head_dim",
                                           "qk_nope_head_dim", "v_head_dim")}
        fields["mla"]["q_lora_rank"] = c.get("q_lora_rank")
    experts = _first(c, "n_routed_experts", "num_local_experts", "num_experts")
    if experts:
        fields["moe"] = {
            "experts": experts,
            "experts_per_token": _first(c, "num_experts_per_tok", "experts_per_token"),
            "expert_ffn_size": _first(c, "moe_intermediate_size", "intermediate_size"),
            "shared_experts": _first(c, "n_shared_experts", default=0),
            "dense_layers": _first(c, "first_k_dense_replace", default=0),
        }
    layer_types = c.get("layer_types")
    if layer_types:
        fields["sliding_window_layers"] = sum(t == "sliding_attention" for t in layer_types)
    elif c.get("use_sliding_window") and c.get("sliding_window"):
        fields["sliding_window_layers"] = L - int(c.get("max_window_layers") or 0)
    if fields.get("sliding_window_layers"):
        fields["sliding_window"] = c["sliding_window"]
    kept = _non_ffn_precision_at_4bit(c)
    if kept:
        fields["non_ffn_weights_at_4bit"] = {
            "value": kept, "source": "config",
            "note": "quantization_config: a 4-bit method that leaves attention unconverted"}
    return fields


FOUR_BIT_METHODS = {"mxfp4", "nvfp4", "fp4"}
"""``quant_method`` (or ModelOpt's ``quant_algo``) values of 4-bit checkpoints."""


def _non_ffn_precision_at_4bit(c: dict) -> str | None:
    """The precision a 4-bit checkpoint keeps attention in, where its ``quantization_config``
    leaves attention out (Transformers' ``modules_to_not_convert``, ModelOpt's
    ``exclude_modules``, compressed-tensors' ``ignore``): the config's ``torch_dtype``
    (bf16 unless it says float16); None otherwise.

    >>> _non_ffn_precision_at_4bit({"quantization_config": {
    ...     "quant_method": "mxfp4", "modules_to_not_convert": ["model.layers.*.self_attn"]}})
    'bf16'
    >>> _non_ffn_precision_at_4bit({"quantization_config": {"quant_method": "fp8"}}) is None
    True
    """
    q = c.get("quantization_config")
    if not isinstance(q, dict):
        return None
    method = {str(q.get("quant_method", "")).lower(), str(q.get("quant_algo", "")).lower()}
    excluded = [str(m) for key in ("modules_to_not_convert", "exclude_modules", "ignore")
                for m in (q.get(key) or [])]
    if not method & FOUR_BIT_METHODS or not any("attn" in m for m in excluded):
        return None
    return "fp16" if c.get("torch_dtype") == "float16" else "bf16"
