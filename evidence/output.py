"""Terminal rendering: tables, exports and progress bars (the only place output is formatted)."""
from __future__ import annotations

import sys
from contextlib import contextmanager
from collections.abc import Iterator

import click
import pandas as pd
from tqdm import tqdm

from db import export as exporter


def emit_frame(frame: pd.DataFrame, fmt: str | None, output: str | None, *, sheet: str) -> None:
    """Print a frame to the terminal, or write it in `fmt` to `output`."""
    if fmt == "xlsx" and not output:
        raise click.UsageError("--xlsx writes a file: add -o FILE.xlsx")
    if output:
        fmt = fmt or _format_from_suffix(output)
        path = exporter.write({sheet: frame}, fmt, output)  # type: ignore[arg-type]
        click.echo(f"wrote {len(frame)} rows to {path}", err=True)
        return
    if fmt:
        click.echo(exporter.render(frame, fmt))  # type: ignore[arg-type]
        return
    if frame.empty:
        click.echo("(no rows)")
        return
    with pd.option_context("display.width", 200, "display.max_columns", None, "display.max_colwidth", 70):
        click.echo(frame.to_string(index=False, na_rep=""))


def _format_from_suffix(output: str) -> str:
    suffix = output.rsplit(".", 1)[-1].lower()
    known = {"csv": "csv", "xlsx": "xlsx", "json": "json", "md": "markdown", "markdown": "markdown"}
    if suffix not in known:
        raise click.UsageError(f"cannot tell the format of {output}: use --csv, --xlsx, --json or --markdown")
    return known[suffix]


@contextmanager
def progress_bar(quiet: bool, *, unit: str, desc: str, total: int | None = None) -> Iterator[tqdm]:
    """A progress bar on stderr (hidden with --quiet or when stderr is not a terminal)."""
    bar = tqdm(total=total, unit=f" {unit}", desc=desc, file=sys.stderr, disable=True if quiet else None,
               dynamic_ncols=True, leave=False)
    try:
        yield bar
    finally:
        bar.close()
