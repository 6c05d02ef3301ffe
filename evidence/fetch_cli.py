"""`evidence fetch` and `evidence run`: abstracts from a PubMed or Europe PMC search into the store."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from evidence_tables import jobs
from evidence_tables.clikit import (
    MAX_LISTED,
    db_argument,
    handle_errors,
    open_store,
    progress_bar,
    quiet_option,
    say_failed,
)
from evidence_tables.db.fetch_items import FAILED, FETCHED, NO_ABSTRACT, PENDING, STORED

if TYPE_CHECKING:
    from evidence_tables.fetch_jobs import FetchReport


def _http_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not re.match(r"^https?://[^/\s]+", value):
        raise click.BadParameter(f"{value!r} is not an http(s):// address", ctx=ctx, param=param)
    return value


def fetch_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options `fetch` and `run` share (declared once)."""
    options = [
        db_argument,
        click.argument("query"),
        click.option(
            "--max",
            "limit",
            type=click.IntRange(min=1),
            help="Fetch at most N records (the newest first).",
        ),
        click.option("--mindate", help="Earliest publication date: YYYY, YYYY/MM or YYYY/MM/DD."),
        click.option("--maxdate", help="Latest publication date: YYYY, YYYY/MM or YYYY/MM/DD."),
        click.option(
            "--source",
            type=click.Choice(["pubmed", "europepmc"]),
            default="pubmed",
            show_default=True,
            help="Search PubMed (NCBI E-utilities) or Europe PMC.",
        ),
        click.option(
            "--api-key",
            envvar="NCBI_API_KEY",
            metavar="KEY",
            help="NCBI API key (or NCBI_API_KEY): allows 10 requests/s instead of 3. Never printed or stored.",
        ),
        click.option(
            "--email",
            envvar="NCBI_EMAIL",
            help="Your e-mail address, sent to NCBI with every request "
            "as it asks (or NCBI_EMAIL). Required for PubMed.",
        ),
        click.option(
            "--base-url",
            metavar="URL",
            callback=_http_url,
            help="Service address (default: NCBI's or Europe PMC's own).",
        ),
        quiet_option,
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _fetch(
    db_path: str,
    query: str,
    limit: int | None,
    mindate: str | None,
    maxdate: str | None,
    source: str,
    api_key: str | None,
    email: str | None,
    base_url: str | None,
    quiet: bool,
):  # noqa: ANN202
    # httpx and the clients are imported when a fetch runs: `fetch --help` stays fast
    from evidence_tables import fetch_jobs  # noqa: PLC0415
    from evidence_tables.corpus.europepmc import DEFAULT_BASE_URL as EPMC_URL, EuropePMCClient  # noqa: PLC0415
    from evidence_tables.corpus.eutils import DEFAULT_BASE_URL as EUTILS_URL, EutilsClient  # noqa: PLC0415

    store = open_store(db_path)
    with (
        fetch_jobs.open_http() as http,
        progress_bar(quiet, unit="records", desc=f"fetch {source}") as bar,
    ):

        def note(message: str) -> None:
            bar.set_postfix_str(message[-60:], refresh=False)

        args = dict(
            limit=limit,
            mindate=mindate,
            maxdate=maxdate,
            progress=bar.update,
            on_total=lambda n: setattr(bar, "total", n),
        )
        if source == "europepmc":
            client = EuropePMCClient(
                http, base_url=base_url or EPMC_URL, email=email, on_retry=note
            )
            report = fetch_jobs.fetch_europepmc(store, client, query, **args)  # type: ignore[arg-type]
        else:
            if not email:
                raise click.UsageError(
                    "NCBI asks every tool for a contact address: add --email or set NCBI_EMAIL"
                )
            pubmed = EutilsClient(
                http, email=email, api_key=api_key, base_url=base_url or EUTILS_URL, on_retry=note
            )
            report = fetch_jobs.fetch_pubmed(store, pubmed, query, **args)  # type: ignore[arg-type]
    _print_report(db_path, report, quiet)
    return store, report


def _print_report(db_path: str, report: FetchReport, quiet: bool) -> None:
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    if not quiet:
        s, imp = report.statuses, report.imported
        translation = f"; PubMed searched {report.translation}" if report.translation else ""
        kept = "not fetched again" if report.source == "pubmed" else "their stored record kept"
        click.echo(
            f"{db_path}: {report.requested} of {report.count} records{translation}", err=True
        )
        click.echo(
            f"  {s[FETCHED]} fetched ({imp.added} new, {imp.changed} updated, {imp.unchanged} unchanged), "
            f"{s[NO_ABSTRACT]} without abstract, {s[STORED]} already stored ({kept}), "
            f"{s[FAILED]} failed, {s[PENDING]} pending; {report.requests} requests, "
            f"{report.refused_for_rate} refused for rate",
            err=True,
        )
    for i, (record_id, status, reason) in enumerate(report.problems):
        if i == MAX_LISTED:
            click.echo(
                f"  ... and {len(report.problems) - MAX_LISTED} more (see table fetch_items, "
                f"run_id {report.run_id})",
                err=True,
            )
            break
        click.echo(f"  {status} {record_id}: {reason or 'not fetched yet'}", err=True)


@click.command()
@fetch_options
@handle_errors
def fetch(**options: Any) -> None:
    """Fetch the abstracts of a PubMed (or Europe PMC) search into DB.

    Polite (at most 3 requests/s, 10 with an API key; retries with backoff),
    resumable (run it again after Ctrl-C or a lost connection: records already
    stored and unchanged are not fetched again) and exact (every record of the
    search ends fetched, without abstract, already stored, or failed with a
    reason; exit status 1 if any failed).

    Example: evidence fetch review.db "CAR-T AND lymphoma" --mindate 2020 --email you@example.org
    """
    _store, report = _fetch(**options)
    if not report.ok:
        sys.exit(1)


@click.command(name="run")
@fetch_options
@handle_errors
def run_(**options: Any) -> None:
    """Fetch a search into DB, extract values from new or changed studies, and print the evidence table.

    Example: evidence run review.db "CAR-T AND lymphoma" --max 200 --email you@example.org
    """
    from evidence_tables.db.tables import wide_table  # noqa: PLC0415  (pandas, only when run)
    from evidence_tables.output import emit_evidence  # noqa: PLC0415

    store, report = _fetch(**options)
    quiet = options["quiet"]
    with progress_bar(quiet, unit="studies", desc="extract") as bar:
        extracted = jobs.extract_pending(
            store, progress=bar.update, on_total=lambda n: setattr(bar, "total", n)
        )
    if not quiet:
        click.echo(
            f"{options['db_path']}: {extracted.studies} studies extracted, {extracted.outcomes} values",
            err=True,
        )
    say_failed(extracted)
    emit_evidence(wide_table(store))
    if not report.ok or not extracted.ok:
        sys.exit(1)
