"""The command line: canonical CSV, JSON, filters, and one-line errors with exit status 2."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from calc.cli import main
from specs.catalog import default_catalog
from tests.test_catalog import REQUIRED_CHIPS

CANONICAL = ["id", "vendor", "name", "status", "release_date", "bf16_dense_tflops",
             "fp8_dense_tflops", "fp4_dense_tflops", "int8_dense_tops", "memory_gb",
             "memory_bandwidth_tb_s", "scaleup_bandwidth_gb_s", "scaleup_domain_chips", "tdp_w"]


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_chips_csv_starts_with_the_canonical_columns_and_lists_every_required_id(capsys):
    status, out, _ = run(capsys, "chips", "--format", "csv")
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0])[:len(CANONICAL)] == CANONICAL
    catalog = default_catalog()
    assert {catalog.chip(name).id for name in REQUIRED_CHIPS} <= {r["id"] for r in rows}
    h100 = next(r for r in rows if r["id"] == "nvidia-h100-sxm")
    assert float(h100["bf16_dense_tflops"]) == pytest.approx(989, rel=2e-3)
    assert float(h100["memory_bandwidth_tb_s"]) == 3.35
    assert float(h100["scaleup_bandwidth_gb_s"]) == 900  # both directions added
    assert h100["fp4_dense_tflops"] == ""  # unknown stays empty


def test_chips_filter_by_vendor_and_status(capsys):
    status, out, _ = run(capsys, "chips", "--vendor", "huawei", "--status", "shipping",
                         "--format", "json")
    rows = json.loads(out)
    assert status == 0 and rows
    assert {r["vendor"] for r in rows} == {"Huawei"} and {r["status"] for r in rows} == \
        {"shipping"}


def test_models_csv_lists_every_model(capsys):
    status, out, _ = run(capsys, "models", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert status == 0
    deepseek = next(r for r in rows if r["id"] == "deepseek-v3")
    assert deepseek["attention"] == "mla" and deepseek["experts"] == "256"


@pytest.mark.parametrize("argv,fragment", [
    (["chips", "--format", "xml"], "invalid choice: 'xml'"),
    (["chips", "--vendor", "nobody"], "no chip matches"),
    (["predict", "--model", "llama-3.1-70b", "--chip", "H100", "--chips", "0"], "chips must be"),
    (["predict", "--model", "llama-3.1-70b", "--chip", "H1OO", "--chips", "8"], "did you mean"),
    (["chips", "--add", "missing.yaml"], "missing.yaml: cannot read YAML"),
])
def test_bad_input_prints_one_line_and_exits_2(capsys, argv, fragment):
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert err.startswith("error: ") and err.count("\n") == 1 and fragment in err
    assert "Traceback" not in err


def test_predict_and_memory_use_a_users_own_chip_file(capsys, tmp_path):
    import yaml

    from specs.catalog import DATA_DIR

    data = yaml.safe_load((DATA_DIR / "chips" / "nvidia" / "nvidia-h100-sxm.yaml").read_text())
    data |= {"id": "acme-x1", "vendor": "Acme", "name": "X1", "aliases": ["X1"]}
    path = tmp_path / "acme-x1.yaml"
    path.write_text(yaml.safe_dump(data))
    status, out, _ = run(capsys, "predict", "--add", str(path), "--model", "llama-3.1-8b",
                         "--chip", "x1", "--chips", "1", "--concurrency", "4")
    assert status == 0 and "× acme-x1" in out
    status, out, _ = run(capsys, "memory", "--add", str(path), "--model", "llama-3.1-8b",
                         "--chip", "x1")
    assert status == 0 and "× acme-x1" in out


def test_installed_accelcalc_script_is_the_same_command():
    script = Path(sys.executable).with_name("accelcalc")
    assert script.exists(), "install the package: pip install -e '.[test]'"
    done = subprocess.run([str(script), "models", "--format", "csv"], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0 and "deepseek-v3" in done.stdout


def test_console_entry_point_runs_as_a_module():
    done = subprocess.run([sys.executable, "-m", "calc", "chips", "--vendor", "nvidia",
                           "--format", "csv"], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout.startswith(",".join(CANONICAL))


def chip_file(tmp_path, **changes) -> Path:
    """A copy of the H100 file as a user's own chip, with ``changes`` to its fields."""
    import yaml

    from specs.catalog import DATA_DIR

    data = yaml.safe_load((DATA_DIR / "chips" / "nvidia" / "nvidia-h100-sxm.yaml").read_text())
    data |= {"id": "acme-x1", "vendor": "Acme", "name": "X1", "aliases": ["X1"]}
    for key, value in changes.items():
        data[key] = value
    path = tmp_path / "acme-x1.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("value", ["80 GB / 0", "10**400 GB", "(80 GB", "1e300 GB"])
def test_a_bad_quantity_in_a_users_file_is_one_error_line_naming_file_and_field(capsys, tmp_path,
                                                                                value):
    path = chip_file(tmp_path, memory_capacity={"value": value, "source": "datasheet"})
    status, _, err = run(capsys, "chips", "--add", str(path))
    assert status == 2 and err.count("\n") == 1
    assert err.startswith(f"error: {path}: memory_capacity.value: ")


@pytest.mark.parametrize("argv,fragment", [
    (["predict", "--model", "llama-3.1-8b", "--chip", "H100", "--chips", "2147483648"],
     "at most 1,048,576"),
    (["predict", "--model", "llama-3.1-8b", "--chip", "H100", "--chips", "1", "--scenario",
      "decode", "--context-tokens", str(2**63)], "at most"),
    (["predict", "--model", "llama-3.1-8b", "--chip", "H100", "--chips", "1", "--scenario",
      "decode", "--context-tokens", "200000"], "context of"),
    (["predict", "--model", "llama-3.1-8b", "--chip", "H100", "--chips", "1", "--concurrency",
      "4", "--ttft-limit-ms", "nan"], "milliseconds above 0"),
    (["predict", "--model", "llama-3.1-8b", "--chip", "H100", "--chips", "1", "--precision",
      "fp32"], "choose from"),
    (["predict", "--model", "H100", "--chip", "llama-3.1-8b", "--chips", "1"], "swapped"),
    (["memory", "--model", "llama-3.1-8b", "--chip", "H100", "--chips", "-1"], "whole number"),
    (["cost", "--chip", "H100", "--electricity-per-kwh", "1 GB"], "not a quantity in USD/kWh"),
])
def test_bad_values_on_the_command_line_are_one_error_line_within_bounds(capsys, argv, fragment):
    from tests.timebound import within

    with within(10):
        status, out, err = run(capsys, *argv)
    assert status == 2 and out == "" and err.count("\n") == 1
    assert err.startswith("error: ") and fragment in err


def test_the_command_line_lists_the_schemas_statuses():
    from calc.cli import STATUSES
    from specs.schema import Status

    assert STATUSES == Status.__args__


def test_chips_table_format_still_prints_through_pandas(capsys):
    status, out, _ = run(capsys, "chips", "--vendor", "nvidia")
    assert status == 0 and "nvidia-h100-sxm" in out and "3.35" in out
