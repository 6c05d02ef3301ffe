"""Excel workbooks written with openpyxl (write-only mode, streamed), so that no text ever becomes a formula.

openpyxl stores text starting with "=" as a formula and "#N/A"-like text as an error; here every text
is written as a text cell, and text that a spreadsheet would read as a formula when edited
(=, +, -, @) also carries Excel's quote prefix.
"""

from __future__ import annotations

import errno
import gc
import math
import os
import sys
import traceback
from pathlib import Path
from typing import IO, Any

import pandas as pd
from lxml.etree import LxmlError
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
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


def _text(sheet: Any, value: str) -> Cell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # never "f" (formula) or "e" (error), whatever the text starts with
    if value.startswith(FORMULA_START):
        cell.quotePrefix = True
    return cell


def write_xlsx(sheets: dict[str, pd.DataFrame], path: Path | IO[bytes]) -> Path | IO[bytes]:
    """One worksheet per frame: bold frozen header, filters, columns sized to their content."""
    book = Workbook(write_only=True)
    try:
        _fill(book, sheets)
        book.save(path)
    except BaseException as exc:
        del book
        _collect_quietly(exc)
        if isinstance(
            exc, LxmlError
        ):  # openpyxl writes sheets through lxml, which says "IO_ENOSPC" for a full disk
            code = (
                getattr(errno, str(exc).removeprefix("IO_"), None)
                if str(exc).startswith("IO_")
                else None
            )
            raise OSError(
                code or errno.EIO,
                os.strerror(code) if code else f"cannot write the workbook ({exc})",
            ) from None
        raise
    return path


def _collect_quietly(exc: BaseException) -> None:
    """When a write fails (a full disk), openpyxl leaves the writers of its half-written sheets and its zip
    file open; the garbage collector closes them later and each prints an 'Exception ignored' traceback
    (they write again to what failed). Close them now, without a word: the error itself is raised."""
    hook = sys.unraisablehook
    sys.unraisablehook = lambda _unraisable: None
    try:
        seen: BaseException | None = exc
        while (
            seen is not None
        ):  # the frames of the failed write (and of errors while it failed) hold them
            traceback.clear_frames(seen.__traceback__)
            seen = seen.__context__
        gc.collect()
    finally:
        sys.unraisablehook = hook


def _fill(book: Workbook, sheets: dict[str, pd.DataFrame]) -> None:
    for name, frame in sheets.items():
        sheet = book.create_sheet(title=name[:31])
        for i, column in enumerate(frame.columns, 1):
            sample = [
                str(v) for v in (cell_value(x) for x in frame[column].head(SAMPLE)) if v is not None
            ]
            sheet.column_dimensions[get_column_letter(i)].width = min(
                max(map(len, [str(column), *sample])) + 2, MAX_WIDTH
            )
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
