"""The formats a table is written in, and how a file name asks for one (no pandas: the CLI's help reads it)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from evidence_tables.db.errors import StoreError

ExportFormat = Literal["csv", "tsv", "xlsx", "json", "nl", "markdown", "ris"]
FORMATS: tuple[ExportFormat, ...] = ("csv", "tsv", "xlsx", "json", "nl", "markdown", "ris")
# Formats a table is printed in (sqlite-utils' names: `nl` is newline-delimited JSON, one object a line).
TEXT_FORMATS: tuple[ExportFormat, ...] = ("csv", "tsv", "json", "nl", "markdown")
BINARY_FORMATS: tuple[ExportFormat, ...] = ("xlsx",)
SUFFIXES: dict[str, ExportFormat] = {
    "csv": "csv",
    "tsv": "tsv",
    "tab": "tsv",
    "xlsx": "xlsx",
    "json": "json",
    "jsonl": "nl",
    "ndjson": "nl",
    "md": "markdown",
    "markdown": "markdown",
    "ris": "ris",
}
STDOUT = "-"  # as a file name: standard output
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # text a spreadsheet would run as a formula


def defuse(value: object) -> object:
    """Text that a spreadsheet would run as a formula is prefixed with an apostrophe (CSV, TSV)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class ExportError(StoreError):
    """An export cannot be written (unknown format, unwritable path)."""


def format_for(path: str | Path) -> ExportFormat:
    """The format a file name asks for (`.csv`, `.tsv`, `.xlsx`, `.json`, `.jsonl`, `.md`, `.ris`)."""
    if str(path) == STDOUT:
        raise ExportError(
            "writing to standard output: name the format (export --format csv, or table --csv)",
            path=STDOUT,
        )
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in SUFFIXES:
        raise ExportError(
            f"cannot tell the format from the name: use one of .{', .'.join(SUFFIXES)}, or name the "
            "format (export --format, table --csv/--tsv/--json/--nl/--markdown/--xlsx)",
            path=str(path),
        )
    return SUFFIXES[suffix]
