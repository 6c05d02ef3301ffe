"""Excel workbooks written cell by cell with openpyxl, so that no text ever becomes a formula.

openpyxl stores any text starting with "=" as a formula; here every text is stored as text, and text
that a spreadsheet would read as a formula when edited (=, +, -, @) also carries Excel's quote prefix.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_START = ("=", "+", "-", "@")
MAX_WIDTH = 60


def cell_value(value: Any) -> Any:
    """A pandas/numpy value as a plain Python one (missing -> None, text cleaned of control characters)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def write_xlsx(sheets: dict[str, pd.DataFrame], path: Path) -> Path:
    """One worksheet per frame: bold frozen header, filters, columns sized to their content."""
    book = Workbook()
    book.remove(book.active)
    for name, frame in sheets.items():
        sheet = book.create_sheet(title=name[:31])
        sheet.append([str(c) for c in frame.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in frame.itertuples(index=False, name=None):
            values = [cell_value(v) for v in row]
            sheet.append(values)
            for cell, value in zip(sheet[sheet.max_row], values):
                if isinstance(value, str):
                    cell.data_type = "s"  # never "f", whatever the text starts with
                    if value.startswith(FORMULA_START):
                        cell.quotePrefix = True
        for i, column in enumerate(frame.columns, 1):
            longest = max([len(str(column)), *(len(str(v)) for v in frame[column].head(500) if cell_value(v) is not None)])
            sheet.column_dimensions[get_column_letter(i)].width = min(longest + 2, MAX_WIDTH)
        sheet.freeze_panes = "A2"
        if len(frame.columns):
            sheet.auto_filter.ref = sheet.dimensions
    book.save(path)
    return path
