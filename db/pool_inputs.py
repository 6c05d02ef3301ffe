"""Which values enter a pooled proportion, and with how many events out of how many patients.

One value per study and pool (a regimen, or a group with `by="group"`), as reviewed: rejected values are
left out, corrections applied. Events and totals are the printed counts (numerator/denominator) or, where
only a percent is printed, the percent of the group's size, and each `Count` says which, in words. A value
of no group (the whole cohort) in a study whose values name one regimen only is that regimen's. The
group's size (`GroupContext.size`) is, in this order: the value's own denominator; for the whole cohort,
the study's cohort size; for a named group, a denominator printed with a rate of the same study and group
(a CR rate's first), else the cohort size where the group is the study's only regimen. A value without
one is left out (`Skipped`), with the `evidence mark` correction that would let it in.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

import pandas as pd

from evidence_tables.db.filters import GROUPINGS, POOLED_MEASURES, Filters
from evidence_tables.db.store import EvidenceDB
from evidence_tables.db.tables import group_key, long_table, studies_table
from evidence_tables.registry import definitions, study_size

WHOLE_COHORT = "the whole cohort, of the study's only regimen"


def _sizing() -> list[str]:
    """The rates whose denominators are a group's size, the most trusted first (registry: `group_size_rank`)."""
    ranked = [m for m in definitions() if m.group_size_rank is not None]
    return [m.name for m in sorted(ranked, key=lambda m: m.group_size_rank or 0)]


@dataclass(frozen=True, slots=True, kw_only=True)
class Count:
    """One study's value as it enters a pool: `events` of `total`, and `how` they were got."""

    outcome_id: str
    study_id: str
    first_author: str | None
    year: int | None
    pool: str
    group: str | None
    value: float
    events: int
    total: int
    printed: bool  # events and total are the counts as printed (or as a reviewer corrected them)
    how: str
    timepoint: str | None
    review_status: str | None
    flags: str | None
    start: int
    assigned: str | None = None  # how the value came to its pool when it names none itself


@dataclass(frozen=True, slots=True, kw_only=True)
class Skipped:
    """A value that does not enter a pool (`pool` None: it has no regimen or group), and why."""

    outcome_id: str
    study_id: str
    pool: str | None
    group: str | None
    value: float | None
    reason: str
    fix: str | None = None  # the `evidence mark DB ID` options that would let it in


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupContext:
    """What the studies' other values say about their groups: sizes printed with rates, cohort sizes, and
    the single-regimen studies."""

    sizes: dict[tuple[str, str], tuple[int, str]]
    cohorts: dict[str, int]
    only: dict[str, str]

    def size(self, row: dict[str, Any]) -> tuple[int, str] | None:
        """The size of a value's group (its own denominator aside) and where it was read, or None."""
        study, key = row["study_id"], _key(row)
        cohort = self.cohorts.get(study)
        if key == "":
            return (
                (cohort, "the study's cohort")
                if cohort is not None
                else self.sizes.get((study, ""))
            )
        if (study, key) in self.sizes:
            return self.sizes[(study, key)]
        if study in self.only and key == group_key(self.only[study]) and cohort is not None:
            return cohort, "the study's cohort"
        return None

    def pool_name(self, row: dict[str, Any], by: str) -> tuple[str | None, str | None]:
        """The pool of a value: its canonical regimen, else its group as the tables show it, else (a value
        of the whole cohort) the study's only regimen; and, for the last, that it was assigned so."""
        if by == "regimen" and not missing(row["regimen"]):
            return str(row["regimen"]), None
        if not missing(row["group"]):
            return str(row["group"]), None
        if by == "regimen" and row["study_id"] in self.only:
            return self.only[row["study_id"]], WHOLE_COHORT
        return None, None


def group_context(store: EvidenceDB, filters: Filters, study_ids: Iterable[str]) -> GroupContext:
    """The context of these studies' values (every measure, rejected values aside)."""
    wanted = set(study_ids)
    study_level = Filters(min_cohort=filters.min_cohort, search=filters.search)
    context = kept(long_table(store, study_level))
    context = context[context["study_id"].isin(wanted)]
    studies = studies_table(store, study_level)
    cohorts = {
        str(s): int(n)
        for s, n in zip(studies["study_id"], studies[study_size().name])
        if s in wanted and not missing(n)
    }
    return GroupContext(sizes=_group_sizes(context), cohorts=cohorts, only=_only_regimen(context))


