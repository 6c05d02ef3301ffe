"""Write the evidence tables in the formats reviewers use: CSV, Excel, JSON, Markdown, RIS.

Exports keep every column. CSV text that a spreadsheet would run as a formula gets an apostrophe;
Excel cells are written as text (see `db.xlsx`); an Excel export of the evidence table carries a
second sheet with the provenance of every value. RIS lists the studies behind the table.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

from evidence_tables.db.errors import StoreError
from evidence_tables.db.filters import Filters
from evidence_tables.db.ris import ris
from evidence_tables.db.store import EvidenceDB
from evidence_tables.db.tables import long_table, studies_table, wide_table
from evidence_tables.db.xlsx import write_xlsx

ExportFormat = Literal["csv", "xlsx", "json", "markdown", "ris"]
FORMATS: tuple[ExportFormat, ...] = ("csv", "xlsx", "json", "markdown", "ris")
SUFFIXES: dict[str, ExportFormat] = {"csv": "csv", "xlsx": "xlsx", "json": "json", "md": "markdown",
                                     "markdown": "markdown", "ris": "ris"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportError(StoreError):
    """An export cannot be written (unknown format, unwritable path)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ExportResult:
    """What an export wrote: where, in which format, how many rows (studies for RIS), which sheets."""

    path: Path
    fmt: ExportFormat
    rows: int
    sheets: tuple[str, ...] = ()


def defuse(value: object) -> object:
    """Text that a spreadsheet would run as a formula is prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            # built as object: Series.map would infer float64 and print a year beside a NULL as 2022.0
            out[col] = pd.Series([defuse(v) for v in out[col]], index=out.index, dtype=object)
    return out


def _markdown_cell(value: object) -> object:
    return " ".join(value.split()).replace("|", "\\|") if isinstance(value, str) else value


def render(frame: pd.DataFrame, fmt: ExportFormat) -> str:
    """A frame as text in one of the text formats (not RIS: that is written from studies)."""
    if fmt == "csv":
        return spreadsheet_safe(frame).to_csv(index=False)
    if fmt == "json":
        return frame.to_json(orient="records", force_ascii=False, indent=1)
    if fmt == "markdown":
        cells = frame.astype(object).where(frame.notna(), "").map(_markdown_cell)
        return cells.to_markdown(index=False)
    raise ExportError(f"{fmt} is not a text format of a table")


def format_for(path: str | Path) -> ExportFormat:
    """The format a file name asks for (`.csv`, `.xlsx`, `.json`, `.md`, `.ris`)."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in SUFFIXES:
        raise ExportError(f"cannot tell the format from the name: use one of .{', .'.join(SUFFIXES)}, or name the "
                          "format (export --format, table --csv/--json/--markdown/--xlsx)", path=str(path))
    return SUFFIXES[suffix]


def write(frames: dict[str, pd.DataFrame], fmt: ExportFormat, path: str | Path) -> Path:
    """Write one frame (or, for xlsx, one sheet per frame) to `path`."""
    path = Path(path)
    try:
        if fmt == "xlsx":
            write_xlsx(frames, path)
        else:
            first = next(iter(frames.values()))
            path.write_text(render(first, fmt), encoding="utf-8")
    except OSError as exc:
        raise ExportError(f"cannot write: {exc.strerror or exc}", path=str(path)) from exc
    return path


def export(store: EvidenceDB, path: str | Path, fmt: ExportFormat | None = None, *,
           filters: Filters | None = None, long: bool = False, all_studies: bool = False) -> ExportResult:
    """Write the evidence table (or, with `long`, one row per value) or the included studies as RIS.

    `all_studies`: studies with no value passing the filters are included too (a row each, or a record).
    """
    path = Path(path)
    named = SUFFIXES.get(path.suffix.lower().lstrip("."))
    if fmt and named and named != fmt:
        raise ExportError(f"asked for {fmt} but the file name ends {path.suffix}: change one of them", path=str(path))
    fmt = fmt or format_for(path)
    if not path.parent.is_dir():  # before any work, and before a writer half-creates the file
        raise ExportError(f"cannot write: folder {path.parent} does not exist", path=str(path))
    if fmt == "ris":
        studies = studies_table(store, filters, all_studies=all_studies)
        try:
            path.write_text(ris(studies), encoding="utf-8")
        except OSError as exc:
            raise ExportError(f"cannot write: {exc.strerror or exc}", path=str(path)) from exc
        return ExportResult(path=path, fmt=fmt, rows=len(studies))
    if long:
        frames = {"values": long_table(store, filters)}
    else:
        frames = {"evidence": wide_table(store, filters, all_studies=all_studies)}
        if fmt == "xlsx":
            frames["provenance"] = long_table(store, filters)
    write(frames, fmt, path)
    return ExportResult(path=path, fmt=fmt, rows=len(next(iter(frames.values()))), sheets=tuple(frames))
