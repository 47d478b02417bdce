"""Validation against measurements published by others (a copy of
shared/validation/public.yaml): the model must stay within the issue's accuracy bounds."""

from pathlib import Path

import numpy as np
import pytest
import yaml

from calc.cli import main
from calc.validate import error_table, load_cases
from specs.catalog import CatalogError

CASES = Path(__file__).parent / "data" / "validation" / "public.yaml"


@pytest.fixture(scope="module")
def table():
    return error_table(load_cases(CASES))


def test_every_public_case_is_predicted(table):
    raw = yaml.safe_load(CASES.read_text())
    assert table["case"].nunique() == len(raw)
    assert len(table) == sum(len(case["measured"]) for case in raw)


def test_mape_on_public_cases_is_at_most_15_percent(table):
    assert np.mean(np.abs(table["error"])) <= 0.15


def test_every_metric_is_within_a_factor_of_1_6(table):
    ratio = table["predicted"] / table["measured"]
    assert ratio.between(1 / 1.6, 1.6).all(), table[~ratio.between(1 / 1.6, 1.6)]


def test_validate_command_ends_with_the_mape_line(capsys):
    assert main(["validate", str(CASES)]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("MAPE ") and last.endswith(f"metrics in {len(load_cases(CASES))} cases")


def test_validate_json_is_one_document_with_the_summary(capsys):
    import json

    assert main(["validate", str(CASES), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert len(document["cases"]) >= len(load_cases(CASES))
    assert document["summary"].startswith("MAPE ") and 0 < document["mape_percent"] <= 15


def test_an_unknown_id_in_a_case_file_is_an_error_naming_it(tmp_path):
    cases = yaml.safe_load(CASES.read_text())[:1]
    cases[0]["chip"] = "nvidia-h1000"
    path = tmp_path / "cases.yaml"
    path.write_text(yaml.safe_dump(cases))
    with pytest.raises(CatalogError, match="unknown chip 'nvidia-h1000'"):
        load_cases(path)


CASE = {"id": "c1", "model": "llama-3.1-8b", "chip": "H100", "chips": 1, "scenario": "decode",
        "context_tokens": 1000, "concurrency": 1, "measured": {"tpot_ms": 5.0}}


@pytest.mark.parametrize("cases,fragment", [
    ([], "no cases"),
    (None, "the file is empty"),
    ([CASE | {"measured": {"tpot_ms": 0}}], "case c1: measured.tpot_ms: Input should be greater"),
    ([CASE | {"measured": {"tpot_ms": -3.0}}], "case c1: measured.tpot_ms"),
    ([CASE | {"measured": {"tpot_ms": float("nan")}}], "case c1: measured.tpot_ms"),
    ([CASE | {"measured": {"ttft_ms": 30.0}}], "case c1: a decode case has no prefill"),
    ([CASE | {"chips": 3, "parallelism": {"tp": 2}}], "case c1: layout tp=2"),
])
@pytest.mark.parametrize("command", ["validate", "calibrate"])
def test_cases_that_cannot_be_measured_are_refused_naming_file_and_case(capsys, tmp_path, cases,
                                                                         fragment, command):
    path = tmp_path / "cases.yaml"
    path.write_text("" if cases is None else yaml.safe_dump(cases))
    status = main([command, str(path)])
    out, err = capsys.readouterr()
    assert status == 2 and out == "" and err.count("\n") == 1
    assert err.startswith(f"error: {path}: ") and fragment in err
