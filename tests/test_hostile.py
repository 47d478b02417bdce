"""Hostile input, generated: the command line answers one ``error:`` line and exit 2, the Python
API raises the project's error type, a bad data file is named with its field, each quickly.

Every strategy draws values that are wrong by construction (out of bounds, wrong type, not a
catalog id, not a quantity), so each example must be refused.
"""

from datetime import timedelta

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calc import memory_plan, predict
from calc.cli import main
from calc.errors import AccelcalcError
from calc.inputs import MAX_CHIPS, MAX_CONCURRENCY, MAX_LIMIT_MS
from calc.predict import COMPUTE_PRECISIONS
from specs.catalog import DATA_DIR, default_catalog, load_catalog

CATALOG = default_catalog()
NAMES = {n for table in (CATALOG.chips, CATALOG.models) for n in table._names}
BOUNDED = settings(max_examples=30, deadline=timedelta(seconds=3),
                   suppress_health_check=[HealthCheck.function_scoped_fixture,
                                          HealthCheck.too_slow])

text = st.text(max_size=30)
not_a_number = text.filter(lambda s: not _is_number(s))
bad_count = st.one_of(st.integers(max_value=0), st.integers(min_value=MAX_CHIPS + 1),
                      st.floats(allow_nan=True, allow_infinity=True).filter(
                          lambda x: not (x == x and abs(x) < 1e15 and x.is_integer() and x >= 1)),
                      not_a_number)
bad_ms = st.one_of(st.floats(max_value=0), st.floats(min_value=MAX_LIMIT_MS * 1.001),
                   st.just(float("nan")), not_a_number)
not_an_id = text.filter(lambda s: _slug(s) not in NAMES and s.strip() != "")


def _is_number(s: str) -> bool:
    try:
        float(s)
        return True
    except ValueError:
        return False


def _slug(s: str) -> str:
    from specs.schema import slug

    return slug(s)


BASE = {"--model": "llama-3.1-8b", "--chip": "H100", "--chips": "1", "--concurrency": "4",
        "--input-tokens": "100", "--output-tokens": "100"}
BAD_OPTION = st.one_of(
    st.tuples(st.sampled_from(["--chips", "--concurrency", "--input-tokens", "--output-tokens",
                               "--tp", "--replicas"]), bad_count.map(str)),
    st.tuples(st.just("--concurrency"), st.integers(min_value=MAX_CONCURRENCY + 1).map(str)),
    st.tuples(st.sampled_from(["--input-tokens", "--output-tokens"]),
              st.integers(min_value=131_073, max_value=10**30).map(str)),
    st.tuples(st.sampled_from(["--ttft-limit-ms", "--tpot-limit-ms"]), bad_ms.map(str)),
    st.tuples(st.sampled_from(["--model", "--chip"]), not_an_id),
    st.tuples(st.sampled_from(["--precision", "--kv-precision", "--weights-precision"]),
              text.filter(lambda s: s.strip().lower() not in
                          {"fp32", "tf32", "bf16", "fp16", "fp8", "int8", "fp4", "int4"})),
    st.tuples(st.just("--activation-precision"), st.just("fp32")),
    st.tuples(st.just("--scenario"), text),
    st.tuples(st.just("--format"), text.filter(lambda s: s not in ("table", "json"))),
)


@BOUNDED
@given(option=BAD_OPTION, command=st.sampled_from(["predict", "memory"]))
def test_the_command_line_answers_bad_values_with_one_error_line(capsys, option, command):
    name, value = option
    args = dict(BASE) if command == "predict" else {k: BASE[k] for k in
                                                    ("--model", "--chip", "--chips")}
    if command == "memory" and name not in ("--model", "--chip", "--chips", "--tp", "--format"):
        name, value = "--context-tokens", value if name.endswith("tokens") else "0"
    args[name] = value
    status = main([command, *(f"{k}={v}" for k, v in args.items())])
    out, err = capsys.readouterr()
    assert status == 2, (args, out)
    assert out == "" and err.startswith("error: ") and err.count("\n") == 1, err


BAD_ARGUMENTS = st.one_of(
    st.fixed_dictionaries({"chips": bad_count}),
    st.fixed_dictionaries({"tp": bad_count}),
    st.fixed_dictionaries({"concurrency": st.one_of(bad_count, st.integers(
        min_value=MAX_CONCURRENCY + 1))}),
    st.fixed_dictionaries({"input_tokens": st.one_of(bad_count, st.integers(
        min_value=131_073))}),
    st.fixed_dictionaries({"ttft_limit_ms": bad_ms}),
    st.fixed_dictionaries({"model": st.one_of(not_an_id, st.integers(), st.lists(text),
                                              st.just(CATALOG.chip("H100")))}),
    st.fixed_dictionaries({"chip": st.one_of(not_an_id, st.floats(), st.dictionaries(text, text),
                                             st.just(CATALOG.model("llama-3.1-8b")))}),
    st.fixed_dictionaries({"precision": st.one_of(
        text.filter(lambda s: s.strip().lower() not in COMPUTE_PRECISIONS), st.integers(),
        st.dictionaries(text, text, min_size=1))}),
    st.fixed_dictionaries({"scenario": st.one_of(st.integers(), text.filter(
        lambda s: s.strip().lower() not in ("offline", "server", "concurrency", "decode",
                                            "prefill", "")))}),
    st.fixed_dictionaries({"efficiency": st.one_of(text, st.integers())}),
)


