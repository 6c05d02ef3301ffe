"""Terminal rendering: tables, exports and progress bars (the only place output is formatted)."""
from __future__ import annotations

import click
import pandas as pd

from evidence_tables.db import export as exporter
from evidence_tables.display import LEGEND, long_lines, wide_lines
from evidence_tables.clikit import terminal_width


def emit_frame(frame: pd.DataFrame, fmt: str | None) -> None:
    """Print any frame (a query result): as CSV, JSON or Markdown, or as plain text."""
    if fmt:
        click.echo(exporter.render(frame, fmt))  # type: ignore[arg-type]
        return
    if frame.empty:
        click.echo("(no rows)")
        return
    with pd.option_context("display.width", 200, "display.max_columns", None, "display.max_colwidth", 70):
        click.echo(frame.to_string(index=False, na_rep=""))


def emit_evidence(frame: pd.DataFrame, *, long: bool = False) -> None:
    """The wide (or long) evidence table, shortened to fit the terminal; the legend of its marks on stderr."""
    if frame.empty:
        click.echo("(no rows)")
        return
    width = terminal_width()
    lines = long_lines(frame, width) if long else wide_lines(frame, width)
    click.echo("\n".join(lines))
    corrected = frame["review_status"].fillna("").str.contains("corrected").any()
    if not long and (corrected or frame["flags"].notna().any()):
        click.echo(LEGEND, err=True)
