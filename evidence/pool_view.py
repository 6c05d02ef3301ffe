"""The pooled proportions on the terminal: a line per regimen, then each regimen's studies (their counts,
exact CIs, weights and where the counts came from), then what was left out and why."""

from __future__ import annotations

import dataclasses
import textwrap

import pandas as pd

from evidence_tables.db.pool_inputs import Skipped, subgroup
from evidence_tables.db.pooling import METHOD, Pool, PoolReport, StudyRow, not_pooled
from evidence_tables.db.proportions import CONTINUITY
from evidence_tables.display import Column, author_year, missing, render
from evidence_tables.registry import get

WHOLE = "whole cohort"
DERIVED = "~"  # after events/total worked out from a percent and the group's size
CORRECTION = "+"  # after the events/total of a study with 0 or all events (pooled with the continuity correction)


def pct(value: float | None, digits: int = 1) -> str:
    return "" if value is None or missing(value) else f"{value:.{digits}f}%"


def interval(low: float | None, high: float | None) -> str:
    return "" if low is None or high is None else f"{low:.1f}-{high:.1f}"


def p_value(p: float) -> str:
    return "<0.001" if p < 0.001 else f"{p:.3f}" if p < 0.01 else f"{p:.2f}"


def heterogeneity(pool: Pool) -> str:
    """`I² 20%, tau² 0.0223, Q 7.53 (df 6), p 0.27` (empty without a pooled estimate)."""
    q = pool.pooled
    if q is None:
        return ""
    return f"I² {100 * q.i2:.0f}%, tau² {q.tau2:.3g}, Q {q.q:.3g} (df {q.q_df}), p {p_value(q.q_p)}"


def _note(pool: Pool) -> str:
    parts = [] if pool.pooled else [not_pooled(pool).removeprefix("not pooled: ")]
    if pool.skipped:
        parts.append(f"{len(pool.skipped)} left out")
    return "; ".join(parts)


SUMMARY = [
    Column("regimen", lambda r: r["name"], min_width=12),
    Column("k", lambda r: str(r["pool"].k), right=True),
    Column(
        "events/total",
        lambda r: f"{r['pool'].events}/{r['pool'].total}" if r["pool"].k else "",
        right=True,
    ),
    Column(
        "pooled", lambda r: pct(100 * r["q"].estimate) if r["q"] else "", right=True, optional=True
    ),
    Column(
        "95% CI",
        lambda r: interval(100 * r["q"].ci_low, 100 * r["q"].ci_high) if r["q"] else "",
        optional=True,
    ),
    Column("I²", lambda r: f"{100 * r['q'].i2:.0f}%" if r["q"] else "", right=True, optional=True),
    Column("tau²", lambda r: f"{r['q'].tau2:.3g}" if r["q"] else "", right=True, optional=True),
    Column("Q", lambda r: f"{r['q'].q:.3g}" if r["q"] else "", right=True, optional=True),
    Column("p", lambda r: p_value(r["q"].q_p) if r["q"] else "", right=True, optional=True),
    Column("note", lambda r: _note(r["pool"]), optional=True, min_width=10),
]


def _counts(s: StudyRow) -> str:
    c = s.count
    return (
        f"{c.events}/{c.total}"
        + ("" if c.printed else DERIVED)
        + (CORRECTION if s.continuity else "")
    )


def _where(s: StudyRow) -> str:
    c = s.count
    return c.how + (f"; at {c.timepoint}" if c.timepoint else "")


STUDIES = [
    Column("study", lambda r: r["s"].count.study_id),
    Column(
        "author year",
        lambda r: author_year(
            {"first_author": r["s"].count.first_author, "year": r["s"].count.year}
        ),
        min_width=8,
        drop=2,
    ),
    Column("group", lambda r: _group(r["s"]), min_width=8, optional=True),
    Column("events/total", lambda r: _counts(r["s"]), right=True),
    Column("rate", lambda r: pct(100 * r["s"].count.events / r["s"].count.total), right=True),
    Column("exact 95% CI", lambda r: interval(r["s"].ci_low, r["s"].ci_high)),
    Column("weight", lambda r: pct(r["s"].weight), right=True, optional=True),
    Column("", lambda r: _marks(r["s"]), optional=True),
    Column("counts from", lambda r: _where(r["s"]), min_width=16, drop=1),
]


