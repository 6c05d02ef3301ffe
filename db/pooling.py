"""Pooled proportions per regimen (or group): the values that count, each study's exact CI and weight,
and the random-effects pooled estimate with its heterogeneity, as records and as a table.

`pool` reads the store (db.pool_inputs chooses the values and their counts) and pools each regimen with
two or more studies (db.proportions). Percent throughout, as the evidence tables show rates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from evidence_tables.db.filters import Filters
from evidence_tables.db.pool_inputs import GROUPINGS, POOLED_MEASURES, Count, Skipped, pool_inputs
from evidence_tables.db.proportions import (
    CONTINUITY,
    LEVEL,
    PooledProportion,
    exact_ci,
    pool_proportions,
)
from evidence_tables.db.store import EvidenceDB

METHOD = (
    "random effects, DerSimonian-Laird tau² (truncated at 0), inverse variance on the logit scale; "
    f"{CONTINUITY:g} added to events and non-events of a study with 0 or all events"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class StudyRow:
    """A study in a pool: its count, exact (Clopper-Pearson) 95% CI in percent, and weight in percent."""

    count: Count
    ci_low: float
    ci_high: float
    weight: float | None
    continuity: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class Pool:
    """One regimen's (or group's) studies, the values of it left out, and the pooled proportion (None
    with fewer than two studies)."""

    measure: str
    name: str
    studies: tuple[StudyRow, ...]
    skipped: tuple[Skipped, ...]
    pooled: PooledProportion | None

    @property
    def k(self) -> int:
        return len(self.studies)

    @property
    def events(self) -> int:
        return sum(s.count.events for s in self.studies)

    @property
    def total(self) -> int:
        return sum(s.count.total for s in self.studies)

    @property
    def timepoints(self) -> tuple[str, ...]:
        """The distinct time points of its values (relapse rates: '2 years'), '' for none given."""
        return tuple(dict.fromkeys(s.count.timepoint or "" for s in self.studies))


@dataclass(frozen=True, slots=True, kw_only=True)
class PoolReport:
    """Every pool of one measure, and the values that belong to none (no regimen or group)."""

    measure: str
    by: str
    pools: tuple[Pool, ...]
    unassigned: tuple[Skipped, ...]
    level: float = LEVEL


def pool(
    store: EvidenceDB, measure: str, filters: Filters | None = None, *, by: str = "regimen"
) -> PoolReport:
    """Pool `measure` (a rate) per regimen (`by="regimen"`: canonical regimen, else group) or per group."""
    counts, skipped = pool_inputs(store, measure, filters, by=by)
    names = list(dict.fromkeys(c.pool for c in counts))
    names += [
        n for n in dict.fromkeys(s.pool for s in skipped if s.pool is not None) if n not in names
    ]
    pools = [
        _pool(
            measure,
            name,
            [c for c in counts if c.pool == name],
            [s for s in skipped if s.pool == name],
        )
        for name in names
    ]
    pools.sort(key=lambda p: p.name.lower())
    return PoolReport(
        measure=measure,
        by=by,
        pools=tuple(pools),
        unassigned=tuple(s for s in skipped if s.pool is None),
    )


def _pool(measure: str, name: str, counts: list[Count], skipped: list[Skipped]) -> Pool:
    cis: tuple[Iterable[float], Iterable[float]] = (
        exact_ci([c.events for c in counts], [c.total for c in counts]) if counts else ([], [])
    )
    low, high = cis
    pooled = (
        pool_proportions([c.events for c in counts], [c.total for c in counts])
        if len(counts) >= 2
        else None
    )
    rows = tuple(
        StudyRow(
            count=c,
            ci_low=100 * float(lo),
            ci_high=100 * float(hi),
            weight=None if pooled is None else 100 * pooled.weights[i],
            continuity=c.events in (0, c.total),
        )
        for i, (c, lo, hi) in enumerate(zip(counts, low, high))
    )
    return Pool(measure=measure, name=name, studies=rows, skipped=tuple(skipped), pooled=pooled)


def not_pooled(p: Pool) -> str:
    """Why a pool has no pooled estimate."""
    return "not pooled: no study with counts" if p.k == 0 else "not pooled: one study"


def pool_records(report: PoolReport) -> list[dict]:
    """The report as plain objects (one per pool, percent for rates), as `evidence pool --json` prints it."""
    out = []
    for p in report.pools:
        pooled = p.pooled
        out.append(
            {
                "measure": report.measure,
                "regimen" if report.by == "regimen" else "group": p.name,
                "k": p.k,
                "events": p.events,
                "total": p.total,
                "pooled": None if pooled is None else 100 * pooled.estimate,
                "ci_low": None if pooled is None else 100 * pooled.ci_low,
                "ci_high": None if pooled is None else 100 * pooled.ci_high,
                "i2": None if pooled is None else 100 * pooled.i2,
                "tau2": None if pooled is None else pooled.tau2,
                "q": None if pooled is None else pooled.q,
                "q_df": None if pooled is None else pooled.q_df,
                "q_p": None if pooled is None else pooled.q_p,
                "method": METHOD if pooled is not None else not_pooled(p),
                "studies": [_study_record(s) for s in p.studies],
                "left_out": [
                    {
                        "id": s.outcome_id,
                        "study_id": s.study_id,
                        "group": s.group,
                        "value": s.value,
                        "reason": s.reason,
                        "fix": s.fix,
                    }
                    for s in p.skipped
                ],
            }
        )
    return out


def _study_record(s: StudyRow) -> dict:
    c = s.count
    return {
        "id": c.outcome_id,
        "study_id": c.study_id,
        "first_author": c.first_author,
        "year": c.year,
        "group": c.group,
        "value": c.value,
        "events": c.events,
        "total": c.total,
        "counts": c.how,
        "counts_printed": c.printed,
        "assigned": c.assigned,
        "ci_low": s.ci_low,
        "ci_high": s.ci_high,
        "weight": s.weight,
        "continuity_correction": s.continuity,
        "timepoint": c.timepoint,
        "review_status": c.review_status,
        "flags": c.flags,
    }


POOLED_COLUMNS = [
    "measure",
    "pool",
    "row",
    "study_id",
    "first_author",
    "year",
    "group",
    "value",
    "events",
    "total",
    "proportion",
    "ci_low",
    "ci_high",
    "weight",
    "k",
    "i2",
    "tau2",
    "q",
    "q_df",
    "q_p",
    "counts",
    "continuity_correction",
    "timepoint",
    "review_status",
    "flags",
    "id",
    "note",
]


def pooled_frame(reports: list[PoolReport]) -> pd.DataFrame:
    """The `pooled` sheet: per pool, a row per study (exact CI, weight) then the pooled row (random-effects
    CI, I², tau², Q), then the values left out; percent for rates, I² in percent."""
    rows: list[dict] = []
    for report in reports:
        for p in report.pools:
            for s in p.studies:
                c = s.count
                rows.append(  # the study's record (as --json prints it), in the sheet's columns
                    {
                        **_study_record(s),
                        "measure": report.measure,
                        "pool": p.name,
                        "row": "study",
                        "proportion": 100 * c.events / c.total,
                        "note": c.assigned,
                    }
                )
            q = p.pooled
            rows.append(
                {
                    "measure": report.measure,
                    "pool": p.name,
                    "row": "pooled",
                    "events": p.events,
                    "total": p.total,
                    "k": p.k,
                    **(
                        {}
                        if q is None
                        else {
                            "proportion": 100 * q.estimate,
                            "ci_low": 100 * q.ci_low,
                            "ci_high": 100 * q.ci_high,
                            "weight": 100.0,
                            "i2": 100 * q.i2,
                            "tau2": q.tau2,
                            "q": q.q,
                            "q_df": q.q_df,
                            "q_p": q.q_p,
                        }
                    ),
                    "note": METHOD if q is not None else not_pooled(p),
                }
            )
            for k in p.skipped:
                rows.append(
                    {
                        "measure": report.measure,
                        "pool": p.name,
                        "row": "left out",
                        "study_id": k.study_id,
                        "group": k.group,
                        "value": k.value,
                        "id": k.outcome_id,
                        "note": _left_out(k),
                    }
                )
        for k in report.unassigned:
            rows.append(
                {
                    "measure": report.measure,
                    "row": "left out",
                    "study_id": k.study_id,
                    "group": k.group,
                    "value": k.value,
                    "id": k.outcome_id,
                    "note": _left_out(k),
                }
            )
    frame = pd.DataFrame(rows, columns=POOLED_COLUMNS)
    for col in ("year", "events", "total", "k", "q_df"):
        frame[col] = frame[col].astype("Int64")
    return frame


def _left_out(s: Skipped) -> str:
    return s.reason + (f" (evidence mark DB {s.outcome_id[:8]} {s.fix})" if s.fix else "")


__all__ = [
    "GROUPINGS",
    "METHOD",
    "not_pooled",
    "POOLED_MEASURES",
    "Pool",
    "PoolReport",
    "StudyRow",
    "pool",
    "pool_records",
    "pooled_frame",
]