@BOUNDED
@given(bad=BAD_ARGUMENTS, function=st.sampled_from(["predict", "memory_plan"]))
def test_the_python_api_raises_its_error_type_for_any_bad_argument(bad, function):
    args = {"model": "llama-3.1-8b", "chip": "H100", "chips": 1, "concurrency": 4,
            "input_tokens": 100} | bad
    model, chip, chips = args.pop("model"), args.pop("chip"), args.pop("chips")
    if function == "memory_plan":
        kept = {k: v for k, v in args.items() if k in ("tp", "precision", "efficiency")}
        if "input_tokens" in bad:
            kept["context_tokens"] = bad["input_tokens"]
        if not kept and not ({"model", "chip", "chips"} & set(bad)):
            kept["context_tokens"] = 0
        with pytest.raises(AccelcalcError):
            memory_plan(model, chip, chips, **kept)
        return
    with pytest.raises(AccelcalcError):
        predict(model, chip, chips, **args)


H100_FILE = yaml.safe_load((DATA_DIR / "chips" / "nvidia" / "nvidia-h100-sxm.yaml").read_text())
FIELDS = ["memory_capacity", "memory_bandwidth", "bf16_dense", "tdp"]
bad_quantity = st.one_of(
    st.tuples(st.floats(allow_nan=True, allow_infinity=True), st.sampled_from(
        ["", " ", ",", " / 0", "**9", " 2", "e999", "(("])).map(lambda t: f"{t[0]}{t[1]}"),
    st.tuples(st.integers(), st.sampled_from(["TB/s GB", "GB 2", "GB/0", "W W W 3", "furlong"]))
    .map(lambda t: f"{t[0]} {t[1]}"),
    text,
)


@BOUNDED
@given(field=st.sampled_from(FIELDS), value=bad_quantity)
def test_a_bad_figure_in_a_data_file_is_refused_naming_file_and_field(tmp_path_factory, field,
                                                                      value):
    from specs.units import parse

    try:  # a value that happens to be a valid figure of the field's kind is not hostile
        parse(value)
        if field in ("memory_capacity",) and parse(value).check("[information]"):
            return
    except ValueError:
        pass
    data = dict(H100_FILE) | {"id": "acme-x1", "vendor": "Acme", "name": "X1", "aliases": []}
    data[field] = {"value": value, "source": "datasheet"}
    path = tmp_path_factory.mktemp("chips") / "acme-x1.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(AccelcalcError) as err:
        load_catalog(extra=[path])
    assert str(err.value).startswith(f"{path}: ") and f"{field}.value" in str(err.value)


@BOUNDED
@given(content=st.one_of(text, st.binary(max_size=60).map(lambda b: b.decode("latin-1")),
                         st.recursive(st.none() | st.integers() | text,
                                      lambda kids: st.lists(kids, max_size=3)
                                      | st.dictionaries(text, kids, max_size=3),
                                      max_leaves=20).map(yaml.safe_dump)))
def test_any_garbage_data_file_is_refused_naming_the_file(tmp_path_factory, content):
    path = tmp_path_factory.mktemp("chips") / "acme-x1.yaml"
    path.write_bytes(content.encode("utf-8", "surrogatepass"))
    with pytest.raises(AccelcalcError) as err:
        load_catalog(extra=[path])
    assert str(err.value).startswith(f"{path}")


LLAMA_FILE = yaml.safe_load((DATA_DIR / "models" / "llama-3.1-8b.yaml").read_text())


@BOUNDED
@given(field=st.sampled_from(["layers", "hidden_size", "heads", "head_dim", "vocab_size",
                              "max_context"]),
       value=st.one_of(st.integers(max_value=0), st.integers(min_value=2**31),
                       st.floats().filter(lambda x: not (x == x and x.is_integer())),
                       not_a_number))
def test_a_bad_count_in_a_model_file_is_refused_naming_file_and_field(tmp_path_factory, field,
                                                                      value):
    data = dict(LLAMA_FILE) | {"id": "my-model", "name": "M", "aliases": [], field: value}
    path = tmp_path_factory.mktemp("models") / "my-model.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(AccelcalcError) as err:
        load_catalog(extra=[path])
    assert str(err.value).startswith(f"{path}: ") and field in str(err.value)
