"""The review queue as the page lists it: `evidence review`'s values (db.tables.review_queue), the orphaned
decisions, and how many studies wait to be extracted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from evidence_tables.db.filters import Filters
from evidence_tables.db.store import EvidenceDB
from evidence_tables.db.tables import review_queue
from evidence_tables.display import missing, value_text
from evidence_tables.web.study import Orphan, measure_label, orphans


@dataclass(frozen=True, slots=True, kw_only=True)
class Row:
    """One value of the queue."""

    id: str
    study_id: str
    measure: str
    group: str | None
    value: str
    review: str | None
    flags: str | None
    evidence: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Listing:
    """The queue: values (flagged first), how many are flagged, the orphaned decisions, the studies not extracted."""

    rows: tuple[Row, ...] = ()
    flagged: int = 0
    orphans: tuple[Orphan, ...] = ()
    unextracted: int = 0


def listing(store: EvidenceDB, filters: Filters, *, include_reviewed: bool = False) -> Listing:
    frame = review_queue(store, filters, include_reviewed=include_reviewed)
    rows = tuple(
        Row(
            id=r["id"],
            study_id=r["study_id"],
            measure=measure_label(r["measure"]),
            group=None if missing(r["group"]) else str(r["group"]),
            value=value_text(r),
            review=None if missing(r["review_status"]) else str(r["review_status"]),
            flags=None if missing(r["flags"]) else str(r["flags"]),
            evidence=" ".join(str(r["evidence"]).split()),
        )
        for r in cast(list[dict[str, Any]], frame.to_dict("records"))
    )
    lost = orphans(
        list(store.db.query("SELECT * FROM orphaned_reviews ORDER BY study_id, review_id"))
    )
    return Listing(
        rows=rows,
        flagged=sum(1 for r in rows if r.flags),
        orphans=tuple(lost),
        unextracted=store.count_unextracted(),
    )
