"""Tables as CSV and XLSX bytes (calc.export): what comes back is what went in."""

import io
from datetime import date, datetime, timezone

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from calc.export import frame_to_csv, frame_to_xlsx
from calc.tables import chip_frame
from specs.catalog import default_catalog


def numbers(frame: pd.DataFrame, column: str) -> np.ndarray:
    return frame[column].to_numpy(dtype=float, na_value=np.nan)


@pytest.fixture(scope="module")
def chips():
    return chip_frame(list(default_catalog().chips), units={"memory": "GiB"})


def test_an_xlsx_of_the_chip_table_reads_back_with_the_same_headers_and_numbers(chips):
    back = pd.read_excel(io.BytesIO(frame_to_xlsx(chips)))
    assert back.columns.tolist() == chips.columns.tolist()  # units stay in the names
    assert "memory_gib" in back.columns
    for column in chips.columns:
        if pd.api.types.is_numeric_dtype(chips[column]):  # Excel keeps 15 significant digits
            np.testing.assert_allclose(numbers(back, column), numbers(chips, column),
                                       rtol=1e-14, equal_nan=True, err_msg=column)
        else:
            assert back[column].fillna("").astype(str).tolist() == \
                chips[column].fillna("").astype(str).tolist(), column


def test_the_h100_row_of_the_xlsx_holds_its_datasheet_figures_as_numbers(chips):
    sheet = load_workbook(io.BytesIO(frame_to_xlsx(chips))).active
    header = [cell.value for cell in sheet[1]]
    h100 = next(row for row in sheet.iter_rows(min_row=2, values_only=True)
                if row[0] == "nvidia-h100-sxm")
    cells = dict(zip(header, h100))
    assert cells["memory_bandwidth_tb_s"] == 3.35 and cells["tdp_w"] == 700
    assert cells["memory_gib"] == pytest.approx(80e9 / 2**30)
    assert sheet.freeze_panes == "A2"  # the header row stays in view


def test_the_csv_and_the_xlsx_carry_the_same_table(chips):
    from_csv = pd.read_csv(io.BytesIO(frame_to_csv(chips)))
    from_xlsx = pd.read_excel(io.BytesIO(frame_to_xlsx(chips)))
    pd.testing.assert_frame_equal(from_csv, from_xlsx, check_dtype=False, rtol=1e-14)


def test_values_a_spreadsheet_cannot_hold_are_written_as_text_and_unknown_as_empty():
    frame = pd.DataFrame({
        "note": ["bell\x07 removed", ["a", "b"], None],
        "when": [datetime(2025, 3, 1, tzinfo=timezone.utc), date(2025, 3, 1), None],
        "chips": pd.array([8, None, 72], dtype="Int64")})
    sheet = load_workbook(io.BytesIO(frame_to_xlsx(frame))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == ["bell removed", "['a', 'b']", None]
    assert rows[0][1] == "2025-03-01T00:00:00+00:00" and rows[1][1].date() == date(2025, 3, 1)
    assert [r[2] for r in rows] == [8, None, 72]
