"""What a forest plot shows: a row per value (or, pooled, per study that counts), grouped under regimen
headings, a pooled row per regimen, and the lines they make, page by page; drawn by `evidence_tables.plot`.

A row's CI is the printed one, else for a rate with counts the exact (Clopper-Pearson) one; its n is
the value's own n/N, else the size of its group (db.pool_inputs.GroupContext: a denominator printed
with the group's rates, or the cohort for the whole cohort or a single-regimen study), else nothing:
never the study's N for one of its arms.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from evidence_tables.db.filters import Filters
from evidence_tables.db.pool_inputs import (
    WHOLE_COHORT,
    Count,
    GroupContext,
    group_context,
    kept,
    subgroup,
)
from evidence_tables.db.pooling import PoolReport, StudyRow, pool
from evidence_tables.db.store import EvidenceDB
from evidence_tables.db.tables import long_table
from evidence_tables.db.units import to_months
from evidence_tables.display import author_year, duration, missing
from evidence_tables.pool_view import CORRECTION, DERIVED, heterogeneity
from evidence_tables.registry import is_kind

NO_REGIMEN = "No regimen named"
NO_GROUP = "Whole cohort or unnamed arm"
MAX_LABEL = 60


@dataclass(frozen=True, slots=True, kw_only=True)
class ForestRow:
    """One plotted value: where it sits (regimen heading, label), what it is, and what to say beside it.
    `weight` (percent) is its share of the pooled estimate, on a pooled plot."""

    regimen: str
    study_id: str
    label: str
    estimate: float | None
    low: float | None
    high: float | None
    value_text: str
    n_text: str
    corrected: bool
    flagged: bool
    weight: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PooledRow:
    """A regimen's pooled estimate (percent) and the heterogeneity line under it."""

    regimen: str
    k: int
    estimate: float
    low: float
    high: float
    value_text: str
    n_text: str
    heterogeneity: str


def study_label(first_author: object, year: object, study_id: str, group: str | None = None) -> str:
    """`Okafor 2023 [a1]`, `a1 (2021)` without an author, `a1` with neither; then the group, cut to fit."""
    name = author_year({"first_author": first_author, "year": None})
    label = (
        f"{author_year({'first_author': first_author, 'year': year})} [{study_id}]"
        if name
        else f"{study_id} ({int(year)})"  # type: ignore[call-overload]
        if not missing(year)
        else study_id
    )
    label += f" {group}" if group else ""
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def forest_rows(
    store: EvidenceDB, measure: str, filters: Filters | None = None, *, by: str = "regimen"
) -> list[ForestRow]:
    """The values of `measure` passing `filters` (rejected ones left out), ordered by heading then study."""
    chosen = dataclasses.replace(filters or Filters(), measures=(measure,))
    values = kept(long_table(store, chosen))
    context = group_context(store, chosen, values["study_id"])
    rows = [_row(r, measure, context, by) for r in values.to_dict("records")]
    last = (NO_REGIMEN, NO_GROUP)
    return sorted(rows, key=lambda r: (r.regimen in last, r.regimen.lower(), r.label.lower()))


def _row(r: dict, measure: str, context: GroupContext, by: str) -> ForestRow:
    name, assigned = context.pool_name(r, by)
    heading = name or (NO_REGIMEN if by == "regimen" else NO_GROUP)
    group = None if missing(r["group"]) or r["group"] == heading else str(r["group"])
    label = study_label(
        r["first_author"],
        r["year"],
        str(r["study_id"]),
        group or ("(whole cohort)" if assigned == WHOLE_COHORT else None),
    )
    if is_kind(measure, "duration"):  # plotted in months
        unit = r["unit"]
        estimate, low, high = (to_months(_num(r[k]), unit) for k in ("value", "ci_low", "ci_high"))
        text = duration(r["value"], unit, r["ci_low"], r["ci_high"], r["not_reached"])
    else:
        estimate, low, high = _num(r["value"]), _num(r["ci_low"]), _num(r["ci_high"])
        if low is None and high is None:  # no printed CI: the exact one, where the counts are known
            low, high = _num(r["exact_ci_low"]), _num(r["exact_ci_high"])
        text = "" if estimate is None else f"{estimate:g}%" + _interval(low, high)
    return ForestRow(
        regimen=heading,
        study_id=str(r["study_id"]),
        label=label,
        estimate=estimate,
        low=low,
        high=high,
        value_text=text,
        n_text=_n_text(r, context),
        corrected=r["review_status"] == "corrected",
        flagged=not missing(r["flags"]),
    )


def _n_text(r: dict, context: GroupContext) -> str:
    if not missing(r["numerator"]) and not missing(r["denominator"]):
        return f"{int(r['numerator'])}/{int(r['denominator'])}"
    if not missing(r["denominator"]):
        return f"n={int(r['denominator'])}"
    size = context.size(r)
    return "" if size is None else f"n={size[0]}"


