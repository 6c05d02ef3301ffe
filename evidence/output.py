"""Terminal rendering: tables and query results in the shared output formats (the only place output is formatted)."""

from __future__ import annotations

import sys

import click
import pandas as pd

from evidence_tables.clikit import terminal_width
from evidence_tables.db import export as exporter
from evidence_tables.display import LEGEND, long_lines, wide_lines


def emit_frame(frame: pd.DataFrame, fmt: str | None, *, headers: bool = True) -> None:
    """Print any frame (a query result): in one of the text formats, or as plain aligned text."""
    if fmt:
        _emit_text(exporter.render(frame, fmt, headers=headers))  # type: ignore[arg-type]
        return
    if frame.empty:
        click.echo("(no rows)")
        return
    with pd.option_context(
        "display.width", 200, "display.max_columns", None, "display.max_colwidth", 70
    ):
        click.echo(frame.to_string(index=False, na_rep="", header=headers))


def emit_evidence(frame: pd.DataFrame, *, long: bool = False, headers: bool = True) -> None:
    """The wide (or long) evidence table, shortened to fit the terminal; the legend of its marks on stderr."""
    if frame.empty:
        click.echo("(no rows)")
        return
    width = terminal_width()
    lines = long_lines(frame, width) if long else wide_lines(frame, width)
    click.echo("\n".join(lines if headers else lines[1:]))
    corrected = frame["review_status"].fillna("").str.contains("corrected").any()
    if not long and (corrected or frame["flags"].notna().any()):
        click.echo(LEGEND, err=True)


def emit_table(
    frame: pd.DataFrame, fmt: str | None, *, long: bool = False, headers: bool = True
) -> None:
    """An evidence table in a chosen text format (every column), or fitted to the terminal."""
    if fmt:
        _emit_text(exporter.render(frame, fmt, headers=headers))  # type: ignore[arg-type]
    else:
        emit_evidence(frame, long=long, headers=headers)


def _emit_text(text: str) -> None:
    click.echo(text, nl=not text.endswith("\n"))


def binary_stdout() -> object:
    """Standard output as bytes (an Excel workbook piped on); refused on a terminal."""
    if sys.stdout.isatty():
        raise click.UsageError(
            "an Excel workbook is binary: redirect it to a file or a pipe (-o - > out.xlsx)"
        )
    return sys.stdout.buffer