def _group(s: StudyRow) -> str:
    """A subgroup standing for its regimen, or `whole cohort` for a value given the study's only regimen."""
    c = s.count
    return (c.group or "") if subgroup(c) else WHOLE if c.assigned else ""


def _marks(s: StudyRow) -> str:
    status = s.count.review_status
    return ("*" if status == "corrected" else "") + ("!" if s.count.flags else "")


def report_lines(report: PoolReport, width: int, db_path: str = "DB") -> list[str]:
    """Everything `evidence pool` prints for one measure."""
    what = get(report.measure).noun
    out = wrap(f"Pooled {what} per {report.by}, {100 * report.level:g}% CI: {METHOD}.", width) + [
        ""
    ]
    if not report.pools:
        out.append(f"(no {report.by} has a {what} to pool)")
    else:
        rows = [{"name": p.name, "pool": p, "q": p.pooled} for p in report.pools]
        columns = [dataclasses.replace(SUMMARY[0], header=report.by), *SUMMARY[1:]]
        out += render(pd.DataFrame(rows), columns, width)
    for p in report.pools:
        out += [
            "",
            f"{p.name}: {p.k} {'study' if p.k == 1 else 'studies'}"
            + (f" ({heterogeneity(p)})" if p.pooled else ""),
        ]
        if p.studies:
            study_rows = [{"s": s, "sub": subgroup(s.count)} for s in p.studies]
            out += ["  " + line for line in render(pd.DataFrame(study_rows), STUDIES, width - 2)]
        if len(p.timepoints) > 1:
            out += wrap(
                "note: the values are at different time points: "
                + ", ".join(t or "none given" for t in p.timepoints),
                width,
                "  ",
            )
        for s in p.skipped:
            out += wrap(f"left out: {_skipped(s, db_path)}", width, "  ")
    if report.unassigned:
        out += ["", f"Not pooled: {len(report.unassigned)} values of no regimen or group"]
        for s in report.unassigned:
            out += wrap(_skipped(s, db_path), width, "  ")
    return out + [""] + legend(report)


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    return textwrap.wrap(
        text,
        width=max(width, 40),
        initial_indent=indent,
        subsequent_indent=indent + "  ",
        break_on_hyphens=False,
    )


def _skipped(s: Skipped, db_path: str) -> str:
    value = "" if s.value is None else f" {s.value:g}%"
    group = f" in {s.group}" if s.group and s.group != s.pool else ""
    fix = f" (evidence mark {db_path} {s.outcome_id[:8]} {s.fix})" if s.fix else ""
    return f"{s.study_id}{value}{group}, id {s.outcome_id[:8]}: {s.reason}{fix}"


def legend(report: PoolReport) -> list[str]:
    rows = [s for p in report.pools for s in p.studies]
    out = []
    if any(not s.count.printed for s in rows):
        out.append(
            f"{DERIVED} not both counts printed: the group's size or the events worked out (see 'counts from')"
        )
    if any(s.continuity for s in rows):
        out.append(
            f"{CORRECTION} 0 or all events: {CONTINUITY:g} added to events and non-events for pooling "
            "(the rate and exact CI are of the counts themselves)"
        )
    if any(s.count.assigned for s in rows):
        out.append(f"{WHOLE}: a value of no group, in a study whose values name this regimen only")
    if any(s.count.review_status == "corrected" for s in rows):
        out.append("* corrected by a reviewer (the reviewed value is pooled)")
    if any(s.count.flags for s in rows):
        out.append(
            "! flagged by the extractor: check it with evidence explain, decide with evidence mark"
        )
    return out


__all__ = [
    "CORRECTION",
    "DERIVED",
    "heterogeneity",
    "interval",
    "legend",
    "p_value",
    "pct",
    "report_lines",
]
