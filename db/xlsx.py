"""Excel workbooks written with openpyxl (write-only mode, streamed), so that no text ever becomes a formula.

openpyxl stores text starting with "=" as a formula and "#N/A"-like text as an error; here every text
is written as a text cell, and text that a spreadsheet would read as a formula when edited
(=, +, -, @) also carries Excel's quote prefix.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import IO, Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_START = ("=", "+", "-", "@")
MAX_WIDTH = 60
SAMPLE = 500  # rows looked at to size the columns


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


def _text(sheet: Any, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # never "f" (formula) or "e" (error), whatever the text starts with
    if value.startswith(FORMULA_START):
        cell.quotePrefix = True
    return cell


def write_xlsx(sheets: dict[str, pd.DataFrame], path: Path | IO[bytes]) -> Path | IO[bytes]:
    """One worksheet per frame: bold frozen header, filters, columns sized to their content."""
    book = Workbook(write_only=True)
    for name, frame in sheets.items():
        sheet = book.create_sheet(title=name[:31])
        for i, column in enumerate(frame.columns, 1):
            sample = [str(v) for v in (cell_value(x) for x in frame[column].head(SAMPLE)) if v is not None]
            sheet.column_dimensions[get_column_letter(i)].width = min(max(map(len, [str(column), *sample])) + 2,
                                                                      MAX_WIDTH)
        sheet.freeze_panes = "A2"
        if len(frame.columns):
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{len(frame) + 1}"
        header = [_text(sheet, str(c)) for c in frame.columns]
        for cell in header:
            cell.font = Font(bold=True)
        sheet.append(header)
        for row in frame.itertuples(index=False, name=None):
            values = [cell_value(v) for v in row]
            sheet.append([_text(sheet, v) if isinstance(v, str) else v for v in values])
    book.save(path)
    return path
