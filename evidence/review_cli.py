"""Commands for a reviewer's corrections: `review` lists what needs a look, `mark` records a decision."""

from __future__ import annotations

import dataclasses

import click

from evidence_tables.clikit import (
    existing_db_argument,
    filter_options,
    handle_errors,
    open_store,
    output_options,
    state_notes,
    terminal_width,
    with_example,
)
from evidence_tables.db.filters import Filters
from evidence_tables.db.reviews import (
    CORRECTABLE,
    Decision,
    Review,
    clear,
    concerns,
    current,
    drop,
    mark as record,
    orphaned,
    parse_corrections,
    resolve,
)


@click.command()
@existing_db_argument
@click.option(
    "--all",
    "include_reviewed",
    is_flag=True,
    help="Also values already accepted, corrected or rejected.",
)
@output_options()
@filter_options()
@handle_errors
@with_example
def review(
    db_path: str, include_reviewed: bool, fmt: str | None, headers: bool, filters: Filters
) -> None:
    """List the values that need a look, flagged ones first, and decisions whose value is gone.

    Each value shows the id to give `evidence mark`. A decision whose value no longer
    exists (the abstract changed, the study was removed, the extractor no longer finds
    a value there) is kept and listed at the end as orphaned, so that no correction is
    lost silently; mark the new value to apply it again. With --csv, --json (...) the
    values are printed with every column, and the orphaned decisions are counted on
    stderr (read them with: evidence sql DB "select * from orphaned_reviews").

    Example: evidence review reviews.db --flagged --measure {measure}
    """
    from evidence_tables.db.tables import review_queue  # noqa: PLC0415  (pandas, only when run)
    from evidence_tables.display import long_lines, orphan_lines  # noqa: PLC0415
    from evidence_tables.output import emit_frame  # noqa: PLC0415

    store = open_store(db_path)
    queue = review_queue(store, filters, include_reviewed=include_reviewed)
    if fmt:
        state_notes(store, db_path)  # counts the orphaned decisions, on stderr
        emit_frame(queue, fmt, headers=headers)
        return
    state_notes(store, db_path, orphans=False)  # orphaned decisions are listed below
    orphans = [dataclasses.asdict(r) for r in orphaned(store)]
    width = terminal_width()
    flagged = int(queue["flags"].notna().sum())
    what = "values" if include_reviewed else "values not yet reviewed"
    click.echo(f"{len(queue)} {what} ({flagged} flagged, listed first)", err=True)
    if len(queue):
        lines = long_lines(queue, width, exact=False)
        click.echo("\n".join(lines if headers else lines[1:]))
    if orphans:
        one = len(orphans) == 1
        click.echo(
            f"\n{len(orphans)} orphaned decision{'' if one else 's'} (kept; the value "
            f"{'it was' if one else 'they were'} made on is gone):"
        )
        click.echo("\n".join(orphan_lines(orphans, width)))
        click.echo(
            f"Remove one once dealt with: evidence mark {db_path} '#REVIEW' --clear", err=True
        )
    click.echo(
        f"\nRecord a decision: evidence mark {db_path} ID --accept | --reject | --set value=... [--note ...]"
        f"\nor beside the evidence, in a browser: evidence serve {db_path}",
        err=True,
    )


@click.command()
@existing_db_argument
@click.argument("outcome_id")
@click.option(
    "--accept",
    "decisions",
    flag_value="accepted",
    multiple=True,
    help="The value is right as extracted.",
)
@click.option(
    "--reject",
    "decisions",
    flag_value="rejected",
    multiple=True,
    help="The value is wrong: leave it out of tables and plots.",
)
@click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="FIELD=VALUE",
    help=f"Correct a field ({', '.join(CORRECTABLE)}); repeat for several; an empty VALUE clears it.",
)
@click.option(
    "--clear",
    "decisions",
    flag_value="clear",
    multiple=True,
    help="Remove the decision on this value.",
)
@click.option("--note", help="Why (shown in the long table and the Excel provenance sheet).")
@click.option("--by", "reviewer", metavar="NAME", help="Who decided (kept with the decision).")
@handle_errors
def mark(
    db_path: str,
    outcome_id: str,
    decisions: tuple[str, ...],
    assignments: tuple[str, ...],
    note: str | None,
    reviewer: str | None,
) -> None:
    """Record a reviewer's decision on one value: accept, reject or correct it.

    OUTCOME_ID is the id shown by `evidence review` or `evidence table --long` (its
    first 8 characters are enough). The decision is kept in the `reviews` table and
    survives re-extraction; tables, exports, plots and the `evidence` view use it.
    '#N' names a recorded decision instead (orphaned ones are listed so): '#N' --clear removes it.

    One decision applies to a value: a new one replaces it (and says whose it replaced),
    except that corrections add up (--set ci_low=50, later --set ci_high=75, keeps both).

    Example: evidence mark reviews.db f010682a --set value=42 --note "Table 2 gives 42%"
    """
    if len(set(decisions)) > 1:
        raise click.UsageError("choose one of --accept, --reject and --clear")
    decision = decisions[0] if decisions else None
    if assignments and decision:
        raise click.UsageError(
            "--set is a correction: do not combine it with --accept, --reject or --clear"
        )
    if not assignments and not decision:
        raise click.UsageError(
            "say what to record: --accept, --reject, --set FIELD=VALUE or --clear"
        )
    store = open_store(db_path)
    if outcome_id.startswith("#"):  # a decision by its review number: how orphaned ones are listed
        if not outcome_id[1:].isdigit():
            raise click.UsageError(
                f"{outcome_id!r}: '#N' names a recorded decision by its number (see `evidence review`)"
            )
        if decision != "clear":
            raise click.UsageError(
                "'#N' names a recorded decision (see `evidence review`): it only takes --clear"
            )
        gone = drop(store, int(outcome_id[1:]))
        click.echo(
            f"decision #{gone.review_id} on {gone.study_id} {gone.measure} removed", err=True
        )
        return
    if decision == "clear":
        value = resolve(store, outcome_id)
        removed = clear(store, outcome_id)
        click.echo(f"{value['id']}: {removed} decision(s) removed", err=True)
        return
    fixes = parse_corrections(assignments)
    chosen: Decision = "corrected" if fixes else decision  # type: ignore[assignment]
    before = resolve(store, outcome_id)
    earlier = current(store, before["id"])
    done = record(store, outcome_id, chosen, corrections=fixes, note=note, reviewer=reviewer)
    click.echo(_summary(before, done))
    if earlier is not None:
        from evidence_tables.display import decision_text  # noqa: PLC0415  (pandas, only when run)

        whose = f"{earlier.reviewer}'s" if earlier.reviewer else "the"
        kept = (
            " (its corrections kept where not set again)"
            if chosen == earlier.decision == "corrected"
            else ""
        )
        click.echo(
            f"  replaces {whose} earlier decision: {decision_text(dataclasses.asdict(earlier))}, "
            f"{earlier.reviewed_at}{kept}",
            err=True,
        )
    for concern in concerns(store, before["id"]):
        click.echo(f"  check: {concern}", err=True)


def _summary(before: dict, done: Review) -> str:
    from evidence_tables.display import decision_text, value_text  # noqa: PLC0415  (pandas, only when run)

    group = f" [{before['group_label']}]" if before["group_label"] else ""
    shown = value_text({**before, "not_reached": bool(before["not_reached"])})
    line = (
        f"{done.study_id} {done.measure}{group} {shown}: {decision_text(dataclasses.asdict(done))}"
    )
    return (
        line + (f" (note: {done.note})" if done.note else "") + f'\n  evidence: "{done.evidence}"'
    )
