"""The `evidence` command: thin commands over the corpus, extractor and db libraries.

Only this package prints. Exit codes: 0 done; 1 done, but some records or files
failed (each named on stderr); 2 usage error; 130 interrupted (what was done is kept).
"""
from __future__ import annotations

import importlib
import sys
from pathlib import Path

import click

from evidence_tables.corpus.files import FORMATS as INPUT_FORMATS
from evidence_tables import jobs
from evidence_tables.clikit import db_argument, existing_db_argument, handle_errors, open_store, progress_bar, quiet_option

MAX_LISTED = 20
# Commands kept in their own modules, imported when run (or listed by --help): `import` and `extract`
# then load no pandas, openpyxl, matplotlib or httpx, and neither does each extraction worker forked
# from them (about 60 MB less per process).
LAZY = {
    "table": "evidence_tables.read_cli:table", "export": "evidence_tables.read_cli:export", "plot": "evidence_tables.read_cli:plot",
    "metadata": "evidence_tables.read_cli:metadata", "review": "evidence_tables.review_cli:review",
    "mark": "evidence_tables.review_cli:mark", "fetch": "evidence_tables.fetch_cli:fetch", "run": "evidence_tables.fetch_cli:run_",
}


class LazyGroup(click.Group):
    """A click group whose LAZY commands are imported on first use (click's documented lazy-loading pattern)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY and cmd_name not in self.commands:
            module, name = LAZY[cmd_name].split(":")
            self.add_command(getattr(importlib.import_module(module), name), cmd_name)
        return super().get_command(ctx, cmd_name)

    def resolve_command(self, ctx: click.Context,
                        args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.exceptions.NoSuchCommand as exc:  # suggest lazy commands too ('Did you mean table?')
            raise click.exceptions.NoSuchCommand(exc.command_name, possibilities=self.list_commands(ctx),
                                                 ctx=ctx) from None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="evidence-tables")
def cli() -> None:
    """Literature-to-evidence tables: import abstracts, extract outcome values with provenance, read them back.

    Example: evidence demo
    """


@cli.command(name="import")
@db_argument
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--format", "fmt", type=click.Choice(INPUT_FORMATS), help="Input format (default: detected per file).")
@click.option("--verbose", "-v", is_flag=True, help="List every rejected record, not only the first 20.")
@click.option("--extract", "and_extract", is_flag=True,
              help="Extract values while importing (as `evidence extract` would after; faster on big inputs).")
@click.option("--jobs", "-j", "n_jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="With --extract: processes to extract with.")
@quiet_option
@handle_errors
def import_(db_path: str, files: tuple[str, ...], fmt: str | None, verbose: bool, and_extract: bool, n_jobs: int,
            quiet: bool) -> None:
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
    with progress_bar(quiet, unit="records", desc="import + extract" if and_extract else "import") as bar:
        if and_extract:
            report, extracted = jobs.import_and_extract(store, files, fmt=fmt, jobs=n_jobs, progress=bar.update,
                                                        on_file=lambda f: bar.set_postfix_str(f.name))
        else:
            report = jobs.import_files(store, files, fmt=fmt, progress=bar.update,  # type: ignore[arg-type]
                                       on_file=lambda f: bar.set_postfix_str(f.name))
    if not quiet:
        c = report.counts()
        click.echo(f"{db_path}: {c['added']} added, {c['changed']} changed, {c['metadata_updated']} metadata updated, "
                   f"{c['unchanged']} unchanged, {c['deleted']} deleted, {c['no_abstract']} without abstract (skipped), "
                   f"{c['rejected']} rejected", err=True)
        if c["reviews_moved"] or c["reviews_orphaned"]:
            click.echo(f"  review decisions on changed abstracts: {c['reviews_moved']} moved with their text, "
                       f"{c['reviews_orphaned']} orphaned (text around them changed; see evidence review "
                       f"{db_path})", err=True)
    for i, problem in enumerate(report.rejected):
        if i == MAX_LISTED and not verbose:
            click.echo(f"  ... and {len(report.rejected) - MAX_LISTED} more rejected (use --verbose)", err=True)
            break
        click.echo(f"  rejected {problem}", err=True)
    for failure in report.failed_files:
        click.echo(f"  file failed: {failure}", err=True)
    if and_extract:
        if not quiet and extracted.studies == 0 and extracted.ok:
            click.echo(f"{db_path}: nothing to extract, every study is up to date", err=True)
        elif not quiet:
            _say_extracted(db_path, extracted)
        say_failed(extracted)
    if not report.ok or (and_extract and not extracted.ok):
        sys.exit(1)


@cli.command()
@existing_db_argument
@click.option("--all", "everything", is_flag=True, help="Re-extract every study, not only new or changed ones.")
@click.option("--jobs", "-j", "n_jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Processes to extract with (results are identical for any number).")
@click.option("--no-gate", is_flag=True, help="Parse every sentence, not only those that can hold a value "
              "(slower; for checking that the gate changes nothing).")
@quiet_option
@handle_errors
def extract(db_path: str, everything: bool, n_jobs: int, no_gate: bool, quiet: bool) -> None:
    """Extract cohort size, relapse rate, median OS and CR rates from studies not yet processed.

    Example: evidence extract reviews.db --jobs 2
    """
    store = open_store(db_path)
    with progress_bar(quiet, unit="studies", desc="extract") as bar:
        report = jobs.extract_pending(store, everything=everything, jobs=n_jobs, gate=not no_gate,
                                      progress=bar.update, on_total=lambda n: setattr(bar, "total", n))
    if not quiet:
        if report.studies == 0 and report.ok:
            if not store.count("studies"):
                click.echo(f"{db_path}: no studies yet (add some with: evidence import {db_path} FILE...)", err=True)
            else:
                click.echo(f"{db_path}: nothing to extract, every study is up to date (--all re-extracts them)",
                           err=True)
        else:
            _say_extracted(db_path, report)
    say_failed(report)
    if not report.ok:
        sys.exit(1)


def _say_extracted(db_path: str, report: jobs.ExtractReport) -> None:
    parts = ", ".join(f"{v} {k}" for k, v in sorted(report.by_measure.items())) or "no values"
    studies = f"{report.studies} {'study' if report.studies == 1 else 'studies'}"
    click.echo(f"{db_path}: {studies} extracted, {report.outcomes} values ({parts})", err=True)


def say_failed(report: jobs.ExtractReport) -> None:
    """The studies the rules failed on (left unextracted; the next run tries them again)."""
    for i, (study_id, why) in enumerate(report.failed):
        if i == MAX_LISTED:
            click.echo(f"  ... and {len(report.failed) - MAX_LISTED} more not extracted", err=True)
            break
        click.echo(f"  not extracted {study_id}: {why}", err=True)


@cli.command()
@existing_db_argument
@click.argument("query")
@click.option("--csv", "fmts", flag_value="csv", multiple=True, help="Output CSV.")
@click.option("--json", "fmts", flag_value="json", multiple=True, help="Output JSON records.")
@click.option("--markdown", "fmts", flag_value="markdown", multiple=True, help="Output a Markdown table.")
@handle_errors
def sql(db_path: str, query: str, fmts: tuple[str, ...]) -> None:
    """Run a read-only SQL query and print the result.

    Example: evidence sql reviews.db "select measure, count(*) from outcomes group by measure"
    """
    if not Path(db_path).exists():
        raise click.BadParameter(f"no such database: {db_path}", param_hint="DB")
    import pandas as pd  # noqa: PLC0415

    from evidence_tables.output import emit_frame  # noqa: PLC0415  (pandas: see LAZY)

    if len(set(fmts)) > 1:
        raise click.UsageError("choose one of --csv, --json and --markdown")
    columns, rows = open_store(db_path).query(query)
    # object columns: a year stays 2023 beside a NULL instead of becoming 2023.0
    emit_frame(pd.DataFrame(rows, columns=columns, dtype=object), fmts[0] if fmts else None)


@cli.command()
@click.option("--db", "db_path", default="evidence-demo.db", show_default=True, type=click.Path(dir_okay=False),
              help="Where to build the demo database.")
@quiet_option
@handle_errors
def demo(db_path: str, quiet: bool) -> None:
    """Build a demo database from the bundled hematology/oncology abstracts and print its evidence table.

    No network needed. Example: evidence demo
    """
    from evidence_tables.db.tables import wide_table  # noqa: PLC0415  (pandas: see LAZY)
    from evidence_tables.demo import demo_corpus  # noqa: PLC0415
    from evidence_tables.output import emit_evidence  # noqa: PLC0415

    store = open_store(db_path)
    with progress_bar(quiet, unit="records", desc="import") as bar:
        report = jobs.import_files(store, [demo_corpus()], progress=bar.update)  # type: ignore[arg-type]
    with progress_bar(quiet, unit="studies", desc="extract") as bar:
        extracted = jobs.extract_pending(store, progress=bar.update, on_total=lambda n: setattr(bar, "total", n))
    if not quiet:
        click.echo(f"{db_path}: {store.count('studies')} studies ({report.added} new), "
                   f"{extracted.studies} extracted, {store.count('outcomes')} values stored", err=True)
    emit_evidence(wide_table(store))
    if not quiet:
        click.echo(f"\nNext:\n  evidence export {db_path} -o evidence.xlsx\n"
                   f"  evidence plot {db_path} --measure cr_rate -o cr.png\n  evidence review {db_path}", err=True)


@cli.command()
@existing_db_argument
@click.argument("study_id")
@click.option("--width", default=100, show_default=True, type=click.IntRange(min=20), help="Wrap the abstract at this width.")
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


def main() -> None:
    cli()


__all__ = ["LAZY", "cli", "main"]
