"""Hugging Face config.json import: shapes match the catalog, and a round trip through YAML
gives the same model."""

import json
from pathlib import Path

import pytest
import yaml

from calc.architecture import shape
from calc.hf import model_from_hf_config
from specs.catalog import CatalogError, default_catalog, load_catalog

CONFIGS = Path(__file__).parent / "data" / "hf-configs"
SHAPE_FIELDS = ["layers", "hidden_size", "heads", "kv_heads", "head_dim", "ffn_size",
                "vocab_size", "attention", "mla", "moe", "sliding_window",
                "sliding_window_layers", "max_context", "tied_embeddings"]
PAIRS = [("meta-llama--Meta-Llama-3.1-70B.config.json", "llama-3.1-70b"),
         ("deepseek-ai--DeepSeek-V3.config.json", "deepseek-v3"),
         ("mistralai--Mixtral-8x7B-v0.1.config.json", "mixtral-8x7b"),
         ("openai--gpt-oss-120b.config.json", "gpt-oss-120b"),
         ("moonshotai--Kimi-K2-Instruct.config.json", "kimi-k2"),
         ("Qwen--Qwen3-235B-A22B.config.json", "qwen3-235b-a22b")]


@pytest.mark.parametrize("config,model_id", PAIRS)
def test_config_json_gives_the_catalog_shapes(config, model_id):
    imported = model_from_hf_config(CONFIGS / config)
    cataloged = default_catalog().model(model_id)
    for field in SHAPE_FIELDS:
        assert getattr(imported, field) == getattr(cataloged, field), field


@pytest.mark.parametrize("config,model_id", PAIRS)
def test_computed_parameter_count_is_within_3_percent_of_the_published_one(config, model_id):
    published = default_catalog().model(model_id)
    counts = shape(published)
    assert counts.total_params == pytest.approx(published.params_total.value, rel=0.03)
    assert counts.active_params == pytest.approx(published.params_active.value, rel=0.03)


def test_imported_model_round_trips_through_a_yaml_file(tmp_path):
    model = model_from_hf_config(CONFIGS / "deepseek-ai--DeepSeek-V3.config.json",
                                 model_id="my-deepseek", vendor="me")
    path = tmp_path / "models" / "my-deepseek.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(model.model_dump(mode="json"), allow_unicode=True))
    again = load_catalog(extra=[path]).model("my-deepseek")
    assert again == model
    assert again.params_total.source.confidence == "estimate"


def test_a_config_that_is_not_a_transformer_is_a_clear_error(tmp_path):
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"model_type": "resnet", "hidden_sizes": [64]}))
    with pytest.raises(CatalogError, match="config.json: not a decoder-only transformer "
                                           "config, missing 'hidden_size'"):
        model_from_hf_config(path)


def test_a_4bit_checkpoint_that_leaves_attention_unconverted_keeps_it_in_bf16():
    gpt_oss = model_from_hf_config(CONFIGS / "openai--gpt-oss-120b.config.json")
    assert gpt_oss.non_ffn_weights_at_4bit.value == "bf16"
    assert gpt_oss.non_ffn_weights_at_4bit.value == \
        default_catalog().model("gpt-oss-120b").non_ffn_weights_at_4bit.value
    fp8 = model_from_hf_config(CONFIGS / "deepseek-ai--DeepSeek-V3.config.json")
    assert fp8.non_ffn_weights_at_4bit is None  # an FP8 checkpoint says nothing about 4 bits
