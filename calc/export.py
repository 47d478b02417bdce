"""A table as the bytes of a spreadsheet file: CSV for scripts, XLSX for Excel and WPS.

Both keep the table's own column names, which carry their units ("memory_gb",
"USD_per_chip_hour"); numbers are written as numbers (CSV with every digit, XLSX to the 15
significant digits a spreadsheet keeps), unknown values as empty cells.

>>> import pandas as pd
>>> frame = pd.DataFrame({"chip": ["H100"], "memory_gb": [80.0], "tdp_w": [None]})
>>> frame_to_csv(frame)
b'chip,memory_gb,tdp_w\\nH100,80.0,\\n'
>>> back = pd.read_excel(io.BytesIO(frame_to_xlsx(frame)))
>>> back.columns.tolist(), float(back.loc[0, "memory_gb"]), bool(back["tdp_w"].isna().all())
(['chip', 'memory_gb', 'tdp_w'], 80.0, True)
"""

from __future__ import annotations

import io
import math
from datetime import date, datetime
from numbers import Number
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET = "accelcalc"
MAX_COLUMN_WIDTH = 60
"""Widest column, in characters, when a sheet's columns are sized to their contents."""


def frame_to_csv(frame: pd.DataFrame) -> bytes:
    """``frame`` as UTF-8 CSV without its index."""
    return frame.to_csv(index=False).encode()


def frame_to_xlsx(frame: pd.DataFrame, sheet: str = SHEET) -> bytes:
    """``frame`` as an XLSX workbook of one sheet (openpyxl): the header row frozen, columns
    as wide as their contents, no index. Values a spreadsheet cannot hold (lists, dicts,
    timezone-aware times, control characters) are written as text."""
    import pandas as pd
    from openpyxl.utils import get_column_letter

    cells = frame.reset_index(drop=True).copy()
    for name in cells.columns:
        if not (pd.api.types.is_numeric_dtype(cells[name])
                or pd.api.types.is_bool_dtype(cells[name])):
            cells[name] = cells[name].map(_cell, na_action="ignore").astype(object)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        cells.to_excel(writer, sheet_name=sheet[:31], index=False, freeze_panes=(1, 0))
        columns = writer.sheets[sheet[:31]].column_dimensions
        for i, name in enumerate(cells.columns, start=1):
            longest = max([len(str(name)), *(len(str(v)) for v in cells[name].dropna())])
            columns[get_column_letter(i)].width = min(longest + 2, MAX_COLUMN_WIDTH)
    return buffer.getvalue()


def _cell(value):
    """One value of a text column as a spreadsheet holds it."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, datetime):
        return value if value.tzinfo is None else value.isoformat()
    if isinstance(value, (bool, date)) or (isinstance(value, Number)
                                          and not isinstance(value, complex)):
        return None if isinstance(value, float) and math.isnan(value) else value
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))