def _num(value: object) -> float | None:
    return None if missing(value) else float(value)  # type: ignore[arg-type]


def _interval(low: float | None, high: float | None) -> str:
    if low is None and high is None:
        return ""
    return f" ({'NE' if low is None else f'{low:.1f}'}-{'NE' if high is None else f'{high:.1f}'})"


def pooled_rows(
    store: EvidenceDB, measure: str, filters: Filters | None = None, *, by: str = "regimen"
) -> tuple[list[ForestRow], list[PooledRow], PoolReport]:
    """A pooled plot's rows: the studies that count in each regimen (exact CI, weight) and the pooled rows
    of the regimens with two or more studies; and the report they come from (for what was left out)."""
    report = pool(store, measure, filters, by=by)
    rows = [_study_row(p.name, s) for p in report.pools for s in p.studies]
    pooled = [
        PooledRow(
            regimen=p.name,
            k=p.k,
            estimate=100 * q.estimate,
            low=100 * q.ci_low,
            high=100 * q.ci_high,
            value_text=f"{100 * q.estimate:.1f}%" + _interval(100 * q.ci_low, 100 * q.ci_high),
            n_text=f"{p.events}/{p.total}",
            heterogeneity=heterogeneity(p),
        )
        for p in report.pools
        if (q := p.pooled) is not None
    ]
    return rows, pooled, report


def _study_row(regimen: str, s: StudyRow) -> ForestRow:
    c: Count = s.count
    group = c.group if subgroup(c) else "(whole cohort)" if c.assigned else None
    estimate = 100 * c.events / c.total
    return ForestRow(
        regimen=regimen,
        study_id=c.study_id,
        label=study_label(c.first_author, c.year, c.study_id, group),
        estimate=estimate,
        low=s.ci_low,
        high=s.ci_high,
        value_text=f"{estimate:.1f}%" + _interval(s.ci_low, s.ci_high),
        n_text=f"{c.events}/{c.total}"
        + ("" if c.printed else DERIVED)
        + (CORRECTION if s.continuity else ""),
        corrected=c.review_status == "corrected",
        flagged=c.flags is not None,
        weight=s.weight,
    )


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the plot: a heading (`row` None), a value, a pooled row, or the heterogeneity under it."""

    regimen: str
    kind: str  # "heading", "value", "pooled", "heterogeneity"
    row: ForestRow | PooledRow | None = None
    text: str = ""


def lines_of(rows: list[ForestRow], pooled: list[PooledRow] | None = None) -> list[Line]:
    """Headings, rows, and after each regimen's rows its pooled row and heterogeneity line."""
    by_regimen = {p.regimen: p for p in pooled or []}
    out: list[Line] = []
    for i, row in enumerate(rows):
        if i == 0 or rows[i - 1].regimen != row.regimen:
            out.append(Line(row.regimen, "heading", text=row.regimen))
        out.append(Line(row.regimen, "value", row, row.label))
        if (i == len(rows) - 1 or rows[i + 1].regimen != row.regimen) and row.regimen in by_regimen:
            p = by_regimen[row.regimen]
            out.append(Line(row.regimen, "pooled", p, f"Random effects, k = {p.k}"))
            out.append(Line(row.regimen, "heterogeneity", p, p.heterogeneity))
    return out


def paginate(lines: list[Line], per_page: int) -> list[list[Line]]:
    """Pages of at most `per_page` lines. A regimen that fits on a page is not broken: it starts a new page
    when the current one has no room for it. A longer one fills the current page and goes on on the next
    under its heading, '(continued)'; a pooled row keeps its heterogeneity line. `per_page` 0: one page."""
    if per_page <= 0 or len(lines) <= per_page:
        return [lines]
    per_page = max(per_page, 6)
    blocks: list[list[Line]] = []
    for line in lines:
        if line.kind == "heading" or not blocks:
            blocks.append([])
        blocks[-1].append(line)
    pages: list[list[Line]] = [[]]
    for block in blocks:
        room = per_page - len(pages[-1])
        if pages[-1] and len(block) > room and (len(block) <= per_page or room < 3):
            pages.append([])
        while len(pages[-1]) + len(block) > per_page:
            room = per_page - len(pages[-1])
            if block[room - 1].kind == "pooled":  # not parted from its heterogeneity line
                room -= 1
            pages[-1] += block[:room]
            block = [
                Line(block[0].regimen, "heading", text=f"{block[0].regimen} (continued)"),
                *block[room:],
            ]
            pages.append([])
        pages[-1] += block
    return [p for p in pages if p]


__all__ = [
    "CORRECTION",
    "DERIVED",
    "NO_GROUP",
    "NO_REGIMEN",
    "ForestRow",
    "Line",
    "PooledRow",
    "forest_rows",
    "lines_of",
    "paginate",
    "pooled_rows",
    "study_label",
]
