"""Commands that read the evidence back: `table`, `explain`, `export`, `plot`, `sql`, `metadata`.

Thin: the work is in db/, output.py and plot.py, imported when a command runs, so that each
command's --help loads no pandas, openpyxl or matplotlib.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING

import click

from evidence_tables.clikit import (
    MeasureChoice,
    existing_db_argument,
    filter_options,
    handle_errors,
    open_store,
    output_options,
    state_notes,
    with_example,
)
from evidence_tables.db.filters import GROUPINGS, PLOTTED_MEASURES, POOLED_MEASURES, Filters
from evidence_tables.db.formats import FORMATS, STDOUT

if TYPE_CHECKING:
    from evidence_tables.db.export import ExportResult

PLOT_EXTRA = (
    "plots need matplotlib, installed with the plot extra: pip install 'evidence-tables[plot]'"
)
DEFAULT_SQL_TIMEOUT: float = 60  # seconds of SQLite's work before `evidence sql` stops a query

long_option = click.option(
    "--long",
    "long_",
    is_flag=True,
    help="One row per value with its provenance (sentence, offsets, rule, flags, evidence).",
)


@click.command()
@existing_db_argument
@long_option
@output_options(xlsx=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Write to this file (its suffix picks the format) instead of the terminal; - is standard output.",
)
@click.option(
    "--all-studies",
    is_flag=True,
    help="Also a row for each study with no value shown (nothing extracted).",
)
@filter_options()
@handle_errors
@with_example
def table(
    db_path: str,
    long_: bool,
    fmt: str | None,
    headers: bool,
    output: str | None,
    all_studies: bool,
    filters: Filters,
) -> None:
    """Show the evidence table: one row per study and group, reviewers' corrections applied.

    On the terminal the table is shortened to fit; --csv/--tsv/--json/--nl/--markdown
    print every column, and -o FILE writes it (an .xlsx gets a second sheet with the
    provenance of every value). Rejected values are left out here; --long lists them, marked.

    Example: evidence table reviews.db --measure {measure} --regimen R-CHOP --min-cohort 50
    """
    from evidence_tables.db import export as exporter  # noqa: PLC0415  (pandas, only when run)
    from evidence_tables.db.tables import long_table, wide_table  # noqa: PLC0415
    from evidence_tables.output import binary_stdout, emit_table  # noqa: PLC0415

    store = open_store(db_path)
    state_notes(store, db_path)
    if output and output != STDOUT:
        if not headers:
            raise click.UsageError("--no-headers is for printed tables, not files")
        _report(
            exporter.export(
                store,
                output,
                fmt or exporter.format_for(output),  # type: ignore[arg-type]
                filters=filters,
                long=long_,
                all_studies=all_studies,
            )
        )
        return
    if fmt == "xlsx":
        if output != STDOUT:
            raise click.UsageError("--xlsx writes a file: add -o FILE.xlsx (or -o - to pipe it on)")
        exporter.export(
            store,
            binary_stdout(),  # type: ignore[arg-type]
            "xlsx",
            filters=filters,
            long=long_,
            all_studies=all_studies,
        )
        return
    frame = (
        long_table(store, filters) if long_ else wide_table(store, filters, all_studies=all_studies)
    )
    emit_table(frame, fmt, long=long_, headers=headers)


@click.command()
@existing_db_argument
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, allow_dash=True),
    help="File to write; its suffix picks the format (.xlsx .csv .tsv .json .jsonl .md .ris); "
    "- is standard output (with --format).",
)
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), help="Format, when the suffix does not say."
)
@long_option
@click.option(
    "--all-studies",
    is_flag=True,
    help="Also every study with no value shown (a row each; all in RIS).",
)
@filter_options()
@handle_errors
def export(
    db_path: str, output: str, fmt: str | None, long_: bool, all_studies: bool, filters: Filters
) -> None:
    """Export the evidence table with every column: Excel, CSV, TSV, JSON, Markdown, or RIS of the studies.

    An Excel file has two sheets: `evidence` (one row per study and group) and
    `provenance` (one row per value: evidence text, sentence, offsets, rule, flags,
    review). Text is stored as text: no cell becomes a formula. The file is written
    whole, then put in place: a failed export leaves an earlier file as it was.

    Example: evidence export reviews.db -o evidence.xlsx
    """
    from evidence_tables.db import export as exporter  # noqa: PLC0415  (pandas, only when run)
    from evidence_tables.output import binary_stdout  # noqa: PLC0415

    store = open_store(db_path)
    state_notes(store, db_path)
    target: str | IO[bytes] = output
    if output == STDOUT:
        if fmt is None:
            raise click.UsageError(
                "writing to standard output (-o -): name the format with --format"
            )
        target = binary_stdout() if fmt == "xlsx" else sys.stdout.buffer  # type: ignore[assignment]
    result = exporter.export(
        store,
        target,
        fmt,  # type: ignore[arg-type]
        filters=filters,
        long=long_,
        all_studies=all_studies,
    )
    sys.stdout.flush()
    _report(result)


@click.command()
@existing_db_argument
@click.option(
    "--measure", required=True, type=MeasureChoice(PLOTTED_MEASURES), help="The measure to plot."
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="Picture to write: .png, .svg (text stays text) or .pdf.",
)
@click.option("--title", help="Title instead of the one made from the measure and counts.")
@click.option(
    "--pooled",
    is_flag=True,
    help="A rate pooled per regimen: the studies that count, their weights, a diamond per regimen.",
)
@click.option(
    "--by",
    type=click.Choice(GROUPINGS),
    default="regimen",
    show_default=True,
    help="Headings (and pools) per canonical regimen (else the group), or per group.",
)
@click.option(
    "--rows-per-page",
    type=click.IntRange(min=0),
    default=50,
    show_default=True,
    metavar="N",
    help="Lines on a page before the next page (name-2.png, ...; pages of one .pdf); 0: one page.",
)
@filter_options(measure=False)
@handle_errors
@with_example
def plot(
    db_path: str,
    measure: str,
    output: str,
    title: str | None,
    pooled: bool,
    by: str,
    rows_per_page: int,
    filters: Filters,
) -> None:
    """Draw a forest plot of one measure: a row per study and group, under regimen headings.

    CI bars where the abstract gives them (for a rate with counts, else the exact CI);
    value, n/N or the group's n beside each row; median OS in months whatever unit the
    abstract used; corrected values in their own colour, rejected ones left out. With
    --pooled (CR and relapse rates), the studies `evidence pool` counts, sized by
    weight, and a diamond per regimen with its I², tau² and p. A plot of more lines than
    --rows-per-page is split into pages. Needs the plot extra (matplotlib):
    pip install 'evidence-tables[plot]'.

    Example: evidence plot reviews.db --measure {measure} --pooled -o cr.png
    """
    try:
        from evidence_tables.plot import (  # noqa: PLC0415
            ROWS_PER_PAGE,
            SUFFIXES,
            forest_pages,
            forest_rows,
            lines_of,
            plotted_count,
            pooled_rows,
            save_pages,
        )
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.split(".")[0] == "matplotlib":
            raise click.ClickException(PLOT_EXTRA) from exc
        raise

    if Path(output).suffix.lower() not in SUFFIXES:
        raise click.BadParameter(f"write a {', '.join(SUFFIXES)} file", param_hint="-o/--output")
    if pooled and measure not in POOLED_MEASURES:
        raise click.BadParameter(
            f"only a rate is pooled: {', '.join(POOLED_MEASURES)}", param_hint="--measure"
        )
    store = open_store(db_path)
    state_notes(store, db_path)
    notes: tuple[str, ...] = ()
    pools = None
    if pooled:
        rows, pools, report = pooled_rows(store, measure, filters, by=by)
        left = sum(len(p.skipped) for p in report.pools) + len(report.unassigned)
        if left:
            notes = (
                f"{left} value{'s' if left != 1 else ''} left out: see evidence pool {db_path} --measure {measure}",
            )
    else:
        rows = forest_rows(store, measure, filters, by=by)
    if not rows:
        what = "that counts (see evidence pool)" if pooled else "passes the filters"
        raise click.ClickException(f"nothing to plot: no {measure} value {what}")
    lines = len(lines_of(rows, pools))
    if rows_per_page == 0 and lines > ROWS_PER_PAGE:
        click.echo(
            f"warning: {lines} lines on one page make a picture about {int((lines + 6) * 0.28 * 150):,} "
            "pixels tall; --rows-per-page 50 splits it into pages",
            err=True,
        )
    figures = forest_pages(
        rows, measure, pooled=pools, title=title, per_page=rows_per_page, notes=notes
    )
    paths = save_pages(figures, output)
    studies = len({r.study_id for r in rows})
    where = str(paths[0]) if len(paths) == 1 else f"{len(paths)} pages, {paths[0]} to {paths[-1]}"
    pages = f" ({len(figures)} pages)" if len(paths) < len(figures) else ""
    diamonds = f", {len(pools)} pooled" if pools is not None else ""
    click.echo(
        f"wrote {where}{pages}: {len(rows)} rows ({plotted_count(rows)} with a point) from {studies} studies"
        f"{diamonds}",
        err=True,
    )


@click.command()
@existing_db_argument
@click.argument("query")
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    nargs=2,
    metavar="NAME VALUE",
    help="A named parameter, :NAME in the query (repeat for several).",
)
@output_options()
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=DEFAULT_SQL_TIMEOUT,
    show_default=True,
    metavar="SECONDS",
    help="Stop the query after this much work by SQLite (0: no limit).",
)
@handle_errors
@with_example
def sql(
    db_path: str,
    query: str,
    params: tuple[tuple[str, str], ...],
    fmt: str | None,
    headers: bool,
    timeout: float,
) -> None:
    """Run a read-only SQL query and print the result.

    Rows are printed as SQLite returns them (any size of result, in the memory of a few hundred rows).
    Ctrl-C stops the query, however long it runs.

    Example: evidence sql reviews.db "select * from outcomes where measure = :m" -p m {measure} --csv
    """
    from evidence_tables.db.errors import QueryStopped  # noqa: PLC0415
    from evidence_tables.signals import diverted, reraise  # noqa: PLC0415
    from evidence_tables.streaming import write_rows  # noqa: PLC0415

    store = open_store(db_path)
    try:
        with (
            store.stream(query, dict(params) if params else None, timeout=timeout or None) as rows,
            diverted(rows.stop),
        ):  # before the statement starts: SQLite may work long before its first row
            write_rows(rows.columns, rows, fmt, sys.stdout, headers=headers)
    except QueryStopped as exc:
        if exc.why == "timeout":
            raise
        raise reraise(exc.why, "Interrupted: the query was stopped.") from exc


@click.command()
@existing_db_argument
@click.argument("study_id")
@click.option(
    "--width",
    default=100,
    show_default=True,
    type=click.IntRange(min=20),
    help="Wrap the abstract at this width.",
)
@handle_errors
def explain(db_path: str, study_id: str, width: int) -> None:
    """Print one study's abstract with every extracted value marked: measure, value, group and rule id.

    Example: evidence explain evidence-demo.db demo-02
    """
    from evidence_tables.explain import explain as render  # noqa: PLC0415

    store = open_store(db_path)
    study = store.study(study_id)
    if study is None:
        click.echo(f"Error: no study {study_id!r} in {db_path}", err=True)
        sys.exit(1)
    click.echo(render(study, store.outcomes(study_id), width=width))


def _report(result: ExportResult) -> None:
    what = "studies" if result.fmt == "ris" else "rows"
    sheets = f" (sheets: {', '.join(result.sheets)})" if len(result.sheets) > 1 else ""
    where = result.path if result.path is not None else "standard output"
    click.echo(f"wrote {result.rows} {what} to {where}{sheets}", err=True)


@click.command()
@existing_db_argument
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="JSON file to write."
)
@handle_errors
def metadata(db_path: str, output: str) -> None:
    """Write Datasette metadata: column descriptions and canned queries (CR rate by regimen, ...).

    Then browse with Datasette (installed with evidence; `evidence serve DB` does both, with review pages).

    Example: evidence metadata reviews.db -o metadata.json && datasette reviews.db -m metadata.json
    """
    from evidence_tables.db.metadata import datasette_metadata  # noqa: PLC0415

    open_store(db_path).close()  # brings the schema up to date: the canned queries read its views
    try:
        Path(output).write_text(
            json.dumps(datasette_metadata(db_path), indent=2) + "\n", encoding="utf-8"
        )
    except OSError as exc:
        raise click.FileError(output, hint=exc.strerror or str(exc)) from exc
    click.echo(f"wrote {output}: datasette {db_path} -m {output}", err=True)


__all__ = ["explain", "export", "metadata", "plot", "sql", "table"]
