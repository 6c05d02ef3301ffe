"""Write the evidence tables in the formats reviewers use: CSV, Excel, JSON, Markdown, RIS.

Exports keep every column. CSV text that a spreadsheet would run as a formula gets an apostrophe;
Excel cells are written as text (see `db.xlsx`); an Excel export of the evidence table carries a
second sheet with the provenance of every value, and every Excel export a `pooled` sheet (the CR and
relapse rates pooled per regimen, study by study). RIS lists the studies behind the table.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pandas as pd

from evidence_tables.db.filters import POOLED_MEASURES, Filters
from evidence_tables.db.formats import (
    BINARY_FORMATS,
    FORMATS,
    STDOUT,
    SUFFIXES,
    TEXT_FORMATS,
    ExportError,
    ExportFormat,
    defuse,
    format_for,
)
from evidence_tables.db.ris import ris
from evidence_tables.db.store import EvidenceDB
from evidence_tables.db.tables import long_table, studies_table, wide_table
from evidence_tables.db.xlsx import write_xlsx

__all__ = [
    "FORMATS",
    "SUFFIXES",
    "TEXT_FORMATS",
    "ExportError",
    "ExportFormat",
    "ExportResult",
    "defuse",
    "export",
    "format_for",
    "render",
    "write",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class ExportResult:
    """What an export wrote: where (None: standard output), in which format, how many rows (studies for
    RIS), which sheets."""

    path: Path | None
    fmt: ExportFormat
    rows: int
    sheets: tuple[str, ...] = ()


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            # built as object: Series.map would infer float64 and print a year beside a NULL as 2022.0
            out[col] = pd.Series([defuse(v) for v in out[col]], index=out.index, dtype=object)
    return out


def _markdown_cell(value: object) -> object:
    return " ".join(value.split()).replace("|", "\\|") if isinstance(value, str) else value


def render(frame: pd.DataFrame, fmt: ExportFormat, *, headers: bool = True) -> str:
    """A frame as text in one of the text formats (not RIS: that is written from studies).

    `headers=False` leaves out the header line of CSV, TSV and Markdown (JSON keys stay)."""
    if fmt in ("csv", "tsv"):
        return spreadsheet_safe(frame).to_csv(
            index=False, sep="," if fmt == "csv" else "\t", header=headers
        )
    if fmt == "json":
        return frame.to_json(orient="records", force_ascii=False, indent=1)
    if fmt == "nl":
        return frame.to_json(orient="records", force_ascii=False, lines=True)
    if fmt == "markdown":
        cells = frame.astype(object).where(frame.notna(), "").map(_markdown_cell)
        return cells.to_markdown(index=False, headers="keys" if headers else ())
    raise ExportError(f"{fmt} is not a text format of a table")


def write(
    frames: dict[str, pd.DataFrame], fmt: ExportFormat, target: str | Path | IO[bytes]
) -> Path | None:
    """Write one frame (or, for xlsx, one sheet per frame) to a file or a binary stream.

    A file is written beside the target under a temporary name and renamed over it when complete, so a
    failed export (a full disk, an interruption) never leaves a damaged or half-written file behind."""
    if fmt == "ris":
        raise ExportError("RIS is written from the studies: use export()")
    return _deliver(
        lambda out: _write_frames(frames, fmt, out), target, whole=fmt in BINARY_FORMATS
    )


def _write_frames(frames: dict[str, pd.DataFrame], fmt: ExportFormat, out: IO[bytes]) -> None:
    if fmt in BINARY_FORMATS:
        write_xlsx(frames, out)
    else:
        out.write(render(next(iter(frames.values())), fmt).encode("utf-8"))


def _deliver(
    produce: Callable[[IO[bytes]], None], target: str | Path | IO[bytes], *, whole: bool = False
) -> Path | None:
    """Write what `produce` writes to a file, under a temporary name renamed over it once complete; or to a
    stream (standard output), first into a spool when `whole` (a workbook: nothing reaches the stream
    unless all of it was made)."""
    if not isinstance(target, (str, Path)):
        if not whole:
            produce(target)
            return None
        with tempfile.SpooledTemporaryFile(max_size=64 << 20) as spool:
            produce(spool)
            spool.seek(0)
            shutil.copyfileobj(spool, target, 1 << 20)
        return None
    path = Path(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise ExportError(f"cannot write: {exc.strerror or exc}", path=str(path)) from exc
    try:
        with os.fdopen(fd, "wb") as out:
            produce(out)
        if path.exists():  # keep the permissions of the file replaced
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ExportError(f"cannot write: {exc.strerror or exc}", path=str(path)) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def pooled_sheet(store: EvidenceDB, filters: Filters | None = None) -> pd.DataFrame:
    """The `pooled` sheet: each rate the filters keep, pooled per regimen (db.pooling; statsmodels and scipy
    are loaded only here)."""
    from evidence_tables.db.pooling import pool, pooled_frame  # noqa: PLC0415

    measures = [
        m for m in POOLED_MEASURES if not filters or not filters.measures or m in filters.measures
    ]
    return pooled_frame([pool(store, m, filters) for m in measures])


def export(
    store: EvidenceDB,
    target: str | Path | IO[bytes],
    fmt: ExportFormat | None = None,
    *,
    filters: Filters | None = None,
    long: bool = False,
    all_studies: bool = False,
) -> ExportResult:
    """Write the evidence table (or, with `long`, one row per value) or the included studies as RIS.

    `target`: a file name (its suffix picks the format unless `fmt` is given), `-` or a binary stream
    (standard output: `fmt` is then required). `all_studies`: studies with no value passing the filters
    are included too (a row each, or a record).
    """
    if isinstance(target, (str, Path)) and str(target) == STDOUT:
        raise ExportError("pass the standard output stream itself, not '-'", path=STDOUT)
    if isinstance(target, (str, Path)):
        path = Path(target)
        named = SUFFIXES.get(path.suffix.lower().lstrip("."))
        if fmt and named and named != fmt:
            raise ExportError(
                f"asked for {fmt} but the file name ends {path.suffix}: change one of them",
                path=str(path),
            )
        fmt = fmt or format_for(path)
        if not path.parent.is_dir():  # before any work
            raise ExportError(f"cannot write: folder {path.parent} does not exist", path=str(path))
    elif fmt is None:
        raise ExportError("writing to a stream: name the format", path=STDOUT)
    if fmt == "ris":
        studies = studies_table(store, filters, all_studies=all_studies)
        text = ris(studies).encode("utf-8")

        def write_ris(out: IO[bytes]) -> None:
            out.write(text)

        written = _deliver(write_ris, target)
        return ExportResult(path=written, fmt=fmt, rows=len(studies))
    if long:
        frames = {"values": long_table(store, filters)}
    else:
        frames = {"evidence": wide_table(store, filters, all_studies=all_studies)}
        if fmt == "xlsx":
            frames["provenance"] = long_table(store, filters)
    if fmt == "xlsx":
        frames["pooled"] = pooled_sheet(store, filters)
    written = write(frames, fmt, target)
    return ExportResult(
        path=written, fmt=fmt, rows=len(next(iter(frames.values()))), sheets=tuple(frames)
    )
