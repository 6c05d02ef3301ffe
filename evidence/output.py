"""Terminal rendering: tables, exports and progress bars (the only place output is formatted)."""
from __future__ import annotations

import shutil
import sys
from contextlib import contextmanager
from collections.abc import Iterator

import click
import pandas as pd
from tqdm import tqdm

from db import export as exporter
from evidence.display import LEGEND, long_lines, wide_lines

FALLBACK_WIDTH = 120  # when the output is not a terminal (a pipe, a file)


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


def terminal_width() -> int:
    """Columns of the terminal ($COLUMNS first); FALLBACK_WIDTH when the output is a pipe or a file."""
    return shutil.get_terminal_size((FALLBACK_WIDTH, 24)).columns


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


@contextmanager
def progress_bar(quiet: bool, *, unit: str, desc: str, total: int | None = None) -> Iterator[tqdm]:
    """A progress bar on stderr (hidden with --quiet or when stderr is not a terminal)."""
    bar = tqdm(total=total, unit=f" {unit}", desc=desc, file=sys.stderr, disable=True if quiet else None,
               dynamic_ncols=True, leave=False)
    try:
        yield bar
    finally:
        bar.close()
