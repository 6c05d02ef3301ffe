"""Write a DataFrame in the formats reviewers use: CSV, Excel, JSON, Markdown."""
from __future__ import annotations

from pathlib import Path
from typing import Literal

import pandas as pd

from db.errors import StoreError

ExportFormat = Literal["csv", "xlsx", "json", "markdown"]
FORMATS: tuple[ExportFormat, ...] = ("csv", "xlsx", "json", "markdown")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse(value: object) -> object:
    """Text that a spreadsheet would run as a formula is prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(defuse).astype(object)
    return out


def render(frame: pd.DataFrame, fmt: ExportFormat) -> str:
    """A frame as text in one of the text formats."""
    if fmt == "csv":
        return spreadsheet_safe(frame).to_csv(index=False)
    if fmt == "json":
        return frame.to_json(orient="records", force_ascii=False, indent=1)
    if fmt == "markdown":
        return frame.astype(object).where(frame.notna(), "").to_markdown(index=False)
    raise StoreError(f"{fmt} is not a text format")


def write(frames: dict[str, pd.DataFrame], fmt: ExportFormat, path: str | Path) -> Path:
    """Write one frame (or, for xlsx, one sheet per frame) to `path`."""
    path = Path(path)
    try:
        if fmt == "xlsx":
            with pd.ExcelWriter(path, engine="openpyxl") as writer:
                for name, frame in frames.items():
                    spreadsheet_safe(frame).to_excel(writer, sheet_name=name[:31], index=False)
        else:
            first = next(iter(frames.values()))
            path.write_text(render(first, fmt), encoding="utf-8")
    except OSError as exc:
        raise StoreError(f"cannot write: {exc.strerror or exc}", path=str(path)) from exc
    return path
