"""Commands that fill the store: `import` (files, or standard input), `extract`, and the `demo`.

They load no pandas, openpyxl, matplotlib or httpx (nor, with --jobs 2 or more, spaCy), and neither
does an extraction worker (it imports the command's module again).
"""

from __future__ import annotations

import sys

import click

from evidence_tables import jobs
from evidence_tables.clikit import (
    MAX_LISTED,
    db_argument,
    example_measure,
    existing_db_argument,
    handle_errors,
    jobs_option,
    open_store,
    progress_bar,
    quiet_option,
    say_extracted,
    say_failed,
)
from evidence_tables.corpus.files import FORMATS as INPUT_FORMATS, Format


@click.command(name="import")
@db_argument
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, allow_dash=True))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(INPUT_FORMATS),
    help="Input format (default: detected per file).",
)
@click.option(
    "--verbose", "-v", is_flag=True, help="List every rejected record, not only the first 20."
)
@click.option(
    "--extract",
    "and_extract",
    is_flag=True,
    help="Extract values while importing (as `evidence extract` would after; faster on big inputs).",
)
@jobs_option("With --extract: processes to extract with.")
@quiet_option
@handle_errors
def import_(
    db_path: str,
    files: tuple[str, ...],
    fmt: Format | None,
    verbose: bool,
    and_extract: bool,
    n_jobs: int,
    quiet: bool,
) -> None:
    """Import abstracts from PubMed XML (.xml, .xml.gz), MEDLINE/nbib, JSONL or plain-text files.

    Re-importing the same record changes nothing; a changed abstract replaces the
    old one and is re-extracted by the next `extract` (or at once, with --extract).
    Bad records are reported and skipped; the exit status is 1 if any were.

    Examples: evidence import reviews.db pubmed_result.xml export.nbib
              evidence import baseline.db pubmed25n*.xml.gz --extract --jobs 2
    """
    if n_jobs > 1 and not and_extract:
        raise click.UsageError("--jobs is for --extract (importing itself runs in one process)")
    store = open_store(db_path)
    with progress_bar(
        quiet, unit="records", desc="import + extract" if and_extract else "import"
    ) as bar:
        if and_extract:
            report, extracted = jobs.import_and_extract(
                store,
                files,
                fmt=fmt,
                jobs=n_jobs,
                progress=bar.update,
                on_file=lambda f: bar.set_postfix_str(f.name),
            )
        else:
            report = jobs.import_files(
                store,
                files,
                fmt=fmt,
                progress=bar.update,
                on_file=lambda f: bar.set_postfix_str(f.name),
            )
    if not quiet:
        c = report.counts()
        click.echo(
            f"{db_path}: {c['added']} added, {c['changed']} changed, {c['metadata_updated']} metadata updated, "
            f"{c['unchanged']} unchanged, {c['deleted']} deleted, {c['no_abstract']} without abstract (skipped), "
            f"{c['rejected']} rejected",
            err=True,
        )
        if c["reviews_moved"] or c["reviews_orphaned"]:
            click.echo(
                f"  review decisions on changed abstracts: {c['reviews_moved']} moved with their text, "
                f"{c['reviews_orphaned']} orphaned (text around them changed; see evidence review "
                f"{db_path})",
                err=True,
            )
    for i, problem in enumerate(report.rejected):
        if i == MAX_LISTED and not verbose:
            click.echo(
                f"  ... and {len(report.rejected) - MAX_LISTED} more rejected (use --verbose)",
                err=True,
            )
            break
        click.echo(f"  rejected {problem}", err=True)
    for failure in report.failed_files:
        click.echo(f"  file failed: {failure}", err=True)
    if and_extract:
        if not quiet and extracted.studies == 0 and extracted.ok:
            click.echo(f"{db_path}: nothing to extract, every study is up to date", err=True)
        elif not quiet:
            say_extracted(db_path, extracted)
        say_failed(extracted)
    if not report.ok or (and_extract and not extracted.ok):
        sys.exit(1)


@click.command()
@existing_db_argument
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Re-extract every study, not only new or changed ones.",
)
@jobs_option("Processes to extract with (results are identical for any number).")
@click.option(
    "--no-gate",
    is_flag=True,
    help="Parse every sentence, not only those that can hold a value "
    "(slower; for checking that the gate changes nothing).",
)
@quiet_option
@handle_errors
def extract(db_path: str, everything: bool, n_jobs: int, no_gate: bool, quiet: bool) -> None:
    """Extract cohort size, relapse rate, median OS and CR rates from studies not yet processed.

    Example: evidence extract reviews.db --jobs 2
    """
    store = open_store(db_path)
    with progress_bar(quiet, unit="studies", desc="extract") as bar:
        report = jobs.extract_pending(
            store,
            everything=everything,
            jobs=n_jobs,
            gate=not no_gate,
            progress=bar.update,
            on_total=lambda n: setattr(bar, "total", n),
        )
    if not quiet:
        if report.studies == 0 and report.ok:
            if not store.count("studies"):
                click.echo(
                    f"{db_path}: no studies yet (add some with: evidence import {db_path} FILE...)",
                    err=True,
                )
            else:
                click.echo(
                    f"{db_path}: nothing to extract, every study is up to date (--all re-extracts them)",
                    err=True,
                )
        else:
            say_extracted(db_path, report)
    say_failed(report)
    if not report.ok:
        sys.exit(1)


@click.command()
@click.option(
    "--db",
    "db_path",
    default="evidence-demo.db",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="Where to build the demo database.",
)
@quiet_option
@handle_errors
def demo(db_path: str, quiet: bool) -> None:
    """Build a demo database from the bundled hematology/oncology abstracts and print its evidence table.

    No network needed. Example: evidence demo
    """
    from evidence_tables.db.tables import wide_table  # noqa: PLC0415  (pandas, only when run)
    from evidence_tables.demo import demo_corpus  # noqa: PLC0415
    from evidence_tables.output import emit_evidence  # noqa: PLC0415

    store = open_store(db_path)
    with progress_bar(quiet, unit="records", desc="import") as bar:
        report = jobs.import_files(store, [demo_corpus()], progress=bar.update)
    with progress_bar(quiet, unit="studies", desc="extract") as bar:
        extracted = jobs.extract_pending(
            store, progress=bar.update, on_total=lambda n: setattr(bar, "total", n)
        )
    if not quiet:
        click.echo(
            f"{db_path}: {store.count('studies')} studies ({report.added} new), "
            f"{extracted.studies} extracted, {store.count('outcomes')} values stored",
            err=True,
        )
    emit_evidence(wide_table(store))
    if not quiet:
        click.echo(
            f"\nNext:\n  evidence export {db_path} -o evidence.xlsx\n"
            f"  evidence plot {db_path} --measure {example_measure()} -o cr.png\n"
            f"  evidence review {db_path}",
            err=True,
        )
