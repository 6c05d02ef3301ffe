"""The `pool` command: the random-effects pooled CR or relapse rate per regimen, with the studies behind it.

Thin: the work is in db.pooling (statsmodels and scipy, imported when the command runs, so that
`evidence pool --help` loads none of them, nor pandas).
"""

from __future__ import annotations

import json

import click

from evidence_tables.clikit import (
    MeasureChoice,
    existing_db_argument,
    filter_options,
    handle_errors,
    open_store,
    state_notes,
    terminal_width,
    with_example,
)
from evidence_tables.db.filters import GROUPINGS, POOLED_MEASURES, Filters


@click.command()
@existing_db_argument
@click.option(
    "--measure", required=True, type=MeasureChoice(POOLED_MEASURES), help="The rate to pool."
)
@click.option(
    "--by",
    type=click.Choice(GROUPINGS),
    default="regimen",
    show_default=True,
    help="Pool per canonical regimen (else the group), or per group as the table shows it.",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print a JSON array: one object per regimen, with its studies.",
)
@filter_options(measure=False)
@handle_errors
@with_example
def pool(db_path: str, measure: str, by: str, as_json: bool, filters: Filters) -> None:
    """Pool a rate per regimen: random-effects proportion, 95% CI, I², tau², Q and its p-value, k.

    One value per study and regimen, as reviewed (corrections applied, rejected values
    left out). Events and totals are the printed counts, or the printed percent of the
    group's size where only a percent is printed (said as such); a value without either
    is left out, with the correction that would let it in. The proportions are pooled on
    the logit scale with inverse-variance weights and the DerSimonian-Laird tau²
    (truncated at 0, as R's metafor and meta do); a study with 0 or all events gets 0.5
    added to its events and non-events. Each study's exact (Clopper-Pearson) 95% CI and
    weight are listed. Percent throughout.

    Example: evidence pool reviews.db --measure {measure} --regimen pola
    """
    from evidence_tables.db.pooling import pool as pooled, pool_records  # noqa: PLC0415  (statsmodels, scipy)
    from evidence_tables.pool_view import report_lines  # noqa: PLC0415

    store = open_store(db_path)
    state_notes(store, db_path)
    report = pooled(store, measure, filters, by=by)
    if as_json:
        click.echo(json.dumps(pool_records(report), indent=1, ensure_ascii=False))
        if report.unassigned:
            click.echo(
                f"note: {len(report.unassigned)} values of no regimen or group are not pooled "
                f"(listed without --json)",
                err=True,
            )
        return
    click.echo("\n".join(report_lines(report, terminal_width(), db_path)))


__all__ = ["pool"]
