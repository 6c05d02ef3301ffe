"""Commands that read the evidence back: `table`, `export`, `plot`, `metadata` (thin; the work is in db/ and plot.py)."""
from __future__ import annotations

import json
from pathlib import Path

import click

from evidence_tables.db import export as exporter
from evidence_tables.db.filters import PLOTTED_MEASURES, Filters
from evidence_tables.db.tables import long_table, wide_table
from evidence_tables.clikit import existing_db_argument, filter_options, handle_errors, open_store, state_notes
from evidence_tables.output import emit_evidence

long_option = click.option("--long", "long_", is_flag=True,
                           help="One row per value with its provenance (sentence, offsets, rule, flags, evidence).")


@click.command()
@existing_db_argument
@long_option
@click.option("--csv", "fmts", flag_value="csv", multiple=True, help="Write CSV.")
@click.option("--xlsx", "fmts", flag_value="xlsx", multiple=True, help="Write an Excel workbook (needs -o).")
@click.option("--json", "fmts", flag_value="json", multiple=True, help="Write JSON records.")
@click.option("--markdown", "fmts", flag_value="markdown", multiple=True, help="Write a Markdown table.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file instead of the terminal.")
@click.option("--all-studies", is_flag=True, help="Also a row for each study with no value shown (nothing extracted).")
@filter_options()
@handle_errors
def table(db_path: str, long_: bool, fmts: tuple[str, ...], output: str | None, all_studies: bool,
          filters: Filters) -> None:
    """Show the evidence table: one row per study and group, reviewers' corrections applied.

    On the terminal the table is shortened to fit; --csv/--json/--markdown print every
    column, and -o FILE writes it (an .xlsx gets a second sheet with the provenance of
    every value). Rejected values are left out here; --long lists them, marked.

    Example: evidence table reviews.db --measure cr_rate --regimen R-CHOP --min-cohort 50
    """
    if len(set(fmts)) > 1:
        raise click.UsageError("choose one of --csv, --xlsx, --json and --markdown")
    fmt = fmts[0] if fmts else None
    store = open_store(db_path)
    state_notes(store, db_path)
    if output:
        _report(exporter.export(store, output, fmt or exporter.format_for(output), filters=filters,  # type: ignore[arg-type]
                                long=long_, all_studies=all_studies))
        return
    if fmt == "xlsx":
        raise click.UsageError("--xlsx writes a file: add -o FILE.xlsx")
    frame = long_table(store, filters) if long_ else wide_table(store, filters, all_studies=all_studies)
    if fmt:
        click.echo(exporter.render(frame, fmt))  # type: ignore[arg-type]
    else:
        emit_evidence(frame, long=long_)


@click.command()
@existing_db_argument
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="File to write; its suffix picks the format (.xlsx .csv .json .md .ris).")
@click.option("--format", "fmt", type=click.Choice(exporter.FORMATS), help="Format, when the suffix does not say.")
@long_option
@click.option("--all-studies", is_flag=True, help="Also every study with no value shown (a row each; all in RIS).")
@filter_options()
@handle_errors
def export(db_path: str, output: str, fmt: str | None, long_: bool, all_studies: bool, filters: Filters) -> None:
    """Export the evidence table with every column: Excel, CSV, JSON, Markdown, or RIS of the included studies.

    An Excel file has two sheets: `evidence` (one row per study and group) and
    `provenance` (one row per value: evidence text, sentence, offsets, rule, flags,
    review). Text is stored as text: no cell becomes a formula.

    Example: evidence export reviews.db -o evidence.xlsx
    """
    store = open_store(db_path)
    state_notes(store, db_path)
    _report(exporter.export(store, output, fmt, filters=filters, long=long_,  # type: ignore[arg-type]
                            all_studies=all_studies))


@click.command()
@existing_db_argument
@click.option("--measure", required=True, type=click.Choice(PLOTTED_MEASURES), help="The measure to plot.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="Picture to write: .png, .svg (text stays text) or .pdf.")
@click.option("--title", help="Title instead of the one made from the measure and counts.")
@filter_options(measure=False)
@handle_errors
def plot(db_path: str, measure: str, output: str, title: str | None, filters: Filters) -> None:
    """Draw a forest-style dot plot of one measure: a row per study and group, grouped by regimen.

    CI bars where the abstract gives them; value and n/N beside each row; median OS
    in months whatever unit the abstract used; corrected values in their own colour,
    rejected ones left out. The filters choose the rows.

    Example: evidence plot reviews.db --measure cr_rate --min-cohort 20 -o cr.png
    """
    from evidence_tables.plot import SUFFIXES, forest_figure, forest_rows, plotted_count, save_figure  # noqa: PLC0415

    if Path(output).suffix.lower() not in SUFFIXES:
        raise click.BadParameter(f"write a {', '.join(SUFFIXES)} file", param_hint="-o/--output")
    store = open_store(db_path)
    state_notes(store, db_path)
    rows = forest_rows(store, measure, filters)
    if not rows:
        raise click.ClickException(f"nothing to plot: no {measure} value passes the filters")
    path = save_figure(forest_figure(rows, measure, title=title), output)
    studies = len({r.study_id for r in rows})
    click.echo(f"wrote {path}: {len(rows)} rows ({plotted_count(rows)} with a point) from {studies} studies", err=True)


def _report(result: exporter.ExportResult) -> None:
    what = "studies" if result.fmt == "ris" else "rows"
    sheets = f" (sheets: {', '.join(result.sheets)})" if len(result.sheets) > 1 else ""
    click.echo(f"wrote {result.rows} {what} to {result.path}{sheets}", err=True)


@click.command()
@existing_db_argument
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="JSON file to write.")
@handle_errors
def metadata(db_path: str, output: str) -> None:
    """Write Datasette metadata: column descriptions and canned queries (CR rate by regimen, ...).

    Then browse with Datasette (installed separately: pip install datasette).

    Example: evidence metadata reviews.db -o metadata.json && datasette reviews.db -m metadata.json
    """
    from evidence_tables.db.metadata import datasette_metadata  # noqa: PLC0415

    open_store(db_path).close()  # brings the schema up to date: the canned queries read its views
    try:
        Path(output).write_text(json.dumps(datasette_metadata(db_path), indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise click.FileError(output, hint=exc.strerror or str(exc)) from exc
    click.echo(f"wrote {output}: datasette {db_path} -m {output}", err=True)