def pool_inputs(
    store: EvidenceDB, measure: str, filters: Filters | None = None, *, by: str = "regimen"
) -> tuple[list[Count], list[Skipped]]:
    """The counts that enter each pool (one per study and pool), and the values left out."""
    if measure not in POOLED_MEASURES:
        raise ValueError(f"{measure} is not a proportion")
    if by not in GROUPINGS:
        raise ValueError(f"pool by one of {GROUPINGS}, not {by}")
    filters = filters or Filters()
    values = kept(long_table(store, dataclasses.replace(filters, measures=(measure,))))
    context = group_context(store, filters, values["study_id"])
    counts: list[Count] = []
    skipped: list[Skipped] = []
    for row in cast(
        list[dict[str, Any]], values.to_dict("records")
    ):  # the columns are named by str
        name, assigned = context.pool_name(row, by)
        if name is None:
            skipped.append(_skip(row, None, "no regimen or group", "--set regimen=NAME"))
            continue
        counted = _count(row, name, context.size(row))
        if isinstance(counted, tuple):
            skipped.append(_skip(row, name, *counted))
        else:
            counts.append(dataclasses.replace(counted, assigned=assigned))
    chosen, doubles = _one_per_study(counts, by)
    return chosen, skipped + doubles


def kept(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows a reviewer did not reject."""
    return frame[frame["review_status"].fillna("") != "rejected"]


def missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _key(row: dict[str, Any]) -> str:
    return "" if missing(row["group"]) else group_key(str(row["group"]))


def _group_sizes(context: pd.DataFrame) -> dict[tuple[str, str], tuple[int, str]]:
    """(study, group key) -> the size printed with a rate of that group (a CR rate's, then the largest)."""
    out: dict[tuple[str, str], tuple[int, str]] = {}
    sizing = _sizing()
    rated = context[context["measure"].isin(sizing) & context["denominator"].notna()]
    ranked = sorted(
        cast(list[dict[str, Any]], rated.to_dict("records")),
        key=lambda r: (sizing.index(r["measure"]), -int(r["denominator"])),
    )
    for r in ranked:
        if int(r["denominator"]) <= 0:
            continue
        counts = (
            f"{int(r['numerator'])}/{int(r['denominator'])}"
            if not missing(r["numerator"])
            else f"n={int(r['denominator'])}"
        )
        out.setdefault(
            (str(r["study_id"]), _key(r)), (int(r["denominator"]), f"its {r['measure']} {counts}")
        )
    return out


def _only_regimen(context: pd.DataFrame) -> dict[str, str]:
    """Single-regimen studies: study -> its regimen, where its values name exactly one regimen and every
    value with a group has it (a group without a regimen, 'investigator's choice', is another arm)."""
    grouped = context[(context["measure"] != study_size().name) & context["group"].notna()]
    out = {}
    for study, rows in grouped.groupby("study_id"):
        names = {str(r).lower(): str(r) for r in rows["regimen"] if not missing(r)}
        if len(names) == 1 and rows["regimen"].notna().all():
            out[str(study)] = next(iter(names.values()))
    return out


def _count(
    row: dict[str, Any], name: str, size: tuple[int, str] | None
) -> Count | tuple[str, str | None]:
    """The value's events and total, or why it has none (and the correction that would give them). A percent a reviewer corrected outweighs counts
    left as printed (they no longer describe it): its events are then the percent of the denominator."""
    value = None if missing(row["value"]) else float(row["value"])
    corrected = (
        set(json.loads(row["corrections"])) if isinstance(row["corrections"], str) else set()
    )
    numerator, denominator = (
        None if missing(row[k]) else int(row[k]) for k in ("numerator", "denominator")
    )
    stale = "value" in corrected and not corrected & {"numerator", "denominator"}
    if numerator is not None and denominator is not None and not stale:
        if denominator <= 0 or not 0 <= numerator <= denominator:
            return (
                f"counts impossible: {numerator}/{denominator}",
                "--set numerator=n --set denominator=N",
            )
        how = (
            "n/N as corrected by a reviewer"
            if corrected & {"numerator", "denominator"}
            else "n/N as printed"
        )
        return _made(row, name, value, numerator, denominator, printed=True, how=how)
    if value is None or not 0 <= value <= 100:
        return (
            "no percent to count from" if value is None else f"percent out of range: {value:g}%"
        ), "--set value=PERCENT"
    if denominator is not None:
        size = (denominator, "its own, the percent corrected" if stale else "its own")
    if size is None or size[0] <= 0:
        return f"no group size to count {value:g}% of", "--set denominator=N"
    total, where = size
    if numerator is not None and not stale and numerator <= total:
        if "numerator" in corrected:  # the reviewer's count wins over the percent
            return _made(
                row,
                name,
                value,
                numerator,
                total,
                printed=False,
                how=f"{numerator} (as corrected) of {total} (n: {where})",
            )
        if abs(100 * numerator / total - value) < 0.5:
            return _made(
                row,
                name,
                value,
                numerator,
                total,
                printed=False,
                how=f"{numerator} of {total} (n: {where})",
            )
    exact = value / 100 * total
    rounded = "" if exact == round(exact) else f" → {round(exact)}"
    return _made(
        row,
        name,
        value,
        round(exact),
        total,
        printed=False,
        how=f"{value:g}% × {total} = {exact:.4g}{rounded} (n: {where})",
    )


def _made(
    row: dict[str, Any],
    name: str,
    value: float | None,
    events: int,
    total: int,
    *,
    printed: bool,
    how: str,
) -> Count:
    def text(column: str) -> str | None:
        return None if missing(row[column]) else str(row[column])

    return Count(
        outcome_id=str(row["id"]),
        study_id=str(row["study_id"]),
        first_author=text("first_author"),
        year=None if missing(row["year"]) else int(row["year"]),
        pool=name,
        group=text("group"),
        value=100 * events / total if value is None else value,
        events=events,
        total=total,
        printed=printed,
        how=how,
        timepoint=text("timepoint"),
        review_status=text("review_status"),
        flags=text("flags"),
        start=int(row["start"]),
    )


def _skip(row: dict[str, Any], name: str | None, reason: str, fix: str | None = None) -> Skipped:
    return Skipped(
        outcome_id=str(row["id"]),
        study_id=str(row["study_id"]),
        pool=name,
        group=None if missing(row["group"]) else str(row["group"]),
        value=None if missing(row["value"]) else float(row["value"]),
        reason=reason,
        fix=fix,
    )


def _one_per_study(counts: Iterable[Count], by: str) -> tuple[list[Count], list[Skipped]]:
    """Where a study has several values for one pool, the one that stands for it: the pool's own group
    before a subgroup, reviewed before not, printed counts before a percent, unflagged before flagged,
    the larger group, then the first in the text."""
    chosen: dict[tuple[str, str], Count] = {}
    skipped = []
    for c in sorted(counts, key=lambda c: (c.study_id, c.pool.lower(), _rank(c, by))):
        first = chosen.setdefault((c.study_id, c.pool.lower()), c)
        if first is not c:
            skipped.append(
                Skipped(
                    outcome_id=c.outcome_id,
                    study_id=c.study_id,
                    pool=c.pool,
                    group=c.group,
                    value=c.value,
                    reason=f"the study counts once: {first.outcome_id[:8]} "
                    f"({first.value:g}%{_in(first)}) stands for it",
                )
            )
    return sorted(chosen.values(), key=lambda c: (c.pool.lower(), c.study_id, c.start)), skipped


def subgroup(c: Count) -> bool:
    """The value is of a group within its pool's regimen ('extramedullary disease' on teclistamab)."""
    return c.group is not None and group_key(c.group) != group_key(c.pool)


def _rank(c: Count, by: str) -> tuple:
    reviewed = c.review_status in ("accepted", "corrected")
    return (
        by == "regimen" and subgroup(c),
        not reviewed,
        not c.printed,
        c.flags is not None,
        -c.total,
        c.start,
    )


def _in(c: Count) -> str:
    return f" in {c.group}" if subgroup(c) else ""


__all__ = [
    "GROUPINGS",
    "POOLED_MEASURES",
    "Count",
    "GroupContext",
    "Skipped",
    "group_context",
    "kept",
    "missing",
    "pool_inputs",
    "subgroup",
]
